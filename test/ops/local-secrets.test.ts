import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../lib/config';
import { localPayloadKeys, withLocalSecrets } from '../../workers/demo/secrets';

/** The keys `npm run demo` and `scaleflow dev` make up when the environment has none. */
describe('local secrets (data/local-secrets.json)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'scaleflow-secrets-'));
    file = join(dir, 'data', 'local-secrets.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const mode = (path: string) => statSync(path).mode & 0o777;
  const ENV_KEY = 'env-approval-secret-0123456789abcdef0123';

  it('makes the keys once, owner-only (0600), and gives the same ones to the next run', () => {
    const first = withLocalSecrets(parseConfig({}), file);
    expect(mode(file)).toBe(0o600);
    const kept = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(Object.keys(kept).sort()).toEqual(['APPROVAL_SECRET', 'AUDIT_SECRET', 'JWT_SECRET', 'PAYLOAD_KEYS']);
    // The payload key: id local1 and 32 random bytes in base64, 4 * ceil(32 / 3) = 44 characters.
    expect(kept.PAYLOAD_KEYS).toMatch(/^local1:[A-Za-z0-9+/]{43}=$/);
    expect(first.config.PAYLOAD_KEYS).toEqual([
      { id: 'local1', key: Buffer.from(kept.PAYLOAD_KEYS!.slice('local1:'.length), 'base64') },
    ]);
    // A command run beside the demo (`scaleflow run`, replay) reads the same key, and never makes one.
    expect(localPayloadKeys(file)).toEqual(first.config.PAYLOAD_KEYS);
    expect(localPayloadKeys(join(dir, 'none.json'))).toBeUndefined();
    expect(existsSync(join(dir, 'none.json'))).toBe(false);
    // 32 random bytes in base64url: ceil(32 * 8 / 6) = 43 characters, over the schema's 32.
    expect(kept.APPROVAL_SECRET).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(kept.JWT_SECRET).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(kept.AUDIT_SECRET).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set([kept.APPROVAL_SECRET, kept.JWT_SECRET, kept.AUDIT_SECRET]).size).toBe(3);
    expect(first.config).toMatchObject({
      APPROVAL_SECRET: kept.APPROVAL_SECRET,
      JWT_SECRET: kept.JWT_SECRET,
      AUDIT_SECRET: kept.AUDIT_SECRET,
    });

    const second = withLocalSecrets(parseConfig({}), file);
    expect(second.config.APPROVAL_SECRET).toBe(kept.APPROVAL_SECRET);
    expect(second.config.JWT_SECRET).toBe(kept.JWT_SECRET);
    expect(second.config.AUDIT_SECRET).toBe(kept.AUDIT_SECRET);
    expect(second.config.PAYLOAD_KEYS).toEqual(first.config.PAYLOAD_KEYS);
    // The notes name the file, never a key.
    for (const note of [...first.notes, ...second.notes]) {
      expect(note).toContain(file);
      expect(note).not.toContain(kept.APPROVAL_SECRET);
      expect(note).not.toContain(kept.JWT_SECRET);
      expect(note).not.toContain(kept.AUDIT_SECRET);
      expect(note).not.toContain(kept.PAYLOAD_KEYS!.slice('local1:'.length));
    }
  });

  it('lets a key from the environment win, and never copies it into the file', () => {
    withLocalSecrets(parseConfig({}), file);
    const kept = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    const { config, notes } = withLocalSecrets(parseConfig({ APPROVAL_SECRET: ENV_KEY }), file);
    expect(config.APPROVAL_SECRET).toBe(ENV_KEY);
    expect(config.JWT_SECRET).toBe(kept.JWT_SECRET);
    expect(notes.join('\n')).toMatch(/^JWT_SECRET, AUDIT_SECRET and PAYLOAD_KEYS are not set/);
    expect(readFileSync(file, 'utf8')).not.toContain(ENV_KEY);

    // Both set: the file is neither read nor made.
    const elsewhere = join(dir, 'other', 'local-secrets.json');
    const payloadKeys = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
    const both = withLocalSecrets(
      parseConfig({
        APPROVAL_SECRET: ENV_KEY,
        JWT_SECRET: `${ENV_KEY}-jwt`,
        AUDIT_SECRET: `${ENV_KEY}-audit`,
        PAYLOAD_KEYS: payloadKeys,
      }),
      elsewhere,
    );
    expect(both).toEqual({
      config: expect.objectContaining({
        APPROVAL_SECRET: ENV_KEY,
        JWT_SECRET: `${ENV_KEY}-jwt`,
        AUDIT_SECRET: `${ENV_KEY}-audit`,
      }),
      notes: [],
    });
    expect(existsSync(elsewhere)).toBe(false);
  });

  it('makes a loosened file owner-only again, and adds a missing key without changing the kept one', () => {
    withLocalSecrets(parseConfig({ JWT_SECRET: `${ENV_KEY}-jwt`, AUDIT_SECRET: `${ENV_KEY}-audit` }), file);
    const kept = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(Object.keys(kept)).toEqual(['APPROVAL_SECRET', 'PAYLOAD_KEYS']);
    chmodSync(file, 0o644);
    const { config } = withLocalSecrets(parseConfig({}), file);
    expect(mode(file)).toBe(0o600);
    expect(config.APPROVAL_SECRET).toBe(kept.APPROVAL_SECRET);
    // A file made before AUDIT_SECRET existed gains it the same way.
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      APPROVAL_SECRET: kept.APPROVAL_SECRET,
      PAYLOAD_KEYS: kept.PAYLOAD_KEYS,
      JWT_SECRET: config.JWT_SECRET,
      AUDIT_SECRET: config.AUDIT_SECRET,
    });
  });

  it('stops naming the file and the key when the file is damaged, without quoting it', () => {
    withLocalSecrets(parseConfig({}), file);
    const short = 'too-short-to-sign-with';
    writeFileSync(file, JSON.stringify({ APPROVAL_SECRET: short }));
    const problem = (() => {
      try {
        withLocalSecrets(parseConfig({}), file);
      } catch (err) {
        return err;
      }
    })();
    expect(problem).toBeInstanceOf(ConfigError);
    expect((problem as Error).message).toContain(`${file}: APPROVAL_SECRET: at least 32 characters`);
    expect((problem as Error).message).not.toContain(short);

    const damagedKey = `local1:${Buffer.alloc(31, 7).toString('base64')}`;
    writeFileSync(file, JSON.stringify({ PAYLOAD_KEYS: damagedKey }));
    expect(() => withLocalSecrets(parseConfig({}), file)).toThrow(`${file}: PAYLOAD_KEYS: not id:<base64 of 32 bytes>`);
    expect(() => withLocalSecrets(parseConfig({}), file)).not.toThrow(damagedKey);

    writeFileSync(file, `{"APPROVAL_SECRET": "${short}`);
    expect(() => withLocalSecrets(parseConfig({}), file)).toThrow(`${file} is not JSON`);
  });
});
