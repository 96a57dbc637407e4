import { ApplicationFailure, log } from '@temporalio/activity';
import type { Proposal } from '../../lib/approvals/proposal';
import type { Config } from '../../lib/config';
import type { EntityType } from '../../lib/levels';
import { actionKeyOf, type PlannedAction } from '../../lib/rules/evaluate';
import { entityKeyOf, type LiveState } from '../../lib/rules/measure';
import { formatRuleError, idFromFileName } from '../../lib/rules/parse';
import { proposalOf } from '../../lib/rules/proposal';
import { webhookOrigin, webhookPolicy } from '../../lib/rules/webhook-policy';
import type { Mailer } from '../../services/mail/transport';
import { createMetaGraph, type MetaGraph } from '../../services/meta/graph';
import { sqlFile } from '../../services/warehouse/sql';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { copyCampaign } from '../../services/meta/copy';
import { planEvaluation } from '../../services/rules/plan';
import { postWebhook, WebhookError } from '../../services/rules/webhook';

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
  /** The campaign or ad set acted on; absent in refs made before ad sets (then the campaign). */
  entityType?: EntityType;
  entityId?: string;
  index: number;
  kind: PlannedAction['kind'];
  unattended: boolean;
}

/** The row key of a ref: refs recorded before ad sets name only the campaign. */
const entityOf = (ref: ActionRef): [EntityType, string] => [
  ref.entityType ?? 'campaign',
  ref.entityId ?? ref.campaignId,
];

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

