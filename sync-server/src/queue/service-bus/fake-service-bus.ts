import { setTimeout as delay } from 'node:timers/promises';
import {
  type DeadLetterOptions,
  type MessageHandlers,
  ServiceBusError,
  type ServiceBusMessage,
  type ServiceBusReceivedMessage,
  type ServiceBusReceiver,
  type ServiceBusReceiverOptions,
  type ServiceBusSender,
  type SubscribeOptions,
} from '@azure/service-bus';
import { uuidv7 } from '@till/shared';
import type { ServiceBusQueueClient } from './service-bus-queue.ts';

/**
 * FakeServiceBus: a TEST DOUBLE OF THE @azure/service-bus SDK INTERFACES Till uses — the
 * `ServiceBusReceiver` and `ServiceBusSender` types and the client's `createReceiver`,
 * `createSender` and `close` — NOT of Service Bus. It keeps one queue in memory on the test's
 * clock, imitating (simplified) the broker behaviour Microsoft documents, so the adapter's
 * handling of it can be tested without a namespace:
 *
 * - a message with `scheduledEnqueueTimeUtc` is invisible until then;
 * - duplicate detection: a `messageId` accepted within the window is dropped silently;
 * - peek-lock: a received message is locked (new lock token) for the lock duration, renewed
 *   automatically up to the receiver's `maxAutoLockRenewalDurationInMs`; settling it with a lock
 *   that is gone throws `ServiceBusError` code `MessageLockLost`, and it is delivered again;
 * - `deliveryCount` counts deliveries; a message delivered MaxDeliveryCount times and not
 *   settled goes to the dead-letter queue with reason `MaxDeliveryCountExceeded`;
 * - `subscribe` calls `processMessage` for at most `maxConcurrentCalls` messages at once and,
 *   like the SDK, abandons a message whose handler threw.
 *
 * What it cannot tell us — real timings, AMQP link loss, throttling, the real service's edge
 * cases — needs a live namespace (TILL_TEST_SERVICE_BUS; see the sync-server README).
 */
export interface FakeServiceBusOptions {
  now: () => Date;
  lockDurationMs?: number;
  maxDeliveryCount?: number;
  /** 0 turns duplicate detection off. */
  duplicateDetectionWindowMs?: number;
}

interface Stored {
  sequenceNumber: number;
  message: ServiceBusMessage;
  availableAt: number;
  deliveryCount: number;
  lock: { token: string; receivedAt: number; lockedUntil: number; autoRenewMs: number } | null;
}

export interface DeadLetter {
  messageId: string;
  body: unknown;
  reason: string;
  description: string;
  deliveryCount: number;
}

export class FakeServiceBus {
  /** Every message accepted by a sender (after duplicate detection), in order. */
  readonly accepted: ServiceBusMessage[] = [];
  /** Message ids dropped by duplicate detection. */
  readonly droppedDuplicates: string[] = [];
  readonly completed: string[] = [];
  readonly deadLetters: DeadLetter[] = [];
  readonly clients: FakeServiceBusClient[] = [];
  readonly receiverOptions: (ServiceBusReceiverOptions | undefined)[] = [];
  readonly subscribeOptions: (SubscribeOptions | undefined)[] = [];
  /** The most messages ever inside `processMessage` at once. */
  maxConcurrentHandlers = 0;
  readonly #options: Required<FakeServiceBusOptions>;
  readonly #queue: Stored[] = [];
  readonly #seen = new Map<string, number>();
  #sequence = 0;
  #failSends = 0;

  constructor(options: FakeServiceBusOptions) {
    this.#options = { lockDurationMs: 60_000, maxDeliveryCount: 10, duplicateDetectionWindowMs: 600_000, ...options };
  }

  /** A client, as `new ServiceBusClient(…)` would give; the app must make only one. */
  client(): FakeServiceBusClient {
    const client = new FakeServiceBusClient(this);
    this.clients.push(client);
    return client;
  }

  /** The next `count` sends fail with `ServiceBusError` code `ServiceBusy` (nothing is enqueued). */
  failNextSends(count: number): void {
    this.#failSends = count;
  }

  /** Enqueues a message as another sender would (duplicate detection applies). */
  inject(message: ServiceBusMessage): void {
    this.send([message]);
  }

  /** The lock on this message is gone (renewal failed, link dropped): it is available again now. */
  loseLock(messageId: string): void {
    const stored = this.#queue.find((entry) => entry.message.messageId === messageId && entry.lock !== null);
    if (stored === undefined) throw new Error(`FakeServiceBus: no locked message ${messageId}`);
    stored.lock = null;
  }

  /** Messages in the queue (scheduled, visible or locked), oldest first. */
  queued(): ServiceBusMessage[] {
    return this.#queue.map((entry) => entry.message);
  }

