import { budgetLimitsIn } from '../../lib/approvals/guardrails';
import type { Proposal, ProposalFigures } from '../../lib/approvals/proposal';
import type { Config } from '../../lib/config';
import { resolveThresholds, thresholdsFor, type Alert } from '../../lib/decisions';
import { toCents } from '../../lib/money';
import { alertProposal, type MetaTarget } from '../../lib/rules/proposal';
import { webhookPolicy } from '../../lib/rules/webhook-policy';
import { ApplicationFailure } from '@temporalio/activity';
import { proposalFigures } from '../../services/approvals/figures-query';
import type { CampaignRef, LiveCampaign, LiveRead, MetaCampaigns } from '../../lib/meta/port';
import { thresholdsWithOverrides } from '../../services/decisions/owner-thresholds';
import { loadAlertRules } from '../../services/rules/files';
import { sqlFile } from '../../services/warehouse/sql';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { planSuggestions } from '../../services/decisions/suggestion-plan';
import { sizeRaises } from '../../services/decisions/scale-sizing';
import { loadBreakdownRules } from '../../services/decisions/suggestions';

export interface PipelineDeps {
  config: Config;
  warehouse: Warehouse;
  /** Null when this worker has no Meta access: alerts are then noted as needing a human. */
  meta: MetaCampaigns | null;
}

interface OpenAlertRow {
  entity_type: Alert['entity_type'];
  entity_id: string;
  campaign_id: string;
  adset_id: string | null;
  audience_type: Alert['audience_type'];
  revenue_source: Alert['revenue_source'];
  type: Alert['type'];
  owner: string;
  priority: Alert['priority'];
  current_roas: number | null;
  recommendation: string;
  potential_margin_gain: string | null;
  daily_loss: string | null;
  reason: string;
  campaign_name: string;
  account_id: string | null;
  meta_campaign_id: string | null;
  /** An ad set's state from the last completed sync hour (meta_adset_state); null for a campaign. */
  adset_name: string | null;
  adset_daily_budget: string | null;
  adset_status: string | null;
  adset_currency: string | null;
}

export interface PlannedChange {
  workflowId: string;
  proposal: Proposal;
}

export interface BudgetChangePlan {
  changes: PlannedChange[];
  /** Alerts no change could be proposed for, and why (also noted on the alert for the report). */
  skipped: { campaignId: string; adsetId?: string; type: string; reason: string }[];
}

function toAlert(row: OpenAlertRow): Alert {
  return {
    type: row.type,
    priority: row.priority,
    entity_type: row.entity_type,
    entity_id: row.entity_id,
    campaign_id: row.campaign_id,
    adset_id: row.adset_id,
    audience_type: row.audience_type,
    revenue_source: row.revenue_source,
    owner: row.owner,
    current_roas: row.current_roas,
    recommendation: row.recommendation,
    ...(row.potential_margin_gain === null ? {} : { potential_margin_gain: Number(row.potential_margin_gain) }),
    ...(row.daily_loss === null ? {} : { daily_loss: Number(row.daily_loss) }),
    reason: row.reason,
  };
}

/** Meta ad account ids are `act_<digits>`; maps and exports sometimes drop the prefix. */
function accountRef(id: string): string {
  return id.startsWith('act_') ? id : `act_${id}`;
}

const readKey = (ref: CampaignRef) => `${ref.accountId}/${ref.metaCampaignId}`;

/**
 * An ad set's target, from its state in the last completed sync hour: the budget the sync saw is
 * the one the proposal is sized from (the write reads it again before it changes it).
 */
function adsetTarget(row: OpenAlertRow): MetaTarget | null {
  if (!row.account_id || !row.meta_campaign_id || row.adset_status === null) return null;
  return {
    accountId: accountRef(row.account_id),
    metaCampaignId: row.meta_campaign_id,
    dailyBudgetCents: row.adset_daily_budget === null ? null : toCents(row.adset_daily_budget),
    status: row.adset_status,
    currency: row.adset_currency ?? undefined,
  };
}

/**
 * Each campaign's live state by readKey. A whole batch request Meta refuses for good (an expired
 * token, a missing permission) is every campaign's refusal, as it was each one's when read alone.
 */
async function readLive(meta: MetaCampaigns, refs: CampaignRef[]): Promise<Map<string, LiveRead>> {
  let reads: LiveRead[];
  try {
    reads = await meta.readCampaigns(refs);
  } catch (err) {
    if (!(err instanceof ApplicationFailure && err.nonRetryable)) throw err;
    reads = refs.map((ref) => ({ ref, failure: err }));
  }
  return new Map(reads.map((read) => [readKey(read.ref), read]));
}

/**
 * Turns each actionable alert of the day into a budget-change proposal, sized from Meta's live budget
 * and held to what its entity's own days support; the alerts no change can be proposed for are noted.
 */
