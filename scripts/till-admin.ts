/**
 * Operator commands on the ledger (no manager UI yet). Reads the same environment as the
 * server (TILL_DATA_DIR / DATABASE_URL) and is safe to run while the server is up.
 *
 *   npx tsx scripts/till-admin.ts enrollment-code [--store DEMO] [--ttl MINUTES]
 *   npx tsx scripts/till-admin.ts revoke-device <deviceId>
 *   npx tsx scripts/till-admin.ts devices
 */
import { parseArgs } from 'node:util';
import { createEnrollmentCode, listDevices, revokeDevice } from '../sync-server/src/admin.ts';
import { ConfigError, loadConfig } from '../sync-server/src/config.ts';
import { type Ledger, openLedger } from '../sync-server/src/store/open-ledger.ts';

const USAGE = `Usage: tsx scripts/till-admin.ts <command>

  enrollment-code [--store CODE] [--ttl MINUTES]  a one-time code to enroll a till (default store DEMO)
  revoke-device <deviceId>                        stop a device's token from working
  devices                                         list enrolled devices
`;

class UsageError extends Error {}

function parseCommandLine(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: { store: { type: 'string', default: 'DEMO' }, ttl: { type: 'string' }, help: { type: 'boolean' } },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

async function run(ledger: Ledger, ttlDefault: number, args: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(args);
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) throw new UsageError();
  switch (command) {
    case 'enrollment-code': {
      const store = await ledger.findStoreByCode(values.store.toUpperCase());
      if (store === undefined) throw new UsageError(`No store with code ${values.store}`);
      const ttl = values.ttl === undefined ? ttlDefault : Number(values.ttl);
      if (!Number.isInteger(ttl) || ttl < 1) throw new UsageError('--ttl must be a positive number of minutes');
      const { code, expiresAt } = await createEnrollmentCode(ledger, store.id, ttl);
      console.log(`Enrollment code for ${store.name} (${store.code}): ${code}   valid until ${expiresAt}`);
      return;
    }
    case 'revoke-device': {
      const [deviceId] = rest;
      if (deviceId === undefined) throw new UsageError('revoke-device needs a deviceId (see: devices)');
      if (!(await revokeDevice(ledger, deviceId))) throw new UsageError(`No device ${deviceId}`);
      console.log(`Device ${deviceId} is revoked; its token now gets 403 device_revoked.`);
      return;
    }
    case 'devices': {
      const devices = await listDevices(ledger);
      if (devices.length === 0) console.log('No devices enrolled yet.');
      for (const device of devices) {
        console.log(
          [
            device.deviceId,
            `${device.storeCode}-${String(device.deviceNo).padStart(2, '0')}`,
            device.status.padEnd(7),
            `acked ${device.ackedSeq}/${device.lastSeq}`,
            `unsent ${device.unsentCount ?? '?'}`,
            `seen ${device.lastSeenAt ?? 'never'}`,
            JSON.stringify(device.name),
          ].join('  '),
        );
      }
      return;
    }
    default:
      throw new UsageError(`Unknown command ${command}`);
  }
}

try {
  const config = loadConfig();
  const ledger = await openLedger(config.database);
  try {
    await run(ledger, config.enrollmentCodeTtlMinutes, process.argv.slice(2));
  } finally {
    await ledger.close();
  }
} catch (error) {
  if (error instanceof UsageError) {
    if (error.message) console.error(error.message);
    console.error(USAGE);
    process.exitCode = 2;
  } else if (error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