  send(messages: ServiceBusMessage[]): void {
    if (this.#failSends > 0) {
      this.#failSends -= 1;
      throw new ServiceBusError('FakeServiceBus: the namespace is busy (injected failure)', 'ServiceBusy');
    }
    const now = this.#now();
    for (const message of messages) {
      const id = String(message.messageId ?? uuidv7());
      const seenAt = this.#seen.get(id);
      if (this.#options.duplicateDetectionWindowMs > 0 && seenAt !== undefined) {
        if (now - seenAt < this.#options.duplicateDetectionWindowMs) {
          this.droppedDuplicates.push(id);
          continue;
        }
      }
      this.#seen.set(id, now);
      // A copy through JSON, as a body crosses the wire (Dates inside become strings).
      const copy: ServiceBusMessage = { ...message, messageId: id, body: wire(message.body) };
      this.accepted.push(copy);
      this.#sequence += 1;
      this.#queue.push({
        sequenceNumber: this.#sequence,
        message: copy,
        availableAt: message.scheduledEnqueueTimeUtc?.getTime() ?? now,
        deliveryCount: 0,
        lock: null,
      });
    }
  }

  /** Locks and returns up to `max` visible messages (peek-lock), oldest due first. */
  take(max: number, autoRenewMs: number): ServiceBusReceivedMessage[] {
    const now = this.#now();
    const visible = this.#queue
      .filter((entry) => entry.availableAt <= now && (entry.lock === null || lockGone(entry, now)))
      .sort((a, b) => a.availableAt - b.availableAt || a.sequenceNumber - b.sequenceNumber);
    const received: ServiceBusReceivedMessage[] = [];
    for (const entry of visible) {
      if (received.length >= max) break;
      if (entry.deliveryCount >= this.#options.maxDeliveryCount) {
        this.#deadLetter(
          entry,
          'MaxDeliveryCountExceeded',
          'Message could not be consumed after maximum delivery attempts',
        );
        continue;
      }
      entry.deliveryCount += 1;
      const token = uuidv7();
      entry.lock = { token, receivedAt: now, lockedUntil: now + this.#options.lockDurationMs, autoRenewMs };
      received.push({
        ...entry.message,
        body: wire(entry.message.body),
        lockToken: token,
        deliveryCount: entry.deliveryCount,
        enqueuedTimeUtc: new Date(entry.availableAt),
        lockedUntilUtc: new Date(entry.lock.lockedUntil),
        state: 'active',
        _rawAmqpMessage: { body: entry.message.body },
      });
    }
    return received;
  }

  settle(message: ServiceBusReceivedMessage, how: 'complete' | 'abandon' | 'deadLetter', options?: DeadLetterOptions) {
    const entry = this.#locked(message);
    if (how === 'abandon') {
      entry.lock = null;
      return;
    }
    this.#queue.splice(this.#queue.indexOf(entry), 1);
    if (how === 'complete') this.completed.push(String(entry.message.messageId));
    else this.#deadLetter(entry, options?.deadLetterReason ?? '', options?.deadLetterErrorDescription ?? '', false);
  }

  renew(message: ServiceBusReceivedMessage): Date {
    const entry = this.#locked(message);
    if (entry.lock === null) throw lockLost();
    entry.lock.lockedUntil = this.#now() + this.#options.lockDurationMs;
    return new Date(entry.lock.lockedUntil);
  }

  noteHandlers(count: number): void {
    this.maxConcurrentHandlers = Math.max(this.maxConcurrentHandlers, count);
  }

  #locked(message: ServiceBusReceivedMessage): Stored {
    const entry = this.#queue.find((stored) => stored.lock !== null && stored.lock.token === message.lockToken);
    if (entry === undefined || lockGone(entry, this.#now())) throw lockLost();
    return entry;
  }

  #deadLetter(entry: Stored, reason: string, description: string, remove = true): void {
    if (remove) this.#queue.splice(this.#queue.indexOf(entry), 1);
    this.deadLetters.push({
      messageId: String(entry.message.messageId),
      body: entry.message.body,
      reason,
      description,
      deliveryCount: entry.deliveryCount,
    });
  }

  #now(): number {
    return this.#options.now().getTime();
  }
}

export class FakeServiceBusClient implements ServiceBusQueueClient {
  closed = false;
  readonly receivers: FakeServiceBusReceiver[] = [];
  readonly senders: FakeServiceBusSender[] = [];

  constructor(readonly bus: FakeServiceBus) {}

  createReceiver(queueName: string, options?: ServiceBusReceiverOptions): FakeServiceBusReceiver {
    this.bus.receiverOptions.push(options);
    const receiver = new FakeServiceBusReceiver(this.bus, queueName, options);
    this.receivers.push(receiver);
    return receiver;
  }

  createSender(queueName: string): FakeServiceBusSender {
    const sender = new FakeServiceBusSender(this.bus, queueName);
    this.senders.push(sender);
    return sender;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const link of [...this.receivers, ...this.senders]) await link.close();
  }
}

