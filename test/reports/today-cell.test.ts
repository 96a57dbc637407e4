import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildReportEmail, renderReportFiles } from '../../services/reports/engine';
import type { Warehouse } from '../../services/warehouse/warehouse';
import type { ReportView } from '../../lib/reports/render';
import { AS_OF, handWarehouse } from './fixtures';

/**
 * "Today so far" and pacing on each account's own clock (issue 21). The team is in New York; the
 * completed sync hours 17:00Z and 20:00Z of 2025-10-13 (13:00 and 16:00 there, both on as_of).
 * 20:00Z is 2025-10-14 05:00 in Tokyo (its day began 10-13T15:00Z: 5 of 24 hours, 20.8%) and
 * 2025-10-13 13:00 in Los Angeles (its day began 10-13T07:00Z: 13 of 24 hours, 54.2%).
 *   K1 (ben, Tokyo act_71): $0.00 of $240.00, $0.00 at 17:00Z too -> delivery stopped.
 *   L1 (tj, LA act_72): $90.00 of $100.00, $60.00 at 17:00Z; Meta purchase value $180.00 ->
 *     pace 90 / (100 x 13/24) = 1.66 > 1.5 after 12:00 local -> overspend; ROAS 180 / 90 = 200.0.
 */
const TZ = 'America/New_York';
let warehouse: Warehouse;
let reportsDir: string;
let team: ReportView;
let ben: ReportView;
const cell = (view: ReportView, name: string) => view.byName[name]!;
const render = async (owner?: string) =>
  (await renderReportFiles({ warehouse, reportsDir, asOf: AS_OF, owner, timeZone: TZ })).view;

beforeAll(async () => {
  reportsDir = mkdtempSync(join(inject('scratchDir'), 'today-cell-'));
  warehouse = await handWarehouse();
  await warehouse.run(
    `INSERT INTO meta_accounts (account_id, currency, time_zone, seen_hour) VALUES
       ('act_71', 'USD', 'Asia/Tokyo', '2025-10-13 20:00:00+00'),
       ('act_72', 'USD', 'America/Los_Angeles', '2025-10-13 20:00:00+00');
     INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, account_id) VALUES
       ('K1', 'm-K1', 'ben', 'act_71'), ('L1', 'm-L1', 'tj', 'act_72');`,
  );
  for (const [hour, tokyoDay, k1, l1] of [
    ['2025-10-13 17:00:00+00', '2025-10-14', '0.00', '60.00'],
    ['2025-10-13 20:00:00+00', '2025-10-14', '0.00', '90.00'],
  ] as const) {
    await warehouse.run(
      `INSERT INTO meta_sync_runs (snapshot_hour, finished_at, accounts, campaigns) VALUES ('${hour}', '${hour}', 2, 2);
       INSERT INTO meta_campaign_snapshots (snapshot_hour, account_id, meta_campaign_id, name, status, currency, daily_budget, is_cbo, report_date, spend, purchase_value) VALUES
         ('${hour}', 'act_71', 'm-K1', 'Tokyo_K1', 'ACTIVE', 'USD', 240.00, true, '${tokyoDay}', ${k1}, 0),
         ('${hour}', 'act_72', 'm-L1', 'LA_L1', 'ACTIVE', 'USD', 100.00, true, '2025-10-13', ${l1}, 180.00);`,
    );
  }
  [team, ben] = [await render(), await render('ben')];
});
afterAll(() => warehouse?.close());

describe('today so far', () => {
  it('shows each budget entity on its own clock, provisional, with the two alerts', () => {
    expect(
      cell(team, 'today').rows.map((r) => [
        r.entity_id,
        r.owner,
        r.spend,
        r.daily_budget,
        r.spent_pct,
        r.purchase_value,
        r.provisional_roas,
        r.report_date,
        r.local_time,
        r.time_zone,
      ]),
    ).toEqual([
      ['m-L1', 'tj', '90.00', '100.00', 90, '180.00', 200, '2025-10-13', '13:00', 'America/Los_Angeles'],
      ['m-K1', 'ben', '0.00', '240.00', 0, '0.00', null, '2025-10-14', '05:00', 'Asia/Tokyo'],
    ]);
    expect(cell(team, 'today').sentence.text).toBe(
      "Provisional: Meta's spend and purchase value so far today, from the latest hourly sync; strateg.is reconciles revenue tomorrow. " +
        "Each row is on its ad account's own clock (America/Los_Angeles, Asia/Tokyo). " +
        'Delivery stopped: Tokyo_K1 (ben), no spend in the last 3 hours (05:00 Asia/Tokyo), active with a $240.00 daily budget. ' +
        'Overspending: LA_L1 (tj), spent $90.00 of $100.00 by 13:00 America/Los_Angeles: 1.66x the pace of its budget. ' +
        'These alerts only notify: nothing is proposed or written to Meta.',
    );
    expect(cell(ben, 'today').rows.map((r) => r.entity_id)).toEqual(['m-K1']);
  });

  it('paces each campaign against its own day gone, and says in which zone', () => {
    // K1: 0 of 240 at 20.8% of Tokyo's day: 0 < 0.75 x 20.8% -> under pace. L1: 90% > 1.25 x 54.2% -> over.
    // Before, both were cut in New York (16:00, 66.7%) and K1's Tokyo day was "no sync today".
    expect(
      cell(team, 'pacing')
        .rows.filter((r) => ['K1', 'L1'].includes(String(r.campaign_id)))
        .map((r) => [r.campaign_id, r.day_pct, r.pace, r.synced_at, r.time_zone]),
    ).toEqual([
      ['L1', 54.2, 'over pace', '13:00', 'America/Los_Angeles'],
      ['K1', 20.8, 'under pace', '05:00', 'Asia/Tokyo'],
    ]);
  });

  it('is in the page and in the email', async () => {
    const email = await buildReportEmail({ warehouse, reportsDir, asOf: AS_OF, timeZone: TZ });
    for (const part of [email.text, email.html]) {
      expect(part).toContain('Today so far');
      expect(part).toContain('strateg.is reconciles revenue tomorrow');
      expect(part).toContain('Tokyo_K1');
    }
  });
});
