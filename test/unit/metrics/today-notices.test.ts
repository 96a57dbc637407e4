import { describe, expect, it } from 'vitest';
import { judgeToday, type TodayRow } from '../../../lib/metrics/today';
import { batchesByOwner, noticeRecipients, noticesAt, noticeView } from '../../../lib/metrics/today-notices';

// 2025-10-13T20:00Z is 13:00 in Los Angeles (PDT, UTC-7, its day began 10-13T07:00Z): 13 of 24 hours gone.
const AT = Date.parse('2025-10-13T20:00:00Z');
const HOUR = '2025-10-13T20:00:00Z';

const row = (over: Partial<TodayRow> & Pick<TodayRow, 'entity_id'>): TodayRow => ({
  entity_type: 'campaign',
  meta_campaign_id: over.entity_id,
  campaign_id: null,
  account_id: 'act_72',
  owner: 'ben',
  name: `c${over.entity_id}`,
  status: 'ACTIVE',
  currency: 'USD',
  daily_budget: '100.00',
  spend: '0.00',
  purchase_value: '0.00',
  spend_3h_before: null,
  as_of_ms: AT,
  time_zone: 'America/Los_Angeles',
  report_date: '2025-10-13',
  ...over,
});

describe("today's notices (issue 21 item 5)", () => {
  it('judges only the entities the hour synced, with the quiet hours of a stopped one', () => {
    const entities = [
      // Stopped: 40.00 now and 40.00 at 10:00.
      row({ entity_id: 'S', spend: '40.00', spend_3h_before: '40.00' }),
      // Overspending: 90 / (100 x 13/24) = 1.66x > 1.5x after mid-day; spending (60 at 10:00).
      row({ entity_id: 'O', owner: 'tj', spend: '90.00', spend_3h_before: '60.00' }),
      // Stopped too, but its latest snapshot is an hour older: the hour did not sync it.
      row({ entity_id: 'X', spend: '10.00', spend_3h_before: '10.00', as_of_ms: AT - 3_600_000 }),
    ].map(judgeToday);
    const notices = noticesAt(entities, AT);
    expect(notices.map((n) => [n.entity_id, n.type, n.quiet_since, n.local_time, n.pacing])).toEqual([
      ['S', 'delivery_stopped', '10:00', '13:00', 0.74], // 40 / (100 x 13/24) = 0.738
      ['O', 'overspend', null, '13:00', 1.66],
    ]);
    const batches = batchesByOwner(HOUR, notices);
    expect(batches.map((b) => [b.owner, b.notices.map((n) => n.entity_id)])).toEqual([
      ['ben', ['S']],
      ['tj', ['O']],
    ]);
    const tj = noticeView(batches[1]!);
    expect(tj.subject).toBe('Today so far: overspend - cO (tj)');
    expect(tj.items[0]!.window).toBe('by 13:00 America/Los_Angeles (2025-10-13)');
  });

  it("mails the owner's report recipients then their approvers, each address once", () => {
    const report = [
      { owner: 'ben', to: 'ben@example.com' },
      { owner: 'tj', to: 'tj@example.com' },
    ];
    expect(noticeRecipients('Ben', report, ['Ben@example.com', 'lead@example.com'])).toEqual([
      'ben@example.com',
      'lead@example.com',
    ]);
    expect(noticeRecipients('unassigned', report, ['lead@example.com'])).toEqual(['lead@example.com']);
  });
});
