import { describe, expect, it } from 'vitest';
import { ConfigError, isSecretName, parseConfig } from '../../lib/config';
import { spawnCli, spawnWorker } from '../support/processes';

/**
 * Issue 16 item 7: a malformed secret was printed verbatim in the start-up error
 * (`JWT_SECRET="<the value>": at least 32 characters`). Each value below carries a marker; the
 * real processes must stop (exit 78) naming the variable and what it expects, and the marker
 * must appear nowhere in what they print.
 */
const MARKER = 'LEAKMARK7q2x';
const malformed = {
  JWT_SECRET: `${MARKER}-short`, // under 32 characters
  APPROVAL_SECRET: `${MARKER}-short`,
  SMTP_URL: `smtp://mailer:${MARKER}@`, // a password in a URL without a host
};

function problemOf(env: Record<string, string>): string {
  try {
    parseConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('parseConfig accepted a malformed environment');
}

describe('a malformed secret is named at start-up, never quoted', () => {
  it('the worker stops (78) naming JWT_SECRET, APPROVAL_SECRET and SMTP_URL without printing them', async () => {
    const worker = spawnWorker(malformed);
    expect(await worker.exited).toBe(78);
    const output = worker.output();
    expect(output).toContain('JWT_SECRET: at least 32 characters');
    expect(output).toContain('APPROVAL_SECRET: at least 32 characters');
    expect(output).toMatch(/SMTP_URL: .*URL/);
    expect(output).not.toContain(MARKER);
  });

  it('the CLI stops (78) the same way', async () => {
    const cli = spawnCli(['dashboard', '--as-of', '2025-10-13'], { JWT_SECRET: `${MARKER}-short` });
    expect(await cli.exited).toBe(78);
    expect(cli.output()).toContain('JWT_SECRET: at least 32 characters');
    expect(cli.output()).not.toContain(MARKER);
  });

  it('masks every secret-named variable and still quotes the rest', () => {
    for (const name of [
      'JWT_SECRET',
      'APPROVAL_SECRET',
      'META_ACCESS_TOKEN',
      'STRATEGIS_API_TOKEN',
      'SMTP_URL',
      'PAYLOAD_KEYS',
      'SOME_PASSWORD',
      'AUDIT_SECRET',
      'api_key',
    ]) {
      expect(isSecretName(name), name).toBe(true);
    }
    for (const name of ['HTTP_PORT', 'TZ', 'META_AD_ACCOUNT_IDS', 'STRATEGIS_REPORT_URL'])
      expect(isSecretName(name), name).toBe(false);
    const message = problemOf({ ...malformed, HTTP_PORT: 'eighty' });
    expect(message).not.toContain(MARKER);
    expect(message).toContain('HTTP_PORT="eighty"');
  });
});
