import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AUDIENCE_MODIFIER, audienceTypeOf } from '../../lib/levels';
import { Warehouse } from '../../services/warehouse/warehouse';
import { refreshCampaignDays } from '../../services/warehouse/campaign-days';

// METRICS.md "Levels": the ad-set grain in the warehouse (migration 014), on a real DuckDB file.
// c-split: ad sets hold the budgets, strateg.is sent one campaign row per day -> allocated.
// c-rows: strateg.is sent level = adset rows -> kept as they are.
// c-cbo: campaign budget optimisation (its ad sets hold no budget) -> no ad-set rows at all.

let warehouse: Warehouse;

const fact = (date: string, campaign: string, adset: string, spend: number, revenue: number, meta: string) =>
  `('${date}', '${campaign}', '${adset}', '${campaign}_name', ${adset ? `'${adset}_name'` : 'NULL'}, 'ana', 'dental',
    ${spend}, ${revenue}, 'act_1', '${meta}', 'b1')`;

const snapshot = (
  date: string,
  meta: string,
  adset: string,
  budget: number | null,
  spend: number,
  value: number,
  audience = 'broad',
  hour = '20:00:00',
) =>
  `('${date} ${hour}+00', 'act_1', '${meta}', '${adset}', 'meta_${adset}', 'ACTIVE', 'USD',
    ${budget ?? 'NULL'}, '${audience}', '${date}', ${spend}, ${value})`;

beforeAll(async () => {
  warehouse = await Warehouse.open(join(inject('scratchDir'), 'adset-metrics.duckdb'));
  await warehouse.connection.run(`INSERT INTO campaign_daily_facts
    (date, campaign_id, adset_id, campaign_name, adset_name, owner, category, spend, revenue, account_id,
     meta_campaign_id, batch_id) VALUES
    ${fact('2025-10-10', 'c-split', '', 300, 325, 'm-split')},
    ${fact('2025-10-11', 'c-split', '', 90, 60, 'm-split')},
    ${fact('2025-10-10', 'c-rows', '901', 40, 64, 'm-rows')},
    ${fact('2025-10-10', 'c-rows', '902', 60, 36, 'm-rows')},
    ${fact('2025-10-10', 'c-cbo', '', 100, 130, 'm-cbo')}`);
  await refreshCampaignDays(warehouse, 'all');
  await warehouse.connection.run(`INSERT INTO meta_sync_runs (snapshot_hour, finished_at) VALUES
    ('2025-10-10 12:00:00+00', '2025-10-10 12:05:00+00'), ('2025-10-10 20:00:00+00', '2025-10-10 20:05:00+00'),
    ('2025-10-11 20:00:00+00', '2025-10-11 20:05:00+00'), ('2025-10-11 21:00:00+00', NULL)`);
  await warehouse.connection.run(`INSERT INTO meta_adset_snapshots
    (snapshot_hour, account_id, meta_campaign_id, adset_id, name, status, currency, daily_budget, audience_type,
     report_date, spend, purchase_value) VALUES
    ${snapshot('2025-10-10', 'm-split', '801', 100, 50, 10, 'broad', '12:00:00')},
    ${snapshot('2025-10-10', 'm-split', '801', 100, 100, 150, 'broad')},
    ${snapshot('2025-10-10', 'm-split', '802', 100, 100, 50, 'interest')},
    ${snapshot('2025-10-10', 'm-split', '803', 100, 100, 100, 'retargeting')},
    ${snapshot('2025-10-11', 'm-split', '801', 100, 30, 0)},
    ${snapshot('2025-10-11', 'm-split', '802', 100, 60, 0, 'interest')},
    ${snapshot('2025-10-11', 'm-split', '803', 100, 90, 999, 'retargeting', '21:00:00')},
    ${snapshot('2025-10-10', 'm-cbo', '701', null, 50, 60)},
    ${snapshot('2025-10-10', 'm-cbo', '702', null, 50, 70)}`);
});
afterAll(() => warehouse?.close());

async function rows(campaign: string) {
  const reader = await warehouse.connection.runAndReadAll(
    `SELECT date::VARCHAR AS date, entity_type, entity_id, adset_id, audience_type, revenue_source,
            spend::DOUBLE AS spend, revenue::DOUBLE AS revenue, roas::DOUBLE AS roas
     FROM daily_adset_metrics WHERE campaign_id = $1 ORDER BY date, adset_id`,
    [campaign],
  );
  return reader.getRowObjectsJson();
}

