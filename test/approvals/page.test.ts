import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { Warehouse } from '../../services/warehouse/warehouse';
import type { BudgetChangeStatus } from '../../lib/approvals/proposal';
import { signApprovalToken } from '../../lib/approvals/tokens';
import type { Config } from '../../lib/config';
import { workflowIds } from '../../lib/names';
import { statusQuery } from '../../workflows/budget-change';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { metaEnv } from '../meta/harness';
import { loadRows, type MetricRow } from '../reports/fixtures';
import { launchBrowser, openIsolated } from '../support/browser';
import { repoRoot, waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { startWorker, testClient } from '../support/temporal';
import { APPROVAL_SECRET, approvalConfig, linkIn, proposal } from './harness';

/**
 * The approval page as an approver sees it, in Chromium, for a proposal the daily pipeline made
 * from these rows. Campaign W (ben), as of 2025-10-13 (yesterday 2025-10-12), Meta budget $200.00:
 *
 *   09-14              spend 999.00 revenue   1.00   (before the 14-day window and the optimiser's 28: never shown)
 *   09-29 .. 10-05     spend 100.00 revenue 120.00   each day except 10-01 (no row)
 *   10-06  100 / 140   10-07  100 / 130   10-08  120 / 150   10-09  100 / 160
 *   10-10  150 / 210   10-11  200 / 300   10-12  200 / 290
 *
 * By hand (METRICS.md: roas = revenue / spend x 100, one decimal; margin = revenue - spend):
 * - the last 3 days roas > 130 with spend >= $50, 3-day roas 145.5 (winner), trend stable
 *   (1d 145.0 < 3d 145.5 > 7d 142.3) -> scale_up by 40%, priority medium (margin yesterday 90 < 100),
 *   ROAS yesterday 290/200 = 145.0%. The step is sized (lib/optimizer/scale-step.ts): the spend varied
 *   ($100-$200), the curve's cautious optimum is above $240, so one 20% exploration step: $200.00 -> $240.00,
 *   potential margin gain 90 x 0.20 = $18.00 (the alert's 40% would have been $36.00).
 * - 3-day roas: (210 + 300 + 290) / (150 + 200 + 200) = 800 / 550 = 145.45 -> 145.5%.
 * - 7-day roas: revenue 140+130+150+160+210+300+290 = 1380, spend 100+100+120+100+150+200+200 = 970,
 *   1380 / 970 = 142.27 -> 142.3%. Margin per day over those 7 days: (1380 - 970) / 7 = 58.571 -> $58.57.
 * - expected margin per day after the change: $240.00 x (142.3 - 100) / 100 = $101.52.
 * - 14 days (09-29 .. 10-12, 13 rows): spend 6 x 100 + 970 = $1,570.00; revenue 6 x 120 + 1380 =
 *   $2,100.00; margin $530.00.
 */
const AS_OF = '2025-10-13';
// Budget-change ids are namespace-wide: a campaign id of its own keeps other files' runs apart.
const CAMPAIGN = 'approval-page-w';
const TZ = 'America/New_York';
const NAME = 'Dental<img src=x onerror=alert(1)>_W & "Co"';
const day = (date: string, spend: string, revenue: string): MetricRow => ({
  date,
  campaign_id: CAMPAIGN,
  campaign_name: NAME,
  owner: 'ben',
  category: 'Dental',
  spend,
  revenue,
});
const rows: MetricRow[] = [
  day('2025-09-14', '999.00', '1.00'),
  ...['2025-09-29', '2025-09-30', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05'].map((d) =>
    day(d, '100.00', '120.00'),
  ),
  day('2025-10-06', '100.00', '140.00'),
  day('2025-10-07', '100.00', '130.00'),
  day('2025-10-08', '120.00', '150.00'),
  day('2025-10-09', '100.00', '160.00'),
  day('2025-10-10', '150.00', '210.00'),
  day('2025-10-11', '200.00', '300.00'),
  day('2025-10-12', '200.00', '290.00'),
];

const artifacts = join(repoRoot, 'test-artifacts');
/** An instant as the page must print it: in TZ, never ISO UTC. */
const inTz = (ms: number) =>
  new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: TZ,
    timeZoneName: 'short',
  }).format(ms);
const WEEK = 7 * 24 * 3600 * 1000;

