/**
 * Operator commands on the ledger (the manager console at /manage does the day-to-day ones). Reads the same environment as the
 * server (TILL_DATA_DIR / DATABASE_URL) and is safe to run while the server is up.
 *
 *   npx tsx scripts/till-admin.ts enrollment-code [--store DEMO] [--ttl MINUTES]
 *   npx tsx scripts/till-admin.ts revoke-device <deviceId>
 *   npx tsx scripts/till-admin.ts devices
 *   npx tsx scripts/till-admin.ts payments [--state STATE] [--all]
 *   npx tsx scripts/till-admin.ts payment <paymentId>
 *   npx tsx scripts/till-admin.ts write-off <paymentId> --by NAME --reason TEXT
 *   npx tsx scripts/till-admin.ts retry-payment <paymentId>
 *   npx tsx scripts/till-admin.ts card-totals [--store DEMO]
 *   npx tsx scripts/till-admin.ts create-manager --email E --name N --role owner|manager [--store DEMO]
 *   npx tsx scripts/till-admin.ts create-store --tenant NAME --store CODE --name N --currency USD --timezone TZ [--locale L] [--address A] [--tax-mode exclusive|inclusive]
 */
import { parseArgs } from 'node:util';
import {
  CURRENCY_EXPONENTS,
  type CurrencyCode,
  defaultCardOfflineLimits,
  formatMoney,
  isKnownTimeZone,
  PAYMENT_STATES,
  type PaymentState,
} from '@till/shared';
import {
  createEnrollmentCode,
  createManagerAccount,
  createStoreOfTenant,
  createTenantAndStore,
  listDevices,
  revokeDevice,
} from '../sync-server/src/admin.ts';
import { ConfigError, loadConfig } from '../sync-server/src/config.ts';
import { type Ledger, openLedger } from '../sync-server/src/store/open-ledger.ts';
import type { PaymentRecord } from '../sync-server/src/store/payment-store.ts';

const USAGE = `Usage: tsx scripts/till-admin.ts <command>

  enrollment-code [--store CODE] [--ttl MINUTES]  a one-time code to enroll a till (default store DEMO)
  revoke-device <deviceId>                        stop a device's token from working
  devices                                         list enrolled devices
  payments [--state STATE] [--all]                card payments needing a manager (or every one with --all, or by state)
  payment <paymentId>                             one card payment and its attempt log
  write-off <paymentId> --by NAME --reason TEXT   close a payment that will not be captured (I5)
  retry-payment <paymentId>                       send a quarantined payment back to the capture worker
  card-totals [--store CODE]                      per till and day: card tendered = captured + declined + pending + expired + written off (I7)
  create-store --tenant NAME --store CODE --name N --currency CUR --timezone TZ [--locale L] [--address A] [--tax-mode M]
                                                  a new tenant (or a new store of the tenant --tenant names, by store code
                                                  of an existing store: --tenant-of CODE) with default offline card limits
  create-manager --email E --name N --role R [--store CODE]
                                                  a console account of the store's tenant: role owner (every store) or
                                                  manager (the --store only); the password is read from
                                                  TILL_MANAGER_PASSWORD or the first line of stdin, never an argument
`;

class UsageError extends Error {}

