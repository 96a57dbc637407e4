import { addDays, datesBetween } from '../../lib/dates';
import { HOURLY } from '../../lib/meta/breakdowns';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { hourSlot } from '../../workers/meta-sandbox/breakdowns';
import type { BreakdownRowSeed, SandboxState } from '../../workers/meta-sandbox/state';

/**
 * The hand-worked account of issue 21 (Done when, first line), as the breakdown sync stores it
 * (migration 018): rows per day, entity and segment, and one meta_breakdown_runs row per finished
 * day. as_of 2025-10-13, so the 14-day window is 09-29..10-12; one day before it (09-28) is there
 * to prove it is not counted.
 *
 * Ad set A (`adsetA`) of Meta campaign 701 "Shoes_AS" in act_2001, owner ben, every day:
 *   placements  facebook/feed   spend 100.00  purchase value 250.00  (two devices: 60/150 + 40/100)
 *               instagram/story spend  20.00  purchase value  10.00
 *   hours       08..15 (8 hours) spend 10.00 each, 19..22 (4 hours) spend 10.00 each: 120.00 a day
 *     on the 11 "bad" days the evening hours bring 5.00 each and the day hours 30.00 each
 *     (8 x 30 + 4 x 5 = 260); on 10-01, 10-05 and 10-09 the evening brings 15.00 and the day 25.00
 *     (8 x 25 + 4 x 15 = 260); on 10-03 and 10-07 hour 22 brings 12.00 and hour 08 23.00
 *     (23 + 7 x 30 + 3 x 5 + 12 = 260).
 *   So hours 19, 20, 21 lose on 11 of the 14 days, hour 22 on 9 (and on 09-28, outside the window).
 * Ad set B (`adsetB`) of the same campaign: facebook/feed 50.00 / 100.00 a day, instagram/story
 *   10.00 / 0.00 a day (140.00 in 14 days: under the $200 floor); hour 12 carries all of it.
 */
export const SUGGEST_AS_OF = '2025-10-13';
export const SUGGEST_YESTERDAY = '2025-10-12';
export const WINDOW = datesBetween('2025-09-29', SUGGEST_YESTERDAY);
const GOOD_EVENINGS = new Set(['2025-10-01', '2025-10-05', '2025-10-09']);
const HOUR_22_PROFITS = new Set(['2025-10-03', '2025-10-07']);

type Row = Record<string, string | number>;

function hoursOf(day: string): Row[] {
  const good = GOOD_EVENINGS.has(day);
  const rows: Row[] = [];
  for (let hour = 8; hour <= 15; hour++) {
    const value = good ? 25 : HOUR_22_PROFITS.has(day) && hour === 8 ? 23 : 30;
    rows.push({ hour, spend: 10, purchase_value: value });
  }
  for (const hour of [19, 20, 21, 22]) {
    const value = good ? 15 : hour === 22 && HOUR_22_PROFITS.has(day) ? 12 : 5;
    rows.push({ hour, spend: 10, purchase_value: value });
  }
  return rows;
}

const base = (day: string, entityId: string) =>
  ({ day, account_id: 'act_2001', entity_type: 'adset', entity_id: entityId, meta_campaign_id: '701' }) as const;

