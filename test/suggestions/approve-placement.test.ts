import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Client } from '@temporalio/client';
import type { Proposal } from '../../lib/approvals/proposal';
import { planSuggestions } from '../../services/decisions/suggestion-plan';
import { evaluateDay } from '../../services/decisions/evaluate-day';
import { loadBreakdownRules } from '../../services/decisions/suggestions';
import { Warehouse } from '../../services/warehouse/warehouse';
import { statusQuery } from '../../workflows/budget-change';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { metaEnv } from '../meta/harness';
import { launchBrowser, openIsolated } from '../support/browser';
import { waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { testClient, withWorker } from '../support/temporal';
import { approvalConfig, linkIn, postDecision } from '../approvals/harness';
import { loadSuggestionAccount, SUGGEST_AS_OF } from './fixture';

/**
 * Issue 21, Done when (first line), end to end from the breakdown rows the sync stores: the hand-
 * worked account of fixture.ts, its suggestions evaluated by the daily evaluation and planned as the
 * pipeline plans them, the placement suggestion approved in Chromium, and the ad set's targeting
 * written once on the Graph API sandbox through the SDK.
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
    // The day's evaluation and plan, on the worker's own warehouse file before the worker opens it.
    const warehouse = await Warehouse.open(config.SCALEFLOW_DB);
    let planned: { workflowId: string; proposal: Proposal }[];
    try {
      await loadSuggestionAccount(warehouse, a.id, b.id);
      await evaluateDay(warehouse, config, SUGGEST_AS_OF);
      planned = (await planSuggestions(warehouse, loadBreakdownRules(config.RULES_DIR), SUGGEST_AS_OF, true)).changes;
    } finally {
      await warehouse.close();
    }
    expect(planned.map((c) => c.proposal.adset?.id)).toEqual([a.id]);
    const { proposal, workflowId } = planned[0]!;

    await withWorker(config, async () => {
      client ??= await testClient(config);
      const start = (suffix: string) =>
        client!.workflow.start('budgetChange', {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowId: `${workflowId}-${config.TEMPORAL_TASK_QUEUE}${suffix}`,
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
      // No ad-set sync ran here, so the warehouse knows the ad set by its id only.
      expect(mail.subject).toBe(
        `Approve: exclude instagram/story from the ad set's placements for ad set ${a.id} in campaign shoes-as (broad) (ben)`,
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
    });
    // A worker, two workflow runs and Chromium on a shared machine.
  }, 180_000);
});
