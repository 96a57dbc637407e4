import { existsSync } from 'node:fs';
import { ConfigError } from '../../lib/config';
import { isReservedOwner, RESERVED_OWNER, RESERVED_OWNER_MESSAGE } from '../../lib/owner-name';
import type { Warehouse } from '../warehouse/warehouse';

export interface CampaignMapping {
  campaign_id: string;
  meta_campaign_id?: string | null;
  owner?: string | null;
  category?: string | null;
  account_id?: string | null;
}

/**
 * Adds the map file's campaigns that the table does not know yet; edits made with
 * `scaleflow map set` win over the file.
 */
export async function seedCampaignMap(warehouse: Warehouse, file: string): Promise<void> {
  if (!existsSync(file)) return;
  const reserved = await warehouse.one<{ campaign_id: string }>(
    `SELECT trim(campaign_id) AS campaign_id FROM read_csv($file, header = true, all_varchar = true, union_by_name = true)
     WHERE lower(trim(owner)) = $reserved LIMIT 1`,
    { file, reserved: RESERVED_OWNER },
  );
  if (reserved)
    throw new ConfigError([
      `CAMPAIGN_MAP_FILE=${JSON.stringify(file)}: campaign ${reserved.campaign_id}: owner ${RESERVED_OWNER_MESSAGE}`,
    ]);
  await warehouse.run(
    `INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, category, account_id)
     SELECT trim(campaign_id), nullif(trim(meta_campaign_id), ''), lower(nullif(trim(owner), '')),
            nullif(trim(category), ''), nullif(trim(account_id), '')
     FROM read_csv($file, header = true, all_varchar = true, union_by_name = true)
     WHERE nullif(trim(campaign_id), '') IS NOT NULL
     ON CONFLICT (campaign_id) DO NOTHING`,
    { file },
  );
}

/** Sets the given fields of one campaign's mapping (others stay as they are). */
export async function setCampaignMapping(warehouse: Warehouse, m: CampaignMapping): Promise<CampaignMapping> {
  if (m.owner != null && isReservedOwner(m.owner))
    throw new Error(`campaign ${m.campaign_id}: owner ${RESERVED_OWNER_MESSAGE}`);
  await warehouse.run(
    `INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, category, account_id) VALUES ($id, $meta, lower($owner), $category, $account)
     ON CONFLICT (campaign_id) DO UPDATE SET
       meta_campaign_id = coalesce($meta, campaign_map.meta_campaign_id),
       owner = coalesce(lower($owner), campaign_map.owner),
       category = coalesce($category, campaign_map.category),
       account_id = coalesce($account, campaign_map.account_id),
       updated_at = now()`,
    {
      id: m.campaign_id,
      meta: m.meta_campaign_id ?? null,
      owner: m.owner ?? null,
      category: m.category ?? null,
      account: m.account_id ?? null,
    },
  );
  return (await listCampaignMap(warehouse)).find((r) => r.campaign_id === m.campaign_id)!;
}

export function listCampaignMap(warehouse: Warehouse): Promise<CampaignMapping[]> {
  return warehouse.all<CampaignMapping>(
    'SELECT campaign_id, meta_campaign_id, owner, category, account_id FROM campaign_map ORDER BY campaign_id',
  );
}
