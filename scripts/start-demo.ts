/**
 * The demo: `npm start` (or `tsx scripts/start-demo.ts`). Opens the ledger in TILL_DATA_DIR,
 * seeds the demo store on first run, makes a fresh enrollment code, starts the server, and
 * prints a banner for people plus one `TILL_READY {json}` line for programs (the browser
 * end-to-end test parses it).
 */
import { createEnrollmentCode } from '../sync-server/src/admin.ts';
import { ConfigError, loadConfig, type TillConfig } from '../sync-server/src/config.ts';
import { seedDemo } from '../sync-server/src/seed.ts';
import { startServer } from '../sync-server/src/start.ts';
import { openLedger } from '../sync-server/src/store/open-ledger.ts';

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

async function main(): Promise<void> {
  const config = loadConfig();
  const demo = await prepareDemo(config);
  const { url } = await startServer(config);
  const ready = { url, enrollmentCode: demo.code, dataDir: config.dataDir, database: config.database.file };
  const rule = '─'.repeat(64);
  process.stdout.write(
    [
      '',
      rule,
      `  Till demo is running — ${demo.store.name} (${demo.store.code}, ${demo.store.currency})`,
      '',
      `  Open the till:     ${url}/`,
      `  Enrollment code:   ${demo.code}   (one device, valid until ${demo.expiresAt})`,
      `  API docs:          ${url}/docs`,
      `  Ledger (SQLite):   ${config.database.file}${demo.created ? '   (new, demo catalog seeded)' : ''}`,
      '',
      '  More codes: npx tsx scripts/till-admin.ts enrollment-code',
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
