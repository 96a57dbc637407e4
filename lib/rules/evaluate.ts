import type { BudgetAction } from '../approvals/proposal';
import { planAction, type BudgetLimits, type LimitsIn } from './actions';
import { conditionDays, evaluateCondition, type Evidence } from './conditions';
import { saferFirst } from './conflicts';
import { entityKeyOf, type RuleAdset, type RuleCampaign } from './measure';
import { inScope } from './scope';
import type { OwnersConfig } from './owners';
import { actionKind, type ActionKind, type Rule } from './schema';
import type { WebhookPolicy } from './webhook-policy';

export { inScope };

/** What the history says about earlier evaluations (execution tables), as of this evaluation. */
export interface RuleHistory {
  /** Entities (lib/rules/measure.ts entityKeyOf) each rule has already acted on today (as_of), by rule id. */
  actedToday: ReadonlyMap<string, ReadonlySet<string>>;
  /** Last action instant (epoch ms) by `${ruleId}/${entityKey}`. */
  lastActionAt: ReadonlyMap<string, number>;
  /** Last evaluation instant by rule id, for check_every. */
  lastRunAt: ReadonlyMap<string, number>;
}

export const EMPTY_HISTORY: RuleHistory = { actedToday: new Map(), lastActionAt: new Map(), lastRunAt: new Map() };

export type ActionStatus =
  /** Will be carried out: a budgetChange proposal (or an unattended one), a copy, a message. */
  | 'planned'
  /** dry_run: recorded only. */
  | 'dry_run'
  /** Over the rule's max_actions_per_day. */
  | 'limited'
  /** Inside the rule's cooldown for this campaign (or ad set). */
  | 'cooling_down'
  /** Another rule's safer change on the same campaign won. */
  | 'overruled'
  /** Nothing sensible to do (not on Meta, already paused, already at the bound). */
  | 'skipped';

export interface PlannedAction {
  ruleId: string;
  campaignId: string;
  campaignName: string;
  owner: string;
  /** Set when the action is on an ad set of the campaign (a level adset rule). */
  adset?: RuleAdset;
  /** Position of the action in the rule's list. */
  index: number;
  kind: ActionKind;
  status: ActionStatus;
  /** A Meta change for budgetChange (set_daily_budget, pause, resume). */
  change?: BudgetAction;
  unattended: boolean;
  nameSuffix?: string;
  email?: string[];
  webhook?: { url: string; secret_env: string };
  detail: string;
  evidence: Evidence;
}

export interface RuleRun {
  ruleId: string;
  /** Campaigns (ad sets, at level adset) in the rule's scope. */
  checked: number;
  /** Those whose conditions held, by entity key (the campaign_id, or `adset-<id>`). */
  matched: string[];
  actions: PlannedAction[];
}

export interface EvaluateRulesInput {
  rules: readonly Rule[];
  campaigns: readonly RuleCampaign[];
  /** Each ad set (RuleCampaign with `adset`), for level adset rules. */
  adsets?: readonly RuleCampaign[];
  owners: OwnersConfig;
  history: RuleHistory;
  /** The budget bounds, or (the evaluation) those of each campaign's account currency. */
  limits: BudgetLimits | LimitsIn;
  /** Where webhooks may go (WEBHOOK_ALLOWED_HOSTS); a webhook elsewhere is skipped with the reason. */
  webhooks: WebhookPolicy;
  /** The evaluation instant (workflow clock): check_every and cooldowns are measured from it. */
  nowMs: number;
  /** Evaluate every enabled rule now, whatever check_every says (`scaleflow rules test`, a manual run). */
  force?: boolean;
}

export function isDue(rule: Rule, history: RuleHistory, nowMs: number): boolean {
  const last = history.lastRunAt.get(rule.id);
  return last === undefined || nowMs - last >= rule.check_every;
}

const byKey = (a: RuleCampaign, b: RuleCampaign) => {
  const [x, y] = [entityKeyOf(a), entityKeyOf(b)];
  return x < y ? -1 : x > y ? 1 : 0;
};

/** The key an action's history, conflicts and limits go by. */
export const actionKeyOf = (a: Pick<PlannedAction, 'campaignId' | 'adset'>): string =>
  entityKeyOf({ campaign_id: a.campaignId, adset: a.adset });

/**
 * One evaluation of every due, enabled rule over the campaigns: conditions, then per matched
 * campaign each action's plan, the rule's cooldown, conflicts between rules, the daily limit and
 * dry_run, in that order. Pure: the same inputs give the same plan.
 */
