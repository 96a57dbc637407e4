import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config';
import { thresholdsConfigSchema } from '../../lib/decisions';
import { toCents } from '../../lib/money';
import {
  createMarket,
  dateOf,
  deliveredSpend,
  Ledger,
  reportCsv,
  simulateDay,
  TAIL_DAYS,
  type AdsetSpec,
  type CampaignSpec,
  type Market,
} from '../../lib/simulator';
import { syncAdsets } from '../../services/backtest/adset-sync';
import { levelsSideBySide, renderBacktestPage } from '../../services/backtest/page';
import { runBacktest } from '../../services/backtest/run';
import { SimulatedMeta } from '../../services/backtest/sim-meta';
import { loadStrategisFile } from '../../services/strategis/load';
import { Warehouse } from '../../services/warehouse/warehouse';

const config = parseConfig({});
const thresholds = thresholdsConfigSchema.parse(undefined);
const scratch = mkdtempSync(join(tmpdir(), 'adset-backtest-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const adset = (index: number, type: AdsetSpec['audienceType'], curve: AdsetSpec['curve']): AdsetSpec => ({
  index,
  adset_id: `90000${index + 1}`,
  adset_name: `Hand_${type}_${index + 1}`,
  audienceType: type,
  curve,
  noiseSd: 0,
  initialBudgetCents: 100_00,
});

/**
 * One campaign whose budget lives in three ad sets at $100/day each, the hand-worked case:
 *   winner  2.0 * 200 * (1 - e^(-100/200)) = $157.39 a day: 157% roas, margin peaks at 200 ln 2 = $139/day
 *   loser   0.7 * 200 * (1 - e^(-100/200)) = $55.09: 55%, it loses money at any spend
 *   middle  1.2 * 300 * (1 - e^(-100/300)) = $102.04: 102%
 * The campaign: (157.39 + 55.09 + 102.04) / 300 = 104.8%, an average campaign scaleflow holds.
 */
function handMarket(noiseSd = 0, warmupDays = 14): Market {
  const options = { seed: 5, campaigns: 1, days: 12, start: '2025-06-02', warmupDays };
  const adsets = [
    adset(0, 'broad', { peak: 2, k: 200 }),
    adset(1, 'interest', { peak: 0.7, k: 200 }),
    adset(2, 'lookalike', { peak: 1.2, k: 300 }),
  ].map((a) => ({ ...a, noiseSd }));
  const spec: CampaignSpec = {
    index: 0,
    campaign_id: 'handads0',
    campaign_name: 'Hand_FB_ADSETS_0',
    owner: 'ben',
    category: 'Hand',
    account_id: 'act_1001',
    meta_campaign_id: '900000',
    launchDay: -60,
    initialBudgetCents: 300_00,
    curve: { peak: 1.2, k: 300 },
    noiseSd,
    fatigue: null,
    adsets,
  };
  return {
    ...options,
    specs: [spec],
    quality: [new Float64Array(options.warmupDays + options.days + TAIL_DAYS).fill(1)],
  };
}

