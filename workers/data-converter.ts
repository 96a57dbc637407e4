import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from '../lib/codec/encryption';
import type { PayloadKey } from '../lib/codec/keys';
import { ConfigError, type Config } from '../lib/config';
import { localPayloadKeys } from './demo/secrets';

/** Every worker, client and replay of scaleflow encrypts and decrypts payloads through this. */
export function dataConverter(keys: PayloadKey[]): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keys)] };
}

/**
 * The keys a command talks to Temporal with: PAYLOAD_KEYS, else the local demo's (a command run
 * beside `scaleflow dev`). `required`: stop naming the variable rather than write payloads in clear
 * or fail later on the first encrypted result. Otherwise (replay, history export) no keys is a
 * read-only codec: histories in clear still replay.
 */
export function payloadKeysFor(config: Pick<Config, 'PAYLOAD_KEYS'>, required: boolean): PayloadKey[] {
  const keys = config.PAYLOAD_KEYS ?? localPayloadKeys();
  if (keys) return keys;
  if (!required) return [];
  throw new ConfigError([
    'PAYLOAD_KEYS: not set; Temporal payloads are encrypted with it (id:<base64 of 32 random bytes>, e.g. k1:$(openssl rand -base64 32)); ' +
      '`npm run demo` and `scaleflow dev` make a local one',
  ]);
}

/**
 * The worker's keys. It never runs without: its histories hold approvers' emails, IPs and browsers,
 * and are kept and exported. The demo and `scaleflow dev` fill PAYLOAD_KEYS from the local secrets file.
 */
export function workerPayloadKeys(config: Pick<Config, 'PAYLOAD_KEYS'>): PayloadKey[] {
  if (config.PAYLOAD_KEYS) return config.PAYLOAD_KEYS;
  throw new ConfigError([
    'PAYLOAD_KEYS: not set; the worker encrypts every Temporal payload with it (id:<base64 of 32 random bytes>, e.g. k1:$(openssl rand -base64 32)); ' +
      '`npm run demo` and `scaleflow dev` make a local one',
  ]);
}
