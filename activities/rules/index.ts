import { ApplicationFailure, log } from '@temporalio/activity';
import type { Proposal } from '../../lib/approvals/proposal';
import { proposalSchema } from '../../lib/approvals/proposal';
import type { Config } from '../../lib/config';
import { dateIn, startOfDayIn, yesterdayOf } from '../../lib/dates';
import { toCents } from '../../lib/money';
import { workflowIds } from '../../lib/names';
import { evaluateRules, rulesLookback, type PlannedAction, type RuleHistory } from '../../lib/rules/evaluate';
import type { LiveState } from '../../lib/rules/measure';
import { formatRuleError, idFromFileName } from '../../lib/rules/parse';
import { ruleCampaigns, type RuleRow } from '../../lib/rules/rows';
import type { Condition, Rule } from '../../lib/rules/schema';
import { addDays } from '../../lib/dates';
import { evaluateAt } from '../analytics/evaluate';
import { loadThresholds } from '../analytics/thresholds-file';
import type { Mailer } from '../mail/transport';
import { createMetaGraph, type MetaGraph } from '../meta/graph';
import { sqlFile } from '../sql';
import type { Warehouse } from '../warehouse/warehouse';
import { loadRuleSet } from './files';
import { copyCampaign } from './meta-copy';
import { postWebhook, WebhookError } from './webhook';

export interface RuleDeps {
  config: Config;
  warehouse: Warehouse;
  mailer: Mailer;
  /** The Graph API for `duplicate`; by default from META_ACCESS_TOKEN / META_GRAPH_URL. */
  graph?: () => MetaGraph;
}

/** A reference to one planned action: what the workflow carries instead of rows. */
export interface ActionRef {
  evaluationId: string;
  ruleId: string;
  campaignId: string;
  index: number;
  kind: PlannedAction['kind'];
  unattended: boolean;
}

export interface EvaluationSummary {
  asOf: string;
  rules: number;
  checked: number;
  matched: number;
  fileErrors: number;
  /** Actions to carry out now (status planned); the rest are recorded as they are. */
  pending: ActionRef[];
  recorded: Record<string, number>;
}

export interface ActionOutcome {
  status: 'proposed' | 'unattended' | 'existing' | 'sent' | 'copied' | 'failed';
  workflowId?: string;
  detail: string;
}

/** What the budgetChange proposal needs that the engine's plan leaves out. */
interface StoredPlan {
  action: PlannedAction;
  ruleName: string;
  live: LiveState | null;
}

function hasDecision(c: Condition): boolean {
  if ('all' in c) return c.all.some(hasDecision);
  if ('any' in c) return c.any.some(hasDecision);
  return 'decision' in c;
}

