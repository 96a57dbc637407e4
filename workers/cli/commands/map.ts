import { listCampaignMap, seedCampaignMap, setCampaignMapping } from '../../../services/strategis/campaign-map';
import { Warehouse } from '../../../services/warehouse/warehouse';
import { ownerNameSchema } from '../../../lib/owner-name';
import { loadConfigOrExit } from '../../config-env';
import { dbOption, defineCommand, parseCommandArgs } from '../args';
import { UsageError } from '../usage';

export const mapSpec = defineCommand({
  name: 'map',
  args: 'list | set CAMPAIGN_ID',
  options: {
    'meta-campaign-id': { type: 'string', value: 'ID', help: 'set: the Meta campaign id' },
    owner: { type: 'string', value: 'NAME', help: 'set: the owner ("all" is reserved)' },
    category: { type: 'string', value: 'C', help: 'set: the category' },
    'account-id': { type: 'string', value: 'act_X', help: 'set: the Meta ad account' },
    db: dbOption,
  },
  about: `The strateg.is -> Meta campaign map (campaign_map), seeded from CAMPAIGN_MAP_FILE, with the worker
stopped: list prints one JSON line a campaign; set changes the fields given for one campaign.`,
});
export async function map(args: string[]): Promise<void> {
  const { positionals, values } = parseCommandArgs(mapSpec, args);
  const [action, campaignId, ...extra] = positionals;
  if (action !== 'list' && action !== 'set')
    throw new UsageError(`map: list or set, not ${action === undefined ? 'nothing' : `"${action}"`}`);
  if (action === 'set' && !campaignId) throw new UsageError('map set needs the strateg.is CAMPAIGN_ID');
  const stray = action === 'list' ? campaignId : extra[0];
  if (stray !== undefined) throw new UsageError(`unexpected argument "${stray}"`);
  const fields = {
    meta_campaign_id: values['meta-campaign-id'],
    owner: values.owner,
    category: values.category,
    account_id: values['account-id'],
  };
  if (action === 'list' && Object.values(fields).some((v) => v !== undefined))
    throw new UsageError('map list takes no field to set (only --db)');
  if (action === 'set' && Object.values(fields).every((v) => v === undefined))
    throw new UsageError('map set needs at least one field to set');
  if (values.owner !== undefined) {
    const owner = ownerNameSchema.safeParse(values.owner);
    if (!owner.success) throw new UsageError(`--owner: ${owner.error.issues[0]!.message}`);
  }
  const config = loadConfigOrExit();
  const warehouse = await Warehouse.open(values.db ?? config.SCALEFLOW_DB);
  try {
    await seedCampaignMap(warehouse, config.CAMPAIGN_MAP_FILE);
    if (action === 'list') {
      for (const row of await listCampaignMap(warehouse)) console.log(JSON.stringify(row));
      return;
    }
    console.log(JSON.stringify(await setCampaignMapping(warehouse, { campaign_id: campaignId!, ...fields })));
  } finally {
    warehouse.close();
  }
}
