import { describe, expect, it } from 'vitest';
import { judgeToday, todayAlerts, todayTotals, type TodayRow } from '../../../lib/metrics/today';

// 2025-10-13T20:00Z is 2025-10-14 05:00 in Tokyo (UTC+9, its day began 10-13T15:00Z) and
// 2025-10-13 13:00 in Los Angeles (PDT, UTC-7, its day began 10-13T07:00Z).
const AT = Date.parse('2025-10-13T20:00:00Z');
const TOKYO = { time_zone: 'Asia/Tokyo', report_date: '2025-10-14', account_id: 'act_71' };
const LA = { time_zone: 'America/Los_Angeles', report_date: '2025-10-13', account_id: 'act_72' };

const row = (over: Partial<TodayRow> & Pick<TodayRow, 'entity_id'>): TodayRow => ({
  entity_type: 'campaign',
  meta_campaign_id: over.entity_id,
  campaign_id: null,
  owner: 'unassigned',
  name: `c${over.entity_id}`,
  status: 'ACTIVE',
  currency: 'USD',
  daily_budget: '100.00',
  spend: '0.00',
  purchase_value: '0.00',
  spend_3h_before: null,
  as_of_ms: AT,
  ...LA,
  ...over,
});

describe("today so far, each entity on its own account's clock", () => {
  it('computes spend against budget, the pace and the provisional ROAS by hand', () => {
    // LA, 13 of 24 hours gone: share 13/24 = 54.2%. Spent 90 of 100 = 90%. Pace 90 / (100 x 13/24)
    // = 90 / 54.1667 = 1.6615 -> 1.66. ROAS on Meta's value 180 / 90 x 100 = 200.0.
    expect(
      judgeToday(row({ entity_id: 'L1', spend: '90.00', purchase_value: '180.00', spend_3h_before: '60.00' })),
    ).toEqual({
      entity_type: 'campaign',
      entity_id: 'L1',
      meta_campaign_id: 'L1',
      campaign_id: null,
      account_id: 'act_72',
      owner: 'unassigned',
      name: 'cL1',
      status: 'ACTIVE',
      currency: 'USD',
      report_date: '2025-10-13',
      time_zone: 'America/Los_Angeles',
      as_of: '2025-10-13T20:00:00.000Z',
      local_time: '13:00',
      day_elapsed_pct: 54.2,
      daily_budget: '100.00',
      spend: '90.00',
      spent_pct: 90,
      pacing: 1.66,
      purchase_value: '180.00',
      provisional_roas: 200,
      alerts: ['overspend'], // 1.66 > 1.5 after 12:00 local
    });
  });

  it('the same spend is no overspend before noon in Tokyo, where it is 05:00', () => {
    // 5 of 24 hours gone: share 20.8%; pace 90 / (100 x 5/24) = 90 / 20.8333 = 4.32, but before mid-day.
    const tokyo = judgeToday(row({ entity_id: 'T2', ...TOKYO, spend: '90.00', spend_3h_before: '80.00' }));
    expect(tokyo).toMatchObject({ local_time: '05:00', day_elapsed_pct: 20.8, pacing: 4.32, alerts: [] });
  });

  it('flags delivery stopped after 3 hours of its own day without spend, never a paused one', () => {
    // Tokyo 05:00: the 02:00 snapshot (17:00Z) is on the same day; 0.00 then and now.
    expect(judgeToday(row({ entity_id: 'T1', ...TOKYO, spend_3h_before: '0.00' })).alerts).toEqual([
      'delivery_stopped',
    ]);
    // LA 13:00: 20.00 at 10:00 and still 20.00. Pace 20 / (50 x 13/24) = 20 / 27.0833 = 0.74.
    const stalled = judgeToday(
      row({ entity_id: 'L2', daily_budget: '50.00', spend: '20.00', spend_3h_before: '20.00' }),
    );
    expect(stalled).toMatchObject({ pacing: 0.74, spent_pct: 40, alerts: ['delivery_stopped'] });
    // 3 hours back not synced: not judged. Paused: not judged.
    expect(judgeToday(row({ entity_id: 'L4', spend: '20.00' })).alerts).toEqual([]);
    expect(judgeToday(row({ entity_id: 'L3', status: 'PAUSED', spend_3h_before: '0.00' })).alerts).toEqual([]);
    // Tokyo 03:00 (18:00Z): three hours back is the day's start, so nothing spent today is 3 hours
    // without spend; at 02:00 (17:00Z) it is too early to say.
    const early = (ms: number) => judgeToday(row({ entity_id: 'T3', ...TOKYO, as_of_ms: ms })).alerts;
    expect(early(Date.parse('2025-10-13T18:00:00Z'))).toEqual(['delivery_stopped']);
    expect(early(Date.parse('2025-10-13T17:00:00Z'))).toEqual([]);
  });

  it('gives each alert a reason in the local time and zone, and totals per currency', () => {
    const entities = [
      judgeToday(row({ entity_id: 'L1', spend: '90.00', purchase_value: '180.00', spend_3h_before: '60.00' })),
      judgeToday(row({ entity_id: 'T1', ...TOKYO, currency: 'JPY', daily_budget: '5000.00', spend_3h_before: '0.00' })),
      judgeToday(row({ entity_id: 'L5', spend: '10.00', purchase_value: '5.00', spend_3h_before: '2.00' })),
    ];
    expect(todayAlerts(entities)).toEqual([
      {
        type: 'overspend',
        entity_type: 'campaign',
        entity_id: 'L1',
        name: 'cL1',
        owner: 'unassigned',
        reason: 'spent $90.00 of $100.00 by 13:00 America/Los_Angeles: 1.66x the pace of its budget',
      },
      {
        type: 'delivery_stopped',
        entity_type: 'campaign',
        entity_id: 'T1',
        name: 'cT1',
        owner: 'unassigned',
        reason: 'no spend in the last 3 hours (05:00 Asia/Tokyo), active with a ¥5,000 daily budget',
      },
    ]);
    // USD: spend 90 + 10 = 100, budgets 100 + 100 = 200, value 180 + 5 = 185, ROAS 185 / 100 = 185.0.
    expect(todayTotals(entities)).toEqual([
      { currency: 'USD', spend: '100.00', daily_budget: '200.00', purchase_value: '185.00', provisional_roas: 185 },
      { currency: 'JPY', spend: '0.00', daily_budget: '5000.00', purchase_value: '0.00', provisional_roas: null },
    ]);
  });
});
