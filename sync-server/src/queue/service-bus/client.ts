import type { ServiceBusClient } from '@azure/service-bus';
import type { ServiceBusConnection } from '../queue-config.ts';

/**
 * The process's ONE `ServiceBusClient` (one AMQP connection, shared by the relay's sender and
 * the consumer's receiver); the capture-worker plugin makes it and closes it at shutdown.
 *
 * By connection string, or by Entra ID through `DefaultAzureCredential`: on App Service that is
 * the app's managed identity (set AZURE_CLIENT_ID to pick a user-assigned one), on a laptop
 * `az login`. The identity needs "Azure Service Bus Data Sender" and "Data Receiver" on the
 * queue or namespace. Loaded on demand: a SQL-outbox server never loads the Azure SDKs.
 */
export async function createServiceBusClient(
  connection: ServiceBusConnection,
  identifier: string,
): Promise<ServiceBusClient> {
  const { ServiceBusClient } = await import('@azure/service-bus');
  const options = { identifier };
  if (connection.kind === 'connection-string') return new ServiceBusClient(connection.connectionString, options);
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new ServiceBusClient(connection.fullyQualifiedNamespace, new DefaultAzureCredential(), options);
}