function parseCommandLine(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        store: { type: 'string', default: 'DEMO' },
        ttl: { type: 'string' },
        state: { type: 'string' },
        all: { type: 'boolean' },
        by: { type: 'string' },
        reason: { type: 'string' },
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        tenant: { type: 'string' },
        'tenant-of': { type: 'string' },
        currency: { type: 'string' },
        timezone: { type: 'string' },
        locale: { type: 'string' },
        address: { type: 'string' },
        'tax-mode': { type: 'string' },
        help: { type: 'boolean' },
      },
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
    case 'create-store': {
      const currency = values.currency as CurrencyCode | undefined;
      const taxMode = values['tax-mode'] ?? 'exclusive';
      if (!values.name || !currency || !values.timezone || (!values.tenant && !values['tenant-of'])) {
        throw new UsageError(
          'create-store needs --name, --currency, --timezone and --tenant NAME (or --tenant-of CODE)',
        );
      }
      if (!(currency in CURRENCY_EXPONENTS)) throw new UsageError(`Unknown currency ${currency}`);
      if (!isKnownTimeZone(values.timezone)) throw new UsageError(`Unknown time zone ${values.timezone}`);
      if (!/^[A-Z0-9]{2,8}$/.test(values.store)) throw new UsageError('--store must be 2–8 capital letters or digits');
      if (taxMode !== 'exclusive' && taxMode !== 'inclusive')
        throw new UsageError('--tax-mode is exclusive or inclusive');
      if ((await ledger.findStoreByCode(values.store)) !== undefined)
        throw new UsageError(`Store ${values.store} exists`);
      const store = {
        code: values.store,
        name: values.name,
        currency,
        taxMode,
        locale: values.locale ?? 'en-US',
        timezone: values.timezone,
        address: values.address ?? '',
        cardOfflineLimits: defaultCardOfflineLimits(CURRENCY_EXPONENTS[currency]),
      } as const;
      const sibling = values['tenant-of'] === undefined ? undefined : await ledger.findStoreByCode(values['tenant-of']);
      if (values['tenant-of'] !== undefined && sibling === undefined) {
        throw new UsageError(`No store with code ${values['tenant-of']}`);
      }
      const created =
        sibling === undefined
          ? await createTenantAndStore(ledger, { tenantName: values.tenant ?? values.name, store })
          : await createStoreOfTenant(ledger, sibling.tenantId, store);
      console.log(`Store ${created.store.code} created (${created.store.id}), tenant ${created.tenantId}.`);
      console.log(
        `Next: create-manager --store ${created.store.code} --role owner …, then enrollment-code --store ${created.store.code}`,
      );
      return;
    }
    case 'create-manager': {
      const role = values.role;
      if (!values.email || !values.name || (role !== 'owner' && role !== 'manager')) {
        throw new UsageError('create-manager needs --email, --name and --role owner|manager');
      }
      const store = await ledger.findStoreByCode(values.store);
      if (store === undefined) throw new UsageError(`No store with code ${values.store}`);
      const password = process.env.TILL_MANAGER_PASSWORD ?? (await firstLineOfStdin());
      const { managerId } = await createManagerAccount(ledger, {
        tenantId: store.tenantId,
        email: values.email,
        name: values.name,
        role,
        password,
        storeIds: role === 'owner' ? 'all' : [store.id],
      });
      console.log(`Manager ${values.email} (${role}) created: ${managerId}. Sign in at /manage.`);
      return;
    }
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
    case 'payments':
      await listPayments(ledger, values);
      return;
    case 'payment': {
      const [paymentId] = rest;
      if (paymentId === undefined) throw new UsageError('payment needs a paymentId (see: payments)');
      const [payment] = (await ledger.listPayments({ limit: 100_000 })).filter((p) => p.id === paymentId);
      if (payment === undefined) throw new UsageError(`No payment ${paymentId}`);
      const { gatewayToken: _token, ...shown } = payment; // a gateway token is not for screens (I8)
      console.log(JSON.stringify(shown, null, 2));
      for (const attempt of await ledger.attemptsOf(paymentId)) {
        console.log(
          `  #${attempt.n} ${attempt.kind.padEnd(7)} ${attempt.outcome.padEnd(12)} ${attempt.startedAt}  ${attempt.code ?? ''} ${attempt.message ?? ''}  (${attempt.workerId})`,
        );
      }
      return;
    }
    case 'write-off': {
      const [paymentId] = rest;
      if (paymentId === undefined || !values.by || !values.reason) {
        throw new UsageError('write-off needs a paymentId, --by NAME and --reason TEXT');
      }
      const result = await ledger.writeOffPayment({
        paymentId,
        by: values.by,
        reason: values.reason,
        now: new Date().toISOString(),
      });
      if (result.kind === 'not_found') throw new UsageError(`No payment ${paymentId}`);
      if (result.kind === 'refused') throw new UsageError(`Not written off: ${result.reason}`);
      console.log(`Payment ${paymentId} is written off by ${values.by}.`);
      return;
    }
    case 'retry-payment': {
      const [paymentId] = rest;
      if (paymentId === undefined) throw new UsageError('retry-payment needs a paymentId');
      const result = await ledger.requeuePayment({ paymentId, now: new Date().toISOString() });
      if (result.kind === 'not_found') throw new UsageError(`No payment ${paymentId}`);
      if (result.kind === 'refused') throw new UsageError(`Not retried: ${result.reason}`);
      console.log(`Payment ${paymentId} goes back to the capture worker (looked up first, same key).`);
      return;
    }
    case 'card-totals': {
      const store = await ledger.findStoreByCode(values.store.toUpperCase());
      if (store === undefined) throw new UsageError(`No store with code ${values.store}`);
      const money = (minor: number) => formatMoney(minor, store.currency, store.locale).padStart(11);
      const rows = await ledger.cardTotals(store.id);
      if (rows.length === 0) {
        console.log('No card sales yet.');
        return;
      }
      console.log(
        'day         device                                tendered    captured    declined     pending     expired written off   unmatched',
      );
      for (const row of rows) {
        console.log(
          [
            row.day,
            row.deviceId,
            money(row.cardTendered),
            money(row.captured),
            money(row.declined),
            money(row.pending),
            money(row.expired),
            money(row.writtenOff),
            money(row.unmatched),
            row.balanced ? 'ok' : 'UNBALANCED',
          ].join(' '),
        );
      }
      return;
    }
    default:
      throw new UsageError(`Unknown command ${command}`);
  }
}

