/**
 * The capture queue's settings (CAPTURE_QUEUE and the Service Bus ones). Read by `loadConfig`
 * (config.ts), the one place the environment is read; this file only parses and checks.
 */

export type CaptureQueueConfig = { kind: 'sql' } | ServiceBusQueueConfig;

export interface ServiceBusQueueConfig {
  kind: 'servicebus';
  connection: ServiceBusConnection;
  /** The queue (duplicate detection on; see the sync-server README). */
  queueName: string;
  /** Failed deliveries before a message is dead-lettered and its payment set aside. */
  maxDelivery: number;
}

export type ServiceBusConnection =
  /** A SAS connection string (Send and Listen). A secret: never logged, never in a problem text. */
  | { kind: 'connection-string'; connectionString: string }
  /** Entra ID: a managed identity (or any DefaultAzureCredential source) with the Data Sender and Receiver roles. */
  | { kind: 'entra-id'; fullyQualifiedNamespace: string };

export const CAPTURE_QUEUE_SETTINGS = [
  {
    name: 'CAPTURE_QUEUE',
    default: 'sql',
    description: 'sql | servicebus: how due card captures reach the capture workers (SQL outbox, or Azure Service Bus)',
  },
  {
    name: 'SERVICE_BUS_CONNECTION_STRING',
    default: '(unset)',
    description: 'servicebus: a namespace connection string with Send and Listen (never logged); or …',
  },
  {
    name: 'SERVICE_BUS_NAMESPACE',
    default: '(unset)',
    description: '… the namespace (`name.servicebus.windows.net`), reached with Entra ID (managed identity)',
  },
  { name: 'SERVICE_BUS_QUEUE', default: 'captures', description: 'servicebus: the queue (duplicate detection on)' },
  {
    name: 'CAPTURE_MAX_DELIVERY',
    default: '5',
    description:
      "servicebus: failed deliveries of a message before it is dead-lettered and its payment quarantined; below the queue's MaxDeliveryCount",
  },
] as const;

const QUEUE_NAME = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,259}$/;
const HOST_LABELS = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;

/** Parses the capture queue settings; every problem goes to `problems` (no secret in them). */
export function parseCaptureQueue(
  text: (name: string) => string | undefined,
  integer: (name: string, fallback: number, min: number, max: number) => number,
  problems: string[],
): CaptureQueueConfig {
  const kind = (text('CAPTURE_QUEUE') ?? 'sql').toLowerCase();
  if (kind === 'sql') return { kind: 'sql' };
  if (kind !== 'servicebus') {
    problems.push(`CAPTURE_QUEUE must be sql or servicebus, got "${kind}"`);
    return { kind: 'sql' };
  }
  const queueName = text('SERVICE_BUS_QUEUE') ?? 'captures';
  if (!QUEUE_NAME.test(queueName)) problems.push(`SERVICE_BUS_QUEUE is not a Service Bus queue name: "${queueName}"`);
  const maxDelivery = integer('CAPTURE_MAX_DELIVERY', 5, 1, 100);
  const connectionString = text('SERVICE_BUS_CONNECTION_STRING');
  const namespace = text('SERVICE_BUS_NAMESPACE');
  const fallback: ServiceBusQueueConfig = {
    kind: 'servicebus',
    connection: { kind: 'entra-id', fullyQualifiedNamespace: '' },
    queueName,
    maxDelivery,
  };
  if ((connectionString === undefined) === (namespace === undefined)) {
    problems.push(
      'CAPTURE_QUEUE=servicebus needs exactly one of SERVICE_BUS_CONNECTION_STRING or SERVICE_BUS_NAMESPACE (Entra ID)',
    );
    return fallback;
  }
  if (connectionString !== undefined) {
    const fields = connectionStringFields(connectionString);
    if (
      !/^sb:\/\//i.test(fields.get('endpoint') ?? '') ||
      !(fields.has('sharedaccesskeyname') || fields.has('sharedaccesssignature'))
    ) {
      problems.push(
        'SERVICE_BUS_CONNECTION_STRING must look like Endpoint=sb://….servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…',
      );
      return fallback;
    }
    const entityPath = fields.get('entitypath');
    if (entityPath !== undefined && entityPath !== queueName) {
      problems.push(
        `SERVICE_BUS_CONNECTION_STRING is scoped to entity "${entityPath}", not SERVICE_BUS_QUEUE "${queueName}"`,
      );
    }
    return { ...fallback, connection: { kind: 'connection-string', connectionString } };
  }
  const host = (namespace ?? '')
    .replace(/^sb:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
  if (!HOST_LABELS.test(host)) {
    problems.push(`SERVICE_BUS_NAMESPACE must be a namespace name or host name, got "${namespace}"`);
    return fallback;
  }
  const fullyQualifiedNamespace = host.includes('.') ? host : `${host}.servicebus.windows.net`;
  return { ...fallback, connection: { kind: 'entra-id', fullyQualifiedNamespace } };
}

function connectionStringFields(connectionString: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) fields.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  return fields;
}
