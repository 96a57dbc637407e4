import { Client } from '@temporalio/client';
import type { Config } from '../lib/config';
import { dataConverter, payloadKeysFor } from './data-converter';
import { connectClientConnection } from './temporal-connection';

/**
 * A client that encrypts what it sends and decrypts what it reads with PAYLOAD_KEYS, as the worker
 * does. `keys: 'optional'` is for commands that only read histories (export, replay).
 */
export async function connectClient(
  config: Parameters<typeof connectClientConnection>[0] & Pick<Config, 'PAYLOAD_KEYS'>,
  { keys = 'required' }: { keys?: 'required' | 'optional' } = {},
): Promise<Client> {
  const converter = dataConverter(payloadKeysFor(config, keys === 'required'));
  const connection = await connectClientConnection(config);
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: converter });
}