export function createRuleActivities({ config, warehouse, mailer, graph }: RuleDeps) {
  const metaGraph = graph ?? (() => createMetaGraph(config));

  async function storedAction(ref: ActionRef) {
    const row = await warehouse.one<{ as_of: string; owner: string; plan: string; status: string }>(
      sqlFile('rules/action'),
      [ref.evaluationId, ref.ruleId, ...entityOf(ref), ref.index],
    );
    if (!row)
      throw ApplicationFailure.nonRetryable(
        `no recorded action ${ref.ruleId}/${entityOf(ref)[1]}/${ref.index} in ${ref.evaluationId}`,
        'RuleActionMissing',
      );
    return { ...row, plan: JSON.parse(row.plan) as StoredPlan };
  }

  return {
    /**
     * Evaluates every due rule as of a date and records the execution and each planned action
     * before anything is carried out, so a crash between the two never acts twice unrecorded.
     */
    async evaluateRules(input: {
      evaluationId: string;
      nowMs: number;
      asOf?: string;
      force?: boolean;
      ruleId?: string;
    }): Promise<EvaluationSummary> {
      const started = Date.now();
      const { asOf, set, rules, runs, campaigns } = await planEvaluation(warehouse, config, input);
      for (const e of set.errors) log.warn(`rule file error: ${formatRuleError(e)}`);
      const byRule = new Map(rules.map((r) => [r.id, r]));
      const liveOf = new Map(campaigns.map((c) => [entityKeyOf(c), c.live]));
      const actions = runs.flatMap((run) => run.actions);
      const duration = Date.now() - started;
      await warehouse.transaction(async () => {
        for (const run of runs) {
          await warehouse.run(sqlFile('rules/insert_execution'), [
            input.evaluationId,
            run.ruleId,
            asOf,
            input.nowMs,
            duration,
            byRule.get(run.ruleId)!.safety.dry_run,
            run.checked,
            run.matched.length,
            '[]',
          ]);
        }
        // A broken file is an execution that failed, visible where its rule's history is read.
        const broken = new Map<string, string[]>();
        for (const e of set.errors)
          broken.set(idFromFileName(e.file), [...(broken.get(idFromFileName(e.file)) ?? []), formatRuleError(e)]);
        for (const [id, messages] of broken) {
          await warehouse.run(sqlFile('rules/insert_execution'), [
            input.evaluationId,
            id,
            asOf,
            input.nowMs,
            duration,
            false,
            0,
            0,
            JSON.stringify(messages),
          ]);
        }
        await warehouse.run(sqlFile('rules/delete_actions'), [input.evaluationId]);
        if (actions.length) {
          const payload = actions.map((a) => ({
            rule_id: a.ruleId,
            campaign_id: a.campaignId,
            entity_type: a.adset ? 'adset' : 'campaign',
            entity_id: a.adset?.id ?? a.campaignId,
            adset_id: a.adset?.id ?? null,
            action_index: a.index,
            kind: a.kind,
            as_of: asOf,
            planned_ms: input.nowMs,
            status: a.status,
            owner: a.owner,
            unattended: a.unattended,
            detail: a.detail,
            plan: JSON.stringify({
              action: a,
              ruleName: byRule.get(a.ruleId)!.name,
              live: liveOf.get(actionKeyOf(a)) ?? null,
            } satisfies StoredPlan),
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
          .map((a) => ({
            evaluationId: input.evaluationId,
            ruleId: a.ruleId,
            campaignId: a.campaignId,
            entityType: a.adset ? ('adset' as const) : ('campaign' as const),
            entityId: a.adset?.id ?? a.campaignId,
            index: a.index,
            kind: a.kind,
            unattended: a.unattended,
          })),
        recorded,
      };
    },

    /** The budgetChange proposal for a planned Meta change, and its business-key workflow id. */
    async ruleProposal(ref: ActionRef): Promise<{ proposal: Proposal; workflowId: string }> {
      const { as_of, plan } = await storedAction(ref);
      const { action, live } = plan;
      if (!action.change || !live)
        throw ApplicationFailure.nonRetryable(
          `${ref.ruleId}/${ref.campaignId}: not a Meta change`,
          'RuleActionMissing',
        );
      return proposalOf(
        {
          rule: { id: action.ruleId, name: plan.ruleName },
          change: action.change,
          campaignId: action.campaignId,
          campaignName: action.campaignName,
          owner: action.owner,
          accountId: live.accountId,
          metaCampaignId: live.metaCampaignId,
          asOf: as_of,
          detail: action.detail,
          evidence: action.evidence,
          ...(live.currency ? { currency: live.currency } : {}),
          ...(action.adset
            ? { adset: { id: action.adset.id, name: action.adset.name, audienceType: action.adset.audienceType } }
            : {}),
        },
        config.MAX_CHANGE_PCT,
      );
    },

    /** notify and duplicate, carried out here; failures are retried by Temporal, then recorded. */
    async runRuleAction(ref: ActionRef & { nowMs: number }): Promise<ActionOutcome> {
      const { as_of, plan } = await storedAction(ref);
      const { action, live } = plan;
      if (action.kind === 'duplicate') {
        if (!live)
          throw ApplicationFailure.nonRetryable(`${action.campaignId} has no Meta campaign`, 'RuleActionMissing');
        const { copiedCampaignId } = await copyCampaign(
          metaGraph(),
          live.metaCampaignId,
          action.nameSuffix ?? ' - Copy',
        );
        return { status: 'copied', detail: `PAUSED copy ${copiedCampaignId} of ${live.metaCampaignId}` };
      }
      const message = {
        rule_id: action.ruleId,
        rule: plan.ruleName,
        as_of,
        campaign_id: action.campaignId,
        campaign_name: action.campaignName,
        ...(action.adset
          ? { adset_id: action.adset.id, adset_name: action.adset.name, audience_type: action.adset.audienceType }
          : {}),
        owner: action.owner,
        evidence: action.evidence,
        text: `Rule "${plan.ruleName}" matched ${action.adset ? `ad set ${action.adset.name || action.adset.id} in ` : ''}${action.campaignName || action.campaignId} (${action.owner}) as of ${as_of}`,
      };
      const sent: string[] = [];
      if (action.email?.length) {
        const lines = Object.entries(action.evidence).map(([k, v]) => `${k}: ${v ?? 'n/a'}`);
        const result = await mailer.send({
          to: action.email,
          subject: message.text,
          text: `${message.text}\n\n${lines.join('\n')}\n`,
        });
        if (result.rejected.length) throw new Error(`the mail server refused ${result.rejected.join(', ')}`);
        sent.push(`email to ${action.email.join(', ')}`);
      }
      if (action.webhook) {
        const secret = process.env[action.webhook.secret_env];
        if (!secret)
          throw ApplicationFailure.nonRetryable(
            `${action.webhook.secret_env} is not set: the webhook cannot be signed`,
            'ConfigError',
          );
        try {
          const { status } = await postWebhook(action.webhook.url, secret, message, ref.nowMs, {
            policy: webhookPolicy(config),
          });
          sent.push(`webhook ${webhookOrigin(action.webhook.url)} (${status})`);
        } catch (err) {
          if (err instanceof WebhookError && !err.retryable)
            throw ApplicationFailure.nonRetryable(err.message, 'WebhookRefused');
          throw err;
        }
      }
      // action.detail: a webhook the planner dropped (not allowed) says so beside what was sent.
      return { status: 'sent', detail: [...sent, action.detail].filter(Boolean).join('; ') };
    },

    async finishRuleAction(input: { ref: ActionRef; outcome: ActionOutcome }): Promise<void> {
      const { ref, outcome } = input;
      await warehouse.run(sqlFile('rules/finish_action'), [
        ref.evaluationId,
        ref.ruleId,
        ...entityOf(ref),
        ref.index,
        outcome.status,
        outcome.workflowId ?? null,
        outcome.detail,
      ]);
    },

    async finishRuleEvaluation(input: { evaluationId: string }): Promise<void> {
      await warehouse.run(sqlFile('rules/finish_execution'), [input.evaluationId]);
    },
  };
}

export type RuleActivities = ReturnType<typeof createRuleActivities>;
