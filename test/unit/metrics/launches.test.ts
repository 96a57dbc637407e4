import { describe, expect, it } from 'vitest';
import { buildLaunches, launchWindow, type LaunchRow } from '../../../lib/metrics/launches';

const launch = (
  campaign_id: string,
  owner: string,
  category: string,
  launch_date: string,
  first: string,
  spend: string,
  revenue: string,
): LaunchRow => ({
  campaign_id,
  owner,
  category,
  launch_date,
  first_day_margin: first,
  spend_72h: spend,
  revenue_72h: revenue,
});

// as_of 2025-10-13, so yesterday is Sunday 2025-10-12, the end of ISO week 2025-W41.
const rows = [
  launch('L1', 'ben', 'Dental', '2025-10-06', '20.00', '300.00', '360.00'), // 120.0: broke even
  launch('L2', 'ben', 'Dental', '2025-10-08', '-30.00', '300.00', '240.00'), // 80.0: did not
  launch('L3', 'tj', 'Legal', '2025-10-11', '-50.00', '100.00', '50.00'), // day 3 is today: not mature
  launch('L4', 'tj', 'Legal', '2025-10-10', '0.00', '200.00', '200.00'), // exactly 100.0: broke even
];
const decisions = new Map([
  ['L1', '2025-10-09'], // 3 days
  ['L2', '2025-10-11'], // 3 days
  ['L4', '2025-10-12'], // 2 days
]);

describe('launches (METRICS.md)', () => {
  const result = buildLaunches(rows, '2025-10-13', 1, decisions);

  it('counts launches, mature ones and the break-even rate over mature launches', () => {
    expect(result.period).toBe('2025-W41');
    expect(result.total_launched).toBe(4);
    expect(result.mature_launches).toBe(3);
    expect(result.successful_launches).toBe(2);
    expect(result.break_even_rate).toBe(0.667); // 2 / 3
    expect(result.launches.find((l) => l.campaign_id === 'L3')).toMatchObject({
      mature: false,
      roas_72h: null,
      successful: false,
    });
  });

  it('averages days from launch to the first decision, leaving undecided launches out', () => {
    expect(result.avg_time_to_decision).toBe('2.7 days'); // (3 + 3 + 2) / 3
  });

  it('rolls up by owner and by category', () => {
    expect(result.by_owner).toEqual([
      { owner: 'ben', launched: 2, successful: 1, avg_roas_72h: 100 }, // (120 + 80) / 2
      { owner: 'tj', launched: 2, successful: 1, avg_roas_72h: 100 }, // L4 only is mature
    ]);
    expect(result.category_performance).toEqual({
      Dental: { launched: 2, success_rate: 0.5, avg_first_margin: -5 }, // (20 - 30) / 2
      Legal: { launched: 2, success_rate: 1, avg_first_margin: -25 }, // (-50 + 0) / 2
    });
  });

  it('names a multi-week period by its first and last ISO weeks', () => {
    expect(launchWindow('2025-10-13', 4)).toEqual({ start: '2025-09-15', end: '2025-10-12' });
    expect(buildLaunches([], '2025-10-13', 4, new Map()).period).toBe('2025-W38..2025-W41');
    expect(buildLaunches([], '2025-10-13', 4, new Map())).toMatchObject({
      total_launched: 0,
      break_even_rate: null,
      avg_time_to_decision: null,
    });
  });
});
