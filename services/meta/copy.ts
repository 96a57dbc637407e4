import type { MetaGraph } from './graph';

/**
 * Meta's campaign copy endpoint (`POST /{campaign_id}/copies`) through the SDK: the copy is
 * created PAUSED, so it spends nothing until someone resumes it (which goes through approval).
 */
export async function copyCampaign(
  graph: MetaGraph,
  metaCampaignId: string,
  nameSuffix: string,
): Promise<{ copiedCampaignId: string }> {
  const result = await graph.campaign(metaCampaignId).createCopy([], {
    deep_copy: true,
    status_option: 'PAUSED',
    rename_options: JSON.stringify({ rename_strategy: 'DEEP_RENAME', rename_suffix: nameSuffix }),
  });
  const data = result.exportAllData() as { copied_campaign_id?: string };
  if (!data.copied_campaign_id) throw new Error(`Meta's copy of ${metaCampaignId} returned no copied_campaign_id`);
  return { copiedCampaignId: data.copied_campaign_id };
}
