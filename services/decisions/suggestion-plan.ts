import type { Proposal } from '../../lib/approvals/proposal';
import type { EntityType } from '../../lib/levels';
import type { Rule } from '../../lib/rules/schema';
import { suggestionProposal, type StoredSegment } from '../../lib/rules/suggestion-proposal';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';

interface OpenSuggestionRow {
  entity_type: EntityType;
  entity_id: string;
  campaign_id: string;
  type: string;
  owner: string;
  reason: string;
  audience_type: string | null;
  campaign_name: string;
  account_id: string;
  meta_campaign_id: string;
  adset_name: string | null;
  lifetime_budget: boolean | null;
  segments: string;
}

export interface SuggestionPlan {
  changes: { workflowId: string; proposal: Proposal }[];
  skipped: { campaignId: string; adsetId?: string; type: string; reason: string }[];
}

/**
 * The day's open suggestions: those that map to a Meta write become proposals (through approval
 * like any change); the others are noted with why they are shown and not written.
 */
export async function planSuggestions(
  warehouse: Warehouse,
  rules: readonly Rule[],
  asOf: string,
  metaConfigured: boolean,
): Promise<SuggestionPlan> {
  const plan: SuggestionPlan = { changes: [], skipped: [] };
  if (rules.length === 0) return plan;
  const rows = await warehouse.all<OpenSuggestionRow>(sqlFile('suggestions/open'), [
    asOf,
    JSON.stringify(rules.map((r) => r.breakdown!.type)),
  ]);
  for (const row of rows) {
    const spec = rules.find((r) => r.breakdown!.type === row.type)!.breakdown!;
    const result = metaConfigured
      ? suggestionProposal({ ...row, asOf, spec, segments: JSON.parse(row.segments) as StoredSegment[] })
      : ({
          ok: false,
          reason: 'Meta is not configured in this worker (META_ACCESS_TOKEN): nothing can be written',
        } as const);
    if (result.ok) {
      plan.changes.push({ workflowId: result.workflowId, proposal: result.proposal });
      continue;
    }
    plan.skipped.push({
      campaignId: row.campaign_id,
      ...(row.entity_type === 'adset' ? { adsetId: row.entity_id } : {}),
      type: row.type,
      reason: result.reason,
    });
    await warehouse.run(sqlFile('suggestions/note'), [asOf, row.entity_type, row.entity_id, row.type, result.reason]);
  }
  return plan;
}
