import type { CurrencyCode } from '@till/shared/core';
import { type CardRead, type CardReader, CardReaderError } from './card-reader.ts';

/** The read the simulated reader is waiting on, for its on-screen pad. */
export interface PendingRead {
  amount: number;
  currency: CurrencyCode;
}

interface Waiting extends PendingRead {
  resolve: (card: CardRead) => void;
  reject: (error: Error) => void;
  detach: () => void;
}

/**
 * The demo's card reader: a read waits until the cashier taps one of the test cards on screen
 * (`tap`). It follows the `CardReader` contract like a real one would: one read at a time, a
 * new read replaces the old, an abort rejects. Plain class; the pad subscribes to it.
 */
export class SimulatedTapReader implements CardReader {
  private waiting: Waiting | null = null;
  private view: PendingRead | null = null;
  private readonly listeners = new Set<() => void>();

  read(amount: number, currency: CurrencyCode, signal: AbortSignal): Promise<CardRead> {
    if (signal.aborted) return Promise.reject(new CardReaderError('aborted', 'The read was cancelled'));
    this.settle((waiting) => waiting.reject(new CardReaderError('aborted', 'Another read started')));
    return new Promise<CardRead>((resolve, reject) => {
      const onAbort = () => {
        if (this.waiting?.reject === reject) {
          this.settle((waiting) => waiting.reject(new CardReaderError('aborted', 'The read was cancelled')));
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting = { amount, currency, resolve, reject, detach: () => signal.removeEventListener('abort', onAbort) };
      this.view = { amount, currency };
      this.emit();
    });
  }

  /** The customer taps `card`; false when no read is waiting. */
  tap(card: CardRead): boolean {
    if (!this.waiting) return false;
    this.settle((waiting) => waiting.resolve(card));
    return true;
  }

  /** The read waiting for a tap, or null (a stable object, for `useSyncExternalStore`). */
  getPending = (): PendingRead | null => this.view;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private settle(finish: (waiting: Waiting) => void): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = null;
    this.view = null;
    waiting.detach();
    finish(waiting);
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
