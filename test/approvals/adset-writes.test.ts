import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Client } from '@temporalio/client';
import type { BudgetChangeStatus, Proposal, ProposalInput } from '../../lib/approvals/proposal';
import type { Config } from '../../lib/config';
import { addDays, dateIn, datesBetween } from '../../lib/dates';
import { workflowIds } from '../../lib/names';
import { sqlFile } from '../../services/warehouse/sql';
import { Warehouse } from '../../services/warehouse/warehouse';
import { statusQuery } from '../../workflows/budget-change';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { metaEnv } from '../meta/harness';
import { launchBrowser, openIsolated } from '../support/browser';
import { recordHistory } from '../support/histories';
import { waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { testClient, withWorker } from '../support/temporal';
import { approvalConfig, linkIn, postDecision, proposal } from './harness';

/**
 * budgetChange for ad-set proposals (issue 19 item 4), against the Graph API sandbox over the SDK.
 * Campaign 601 "Dental_AS" holds no budget (no CBO); its ad sets do: R "Retarget visitors" $100.00,
 * B "Broad" $200.00, I "Interest" $150.00 (ids the sandbox gives, in that order).
 */
describe('budgetChange for an ad set: what an approval writes to Meta and how it is checked', () => {
  let smtp: SmtpCapture;
  let sandbox: MetaSandbox;
  let client: Client;
  let browser: Browser | undefined;
  let R: string, B: string, I: string;
  beforeAll(async () => {
    smtp = await startSmtpCapture();
  });
  beforeEach(async () => {
    smtp.messages.length = 0; // the sandbox gives the same ad set ids in every test: only this test's emails count
    sandbox = await startMetaSandbox();
    sandbox.state.addAccount('act_1001', { currency: 'USD' });
    const campaign = sandbox.state.addCampaign(
      'act_1001',
      { name: 'Dental_AS', cbo: false, dailyBudget: 10000 },
      '601',
    );
    // addCampaign makes one ad set; the sandbox's own ad-set copy makes its siblings.
    const first = campaign.adsets[0]!;
    const second = sandbox.state.copyAdset(first.id, '', 'ACTIVE');
    const third = sandbox.state.copyAdset(first.id, '', 'ACTIVE');
    Object.assign(first, { name: 'Retarget visitors', dailyBudget: 10000 });
    Object.assign(second, { name: 'Broad', dailyBudget: 20000 });
    Object.assign(third, { name: 'Interest', dailyBudget: 15000 });
    [R, B, I] = [first.id, second.id, third.id];
  });
  afterEach(() => sandbox.close());
  afterAll(async () => {
    await browser?.close();
    await client?.connection.close();
    await smtp.close();
  });

  const posts = () => sandbox.log.filter((r) => r.method === 'POST');
  /** What a POST changed (the SDK also sends the node's own id). */
  const written = (r: ReturnType<typeof posts>[number]) => [r.path, r.body.daily_budget, r.body.status];
  const adsetOf = (id: string) => sandbox.state.campaign('601')!.adsets.find((a) => a.id === id)!;
  const budgets = () => sandbox.state.campaign('601')!.adsets.map((a) => [a.id, a.dailyBudget, a.status]);
  const adsetProposal = (adset: NonNullable<ProposalInput['adset']>, overrides: Partial<ProposalInput> = {}) =>
    proposal({ campaignId: 'dental-as', campaignName: 'Dental_AS', metaCampaignId: '601', adset, ...overrides });
  const retarget = () => ({ id: R, name: 'Retarget visitors', audienceType: 'retargeting' as const });
  const broad = () => ({ id: B, name: 'Broad', audienceType: 'broad' as const });
  // +40% x the retargeting modifier 0.5 = +20%: $100.00 -> $120.00.
  const scaleRetarget = (overrides: Partial<ProposalInput> = {}) =>
    adsetProposal(retarget(), { action: { kind: 'set_daily_budget', fromCents: 10000, toCents: 12000 }, ...overrides });

  const start = async (config: Config, p: Proposal, outcomeDelayMs = 3_600_000) => {
    client ??= await testClient(config);
    return client.workflow.start('budgetChange', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: `${workflowIds.adsetBudgetChange(p.adset!.id, p.date, p.type)}-${config.TEMPORAL_TASK_QUEUE}`,
      args: [{ proposal: p, settings: { approvalTimeoutMs: 600_000, outcomeDelayMs, dryRun: false } }],
    });
  };
  /** The lead's n-th approval email of this test (each test starts with none). */
  const mailFor = (n: number) =>
    waitFor(
      () => smtp.messages.filter((m) => (m.to as { text: string }).text === 'lead@example.com')[n],
      20_000,
      `approval email ${n + 1}`,
    );
  const approve = async (n = 0) => {
    const res = await postDecision(linkIn((await mailFor(n)).text), 'approve');
    expect(res.status).toBe(200);
  };

  it('approved on the page in Chromium, writes exactly that ad set budget, in minor units, and nothing else', async () => {
    const config = await approvalConfig(smtp, metaEnv(sandbox, ['act_1001']));
    await withWorker(config, async () => {
      const p = scaleRetarget({
        figures: {
          windowDays: 14,
          days: [
            { date: '2025-10-10', spendCents: 9000, revenueCents: 14400 },
            { date: '2025-10-11', spendCents: 10000, revenueCents: 16000 },
          ],
        },
      });
      const handle = await start(config, p);
      const mail = await mailFor(0);
      const subject = 'ad set Retarget visitors in campaign Dental_AS (retargeting)';
      expect(mail.subject).toBe(`Approve: daily budget $100.00 -> $120.00 for ${subject} (ben)`);
      expect(mail.text).toContain(`Approve a budget change for ${subject} (ad set ${R}, dental-as, ben,`);
      expect(mail.html).toContain(`Approve a budget change for ${subject}</h2>`);

      browser ??= await launchBrowser();
      const { page, blocked, errors } = await openIsolated(browser, linkIn(mail.text), { width: 390, height: 844 });
      await expect(page.locator('[data-key="subject"]').textContent()).resolves.toContain(`${subject} · ${R}`);
      await expect(page.locator('[data-key="change"]').textContent()).resolves.toBe(
        'Daily budget $100.00 USD → $120.00 USD',
      );
      // The ad set's days as the proposal carries them: 90.00 + 100.00 spend, 144.00 + 160.00 revenue.
      const total = await page.locator('#days tr.total').textContent();
      expect(total).toContain('$190.00');
      expect(total).toContain('$304.00');
      expect(total).toContain('$114.00'); // margin 304 - 190
      await expect(page.locator('body').textContent()).resolves.toContain(
        "The numbers and the budget are the ad set's, not its campaign's.",
      );
      const decided = page.waitForResponse((res) => res.request().method() === 'POST');
      await page.locator('button.approve').click();
      await decided;
      await waitFor(async () => (await handle.query(statusQuery)).state === 'written', 20_000, 'the write');
      expect(blocked).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();

      // $120.00 in USD's minor unit (cents) is "12000"; only ad set R was written.
      expect(posts().map(written)).toEqual([[`/${R}`, '12000', undefined]]);
      expect(budgets()).toEqual([
        [R, 12000, 'ACTIVE'],
        [B, 20000, 'ACTIVE'],
        [I, 15000, 'ACTIVE'],
      ]);
      expect(sandbox.state.campaign('601')!.dailyBudget).toBeNull();
      // The read before the write was the ad set's own node, not its campaign's.
      expect(sandbox.log.some((r) => r.method === 'GET' && r.path === `/${R}`)).toBe(true);
      expect(sandbox.log.some((r) => r.method === 'GET' && r.path === '/601')).toBe(false);
      await handle.cancel(); // it would wait an hour for its outcome check
    });
  });

  it('pauses an ad set, leaving its siblings and the campaign running', async () => {
    const config = await approvalConfig(smtp, metaEnv(sandbox, ['act_1001']));
    await withWorker(config, async () => {
      const handle = await start(config, adsetProposal(broad(), { type: 'cut_loss', action: { kind: 'pause' } }));
      await approve();
      await waitFor(async () => (await handle.query(statusQuery)).state === 'written', 20_000, 'the pause');
      expect(posts().map(written)).toEqual([[`/${B}`, undefined, 'PAUSED']]);
      expect(budgets()).toEqual([
        [R, 10000, 'ACTIVE'],
        [B, 20000, 'PAUSED'],
        [I, 15000, 'ACTIVE'],
      ]);
      expect(sandbox.state.campaign('601')!.status).toBe('ACTIVE');
      await handle.cancel();
    });
  });

  it('a duplicate makes one PAUSED copy of the ad set through /copies, and ends there (no outcome check)', async () => {
    const config = await approvalConfig(smtp, metaEnv(sandbox, ['act_1001']));
    await withWorker(config, async () => {
      const handle = await start(
        config,
        adsetProposal(
          { id: I, name: 'Interest', audienceType: 'interest' },
          { type: 'manual', action: { kind: 'duplicate' } },
        ),
      );
      await approve();
      const final = (await handle.result()) as BudgetChangeStatus;
      expect(final.state).toBe('written');
      expect(posts().map((r) => [r.path, r.body.status_option])).toEqual([[`/${I}/copies`, 'PAUSED']]);
      const copies = sandbox.state.campaign('601')!.adsets.slice(3);
      expect(copies.map((a) => [a.name, a.dailyBudget, a.status])).toEqual([
        ['Interest - copy 2025-10-12 manual', 15000, 'PAUSED'],
      ]);
      expect(adsetOf(I).status).toBe('ACTIVE');
      await recordHistory(handle, 'budget-change-adset-duplicate');
    });
  });

  it("refuses at approval time when the ad set's live budget changed on Meta since the proposal, and writes nothing", async () => {
    const config = await approvalConfig(smtp, metaEnv(sandbox, ['act_1001']));
    await withWorker(config, async () => {
      const handle = await start(config, scaleRetarget());
      await waitFor(async () => (await handle.query(statusQuery)).state === 'awaiting_approval', 20_000, 'the ask');
      adsetOf(R).dailyBudget = 15000; // a buyer moved the ad set by hand; the campaign has no budget at all
      await approve();
      const final = (await handle.result()) as BudgetChangeStatus;
      expect(final.state).toBe('refused');
      expect(final.detail).toBe('the live budget is 150 but the proposal was made from 100: someone changed it since');
      expect(posts()).toEqual([]);
    });
  });

  it('checks the outcome a (shrunk) week later per ad set, from that ad set days alone', async () => {
    const config = await approvalConfig(smtp, metaEnv(sandbox, ['act_1001']));
    const today = dateIn(config.TZ, new Date());
    const seed = await Warehouse.open(config.SCALEFLOW_DB);
    const rows: string[] = [];
    const fact = (date: string, adset: string, spend: number, revenue: number) =>
      rows.push(`('${date}', 'dental-as', '${adset}', 'Dental_AS', 'n${adset}', 'ben', 'Dental', ${spend}, ${revenue},
        'act_1001', '601', 'b1')`);
    const before = datesBetween(addDays(today, -7), addDays(today, -1));
    const after = datesBetween(addDays(today, 1), addDays(today, 7));
    for (const d of before) fact(d, R, 40, 60); // margin 20/day
    for (const d of after) fact(d, R, 50, 80); // margin 30/day
    for (const d of before) fact(d, B, 30, 20); // margin -10/day; paused after: no rows
    for (const d of [...before, today, ...after]) fact(d, I, 100, 100); // unchanged: in the campaign, in no check
    fact(today, R, 999, 0); // the change day: in neither window
    await seed.run(`INSERT INTO campaign_daily_facts (date, campaign_id, adset_id, campaign_name, adset_name, owner,
      category, spend, revenue, account_id, meta_campaign_id, batch_id) VALUES ${rows.join(',')}`);
    seed.close();
    await withWorker(config, async (main) => {
      const scale = await start(config, scaleRetarget(), 1500);
      const pause = await start(config, adsetProposal(broad(), { type: 'cut_loss', action: { kind: 'pause' } }), 1500);
      await approve(0);
      await approve(1);
      expect(((await scale.result()) as BudgetChangeStatus).state).toBe('outcome_checked');
      expect(((await pause.result()) as BudgetChangeStatus).state).toBe('outcome_checked');
      const checks = await main.warehouse.all(
        `SELECT entity_type, entity_id, adset_id, campaign_id, change_date::VARCHAR AS change_date, rule,
                baseline_spend::VARCHAR AS bs, baseline_revenue::VARCHAR AS br, baseline_margin::VARCHAR AS bm,
                baseline_roas, outcome_margin::VARCHAR AS om, outcome_roas, delta_margin::VARCHAR AS dm,
                is_improving, was_right
         FROM outcome_checks ORDER BY adset_id`,
      );
      expect(checks).toEqual([
        {
          ...{ entity_type: 'adset', entity_id: R, adset_id: R, campaign_id: 'dental-as' },
          ...{ change_date: today, rule: 'scale_up' },
          ...{ bs: '280.00', br: '420.00', bm: '140.00' }, // 7 x 40, 7 x 60, 420 - 280
          baseline_roas: 150, // 420 / 280
          om: '210.00', // 7 x (80 - 50)
          outcome_roas: 160, // 560 / 350
          dm: '70.00', // 210 - 140
          is_improving: true, // margin rose
          was_right: true, // a raise: margin per day 20 -> 30
        },
        {
          ...{ entity_type: 'adset', entity_id: B, adset_id: B, campaign_id: 'dental-as' },
          ...{ change_date: today, rule: 'cut_loss' },
          ...{ bs: '210.00', br: '140.00', bm: '-70.00' }, // 7 x 30, 7 x 20, 140 - 210
          baseline_roas: 66.7, // 140 / 210 = 66.67
          om: '0.00', // paused: no spend, no revenue
          outcome_roas: null,
          dm: '70.00', // 0 - (-70)
          is_improving: true, // margin rose
          was_right: true, // a cut: the loss stopped, margin per day -10 -> 0
        },
      ]);
      // Accuracy groups still work on ad-set rows: one right of one under each rule, 2 of 2 in all.
      const accuracy = await main.warehouse.all<{ rule: string; owner: string; checked: number; right: number }>(
        sqlFile('approvals/accuracy'),
        [today, today, 'all', 'auto'],
      );
      expect(accuracy.map((a) => [a.rule, a.owner, a.checked, a.right])).toEqual([
        ['all', 'all', 2, 2],
        ['cut_loss', 'all', 1, 1],
        ['cut_loss', 'ben', 1, 1],
        ['scale_up', 'all', 1, 1],
        ['scale_up', 'ben', 1, 1],
      ]);
      await recordHistory(scale, 'budget-change-adset-written-checked');
    });
  });
});
