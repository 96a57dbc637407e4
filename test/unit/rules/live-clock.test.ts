import { describe, expect, it } from 'vitest';
import { liveStateOf, type LiveRow } from '../../../services/rules/live';

// The rules' live state of a campaign in a Tokyo account, as the team in New York evaluates on
// 2025-10-13: the 20:00Z snapshot is 16:00 on 10-13 in New York (the team's as_of) and 05:00 on
// 10-14 in Tokyo, whose day began 10-13T15:00Z: 5 of 24 hours gone = 0.2083.
const row: LiveRow = {
  account_id: 'act_71',
  meta_campaign_id: '7100',
  status: 'ACTIVE',
  daily_budget: '240.00',
  spend_today: '100.00',
  impressions: 10,
  clicks: 1,
  purchases: 0,
  report_date: '2025-10-14',
  as_of_ms: Date.parse('2025-10-13T20:00:00Z'),
  time_zone: 'Asia/Tokyo',
};

describe("the rules' live state on the account's clock", () => {
  it("knows a Tokyo account's today and paces it against Tokyo's day gone", () => {
    const live = liveStateOf(row, 'America/New_York', '2025-10-13');
    expect(live.todayKnown).toBe(true);
    expect(live.dayElapsed).toBeCloseTo(5 / 24, 10);
    // pacing = utilisation / day gone = (100 / 240) / (5 / 24) = 2.0
    expect(live.spendTodayCents / live.dailyBudgetCents! / live.dayElapsed!).toBeCloseTo(2, 10);
  });

  it('falls back to the team zone for an account the sync has not recorded, and a snapshot of another day is not today', () => {
    // New York's 10-13 began at 04:00Z: 16 of 24 hours at 20:00Z.
    const legacy = liveStateOf(
      { ...row, time_zone: null, report_date: '2025-10-13' },
      'America/New_York',
      '2025-10-13',
    );
    expect(legacy.dayElapsed).toBeCloseTo(16 / 24, 10);
    const stale = liveStateOf(row, 'America/New_York', '2025-10-14');
    expect(stale).toMatchObject({ todayKnown: false, dayElapsed: null });
  });
});