describe('a market whose campaigns hold their budgets in ad sets', () => {
  it("makes the campaign's day the sum of its ad sets' days, each on its own curve", () => {
    const market = handMarket();
    const meta = new SimulatedMeta(market);
    // 2025-06-02 is a Monday: the weekday factor is 0.95; no noise, quality 1.
    const [day] = simulateDay(market, 0, meta.settings());
    const spends = [0, 1, 2].map((a) => deliveredSpend(100_00, true, 5, 0, 0, a));
    // Meta's delivery of each ad set is its own draw within +-25% of its $100.
    for (const s of spends) expect(s).toBeGreaterThanOrEqual(75_00);
    expect(new Set(spends).size).toBe(3);
    const byHand = [
      { peak: 2, k: 200 },
      { peak: 0.7, k: 200 },
      { peak: 1.2, k: 300 },
    ].map(({ peak, k }, a) => Math.round(peak * k * (1 - Math.exp(-spends[a]! / 100 / k)) * 0.95 * 100));
    expect(day!.adsets).toEqual(spends.map((s, a) => ({ spendCents: s, revenueCents: byHand[a] })));
    expect(day!.spendCents).toBe(spends[0]! + spends[1]! + spends[2]!);
    expect(day!.revenueCents).toBe(byHand[0]! + byHand[1]! + byHand[2]!);
  });

  it('draws 2-5 ad sets per campaign with audience types, and keeps the seed-only market as it was', () => {
    const options = { seed: 3, campaigns: 40, days: 10, start: '2025-06-02', warmupDays: 7 };
    const plain = createMarket(options);
    const withAdsets = createMarket({ ...options, adsets: true });
    expect(plain.specs.every((s) => s.adsets === undefined)).toBe(true);
    // Adding ad sets draws on streams of their own: the campaigns' own draws are unchanged.
    expect(withAdsets.specs.map((s) => s.curve)).toEqual(plain.specs.map((s) => s.curve));
    for (const spec of withAdsets.specs) {
      expect(spec.adsets!.length).toBeGreaterThanOrEqual(2);
      expect(spec.adsets!.length).toBeLessThanOrEqual(5);
      expect(spec.initialBudgetCents).toBe(spec.adsets!.reduce((sum, a) => sum + a.initialBudgetCents, 0));
    }
    const types = new Set(withAdsets.specs.flatMap((s) => s.adsets!.map((a) => a.audienceType)));
    expect([...types].sort()).toEqual(['broad', 'interest', 'lookalike', 'retargeting']);
    // Every day of every campaign is its ad sets' sum.
    const meta = new SimulatedMeta(withAdsets);
    for (let d = 0; d < 3; d++)
      for (const o of simulateDay(withAdsets, d, meta.settings())) {
        expect(o.spendCents).toBe(o.adsets!.reduce((sum, a) => sum + a.spendCents, 0));
        expect(o.revenueCents).toBe(o.adsets!.reduce((sum, a) => sum + a.revenueCents, 0));
      }
  });

  it('writes the strateg.is report at ad-set grain or as campaign rows only, and scaleflow loads both', async () => {
    const market = handMarket(0.1, 3);
    const meta = new SimulatedMeta(market);
    const ledger = new Ledger(market);
    const warehouses = { adset: join(scratch, 'adset.duckdb'), campaign: join(scratch, 'campaign.duckdb') };
    const opened = {
      adset: await Warehouse.open(warehouses.adset),
      campaign: await Warehouse.open(warehouses.campaign),
    };
    try {
      for (let day = -market.warmupDays; day < 0; day++) {
        ledger.record(day, simulateDay(market, day, meta.settings()));
        const lastHour = Date.parse(`${dateOf(market, day)}T23:00:00Z`);
        for (const w of Object.values(opened)) await syncAdsets(w, market, meta, ledger, day, lastHour);
      }
      const byAdset = ledger.reportRows(0, -3, 'adset');
      const byCampaign = ledger.reportRows(0, -3, 'campaign');
      // Three days: three ad-set rows a day, or one campaign row a day.
      expect(byAdset.map((r) => [r.date, r.level, r.adset_id])).toEqual(
        ['2025-05-30', '2025-05-31', '2025-06-01'].flatMap((d) => [
          [d, 'adset', '900001'],
          [d, 'adset', '900002'],
          [d, 'adset', '900003'],
        ]),
      );
      expect(byCampaign.map((r) => [r.level, r.adset_id])).toEqual([
        ['campaign', ''],
        ['campaign', ''],
        ['campaign', ''],
      ]);
      // The campaign row is the sum of its ad-set rows (spend exactly; revenue to the cent's rounding).
      for (const row of byCampaign) {
        const mine = byAdset.filter((r) => r.date === row.date);
        expect(toCents(row.spend)).toBe(mine.reduce((sum, r) => sum + toCents(r.spend), 0));
        expect(
          Math.abs(toCents(row.revenue) - mine.reduce((sum, r) => sum + toCents(r.revenue), 0)),
        ).toBeLessThanOrEqual(3);
      }
      expect(reportCsv(byAdset).split('\n')[0]).toMatch(/,level,adset_id,adset_name$/);

      for (const grain of ['adset', 'campaign'] as const) {
        const path = join(scratch, `report-${grain}.csv`);
        writeFileSync(path, reportCsv(grain === 'adset' ? byAdset : byCampaign));
        await loadStrategisFile(opened[grain], { path, source: 'http', asOf: '2025-06-02' }, { archiveDir: scratch });
      }
      const campaignTotals = async (w: Warehouse) =>
        w.all(`SELECT date::VARCHAR AS date, spend::VARCHAR AS spend FROM daily_campaign_metrics ORDER BY date`);
      // The campaign's numbers are the same whichever grain strateg.is reported.
      expect(await campaignTotals(opened.adset)).toEqual(await campaignTotals(opened.campaign));
      const adsetRows = (w: Warehouse) =>
        w.all<{ adset_id: string; revenue_source: string; audience_type: string; spend: string }>(
          `SELECT adset_id, revenue_source, audience_type, spend::VARCHAR AS spend
           FROM daily_adset_metrics WHERE date = '2025-06-01' ORDER BY adset_id`,
        );
      const reported = await adsetRows(opened.adset);
      expect(reported.map((r) => [r.adset_id, r.revenue_source, r.audience_type])).toEqual([
        ['900001', 'strategis', 'broad'],
        ['900002', 'strategis', 'interest'],
        ['900003', 'strategis', 'lookalike'],
      ]);
      // Campaign rows only: split over the synced ad sets by Meta's numbers, marked allocated.
      const allocated = await adsetRows(opened.campaign);
      expect(allocated.map((r) => [r.adset_id, r.revenue_source])).toEqual([
        ['900001', 'allocated'],
        ['900002', 'allocated'],
        ['900003', 'allocated'],
      ]);
      const june1 = byCampaign.find((r) => r.date === '2025-06-01')!;
      expect(allocated.reduce((sum, r) => sum + toCents(r.spend), 0)).toBe(toCents(june1.spend));
    } finally {
      for (const w of Object.values(opened)) w.close();
    }
  }, 300_000);
});

