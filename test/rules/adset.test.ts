import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { BudgetChangeStatus } from '../../lib/approvals/proposal';
import type { Config } from '../../lib/config';
import { Warehouse } from '../../services/warehouse/warehouse';
import type { RulesEvaluationResult } from '../../workflows/rules-evaluation';
import { approvalConfig } from '../approvals/harness';
import { waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { startWorker, testClient } from '../support/temporal';
import { AS_OF, rulesDir, YESTERDAY } from './harness';

// A level adset rule (METRICS.md "Levels") on the real dev server and a real DuckDB file.
// Campaign AS (ben) holds its budgets in three ad sets; yesterday's strateg.is ad-set rows:
//   8101 broad        spend 100, revenue 200 -> roas 200
//   8102 interest     spend 100, revenue 180 -> roas 180
//   8103 retargeting  spend  50, revenue 100 -> roas 200, daily budget $50
// Campaign LC (ben): one retargeting ad set 8203, spend 40, revenue 80 -> roas 200, budget $40,
// in Meta's learning phase.
// All four beat roas 150: only scope.audience_types [retargeting] leaves 8103 and 8203, and the
// learning phase leaves 8103. 8103: $50.00 + 20% = $60.00 (5000 -> 6000 cents).
const RETARGET = `name: Scale retargeting winners
level: adset
scope: { owners: [ben], audience_types: [retargeting] }
conditions: { metric: roas, window: yesterday, op: ">", value: 150 }
actions: [{ adjust_budget: { by_percent: 20 } }]
`;
// The same rule as every file before ad sets wrote it: at campaign level. AS as a campaign is
// (200 + 180 + 100) / (100 + 100 + 50) = 192% roas, but it has no campaign budget to change.
const CAMPAIGN = `name: Scale campaign winners
scope: { owners: [ben] }
conditions: { metric: roas, window: yesterday, op: ">", value: 150 }
actions: [{ adjust_budget: { by_percent: 20 } }]
`;

const HOUR = '2025-10-13T14:00:00Z';

async function seed(path: string): Promise<void> {
  const w = await Warehouse.open(path);
  try {
    const facts: Array<[string, string, string, number, number]> = [
      ['AS', '8100', '8101', 100, 200],
      ['AS', '8100', '8102', 100, 180],
      ['AS', '8100', '8103', 50, 100],
      ['LC', '8200', '8203', 40, 80],
    ];
    for (const [campaign, meta, adset, spend, revenue] of facts) {
      await w.run(
        `INSERT INTO campaign_daily_facts (date, campaign_id, adset_id, campaign_name, adset_name, owner, category, spend,
           revenue, clicks, conversions, impressions, account_id, meta_campaign_id, batch_id)
         VALUES ($1::DATE, $2, $3, $4, $5, 'ben', 'Dental', $6::DECIMAL(18,2), $7::DECIMAL(18,2), 10, 1, 1000, 'act_1001', $8, 'seed')`,
        [
          YESTERDAY,
          campaign,
          adset,
          `Campaign ${campaign}`,
          `Ad set ${adset}`,
          spend.toFixed(2),
          revenue.toFixed(2),
          meta,
        ],
      );
    }
    for (const [campaign, meta] of [
      ['AS', '8100'],
      ['LC', '8200'],
    ] as const) {
      await w.run(
        `INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, category, account_id) VALUES ($1, $2, 'ben', 'Dental', 'act_1001')`,
        [campaign, meta],
      );
      // ad-set budgets: the campaign has none of its own
      await w.run(
        `INSERT INTO meta_campaign_snapshots (snapshot_hour, account_id, meta_campaign_id, name, status, currency, daily_budget, is_cbo, report_date, spend)
         VALUES ($1, 'act_1001', $2, $3, 'ACTIVE', 'USD', NULL, false, $4, 10)`,
        [HOUR, meta, `Campaign ${campaign}`, AS_OF],
      );
    }
    const adsets: Array<[string, string, number, string, string]> = [
      ['8100', '8101', 100, 'broad', 'SUCCESS'],
      ['8100', '8102', 100, 'interest', 'SUCCESS'],
      ['8100', '8103', 50, 'retargeting', 'SUCCESS'],
      ['8200', '8203', 40, 'retargeting', 'LEARNING'],
    ];
    for (const [meta, adset, budget, audience, learning] of adsets) {
      await w.run(
        `INSERT INTO meta_adset_snapshots (snapshot_hour, account_id, meta_campaign_id, adset_id, name, status, currency,
           daily_budget, learning_status, audience_type, report_date, spend)
         VALUES ($1, 'act_1001', $2, $3, $4, 'ACTIVE', 'USD', $5::DECIMAL(18,2), $6, $7, $8, 5)`,
        [HOUR, meta, adset, `Ad set ${adset}`, budget.toFixed(2), learning, audience, AS_OF],
      );
    }
    await w.run(
      `INSERT INTO meta_sync_runs (snapshot_hour, finished_at, accounts, campaigns) VALUES ($1, '2025-10-13T14:05:00Z', 1, 2)`,
      [HOUR],
    );
  } finally {
    w.close();
  }
}

describe('a level adset rule on Temporal and DuckDB', () => {
  let smtp: SmtpCapture;
  let config: Config;
  let client: Client;
  let worker: Awaited<ReturnType<typeof startWorker>>;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    config = await approvalConfig(smtp, {
      RULES_DIR: rulesDir({ 'retarget.yaml': RETARGET, 'campaign.yaml': CAMPAIGN }),
      NODE_ENV: 'test',
    });
    await seed(config.SCALEFLOW_DB);
    client = await testClient(config);
    worker = await startWorker(config);
  });

  afterAll(async () => {
    await worker?.stop();
    await smtp?.close();
  });

  const evaluate = (ruleId: string, n = 1): Promise<RulesEvaluationResult> =>
    client.workflow.execute('rulesEvaluation', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: `rules/adset-${ruleId}-${n}`,
      args: [
        {
          asOf: AS_OF,
          force: true,
          ruleId,
          settings: { approvalTimeoutMs: 3_600_000, outcomeDelayMs: 3_600_000, dryRun: false },
        },
      ],
    });
  const actions = (ruleId: string) =>
    worker.main.warehouse.all<{
      campaign_id: string;
      entity_type: string;
      entity_id: string;
      adset_id: string | null;
      status: string;
      workflow_id: string | null;
      detail: string;
    }>(
      `SELECT campaign_id, entity_type, entity_id, adset_id, status, workflow_id, detail
       FROM rule_actions WHERE rule_id = $1 ORDER BY planned_at, entity_id`,
      [ruleId],
    );

  it('acts only on the retargeting ad set: a budgetChange keyed by the ad set, its proposal naming it', async () => {
    const result = await evaluate('retarget');
    expect(result).toMatchObject({
      rules: 1,
      checked: 2,
      matched: 2,
      recorded: { planned: 1, skipped: 1 },
      carriedOut: { proposed: 1 },
    });
    const childId = `budget-change/adset-8103/${AS_OF}/rule-retarget`;
    expect(await actions('retarget')).toEqual([
      {
        campaign_id: 'AS',
        entity_type: 'adset',
        entity_id: '8103',
        adset_id: '8103',
        status: 'proposed',
        workflow_id: childId,
        detail: 'budgetChange awaiting approval',
      },
      {
        campaign_id: 'LC',
        entity_type: 'adset',
        entity_id: '8203',
        adset_id: '8203',
        status: 'skipped',
        workflow_id: null,
        detail: "the ad set is in Meta's learning phase: it is never scaled up (reason learning)",
      },
    ]);
    const status = await waitFor(
      async () => {
        const s = await client.workflow.getHandle(childId).query<BudgetChangeStatus>('status');
        return s.state === 'awaiting_approval' && s;
      },
      20_000,
      'the ad set change awaiting approval',
    );
    expect(status.proposal).toMatchObject({
      type: 'rule',
      campaignId: 'AS',
      metaCampaignId: '8100',
      accountId: 'act_1001',
      owner: 'ben',
      action: { kind: 'set_daily_budget', fromCents: 5000, toCents: 6000 },
      adset: { id: '8103', name: 'Ad set 8103', audienceType: 'retargeting' },
      evidence: { rule_id: 'retarget', roas_yesterday: 200 },
    });
    // no other ad set of the campaign, nor the campaign itself, got a change
    for (const other of [
      `budget-change/adset-8101/${AS_OF}/rule-retarget`,
      `budget-change/adset-8102/${AS_OF}/rule-retarget`,
      `budget-change/adset-8203/${AS_OF}/rule-retarget`,
      `budget-change/AS/${AS_OF}/rule-retarget`,
    ]) {
      await expect(client.workflow.getHandle(other).describe()).rejects.toThrow(/not found/i);
    }

    // the cooldown is the ad set's: a second evaluation proposes nothing twice
    const again = await evaluate('retarget', 2);
    expect(again).toMatchObject({ matched: 2, recorded: { cooling_down: 1, skipped: 1 }, carriedOut: {} });
  });

  it('a rule file without level still reads campaigns: AS as a whole, whose budget lives on its ad sets', async () => {
    const result = await evaluate('campaign');
    expect(result).toMatchObject({ checked: 2, matched: 2, recorded: { skipped: 2 }, carriedOut: {} });
    expect((await actions('campaign')).map((a) => [a.entity_type, a.entity_id, a.adset_id, a.detail])).toEqual([
      [
        'campaign',
        'AS',
        null,
        'the campaign has no daily budget on Meta (lifetime or ad-set budgets): change it there',
      ],
      [
        'campaign',
        'LC',
        null,
        'the campaign has no daily budget on Meta (lifetime or ad-set budgets): change it there',
      ],
    ]);
  });
});
