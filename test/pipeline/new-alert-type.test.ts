import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { createAnalytics } from '../../services/analytics/api';
import { Warehouse } from '../../services/warehouse/warehouse';
import { datesBetween } from '../../lib/dates';
import { workflowIds } from '../../lib/names';
import { statusQuery } from '../../workflows/budget-change';
import type { DailyRunSummary } from '../../workflows/daily-pipeline';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { approvalConfig, linkIn, postDecision } from '../approvals/harness';
import { metaEnv } from '../meta/harness';
import { loadRows, type MetricRow } from '../reports/fixtures';
import { waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { testClient, withWorker } from '../support/temporal';

/**
 * Adding an alert type is one rule file: `trim_loss` trims a middling campaign's budget by 20%.
 * No code names it; the daily pipeline raises it, proposes it, mails it and writes it.
 */
const TRIM_RULE = `name: Trim a middling campaign
conditions:
  all:
    - { metric: roas, window: each_of_last_3_days, op: between, value: [80, 100] }
    - { metric: margin, window: last_3_days, op: "<", value: 0 }
actions:
  - adjust_budget: { by_percent: -20 }
alert:
  type: trim_loss
  reason: "ROAS 80-100% for 3 days"
  recommendation: decrease_budget_20_percent
  requires_decision: [hold]
  high_priority_when: { metric: margin, window: last_3_days, op: "<", value: -25 }
  amount: { field: daily_loss, metric: margin, window: last_3_days, per_day: true, negate: true }
`;

const AS_OF = '2025-10-13';
// T (ben): $100 a day for $90, roas 90.0 every day: average bucket, stable -> hold, no built-in alert.
const rows: MetricRow[] = datesBetween('2025-10-06', '2025-10-12').map((date) => ({
  date,
  campaign_id: 'T',
  campaign_name: 'Dental_T',
  owner: 'ben',
  category: 'Dental',
  spend: '100.00',
  revenue: '90.00',
}));
const to = (m: { to?: unknown }) => (m.to as { text: string }).text;

describe('a new alert type, added by one rule file', () => {
  let smtp: SmtpCapture;
  let sandbox: MetaSandbox;
  let client: Client;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    sandbox = await startMetaSandbox();
    sandbox.state.addAccount('act_1001', { currency: 'USD' });
    sandbox.state.addCampaign('act_1001', { name: 'Dental_T', dailyBudget: 20000 }, '601');
  });
  afterAll(async () => {
    await client?.connection.close();
    await sandbox.close();
    await smtp.close();
  });

  it('is raised, answered by the API, proposed, mailed, and written once approved', async () => {
    const rulesDir = join(inject('scratchDir'), `rules-trim-${Date.now()}`);
    mkdirSync(rulesDir, { recursive: true });
    for (const f of ['default-scale-up.yaml', 'default-cut-loss.yaml'])
      copyFileSync(join(import.meta.dirname, '../../rules', f), join(rulesDir, f));
    writeFileSync(join(rulesDir, 'trim-loss.yaml'), TRIM_RULE);
    const config = await approvalConfig(smtp, {
      ...metaEnv(sandbox, ['act_1001']),
      RULES_DIR: rulesDir,
      OUTCOME_DELAY: '1h',
    });
    const seed = await Warehouse.open(config.SCALEFLOW_DB);
    await loadRows(seed, rows);
    await seed.run(
      `INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, category, account_id) VALUES ('T', '601', 'ben', 'Dental', 'act_1001')`,
    );
    seed.close();
    client = await testClient(config);
    const id = workflowIds.budgetChange('T', AS_OF, 'trim_loss');

    await withWorker(config, async (main) => {
      const summary = (await client.workflow.execute('dailyPipeline', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: `${workflowIds.daily(AS_OF)}-${config.TEMPORAL_TASK_QUEUE}`,
        args: [{ date: AS_OF }],
      })) as DailyRunSummary;
      expect(summary.decisions).toMatchObject({ campaigns: 1, alerts: 1, proposed: [id], skipped: [] });

      // Margin over the 3 days: 3 x (90 - 100) = -30.00 < -25 -> high; daily_loss 30 / 3 = 10.00.
      const expected = {
        type: 'trim_loss',
        priority: 'high',
        campaign_id: 'T',
        // a campaign with a campaign budget is decided at campaign level (METRICS.md "Levels")
        entity_type: 'campaign',
        entity_id: 'T',
        adset_id: null,
        audience_type: null,
        revenue_source: null,
        owner: 'ben',
        current_roas: 90,
        recommendation: 'decrease_budget_20_percent',
        daily_loss: 10,
        reason: 'ROAS 80-100% for 3 days',
      };
      const analytics = createAnalytics({ warehouse: main.warehouse, config, thresholds: { global: {}, owners: {} } });
      expect(await analytics.alerts({ as_of: AS_OF, owner: 'all' })).toEqual([expected]);
      expect(await main.warehouse.all('SELECT type, status, workflow_id FROM alerts')).toEqual([
        { type: 'trim_loss', status: 'acted', workflow_id: id },
      ]);

      // $200.00 - 20% = $160.00, proposed to ben's approvers under the type's generated label.
      const change = client.workflow.getHandle(id);
      const status = await change.query(statusQuery);
      expect(status.proposal).toMatchObject({
        type: 'trim_loss',
        action: { kind: 'set_daily_budget', fromCents: 20000, toCents: 16000 },
        evidence: { daily_loss: '10.00', priority: 'high' },
      });
      const mails = await waitFor(
        () => {
          const found = smtp.messages.filter((m) => m.subject?.startsWith('Approve:'));
          return found.length === 2 && found;
        },
        20_000,
        'two approval emails',
      );
      expect(mails.map((m) => `${to(m)}: ${m.subject}`).sort()).toEqual([
        'ben.lead@example.com: Approve: daily budget $200.00 -> $160.00 for Dental_T (ben)',
        'lead@example.com: Approve: daily budget $200.00 -> $160.00 for Dental_T (ben)',
      ]);
      expect(mails[0]!.text).toContain('trim-loss alert');

      expect(
        (await postDecision(linkIn(mails.find((m) => to(m) === 'lead@example.com')!.text), 'approve')).status,
      ).toBe(200);
      await waitFor(async () => (await change.query(statusQuery)).state === 'written', 20_000, 'the budget write');
      expect(sandbox.state.campaign('601')!.dailyBudget).toBe(16000);
      await change.cancel(); // it would sleep an hour before the outcome check
    });
  });
});