describe('daily_adset_metrics', () => {
  it('splits a campaign row over the ad sets holding its budget by Meta purchase value, spend by Meta spend', async () => {
    const split = await rows('c-split');
    // 2025-10-10: the day's last finished hour (20:00) counts, not 12:00. Meta spend 100/100/100,
    // purchase value 150/50/100 (300): spend 300 x 1/3 = 100 each; revenue 325 x 150/300 = 162.50,
    // 325 x 50/300 = 54.166 -> 54.17, 325 x 100/300 = 108.333 -> 108.33.
    expect(split.slice(0, 3)).toEqual([
      {
        date: '2025-10-10',
        entity_type: 'adset',
        entity_id: '801',
        adset_id: '801',
        audience_type: 'broad',
        revenue_source: 'allocated',
        spend: 100,
        revenue: 162.5,
        roas: 162.5,
      },
      {
        date: '2025-10-10',
        entity_type: 'adset',
        entity_id: '802',
        adset_id: '802',
        audience_type: 'interest',
        revenue_source: 'allocated',
        spend: 100,
        revenue: 54.17,
        roas: 54.2,
      },
      {
        date: '2025-10-10',
        entity_type: 'adset',
        entity_id: '803',
        adset_id: '803',
        audience_type: 'retargeting',
        revenue_source: 'allocated',
        spend: 100,
        revenue: 108.33,
        roas: 108.3,
      },
    ]);
  });

  it('falls back to spend shares when Meta shows no purchase value, and never reads an unfinished sync hour', async () => {
    const day = (await rows('c-split')).filter((r) => r.date === '2025-10-11');
    // 803's only snapshot that day is the unfinished 21:00 hour: it is not seen. 801 and 802: Meta
    // spend 30 + 60 = 90, no purchase value -> revenue by spend: 60 x 30/90 = 20, 60 x 60/90 = 40.
    expect(day.map((r) => [r.adset_id, r.spend, r.revenue])).toEqual([
      ['801', 30, 20],
      ['802', 60, 40],
    ]);
  });

  it("keeps strateg.is ad-set rows as they are, and gives a CBO campaign's ad sets no rows", async () => {
    expect((await rows('c-rows')).map((r) => [r.adset_id, r.revenue_source, r.spend, r.revenue, r.roas])).toEqual([
      ['901', 'strategis', 40, 64, 160],
      ['902', 'strategis', 60, 36, 60],
    ]);
    expect(await rows('c-cbo')).toEqual([]);
  });

  it('leaves daily_campaign_metrics as it was: ad-set rows still roll up to their campaign', async () => {
    const reader = await warehouse.connection.runAndReadAll(
      `SELECT campaign_id, spend::DOUBLE AS spend, revenue::DOUBLE AS revenue FROM daily_campaign_metrics
       WHERE date = '2025-10-10' ORDER BY campaign_id`,
    );
    expect(reader.getRowObjectsJson()).toEqual([
      { campaign_id: 'c-cbo', spend: 100, revenue: 130 },
      { campaign_id: 'c-rows', spend: 100, revenue: 100 },
      { campaign_id: 'c-split', spend: 300, revenue: 325 },
    ]);
  });
});

describe('audience type from targeting', () => {
  const subtypes = new Map([
    ['ca-web', 'WEBSITE'],
    ['ca-lal', 'LOOKALIKE'],
  ]);
  it('classifies in METRICS.md order and scales the step by its modifier', () => {
    expect(audienceTypeOf({ custom_audiences: [{ id: 'ca-web', name: 'visitors 30d' }] }, subtypes)).toBe(
      'retargeting',
    );
    expect(audienceTypeOf({ custom_audiences: [{ id: 'ca-lal' }, { id: 'ca-web' }] }, subtypes)).toBe('retargeting');
    expect(audienceTypeOf({ custom_audiences: [{ id: 'ca-lal' }], interests: [{ id: '6003' }] }, subtypes)).toBe(
      'lookalike',
    );
    expect(audienceTypeOf({ flexible_spec: [{ interests: [{ id: '6003', name: 'Dentistry' }] }] }, subtypes)).toBe(
      'interest',
    );
    expect(audienceTypeOf({ flexible_spec: [{ behaviors: [{ id: '6002' }] }] }, subtypes)).toBe('interest');
    expect(audienceTypeOf({ geo_locations: { countries: ['US'] }, age_min: 25 }, subtypes)).toBe('broad');
    // An audience the account did not list is treated as the most cautious type.
    expect(audienceTypeOf({ custom_audiences: [{ id: 'ca-unknown' }] }, subtypes)).toBe('retargeting');
    expect(audienceTypeOf('not targeting', subtypes)).toBe('broad');
    // +40% step: broad 40%, interest 30%, retargeting 20%.
    expect(
      [AUDIENCE_MODIFIER.broad, AUDIENCE_MODIFIER.interest, AUDIENCE_MODIFIER.retargeting].map((m) => 40 * m),
    ).toEqual([40, 30, 20]);
  });
});
