import { describe, expect, it } from 'vitest';
import type { Payload } from '@temporalio/common';
import { EncryptionCodec } from '../../lib/codec/encryption';
import { parsePayloadKeys, type PayloadKey } from '../../lib/codec/keys';
import { ConfigError, parseConfig } from '../../lib/config';
import { spawnWorker } from '../support/processes';

const b64 = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const keys = (value: string) => (parsePayloadKeys(value) as { keys: PayloadKey[] }).keys;
const json = (value: unknown): Payload => ({
  metadata: { encoding: Buffer.from('json/plain') },
  data: Buffer.from(JSON.stringify(value)),
});
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes!).toString('utf8');
const EMAIL = 'approver@example.com';
/** A payload as text, to compare what went in with what came out. */
const plain = (ps: Payload[]) =>
  ps.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, text(v)])),
    data: text(p.data),
  }));

describe('payload encryption (AES-256-GCM, PAYLOAD_KEYS)', () => {
  it('encrypts with the first key, under its id, with a fresh IV each time; the value and its encoding are hidden', async () => {
    const codec = new EncryptionCodec(keys(`k2:${b64(2)},k1:${b64(1)}`));
    const [a, b] = await codec.encode([json({ approver: EMAIL }), json({ approver: EMAIL })]);
    expect(text(a!.metadata!.encoding)).toBe('binary/encrypted');
    expect(text(a!.metadata!['encryption-key-id'])).toBe('k2');
    expect(Object.keys(a!.metadata!).sort()).toEqual(['encoding', 'encryption-key-id']);
    for (const p of [a!, b!]) {
      expect(Buffer.from(p.data!).includes(EMAIL)).toBe(false);
      expect(Buffer.from(p.data!).includes('json/plain')).toBe(false);
    }
    // Same value, different ciphertext: a random 12-byte IV per payload (the first 12 bytes).
    expect(Buffer.from(a!.data!).subarray(0, 12).equals(Buffer.from(b!.data!).subarray(0, 12))).toBe(false);
    expect(plain(await codec.decode([a!, b!]))).toEqual(plain([json({ approver: EMAIL }), json({ approver: EMAIL })]));
  });

  it('reads payloads of a rotated-out key while it stays listed, and names the key once it is dropped', async () => {
    const [old] = await new EncryptionCodec(keys(`k1:${b64(1)}`)).encode([json('before rotation')]);
    expect(plain(await new EncryptionCodec(keys(`k2:${b64(2)},k1:${b64(1)}`)).decode([old!]))).toEqual(
      plain([json('before rotation')]),
    );
    await expect(new EncryptionCodec(keys(`k2:${b64(2)}`)).decode([old!])).rejects.toThrow(
      'a payload is encrypted with key k1, which PAYLOAD_KEYS does not hold',
    );
    await expect(new EncryptionCodec([]).decode([old!])).rejects.toThrow(
      'a payload is encrypted with key k1 and PAYLOAD_KEYS is not set',
    );
    // Keyless is replay's reader: what replay encodes is compared and dropped, so it stays as it was.
    expect(await new EncryptionCodec([]).encode([json('replayed')])).toEqual([json('replayed')]);
  });

  it('passes payloads in clear through decode (histories recorded before encryption), and refuses altered ones', async () => {
    const codec = new EncryptionCodec(keys(`k1:${b64(1)}`));
    expect(await codec.decode([json('old history')])).toEqual([json('old history')]);
    const [sealed] = await codec.encode([json('x')]);
    const flipped = Buffer.from(sealed!.data!);
    flipped.writeUInt8(flipped[20]! ^ 1, 20);
    await expect(codec.decode([{ ...sealed, data: flipped }])).rejects.toThrow('does not decrypt with key k1');
    // Relabelled with another listed key's id: the id is authenticated too.
    const two = new EncryptionCodec(keys(`k1:${b64(1)},k2:${b64(1)}`));
    await expect(
      two.decode([{ ...sealed, metadata: { ...sealed!.metadata, 'encryption-key-id': Buffer.from('k2') } }]),
    ).rejects.toThrow('does not decrypt with key k2');
  });

  it('stops on a malformed PAYLOAD_KEYS naming the variable and the entry, never echoing the value', () => {
    const cases: [string, string][] = [
      [
        `k1:${Buffer.alloc(16, 9).toString('base64')}`,
        'entry 1 of 1 (id k1): the key is not the base64 of exactly 32 bytes',
      ],
      [`k1:${b64(1)},${b64(2)}`, 'entry 2 of 2: expected id:<base64 of 32 random bytes>'],
      [`k1:${b64(1)},k1:${b64(2)}`, 'entry 2 of 2: id k1 is listed twice'],
      [`k1:${b64(1).slice(0, -1)}!`, 'entry 1 of 1 (id k1): the key is not the base64'],
    ];
    for (const [value, problem] of cases) {
      let error: unknown;
      try {
        parseConfig({ PAYLOAD_KEYS: value });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(`PAYLOAD_KEYS: ${problem}`);
      expect((error as Error).message).not.toContain(value.split(',').at(-1)!.split(':').at(-1)!.slice(0, 12));
    }
    expect(parseConfig({ PAYLOAD_KEYS: ` k2:${b64(2)} , k1:${b64(1)}` }).PAYLOAD_KEYS!.map((k) => k.id)).toEqual([
      'k2',
      'k1',
    ]);
  });

  it('the worker process refuses to start without PAYLOAD_KEYS (exit 78, the variable named), and with a malformed one without echoing it', async () => {
    const secret = Buffer.alloc(20, 5).toString('base64');
    // Side by side: most of each is Node loading the worker's modules.
    const unset = spawnWorker({ PAYLOAD_KEYS: '' });
    const malformed = spawnWorker({ PAYLOAD_KEYS: `k1:${secret}` });
    expect(await unset.exited).toBe(78);
    expect(unset.output()).toContain('PAYLOAD_KEYS: not set');
    expect(await malformed.exited).toBe(78);
    expect(malformed.output()).toContain('PAYLOAD_KEYS: entry 1 of 1 (id k1)');
    expect(malformed.output()).not.toContain(secret);
  });
});
