import { z } from 'zod';
import { isoDateSchema } from '../dates';

/**
 * A proposed change to one campaign on Meta. It carries only what the approver must read and the
 * workflow must act on: ids, amounts in cents, and the numbers behind the proposal.
 */
export const budgetActionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('set_daily_budget'),
    fromCents: z.number().int().nonnegative(),
    toCents: z.number().int().positive(),
  }),
  z.object({ kind: z.literal('pause') }),
  z.object({ kind: z.literal('resume') }),
]);
export type BudgetAction = z.infer<typeof budgetActionSchema>;

export const changeTypeSchema = z.enum(['scale_up', 'cut_loss', 'manual', 'rule']);
export type ChangeType = z.infer<typeof changeTypeSchema>;

export const proposalSchema = z.object({
  campaignId: z.string().min(1),
  campaignName: z.string().default(''),
  metaCampaignId: z.string().min(1),
  accountId: z.string().regex(/^act_\d+$/, 'a Meta ad account id such as act_123'),
  owner: z.string().min(1),
  /** The business date the proposal was made for (as_of). */
  date: isoDateSchema,
  type: changeTypeSchema,
  action: budgetActionSchema,
  reason: z.string().min(1),
  /** The numbers behind the proposal, shown on the approval page (e.g. roas_3d, margin_yesterday). */
  evidence: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).default({}),
});
export type Proposal = z.infer<typeof proposalSchema>;
export type ProposalInput = z.input<typeof proposalSchema>;

/** Durations come in as input so tests can shrink the 24-hour expiry and the 7-day wait. */
export const budgetChangeSettingsSchema = z.object({
  approvalTimeoutMs: z.number().int().positive(),
  outcomeDelayMs: z.number().int().positive(),
  dryRun: z.boolean(),
  /**
   * Set only by the rules evaluator when the campaign owner's config allows this action to run
   * unattended: the approval step is recorded as approved by `by` instead of waiting for a click.
   */
  unattended: z.object({ by: z.string().min(1) }).optional(),
});
export type BudgetChangeSettings = z.infer<typeof budgetChangeSettingsSchema>;

export interface BudgetChangeInput {
  proposal: Proposal;
  settings: BudgetChangeSettings;
}

export const decisionSchema = z.object({
  decision: z.enum(['approve', 'reject']),
  approver: z.string().min(1),
  ip: z.string().default(''),
  userAgent: z.string().default(''),
});
export type DecisionRequest = z.infer<typeof decisionSchema>;

export interface RecordedDecision extends DecisionRequest {
  /** ISO time, from the workflow clock. */
  at: string;
}

export type BudgetChangeState =
  | 'proposed'
  | 'awaiting_approval'
  | 'rejected'
  | 'expired'
  | 'approved'
  | 'refused'
  | 'written'
  | 'unchanged'
  | 'dry_run'
  | 'write_failed'
  | 'outcome_checked'
  /** Cancelled by ops (Web UI or CLI): recorded, and nothing further happens. */
  | 'cancelled';

export interface BudgetChangeStatus {
  state: BudgetChangeState;
  proposal: Proposal;
  approvers: string[];
  expiresAt?: string;
  decision?: RecordedDecision;
  /** Why a change was refused at approval time or failed to write. */
  detail?: string;
}

/** Dollars for people: 123456 -> "$1,234.56". */
export function formatUsd(cents: number): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
}

export function describeAction(action: BudgetAction): string {
  switch (action.kind) {
    case 'set_daily_budget':
      return `daily budget ${formatUsd(action.fromCents)} -> ${formatUsd(action.toCents)}`;
    case 'pause':
      return 'pause the campaign';
    case 'resume':
      return 'resume the campaign';
  }
}