describe("the simulated Meta's ad sets", () => {
  it('applies an ad-set proposal to that ad set only, and puts it back into learning', () => {
    const base = handMarket();
    const market: Market = {
      ...base,
      specs: [base.specs[0]!, { ...base.specs[0]!, index: 1, meta_campaign_id: '900100' }],
    };
    market.quality.push(base.quality[0]!);
    const meta = new SimulatedMeta(market);
    meta.now = Date.parse('2025-06-02T06:00:00Z');
    expect(meta.learningStatus(0, 1, meta.now)).toBe('SUCCESS');
    const write = meta.applyToAdset(0, 1, { kind: 'set_daily_budget', fromCents: 100_00, toCents: 140_00 });
    expect(write).toMatchObject({
      result: 'written',
      before: { dailyBudgetCents: 100_00 },
      after: { dailyBudgetCents: 140_00 },
    });
    expect([0, 1, 2].map((a) => meta.adsetState(0, a).dailyBudgetCents)).toEqual([100_00, 140_00, 100_00]);
    expect([0, 1, 2].map((a) => meta.adsetState(1, a).dailyBudgetCents)).toEqual([100_00, 100_00, 100_00]);
    // The campaign reads as the sum of its active ad sets: 100 + 140 + 100.
    expect(meta.state(0).dailyBudgetCents).toBe(340_00);
    // Meta re-enters learning after a significant edit: three days here.
    expect(meta.learningStatus(0, 1, meta.now + 2 * 86_400_000)).toBe('LEARNING');
    expect(meta.learningStatus(0, 1, meta.now + 3 * 86_400_000)).toBe('SUCCESS');
    expect(meta.learningStatus(0, 0, meta.now)).toBe('SUCCESS');

    meta.applyToAdset(0, 2, { kind: 'pause' });
    expect([0, 1, 2].map((a) => meta.adsetState(0, a).status)).toEqual(['ACTIVE', 'ACTIVE', 'PAUSED']);
    expect(meta.state(0)).toMatchObject({ status: 'ACTIVE', dailyBudgetCents: 240_00 });
    expect(meta.settings()[0]!.adsets).toEqual([
      { budgetCents: 100_00, active: true },
      { budgetCents: 140_00, active: true },
      { budgetCents: 100_00, active: false },
    ]);
    // The paused ad set delivers nothing; the others still do.
    const [day] = simulateDay(market, 0, meta.settings());
    expect(day!.adsets!.map((a) => a.spendCents > 0)).toEqual([true, true, false]);
    expect(meta.applyToAdset(0, 2, { kind: 'pause' }).result).toBe('unchanged');
    meta.applyToAdset(0, 2, { kind: 'resume' });
    expect(meta.adsetState(0, 2).status).toBe('ACTIVE');
  });

  it('refuses a duplicate (it has no curve for a copy) instead of reading it as a resume', () => {
    const meta = new SimulatedMeta(handMarket());
    meta.applyToAdset(0, 1, { kind: 'pause' });
    expect(() => meta.applyToAdset(0, 1, { kind: 'duplicate' })).toThrow(/duplicate/);
    expect(() => meta.apply(0, { kind: 'duplicate' })).toThrow(/duplicate/);
    // Nothing changed: the paused ad set stays paused, the campaign keeps its other two.
    expect([0, 1, 2].map((a) => meta.adsetState(0, a).status)).toEqual(['ACTIVE', 'PAUSED', 'ACTIVE']);
    expect(meta.state(0)).toMatchObject({ status: 'ACTIVE', dailyBudgetCents: 200_00 });
  });

  it('carries out a campaign-level raise on an ad-set campaign by moving every active ad set alike', () => {
    const meta = new SimulatedMeta(handMarket());
    meta.applyToAdset(0, 0, { kind: 'pause' });
    // Active: $100 + $100 = $200; +40% -> $280, each active ad set x 1.4; the paused one is left alone.
    meta.apply(0, { kind: 'set_daily_budget', fromCents: 200_00, toCents: 280_00 });
    expect([0, 1, 2].map((a) => meta.adsetState(0, a).dailyBudgetCents)).toEqual([100_00, 140_00, 140_00]);
    expect(meta.state(0).dailyBudgetCents).toBe(280_00);
  });
});

