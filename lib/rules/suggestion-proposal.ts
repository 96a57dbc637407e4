import { proposalSchema, type Proposal } from '../approvals/proposal';
import type { IsoDate } from '../dates';
import { audienceTypeSchema, type EntityType } from '../levels';
import { placementOf } from '../meta/placements';
import { workflowIds } from '../names';
import type { BreakdownSpec } from './breakdown-schema';

/** One named segment of a stored suggestion (suggestion_segments). */
export interface StoredSegment {
  segment: string;
  window_days: number;
  spend: string;
  purchase_value: string;
  roas: number | null;
  entity_roas: number | null;
  days_lost: number;
}

/** An open suggestion alert with its segments and what Meta's ad set looks like (meta_adset_state). */
export interface OpenSuggestion {
  asOf: IsoDate;
  spec: BreakdownSpec;
  entity_type: EntityType;
  entity_id: string;
  campaign_id: string;
  campaign_name: string;
  owner: string;
  reason: string;
  audience_type: string | null;
  account_id: string;
  meta_campaign_id: string;
  adset_name: string | null;
  /** Null when the ad set was never synced. */
  lifetime_budget: boolean | null;
  segments: StoredSegment[];
}

export type SuggestionProposal = { ok: true; proposal: Proposal; workflowId: string } | { ok: false; reason: string };

/** "Shown, not written": why, in the words the report and the page use. */
export function notWritten(s: Pick<OpenSuggestion, 'spec' | 'entity_type' | 'lifetime_budget'>): string | null {
  switch (s.spec.write) {
    case 'none':
      return 'advice only: shown, not written';
    case 'ad_schedule':
      return s.lifetime_budget
        ? 'shown, not written: scaleflow does not write ad schedules yet (Meta takes one on lifetime-budget ad sets)'
        : 'shown, not written: Meta takes an ad schedule only on a lifetime-budget ad set, and this one has a daily budget';
    case 'exclude_placement':
      return s.entity_type === 'adset'
        ? null
        : "shown, not written: placements are an ad set's targeting and this campaign holds the budget (CBO): exclude them on its ad sets";
  }
}

/**
 * The approval for a suggestion that maps to a Meta write: excluding the named placements from
 * the ad set's targeting. Keyed like any ad-set change of the day and type, so a re-run of the
 * pipeline finds the one already started.
 */
export function suggestionProposal(s: OpenSuggestion): SuggestionProposal {
  const refused = notWritten(s);
  if (refused) return { ok: false, reason: refused };
  const placements = s.segments.map((g) => placementOf(g.segment)).filter((p) => p !== null);
  if (placements.length === 0) return { ok: false, reason: 'no placement Meta can exclude is named' };
  const evidence: Proposal['evidence'] = {};
  for (const g of s.segments) {
    evidence[`${g.segment} spend_${g.window_days}d`] = g.spend;
    evidence[`${g.segment} purchase_value_${g.window_days}d`] = g.purchase_value;
    evidence[`${g.segment} roas_${g.window_days}d`] = g.roas;
  }
  const first = s.segments[0];
  if (first) evidence[`entity_roas_${first.window_days}d`] = first.entity_roas;
  const audience = audienceTypeSchema.safeParse(s.audience_type);
  const proposal = proposalSchema.parse({
    campaignId: s.campaign_id,
    campaignName: s.campaign_name,
    metaCampaignId: s.meta_campaign_id,
    accountId: s.account_id.startsWith('act_') ? s.account_id : `act_${s.account_id}`,
    owner: s.owner,
    date: s.asOf,
    type: s.spec.type,
    action: { kind: 'exclude_placement', placements },
    reason: s.reason,
    evidence,
    adset: { id: s.entity_id, name: s.adset_name ?? '', audienceType: audience.success ? audience.data : 'broad' },
  });
  return { ok: true, proposal, workflowId: workflowIds.adsetBudgetChange(s.entity_id, s.asOf, s.spec.type) };
}
