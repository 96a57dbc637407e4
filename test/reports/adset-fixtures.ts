import { datesBetween } from '../../lib/dates';
import { Warehouse } from '../../services/warehouse/warehouse';
import { refreshCampaignDays } from '../../services/warehouse/campaign-days';

/**
 * The ad-set report example (expectations in adsets.test.ts), all owner ana, as_of 2025-10-13:
 *
 * A "Dental_FB_Adsets" (Meta m-aset) holds its budgets in three ad sets and launched 10-10.
 * strateg.is sent ad-set rows on 10-10 and 10-11 and only a campaign row on 10-12 (yesterday), so
 * that day is split over the ad sets by Meta's purchase value (revenue_source = allocated):
 *
 *   ad set                   audience     10-10 spend/rev   10-11 spend/rev   10-12 Meta spend/value
 *   801 Broad US             broad         50 / 60           100 / 160         100 / 200
 *   802 Visitors 30d         retargeting   50 / 20           100 /  60         100 /  60
 *   803 Dental interests     interest      50 / 45           100 / 105         100 / 140
 *   campaign row 10-12: spend 300, revenue 330
 *
 * C "Roofing_FB_CBO" (Meta m-cbo) is CBO: its ad sets 701/702 hold no budget. strateg.is sends its
 * ad-set rows (701 40/35, 702 40/25 a day, from 09-30), which must not be listed under it.
 */
export const ADSET_AS_OF = '2025-10-13';
export const ADSET_CAMPAIGN = 'Dental_FB_Adsets';
export const CBO_CAMPAIGN = 'Roofing_FB_CBO';

const fact = (
  date: string,
  campaign: string,
  name: string,
  adset: string,
  adsetName: string | null,
  spend: string,
  revenue: string,
  meta: string,
) =>
  `('${date}', '${campaign}', '${adset}', '${name}', ${adsetName ? `'${adsetName}'` : 'NULL'}, 'ana', 'dental',
    ${spend}, ${revenue}, 'act_1', '${meta}', 'adset-fixture')`;

const snapshot = (
  meta: string,
  adset: string,
  name: string,
  budget: string | null,
  audience: string,
  spend: string,
  value: string,
) =>
  `('2025-10-12 22:00:00+00', 'act_1', '${meta}', '${adset}', '${name}', 'ACTIVE', 'USD', ${budget ?? 'NULL'},
    '${audience}', '2025-10-12', ${spend}, ${value})`;

export async function adsetWarehouse(path: string): Promise<Warehouse> {
  const warehouse = await Warehouse.open(path);
  const a = (date: string, adset: string, name: string, spend: string, revenue: string) =>
    fact(date, 'A', ADSET_CAMPAIGN, adset, name, spend, revenue, 'm-aset');
  const facts = [
    a('2025-10-10', '801', 'Broad US', '50.00', '60.00'),
    a('2025-10-10', '802', 'Visitors 30d', '50.00', '20.00'),
    a('2025-10-10', '803', 'Dental interests', '50.00', '45.00'),
    a('2025-10-11', '801', 'Broad US', '100.00', '160.00'),
    a('2025-10-11', '802', 'Visitors 30d', '100.00', '60.00'),
    a('2025-10-11', '803', 'Dental interests', '100.00', '105.00'),
    fact('2025-10-12', 'A', ADSET_CAMPAIGN, '', null, '300.00', '330.00', 'm-aset'),
  ];
  for (const date of datesBetween('2025-09-30', '2025-10-12')) {
    facts.push(fact(date, 'C', CBO_CAMPAIGN, '701', 'CBO lookalike', '40.00', '35.00', 'm-cbo'));
    facts.push(fact(date, 'C', CBO_CAMPAIGN, '702', 'CBO broad', '40.00', '25.00', 'm-cbo'));
  }
  await warehouse.connection.run(`INSERT INTO campaign_daily_facts
    (date, campaign_id, adset_id, campaign_name, adset_name, owner, category, spend, revenue, account_id,
     meta_campaign_id, batch_id) VALUES ${facts.join(',\n')}`);
  await refreshCampaignDays(warehouse, 'all');
  await warehouse.connection.run(
    `INSERT INTO meta_sync_runs (snapshot_hour, finished_at) VALUES ('2025-10-12 22:00:00+00', '2025-10-12 22:04:00+00')`,
  );
  await warehouse.connection.run(`INSERT INTO meta_adset_snapshots
    (snapshot_hour, account_id, meta_campaign_id, adset_id, name, status, currency, daily_budget, audience_type,
     report_date, spend, purchase_value) VALUES
    ${snapshot('m-aset', '801', 'Broad US', '100.00', 'broad', '100.00', '200.00')},
    ${snapshot('m-aset', '802', 'Visitors 30d', '100.00', 'retargeting', '100.00', '60.00')},
    ${snapshot('m-aset', '803', 'Dental interests', '100.00', 'interest', '100.00', '140.00')},
    ${snapshot('m-cbo', '701', 'CBO lookalike', null, 'lookalike', '40.00', '50.00')},
    ${snapshot('m-cbo', '702', 'CBO broad', null, 'broad', '40.00', '30.00')}`);
  warehouse.touched();
  return warehouse;
}