export function createRuleActivities({ config, warehouse, mailer, graph }: RuleDeps) {
  const metaGraph = graph ?? (() => createMetaGraph(config));

  async function history(asOf: string, nowMs: number, evaluationId: string): Promise<RuleHistory> {
    const rows = await warehouse.all<{ what: string; rule_id: string; campaign_id: string | null; at: number | null }>(sqlFile('rules/history'), [asOf, nowMs, evaluationId]);
    const actedToday = new Map<string, Set<string>>();
    const lastActionAt = new Map<string, number>();
    const lastRunAt = new Map<string, number>();
    for (const r of rows) {
      if (r.what === 'acted') actedToday.set(r.rule_id, (actedToday.get(r.rule_id) ?? new Set()).add(r.campaign_id!));
      else if (r.what === 'last_action') lastActionAt.set(`${r.rule_id}/${r.campaign_id}`, r.at!);
      else lastRunAt.set(r.rule_id, r.at!);
    }
    return { actedToday, lastActionAt, lastRunAt };
  }

  async function liveStates(asOf: string): Promise<Map<string, LiveState>> {
    const rows = await warehouse.all<{
      campaign_id: string; account_id: string; meta_campaign_id: string; status: string; daily_budget: string | null; spend_today: string;
      impressions: number; clicks: number; purchases: number; report_date: string; as_of_ms: number;
    }>(sqlFile('rules/live_state'));
    return new Map(
      rows.map((r) => {
        const todayKnown = r.report_date === asOf;
        const elapsed = (r.as_of_ms - startOfDayIn(config.TZ, r.report_date)) / 86_400_000;
        return [
          r.campaign_id,
          {
            accountId: r.account_id,
            metaCampaignId: r.meta_campaign_id,
            status: r.status,
            dailyBudgetCents: r.daily_budget === null ? null : toCents(r.daily_budget),
            spendTodayCents: toCents(r.spend_today),
            impressionsToday: r.impressions,
            clicksToday: r.clicks,
            purchasesToday: r.purchases,
            dayElapsed: todayKnown && elapsed > 0 ? Math.min(1, elapsed) : null,
            todayKnown,
          },
        ];
      }),
    );
  }

  async function storedAction(ref: ActionRef) {
    const row = await warehouse.one<{ as_of: string; owner: string; plan: string; status: string }>(sqlFile('rules/action'), [ref.evaluationId, ref.ruleId, ref.campaignId, ref.index]);
    if (!row) throw ApplicationFailure.nonRetryable(`no recorded action ${ref.ruleId}/${ref.campaignId}/${ref.index} in ${ref.evaluationId}`, 'RuleActionMissing');
    return { ...row, plan: JSON.parse(row.plan) as StoredPlan };
  }

  return {
    /**
     * Evaluates every due rule as of a date and records the execution and each planned action
     * before anything is carried out, so a crash between the two never acts twice unrecorded.
     */
    async evaluateRules(input: { evaluationId: string; nowMs: number; asOf?: string; force?: boolean; ruleId?: string }): Promise<EvaluationSummary> {
      const started = Date.now();
      const asOf = input.asOf ?? dateIn(config.TZ, new Date(input.nowMs));
      const set = loadRuleSet(config.RULES_DIR);
      for (const e of set.errors) log.warn(`rule file error: ${formatRuleError(e)}`);
      const rules: Rule[] = set.rules.map((r) => r.rule).filter((r) => input.ruleId === undefined || r.id === input.ruleId);
      const yesterday = yesterdayOf(asOf);
      const lookback = rulesLookback(rules);
      const [rows, live, past] = await Promise.all([
        warehouse.all<RuleRow>(sqlFile('rules/rows'), [addDays(yesterday, -(lookback - 1)), yesterday]),
        liveStates(asOf),
        history(asOf, input.nowMs, input.evaluationId),
      ]);
      let decisions = new Map<string, string>();
      if (rules.some((r) => hasDecision(r.conditions))) {
        const evaluation = await evaluateAt(warehouse, { asOf, nowMs: input.nowMs, timeZone: config.TZ, thresholds: loadThresholds(config.THRESHOLDS_FILE), anomalyDays: 0 });
        decisions = new Map(evaluation.decisions.map((d) => [d.campaign_id, d.recommendation]));
      }
      const campaigns = ruleCampaigns(rows, yesterday, lookback, decisions as never, live);
      const runs = evaluateRules({
        rules,
        campaigns,
        owners: set.owners,
        history: past,
        nowMs: input.nowMs,
        force: input.force,
        limits: { maxChangePct: config.MAX_CHANGE_PCT, minBudgetCents: Math.round(config.MIN_DAILY_BUDGET_USD * 100), maxBudgetCents: Math.round(config.MAX_DAILY_BUDGET_USD * 100) },
      });
      const byRule = new Map(rules.map((r) => [r.id, r]));
      const liveOf = new Map(campaigns.map((c) => [c.campaign_id, c.live]));
      const actions = runs.flatMap((run) => run.actions);
      const duration = Date.now() - started;
      await warehouse.transaction(async () => {
        for (const run of runs) {
          await warehouse.run(sqlFile('rules/insert_execution'), [input.evaluationId, run.ruleId, asOf, input.nowMs, duration, byRule.get(run.ruleId)!.safety.dry_run, run.checked, run.matched.length, '[]']);
        }
        // A broken file is an execution that failed, visible where its rule's history is read.
        const broken = new Map<string, string[]>();
        for (const e of set.errors) broken.set(idFromFileName(e.file), [...(broken.get(idFromFileName(e.file)) ?? []), formatRuleError(e)]);
        for (const [id, messages] of broken) {
          await warehouse.run(sqlFile('rules/insert_execution'), [input.evaluationId, id, asOf, input.nowMs, duration, false, 0, 0, JSON.stringify(messages)]);
        }
        await warehouse.run(sqlFile('rules/delete_actions'), [input.evaluationId]);
        if (actions.length) {
          const payload = actions.map((a) => ({
            rule_id: a.ruleId,
            campaign_id: a.campaignId,
            action_index: a.index,
            kind: a.kind,
            as_of: asOf,
            planned_ms: input.nowMs,
            status: a.status,
            owner: a.owner,
            unattended: a.unattended,
            detail: a.detail,
            plan: JSON.stringify({ action: a, ruleName: byRule.get(a.ruleId)!.name, live: liveOf.get(a.campaignId) ?? null } satisfies StoredPlan),
            evidence: JSON.stringify(a.evidence),
          }));
          await warehouse.run(sqlFile('rules/insert_actions'), [input.evaluationId, JSON.stringify(payload)]);
        }
      });
      const recorded: Record<string, number> = {};
      for (const a of actions) recorded[a.status] = (recorded[a.status] ?? 0) + 1;
      return {
        asOf,
        rules: runs.length,
        checked: runs.reduce((n, r) => n + r.checked, 0),
        matched: runs.reduce((n, r) => n + r.matched.length, 0),
        fileErrors: set.errors.length,
        pending: actions
          .filter((a) => a.status === 'planned')
          .map((a) => ({ evaluationId: input.evaluationId, ruleId: a.ruleId, campaignId: a.campaignId, index: a.index, kind: a.kind, unattended: a.unattended })),
        recorded,
      };
    },

    /** The budgetChange proposal for a planned Meta change, and its business-key workflow id. */
    async ruleProposal(ref: ActionRef): Promise<{ proposal: Proposal; workflowId: string }> {
      const { as_of, plan } = await storedAction(ref);
      const { action, live } = plan;
      if (!action.change || !live) throw ApplicationFailure.nonRetryable(`${ref.ruleId}/${ref.campaignId}: not a Meta change`, 'RuleActionMissing');
      const proposal = proposalSchema.parse({
        campaignId: action.campaignId,
        campaignName: action.campaignName,
        metaCampaignId: live.metaCampaignId,
        accountId: live.accountId,
        owner: action.owner,
        date: as_of,
        type: 'rule',
        action: action.change,
        reason: `Rule "${plan.ruleName}" (${action.ruleId})${action.detail ? `: ${action.detail}` : ''}`,
        evidence: { rule_id: action.ruleId, ...action.evidence },
      });
      return { proposal, workflowId: workflowIds.budgetChange(action.campaignId, as_of, `rule-${action.ruleId}`) };
    },

    /** notify and duplicate, carried out here; failures are retried by Temporal, then recorded. */
    async runRuleAction(ref: ActionRef & { nowMs: number }): Promise<ActionOutcome> {
      const { as_of, plan } = await storedAction(ref);
      const { action, live } = plan;
      if (action.kind === 'duplicate') {
        if (!live) throw ApplicationFailure.nonRetryable(`${action.campaignId} has no Meta campaign`, 'RuleActionMissing');
        const { copiedCampaignId } = await copyCampaign(metaGraph(), live.metaCampaignId, action.nameSuffix ?? ' - Copy');
        return { status: 'copied', detail: `PAUSED copy ${copiedCampaignId} of ${live.metaCampaignId}` };
      }
      const message = {
        rule_id: action.ruleId,
        rule: plan.ruleName,
        as_of,
        campaign_id: action.campaignId,
        campaign_name: action.campaignName,
        owner: action.owner,
        evidence: action.evidence,
        text: `Rule "${plan.ruleName}" matched ${action.campaignName || action.campaignId} (${action.owner}) as of ${as_of}`,
      };
      const sent: string[] = [];
      if (action.email?.length) {
        const lines = Object.entries(action.evidence).map(([k, v]) => `${k}: ${v ?? 'n/a'}`);
        const result = await mailer.send({ to: action.email, subject: message.text, text: `${message.text}\n\n${lines.join('\n')}\n` });
        if (result.rejected.length) throw new Error(`the mail server refused ${result.rejected.join(', ')}`);
        sent.push(`email to ${action.email.join(', ')}`);
      }
      if (action.webhook) {
        const secret = process.env[action.webhook.secret_env];
        if (!secret) throw ApplicationFailure.nonRetryable(`${action.webhook.secret_env} is not set: the webhook cannot be signed`, 'ConfigError');
        try {
          const { status } = await postWebhook(action.webhook.url, secret, message, ref.nowMs);
          sent.push(`webhook ${action.webhook.url} (${status})`);
        } catch (err) {
          if (err instanceof WebhookError && !err.retryable) throw ApplicationFailure.nonRetryable(err.message, 'WebhookRefused');
          throw err;
        }
      }
      return { status: 'sent', detail: sent.join('; ') };
    },

    async finishRuleAction(input: { ref: ActionRef; outcome: ActionOutcome }): Promise<void> {
      const { ref, outcome } = input;
      await warehouse.run(sqlFile('rules/finish_action'), [ref.evaluationId, ref.ruleId, ref.campaignId, ref.index, outcome.status, outcome.workflowId ?? null, outcome.detail]);
    },

    async finishRuleEvaluation(input: { evaluationId: string }): Promise<void> {
      await warehouse.run(sqlFile('rules/finish_execution'), [input.evaluationId]);
    },
  };
}

export type RuleActivities = ReturnType<typeof createRuleActivities>;
