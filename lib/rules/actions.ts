import type { BudgetAction } from '../approvals/proposal';
import { DEFAULT_CURRENCY, formatMoneyIn } from '../currency';
import type { RuleCampaign } from './measure';
import { unattendedFor, type OwnersConfig } from './owners';
import { actionKind, type Action, type ActionKind, type Rule } from './schema';
import { webhookHostVerdict, type WebhookPolicy } from './webhook-policy';

export interface BudgetLimits {
  /** MAX_CHANGE_PCT: no single change moves a budget by more than this percent. */
  maxChangePct: number;
  minBudgetCents: number;
  maxBudgetCents: number;
}

/**
 * The bounds of a budget in one currency (the ad account's), or why there are none: a budget is
 * sized within its own currency's bounds, never the dollar ones (lib/approvals/guardrails.ts
 * budgetLimitsIn). A plain BudgetLimits holds for every currency (unit tests, the backtest).
 */
export type LimitsIn = (currency: string) => { ok: true; limits: BudgetLimits } | { ok: false; reason: string };

/** What one action of a matched rule would do to one campaign, before limits and conflicts. */
export type ActionPlan =
  | { ok: true; kind: 'budget'; change: BudgetAction; unattended: boolean; note?: string }
  | { ok: true; kind: 'duplicate'; nameSuffix: string }
  | { ok: true; kind: 'notify'; email: string[]; webhook?: { url: string; secret_env: string }; note?: string }
  | { ok: false; reason: string };

/**
 * The new daily budget: by_percent (capped at MAX_CHANGE_PCT, so the guardrail at approval time
 * never refuses what the rule proposed) or `to`, then kept inside the rule's min/max and the
 * global budget bounds. Whole cents, rounded toward the old budget so a bound is never crossed.
 */
export function targetBudget(
  fromCents: number,
  a: Extract<Action, { adjust_budget: unknown }>['adjust_budget'],
  limits: BudgetLimits,
): number {
  let to: number;
  if (a.by_percent !== undefined) {
    const pct = Math.max(-limits.maxChangePct, Math.min(a.by_percent, limits.maxChangePct));
    const raw = (fromCents * (100 + pct)) / 100;
    to = pct > 0 ? Math.floor(raw) : Math.ceil(raw);
  } else {
    to = Math.round(a.to! * 100);
    const step = Math.floor((fromCents * limits.maxChangePct) / 100);
    to = Math.max(fromCents - step, Math.min(to, fromCents + step));
  }
  const low = Math.max(limits.minBudgetCents, a.min === undefined ? 0 : Math.round(a.min * 100));
  const high = Math.min(limits.maxBudgetCents, a.max === undefined ? Infinity : Math.round(a.max * 100));
  return Math.max(low, Math.min(to, high));
}

/**
 * Whether the campaign owner's config lets this change run without a click. Only a rule that asks
 * (require_approval: false) and an owner who allows the action kind, within their bounds, gets it.
 */
function unattendedVerdict(
  rule: Rule,
  kind: ActionKind,
  owner: string,
  owners: OwnersConfig,
  change?: BudgetAction,
  currency: string = DEFAULT_CURRENCY,
): { unattended: boolean; note?: string } {
  if (rule.safety.require_approval) return { unattended: false };
  const allowed = unattendedFor(owners, owner);
  if (!allowed || !allowed.actions.includes(kind)) {
    return { unattended: false, note: `approval required: ${owner}'s owner config does not allow unattended ${kind}` };
  }
  if (change?.kind === 'set_daily_budget') {
    const pct = (Math.abs(change.toCents - change.fromCents) / change.fromCents) * 100;
    if (pct > allowed.max_change_pct + 1e-9) {
      return {
        unattended: false,
        note: `approval required: a ${pct.toFixed(1)}% change is over ${owner}'s unattended limit of ${allowed.max_change_pct}%`,
      };
    }
    // max_budget is in dollars: a budget in another currency is never compared with it, so it waits for a click.
    if (allowed.max_budget !== undefined && currency !== DEFAULT_CURRENCY) {
      return {
        unattended: false,
        note: `approval required: ${owner}'s unattended max_budget is in USD and this budget is in ${currency}`,
      };
    }
    if (allowed.max_budget !== undefined && change.toCents > Math.round(allowed.max_budget * 100)) {
      const money = (cents: number) => formatMoneyIn(cents, currency);
      return {
        unattended: false,
        note: `approval required: ${money(change.toCents)} is over ${owner}'s unattended budget limit of ${money(Math.round(allowed.max_budget * 100))}`,
      };
    }
  }
  return { unattended: true };
}

