import type { PlannedChange } from '../../activities/pipeline';
import { budgetLimits } from '../../lib/approvals/guardrails';
import { addDays, yesterdayOf } from '../../lib/dates';
import {
  daysNeeded,
  evaluateRows,
  resolveThresholds,
  type Confidence,
  type DailyRow,
  type Decision,
} from '../../lib/decisions';
import { AUDIENCE_MODIFIER, audienceTypeSchema } from '../../lib/levels';
import { workflowIds } from '../../lib/names';
import { alertProposal } from '../../lib/rules/proposal';
import { webhookPolicy } from '../../lib/rules/webhook-policy';
import { loadAlertRules } from '../rules/files';
import { sqlFile } from '../warehouse/sql';
import { adsetIndex, campaignIndex } from './apply';
import type { DayContext } from './context';

interface AdsetStateRow {
  adset_id: string;
  campaign_id: string | null;
  meta_campaign_id: string;
  name: string;
  status: string;
  learning_status: string | null;
  audience_type: string;
}

type AdsetRow = DailyRow & { parent_campaign_id: string | null; revenue_source: string };

export interface AdsetPlan {
  changes: PlannedChange[];
  /** Scale-ups not proposed: the ad set is in Meta's learning phase (METRICS.md "Levels"). */
  held: { campaignId: string; type: string }[];
  /** The ad sets' decisions, confidence one step lower where the revenue was allocated. */
  decisions: (Decision & { parent_campaign_id: string })[];
}

const LOWER: Record<Confidence, Confidence> = { high: 'medium', medium: 'low', low: 'low' };

/**
 * `--level auto` where the budget lives on ad sets, until the production pipeline decides per ad
 * set: METRICS.md "Levels" over daily_adset_metrics and the synced ad-set state. The same decision
 * engine and alert rules as a campaign (each ad set a series of its own, with its own cooldown from
 * its own changes), each alert's proposal made by the production alertProposal on the ad set's
 * live budget and named `adset`, a raise's step times the audience modifier, and no scale-up for
 * an ad set in its learning phase.
 */
export async function planAdsetChanges(ctx: DayContext): Promise<AdsetPlan> {
  const yesterday = yesterdayOf(ctx.asOf);
  const rulesOf = loadAlertRules(ctx.config.RULES_DIR);
  const lookback = daysNeeded(ctx.thresholds, rulesOf, 0);
  const [rows, launches, states] = await Promise.all([
    ctx.warehouse.all<AdsetRow>(sqlFile('backtest/adset_rows'), [addDays(yesterday, -(lookback - 1)), yesterday]),
    ctx.warehouse.all<{ campaign_id: string; launch_date: string }>(sqlFile('backtest/adset_launch_dates'), [
      yesterday,
    ]),
    ctx.warehouse.all<AdsetStateRow>(sqlFile('backtest/adset_state')),
  ]);
  const stateOf = new Map(states.map((s) => [s.adset_id, s]));
  const changes = ctx.market.specs.flatMap((spec, c) =>
    (spec.adsets ?? []).flatMap((a, j) => {
      const at = ctx.meta.adsetState(c, j).lastChangedAtMs;
      return at === null ? [] : [{ campaign_id: a.adset_id, changed_at: at }];
    }),
  );
  const evaluation = evaluateRows(
    rows,
    changes,
    { as_of: ctx.asOf, now: ctx.nowMs, thresholds: ctx.thresholds, anomaly_days: 0 },
    rulesOf,
    new Map(launches.map((l) => [l.campaign_id, l.launch_date])),
  );
  const allocated = new Set(rows.filter((r) => r.revenue_source === 'allocated').map((r) => String(r.campaign_id)));
  const thresholds = resolveThresholds(ctx.thresholds);
  const limits = budgetLimits(ctx.config);
  const webhooks = webhookPolicy(ctx.config);
  const plan: AdsetPlan = { changes: [], held: [], decisions: [] };
  for (const d of evaluation.decisions) {
    const parent = stateOf.get(d.campaign_id)?.campaign_id;
    if (!parent) continue;
    plan.decisions.push({
      ...d,
      parent_campaign_id: parent,
      confidence: allocated.has(d.campaign_id) ? LOWER[d.confidence] : d.confidence,
    });
  }
  for (const alert of evaluation.alerts) {
    const state = stateOf.get(alert.campaign_id);
    if (!state?.campaign_id || state.status !== 'ACTIVE') continue;
    const i = campaignIndex(ctx, state.campaign_id);
    const spec = ctx.market.specs[i]!;
    const live = ctx.meta.adsetState(i, adsetIndex(ctx, i, state.adset_id));
    if (live.status !== 'ACTIVE' || ctx.meta.state(i).status !== 'ACTIVE') continue;
    const rule = rulesOf(thresholds.of(alert.owner)).find((r) => r.alert!.type === alert.type);
    if (!rule) continue;
    const result = alertProposal({
      rule,
      alert,
      asOf: ctx.asOf,
      campaignName: state.name,
      target: {
        accountId: spec.account_id,
        metaCampaignId: spec.meta_campaign_id,
        dailyBudgetCents: live.dailyBudgetCents,
        status: live.status,
      },
      limits,
      webhooks,
    });
    if (!result.ok) continue;
    const audienceType = audienceTypeSchema.parse(state.audience_type);
    const { action } = result.proposal;
    const raises =
      action.kind === 'resume' || (action.kind === 'set_daily_budget' && action.toCents > action.fromCents);
    if (raises && state.learning_status === 'LEARNING') {
      plan.held.push({ campaignId: spec.campaign_id, type: alert.type });
      continue;
    }
    const modifier = AUDIENCE_MODIFIER[audienceType];
    plan.changes.push({
      workflowId: workflowIds.adsetBudgetChange(state.adset_id, ctx.asOf, alert.type),
      proposal: {
        ...result.proposal,
        campaignId: spec.campaign_id,
        campaignName: spec.campaign_name,
        adset: { id: state.adset_id, name: state.name, audienceType },
        action:
          action.kind === 'set_daily_budget' && raises
            ? { ...action, toCents: action.fromCents + Math.round((action.toCents - action.fromCents) * modifier) }
            : action,
        evidence: { ...result.proposal.evidence, audience_type: audienceType, audience_modifier: modifier },
      },
    });
  }
  return plan;
}
