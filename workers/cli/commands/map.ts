import { parseArgs } from 'node:util';
import { listCampaignMap, seedCampaignMap, setCampaignMapping } from '../../../activities/strategis/campaign-map';
import { Warehouse } from '../../../activities/warehouse/warehouse';
import { loadConfigOrExit } from '../../config-env';
import { UsageError } from '../usage';

const USAGE = 'usage: scaleflow map list [--db FILE] | scaleflow map set CAMPAIGN_ID [--meta-campaign-id ID] [--owner NAME] [--category C] [--account-id act_X] [--db FILE]';

/** `scaleflow map list|set`: the strateg.is -> Meta campaign map, with the worker stopped. */
export async function map(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      'meta-campaign-id': { type: 'string' },
      owner: { type: 'string' },
      category: { type: 'string' },
      'account-id': { type: 'string' },
    },
  });
  const [action, campaignId, ...extra] = positionals;
  if (extra.length > 0 || (action === 'list' && campaignId) || (action === 'set' && !campaignId) || !['list', 'set'].includes(action ?? '')) {
    throw new UsageError(USAGE);
  }
  const config = loadConfigOrExit();
  const warehouse = await Warehouse.open(values.db ?? config.SCALEFLOW_DB);
  try {
    await seedCampaignMap(warehouse, config.CAMPAIGN_MAP_FILE);
    if (action === 'list') {
      for (const row of await listCampaignMap(warehouse)) console.log(JSON.stringify(row));
      return;
    }
    const fields = { meta_campaign_id: values['meta-campaign-id'], owner: values.owner, category: values.category, account_id: values['account-id'] };
    if (Object.values(fields).every((v) => v === undefined)) throw new UsageError(`map set needs at least one field to set\n${USAGE}`);
    console.log(JSON.stringify(await setCampaignMapping(warehouse, { campaign_id: campaignId!, ...fields })));
  } finally {
    warehouse.close();
  }
}
