import { Client, Connection } from '@temporalio/client';
import type { Config } from '../lib/config';
import { dataConverter, payloadKeysFor } from './data-converter';

/**
 * A client that encrypts what it sends and decrypts what it reads with PAYLOAD_KEYS, as the worker
 * does. `keys: 'optional'` is for commands that only read histories (export, replay).
 */
export async function connectClient(
  config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'PAYLOAD_KEYS'>,
  { keys = 'required' }: { keys?: 'required' | 'optional' } = {},
): Promise<Client> {
  const converter = dataConverter(payloadKeysFor(config, keys === 'required'));
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: converter });
}
