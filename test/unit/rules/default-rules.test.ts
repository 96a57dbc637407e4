import { describe, expect, it } from 'vitest';
import { evaluateCampaigns, type CampaignSeries } from '../../../lib/decisions';
import { yesterdayOf } from '../../../lib/dates';
import { ruleAlerts } from '../../../lib/rules/alerts';
import { ruleCampaigns, rowsOfSeries } from '../../../lib/rules/rows';
import { rulesLookback } from '../../../lib/rules/evaluate';
import { AS_OF, campaign, flat, NOW, roasDays } from '../decisions/fixtures';
import { ruleFile } from './fixtures';

// Shipped switched off (the daily pipeline still raises these alerts itself); compared as if on.
const defaults = [ruleFile('default-scale-up.yaml'), ruleFile('default-cut-loss.yaml')].map((r) => ({ ...r, enabled: true }));

/** lib/decisions' alerts and the default rules' alerts on the same campaigns, as of the same day. */
function both(series: CampaignSeries[]) {
  const evaluation = evaluateCampaigns(series, { as_of: AS_OF, now: NOW, thresholds: { global: {}, owners: {} } });
  const decisions = new Map(evaluation.decisions.map((d) => [d.campaign_id, d.recommendation]));
  const campaigns = ruleCampaigns(rowsOfSeries(series), yesterdayOf(AS_OF), rulesLookback(defaults), decisions);
  return { expected: evaluation.alerts, actual: ruleAlerts(defaults, campaigns) };
}

const seed = (id = 'seed', extra = {}) => campaign(id, [...flat(6, 100, 140), [696, 974.4]], extra);

/** The campaigns of test/unit/decisions (alerts and decide), default thresholds. */
const FIXTURES: Record<string, CampaignSeries[]> = {
  'the seed example (high, gain 111.36)': [seed()],
  'medium below a $100 margin, high from it': [campaign('m', [...flat(6, 100, 200), [100, 199.99]]), campaign('h', flat(7, 100, 200))],
  'spend 49.99 breaks the streak, 50.00 is enough': [campaign('s1', [...flat(5, 100, 200), [49.99, 99.98], [100, 200]]), campaign('s2', [...flat(5, 100, 200), [50, 100], [100, 200]])],
  'roas exactly 130.0 breaks it, 130.05 -> 130.1 does not': [campaign('r1', [...flat(5, 100, 200), [100, 130], [100, 200]]), campaign('r2', [...flat(5, 100, 200), [100, 130.05], [100, 200]])],
  'a winner in decline is overruled (hold)': [campaign('dec', roasDays([180, 175, 170, 165, 150, 140, 135]))],
  'cooldown vetoes': [seed('cool', { changes: ['2025-10-13T09:00:00Z'] })],
  'cut_loss medium (loss 500), high (500.01), cents': [
    campaign('cut', flat(7, 200, 100)),
    campaign('cut-high', [...flat(6, 200, 100), [200.01, 100]]),
    campaign('round', [[100, 33.33], [100, 33.33], [100, 33.33], [100, 33.33], [100, 33.33], [100, 33.34], [100, 33.34]]),
  ],
  'a day without spend breaks the cut streak': [campaign('gap', [...flat(3, 200, 100), [0, 0], ...flat(3, 200, 100)])],
  'a loser recovering is overruled (hold)': [campaign('rec', roasDays([40, 45, 50, 55, 60, 65, 75]))],
  'alert order': [seed('a1'), campaign('b1', flat(7, 300, 100)), campaign('c1', [...flat(6, 100, 200), [100, 199.99]]), campaign('d1', flat(7, 200, 100)), campaign('a0', flat(7, 100, 60))],
  'decision matrix campaigns': [
    campaign('w-stable', flat(7, 100, 150)),
    campaign('w-up', roasDays([130, 130, 130, 130, 140, 150, 160])),
    campaign('w-down', roasDays([170, 160, 150, 145, 140, 135, 130])),
    campaign('l-flat', flat(7, 100, 70)),
    campaign('l-down', roasDays([79, 78, 77, 76, 75, 74, 73])),
    campaign('l-up', roasDays([60, 62, 64, 66, 68, 70, 75])),
  ],
  'a launch under 3 days old is retest': [campaign('young', flat(2, 100, 200))],
  'volatile winner is retest': [campaign('vol', roasDays([300, 140, 400, 150, 500, 140, 160]))],
};

describe('the default rules raise exactly the alerts lib/decisions raises', () => {
  for (const [name, series] of Object.entries(FIXTURES)) {
    it(name, () => {
      const { expected, actual } = both(series);
      expect(actual).toEqual(expected);
    });
  }

  it('all fixtures at once, in METRICS.md order, and the fixtures do raise alerts of both types', () => {
    const { expected, actual } = both(Object.values(FIXTURES).flat());
    expect(actual).toEqual(expected);
    expect(new Set(expected.map((a) => a.type))).toEqual(new Set(['scale_up', 'cut_loss']));
    expect(expected.length).toBeGreaterThanOrEqual(10);
  });
});
