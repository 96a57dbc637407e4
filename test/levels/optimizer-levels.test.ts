import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addDays } from '../../lib/dates';
import { toCents } from '../../lib/money';
import { budgetResponseSchema } from '../../lib/optimizer';
import { optimizeAt } from '../../services/analytics/optimize';
import { Warehouse } from '../../services/warehouse/warehouse';
import { refreshCampaignDays } from '../../services/warehouse/campaign-days';
import { testConfig } from '../support/temporal';

// The optimiser by level (METRICS.md "Levels", "Budget optimisation") on a real DuckDB file.
// CB: a CBO campaign (Meta daily budget $100 on the campaign, its ad set 801 holds none);
//     strateg.is: spend 100, revenue 150 every day of the 28 ending yesterday.
// AB: its ad sets hold the budgets ($100 each); strateg.is ad-set rows every day:
//     901 spend 100, revenue 150; 902 spend 100, revenue 60.
// One spend level per entity: b = 0.75 (the prior), a = revenue / 100^0.75:
//   150 -> a = 150 / 31.6228 = 4.743416; margin peaks at (0.75 a)^4 = 160.18, but it has only spent
//          100, so the plan moves one exploration step (20%, lib/optimizer/bounds.ts), inside
//          max_change_pct 50: 100 -> 120: revenue 4.743416 x 120^0.75 = 171.98, roas 143.3,
//          margin 51.98; at 100 margin 50.00 -> gain 1.98.
//   60  -> roas at 100 is 60% < min_roas 100 (and lower above): 0; margin at 100 = 60 - 100 = -40,
//          at 0 it is 0 -> gain 40.00.
// At level auto: CB as a campaign, AB as its two ad sets. Total spend 120 + 120 + 0 = 240 <= 1000;
// total margin 51.98 + 51.98 + 0 = 103.96 >= the current allocation's 50 + 50 - 40 = 60.

const AS_OF = '2025-10-13';
const YESTERDAY = '2025-10-12';
const HOUR = '2025-10-13 14:00:00+00';
let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await Warehouse.open(join(inject('scratchDir'), 'optimizer-levels.duckdb'));
  const facts: string[] = [];
  for (let k = 0; k < 28; k++) {
    const date = addDays(YESTERDAY, -k);
    facts.push(
      `('${date}', 'CB', '', 'cb', NULL, 100, 150, 'm-cb')`,
      `('${date}', 'AB', '901', 'ab', 'winner', 100, 150, 'm-ab')`,
      `('${date}', 'AB', '902', 'ab', 'loser', 100, 60, 'm-ab')`,
    );
  }
  await warehouse.connection.run(`INSERT INTO campaign_daily_facts
    (date, campaign_id, adset_id, campaign_name, adset_name, spend, revenue, meta_campaign_id, owner, category,
     account_id, batch_id)
    SELECT f.*, 'ana', 'dental', 'act_1', 'b1' FROM (VALUES ${facts.join(', ')}) f`);
  await refreshCampaignDays(warehouse, 'all');
  await warehouse.connection.run(`INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, category, account_id)
    VALUES ('CB', 'm-cb', 'ana', 'dental', 'act_1'), ('AB', 'm-ab', 'ana', 'dental', 'act_1')`);
  await warehouse.connection.run(`INSERT INTO meta_campaign_snapshots
    (snapshot_hour, account_id, meta_campaign_id, name, status, currency, daily_budget, is_cbo, report_date, spend)
    VALUES ('${HOUR}', 'act_1', 'm-cb', 'cb', 'ACTIVE', 'USD', 100, true, '${AS_OF}', 0),
           ('${HOUR}', 'act_1', 'm-ab', 'ab', 'ACTIVE', 'USD', NULL, false, '${AS_OF}', 0)`);
  await warehouse.connection.run(`INSERT INTO meta_adset_snapshots
    (snapshot_hour, account_id, meta_campaign_id, adset_id, name, status, currency, daily_budget, audience_type,
     report_date) VALUES
    ('${HOUR}', 'act_1', 'm-cb', '801', 'cbo set', 'ACTIVE', 'USD', NULL, 'broad', '${AS_OF}'),
    ('${HOUR}', 'act_1', 'm-ab', '901', 'winner', 'ACTIVE', 'USD', 100, 'broad', '${AS_OF}'),
    ('${HOUR}', 'act_1', 'm-ab', '902', 'loser', 'ACTIVE', 'USD', 100, 'interest', '${AS_OF}')`);
  await warehouse.connection.run(
    `INSERT INTO meta_sync_runs (snapshot_hour, finished_at) VALUES ('${HOUR}', '2025-10-13 14:05:00+00')`,
  );
});
afterAll(() => warehouse?.close());

