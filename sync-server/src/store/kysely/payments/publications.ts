import type { Kysely } from 'kysely';
import type { CapturePublication, Lease, SentCapturePublication } from '../../payment-store.ts';
import type { LedgerTables } from '../../tables.ts';
import { ledgerDialectOf, runInTransaction } from '../ledger-dialect.ts';
import type { PaymentRow } from './payment-rows.ts';
import { LIVE_OWNER_PREFIX } from './work.ts';

/**
 * The Service Bus capture queue's outbox, in SQL (table `capture_publications`, one row per
 * payment that ever needed a message). The payment row stays the truth; this only records which
 * message was published for which `next_attempt_at`, so the relay can tell what still needs one
 * (see `CapturePublicationStore`) and a failed or lost publish is simply published again.
 *
 * Publication numbers make the message ids (`${paymentId}` for the first, `${paymentId}:${seq}`
 * after). A claim whose send was never recorded keeps its number, so a relay that sent and then
 * died before recording sends the SAME message id again and Service Bus duplicate detection drops
 * the copy; a recorded publication moves the number on, so a new message is never mistaken for a
 * duplicate of the last one, however soon it follows.
 */
export async function claimCapturePublications(
  db: Kysely<LedgerTables>,
  lease: Lease,
  now: string,
  limit: number,
  staleBefore: string,
): Promise<CapturePublication[]> {
  return runInTransaction(db, async (trx) => {
    const rows = await trx
      .selectFrom('payments as p')
      // Relays on other instances skip what this one is claiming (on Azure SQL: `capture_publications
      // as c with (readpast, updlock, rowlock)`). To the outer join a skipped row is a missing one:
      // that payment looks never published, its INSERT below fails with 2627 once the other relay
      // commits, and the whole transaction runs again and sees that relay's lease (runInTransaction).
      .leftJoin(ledgerDialectOf(trx).lockedTable('capture_publications', 'claim', 'c'), (join) =>
        join.onRef('c.tenant_id', '=', 'p.tenant_id').onRef('c.payment_id', '=', 'p.id'),
      )
      .select([
        'p.tenant_id',
        'p.id',
        'p.state',
        'p.next_attempt_at',
        'p.sale_received_at',
        'p.expires_at',
        'p.lease_owner',
        'p.lease_expires_at',
        'c.seq',
        'c.published_seq',
      ])
      .where('p.state', 'in', ['pending', 'unknown'])
      // Not while someone holds the payment (a worker, a live capture): its outcome decides
      // what message comes next, and a lease that lapses instead makes it a candidate again.
      .where((eb) => eb.or([eb('p.lease_expires_at', 'is', null), eb('p.lease_expires_at', '<=', now)]))
      .where((eb) => eb.or([eb('c.lease_expires_at', 'is', null), eb('c.lease_expires_at', '<=', now)]))
      .where((eb) =>
        eb.or([
          // Never published, or a claim to publish was never recorded as sent.
          eb('c.published_seq', 'is', null),
          eb('c.published_seq', '<>', eb.ref('c.seq')),
          // A consumer took the last message and left no work behind it.
          eb('c.consumed_seq', '=', eb.ref('c.published_seq')),
          // The payment was rescheduled since: backoff, expedite, its sale arrived, a requeue.
          eb('c.published_next_at', '<>', eb.ref('p.next_attempt_at')),
          // Due long ago and never reported by a consumer: the message was lost.
          eb.and([
            eb('c.scheduled_for', '<=', staleBefore),
            eb.or([eb('c.consumed_seq', 'is', null), eb('c.consumed_seq', '<', eb.ref('c.published_seq'))]),
          ]),
        ]),
      )
      .orderBy('p.next_attempt_at')
      .orderBy('p.id')
      .limit(limit) // TOP (limit) on Azure SQL (mssql/plugins.ts)
      .execute();

    const claimed: CapturePublication[] = [];
    for (const row of rows) {
      const leaseColumns = { lease_owner: lease.owner, lease_expires_at: lease.expiresAt };
      let seq: number;
      if (row.seq === null) {
        seq = 1;
        await trx
          .insertInto('capture_publications')
          .values({ tenant_id: row.tenant_id, payment_id: row.id, seq, failures: 0, ...leaseColumns })
          .execute();
      } else {
        // Recorded: a new message, a new number. Not recorded: maybe sent, so the same number.
        seq = row.published_seq === row.seq ? row.seq + 1 : row.seq;
        await trx
          .updateTable('capture_publications')
          .set({ seq, ...leaseColumns })
          .where('tenant_id', '=', row.tenant_id)
          .where('payment_id', '=', row.id)
          .execute();
      }
      claimed.push({
        tenantId: row.tenant_id,
        paymentId: row.id,
        seq,
        nextAttemptAt: row.next_attempt_at,
        dueAt: captureDueAt(row),
      });
    }
    return claimed;
  });
}

