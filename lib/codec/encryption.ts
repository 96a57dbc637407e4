import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
// A CommonJS package: Node's ESM loader (the compiled dist/) sees only its default export.
import proto from '@temporalio/proto';
import type { PayloadKey } from './keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const { Payload: PayloadMessage } = proto.temporal.api.common.v1;
const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

export class PayloadKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadKeyError';
  }
}

/**
 * AES-256-GCM over the whole serialized payload (its metadata too, so the encoding and type of a
 * value are hidden with it), a random 12-byte IV each time, stored as iv | ciphertext | tag. The key
 * id is authenticated as associated data, so a payload relabelled with another id does not decrypt.
 * Payloads that are not encrypted pass through decode untouched: histories recorded before
 * encryption still replay and still show in the Web UI.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly byId: ReadonlyMap<string, Buffer>;
  private readonly current: PayloadKey | undefined;

  /**
   * With no keys it only reads: payloads in clear pass, encrypted ones fail naming PAYLOAD_KEYS. Only
   * replay and history export are built so; every worker and client that writes has keys.
   */
  constructor(keys: PayloadKey[]) {
    this.current = keys[0];
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  private encrypt(payload: Payload): Payload {
    // Without keys this codec is a reader's (replay, history export): what replay encodes is compared
    // with the history and dropped, never sent or kept.
    if (!this.current) return payload;
    const { id, key } = this.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(id, 'utf8'));
    const plain = PayloadMessage.encode(payload).finish();
    const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(id, 'utf8') },
      data,
    };
  }

  private decrypt(payload: Payload): Payload {
    if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
    const id = text(payload.metadata?.[KEY_ID_METADATA]);
    if (!id) throw new PayloadKeyError(`an encrypted payload carries no ${KEY_ID_METADATA}`);
    const key = this.byId.get(id);
    if (!key) {
      throw new PayloadKeyError(
        this.byId.size === 0
          ? `a payload is encrypted with key ${id} and PAYLOAD_KEYS is not set`
          : `a payload is encrypted with key ${id}, which PAYLOAD_KEYS does not hold (list it after the current key)`,
      );
    }
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES)
      throw new PayloadKeyError(`a payload encrypted with key ${id} is truncated`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(id, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadKeyError(
        `a payload does not decrypt with key ${id}: it was altered, or PAYLOAD_KEYS holds another key under that id`,
      );
    }
    // A plain object, as the SDK's own converters produce, not a protobuf message instance.
    const decoded = PayloadMessage.decode(plain);
    return { metadata: { ...decoded.metadata }, data: decoded.data };
  }
}