const request = {
  total_budget: 1000,
  optimization_goal: 'max_margin' as const,
  constraints: { min_roas: 100, max_daily_spend_per_campaign: 1000, max_change_pct: 50 },
};
const config = testConfig();

describe('the budget optimiser by level', () => {
  it('at auto: the CBO campaign as a campaign, the ad-set-budget campaign as its ad sets, invariants held', async () => {
    const plan = await optimizeAt(warehouse, config, request, { as_of: AS_OF, owner: 'all', level: 'auto' });
    expect(budgetResponseSchema.parse(plan)).toBeTruthy();
    expect(plan.level).toBe('auto');
    expect(
      plan.recommendations.map((r) => ({
        entity_type: r.entity_type,
        entity_id: r.entity_id,
        campaign_id: r.campaign_id,
        adset_id: r.adset_id,
        current_budget: r.current_budget,
        current_budget_source: r.current_budget_source,
        recommended_budget: r.recommended_budget,
        expected_margin_gain: r.expected_margin_gain,
      })),
    ).toEqual([
      {
        entity_type: 'adset',
        entity_id: '902',
        campaign_id: 'AB',
        adset_id: '902',
        current_budget: 100,
        current_budget_source: 'meta',
        recommended_budget: 0,
        expected_margin_gain: 40,
      },
      {
        entity_type: 'adset',
        entity_id: '901',
        campaign_id: 'AB',
        adset_id: '901',
        current_budget: 100,
        current_budget_source: 'meta',
        recommended_budget: 120,
        expected_margin_gain: 1.98,
      },
      {
        entity_type: 'campaign',
        entity_id: 'CB',
        campaign_id: 'CB',
        adset_id: null,
        current_budget: 100,
        current_budget_source: 'meta',
        recommended_budget: 120,
        expected_margin_gain: 1.98,
      },
    ]);
    // METRICS.md's invariants over the mixed set
    const spent = plan.recommendations.reduce((s, r) => s + toCents(r.recommended_budget), 0);
    expect(spent / 100).toBe(plan.expected_total_spend);
    expect(plan.expected_total_spend).toBe(240);
    expect(plan.expected_total_spend).toBeLessThanOrEqual(request.total_budget);
    for (const r of plan.recommendations) {
      expect(r.recommended_budget).toBeLessThanOrEqual(request.constraints.max_daily_spend_per_campaign);
      if (r.recommended_budget > 0) expect(r.expected_roas!).toBeGreaterThanOrEqual(request.constraints.min_roas);
    }
    expect(plan.expected_total_margin).toBe(103.96);
    expect(plan.expected_total_margin).toBeGreaterThanOrEqual(60);
  });

  it('at campaign: every campaign as today, ad sets unseen; at adset: the ad sets only', async () => {
    const campaigns = await optimizeAt(warehouse, config, request, { as_of: AS_OF, owner: 'all', level: 'campaign' });
    expect(campaigns.recommendations.map((r) => [r.entity_type, r.entity_id, r.adset_id]).sort()).toEqual([
      ['campaign', 'AB', null],
      ['campaign', 'CB', null],
    ]);
    const adsets = await optimizeAt(warehouse, config, request, { as_of: AS_OF, owner: 'all', level: 'adset' });
    expect(adsets.recommendations.map((r) => [r.entity_type, r.entity_id, r.campaign_id]).sort()).toEqual([
      ['adset', '901', 'AB'],
      ['adset', '902', 'AB'],
    ]);
  });
});
