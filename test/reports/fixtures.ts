import { Warehouse } from '../../services/warehouse/warehouse';
import { refreshCampaignDays } from '../../services/warehouse/campaign-days';
import { addDays, datesBetween } from '../../lib/dates';
import { seededRandom } from '../../lib/sample/random';

/**
 * Report test data. The report's only input is the view daily_campaign_metrics (migration
 * 002_strategis): these rows go into the fact table under it, campaign_daily_facts, as a strateg.is
 * load would put them there, and the view computes margin and roas.
 */
export interface MetricRow {
  date: string;
  campaign_id: string;
  campaign_name: string;
  owner: string;
  category: string;
  spend: string;
  revenue: string;
}

/** A warehouse with every migration applied and the rows loaded into the fact table. */
export async function metricsWarehouse(path: string, rows: MetricRow[]): Promise<Warehouse> {
  const warehouse = await Warehouse.open(path);
  await loadRows(warehouse, rows);
  return warehouse;
}

const FIXTURE_BATCH = 'test-fixture';
const FIXTURE_LOADED_AT = '2025-01-01 00:00:00+00';

export async function loadRows(warehouse: Warehouse, rows: MetricRow[]): Promise<void> {
  const appender = await warehouse.connection.createAppender('campaign_daily_facts');
  try {
    for (const r of rows) {
      // Through SQL text would be slower; the appender takes strings and DuckDB casts them.
      appender.appendVarchar(r.date);
      appender.appendVarchar(r.campaign_id);
      appender.appendVarchar(''); // adset_id: campaign-level rows
      appender.appendVarchar(r.campaign_name);
      appender.appendNull(); // adset_name
      appender.appendVarchar(r.owner);
      appender.appendVarchar(r.category);
      appender.appendVarchar(r.spend);
      appender.appendVarchar(r.revenue);
      for (let i = 0; i < 6; i++) appender.appendNull(); // clicks .. meta_campaign_id
      appender.appendBoolean(true);
      appender.appendVarchar(FIXTURE_BATCH);
      appender.appendVarchar(FIXTURE_LOADED_AT);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
    warehouse.touched();
  }
  // Written past the loader: roll the campaign days up as a load would.
  await refreshCampaignDays(warehouse, 'all');
}

export const AS_OF = '2025-10-13';
export const YESTERDAY = '2025-10-12';
export const RISKY_NAME = 'Solar<b>Promo</b> & "Co"';

const row = (
  date: string,
  campaign_id: string,
  campaign_name: string,
  owner: string,
  category: string,
  spend: string,
  revenue: string,
): MetricRow => ({
  date,
  campaign_id,
  campaign_name,
  owner,
  category,
  spend,
  revenue,
});

/**
 * The hand-computed example (expectations in cells.test.ts). as_of 2025-10-13, yesterday 10-12.
 * B1, B2 (ben) and T1 (tj) run steadily from 09-13; B1 also lost $1,000 on 09-12, outside every
 * window. T2 (tj, a name with markup in it) launched 10-08; T3 (tj) launched 10-11 and spent
 * $0.10 then $0.20.
 */
export function handExample(): MetricRow[] {
  const rows: MetricRow[] = [
    row('2025-09-12', 'B1', 'DentalImplantTrials_FB_HB_BH', 'ben', 'Dental', '1000.00', '0.00'),
  ];
  for (const date of datesBetween('2025-09-13', '2025-10-11')) {
    rows.push(row(date, 'B1', 'DentalImplantTrials_FB_HB_BH', 'ben', 'Dental', '100.00', '130.00'));
    rows.push(row(date, 'B2', 'Roofing_FB_Loser', 'ben', 'Roofing', '50.00', '40.00'));
    rows.push(row(date, 'T1', 'LegalHelp_FB_TJ', 'tj', 'Legal', '200.00', '260.00'));
  }
  rows.push(row(YESTERDAY, 'B1', 'DentalImplantTrials_FB_HB_BH', 'ben', 'Dental', '100.10', '150.20'));
  rows.push(row(YESTERDAY, 'B2', 'Roofing_FB_Loser', 'ben', 'Roofing', '60.00', '30.00'));
  rows.push(row(YESTERDAY, 'T1', 'LegalHelp_FB_TJ', 'tj', 'Legal', '200.00', '210.00'));
  const t2: [string, string, string][] = [
    ['2025-10-08', '30.00', '20.00'],
    ['2025-10-09', '30.00', '40.00'],
    ['2025-10-10', '40.00', '60.00'],
    ['2025-10-11', '40.00', '50.00'],
    [YESTERDAY, '50.00', '80.00'],
  ];
  for (const [date, spend, revenue] of t2) rows.push(row(date, 'T2', RISKY_NAME, 'tj', 'Solar', spend, revenue));
  rows.push(row('2025-10-11', 'T3', 'Pets_FB_New', 'tj', 'Pets', '0.10', '0.00'));
  rows.push(row(YESTERDAY, 'T3', 'Pets_FB_New', 'tj', 'Pets', '0.20', '0.00'));
  return rows;
}

const OWNERS = ['ana', 'ben', 'carla', 'dev', 'erin', 'tj'];
const CATEGORIES = ['Dental', 'Legal', 'Roofing', 'Solar', 'Pets', 'Insurance', 'Auto', 'Travel'];

/**
 * `campaigns` campaigns over `days` days ending yesterday: most run the whole time, one in ten
 * launches inside the last two weeks; each has its own roas level and daily noise.
 */
export function generatedRows(campaigns: number, asOf: string, days = 40, seed = 7): MetricRow[] {
  const rand = seededRandom(seed);
  const end = addDays(asOf, -1);
  const all = datesBetween(addDays(end, -(days - 1)), end);
  const rows: MetricRow[] = [];
  for (let c = 0; c < campaigns; c++) {
    const id = `c${String(c).padStart(5, '0')}`;
    const owner = OWNERS[c % OWNERS.length]!;
    const category = CATEGORIES[Math.floor(rand() * CATEGORIES.length)]!;
    const name = `${category}Offer${c}_FB_${owner.toUpperCase()}`;
    const level = 0.6 + rand() * 0.9;
    const budget = 20 + Math.floor(rand() * 400);
    const start = c % 10 === 0 ? all.length - 1 - Math.floor(rand() * 14) : 0;
    for (let d = start; d < all.length; d++) {
      const spendCents = Math.round(budget * (0.7 + rand() * 0.6) * 100);
      const revenueCents = Math.round(spendCents * level * (0.75 + rand() * 0.5));
      rows.push(
        row(all[d]!, id, name, owner, category, (spendCents / 100).toFixed(2), (revenueCents / 100).toFixed(2)),
      );
    }
  }
  return rows;
}

/** An outcome check as budgetChange records it; only what the report reads matters here. */
export async function insertOutcome(
  warehouse: Warehouse,
  o: { id: string; campaign: string; owner: string; rule: 'scale_up' | 'cut_loss'; changeDate: string; right: boolean },
) {
  await warehouse.run(
    `INSERT INTO outcome_checks (workflow_id, campaign_id, owner, change_type, rule, change_date, baseline_spend, baseline_revenue,
       baseline_margin, outcome_spend, outcome_revenue, outcome_margin, delta_margin, delta_revenue, is_improving, was_right)
     VALUES ($1, $2, $3, $4, $4, $5::DATE, 0, 0, 0, 0, 0, 0, 0, 0, $6, $6)`,
    [o.id, o.campaign, o.owner, o.rule, o.changeDate, o.right],
  );
}

/** Outcome checks for the hand example: two finished this week, one before, one not finished yet. */
export async function handOutcomes(warehouse: Warehouse) {
  await insertOutcome(warehouse, {
    id: 'W1',
    campaign: 'B1',
    owner: 'ben',
    rule: 'scale_up',
    changeDate: '2025-10-01',
    right: true,
  }); // done 10-08
  await insertOutcome(warehouse, {
    id: 'W2',
    campaign: 'T1',
    owner: 'tj',
    rule: 'scale_up',
    changeDate: '2025-09-20',
    right: false,
  }); // done 09-27
  await insertOutcome(warehouse, {
    id: 'W3',
    campaign: 'B2',
    owner: 'ben',
    rule: 'cut_loss',
    changeDate: '2025-10-03',
    right: true,
  }); // done 10-10
  await insertOutcome(warehouse, {
    id: 'W4',
    campaign: 'T2',
    owner: 'tj',
    rule: 'scale_up',
    changeDate: '2025-10-06',
    right: true,
  }); // done 10-13: not yet
}

/** The hand example with its outcome checks: what the report tests read. */
export async function handWarehouse(path = ':memory:'): Promise<Warehouse> {
  const warehouse = await metricsWarehouse(path, handExample());
  await handOutcomes(warehouse);
  return warehouse;
}
