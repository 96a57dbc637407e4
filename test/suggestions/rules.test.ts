import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { parseRuleText } from '../../lib/rules/parse';
import { evaluateDay } from '../../services/decisions/evaluate-day';
import { planSuggestions } from '../../services/decisions/suggestion-plan';
import { loadBreakdownRules } from '../../services/decisions/suggestions';
import { Warehouse } from '../../services/warehouse/warehouse';
import { testConfig } from '../support/temporal';
import { loadSuggestionAccount, SUGGEST_AS_OF } from './fixture';

/**
 * The two default breakdown rules (rules/default-placement-suggestion.yaml, -dayparting-) on the
 * hand-worked account of fixture.ts, in a real DuckDB file, through the daily evaluation.
 */
const A = '23850000000000001';
const B = '23850000000000002';
let warehouse: Warehouse;
const config = testConfig();

beforeAll(async () => {
  warehouse = await Warehouse.open(join(inject('scratchDir'), `suggest-rules-${process.pid}.duckdb`));
  await loadSuggestionAccount(warehouse, A, B);
  await evaluateDay(warehouse, config, SUGGEST_AS_OF);
});
afterAll(() => warehouse?.close());

describe('suggestions from breakdowns, in the one rule engine', () => {
  it('names exactly the losing placement of ad set A, with its numbers', async () => {
    // A instagram/story: spend 14 x 20.00 = 280.00, purchase value 14 x 10.00 = 140.00, ROAS 50.0%.
    // A as a whole: spend 14 x 120.00 = 1680.00, purchase value 14 x 260.00 = 3640.00, ROAS 216.7%;
    // 50.0 / 216.67 = 23.1% of it (< 50%) with 280.00 >= 200 spent. facebook/feed: 3500 / 1400 =
    // 250.0% (115% of A's). B's instagram/story returns nothing (0%) but spent 14 x 10.00 = 140.00
    // (< 200): not named. Every segment loses on all 14 days it is named for (10 < 20).
    const alerts = await warehouse.all(
      `SELECT entity_type, entity_id, campaign_id, owner, current_roas, recommendation, reason, status FROM alerts
       WHERE as_of = $1 AND type = 'placement_suggestion'`,
      [SUGGEST_AS_OF],
    );
    expect(alerts).toEqual([
      {
        entity_type: 'adset',
        entity_id: A,
        campaign_id: 'shoes-as',
        owner: 'ben',
        current_roas: 216.7,
        recommendation: 'exclude_placement',
        reason: "14-day ROAS (Meta purchase value) under 50% of the entity's, $200+ spent: instagram/story",
        status: 'open',
      },
    ]);
    const segments = await warehouse.all<Record<string, unknown>>(
      `SELECT entity_id, segment, window_days, spend::VARCHAR AS spend, purchase_value::VARCHAR AS purchase_value,
              roas, entity_roas, days_lost, evidence::VARCHAR AS evidence
       FROM suggestion_segments WHERE as_of = $1 AND type = 'placement_suggestion'`,
      [SUGGEST_AS_OF],
    );
    expect(segments.map(({ evidence: _e, ...s }) => s)).toEqual([
      {
        entity_id: A,
        segment: 'instagram/story',
        window_days: 14,
        spend: '280.00',
        purchase_value: '140.00',
        roas: 50,
        entity_roas: 216.7,
        days_lost: 14,
      },
    ]);
    // 50 / (3640 / 1680 x 100) x 100 = 23.077%
    expect(JSON.parse(String(segments[0]!.evidence))).toEqual({
      roas_vs_entity_last_14_days: 23.077,
      spend_last_14_days: '280.00',
    });
  });

  it('names exactly the hours that lost money on 10 or more of the 14 days', async () => {
    // 19, 20, 21: spend 14 x 10.00 = 140.00, purchase value 11 x 5.00 + 3 x 15.00 = 100.00, ROAS
    // 71.4%, lost on 11 days. 22 lost on 9 (two days at 12.00, three at 15.00): 45 + 24 + 45 =
    // 114.00; its loss on 09-28 is outside the window. The day hours and B's hour 12 never lose.
    const alerts = await warehouse.all(
      `SELECT entity_id, recommendation, reason FROM alerts WHERE as_of = $1 AND type = 'dayparting_suggestion'`,
      [SUGGEST_AS_OF],
    );
    expect(alerts).toEqual([
      {
        entity_id: A,
        recommendation: 'ad_schedule',
        reason: 'Lost money on 10+ of the last 14 days: 19:00, 20:00, 21:00',
      },
    ]);
    const segments = await warehouse.all(
      `SELECT segment, spend::VARCHAR AS spend, purchase_value::VARCHAR AS purchase_value, roas, days_lost,
              evidence->>'margin_10_of_last_14_days_held' AS held
       FROM suggestion_segments WHERE as_of = $1 AND type = 'dayparting_suggestion' ORDER BY segment`,
      [SUGGEST_AS_OF],
    );
    expect(segments).toEqual(
      ['19:00', '20:00', '21:00'].map((segment) => ({
        segment,
        spend: '140.00',
        purchase_value: '100.00',
        roas: 71.4,
        days_lost: 11,
        held: '11',
      })),
    );
  });

  it('proposes the placement through approval and shows the hours, saying why they are not written', async () => {
    const plan = await planSuggestions(warehouse, loadBreakdownRules(config.RULES_DIR), SUGGEST_AS_OF, true);
    expect(plan.changes.map((c) => [c.workflowId, c.proposal.action, c.proposal.adset?.id])).toEqual([
      [
        `budget-change/adset-${A}/${SUGGEST_AS_OF}/placement_suggestion`,
        { kind: 'exclude_placement', placements: [{ publisher_platform: 'instagram', platform_position: 'story' }] },
        A,
      ],
    ]);
    expect(plan.changes[0]!.proposal.evidence).toEqual({
      'instagram/story spend_14d': '280.00',
      'instagram/story purchase_value_14d': '140.00',
      'instagram/story roas_14d': 50,
      entity_roas_14d: 216.7,
    });
    // No ad set state synced, so no lifetime budget: Meta would refuse a schedule.
    const reason =
      'shown, not written: Meta takes an ad schedule only on a lifetime-budget ad set, and this one has a daily budget';
    expect(plan.skipped).toEqual([{ campaignId: 'shoes-as', adsetId: A, type: 'dayparting_suggestion', reason }]);
    const note = await warehouse.one<{ note: string }>(
      `SELECT note FROM alerts WHERE as_of = $1 AND type = 'dayparting_suggestion'`,
      [SUGGEST_AS_OF],
    );
    expect(note?.note).toBe(reason);
  });

  it('a re-run of the day keeps one alert per entity and rule, and the same segments', async () => {
    await evaluateDay(warehouse, config, SUGGEST_AS_OF);
    const counts = await warehouse.one<{ alerts: number; segments: number }>(
      `SELECT (SELECT count(*) FROM alerts WHERE as_of = $1 AND type LIKE '%_suggestion')::INTEGER AS alerts,
              (SELECT count(*) FROM suggestion_segments WHERE as_of = $1)::INTEGER AS segments`,
      [SUGGEST_AS_OF],
    );
    expect(counts).toEqual({ alerts: 2, segments: 4 });
  });
});

