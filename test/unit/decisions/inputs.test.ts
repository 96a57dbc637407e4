import { describe, expect, it } from 'vitest';
import {
  alertSchema,
  anomalyFlagSchema,
  DEFAULT_THRESHOLDS,
  daysNeeded,
  dailyRowSchema,
  decisionSchema,
  evaluateRows,
  groupRows,
  resolveThresholds,
  thresholdsConfigSchema,
  type DailyRow,
} from '../../../lib/decisions';
import { AS_OF, NOW, SHIPPED_RULES } from './fixtures';

describe('thresholds', () => {
  it('defaults are the numbers METRICS.md writes', () => {
    expect(DEFAULT_THRESHOLDS).toMatchObject({
      winner_roas: 130,
      loser_roas: 80,
      volatility_cv: 0.5,
      min_spend: 50,
      scale_pct: 40,
      max_scale_pct: 50,
      scale_days: 3,
      scale_roas: 130,
      scale_high_margin: 100,
      cut_days: 5,
      cut_roas: 80,
      cut_high_loss: 500,
      cooldown_hours: 72,
      high_confidence_spend: 500,
      anomaly_sd: 3,
      anomaly_drop_pct: 30,
    });
  });

  it('an owner override changes only what it names, on top of the global overrides', () => {
    const resolved = resolveThresholds(
      thresholdsConfigSchema.parse({ global: { min_spend: 20 }, owners: { Alice: { scale_pct: 30 } } }),
    );
    expect(resolved.of('alice')).toMatchObject({ min_spend: 20, scale_pct: 30, cut_days: 5 });
    expect(resolved.of('bob')).toMatchObject({ min_spend: 20, scale_pct: 40 });
    expect(resolved.all).toHaveLength(2);
  });

  it('says how many days of rows the rules need: the 7-day window, the longest streak, anomaly days + 7', () => {
    expect(daysNeeded({ global: {}, owners: {} }, SHIPPED_RULES)).toBe(8); // anomalies for yesterday: 1 + 7 trailing
    expect(daysNeeded({ global: {}, owners: {} }, SHIPPED_RULES, 0)).toBe(7);
    expect(daysNeeded({ global: {}, owners: { bob: { cut_days: 30 } } }, SHIPPED_RULES)).toBe(30);
    expect(daysNeeded({ global: {}, owners: {} }, SHIPPED_RULES, 14)).toBe(21);
  });

  it('rejects a misspelt key or an impossible value, naming where', () => {
    const typo = thresholdsConfigSchema.safeParse({ owners: { alice: { min_spnd: 20 } } });
    expect(typo.success).toBe(false);
    expect(typo.error!.issues[0]).toMatchObject({
      code: 'unrecognized_keys',
      keys: ['min_spnd'],
      path: ['owners', 'alice'],
    });
    const zero = thresholdsConfigSchema.safeParse({ global: { scale_days: 0 } });
    expect(zero.error!.issues[0]!.path).toEqual(['global', 'scale_days']);
  });
});

describe('rows from daily_campaign_metrics', () => {
  const row = (
    date: string,
    campaign_id: string,
    spend: string,
    revenue: string,
    extra: Partial<DailyRow> = {},
  ): DailyRow => ({
    date,
    campaign_id,
    campaign_name: `name ${date}`,
    owner: 'alice',
    category: 'health',
    spend,
    revenue,
    margin: 'ignored',
    roas: 'ignored',
    clicks: 1,
    conversions: 1,
    impressions: 1,
    ...extra,
  });

  it("accepts the view's row shape with DECIMAL strings and extra columns", () => {
    expect(dailyRowSchema.safeParse(row('2025-10-12', 'c1', '100.00', '150.50')).success).toBe(true);
    expect(dailyRowSchema.safeParse(row('2025-10-12', 'c1', '1OO', '150.50')).error!.issues[0]!.path).toEqual([
      'spend',
    ]);
  });

  it("groups by campaign, sorted by id, with the latest row's name and the change facts attached", () => {
    const rows = [
      row('2025-10-12', 'b', '1', '1'),
      row('2025-10-10', 'a', '1', '1'),
      row('2025-10-11', 'a', '1', '1', { campaign_name: 'renamed' }),
    ];
    const grouped = groupRows(
      rows,
      [{ campaign_id: 'a', changed_at: '2025-10-12T00:00:00Z' }],
      new Map([['b', '2025-01-01']]),
    );
    expect(grouped.map((s) => [s.campaign_id, s.campaign_name, s.days.length, s.changes, s.launch_date])).toEqual([
      ['a', 'renamed', 2, ['2025-10-12T00:00:00Z'], undefined],
      ['b', 'name 2025-10-12', 1, [], '2025-01-01'],
    ]);
  });

  it('evaluates straight from rows: decisions for every campaign, alerts, cooldown from change facts', () => {
    const days = ['2025-10-06', '2025-10-07', '2025-10-08', '2025-10-09', '2025-10-10', '2025-10-11', '2025-10-12'];
    const rows = [
      ...days.map((d) => row(d, 'win', '100.00', '150.00')), // stable winner, roas 150.0
      ...days.map((d) => row(d, 'lose', '200.00', '100.00')), // stable loser, roas 50.0
      ...days.map((d) => row(d, 'cool', '100.00', '150.00')),
    ];
    const result = evaluateRows(
      rows,
      [{ campaign_id: 'cool', changed_at: '2025-10-12T15:00:00Z' }],
      { as_of: AS_OF, now: NOW, thresholds: {} },
      SHIPPED_RULES,
    );
    expect(result.yesterday).toBe('2025-10-12');
    expect(result.decisions.map((d) => [d.campaign_id, d.recommendation])).toEqual([
      ['cool', 'cooldown'],
      ['lose', 'pause'],
      ['win', 'scale_40_percent'],
    ]);
    // win: margin yesterday 50 -> medium, gain 20.00; lose: loss 5 x 100 = 500 -> medium, daily 100.00
    expect(result.alerts.map((a) => [a.campaign_id, a.type, a.priority])).toEqual([
      ['lose', 'cut_loss', 'medium'],
      ['win', 'scale_up', 'medium'],
    ]);
    expect(result.overruled.map((o) => [o.alert.campaign_id, o.decision])).toEqual([['cool', 'cooldown']]);
  });

  it('every output matches the schema the API can publish', () => {
    const days = [
      '2025-10-04',
      '2025-10-05',
      '2025-10-06',
      '2025-10-07',
      '2025-10-08',
      '2025-10-09',
      '2025-10-10',
      '2025-10-11',
      '2025-10-12',
    ];
    const rows = [
      ...days.map((d, i) => row(d, 'spiky', i === 8 ? '400.00' : '100.00', '150.00')),
      ...days.map((d) => row(d, 'lose', '200.00', '100.00')),
    ];
    const result = evaluateRows(rows, [], { as_of: AS_OF, now: NOW, thresholds: {} }, SHIPPED_RULES);
    expect(result.anomalies.length).toBeGreaterThan(0);
    for (const d of result.decisions) expect(decisionSchema.parse(d)).toEqual(d);
    for (const a of result.alerts) expect(alertSchema.parse(a)).toEqual(a);
    for (const f of result.anomalies) expect(anomalyFlagSchema.parse(f)).toEqual(f);
  });
});
