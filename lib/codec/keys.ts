/**
 * PAYLOAD_KEYS: `id:<base64 of 32 bytes>` entries, comma-separated. The first encrypts; every one
 * decrypts, so a rotated-out key stays listed until no history still needs it.
 */
export interface PayloadKey {
  id: string;
  key: Buffer;
}

const ID = /^[A-Za-z0-9_.-]{1,64}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The keys in order, or a problem that names the entry by position and never quotes it (it is secret). */
export function parsePayloadKeys(value: string): { keys: PayloadKey[] } | { problem: string } {
  const entries = value.split(',').map((e) => e.trim());
  const keys: PayloadKey[] = [];
  for (const [i, entry] of entries.entries()) {
    const where = `entry ${i + 1} of ${entries.length}`;
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon);
    const encoded = colon < 0 ? '' : entry.slice(colon + 1);
    if (!ID.test(id))
      return { problem: `${where}: expected id:<base64 of 32 random bytes>, the id of letters, digits, _ . or -` };
    if (!BASE64.test(encoded) || Buffer.from(encoded, 'base64').length !== 32) {
      return {
        problem: `${where} (id ${id}): the key is not the base64 of exactly 32 bytes (openssl rand -base64 32 makes one)`,
      };
    }
    if (keys.some((k) => k.id === id)) return { problem: `${where}: id ${id} is listed twice` };
    keys.push({ id, key: Buffer.from(encoded, 'base64') });
  }
  return { keys };
}

/** A fresh single-key value, for the local demo's secrets file. */
export function formatPayloadKey(id: string, key: Buffer): string {
  return `${id}:${key.toString('base64')}`;
}
