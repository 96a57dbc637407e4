import { setTimeout as delay } from 'node:timers/promises';
import { ApplicationFailure } from '@temporalio/common';
import { createMetaActivities } from '../../../activities/meta';
import { Warehouse } from '../../../services/warehouse/warehouse';
import { durationMs } from '../../../lib/duration';
import { hourOf, isSyncHour } from '../../../lib/meta/hour';
import type { AdSetSyncSteps } from '../../../workflows/spend-sync-adsets';
import { runSpendSync, type SpendSyncSteps } from '../../../workflows/spend-sync-steps';
import { loadConfigOrExit } from '../../config-env';
import { dbOption, defineCommand, parseCommandArgs } from '../args';
import { UsageError } from '../usage';
import { diag } from '../../diagnostics';

export const syncSpendSpec = defineCommand({
  name: 'sync-spend',
  options: {
    hour: {
      type: 'string',
      value: 'YYYY-MM-DDTHH:00:00Z',
      help: 'the UTC hour of the snapshot (default: the current hour)',
    },
    db: dbOption,
  },
  about: `One Meta spend sync, run here with the worker stopped (it owns the DuckDB file while it runs): every
account in META_AD_ACCOUNT_IDS, every page of campaigns, ad sets and today's insights, into the hour's
snapshot (default: the current hour). Re-running an hour rewrites its rows. Rate limits are waited
out as Meta's usage headers say; an expired token or a missing permission stops it at once.`,
});

const MAX_ATTEMPTS = 10;

/** Each step retried the way the workflow's retry policy would: Meta's wait first, else backoff. */
function withRetries<T extends object>(
  steps: T,
  onRetry: (name: string, attempt: number, waitMs: number, err: Error) => void,
): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(steps)) {
    wrapped[name] = async (input: unknown) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await (fn as (i: unknown) => Promise<unknown>)(input);
        } catch (err) {
          const failure = err instanceof ApplicationFailure ? err : undefined;
          if (failure?.nonRetryable || attempt >= MAX_ATTEMPTS) throw err;
          const told =
            failure?.nextRetryDelay !== undefined && failure.nextRetryDelay !== null
              ? durationMs(failure.nextRetryDelay)
              : undefined;
          const waitMs = told ?? Math.min(2000 * 2 ** (attempt - 1), 300_000);
          onRetry(name, attempt, waitMs, err as Error);
          await delay(waitMs);
        }
      }
    };
  }
  return wrapped as T;
}

export async function syncSpend(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(syncSpendSpec, args);
  const hour = values.hour ?? hourOf(Date.now());
  if (!isSyncHour(hour)) throw new UsageError('--hour takes a UTC hour as YYYY-MM-DDTHH:00:00Z');
  const config = loadConfigOrExit();
  if (!config.META_ACCESS_TOKEN) {
    diag.error(
      'scaleflow: META_ACCESS_TOKEN is not set, so there is no Meta to sync from (`scaleflow dev` runs the worker against the local Graph API sandbox)',
    );
    return 78;
  }
  // Spend comes from Meta's API, not from a file: DuckDB needs no file but its own.
  const warehouse = await Warehouse.open(values.db ?? config.SCALEFLOW_DB, { files: false });
  try {
    const steps = withRetries(
      createMetaActivities({ config, warehouse }) satisfies SpendSyncSteps & AdSetSyncSteps,
      (name, attempt, waitMs, err) =>
        diag.warn(`retry     ${name} attempt ${attempt + 1} in ${Math.round(waitMs / 1000)} s: ${err.message}`, {
          step: name,
          attempt: attempt + 1,
          waitMs,
        }),
    );
    const result = await runSpendSync(steps, hour, steps);
    console.log(JSON.stringify(result));
    return 0;
  } catch (err) {
    const failure = err instanceof ApplicationFailure ? err : undefined;
    diag.error(
      `scaleflow: spend sync for ${hour} failed${failure?.type ? ` (${failure.type})` : ''}: ${(err as Error).message}`,
    );
    return 1;
  } finally {
    warehouse.close();
  }
}
