import { afterEach, beforeEach, describe } from 'vitest';
import type { Ledger } from '../open-ledger.ts';
import { ingestContract } from './ingest-contract.ts';
import { paymentContract } from './payment-contract.ts';
import { scopeContract } from './scope-contract.ts';

/**
 * THE ledger store contract: one suite that every implementation of the ledger interfaces
 * (LedgerStore, LedgerAdmin, PaymentStore, PaymentAdmin, ConsoleStore) must pass, SQLite and
 * Azure SQL alike (after tldraw's `storageContractSuite.ts`). It talks to the interfaces
 * directly — no HTTP, no SQL — so what it proves is the store's own promise, whatever the
 * database: idempotent ingest under replay and concurrency, the capture outbox, leases, the
 * payment cursor, tenant isolation, idempotent shift events, audited console actions and
 * one-time enrollment codes. Tests are named after the rules they defend (SPEC.md, ARCHITECTURE.md).
 */

/** A ledger opened for one test, and how to release it (close, drop the file or schema). */
export interface OpenedLedger {
  ledger: Ledger;
  cleanup(): Promise<void>;
}

/**
 * Opens a fresh, migrated, EMPTY ledger: no tenant, store, device or payment. Emptiness is part
 * of the contract's setup, not a convenience: claims and backlogs are global (all tenants), so a
 * leftover due payment would be claimed by the lease tests.
 */
export type OpenEmptyLedger = () => Promise<OpenedLedger>;

export interface LedgerContractOptions {
  /**
   * Why this implementation cannot be reached in this run (no connection string, not built).
   * The suite is then registered as skipped with the reason in its title — shown by the
   * reporter, never a silent pass — and `openEmptyLedger` is never called.
   */
  skipReason?: string | undefined;
  /** Per-test (and per-hook) timeout; a remote database needs more than the 5 s default. */
  timeoutMs?: number;
}

/** The ledger of the running test (set by the suite's beforeEach). */
export type CurrentLedger = () => Ledger;

export function ledgerContractSuite(
  name: string,
  openEmptyLedger: OpenEmptyLedger,
  options: LedgerContractOptions = {},
): void {
  const skip = options.skipReason !== undefined;
  const title = skip ? `[${name}] ledger contract (skipped: ${options.skipReason})` : `[${name}] ledger contract`;
  const timeout = options.timeoutMs ?? 5_000;
  describe.skipIf(skip)(title, { timeout }, () => {
    let opened: OpenedLedger | undefined;
    beforeEach(async () => {
      opened = await openEmptyLedger();
    }, timeout);
    afterEach(async () => {
      await opened?.cleanup();
      opened = undefined;
    }, timeout);
    const ledger: CurrentLedger = () => {
      if (opened === undefined) throw new Error('no ledger is open: call it inside a test');
      return opened.ledger;
    };

    describe('sale ingest', () => ingestContract(ledger));
    describe('card payments', () => paymentContract(ledger));
    describe('tenancy, shifts, console, enrollment', () => scopeContract(ledger));
  });
}
