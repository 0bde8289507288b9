/**
 * The demo: `npm start` (or `tsx scripts/start-demo.ts`). Opens the ledger in TILL_DATA_DIR,
 * seeds the demo store on first run, makes a fresh enrollment code, starts the payment gateway
 * simulator as its own process (unless GATEWAY_URL names a gateway), starts the server pointed
 * at it, and prints a banner for people plus one `TILL_READY {json}` line for programs (the
 * browser end-to-end test parses it). Ctrl+C / SIGTERM stops the server, then the simulator.
 */
import { join } from 'node:path';
import { formatMoney } from '@till/shared';
import { createEnrollmentCode } from '../sync-server/src/admin.ts';
import { ConfigError, describeDatabase, loadConfig, type TillConfig } from '../sync-server/src/config.ts';
import { DEMO_OWNER, seedDemo } from '../sync-server/src/seed.ts';
import { startServer } from '../sync-server/src/start.ts';
import { openLedger } from '../sync-server/src/store/open-ledger.ts';
import { type SimulatorProcess, spawnGatewaySimulator } from './gateway-simulator/spawn.ts';

async function prepareDemo(config: TillConfig) {
  const ledger = await openLedger(config.database);
  try {
    const seeded = await seedDemo(ledger);
    const enrollment = await createEnrollmentCode(ledger, seeded.store.id, config.enrollmentCodeTtlMinutes);
    return { ...seeded, ...enrollment };
  } finally {
    await ledger.close();
  }
}

/**
 * The simulator's ports: any free ones when the server's port is (PORT=0, as tests run it),
 * else GATEWAY_SIM_API_PORT / GATEWAY_SIM_CONTROL_PORT or the simulator's defaults (12111/12112).
 */
function simulatorPorts(config: TillConfig): { apiPort?: number; controlPort?: number } {
  if (config.port === 0) return { apiPort: 0, controlPort: 0 };
  const port = (name: string): number | undefined => {
    const text = process.env[name]?.trim();
    return text ? Number(text) : undefined;
  };
  const apiPort = port('GATEWAY_SIM_API_PORT') ?? 12111;
  const controlPort = port('GATEWAY_SIM_CONTROL_PORT') ?? 12112;
  return { apiPort, controlPort };
}

async function main(): Promise<void> {
  const loaded = loadConfig();
  const demo = await prepareDemo(loaded);

  let simulator: SimulatorProcess | undefined;
  if (loaded.gateway.url === undefined) {
    simulator = await spawnGatewaySimulator({
      dataFile: join(loaded.dataDir, 'gateway-simulator.sqlite'),
      ...simulatorPorts(loaded),
    });
  }
  const config: TillConfig = {
    ...loaded,
    gateway: { ...loaded.gateway, url: loaded.gateway.url ?? simulator?.apiUrl },
  };
  let url: string;
  try {
    ({ url } = await startServer(config, { afterClose: async () => void (await simulator?.stop()) }));
  } catch (error) {
    await simulator?.stop();
    throw error;
  }

  const gatewayUrl = config.gateway.url ?? null;
  const gatewayControlUrl = simulator?.controlUrl ?? null;
  const ready = {
    url,
    enrollmentCode: demo.code,
    dataDir: config.dataDir,
    database: config.database.kind === 'sqlite' ? config.database.file : describeDatabase(config.database),
    gatewayUrl,
    gatewayControlUrl,
    managerUrl: `${url}/manage`,
    managerEmail: DEMO_OWNER.email,
    managerPassword: DEMO_OWNER.password,
  };
  const limits = demo.store.cardOfflineLimits;
  const money = (minor: number) => formatMoney(minor, demo.store.currency, demo.store.locale);
  const fault = (mode: string) =>
    `curl -X POST -H 'content-type: application/json' -d '{"mode":"${mode}"}' ${gatewayControlUrl}/control/fault`;
  const rule = '─'.repeat(64);
  process.stdout.write(
    [
      '',
      rule,
      `  Till demo is running — ${demo.store.name} (${demo.store.code}, ${demo.store.currency})`,
      '',
      `  Open the till:     ${url}/`,
      `  Manager console:   ${url}/manage   (demo owner: ${DEMO_OWNER.email} / ${DEMO_OWNER.password})`,
      `  Enrollment code:   ${demo.code}   (one device, valid until ${demo.expiresAt})`,
      `  API docs:          ${url}/docs`,
      `  Ledger:            ${describeDatabase(config.database)}${demo.created ? '   (new, demo catalog seeded)' : ''}`,
      simulator
        ? `  Card gateway:      simulator at ${gatewayUrl} (test cards: pm_card_visa, pm_card_chargeDeclined, …)`
        : `  Card gateway:      ${gatewayUrl}`,
      `  Stored card limits: ${money(limits.maxPerPayment)} per payment, ${money(limits.maxTotalPerDevice)} per till, ${limits.maxAgeMinutes / 60} h to capture`,
      '',
      ...(simulator
        ? [
            '  Put the card gateway down / up (the till stores card payments meanwhile):',
            `    ${fault('down')}`,
            `    ${fault('up')}`,
            `  Charges it took: curl ${gatewayControlUrl}/control/ledger`,
            '',
          ]
        : []),
      '  More codes: npx tsx scripts/till-admin.ts enrollment-code    Payments: npx tsx scripts/till-admin.ts payments',
      '  Stop: Ctrl+C',
      rule,
      '',
      `TILL_READY ${JSON.stringify(ready)}`,
      '',
    ].join('\n'),
  );
}

try {
  await main();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
