import { ApplicationFailure } from '@temporalio/common';
import { parseConfig, type Config } from '../../lib/config';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { SandboxState } from '../../workers/meta-sandbox/state';

/** Meta settings pointing the SDK at a sandbox, on top of any other config. */
export function metaEnv(
  sandbox: MetaSandbox,
  accounts: string[],
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    META_ACCESS_TOKEN: sandbox.token,
    META_GRAPH_URL: sandbox.url,
    META_AD_ACCOUNT_IDS: accounts.join(','),
    META_RATE_LIMIT_MIN_WAIT: '1s',
    META_REQUEST_TIMEOUT: '5s',
    ...extra,
  };
}

export function metaConfig(sandbox: MetaSandbox, accounts: string[], extra: Record<string, string> = {}): Config {
  return parseConfig(metaEnv(sandbox, accounts, extra));
}

/** A sandbox with one clock the test moves by hand. */
export async function sandboxAt(iso: string): Promise<{ sandbox: MetaSandbox; clock: { ms: number } }> {
  const clock = { ms: Date.parse(iso) };
  const sandbox = await startMetaSandbox({ state: new SandboxState(() => clock.ms) });
  return { sandbox, clock };
}

/** The ApplicationFailure a promise rejects with (fails the test if it resolves or throws something else). */
export async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApplicationFailure) return err;
    throw err;
  }
  throw new Error('expected an ApplicationFailure, but the call succeeded');
}

/**
 * Successful GETs of an edge's pages as [path, after] pairs, in order (not the insights step's campaign count,
 * summary=total_count).
 */
export function pagesRead(sandbox: MetaSandbox, pathPattern: RegExp): string[] {
  return sandbox.log
    .filter((r) => r.method === 'GET' && r.status === 200 && pathPattern.test(r.path) && !r.query.summary)
    .map((r) => `${r.path}@${r.query.after ?? 'first'}`);
}
