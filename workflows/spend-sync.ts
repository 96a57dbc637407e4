import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { hourOf, type SyncHour } from '../lib/meta/hour';
import { runSpendSync, type SpendSyncResult } from './spend-sync-steps';

const local = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 5, nonRetryableErrorTypes: ['ConfigError', 'InvalidInput'] },
});

// One Graph page per attempt. Rate limits come back with Meta's own wait (nextRetryDelay), which
// overrides the backoff below; an expired token or a missing permission ends the run at once.
const meta = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '10 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 10,
    nonRetryableErrorTypes: ['MetaAuthError', 'MetaPermissionError', 'MetaRequestInvalid', 'ConfigError'],
  },
});

export interface SpendSyncInput {
  /** The UTC hour to snapshot (YYYY-MM-DDTHH:00:00Z); default: the hour this run started in. */
  hour?: SyncHour;
}

/**
 * Hourly: every configured ad account's campaigns (budgets, statuses) and today's insights into
 * that hour's snapshot. Started by the hourly schedule or `scaleflow sync-spend`.
 */
export async function spendSync(input: SpendSyncInput = {}): Promise<SpendSyncResult> {
  const hour = input.hour ?? hourOf(Date.now());
  return runSpendSync(
    {
      metaSyncStart: local.metaSyncStart,
      metaSyncFinish: local.metaSyncFinish,
      metaReadAccount: meta.metaReadAccount,
      metaSyncCampaignsPage: meta.metaSyncCampaignsPage,
      metaSyncInsightsPage: meta.metaSyncInsightsPage,
    },
    hour,
  );
}
