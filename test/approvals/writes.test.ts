import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { Warehouse } from '../../services/warehouse/warehouse';
import type { BudgetChangeStatus, Proposal } from '../../lib/approvals/proposal';
import type { Config } from '../../lib/config';
import { addDays, dateIn, datesBetween } from '../../lib/dates';
import { workflowIds } from '../../lib/names';
import { statusQuery } from '../../workflows/budget-change';
import { faults, on } from '../../workers/meta-sandbox/faults';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { metaEnv } from '../meta/harness';
import { loadRows } from '../reports/fixtures';
import { recordHistory } from '../support/histories';
import { waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { testClient, withWorker } from '../support/temporal';
import { approvalConfig, linkIn, postDecision, proposal } from './harness';

/** budgetChange's write paths against the Graph API sandbox over HTTP: W is Meta campaign 501 at $200.00. */
describe('budgetChange: what an approval writes to Meta', () => {
  let smtp: SmtpCapture;
  let sandbox: MetaSandbox;
  let client: Client;
  beforeAll(async () => {
    smtp = await startSmtpCapture();
  });
  beforeEach(async () => {
    sandbox = await startMetaSandbox();
    sandbox.state.addAccount('act_1001', { currency: 'USD' });
    sandbox.state.addCampaign('act_1001', { name: 'Dental_W', dailyBudget: 20000 }, '501');
  });
  afterEach(() => sandbox.close());
  afterAll(async () => {
    await client?.connection.close();
    await smtp.close();
  });

  const posts = () => sandbox.log.filter((r) => r.method === 'POST');
  const start = async (config: Config, p: Proposal, outcomeDelayMs = 3_600_000) => {
    client ??= await testClient(config);
    return client.workflow.start('budgetChange', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: `${workflowIds.budgetChange(p.campaignId, p.date, p.type)}-${config.TEMPORAL_TASK_QUEUE}`,
      args: [{ proposal: p, settings: { approvalTimeoutMs: 600_000, outcomeDelayMs, dryRun: false } }],
    });
  };
  /** Approves through the lead's emailed link, as a person would. */
  const approve = async (campaignId: string) => {
    const mail = await waitFor(
      () =>
        smtp.messages.find(
          (m) => m.text?.includes(campaignId) && (m.to as { text: string }).text === 'lead@example.com',
        ),
      20_000,
      'the approval email',
    );
    const res = await postDecision(linkIn(mail.text), 'approve');
    expect(res.status).toBe(200);
  };
  const w = (campaignId: string) => proposal({ campaignId, metaCampaignId: '501', accountId: 'act_1001' });

  it('refuses with its reason when the budget changed on Meta while the proposal waited, and writes nothing', async () => {
    const config = await approvalConfig(smtp, metaEnv(sandbox, ['act_1001']));
    await withWorker(config, async () => {
      const handle = await start(config, w('changed-meanwhile'));
      await waitFor(
        async () => (await handle.query(statusQuery)).state === 'awaiting_approval',
        20_000,
        'the approval request',
      );
      sandbox.state.campaign('501')!.dailyBudget = 25000; // a buyer moved it by hand
      await approve('changed-meanwhile');
      const final = (await handle.result()) as BudgetChangeStatus;
      expect(final.state).toBe('refused');
      expect(final.detail).toContain(
        'the live budget is 250 but the proposal was made from 200: someone changed it since',
      );
      expect(posts()).toEqual([]);
    });
  });

  it('records Meta refusing the budget, once, without retrying a final answer', async () => {
    const config = await approvalConfig(smtp, metaEnv(sandbox, ['act_1001']));
    sandbox.faults.add(on.post(/^\/501$/), faults.budgetTooLow());
    await withWorker(config, async (main) => {
      const handle = await start(config, w('meta-says-no'));
      await approve('meta-says-no');
      const final = (await handle.result()) as BudgetChangeStatus;
      expect(final.state).toBe('write_failed');
      expect(final.detail).toContain('budget is too low');
      expect(posts()).toHaveLength(1);
      expect(sandbox.state.campaign('501')!.dailyBudget).toBe(20000);
      const events = await main.warehouse.all<{ event: string }>(
        'SELECT event FROM audit_log WHERE workflow_id = $1 ORDER BY seq',
        [handle.workflowId],
      );
      expect(events.map((e) => e.event)).toEqual(['proposed', 'approval_requested', 'decided', 'write_failed']);
      await recordHistory(handle, 'budget-change-meta-refused');
    });
  });

  it("refuses a second change inside THRESHOLDS_FILE's cooldown (1 h here), not a cooldown fixed in code", async () => {
    const thresholds = join(inject('scratchDir'), `thresholds-cooldown-${randomUUID()}.json`);
    writeFileSync(thresholds, JSON.stringify({ global: { cooldown_hours: 1 }, owners: {} }));
    const config = await approvalConfig(smtp, { ...metaEnv(sandbox, ['act_1001']), THRESHOLDS_FILE: thresholds });
    await withWorker(config, async () => {
      const first = await start(config, w('cooldown-1h'));
      await approve('cooldown-1h');
      await waitFor(async () => (await first.query(statusQuery)).state === 'written', 20_000, 'the first write');
      // The next day's proposal for the same campaign, from the budget the first one wrote.
      const next = proposal({
        campaignId: 'cooldown-1h',
        metaCampaignId: '501',
        accountId: 'act_1001',
        date: '2025-10-13',
        action: { kind: 'set_daily_budget', fromCents: 28000, toCents: 39200 },
      });
      const second = await start(config, next);
      const mail = await waitFor(
        () =>
          smtp.messages.filter(
            (m) => m.text?.includes('cooldown-1h') && (m.to as { text: string }).text === 'lead@example.com',
          )[1],
        20_000,
        'the second approval email',
      );
      expect((await postDecision(linkIn(mail.text), 'approve')).status).toBe(200);
      const final = (await second.result()) as BudgetChangeStatus;
      expect(final.state).toBe('refused');
      expect(final.detail).toMatch(/the campaign changed 0\.0 h ago, inside the 1 h cooldown/);
      expect(posts()).toHaveLength(1);
      await first.cancel(); // it would wait an hour for its outcome check
    });
  });

  it('in dry run for the owner records what it would write and sends nothing', async () => {
    const config = await approvalConfig(smtp, { ...metaEnv(sandbox, ['act_1001']), DRY_RUN_OWNERS: 'ben' });
    await withWorker(config, async () => {
      const handle = await start(config, w('dry-run'));
      await approve('dry-run');
      const final = (await handle.result()) as BudgetChangeStatus;
      expect(final.state).toBe('dry_run');
      expect(final.detail).toContain('would POST {"daily_budget":"28000"} to 501');
      expect(posts()).toEqual([]);
    });
  });

  it('writes $280.00 once, then checks the outcome a (shrunk) week later from the 7 days either side', async () => {
    const config = await approvalConfig(smtp, metaEnv(sandbox, ['act_1001']));
    // The change happens today; the check compares today-7..today-1 with today+1..today+7.
    const today = dateIn(config.TZ, new Date());
    const seed = await Warehouse.open(config.SCALEFLOW_DB);
    const day = (date: string, spend: string, revenue: string) => ({
      date,
      campaign_id: 'outcome-w',
      campaign_name: 'Dental_W',
      owner: 'ben',
      category: 'Dental',
      spend,
      revenue,
    });
    await loadRows(seed, [
      ...datesBetween(addDays(today, -7), addDays(today, -1)).map((d) => day(d, '100.00', '150.00')), // margin 50/day, 350 in all
      day(today, '120.00', '170.00'), // the change day: in neither window
      ...datesBetween(addDays(today, 1), addDays(today, 7)).map((d) => day(d, '140.00', '196.00')), // margin 56/day, 392 in all
    ]);
    seed.close();
    await withWorker(config, async (main) => {
      // The worker's /metrics counts the write: scaleflow_budget_writes_total{result="written"} moves by one.
      const written = async () => {
        const text = await (await fetch(`${main.http!.url}/metrics`)).text();
        const line = text.split('\n').find((l) => l.startsWith('scaleflow_budget_writes_total{result="written"} '));
        return line ? Number(line.split(' ')[1]) : 0;
      };
      const writesBefore = await written();
      const handle = await start(config, w('outcome-w'), 1500);
      await approve('outcome-w');
      const final = (await handle.result()) as BudgetChangeStatus;
      expect(final.state).toBe('outcome_checked');
      expect(await written()).toBe(writesBefore + 1);
      expect(posts().map((r) => [r.path, r.body.daily_budget])).toEqual([['/501', '28000']]);
      expect(sandbox.state.campaign('501')!.dailyBudget).toBe(28000);
      const check = await main.warehouse.one(
        'SELECT change_date::VARCHAR AS change_date, rule, baseline_margin, outcome_margin, delta_margin, baseline_roas, outcome_roas, is_improving, was_right FROM outcome_checks',
      );
      expect(check).toEqual({
        change_date: today,
        rule: 'scale_up',
        baseline_margin: '350.00',
        outcome_margin: '392.00',
        delta_margin: '42.00',
        baseline_roas: 150, // 1050 / 700
        outcome_roas: 140, // 1372 / 980
        is_improving: true, // margin rose
        was_right: true, // margin per day 50 -> 56
      });
      await recordHistory(handle, 'budget-change-approved-written-checked-warehouse-queue');
    });
  });
});
