import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { createServiceBusClient } from './service-bus/client.ts';

const CONNECTION_STRING =
  'Endpoint=sb://till-test.servicebus.windows.net/;SharedAccessKeyName=till;SharedAccessKey=c2VjcmV0LW5ldmVyLWxvZ2dlZA==';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig: capture queue', () => {
  it('[config] the SQL outbox by default', () => {
    expect(loadConfig({}).captureQueue).toEqual({ kind: 'sql' });
  });

  it('[config] Service Bus by namespace (Entra ID): a bare name becomes the namespace host; queue captures, 5 deliveries', () => {
    expect(loadConfig({ CAPTURE_QUEUE: 'ServiceBus', SERVICE_BUS_NAMESPACE: 'till-prod' }).captureQueue).toEqual({
      kind: 'servicebus',
      connection: { kind: 'entra-id', fullyQualifiedNamespace: 'till-prod.servicebus.windows.net' },
      queueName: 'captures',
      maxDelivery: 5,
    });
  });

  it('[config] Service Bus by connection string, with its queue and delivery limit', () => {
    const config = loadConfig({
      CAPTURE_QUEUE: 'servicebus',
      SERVICE_BUS_CONNECTION_STRING: CONNECTION_STRING,
      SERVICE_BUS_QUEUE: 'captures-eu',
      CAPTURE_MAX_DELIVERY: '4',
    });
    expect(config.captureQueue).toEqual({
      kind: 'servicebus',
      connection: { kind: 'connection-string', connectionString: CONNECTION_STRING },
      queueName: 'captures-eu',
      maxDelivery: 4,
    });
  });

  it('[config] what cannot work is refused, and no problem text repeats the connection string', () => {
    expect(problemsOf({ CAPTURE_QUEUE: 'kafka' })).toEqual(['CAPTURE_QUEUE must be sql or servicebus, got "kafka"']);
    expect(problemsOf({ CAPTURE_QUEUE: 'servicebus' })).toEqual([
      'CAPTURE_QUEUE=servicebus needs exactly one of SERVICE_BUS_CONNECTION_STRING or SERVICE_BUS_NAMESPACE (Entra ID)',
    ]);
    const both = {
      CAPTURE_QUEUE: 'servicebus',
      SERVICE_BUS_NAMESPACE: 'x',
      SERVICE_BUS_CONNECTION_STRING: CONNECTION_STRING,
    };
    expect(problemsOf(both)).toHaveLength(1);
    const problems = [
      ...problemsOf({ CAPTURE_QUEUE: 'servicebus', SERVICE_BUS_CONNECTION_STRING: 'SharedAccessKey=secret-value' }),
      ...problemsOf({
        CAPTURE_QUEUE: 'servicebus',
        SERVICE_BUS_CONNECTION_STRING: `${CONNECTION_STRING};EntityPath=other`,
        CAPTURE_MAX_DELIVERY: '0',
        SERVICE_BUS_QUEUE: 'bad queue',
      }),
    ];
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).not.toMatch(/secret-value|c2VjcmV0/);
    expect(problems.join('\n')).toContain('scoped to entity "other"');
  });

  it('[config] the one ServiceBusClient is made from either connection without touching the network', async () => {
    const byKey = await createServiceBusClient(
      { kind: 'connection-string', connectionString: CONNECTION_STRING },
      'till-a',
    );
    expect(byKey.fullyQualifiedNamespace).toBe('till-test.servicebus.windows.net');
    expect(byKey.identifier).toBe('till-a');
    await byKey.close();
    const byIdentity = await createServiceBusClient(
      { kind: 'entra-id', fullyQualifiedNamespace: 'till-prod.servicebus.windows.net' },
      'till-b',
    );
    expect(byIdentity.fullyQualifiedNamespace).toBe('till-prod.servicebus.windows.net');
    await byIdentity.close();
  });
});