export function evaluateRules(input: EvaluateRulesInput): RuleRun[] {
  const rules = [...input.rules]
    .filter((r) => r.enabled && (input.force || isDue(r, input.history, input.nowMs)))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const campaigns = [...input.campaigns].sort(byKey);
  const adsets = [...(input.adsets ?? [])].sort(byKey);
  const runs: RuleRun[] = [];
  for (const rule of rules) {
    const run: RuleRun = { ruleId: rule.id, checked: 0, matched: [], actions: [] };
    for (const c of rule.level === 'adset' ? adsets : campaigns) {
      if (!inScope(rule, c)) continue;
      run.checked++;
      const evidence: Evidence = {};
      if (!evaluateCondition(rule.conditions, c, evidence)) continue;
      const key = entityKeyOf(c);
      run.matched.push(key);
      const last = input.history.lastActionAt.get(`${rule.id}/${key}`);
      const cooling = last !== undefined && input.nowMs - last < rule.safety.cooldown;
      rule.actions.forEach((action, index) => {
        const base = {
          ruleId: rule.id,
          campaignId: c.campaign_id,
          campaignName: c.campaign_name,
          owner: c.owner,
          ...(c.adset ? { adset: c.adset } : {}),
          index,
          kind: actionKind(action),
          unattended: false,
          evidence,
        };
        if (cooling) {
          const until = new Date(last! + rule.safety.cooldown).toISOString();
          run.actions.push({
            ...base,
            status: 'cooling_down',
            detail: `acted on this ${c.adset ? 'ad set' : 'campaign'} at ${new Date(last!).toISOString()}; cooldown until ${until}`,
          });
          return;
        }
        const plan = planAction(rule, action, c, input.owners, input.limits, input.webhooks);
        if (!plan.ok) {
          run.actions.push({ ...base, status: 'skipped', detail: plan.reason });
        } else if (plan.kind === 'budget') {
          run.actions.push({
            ...base,
            status: 'planned',
            change: plan.change,
            unattended: plan.unattended,
            detail: plan.note ?? '',
          });
        } else if (plan.kind === 'duplicate') {
          run.actions.push({ ...base, status: 'planned', nameSuffix: plan.nameSuffix, detail: '' });
        } else {
          run.actions.push({
            ...base,
            status: 'planned',
            email: plan.email,
            webhook: plan.webhook,
            detail: plan.note ?? '',
          });
        }
      });
    }
    runs.push(run);
  }
  resolveConflicts(runs);
  for (const run of runs)
    applyLimits(
      rules.find((r) => r.id === run.ruleId)!,
      run,
      input.history,
    );
  return runs;
}

/** Meta changes from different rules on one campaign (or ad set): the safer wins, the others are overruled. */
function resolveConflicts(runs: RuleRun[]): void {
  const byCampaign = new Map<string, PlannedAction[]>();
  for (const run of runs) {
    for (const a of run.actions) {
      if (a.status !== 'planned' || !a.change) continue;
      const list = byCampaign.get(actionKeyOf(a)) ?? [];
      list.push(a);
      byCampaign.set(actionKeyOf(a), list);
    }
  }
  for (const candidates of byCampaign.values()) {
    if (candidates.length < 2) continue;
    const ordered = [...candidates].sort((a, b) =>
      saferFirst({ ruleId: a.ruleId, change: a.change! }, { ruleId: b.ruleId, change: b.change! }),
    );
    const winner = ordered[0]!;
    const losers = ordered.slice(1);
    winner.detail = joinDetail(
      winner.detail,
      `conflict: safer than ${losers.map((l) => `${l.ruleId}'s ${l.change!.kind}`).join(', ')}`,
    );
    for (const loser of losers) {
      loser.status = 'overruled';
      loser.detail = joinDetail(
        loser.detail,
        `conflict: ${winner.ruleId}'s ${winner.change!.kind} on the same ${winner.adset ? 'ad set' : 'campaign'} is safer and wins`,
      );
    }
  }
}

/** max_actions_per_day counts campaigns acted on per as_of day; then dry_run turns plans into records. */
function applyLimits(rule: Rule, run: RuleRun, history: RuleHistory): void {
  const acted = new Set(history.actedToday.get(rule.id) ?? []);
  for (const a of run.actions) {
    if (a.status !== 'planned') continue;
    if (!acted.has(actionKeyOf(a)) && acted.size >= rule.safety.max_actions_per_day) {
      a.status = 'limited';
      a.detail = joinDetail(a.detail, `max_actions_per_day ${rule.safety.max_actions_per_day} reached`);
      continue;
    }
    acted.add(actionKeyOf(a));
    if (rule.safety.dry_run) {
      a.status = 'dry_run';
      a.detail = joinDetail(a.detail, 'dry run: recorded, nothing proposed, written or sent');
    }
  }
}

function joinDetail(a: string, b: string): string {
  return a ? `${a}; ${b}` : b;
}

/** Days ending yesterday the rules read (at least the decision engine's 7). */
export function rulesLookback(rules: readonly Rule[]): number {
  return Math.max(7, ...rules.map((r) => conditionDays(r.conditions)));
}
