import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { z } from 'zod';
import { dataDir, rootDir } from '../../services/paths';
import { formatPayloadKey, parsePayloadKeys, type PayloadKey } from '../../lib/codec/keys';
import { ConfigError, configSchema, type Config } from '../../lib/config';

/**
 * The signing keys `npm run demo` and `scaleflow dev` make up when the environment has none, kept
 * in a git-ignored file readable by its owner only, so a link printed by one run is still valid
 * in the next. A key set in the environment always wins and is never copied into the file.
 */
export const LOCAL_SECRETS_FILE = join(dataDir, 'local-secrets.json');

const GENERATED = ['APPROVAL_SECRET', 'JWT_SECRET', 'AUDIT_SECRET', 'PAYLOAD_KEYS'] as const;

/** Kept as written (PAYLOAD_KEYS as its `id:base64` text), checked as the configuration would check it. */
const localSecretsSchema = z.strictObject({
  APPROVAL_SECRET: configSchema.shape.APPROVAL_SECRET,
  JWT_SECRET: configSchema.shape.JWT_SECRET,
  AUDIT_SECRET: configSchema.shape.AUDIT_SECRET,
  PAYLOAD_KEYS: z
    .string()
    .refine((v) => 'keys' in parsePayloadKeys(v), 'not id:<base64 of 32 bytes>')
    .optional(),
});
type LocalSecrets = z.infer<typeof localSecretsSchema>;

function readSecrets(file: string): LocalSecrets {
  if (!existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // The parser's message may quote the file, and the file is secret.
    throw new ConfigError([
      `${file} is not JSON; delete it and new keys are made (links signed with the old ones stop working)`,
    ]);
  }
  const parsed = localSecretsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError([`${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}`]);
  }
  return parsed.data;
}

/** Written whole and created 0600, so the keys are never readable by others, not even for a moment. */
function writeSecrets(file: string, secrets: LocalSecrets): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  rmSync(temporary, { force: true }); // created afresh ('wx'), so the mode below is the file's
  writeFileSync(temporary, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(temporary, file);
}

/**
 * `base` with every unset generated secret filled from the file (made and saved on first use).
 * The notes say which keys came from the file, never their values.
 */
export function withLocalSecrets(base: Config, file = LOCAL_SECRETS_FILE): { config: Config; notes: string[] } {
  const missing = GENERATED.filter((name) => !base[name]);
  if (missing.length === 0) return { config: base, notes: [] };
  const kept = readSecrets(file);
  // A file someone loosened (a copy, a checkout tool) is made private again before it is used.
  if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const made = missing.filter((name) => !kept[name]);
  const secrets: LocalSecrets = { ...kept };
  for (const name of made)
    secrets[name] =
      name === 'PAYLOAD_KEYS' ? formatPayloadKey('local1', randomBytes(32)) : randomBytes(32).toString('base64url');
  if (made.length) writeSecrets(file, secrets);
  const config = { ...base };
  for (const name of missing) {
    if (name === 'PAYLOAD_KEYS') config.PAYLOAD_KEYS = keysOf(secrets.PAYLOAD_KEYS!);
    else config[name] = secrets[name];
  }
  const kind = missing.length > 1 ? 'are' : 'is';
  const names = missing.length > 1 ? `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}` : missing[0];
  return {
    config,
    notes: [
      `${names} ${kind} not set: using the local keys kept in ${file.startsWith(rootDir) ? relative(rootDir, file) : file} (made on first use, mode 0600)`,
    ],
  };
}

function keysOf(value: string): PayloadKey[] {
  const parsed = parsePayloadKeys(value);
  if ('problem' in parsed) throw new ConfigError([`PAYLOAD_KEYS in the local secrets file: ${parsed.problem}`]);
  return parsed.keys;
}

/**
 * The payload keys the local demo made, for a command run beside `scaleflow dev` with PAYLOAD_KEYS
 * unset; read only (a command never makes keys: data it encrypted with a key nobody kept would be
 * lost). Undefined when there is no such file or key.
 */
export function localPayloadKeys(file = LOCAL_SECRETS_FILE): PayloadKey[] | undefined {
  const value = readSecrets(file).PAYLOAD_KEYS;
  return value === undefined ? undefined : keysOf(value);
}
