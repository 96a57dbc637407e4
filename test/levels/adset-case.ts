import { datesBetween } from '../../lib/dates';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { refreshCampaignDays } from '../../services/warehouse/campaign-days';

// METRICS.md "Levels", the issue's hand-worked case, on a real DuckDB file with the shipped alert
// rules. As of 2025-10-13 (yesterday 10-12), every window inside the 7 days 10-06..10-12; each ad
// set spends $100 a day, so its daily roas is its daily revenue.
//   ab (ad sets hold the budgets, strateg.is ad-set rows): 801 broad at 160%, 802 at 60%, 803 at
//      105%. Campaign: 300 spend, 160 + 60 + 105 = 325 revenue a day -> 108.3%: average -> hold.
//   aud: 811 interest and 812 retargeting at 160%; 813 broad at 160% but LEARNING; 814 broad at
//      160% whose budget Meta showed changing at 10-12 20:00Z (cooldown until 10-15 20:00Z).
//   alloc: strateg.is sent only campaign rows (300 spend, 325 revenue a day); Meta's purchase value
//      160/60/105 on 821/822/823, spend 100 each -> revenue 325 x 160/325 = 160 etc: 'allocated'.
//   plain: no ad sets at all, 100 spend, 160 revenue: a campaign in every level but `adset`.
export const AS_OF = '2025-10-13';
export const DAYS = datesBetween('2025-10-06', '2025-10-12');

interface Adset {
  id: string;
  campaign: string;
  revenue: number;
  audience: string;
  learning?: string;
  /** the budget Meta showed on 10-12 (else 100) */
  lastBudget?: number;
  /** strateg.is sent ad-set rows for it (else only its campaign's row) */
  rows: boolean;
}
const ADSETS: Adset[] = [
  { id: '801', campaign: 'ab', revenue: 160, audience: 'broad', rows: true },
  { id: '802', campaign: 'ab', revenue: 60, audience: 'broad', rows: true },
  { id: '803', campaign: 'ab', revenue: 105, audience: 'broad', rows: true },
  { id: '811', campaign: 'aud', revenue: 160, audience: 'interest', rows: true },
  { id: '812', campaign: 'aud', revenue: 160, audience: 'retargeting', rows: true },
  { id: '813', campaign: 'aud', revenue: 160, audience: 'broad', learning: 'LEARNING', rows: true },
  { id: '814', campaign: 'aud', revenue: 160, audience: 'broad', lastBudget: 150, rows: true },
  { id: '821', campaign: 'alloc', revenue: 160, audience: 'broad', rows: false },
  { id: '822', campaign: 'alloc', revenue: 60, audience: 'broad', rows: false },
  { id: '823', campaign: 'alloc', revenue: 105, audience: 'broad', rows: false },
];

/** Loads the case into a warehouse file (migrated, empty). */
export async function loadAdsetCase(warehouse: Warehouse): Promise<void> {
  const facts: string[] = [];
  const snapshots: string[] = [];
  const fact = (date: string, campaign: string, adset: string, spend: number, revenue: number) =>
    `('${date}', '${campaign}', '${adset}', '${campaign}_name', ${adset ? `'as_${adset}'` : 'NULL'}, 'ana', 'dental',
      ${spend}, ${revenue}, 'act_1', 'm-${campaign}', 'b1')`;
  for (const date of DAYS) {
    facts.push(fact(date, 'alloc', '', 300, 325), fact(date, 'plain', '', 100, 160));
    for (const a of ADSETS) {
      if (a.rows) facts.push(fact(date, a.campaign, a.id, 100, a.revenue));
      const budget = date === '2025-10-12' ? (a.lastBudget ?? 100) : 100;
      snapshots.push(`('${date} 20:00:00+00', 'act_1', 'm-${a.campaign}', '${a.id}', 'meta_${a.id}', 'ACTIVE', 'USD',
        ${budget}, ${a.learning ? `'${a.learning}'` : 'NULL'}, '${a.audience}', '${date}', 100, ${a.revenue})`);
    }
  }
  await warehouse.connection.run(`INSERT INTO campaign_daily_facts
    (date, campaign_id, adset_id, campaign_name, adset_name, owner, category, spend, revenue, account_id,
     meta_campaign_id, batch_id) VALUES ${facts.join(',\n')}`);
  await refreshCampaignDays(warehouse, 'all');
  await warehouse.connection.run(
    `INSERT INTO meta_sync_runs (snapshot_hour, finished_at) VALUES ${DAYS.map((d) => `('${d} 20:00:00+00', '${d} 20:05:00+00')`).join(', ')}`,
  );
  await warehouse.connection.run(`INSERT INTO meta_adset_snapshots
    (snapshot_hour, account_id, meta_campaign_id, adset_id, name, status, currency, daily_budget, learning_status,
     audience_type, report_date, spend, purchase_value) VALUES ${snapshots.join(',\n')}`);
  await warehouse.connection.run(`INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, category, account_id)
    VALUES ('ab', 'm-ab', 'ana', 'dental', 'act_1'), ('aud', 'm-aud', 'ana', 'dental', 'act_1'),
           ('alloc', 'm-alloc', 'ana', 'dental', 'act_1')`);
}