/**
 * The earliest time `claimable` (work.ts) can hold for this row if nothing else changes it: its
 * next attempt; for a live attempt still waiting for its sale, its expiry; and not before a
 * lease on it ends. A message that arrives earlier finds nothing to do, so this is when the
 * relay schedules it to arrive. Keep in step with `claimable`.
 */
export function captureDueAt(
  row: Pick<
    PaymentRow,
    'state' | 'next_attempt_at' | 'sale_received_at' | 'expires_at' | 'lease_owner' | 'lease_expires_at'
  >,
): string {
  let at = row.next_attempt_at;
  const liveLease = row.lease_owner?.startsWith(LIVE_OWNER_PREFIX) ?? false;
  if (row.state === 'pending' && row.sale_received_at === null && !liveLease && row.expires_at > at) {
    at = row.expires_at;
  }
  if (row.lease_expires_at !== null && row.lease_expires_at > at) at = row.lease_expires_at;
  return at;
}

/** See `CapturePublicationStore.recordCapturePublished`. */
export async function recordCapturePublished(
  db: Kysely<LedgerTables>,
  owner: string,
  sent: SentCapturePublication[],
  now: string,
): Promise<void> {
  if (sent.length === 0) return;
  await runInTransaction(db, async (trx) => {
    for (const item of sent) {
      await trx
        .updateTable('capture_publications')
        .set({
          published_seq: item.seq,
          published_next_at: item.nextAttemptAt,
          scheduled_for: item.scheduledFor,
          published_at: now,
          lease_owner: null,
          lease_expires_at: null,
          failures: 0,
          last_error: null,
        })
        .where('tenant_id', '=', item.tenantId)
        .where('payment_id', '=', item.paymentId)
        .where('lease_owner', '=', owner)
        .where('seq', '=', item.seq)
        .execute();
    }
  });
}

/** See `CapturePublicationStore.releaseCapturePublications`. */
export async function releaseCapturePublications(
  db: Kysely<LedgerTables>,
  owner: string,
  failed: CapturePublication[],
  error: string,
): Promise<void> {
  if (failed.length === 0) return;
  await runInTransaction(db, async (trx) => {
    for (const item of failed) {
      await trx
        .updateTable('capture_publications')
        .set((eb) => ({
          lease_owner: null,
          lease_expires_at: null,
          failures: eb('failures', '+', 1),
          last_error: error.slice(0, 400),
        }))
        .where('tenant_id', '=', item.tenantId)
        .where('payment_id', '=', item.paymentId)
        .where('lease_owner', '=', owner)
        .execute();
    }
  });
}

/** See `CapturePublicationStore.markCaptureMessageConsumed`. */
export async function markCaptureMessageConsumed(
  db: Kysely<LedgerTables>,
  input: { tenantId: string; paymentId: string; seq: number },
): Promise<void> {
  await db
    .updateTable('capture_publications')
    .set({ consumed_seq: input.seq })
    .where('tenant_id', '=', input.tenantId)
    .where('payment_id', '=', input.paymentId)
    .where((eb) => eb.or([eb('consumed_seq', 'is', null), eb('consumed_seq', '<', input.seq)]))
    .execute();
}