describe('breakdown rule files', () => {
  const parse = (text: string) => parseRuleText(text, 'rules/x.yaml');
  it('refuses a breakdown metric outside a breakdown rule, and an action inside one', () => {
    const outside = parse(`name: x
conditions: { metric: roas_vs_entity, window: last_7_days, op: "<", value: 50 }
actions: [{ pause: true }]
`);
    expect(outside.ok ? [] : outside.errors.map((e) => [e.field, e.message])).toEqual([
      ['conditions', 'roas_vs_entity is a breakdown metric: only for rules with a breakdown section'],
    ]);
    const inside = parse(`name: x
breakdown: { by: region, type: region_suggestion, reason: r, recommendation: look }
conditions: { metric: roas, window: 3_of_last_7_days, op: "<", value: 50 }
actions: [{ pause: true }]
`);
    expect(inside.ok ? [] : inside.errors.map((e) => [e.field, e.message])).toEqual([
      ['actions', 'a breakdown rule suggests (breakdown.write) and takes no actions'],
    ]);
  });

  it('refuses K_of_last_N_days with K over N, and a placement write on hours', () => {
    const bad = parse(`name: x
breakdown: { by: hour, type: h, reason: r, recommendation: look, write: exclude_placement }
conditions: { metric: margin, window: 15_of_last_14_days, op: "<", value: 0 }
`);
    expect(bad.ok ? [] : bad.errors.map((e) => e.field)).toEqual(['conditions.window']);
    const write = parse(`name: x
breakdown: { by: hour, type: h, reason: r, recommendation: look, write: exclude_placement }
conditions: { metric: margin, window: 10_of_last_14_days, op: "<", value: 0 }
`);
    expect(write.ok ? [] : write.errors.map((e) => [e.field, e.message])).toEqual([
      ['breakdown.write', 'exclude_placement needs by: placement'],
    ]);
  });
});
