import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ActivityFailure, startChild, workflowInfo } from '@temporalio/workflow';
import type { ActionOutcome } from '../activities/rules';
import type { BudgetChangeSettings } from '../lib/approvals/proposal';
import { budgetChange } from './budget-change';
import { proxyOn } from './queues';

export interface RulesEvaluationInput {
  /** Default: today in TZ at the workflow's start. */
  asOf?: string;
  /** Evaluate every enabled rule, due or not (manual runs). */
  force?: boolean;
  /** Only this rule. */
  ruleId?: string;
  settings: BudgetChangeSettings;
}

export interface RulesEvaluationResult {
  asOf: string;
  rules: number;
  checked: number;
  matched: number;
  fileErrors: number;
  recorded: Record<string, number>;
  carriedOut: Partial<Record<ActionOutcome['status'], number>>;
}

const quick = proxyOn('warehouse', {
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    maximumAttempts: 10,
    nonRetryableErrorTypes: ['RuleActionMissing'],
  },
});

// Messages and Meta copies reach outside: a bounded retry, then the failure is recorded (never lost).
// They are built from the evaluation's stored rows, so they run beside the warehouse.
const outside = proxyOn('warehouse', {
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    maximumInterval: '1 minute',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [
      'ConfigError',
      'WebhookRefused',
      'RuleActionMissing',
      'MetaAuthError',
      'MetaPermissionError',
    ],
  },
});

function failureText(err: unknown): string {
  if (err instanceof ActivityFailure) return err.cause?.message ?? err.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * One evaluation of the rules: the activity evaluates and records; this workflow carries out the
 * planned actions. Meta changes become budgetChange children keyed by campaign, date and rule, so
 * a re-run finds the existing proposal instead of making a second one; they outlive this run.
 */
export async function rulesEvaluation(input: RulesEvaluationInput): Promise<RulesEvaluationResult> {
  const { workflowId } = workflowInfo();
  const nowMs = Date.now();
  const summary = await quick.evaluateRules({
    evaluationId: workflowId,
    nowMs,
    asOf: input.asOf,
    force: input.force,
    ruleId: input.ruleId,
  });
  const carriedOut: RulesEvaluationResult['carriedOut'] = {};
  for (const ref of summary.pending) {
    let outcome: ActionOutcome;
    if (ref.kind === 'notify' || ref.kind === 'duplicate') {
      try {
        outcome = await outside.runRuleAction({ ...ref, nowMs });
      } catch (err) {
        outcome = { status: 'failed', detail: failureText(err) };
      }
    } else {
      const { proposal, workflowId: childId } = await quick.ruleProposal(ref);
      const unattended = ref.unattended
        ? { by: `rule ${ref.ruleId} (unattended, allowed by ${proposal.owner}'s owner config)` }
        : undefined;
      try {
        await startChild(budgetChange, {
          workflowId: childId,
          args: [{ proposal, settings: { ...input.settings, unattended } }],
          parentClosePolicy: 'ABANDON',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
        outcome = {
          status: ref.unattended ? 'unattended' : 'proposed',
          workflowId: childId,
          detail: ref.unattended ? 'budgetChange without approval (owner config)' : 'budgetChange awaiting approval',
        };
      } catch (err) {
        outcome =
          err instanceof WorkflowExecutionAlreadyStartedError
            ? { status: 'existing', workflowId: childId, detail: 'already proposed under this business key' }
            : { status: 'failed', workflowId: childId, detail: failureText(err) };
      }
    }
    carriedOut[outcome.status] = (carriedOut[outcome.status] ?? 0) + 1;
    await quick.finishRuleAction({ ref, outcome });
  }
  await quick.finishRuleEvaluation({ evaluationId: workflowId });
  const { pending: _pending, ...counts } = summary;
  return { ...counts, carriedOut };
}
