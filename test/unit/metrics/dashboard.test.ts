import { describe, expect, it } from 'vitest';
import { buildDashboard, type CampaignWindowRow } from '../../../lib/metrics/dashboard';
import { resolveWindow, WindowError } from '../../../lib/metrics/windows';

const row = (
  campaign_id: string,
  owner: string,
  spend: string,
  revenue: string,
  last_day_spend: string,
): CampaignWindowRow => ({
  campaign_id,
  campaign_name: `${campaign_id}_FB`,
  owner,
  category: 'Dental',
  spend,
  revenue,
  margin: (Number(revenue) - Number(spend)).toFixed(2),
  roas: Number(spend) > 0 ? Math.round((Number(revenue) / Number(spend)) * 1000) / 10 : null,
  last_day_spend,
});

// Totals 8236 spend and 10253 revenue make the seed example: margin 2017, margin_rate 0.245.
const rows = [
  row('a', 'ben', '5000.00', '6500.00', '700.00'), // margin 1500
  row('b', 'ben', '1236.00', '1000.00', '0.00'), // margin -236
  row('c', 'tj', '2000.00', '2753.00', '300.00'), // margin 753
  row('d', 'tj', '0.00', '0.00', '0.00'), // no spend in the window
];
const ctx = (filter: 'all' | 'active' | 'scaling' | 'losers') => ({
  filter,
  openScaleUp: new Set(['a']),
  recommendationOf: (_type: string, id: string) => (id === 'a' ? 'scale_40_percent' : 'hold'),
});

describe('dashboard (METRICS.md)', () => {
  it('sums the window and counts active and positive-margin campaigns', () => {
    expect(buildDashboard(rows, ctx('all')).summary).toEqual({
      total_spend: 8236,
      total_revenue: 10253,
      total_margin: 2017,
      margin_rate: 0.245,
      active_campaigns: 3,
      positive_margin_campaigns: 2,
    });
  });

  it('ranks owners by margin with their two best campaigns among those with spend', () => {
    expect(buildDashboard(rows, ctx('all')).by_owner).toEqual([
      { owner: 'ben', spend: 6236, margin: 1264, top_campaigns: ['a', 'b'], scaling_opportunities: 1 },
      { owner: 'tj', spend: 2000, margin: 753, top_campaigns: ['c'], scaling_opportunities: 0 },
    ]);
  });

  it('lists top performers with margin > 0, best first, with their recommendation', () => {
    expect(buildDashboard(rows, ctx('all')).top_performers).toEqual([
      {
        entity_type: 'campaign',
        entity_id: 'a',
        campaign_id: 'a',
        adset_id: null,
        name: 'a_FB',
        owner: 'ben',
        spend: 5000,
        margin: 1500,
        roas: 130,
        recommendation: 'scale_40_percent',
      },
      {
        entity_type: 'campaign',
        entity_id: 'c',
        campaign_id: 'c',
        adset_id: null,
        name: 'c_FB',
        owner: 'tj',
        spend: 2000,
        margin: 753,
        roas: 137.7,
        recommendation: 'hold',
      },
    ]);
  });

  it('filters: active = spend on the last day, losers = negative margin, scaling = open scale_up alert', () => {
    // active: a + c -> spend 7000, revenue 9253, margin 2253, rate 0.32186 -> 0.322
    expect(buildDashboard(rows, ctx('active')).summary).toMatchObject({
      total_spend: 7000,
      total_margin: 2253,
      margin_rate: 0.322,
    });
    expect(buildDashboard(rows, ctx('losers')).by_owner).toEqual([
      { owner: 'ben', spend: 1236, margin: -236, top_campaigns: ['b'], scaling_opportunities: 0 },
    ]);
    const scaling = buildDashboard(rows, ctx('scaling'));
    expect(scaling.top_performers.map((t) => t.campaign_id)).toEqual(['a']);
    // Owners with nothing in scope are left out.
    expect(scaling.by_owner.map((o) => o.owner)).toEqual(['ben']);
  });

  it('breaks margin ties by campaign id', () => {
    const tied = [row('z', 'ben', '100.00', '200.00', '1.00'), row('m', 'ben', '100.00', '200.00', '1.00')];
    expect(buildDashboard(tied, ctx('all')).top_performers.map((t) => t.campaign_id)).toEqual(['m', 'z']);
  });
});

describe('date windows end yesterday', () => {
  it('resolves yesterday, 7d, 30d and custom against as_of', () => {
    expect(resolveWindow({ date_range: 'yesterday' }, '2025-10-13')).toEqual({
      start: '2025-10-12',
      end: '2025-10-12',
    });
    expect(resolveWindow({ date_range: '7d' }, '2025-10-13')).toEqual({ start: '2025-10-06', end: '2025-10-12' });
    expect(resolveWindow({ date_range: '30d' }, '2025-10-13')).toEqual({ start: '2025-09-13', end: '2025-10-12' });
    expect(resolveWindow({ date_range: 'custom', start: '2025-10-01', end: '2025-10-05' }, '2025-10-13')).toEqual({
      start: '2025-10-01',
      end: '2025-10-05',
    });
  });

  it('refuses a custom window that is incomplete, inverted or reaches today', () => {
    expect(() => resolveWindow({ date_range: 'custom', end: '2025-10-05' }, '2025-10-13')).toThrow(WindowError);
    expect(() => resolveWindow({ date_range: 'custom', start: '2025-10-06', end: '2025-10-05' }, '2025-10-13')).toThrow(
      'is after end',
    );
    expect(() => resolveWindow({ date_range: 'custom', start: '2025-10-06', end: '2025-10-13' }, '2025-10-13')).toThrow(
      'after yesterday',
    );
  });
});
