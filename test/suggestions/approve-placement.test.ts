import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Client } from '@temporalio/client';
import { planSuggestions } from '../../services/decisions/suggestion-plan';
import { evaluateDay } from '../../services/decisions/evaluate-day';
import { loadBreakdownRules } from '../../services/decisions/suggestions';
import { renderReportFiles } from '../../services/reports/engine';
import { workflowIds } from '../../lib/names';
import { statusQuery } from '../../workflows/budget-change';
import type { BreakdownSyncResult } from '../../workflows/breakdown-sync';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { metaEnv } from '../meta/harness';
import { launchBrowser, openIsolated } from '../support/browser';
import { waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { startWorker, testClient } from '../support/temporal';
import { approvalConfig, linkIn, postDecision } from '../approvals/harness';
import { mapSuggestionCampaign, seedSuggestionSandbox, SUGGEST_AS_OF } from './fixture';

/**
 * Issue 21, Done when (first line), end to end on the real sync: the hand-worked account of
 * fixture.ts lives in the Graph API sandbox (rows per day), the worker's breakdownSync reads its 15
 * days, the daily evaluation raises the suggestions and the heatmap cell shows them, they are
 * planned as the pipeline plans them, the placement suggestion is approved in Chromium, and the ad
 * set's targeting is written once on the sandbox through the SDK (its request log).
 */
describe('approving a placement suggestion writes the ad set targeting once', () => {
  let smtp: SmtpCapture;
  let sandbox: MetaSandbox;
  let client: Client | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    smtp = await startSmtpCapture();
    sandbox = await startMetaSandbox();
  });
  afterAll(async () => {
    await browser?.close();
    await client?.connection.close();
    await sandbox?.close();
    await smtp.close();
  });

  it('excludes instagram/story from ad set A only, and a second approval sends nothing', async () => {
    sandbox.state.addAccount('act_2001', { currency: 'USD' });
    const campaign = sandbox.state.addCampaign('act_2001', { name: 'Shoes_AS', cbo: false, dailyBudget: 12000 }, '701');
    const a = campaign.adsets[0]!;
    const b = sandbox.state.copyAdset(a.id, '', 'ACTIVE');
    const targeting = {
      geo_locations: { countries: ['US'] },
      publisher_platforms: ['facebook', 'instagram'],
      facebook_positions: ['feed'],
      instagram_positions: ['story'],
    };
    Object.assign(a, { name: 'Shoes A', targeting: structuredClone(targeting) });
    Object.assign(b, { name: 'Shoes B', dailyBudget: 6000, targeting: structuredClone(targeting) });

    const config = await approvalConfig(smtp, metaEnv(sandbox, ['act_2001']));
    const days = seedSuggestionSandbox(sandbox.state, a.id, b.id);
    const worker = await startWorker(config);
    try {
      client ??= await testClient(config);
      const queue = config.TEMPORAL_TASK_QUEUE;
      // The spend sync tells which entity holds each budget (here the ad sets); then the breakdown
      // sync reads each of the 15 days from the sandbox (09-28, outside the window, and 09-29..10-12),
      // all at once: 75 loads taking turns on the worker's one warehouse connection.
      const hour = `${new Date().toISOString().slice(0, 13)}:00:00Z`;
      await client.workflow.execute('spendSync', {
        taskQueue: queue,
        workflowId: `${workflowIds.spendSync(hour)}/${queue}`,
        args: [{ hour }],
      });
      const synced = await Promise.all(
        days.map(
          (date) =>
            client!.workflow.execute('breakdownSync', {
              taskQueue: queue,
              workflowId: `${workflowIds.breakdownSync('act_2001', date)}/${queue}`,
              args: [{ account: 'act_2001', date }],
            }) as Promise<BreakdownSyncResult>,
        ),
      );
      // Rows Meta gave a day (level=adset): placement A 3 + B 2 = 5; hours A 12 + B 1 = 13 (on 09-28
      // A has hour 22 only: 2); age/gender A 2; no country or region rows.
      expect(synced.map((r) => [r.date, r.rows])).toEqual(
        days.map((date, i) => [date, { placement: 5, hour: i === 0 ? 2 : 13, age_gender: 2, country: 0, region: 0 }]),
      );

      // The day's evaluation and plan, on the worker's own warehouse (strateg.is's campaign map names the owner).
      const warehouse = worker.main.warehouse;
      await mapSuggestionCampaign(warehouse);
      await evaluateDay(warehouse, config, SUGGEST_AS_OF);
      const planned = (await planSuggestions(warehouse, loadBreakdownRules(config.RULES_DIR), SUGGEST_AS_OF, true))
        .changes;
      expect(planned.map((c) => c.proposal.adset?.id)).toEqual([a.id]);
      const { proposal, workflowId } = planned[0]!;
      // The suggestions, with their numbers. Placement (A, 14 days): instagram/story 14 x 20.00 =
      // 280.00 spent, 14 x 10.00 = 140.00 back, ROAS 50.0%; A's own 14 x 120.00 = 1680.00 spent,
      // 14 x 260.00 = 3640.00 back, 216.7%; 50.0 / 216.7 = 23.1% of A's, under 50%, and 280 >= 200.
      // B's story (140.00 spent) is under the $200 floor. Hours (A): 19, 20, 21 lose 5.00 on 11 of
      // 14 days (>= 10), hour 22 on 9 (09-28's loss is outside the window); B's hour 12 never loses.
      // Each of those hours: 14 x 10.00 = 140.00 spent, 11 x 5.00 + 3 x 15.00 = 100.00 back.
      const hourSegment = (segment: string) => ({
        type: 'dayparting_suggestion',
        entity_id: a.id,
        segment,
        spend: '140.00',
        purchase_value: '100.00',
        days_lost: 11,
      });
      const segments = await warehouse.all<Record<string, unknown>>(
        `SELECT type, entity_id, segment, spend::VARCHAR AS spend, purchase_value::VARCHAR AS purchase_value,
                days_lost, roas, entity_roas
         FROM suggestion_segments WHERE as_of = $1 ORDER BY type, segment`,
        [SUGGEST_AS_OF],
      );
      expect(segments.map(({ roas: _r, entity_roas: _e, ...rest }) => rest)).toEqual([
        hourSegment('19:00'),
        hourSegment('20:00'),
        hourSegment('21:00'),
        // Story loses (10.00 back on 20.00) on all 14 days.
        {
          type: 'placement_suggestion',
          entity_id: a.id,
          segment: 'instagram/story',
          spend: '280.00',
          purchase_value: '140.00',
          days_lost: 14,
        },
      ]);
      expect(segments[3]!.roas).toBe(50);
      // 3640 / 1680 = 216.67%, kept to one decimal as a percent.
      expect(segments[3]!.entity_roas).toBe(216.7);
      // The heatmap cell (065) on the synced rows: hour 19, A and B (B spends only at 12), 5.00 - 10.00 =
      // -5.00 on the 11 bad days and 15.00 - 10.00 = +5.00 on 10-01, 10-05, 10-09.
      const reportsDir = mkdtempSync(join(inject('scratchDir'), 'approve-placement-reports-'));
      const heatmap = (await renderReportFiles({ warehouse, reportsDir, asOf: SUGGEST_AS_OF, owner: 'ben' })).view
        .byName.hour_heatmap!;
      const at19 = heatmap.rows.filter((r) => Number(r.hour) === 19);
      expect(at19.filter((r) => r.margin === '-5.00')).toHaveLength(11);
      expect(at19.filter((r) => r.margin === '5.00').map((r) => r.day)).toEqual([
        '2025-10-01',
        '2025-10-05',
        '2025-10-09',
      ]);
      expect(heatmap.sentence.text).toContain(
        'Lost money on 10 or more days: 19:00 (11 days), 20:00 (11 days), 21:00 (11 days).',
      );

      const start = (suffix: string) =>
        client!.workflow.start('budgetChange', {
          taskQueue: queue,
          workflowId: `${workflowId}-${queue}${suffix}`,
          args: [{ proposal, settings: { approvalTimeoutMs: 600_000, outcomeDelayMs: 3_600_000, dryRun: false } }],
        });
      const handle = await start('');
      const mailTo = (n: number) =>
        waitFor(
          () => smtp.messages.filter((m) => (m.to as { text: string }).text === 'lead@example.com')[n],
          20_000,
          `approval email ${n + 1}`,
        );
      const mail = await mailTo(0);
      // The spend sync read the ad sets, so the warehouse knows A by its name.
      expect(mail.subject).toBe(
        `Approve: exclude instagram/story from the ad set's placements for ad set Shoes A in campaign shoes-as (broad) (ben)`,
      );

      browser ??= await launchBrowser();
      const { page, blocked, errors } = await openIsolated(browser, linkIn(mail.text), { width: 390, height: 844 });
      await expect(page.locator('[data-key="change"]').textContent()).resolves.toBe('Exclude instagram/story');
      // The numbers behind it, as the rule read them: 280.00 spent, 140.00 back, 50.0% against A's 216.7%.
      const body = (await page.locator('body').textContent()) ?? '';
      expect(body).toContain('$280.00');
      expect(body).toContain('$140.00');
      const decided = page.waitForResponse((res) => res.request().method() === 'POST');
      await page.locator('button.approve').click();
      await decided;
      await waitFor(async () => (await handle.query(statusQuery)).state === 'written', 20_000, 'the write');
      expect(blocked).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();

      // One POST, to ad set A, with the targeting less instagram (its only position was story).
      const posts = () => sandbox.log.filter((r) => r.method === 'POST');
      expect(posts().map((r) => [r.path, JSON.parse(String(r.body.targeting))])).toEqual([
        [
          `/${a.id}`,
          { geo_locations: { countries: ['US'] }, publisher_platforms: ['facebook'], facebook_positions: ['feed'] },
        ],
      ]);
      expect(a.targeting).toEqual({
        geo_locations: { countries: ['US'] },
        publisher_platforms: ['facebook'],
        facebook_positions: ['feed'],
      });
      expect(b.targeting).toEqual(targeting);
      expect([a.dailyBudget, a.status]).toEqual([12000, 'ACTIVE']);

      // The same proposal approved again (a second run of the day): refused inside the change
      // cooldown, so nothing is sent; the write's own read-before-write is the next test's.
      const again = await start('-again');
      const second = await mailTo(1);
      expect((await postDecision(linkIn(second.text), 'approve')).status).toBe(200);
      await waitFor(async () => (await again.query(statusQuery)).state === 'refused', 20_000, 'the second run');
      expect((await again.query(statusQuery)).detail).toMatch(
        /^the ad set changed 0\.0 h ago, inside the \d+ h cooldown$/,
      );
      expect(posts()).toHaveLength(1);
    } finally {
      await worker.stop();
    }
    // A worker, two workflow runs and Chromium on a shared machine.
  }, 180_000);
});
