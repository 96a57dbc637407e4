import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { BudgetChangeStatus } from '../../lib/approvals/proposal';
import type { Config } from '../../lib/config';
import { Warehouse } from '../../services/warehouse/warehouse';
import type { RulesEvaluationResult } from '../../workflows/rules-evaluation';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { approvalConfig } from '../approvals/harness';
import { waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { startWorker, testClient } from '../support/temporal';
import { AS_OF, YESTERDAY, rulesDir } from './harness';

/**
 * Buyers' rules size a budget within its ad account's currency (issue 22 item 3): yuki's Tokyo
 * campaign Y has ¥30,000 a day, her São Paulo campaign R R$500. DAILY_BUDGET_LIMITS lists yen
 * (¥150..¥1,500,000) and not reais; the dollar bounds stay the default $1..$10,000.
 */
const ACCOUNTS = [
  { id: 'act_81', currency: 'JPY', zone: 'Asia/Tokyo', campaign: 'Y', meta: '8101', budget: '30000' },
  { id: 'act_85', currency: 'BRL', zone: 'America/Sao_Paulo', campaign: 'R', meta: '8501', budget: '500' },
];

const raise = (name: string, extra = '') =>
  `name: ${name}\nscope: { owners: [yuki] }\nconditions: { metric: roas, window: yesterday, op: ">=", value: 150 }\nactions: [{ adjust_budget: { by_percent: 20${extra} } }]\n`;

async function seed(path: string): Promise<void> {
  const w = await Warehouse.open(path);
  try {
    for (const a of ACCOUNTS) {
      // roas 200 yesterday (spend 100, revenue 200): every rule here matches both campaigns
      await w.run(
        `INSERT INTO campaign_daily_facts (date, campaign_id, campaign_name, owner, category, spend, revenue, clicks, conversions, impressions, batch_id)
         VALUES ($1::DATE, $2, $3, 'yuki', 'Dental', 100, 200, 10, 1, 1000, 'seed')`,
        [YESTERDAY, a.campaign, `Campaign ${a.campaign}`],
      );
      await w.run(
        `INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, category, account_id) VALUES ($1, $2, 'yuki', 'Dental', $3)`,
        [a.campaign, a.meta, a.id],
      );
      await w.run(
        `INSERT INTO meta_accounts (account_id, currency, time_zone, seen_hour) VALUES ($1, $2, $3, '2025-10-13T14:00:00Z')`,
        [a.id, a.currency, a.zone],
      );
      await w.run(
        `INSERT INTO meta_campaign_snapshots (snapshot_hour, account_id, meta_campaign_id, name, status, currency, daily_budget, is_cbo, report_date, spend)
         VALUES ('2025-10-13T14:00:00Z', $1, $2, $3, 'ACTIVE', $4, $5::DECIMAL(18,2), true, '2025-10-13', 10)`,
        [a.id, a.meta, `Campaign ${a.campaign}`, a.currency, a.budget],
      );
    }
    await w.run(
      `INSERT INTO meta_sync_runs (snapshot_hour, finished_at, accounts, campaigns) VALUES ('2025-10-13T14:00:00Z', '2025-10-13T14:05:00Z', 2, 2)`,
    );
  } finally {
    w.close();
  }
}

describe('rules in each account currency, on Temporal and DuckDB', () => {
  let smtp: SmtpCapture;
  let sandbox: MetaSandbox;
  let config: Config;
  let client: Client;
  let worker: Awaited<ReturnType<typeof startWorker>>;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    sandbox = await startMetaSandbox();
    sandbox.state.addAccount('act_81', { currency: 'JPY', timezone: 'Asia/Tokyo' });
    sandbox.state.addAccount('act_85', { currency: 'BRL', timezone: 'America/Sao_Paulo' });
    sandbox.state.addCampaign('act_81', { name: 'Campaign Y', dailyBudget: 30000 }, '8101');
    sandbox.state.addCampaign('act_85', { name: 'Campaign R', dailyBudget: 50000 }, '8501');
    const dir = rulesDir({
      'yen-raise.yaml': raise('Raise by a fifth'),
      // $800 is no bound for a yen budget: the rule's dollar amounts are not applied to it
      'dollar-cap.yaml': raise('Raise, at most 800 dollars', ', max: 800'),
      'yen-cap.yaml': raise('Raise, at most 33000 yen', ', max: 33000, currency: JPY'),
    });
    config = await approvalConfig(smtp, {
      RULES_DIR: dir,
      META_ACCESS_TOKEN: sandbox.token,
      META_GRAPH_URL: sandbox.url,
      DAILY_BUDGET_LIMITS: '{"JPY": {"min": 150, "max": 1500000}}',
    });
    // Managers take moves over $500 or over ¥100,000; yuki's own approver the rest.
    const approvers = join(inject('scratchDir'), `approvers-currency-${Date.now()}.json`);
    writeFileSync(
      approvers,
      JSON.stringify({
        default: ['lead@example.com'],
        owners: { yuki: ['yuki.lead@example.com'] },
        managers: ['boss@example.com'],
        manager_above_usd: 500,
        manager_above: { JPY: 100_000 },
      }),
    );
    config = { ...config, APPROVERS_FILE: approvers };
    await seed(config.SCALEFLOW_DB);
    client = await testClient(config);
    worker = await startWorker(config);
  });

  afterAll(async () => {
    await worker?.stop();
    await smtp?.close();
    await sandbox?.close();
  });

  let n = 0;
  const evaluate = (ruleId: string): Promise<RulesEvaluationResult> =>
    client.workflow.execute('rulesEvaluation', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: `rules/currency-${ruleId}-${++n}`,
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
    worker.main.warehouse.all<{ campaign_id: string; status: string; detail: string }>(
      'SELECT campaign_id, status, detail FROM rule_actions WHERE rule_id = $1 ORDER BY campaign_id',
      [ruleId],
    );
  const proposed = (ruleId: string) =>
    waitFor(
      async () => {
        const s = await client.workflow
          .getHandle(`budget-change/Y/${AS_OF}/rule-${ruleId}`)
          .query<BudgetChangeStatus>('status');
        return s.state === 'awaiting_approval' && s;
      },
      20_000,
      `Y's ${ruleId} proposal awaiting approval`,
    );

  it('a yen budget is raised within the yen bounds and asked of the owner in yen; a currency with no limits is skipped, saying why', async () => {
    const result = await evaluate('yen-raise');
    expect(result).toMatchObject({ matched: 2, recorded: { planned: 1, skipped: 1 }, carriedOut: { proposed: 1 } });
    const rows = await actions('yen-raise');
    expect(rows.map((r) => [r.campaign_id, r.status])).toEqual([
      ['R', 'skipped'],
      ['Y', 'proposed'],
    ]);
    expect(rows[0]!.detail).toMatch(/no daily budget limits for BRL: add BRL to DAILY_BUDGET_LIMITS/);
    // ¥30,000 + 20% = ¥36,000, inside ¥150..¥1,500,000 (the dollar maximum, 10,000 units, would have
    // held it at ¥10,000, a cut). Hundredths of a yen: 3,000,000 -> 3,600,000.
    const status = await proposed('yen-raise');
    expect(status.proposal).toMatchObject({
      currency: 'JPY',
      action: { kind: 'set_daily_budget', fromCents: 3_000_000, toCents: 3_600_000 },
    });
    // A ¥6,000 move is under the managers' ¥100,000 (it is 1,200 times their $500 in units): yuki's approver.
    expect(status.approvers).toEqual(['yuki.lead@example.com']);
    const mail = await waitFor(
      () => smtp.messages.find((m) => m.subject?.includes('for Campaign Y')),
      20_000,
      "Y's approval email",
    );
    expect(mail.subject).toBe('Approve: daily budget ¥30,000 -> ¥36,000 for Campaign Y (yuki)');
  });

  it("a rule's amounts apply only in their own currency", async () => {
    expect(await evaluate('dollar-cap')).toMatchObject({ recorded: { skipped: 2 }, carriedOut: {} });
    const dollar = await actions('dollar-cap');
    expect(dollar.find((r) => r.campaign_id === 'Y')!.detail).toBe(
      "the rule's amounts (to, min, max) are in USD but the campaign's ad account is in JPY",
    );
    expect(await evaluate('yen-cap')).toMatchObject({ recorded: { planned: 1, skipped: 1 } });
    // ¥30,000 + 20% = ¥36,000, held at the rule's max ¥33,000: 3,300,000 hundredths.
    const status = await proposed('yen-cap');
    expect(status.proposal.action).toEqual({ kind: 'set_daily_budget', fromCents: 3_000_000, toCents: 3_300_000 });
  });
});