describe('the approval page shows what an approver needs', () => {
  let smtp: SmtpCapture;
  let sandbox: MetaSandbox;
  let client: Client;
  let config: Config;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let browser: Browser;
  let link: string;
  const workflowId = workflowIds.budgetChange(CAMPAIGN, AS_OF, 'scale_up');

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    smtp = await startSmtpCapture();
    sandbox = await startMetaSandbox();
    sandbox.state.addAccount('act_1001', { currency: 'USD' });
    sandbox.state.addCampaign('act_1001', { name: 'Dental_W', dailyBudget: 20000 }, '501');
    config = await approvalConfig(smtp, { ...metaEnv(sandbox, ['act_1001']), TZ, OUTCOME_DELAY: '7d' });
    const seed = await Warehouse.open(config.SCALEFLOW_DB);
    await loadRows(seed, rows);
    await seed.run(
      `INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, category, account_id) VALUES ($1, '501', 'ben', 'Dental', 'act_1001')`,
      [CAMPAIGN],
    );
    seed.close();
    client = await testClient(config);
    worker = await startWorker(config);
    await client.workflow.execute('dailyPipeline', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: `${workflowIds.daily(AS_OF)}-${config.TEMPORAL_TASK_QUEUE}`,
      args: [{ date: AS_OF }],
    });
    const mail = await waitFor(
      () =>
        smtp.messages.find(
          (m) => (m.to as { text: string }).text === 'lead@example.com' && m.subject?.startsWith('Approve:'),
        ),
      20_000,
      "the lead's approval email",
    );
    link = linkIn(mail.text);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await client?.connection.close();
    await sandbox?.close();
    await smtp?.close();
  });

  /** Opens the link at a viewport; any request that is not the worker's page is blocked and counted. */
  const open = (url: string, width: number, height: number) => openIsolated(browser, url, { width, height });

  const fact = (page: Page, label: string) => page.locator(`td[data-fact="${label}"] .value`).textContent();
  const note = (page: Page, label: string) => page.locator(`td[data-fact="${label}"] .note`).textContent();

  it('the proposal carries the 14 days it was made on, and the page shows them with currency, % and readable labels', async () => {
    const status = await client.workflow.getHandle(workflowId).query(statusQuery);
    expect(status.proposal.currency).toBe('USD');
    expect(status.proposal.figures?.days.map((d) => d.date)).toEqual([
      '2025-09-29',
      '2025-09-30',
      '2025-10-02',
      '2025-10-03',
      '2025-10-04',
      '2025-10-05',
      '2025-10-06',
      '2025-10-07',
      '2025-10-08',
      '2025-10-09',
      '2025-10-10',
      '2025-10-11',
      '2025-10-12',
    ]);
    expect(status.outcomeDelayMs).toBe(WEEK);

    const before = Date.now();
    const { page, blocked, errors } = await open(link, 1280, 800);
    const after = Date.now();
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    // The hostile campaign name is text, not markup.
    expect(await page.locator('img').count()).toBe(0);
    await expect(page.locator('p.muted').first().textContent()).resolves.toContain(NAME);

    await expect(page.locator('[data-key="change"]').textContent()).resolves.toBe(
      'Daily budget $200.00 USD → $240.00 USD',
    );
    await expect(page.locator('.change-detail').textContent()).resolves.toBe('+$40.00 USD a day (+20.0%)');
    await expect(fact(page, 'ROAS yesterday')).resolves.toBe('145.0%');
    await expect(fact(page, 'Scale by')).resolves.toBe('+20%');
    await expect(fact(page, "The alert's step")).resolves.toBe('+40%');
    await expect(fact(page, 'Potential margin gain')).resolves.toBe('$18.00 USD a day');
    await expect(fact(page, 'Priority')).resolves.toBe('Medium');
    await expect(fact(page, 'ROAS, last 3 days')).resolves.toBe('145.5%');
    await expect(fact(page, 'ROAS, last 7 days')).resolves.toBe('142.3%');
    await expect(fact(page, 'Margin per day, last 7 days')).resolves.toBe('$58.57 USD a day');
    await expect(fact(page, 'Expected margin per day after the change')).resolves.toBe('$101.52 USD a day');
    await expect(note(page, 'Expected margin per day after the change')).resolves.toBe(
      '$240.00 USD x (7-day ROAS 142.3% - 100%)',
    );
    // "about", because it depends on when the approver clicks: now + 7 days, in TZ.
    const outcome = (await fact(page, 'Outcome check'))!;
    expect([`about ${inTz(before + WEEK)} if approved now`, `about ${inTz(after + WEEK)} if approved now`]).toContain(
      outcome,
    );
    expect(outcome).toMatch(/ E[DS]T if approved now$/);
    await expect(note(page, 'Outcome check')).resolves.toBe('approval time + 7 days, once the change is written');
    const status2 = (await client.workflow.getHandle(workflowId).query(statusQuery)) as BudgetChangeStatus;
    await expect(fact(page, 'Link expires')).resolves.toBe(inTz(Date.parse(status2.expiresAt!)));
    const body = (await page.locator('body').textContent())!;
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(body).not.toMatch(/scale pct|current roas|potential margin gain:/i);
    expect(body).toContain('budget x (7-day ROAS - 100%)');

    // The 14 days: a chart drawn on the server, and a table with the missing day and the totals.
    const svg = page.locator('#days figure.chart svg');
    expect(await svg.count()).toBe(1);
    expect((await svg.boundingBox())!.width).toBeGreaterThan(300);
    await expect(page.locator('#days .legend').textContent()).resolves.toBe('SpendRevenueMargin');
    const table = await page
      .locator('#days table.days tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(table).toHaveLength(15);
    expect(table[0]).toEqual(['Mon, Sep 29', '$100.00', '$120.00', '$20.00']);
    expect(table[2]).toEqual(['Wed, Oct 1', 'n/a', 'n/a', 'n/a']);
    expect(table[13]).toEqual(['Sun, Oct 12', '$200.00', '$290.00', '$90.00']);
    expect(table[14]).toEqual(['14 days', '$1,570.00', '$2,100.00', '$530.00']);
    const shot = join(artifacts, 'approval-desktop.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    await page.context().close();
  });

  it('fits a phone: nothing wider than the screen, the change, the figures and the buttons in reach', async () => {
    const { page, blocked, errors } = await open(link, 390, 844);
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    for (const selector of [
      '[data-key="change"]',
      'td[data-fact="Expected margin per day after the change"]',
      'td[data-fact="ROAS, last 7 days"]',
      'button.approve',
      'button.reject',
      '#days figure.chart svg',
      '#days table.days',
    ]) {
      const box = (await page.locator(selector).boundingBox())!;
      expect(box, selector).not.toBeNull();
      expect(box.x, selector).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, selector).toBeLessThanOrEqual(390);
    }
    // The change and its price are on the first screen, before any scrolling.
    const change = (await page.locator('[data-key="change"]').boundingBox())!;
    expect(change.y + change.height).toBeLessThanOrEqual(844);
    // What the approver sees before scrolling, and the whole page.
    await page.screenshot({ path: join(artifacts, 'approval-phone-first-screen.png') });
    const shot = join(artifacts, 'approval-phone.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    await page.context().close();
  });

  it('after Approve, the decision and the outcome check are in TZ: approval time + 7 days', async () => {
    const { page } = await open(link, 390, 844);
    // The form's POST answers with the decided page: wait for that answer, then for its load.
    const decided = page.waitForResponse((res) => res.request().method() === 'POST');
    await page.locator('button.approve').click();
    await decided;
    await page.waitForLoadState('load');
    const status = (await client.workflow.getHandle(workflowId).query(statusQuery)) as BudgetChangeStatus;
    const at = Date.parse(status.decision!.at);
    await expect(page.locator('[role="status"]').textContent()).resolves.toContain(
      `by lead@example.com at ${inTz(at)}`,
    );
    await expect(fact(page, 'Outcome check')).resolves.toBe(`about ${inTz(at + WEEK)}`);
    await waitFor(
      async () => (await client.workflow.getHandle(workflowId).query(statusQuery)).state === 'written',
      20_000,
      'the budget write',
    );
    expect(sandbox.state.campaign('501')!.dailyBudget).toBe(24000);
    await page.context().close();
  });

  it('a proposal recorded before the figures were carried says "not recorded" instead of guessing', async () => {
    // harness proposal(): no currency, no figures, evidence { roas_3d: 142.1, margin_yesterday: '278.40' }
    const old = proposal({ campaignId: 'old-run' });
    const id = workflowIds.budgetChange(old.campaignId, old.date, old.type);
    await client.workflow.start('budgetChange', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: id,
      args: [{ proposal: old, settings: { approvalTimeoutMs: 600_000, outcomeDelayMs: WEEK, dryRun: true } }],
    });
    await waitFor(
      async () => (await client.workflow.getHandle(id).query(statusQuery)).state === 'awaiting_approval',
      20_000,
      'awaiting approval',
    );
    const token = await signApprovalToken(APPROVAL_SECRET, {
      workflowId: id,
      approver: 'lead@example.com',
      expiresAt: Date.now() + 60_000,
    });
    const { page, errors } = await open(`${config.PUBLIC_BASE_URL}/approve/${token}`, 390, 844);
    expect(errors).toEqual([]);
    await expect(page.locator('[data-key="change"]').textContent()).resolves.toBe(
      'Daily budget $200.00 USD → $280.00 USD',
    );
    await expect(fact(page, 'ROAS, last 3 days')).resolves.toBe('142.1%');
    await expect(fact(page, 'ROAS, last 7 days')).resolves.toBe('not recorded');
    await expect(fact(page, 'Margin yesterday')).resolves.toBe('$278.40 USD');
    await expect(fact(page, 'Expected margin per day after the change')).resolves.toBe('not recorded');
    await expect(page.locator('#days').textContent()).resolves.toContain('Daily numbers: not recorded');
    expect(await page.locator('#days svg').count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await client.workflow.getHandle(id).cancel();
    await page.context().close();
  });
});
