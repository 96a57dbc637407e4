import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { BudgetChangeStatus } from '../../lib/approvals/proposal';
import { addDays, dateIn, datesBetween } from '../../lib/dates';
import { workflowIds } from '../../lib/names';
import { freePort } from '../../scripts/temporal.mjs';
import { signApiToken } from '../../workers/http/jwt';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { SandboxState } from '../../workers/meta-sandbox/state';
import { statusQuery } from '../../workflows/budget-change';
import type { DailyRunSummary } from '../../workflows/daily-pipeline';
import { approvalConfig, linkIn, postDecision } from '../approvals/harness';
import { metaEnv } from '../meta/harness';
import { jsonApi } from '../support/api';
import { waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { testClient, withWorker } from '../support/temporal';

/**
 * Issue 19's first "Done when" line on one run: the real dev server and worker, the Graph API
 * sandbox through the SDK, strateg.is over HTTP through the real ingest, loopback SMTP.
 *
 * Campaign "Dental_AB" (strateg.is `ab`, Meta 701) holds no budget; its three ad sets do, and
 * strateg.is reports them at level adset, for each of the 7 days before today:
 *   W "Dentistry fans" (interest targeting) $150.00/day on Meta; spend 100, revenue 160 -> 160%
 *   L "Broad loser"    (broad)              $120.00/day;          spend 120, revenue  72 ->  60%
 *   M "Broad middle"   (broad)              $100.00/day;          spend 100, revenue 105 -> 105%
 *   campaign: spend 320, revenue 337 a day -> 337 / 320 = 105.3%: average, so at campaign level a hold.
 * At auto: W's alert scales by 40% x interest 0.75 = +30%, held to one 20% step (steady spend): 15000 x 1.2 = 18000;
 * L is paused; M holds.
 */
const CAMPAIGN = 'Dental_AB';
const W_NAME = 'Dentistry fans';
const L_NAME = 'Broad loser';
const M_NAME = 'Broad middle';
const SECRET = 'adset-e2e-secret-adset-e2e-secret-42';

describe('an ad-set-budget campaign end to end (issue 19, first Done-when line)', () => {
  let smtp: SmtpCapture;
  let sandbox: MetaSandbox;
  let strategis: Server;
  let csv = '';
  let client: Client;
  let W: string, L: string, M: string;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    // Ad set ids of their own (not the sandbox's usual first ids), so the bare budget-change ids
    // this run starts cannot meet another test file's on the shared dev server.
    const state = SandboxState.fromSnapshot({ nextId: 120_219_190_000_000, accounts: [], campaigns: [] });
    sandbox = await startMetaSandbox({ state });
    sandbox.state.addAccount('act_1901', { currency: 'USD' });
    const campaign = sandbox.state.addCampaign(
      'act_1901',
      {
        name: CAMPAIGN,
        cbo: false,
        adsets: [
          {
            name: W_NAME,
            dailyBudget: 15000,
            targeting: {
              geo_locations: { countries: ['US'] },
              flexible_spec: [{ interests: [{ id: '6003', name: 'Dentistry' }] }],
            },
          },
          { name: L_NAME, dailyBudget: 12000 },
          { name: M_NAME, dailyBudget: 10000 },
        ],
      },
      '701',
    );
    [W, L, M] = campaign.adsets.map((a) => a.id) as [string, string, string];
    const port = await freePort();
    strategis = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/csv' }).end(csv));
    await new Promise<void>((resolve) => strategis.listen(port, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await client?.connection.close();
    await new Promise<void>((resolve) => strategis.close(() => resolve()));
    await sandbox.close();
    await smtp.close();
  });

  it('holds the campaign, proposes +20% (the alert said +30%, one step) on the interest winner and a pause of the loser, writes exactly those, checks each ad set', async () => {
    const port = (strategis.address() as { port: number }).port;
    const config = await approvalConfig(smtp, {
      ...metaEnv(sandbox, ['act_1901']),
      STRATEGIS_REPORT_URL: `http://127.0.0.1:${port}/report?start={start}&end={end}`,
      STRATEGIS_API_TOKEN: 't',
      JWT_SECRET: SECRET,
      OUTCOME_DELAY: '3s',
    });
    // Today in the worker's zone: the run's date, and the day each approved change is written on,
    // so the outcome baseline (the 7 days before the change) is exactly the 7 days loaded here.
    const today = dateIn(config.TZ, new Date());
    const days = datesBetween(addDays(today, -7), addDays(today, -1));
    const line = (date: string, adset: string, name: string, spend: string, revenue: string) =>
      `${date},ab,${CAMPAIGN},tj,Dental,act_1901,701,adset,${adset},${name},${spend},${revenue}`;
    csv = [
      'date,campaign_id,campaign_name,owner,category,account_id,meta_campaign_id,level,adset_id,adset_name,spend,revenue',
      ...days.flatMap((d) => [
        line(d, W, W_NAME, '100.00', '160.00'),
        line(d, L, L_NAME, '120.00', '72.00'),
        line(d, M, M_NAME, '100.00', '105.00'),
      ]),
      '',
    ].join('\n');
    client = await testClient(config);
    const wW = workflowIds.adsetBudgetChange(W, today, 'scale_up');
    const wL = workflowIds.adsetBudgetChange(L, today, 'cut_loss');

    await withWorker(config, async (main) => {
      // The hourly sync, once: meta_adset_state comes from the sandbox, not from the test.
      await client.workflow.execute('spendSync', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: `spend-sync-e2e-${config.TEMPORAL_TASK_QUEUE}`,
        args: [{}],
      });
      expect(
        await main.warehouse.all(
          `SELECT adset_id, daily_budget::VARCHAR AS budget, holds_budget, audience_type
           FROM meta_adset_state ORDER BY adset_id`,
        ),
      ).toEqual([
        { adset_id: W, budget: '150.00', holds_budget: true, audience_type: 'interest' },
        { adset_id: L, budget: '120.00', holds_budget: true, audience_type: 'broad' },
        { adset_id: M, budget: '100.00', holds_budget: true, audience_type: 'broad' },
      ]);

      // The day at the default level (auto): strateg.is pulled over HTTP and loaded, then decided.
      const summary = (await client.workflow.execute('dailyPipeline', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: `${workflowIds.daily(today)}-${config.TEMPORAL_TASK_QUEUE}`,
        args: [{ date: today }],
      })) as DailyRunSummary;
      expect(summary.decisions.skipped).toEqual([]);
      expect([...summary.decisions.proposed].sort()).toEqual([wL, wW].sort());
      const adsetRows = await main.warehouse.all(
        `SELECT adset_id, revenue_source, sum(spend)::VARCHAR AS spend, sum(revenue)::VARCHAR AS revenue
         FROM daily_adset_metrics GROUP BY ALL ORDER BY adset_id`,
      );
      expect(adsetRows).toEqual([
        { adset_id: W, revenue_source: 'strategis', spend: '700.00', revenue: '1120.00' }, // 7 x 100, 7 x 160
        { adset_id: L, revenue_source: 'strategis', spend: '840.00', revenue: '504.00' }, // 7 x 120, 7 x 72
        { adset_id: M, revenue_source: 'strategis', spend: '700.00', revenue: '735.00' }, // 7 x 100, 7 x 105
      ]);

      // The same day at campaign level, through the API: the campaign as a whole holds.
      const token = await signApiToken(SECRET, { sub: 'lead@example.com', role: 'manager' });
      const { get } = jsonApi(
        () => main.http!.url,
        () => token,
      );
      const decisionsAt = async (level: string) => {
        const { status, body } = await get(`/api/facebook/decisions?as_of=${today}&level=${level}`);
        expect(status).toBe(200);
        return (body.decisions as Record<string, unknown>[]).map((d) => [d.entity_type, d.entity_id, d.recommendation]);
      };
      expect(await decisionsAt('campaign')).toEqual([['campaign', 'ab', 'hold']]); // 337 / 320 = 105.3%
      expect((await decisionsAt('auto')).sort()).toEqual(
        [
          ['adset', W, 'scale_30_percent'], // 160%: 40 x 0.75 (interest)
          ['adset', L, 'pause'], // 60%
          ['adset', M, 'hold'], // 105%
        ].sort(),
      );

      // Two approval emails to tj's approver (the default), each naming the ad set in its campaign.
      const mails = await waitFor(
        () => {
          const found = smtp.messages.filter((m) => m.subject?.startsWith('Approve:'));
          return found.length >= 2 && found;
        },
        20_000,
        'two approval emails',
      );
      expect(mails.map((m) => m.subject).sort()).toEqual([
        `Approve: daily budget $150.00 -> $180.00 for ad set ${W_NAME} in campaign ${CAMPAIGN} (interest) (tj)`,
        `Approve: pause the ad set for ad set ${L_NAME} in campaign ${CAMPAIGN} (broad) (tj)`,
      ]);
      const w = client.workflow.getHandle(wW);
      expect((await w.query(statusQuery)).proposal.action).toEqual({
        kind: 'set_daily_budget',
        // interest: 30% would be $195.00; one 20% step is the most a steady spend allows (the cautious
        // optimum, slope 0.75 without noise, is 100 * (1.6 * 0.75)^4 = $207.36): $150.00 * 1.2 = $180.00.
        fromCents: 15000,
        toCents: 18000,
      });
      // The proposal carries the ad set's own days for its page: 7 x $100.00 spend, 7 x $160.00 revenue.
      const figures = (await w.query(statusQuery)).proposal.figures;
      expect(figures?.days.map((d) => [d.date, d.spendCents, d.revenueCents])).toEqual(
        days.map((d) => [d, 10000, 16000]),
      );

      // ...and its approval page (the link in its email) shows them: 700.00 spend, 1,120.00 revenue, 420.00 margin.
      const page = await (await fetch(linkIn(mails.find((m) => m.subject!.includes(W_NAME))!.text))).text();
      const total = /<tr class="total">([\s\S]*?)<\/tr>/.exec(page)?.[1] ?? '';
      expect(total).toContain('$700.00');
      expect(total).toContain('$1,120.00');
      expect(total).toContain('$420.00');

      // The week after the change, as the next pulls would bring it. strateg.is refuses dates after
      // today, so these rows go into the worker's own warehouse directly: W at its new $130/day
      // earning 195 (150%), M unchanged, L paused (no rows).
      const after = datesBetween(addDays(today, 1), addDays(today, 7));
      const fact = (date: string, adset: string, name: string, spend: number, revenue: number) =>
        `('${date}', 'ab', '${adset}', '${CAMPAIGN}', '${name}', 'tj', 'Dental', ${spend}, ${revenue}, 'act_1901', '701', 'next')`;
      await main.warehouse.run(`INSERT INTO campaign_daily_facts (date, campaign_id, adset_id, campaign_name,
        adset_name, owner, category, spend, revenue, account_id, meta_campaign_id, batch_id) VALUES
        ${after.flatMap((d) => [fact(d, W, W_NAME, 130, 195), fact(d, M, M_NAME, 100, 105)]).join(',')}`);

      // Approve both, by the links the emails carry.
      for (const mail of mails) expect((await postDecision(linkIn(mail.text), 'approve')).status).toBe(200);
      const l = client.workflow.getHandle(wL);
      const [wFinal, lFinal] = (await Promise.all([w.result(), l.result()])) as BudgetChangeStatus[];
      expect([wFinal!.state, lFinal!.state]).toEqual(['outcome_checked', 'outcome_checked']);

      // The two alerts are marked acted, each linked to its ad set's run; M raised none.
      expect(
        await main.warehouse.all('SELECT entity_type, entity_id, type, status, workflow_id FROM alerts ORDER BY type'),
      ).toEqual([
        { entity_type: 'adset', entity_id: L, type: 'cut_loss', status: 'acted', workflow_id: wL },
        { entity_type: 'adset', entity_id: W, type: 'scale_up', status: 'acted', workflow_id: wW },
      ]);

      // Exactly two writes: W's budget in cents ($180.00 -> "18000") and L's status; nothing to
      // the campaign (701) or to M.
      const writes = sandbox.log
        .filter((r) => r.method === 'POST' && r.path !== '/')
        .map((r) => [r.path, r.body.daily_budget, r.body.status]);
      expect(writes.sort()).toEqual(
        [
          [`/${W}`, '18000', undefined],
          [`/${L}`, undefined, 'PAUSED'],
        ].sort(),
      );
      expect(sandbox.state.campaign('701')!.adsets.map((a) => [a.id, a.dailyBudget, a.status])).toEqual([
        [W, 18000, 'ACTIVE'],
        [L, 12000, 'PAUSED'],
        [M, 10000, 'ACTIVE'],
      ]);
      expect(sandbox.state.campaign('701')!.dailyBudget).toBeNull();

      // The (shortened) week later, one outcome check per ad set, from that ad set's days alone.
      const checks = await main.warehouse.all(
        `SELECT entity_type, entity_id, campaign_id, rule, change_date::VARCHAR AS change_date,
                baseline_spend::VARCHAR AS bs, baseline_revenue::VARCHAR AS br, baseline_margin::VARCHAR AS bm,
                baseline_roas, outcome_margin::VARCHAR AS om, outcome_roas, delta_margin::VARCHAR AS dm,
                is_improving, was_right
         FROM outcome_checks ORDER BY rule`,
      );
      expect(checks).toEqual([
        {
          ...{ entity_type: 'adset', entity_id: L, campaign_id: 'ab', rule: 'cut_loss', change_date: today },
          ...{ bs: '840.00', br: '504.00', bm: '-336.00' }, // 7 x 120, 7 x 72, 504 - 840
          baseline_roas: 60, // 504 / 840
          om: '0.00', // paused: no spend, no revenue
          outcome_roas: null,
          dm: '336.00', // 0 - (-336)
          is_improving: true, // margin rose
          was_right: true, // a cut: the loss stopped, margin per day -48 -> 0
        },
        {
          ...{ entity_type: 'adset', entity_id: W, campaign_id: 'ab', rule: 'scale_up', change_date: today },
          ...{ bs: '700.00', br: '1120.00', bm: '420.00' }, // 7 x 100, 7 x 160, 1120 - 700
          baseline_roas: 160, // 1120 / 700
          om: '455.00', // 7 x (195 - 130)
          outcome_roas: 150, // 1365 / 910
          dm: '35.00', // 455 - 420
          is_improving: true, // margin rose
          was_right: true, // a raise: margin per day 60 -> 65
        },
      ]);
    });
  }, 180_000);
});