/** One INSERT per table: a few hundred rows, as the sync writes them. */
async function insert(warehouse: Warehouse, table: string, rows: Row[], counts = true): Promise<void> {
  const full = rows.map((row) => (counts ? { impressions: 1000, clicks: 10, purchases: 1, ...row } : row));
  const cols = Object.keys(full[0]!);
  const params: string[] = [];
  const values = full.map(
    (row) => `(${cols.map((c) => `$${params.push(String(row[c as keyof typeof row]))}`).join(', ')})`,
  );
  await warehouse.run(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${values.join(', ')}`, params);
}

/** The account above as breakdown rows per table, the days they cover first. */
function suggestionRows(adsetA: string, adsetB: string) {
  const days = [addDays(WINDOW[0]!, -1), ...WINDOW];
  const placement: Row[] = [];
  const hour: Row[] = [];
  const ageGender: Row[] = [];
  for (const day of days) {
    const outside = day < WINDOW[0]!;
    placement.push(
      {
        ...base(day, adsetA),
        publisher_platform: 'facebook',
        platform_position: 'feed',
        impression_device: 'iphone',
        spend: 60,
        purchase_value: 150,
      },
      {
        ...base(day, adsetA),
        publisher_platform: 'facebook',
        platform_position: 'feed',
        impression_device: 'desktop',
        spend: 40,
        purchase_value: 100,
      },
      {
        ...base(day, adsetA),
        publisher_platform: 'instagram',
        platform_position: 'story',
        impression_device: 'iphone',
        spend: 20,
        purchase_value: 10,
      },
      {
        ...base(day, adsetB),
        publisher_platform: 'facebook',
        platform_position: 'feed',
        impression_device: 'iphone',
        spend: 50,
        purchase_value: 100,
      },
      {
        ...base(day, adsetB),
        publisher_platform: 'instagram',
        platform_position: 'story',
        impression_device: 'iphone',
        spend: 10,
        purchase_value: 0,
      },
    );
    // The day outside the window: hour 22 loses, which would make its 10th day if it were counted.
    hour.push(
      ...(outside ? [{ hour: 22, spend: 10, purchase_value: 5 }] : hoursOf(day)).map((h) => ({
        ...base(day, adsetA),
        ...h,
      })),
    );
    hour.push({ ...base(day, adsetB), hour: 12, spend: 60, purchase_value: 100 });
    ageGender.push(
      { ...base(day, adsetA), age: '25-34', gender: 'female', spend: 70, purchase_value: 200 },
      { ...base(day, adsetA), age: '45-54', gender: 'male', spend: 50, purchase_value: 60 },
    );
  }
  return { days, placement, hour, ageGender };
}

/** Loads the account above into an opened (migrated) warehouse; the campaign map names its owner. */
export async function loadSuggestionAccount(warehouse: Warehouse, adsetA: string, adsetB: string): Promise<void> {
  const { days, placement, hour, ageGender } = suggestionRows(adsetA, adsetB);
  await insert(warehouse, 'meta_breakdown_placement', placement);
  await insert(warehouse, 'meta_breakdown_hour', hour);
  await insert(warehouse, 'meta_breakdown_age_gender', ageGender);
  await insert(
    warehouse,
    'meta_breakdown_runs',
    days.map((day) => ({ day, account_id: 'act_2001', time_zone: 'America/New_York' })),
    false,
  );
  await mapSuggestionCampaign(warehouse);
}

/** The campaign map's row for Shoes_AS: strateg.is's side, which names the owner (no Meta sync writes it). */
export async function mapSuggestionCampaign(warehouse: Warehouse): Promise<void> {
  await warehouse.run(
    "INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, category, account_id) VALUES ('shoes-as', '701', 'ben', 'shoes', 'act_2001')",
  );
}

const KEYS: Record<'placement' | 'hour' | 'age_gender', (row: Row) => Record<string, string>> = {
  placement: (r) => ({
    publisher_platform: String(r.publisher_platform),
    platform_position: String(r.platform_position),
    impression_device: String(r.impression_device),
  }),
  hour: (r) => ({ [HOURLY]: hourSlot(Number(r.hour)) }),
  age_gender: (r) => ({ age: String(r.age), gender: String(r.gender) }),
};

/**
 * The same account living in the Graph API sandbox: each day's rows set on that day for ad sets A
 * and B, as Meta would answer the breakdown sync (1000 impressions, 10 clicks and 1 purchase a row,
 * as loadSuggestionAccount stores them); no country or region rows. Returns the days to sync.
 */
export function seedSuggestionSandbox(state: SandboxState, adsetA: string, adsetB: string): string[] {
  const { days, placement, hour, ageGender } = suggestionRows(adsetA, adsetB);
  const tables = { placement, hour, age_gender: ageGender } as const;
  for (const day of days)
    for (const adset of [adsetA, adsetB]) {
      for (const [breakdown, rows] of Object.entries(tables) as [keyof typeof tables, Row[]][]) {
        const seeds: BreakdownRowSeed[] = rows
          .filter((r) => r.day === day && r.entity_id === adset)
          .map((r) => ({
            keys: KEYS[breakdown](r),
            spendMinor: Math.round(Number(r.spend) * 100),
            impressions: 1000,
            clicks: 10,
            purchases: 1,
            purchaseValueMinor: Math.round(Number(r.purchase_value) * 100),
          }));
        state.setBreakdown(adset, breakdown, seeds, day);
      }
      state.setBreakdown(adset, 'country', [], day);
      state.setBreakdown(adset, 'region', [], day);
    }
  return days;
}