/** How soon before expiry a waiting payment is raised to a manager. */
const EXPIRING_SOON_MS = 2 * 60 * 60_000;

/**
 * What needs a manager: quarantined and unknown payments, charges without a confirmed sale,
 * declines and expiries of stored payments, and pending ones close to expiry.
 */
function attentionOf(payment: PaymentRecord, now: number): string | undefined {
  switch (payment.state) {
    case 'quarantined':
      return `set aside: ${payment.quarantineReason ?? ''}`;
    case 'unknown':
      return 'outcome unknown, being resolved';
    case 'captured':
      return payment.saleReceivedAt === null
        ? 'CHARGED, no sale has arrived with it yet (check the till, or refund)'
        : undefined;
    case 'declined':
      return payment.entry === 'stored' ? 'declined after forwarding: collect payment another way' : undefined;
    case 'expired':
      return 'expired uncharged: collect payment another way';
    case 'pending':
      if (payment.saleReceivedAt === null) return undefined;
      return Date.parse(payment.expiresAt) - now < EXPIRING_SOON_MS ? `expires ${payment.expiresAt}` : undefined;
    default:
      return undefined;
  }
}

async function listPayments(ledger: Ledger, values: { state?: string | undefined; all?: boolean | undefined }) {
  if (values.state !== undefined && !(PAYMENT_STATES as readonly string[]).includes(values.state)) {
    throw new UsageError(`--state must be one of ${PAYMENT_STATES.join(', ')}`);
  }
  const states = values.state === undefined ? undefined : [values.state as PaymentState];
  const payments = await ledger.listPayments({ limit: 100_000, ...(states && { states }) });
  const now = Date.now();
  const shown = payments
    .map((payment) => ({ payment, attention: attentionOf(payment, now) }))
    .filter(({ attention }) => values.all || values.state !== undefined || attention !== undefined);
  if (shown.length === 0) console.log(values.all ? 'No card payments yet.' : 'No card payment needs attention.');
  for (const { payment, attention } of shown) {
    console.log(
      [
        payment.id,
        payment.state.padEnd(11),
        formatMoney(payment.amount, payment.currency as CurrencyCode).padStart(10),
        `${payment.brand} ${payment.last4}`,
        payment.entry.padEnd(6),
        `sale ${payment.saleId ?? '-'}${payment.saleReceivedAt === null ? ' (not received)' : ''}`,
        `attempts ${payment.attempts}`,
        attention ?? '',
      ].join('  '),
    );
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

/** The password typed (or piped) on stdin, without its line ending. */
async function firstLineOfStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password for the new account (at least 10 characters): ');
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}
