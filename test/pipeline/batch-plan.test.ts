import { msToNumber } from '@temporalio/common/lib/time';
import { afterEach, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { metaCampaignsFromConfig } from '../../activities/meta';
import { createPipelineActivities } from '../../activities/pipeline';
import { datesBetween } from '../../lib/dates';
import { Warehouse } from '../../services/warehouse/warehouse';
import { faults, on } from '../../workers/meta-sandbox/faults';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { metaEnv } from '../meta/harness';
import { loadRows, type MetricRow } from '../reports/fixtures';
import { testConfig } from '../support/temporal';

/**
 * planBudgetChanges reading the live budgets of many alerts' campaigns: the real SDK over HTTP
 * to the sandbox, a real DuckDB file, the real rules. 60 steady winners (S00..S59, every day
 * spend $100 + i, revenue 1.5 times that: roas 150 > 130 on each of the last 3 days, spend >= $50),
 * each mapped to Meta campaign 7000 + i with a daily budget of 10000 + 100 * i cents (its spend).
 */
const AS_OF = '2025-10-13';
const COUNT = 60;
const name = (i: number) => `S${String(i).padStart(2, '0')}`;
const metaId = (i: number) => String(7000 + i);
const rows: MetricRow[] = datesBetween('2025-10-06', '2025-10-12').flatMap((date) =>
  Array.from({ length: COUNT }, (_, i) => ({
    date,
    campaign_id: name(i),
    campaign_name: `Dental_${name(i)}`,
    owner: 'ben',
    category: 'Dental',
    spend: (100 + i).toFixed(2),
    revenue: (1.5 * (100 + i)).toFixed(2),
  })),
);

describe('planBudgetChanges reads the campaigns of many alerts in Graph API batch requests', () => {
  let sandbox: MetaSandbox;
  let warehouse: Warehouse | undefined;
  afterEach(async () => {
    warehouse?.close();
    warehouse = undefined;
    await sandbox?.close();
  });

  async function plan(addFaults: (sandbox: MetaSandbox) => void) {
    sandbox = await startMetaSandbox();
    sandbox.state.addAccount('act_1001', { currency: 'USD' });
    for (let i = 0; i < COUNT; i++)
      sandbox.state.addCampaign('act_1001', { name: `Dental_${name(i)}`, dailyBudget: 10_000 + 100 * i }, metaId(i));
    addFaults(sandbox);
    const config = testConfig(metaEnv(sandbox, ['act_1001']));
    warehouse = await Warehouse.open(config.SCALEFLOW_DB);
    await loadRows(warehouse, rows);
    const map = Array.from(
      { length: COUNT },
      (_, i) => `('${name(i)}', '${metaId(i)}', 'ben', 'Dental', 'act_1001')`,
    ).join(', ');
    await warehouse.run(
      `INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, category, account_id) VALUES ${map}`,
    );
    const activities = createPipelineActivities({
      config,
      warehouse,
      meta: metaCampaignsFromConfig(config, warehouse)!,
    });
    const evaluation = await activities.evaluateDay({ asOf: AS_OF });
    return { evaluation, planned: activities.planBudgetChanges({ asOf: AS_OF }) };
  }

  const httpRequests = () => sandbox.log.filter((r) => r.batch === undefined);
  const itemsOf = (seq: number) => sandbox.log.filter((r) => r.batch === seq);

  it('60 alerts: the account read once, then 2 batch requests (50 + 10 items); a campaign Meta refuses only skips its own alert', async () => {
    const { planned } = await plan((s) => {
      // S07's campaign refuses this token; S31's answer is another account's campaign.
      s.faults.add(on.get(/^\/7007$/), faults.missingPermission());
      s.state.addAccount('act_2002', { currency: 'USD' });
      s.state.campaign(metaId(31))!.accountId = 'act_2002';
    });
    const result = await planned;

    // ceil(60 / 50) = 2 POSTs to the Graph root carrying 50 and 10 items, no campaign read on its
    // own; the one other request is the account's currency.
    expect(httpRequests().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /', 'POST /', 'GET /act_1001']);
    const [first, second] = httpRequests();
    expect(itemsOf(first!.seq)).toHaveLength(50);
    expect(itemsOf(second!.seq)).toHaveLength(10);
    expect(
      sandbox.log
        .filter((r) => r.batch !== undefined)
        .map((r) => r.path)
        .sort(),
    ).toEqual(Array.from({ length: COUNT }, (_, i) => `/${metaId(i)}`).sort());

    // 60 alerts - 2 refused = 58 proposals. The alert's step is +40% (scale_pct), but the spend never
    // varied, so the raise is one 20% exploration step (lib/optimizer/scale-step.ts): the curve's
    // cautious optimum (no noise: slope 0.75) is s (1.5 * 0.75)^4 = 1.60 s, above 1.2 s.
    // (10000 + 100 i) * 1.2 = 12000 + 120 i cents. Alerts come largest gain first: S31 (more spend) before S07.
    expect(result.skipped).toEqual([
      {
        campaignId: 'S31',
        type: 'scale_up',
        reason: 'Meta refused to show campaign 7031: campaign 7031 belongs to act_2002, not act_1001',
      },
      {
        campaignId: 'S07',
        type: 'scale_up',
        reason: expect.stringMatching(/^Meta refused to show campaign 7007: .*ads_management/),
      },
    ]);
    expect(result.changes).toHaveLength(58);
    const proposed = new Map(result.changes.map((c) => [c.proposal.campaignId, c.proposal]));
    for (let i = 0; i < COUNT; i++) {
      if (i === 7 || i === 31) {
        expect(proposed.has(name(i))).toBe(false);
        continue;
      }
      expect(proposed.get(name(i))).toMatchObject({
        metaCampaignId: metaId(i),
        accountId: 'act_1001',
        action: { kind: 'set_daily_budget', fromCents: 10_000 + 100 * i, toCents: 12_000 + 120 * i },
      });
    }
    // The refused alerts carry their reason for the report.
    const noted = await warehouse!.all<{ campaign_id: string; note: string }>(
      'SELECT campaign_id, note FROM alerts WHERE as_of = $1::DATE AND note IS NOT NULL ORDER BY campaign_id',
      [AS_OF],
    );
    expect(noted.map((n) => n.campaign_id)).toEqual(['S07', 'S31']);
  });

  it("a campaign Meta asks to wait for (rate limited) fails the whole step, retryable with Meta's wait, so Temporal plans again", async () => {
    const { planned } = await plan((s) => s.faults.add(on.get(/^\/7042$/), faults.rateLimit(80004, 7)));
    const failure = await planned.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'MetaRateLimited', nonRetryable: false });
    expect(msToNumber((failure as ApplicationFailure).nextRetryDelay!)).toBe(7 * 60_000);
    // Still 2 batch requests, not 60 reads.
    expect(httpRequests().filter((r) => r.method === 'POST')).toHaveLength(2);
  });
});
