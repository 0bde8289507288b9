import { isServiceBusError, type ServiceBusReceivedMessage, type ServiceBusReceiver } from '@azure/service-bus';
import type { FastifyBaseLogger } from 'fastify';
import { redactSecrets } from '../../payments/redact.ts';

/** `deadLetterReason`s this queue writes; the description says the rest. */
export const DEAD_LETTER_REASONS = {
  undecodable: 'UndecodableMessage',
  notFound: 'PaymentNotFound',
  quarantined: 'PaymentQuarantined',
  repeatedFailures: 'RepeatedFailures',
} as const;

export interface ServiceBusQueueStats {
  received: number;
  /** Payments claimed and run through the gateway. */
  worked: number;
  /** Messages completed without a gateway call: the payment was final, set aside, busy or not due. */
  skipped: number;
  abandoned: number;
  deadLettered: number;
  /** Settlements refused because the lock was gone; the outcome was already in SQL. */
  lockLost: number;
}

export type Settlement =
  | { kind: 'complete' }
  | { kind: 'abandon' }
  | { kind: 'deadLetter'; reason: string; description: string };

/**
 * Settles a capture message — always after SQL has what happened. A lock that is gone by then
 * (renewal failed, the link dropped, the handler outlived it) is not an error of the payment:
 * the message comes back, and its next delivery finds the outcome in SQL and completes without
 * a gateway call. Never throws.
 */
export async function settle(
  receiver: Pick<ServiceBusReceiver, 'completeMessage' | 'abandonMessage' | 'deadLetterMessage'>,
  message: ServiceBusReceivedMessage,
  settlement: Settlement,
  stats: ServiceBusQueueStats,
  log: FastifyBaseLogger,
): Promise<void> {
  try {
    if (settlement.kind === 'complete') {
      await receiver.completeMessage(message);
    } else if (settlement.kind === 'abandon') {
      await receiver.abandonMessage(message);
      stats.abandoned += 1;
    } else {
      await receiver.deadLetterMessage(message, {
        deadLetterReason: settlement.reason,
        deadLetterErrorDescription: redactSecrets(settlement.description).slice(0, 1024),
      });
      stats.deadLettered += 1;
      log.warn(
        { messageId: message.messageId, reason: settlement.reason, description: settlement.description },
        'capture message dead-lettered',
      );
    }
  } catch (error) {
    if (isServiceBusError(error) && (error.code === 'MessageLockLost' || error.code === 'SessionLockLost')) {
      stats.lockLost += 1;
      log.warn(
        { messageId: message.messageId, settlement: settlement.kind },
        'capture message lock lost before settling; it will be delivered again and find the outcome in SQL',
      );
      return;
    }
    // E.g. ServiceTimeout: settled or not, a later delivery finds the truth in SQL.
    log.error({ err: error, messageId: message.messageId }, 'settling a capture message failed');
  }
}