/**
 * A message to send. A webhook the operator's WEBHOOK_ALLOWED_HOSTS does not allow is dropped here,
 * with the reason in the history, so it is never silently lost; the addresses it resolves to are
 * checked when it is sent.
 */
function planNotify(notify: Extract<Action, { notify: unknown }>['notify'], webhooks: WebhookPolicy): ActionPlan {
  const email = notify.email ?? [];
  if (!notify.webhook) return { ok: true, kind: 'notify', email };
  const verdict = webhookHostVerdict(notify.webhook.url, webhooks);
  if (verdict.ok) return { ok: true, kind: 'notify', email, webhook: notify.webhook };
  if (email.length === 0) return { ok: false, reason: verdict.reason };
  return { ok: true, kind: 'notify', email, note: `webhook not sent: ${verdict.reason}` };
}

export function planAction(
  rule: Rule,
  action: Action,
  c: RuleCampaign,
  owners: OwnersConfig,
  limits: BudgetLimits | LimitsIn,
  webhooks: WebhookPolicy,
): ActionPlan {
  const kind = actionKind(action);
  if ('notify' in action) return planNotify(action.notify, webhooks);
  const live = c.live;
  if (!live)
    return {
      ok: false,
      reason: c.adset
        ? 'no Meta state for this ad set: the hourly sync has not seen it yet'
        : 'no Meta state for this campaign: it is not mapped to a Meta campaign or not synced yet',
    };
  const noun = c.adset ? 'ad set' : 'campaign';
  const currency = live.currency ?? DEFAULT_CURRENCY;
  if ('duplicate' in action) return { ok: true, kind: 'duplicate', nameSuffix: action.duplicate.name_suffix };
  let change: BudgetAction;
  if ('pause' in action) {
    if (live.status !== 'ACTIVE') return { ok: false, reason: `the ${noun} is already ${live.status} on Meta` };
    change = { kind: 'pause' };
  } else if ('resume' in action) {
    if (live.status !== 'PAUSED') return { ok: false, reason: `the ${noun} is ${live.status} on Meta, not PAUSED` };
    change = { kind: 'resume' };
  } else {
    if (live.dailyBudgetCents === null || live.dailyBudgetCents <= 0) {
      return {
        ok: false,
        reason: c.adset
          ? 'the ad set has no daily budget on Meta (a lifetime budget, or its campaign holds the budget): change it there'
          : 'the campaign has no daily budget on Meta (lifetime or ad-set budgets): change it there',
      };
    }
    if (live.status !== 'ACTIVE') return { ok: false, reason: `the ${noun} is ${live.status} on Meta` };
    const sizing = typeof limits === 'function' ? limits(currency) : ({ ok: true, limits } as const);
    if (!sizing.ok) return { ok: false, reason: sizing.reason };
    const amountsIn = action.adjust_budget.currency ?? DEFAULT_CURRENCY;
    const { to, min, max } = action.adjust_budget;
    // A rule's own amounts are in its currency: $800 is never read as ¥800, nor ¥800 as $800.
    if ((to ?? min ?? max) !== undefined && amountsIn !== currency)
      return {
        ok: false,
        reason: `the rule's amounts (to, min, max) are in ${amountsIn} but the ${noun}'s ad account is in ${currency}`,
      };
    const fromCents = live.dailyBudgetCents;
    const toCents = targetBudget(fromCents, action.adjust_budget, sizing.limits);
    // A raise that a bound would turn into a cut (a budget already over the maximum) is no raise.
    const against =
      action.adjust_budget.by_percent !== undefined && action.adjust_budget.by_percent > 0 !== toCents > fromCents;
    if (toCents === fromCents || against)
      return {
        ok: false,
        reason: `the daily budget ${formatMoneyIn(fromCents, currency)} is already at the rule's bound`,
      };
    // METRICS.md "Levels": Meta's learning phase restarts on a budget change, so it is never scaled.
    if (toCents > fromCents && c.adset?.learningStatus === 'LEARNING')
      return { ok: false, reason: "the ad set is in Meta's learning phase: it is never scaled up (reason learning)" };
    change = { kind: 'set_daily_budget', fromCents, toCents };
  }
  return { ok: true, kind: 'budget', change, ...unattendedVerdict(rule, kind, c.owner, owners, change, currency) };
}