export class FakeServiceBusReceiver implements ServiceBusReceiver {
  readonly identifier = `fake-receiver-${uuidv7().slice(-8)}`;
  readonly receiveMode: 'peekLock' | 'receiveAndDelete';
  #closed = false;
  readonly #autoRenewMs: number;
  readonly #subscriptions = new Set<Promise<void>>();

  constructor(
    readonly bus: FakeServiceBus,
    readonly entityPath: string,
    options: ServiceBusReceiverOptions | undefined,
  ) {
    this.receiveMode = options?.receiveMode ?? 'peekLock';
    this.#autoRenewMs = options?.maxAutoLockRenewalDurationInMs ?? 300_000;
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  subscribe(handlers: MessageHandlers, options?: SubscribeOptions): { close(): Promise<void> } {
    this.bus.subscribeOptions.push(options);
    const max = options?.maxConcurrentCalls ?? 1;
    let open = true;
    const inFlight = new Set<Promise<void>>();
    const pump = (async () => {
      while (open && !this.#closed) {
        const room = max - inFlight.size;
        const messages = room > 0 ? this.bus.take(room, this.#autoRenewMs) : [];
        for (const message of messages) {
          const run: Promise<void> = handlers
            .processMessage(message)
            .catch(async (error: unknown) => {
              await handlers.processError({
                error: error instanceof Error ? error : new Error(String(error)),
                errorSource: 'processMessageCallback',
                entityPath: this.entityPath,
                fullyQualifiedNamespace: 'fake.servicebus.windows.net',
                identifier: this.identifier,
              });
              try {
                this.bus.settle(message, 'abandon');
              } catch {}
            })
            .finally(() => inFlight.delete(run));
          inFlight.add(run);
          this.bus.noteHandlers(inFlight.size);
        }
        await delay(messages.length > 0 ? 0 : 5);
      }
      await Promise.all(inFlight);
    })();
    this.#subscriptions.add(pump);
    return {
      close: async () => {
        open = false;
        await pump;
        this.#subscriptions.delete(pump);
      },
    };
  }

  async receiveMessages(maxMessageCount: number): Promise<ServiceBusReceivedMessage[]> {
    this.#open();
    return this.bus.take(maxMessageCount, this.#autoRenewMs);
  }

  async completeMessage(message: ServiceBusReceivedMessage): Promise<void> {
    this.#open();
    this.bus.settle(message, 'complete');
  }

  async abandonMessage(message: ServiceBusReceivedMessage): Promise<void> {
    this.#open();
    this.bus.settle(message, 'abandon');
  }

  async deadLetterMessage(message: ServiceBusReceivedMessage, options?: DeadLetterOptions): Promise<void> {
    this.#open();
    this.bus.settle(message, 'deadLetter', options);
  }

  async renewMessageLock(message: ServiceBusReceivedMessage): Promise<Date> {
    this.#open();
    return this.bus.renew(message);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#subscriptions);
  }

  getMessageIterator(): AsyncIterableIterator<ServiceBusReceivedMessage> {
    throw unused('getMessageIterator');
  }
  async receiveDeferredMessages(): Promise<never> {
    throw unused('receiveDeferredMessages');
  }
  async peekMessages(): Promise<never> {
    throw unused('peekMessages');
  }
  async deferMessage(): Promise<never> {
    throw unused('deferMessage');
  }

  #open(): void {
    if (this.#closed) throw new Error('FakeServiceBus: the receiver is closed');
  }
}

export class FakeServiceBusSender implements ServiceBusSender {
  readonly identifier = `fake-sender-${uuidv7().slice(-8)}`;
  #closed = false;

  constructor(
    readonly bus: FakeServiceBus,
    readonly entityPath: string,
  ) {}

  get isClosed(): boolean {
    return this.#closed;
  }

  async sendMessages(messages: Parameters<ServiceBusSender['sendMessages']>[0]): Promise<void> {
    if (this.#closed) throw new Error('FakeServiceBus: the sender is closed');
    if (!Array.isArray(messages) && !('body' in messages)) throw unused('sendMessages(batch)');
    this.bus.send((Array.isArray(messages) ? messages : [messages]) as ServiceBusMessage[]);
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  async createMessageBatch(): Promise<never> {
    throw unused('createMessageBatch');
  }
  async scheduleMessages(): Promise<never> {
    throw unused('scheduleMessages');
  }
  async cancelScheduledMessages(): Promise<never> {
    throw unused('cancelScheduledMessages');
  }
}

function lockGone(entry: Stored, now: number): boolean {
  if (entry.lock === null) return true;
  const renewedUntil = entry.lock.receivedAt + entry.lock.autoRenewMs;
  return now >= Math.max(entry.lock.lockedUntil, renewedUntil);
}

function lockLost(): ServiceBusError {
  return new ServiceBusError('FakeServiceBus: the lock supplied is invalid or has expired', 'MessageLockLost');
}

function unused(method: string): Error {
  return new Error(`FakeServiceBus: ${method} is not used by Till and not imitated`);
}

function wire(body: unknown): unknown {
  return body === undefined ? undefined : JSON.parse(JSON.stringify(body));
}