describe('the backtest at level campaign and auto on an ad-set market', () => {
  it('holds the average campaign at campaign level; at auto raises the winner and pauses the loser, and earns more', async () => {
    const market = handMarket(0.03);
    const kept = { campaign: mkdtempSync(join(scratch, 'campaign-')), auto: mkdtempSync(join(scratch, 'auto-')) };
    const campaign = await runBacktest(
      { policy: 'scaleflow', level: 'campaign' },
      { config, thresholds, market, workDir: kept.campaign, keep: true },
    );
    const auto = await runBacktest(
      { policy: 'scaleflow', level: 'auto' },
      { config, thresholds, market, workDir: kept.auto, keep: true },
    );
    // What the production evaluation stored and the production planning acted on, in each run's warehouse.
    const trail = async (dir: string) => {
      const warehouse = await Warehouse.open(join(dir, readdirSync(dir)[0]!, 'backtest.duckdb'));
      try {
        return {
          decided: await warehouse.all<{ entity_type: string; entity_id: string }>(
            'SELECT DISTINCT entity_type, entity_id FROM decisions ORDER BY ALL',
          ),
          acted: await warehouse.all<{ entity_type: string; type: string; workflow_id: string }>(
            "SELECT entity_type, type, workflow_id FROM alerts WHERE status = 'acted' ORDER BY workflow_id",
          ),
          checked: await warehouse.all<{ entity_type: string; adset_id: string | null }>(
            'SELECT DISTINCT entity_type, adset_id FROM outcome_checks ORDER BY ALL',
          ),
        };
      } finally {
        warehouse.close();
      }
    };
    const atCampaign = await trail(kept.campaign);
    expect(atCampaign.decided).toEqual([{ entity_type: 'campaign', entity_id: 'handads0' }]);
    expect(atCampaign.acted).toEqual([]);
    const atAuto = await trail(kept.auto);
    // At auto the campaign whose budget lives on ad sets is decided per ad set, never as a campaign.
    expect(atAuto.decided).toEqual([
      { entity_type: 'adset', entity_id: '900001' },
      { entity_type: 'adset', entity_id: '900002' },
      { entity_type: 'adset', entity_id: '900003' },
    ]);
    // Each alert acted on went to its ad set's own run (lib/names.ts adsetBudgetChange): the winner
    // raised, the loser paused, and nothing proposed for the 102% ad set.
    expect(atAuto.acted.length).toBeGreaterThanOrEqual(2);
    for (const a of atAuto.acted) {
      expect(a.entity_type).toBe('adset');
      expect(a.workflow_id).toMatch(/^budget-change\/adset-90000[12]\/2025-06-\d\d\/\w+$/);
    }
    expect(atAuto.acted.some((a) => a.workflow_id.startsWith('budget-change/adset-900001/'))).toBe(true);
    expect(atAuto.acted.some((a) => a.workflow_id.startsWith('budget-change/adset-900002/'))).toBe(true);
    // The production outcome check judged them per ad set.
    expect(atAuto.checked.every((c) => c.entity_type === 'adset' && c.adset_id !== null)).toBe(true);
    expect(campaign).toMatchObject({ level: 'campaign', adset_markets: true, budget_changes: { total: 0, adset: 0 } });
    expect(auto.level).toBe('auto');
    // Every change at auto is an ad set's: the loser paused once, the winner raised.
    expect(auto.budget_changes.adset).toBe(auto.budget_changes.total);
    expect(auto.budget_changes.pause).toBe(1);
    expect(auto.budget_changes.raise).toBeGreaterThanOrEqual(1);
    // The loser loses about $45 a day at $100 (100 - 55.09); paused once the cut rule's streak holds,
    // in the first half of the 12 days, that alone is worth more than 6 x $40 over holding everything.
    expect(toCents(auto.margin)).toBeGreaterThan(toCents(campaign.margin) + 6 * 40_00);
    // Each ad-set change had its 7-day check on the ad set's own days.
    expect(auto.accuracy.find((a) => a.rule === 'all')!.checked).toBe(auto.budget_changes.total);
    expect(auto.accuracy.find((a) => a.rule === 'cut_loss')).toMatchObject({ checked: 1, right: 1 });

    const side = levelsSideBySide([campaign, auto])!;
    expect(side.rows.map((r) => [r.level, r.adset_changes])).toEqual([
      ['campaign', 0],
      ['auto', auto.budget_changes.total],
    ]);
    const page = renderBacktestPage([campaign, auto]);
    expect(page).toContain('id="cell-levels"');
    expect(page).toContain('id="cell-scaleflow-campaign"');
    expect(page).toContain('id="cell-scaleflow-auto"');
  }, 900_000);
});