export function createBudgetPlanActivities({ config, warehouse, meta }: PipelineDeps) {
  return {
    async planBudgetChanges({ asOf }: { asOf: string }): Promise<BudgetChangePlan> {
      // Suggestions from breakdowns (issue 21) are planned by their own rules; the rest by the alert rules.
      const breakdownRules = loadBreakdownRules(config.RULES_DIR);
      const suggestionTypes = new Set(breakdownRules.map((r) => r.breakdown!.type));
      const rows = (await warehouse.all<OpenAlertRow>(sqlFile('pipeline/open_alerts'), [asOf])).filter(
        (r) => !suggestionTypes.has(r.type),
      );
      const plan: BudgetChangePlan = await planSuggestions(warehouse, breakdownRules, asOf, meta !== null);
      // Each alert is proposed by the rule that raised it, filled with its owner's thresholds.
      const rulesOf = loadAlertRules(config.RULES_DIR);
      const thresholds = resolveThresholds(await thresholdsWithOverrides(warehouse, config.THRESHOLDS_FILE));
      // A campaign's proposal carries the campaign's days; an ad set's, the ad set's own (never its campaign's).
      const campaignRows = rows.filter((r) => r.entity_type === 'campaign');
      const adsetIds = rows.flatMap((r) => (r.entity_type === 'adset' && r.adset_id ? [r.adset_id] : []));
      const figures = meta
        ? await proposalFigures(warehouse, [...new Set(campaignRows.map((r) => r.campaign_id))], asOf)
        : new Map();
      const adsetFigures = meta
        ? await proposalFigures(warehouse, [...new Set(adsetIds)], asOf, 'adset')
        : new Map<string, ProposalFigures>();
      const proposed: PlannedChange[] = [];
      const skip = async (campaignId: string, adsetId: string | null, type: string, reason: string) => {
        plan.skipped.push({ campaignId, ...(adsetId ? { adsetId } : {}), type, reason });
        await warehouse.run(sqlFile('pipeline/note_alert'), [asOf, campaignId, type, reason, adsetId]);
      };
      const refOf = (row: OpenAlertRow) =>
        row.entity_type === 'campaign' && row.meta_campaign_id && row.account_id
          ? { accountId: accountRef(row.account_id), metaCampaignId: row.meta_campaign_id }
          : null;
      // Read Meta live, not the last hourly snapshot: the approver must see today's budget. Every
      // alert's campaign in Graph API batch requests (50 a request), not one request each.
      const reads = meta
        ? await readLive(
            meta,
            campaignRows.map(refOf).filter((ref) => ref !== null),
          )
        : new Map<string, LiveRead>();
      for (const row of rows) {
        const ref = refOf(row);
        const read = ref ? reads.get(readKey(ref)) : undefined;
        let live: LiveCampaign | null = null;
        let refused: string | null = null;
        if (read && 'failure' in read) {
          // A final answer about one campaign (gone, another account's, no permission) leaves that
          // alert to a person; anything retryable fails the step so Temporal tries it again.
          if (!(read.failure instanceof ApplicationFailure && read.failure.nonRetryable)) throw read.failure;
          refused = `Meta refused to show campaign ${ref!.metaCampaignId}: ${read.failure.message}`;
        } else if (read) live = read.live;
        // An ad set's rule is filled with its audience-scaled step, as when its alert was raised.
        const owned = thresholdsFor(thresholds.of(row.owner), row.entity_type === 'adset' ? row.audience_type : null);
        const rule = rulesOf(owned).find((r) => r.alert!.type === row.type);
        const target: MetaTarget | null =
          row.entity_type === 'adset'
            ? adsetTarget(row)
            : ref && live
              ? { ...ref, dailyBudgetCents: live.dailyBudgetCents, status: live.status, currency: live.currency }
              : null;
        // Sized within the account currency's own bounds; a currency with none proposes nothing.
        const sizing = budgetLimitsIn(config, target?.currency);
        const result = !meta
          ? ({
              ok: false,
              reason: 'Meta is not configured in this worker (META_ACCESS_TOKEN): no budget change can be proposed',
            } as const)
          : refused
            ? ({ ok: false, reason: refused } as const)
            : !rule
              ? ({
                  ok: false,
                  reason: `no enabled alert rule in ${config.RULES_DIR} raises ${row.type} any more`,
                } as const)
              : !sizing.ok
                ? ({ ok: false, reason: sizing.reason } as const)
                : alertProposal({
                    rule,
                    alert: toAlert(row),
                    asOf,
                    campaignName: row.campaign_name,
                    target,
                    limits: sizing.limits,
                    webhooks: webhookPolicy(config),
                    figures:
                      row.entity_type === 'campaign'
                        ? figures.get(row.campaign_id)
                        : row.adset_id
                          ? adsetFigures.get(row.adset_id)
                          : undefined,
                    adset:
                      row.entity_type === 'adset' && row.adset_id
                        ? {
                            id: row.adset_id,
                            name: row.adset_name ?? '',
                            audienceType: row.audience_type ?? 'broad',
                          }
                        : undefined,
                  });
        if (result.ok) proposed.push({ workflowId: result.workflowId, proposal: result.proposal });
        else await skip(row.campaign_id, row.adset_id, row.type, result.reason);
      }
      // A raise goes no further than its entity's own days support (the backtest sizes the same way).
      const sized = await sizeRaises(warehouse, asOf, proposed);
      plan.changes.push(...sized.changes);
      for (const { change, reason } of sized.held)
        await skip(change.proposal.campaignId, change.proposal.adset?.id ?? null, change.proposal.type, reason);
      return plan;
    },
  };
}
