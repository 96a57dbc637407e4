import { z } from 'zod';
import { DEFAULT_CURRENCY, formatMoneyIn } from '../currency';
import { isoDateSchema } from '../dates';
import { audienceTypeSchema } from '../levels';
import { placementSchema } from '../meta/placements';

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
  /** An ad set only: Meta's copy of it, created PAUSED, so it spends nothing until someone resumes it. */
  z.object({ kind: z.literal('duplicate') }),
  /** An ad set only (a placement suggestion): its targeting rewritten without these placements. */
  z.object({ kind: z.literal('exclude_placement'), placements: z.array(placementSchema).min(1).max(20) }),
]);
export type BudgetAction = z.infer<typeof budgetActionSchema>;

/** `manual`, `rule` (a buyer's rule), or the type of the alert it was proposed for (an alert rule's `alert.type`). */
export const changeTypeSchema = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'manual, rule or an alert type');
export type ChangeType = z.infer<typeof changeTypeSchema>;
export { NOT_ALERTS } from './not-alerts';

/** One day of the campaign's numbers, as the warehouse had them when the proposal was made. */
export const proposalDaySchema = z.object({
  date: isoDateSchema,
  spendCents: z.number().int(),
  revenueCents: z.number().int(),
});
export type ProposalDay = z.infer<typeof proposalDaySchema>;

/**
 * The numbers behind a proposal, captured when it was made and carried in the workflow's input,
 * so the approval page needs only Temporal (DESIGN.md) and shows what the proposal was made on,
 * not what a later load restated. Days ending yesterday (the proposal's date - 1), oldest first;
 * a day with no row is absent. Strateg.is money: US dollars (METRICS.md).
 */
export const proposalFiguresSchema = z.object({
  windowDays: z.number().int().positive().max(31),
  days: z.array(proposalDaySchema).max(31),
});
export type ProposalFigures = z.infer<typeof proposalFiguresSchema>;

export const proposalAdsetSchema = z.object({
  id: z.string().regex(/^\d+$/, 'a Meta ad set id (digits)'),
  name: z.string().default(''),
  audienceType: audienceTypeSchema,
});
export type ProposalAdset = z.infer<typeof proposalAdsetSchema>;

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
  /**
   * The Meta ad account's currency, which the budget amounts are in. Optional, like `figures`:
   * proposals recorded before they were carried have neither (their amounts were read as USD).
   */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD')
    .optional(),
  figures: proposalFiguresSchema.optional(),
  /**
   * Set when the budget lives on an ad set of the campaign (METRICS.md "Levels"): the change is
   * made to this ad set, not to the campaign. Absent on every campaign-level proposal, including
   * those recorded before ad sets existed.
   */
  adset: proposalAdsetSchema.optional(),
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
  /**
   * Signal the parent (approvalRequested) once the approvers have their email: the daily pipeline
   * waits for that before mailing the report with the approve links. Absent in runs started
   * before the signal existed, so their replay never reaches it.
   */
  tellParent?: boolean;
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
  /** The run's wait between the write and its outcome check (its settings' OUTCOME_DELAY). */
  outcomeDelayMs?: number;
}

/** What the change is made to: "campaign" or "ad set" (METRICS.md "Levels"). */
export function entityWord(proposal: Pick<Proposal, 'adset'>): 'campaign' | 'ad set' {
  return proposal.adset ? 'ad set' : 'campaign';
}

/**
 * Who the change is for, as the approver reads it: the campaign's name (or id), or for an ad-set
 * proposal "ad set X in campaign Y (retargeting)", so nobody approves a change to the wrong one.
 */
export function subjectOf(proposal: Pick<Proposal, 'adset' | 'campaignName' | 'campaignId'>): string {
  const campaign = proposal.campaignName || proposal.campaignId;
  const { adset } = proposal;
  if (!adset) return campaign;
  return `ad set ${adset.name || adset.id} in campaign ${campaign} (${adset.audienceType})`;
}

/** The change in words, budgets in the ad account's currency ("daily budget ¥20,000 -> ¥30,000"). */
export function describeAction(
  action: BudgetAction,
  entity: 'campaign' | 'ad set' = 'campaign',
  currency: string = DEFAULT_CURRENCY,
): string {
  switch (action.kind) {
    case 'set_daily_budget':
      return `daily budget ${formatMoneyIn(action.fromCents, currency)} -> ${formatMoneyIn(action.toCents, currency)}`;
    case 'pause':
      return `pause the ${entity}`;
    case 'resume':
      return `resume the ${entity}`;
    case 'duplicate':
      return `copy the ${entity}, paused`;
    case 'exclude_placement':
      return `exclude ${placementList(action.placements)} from the ${entity}'s placements`;
  }
}

/** "instagram/story and facebook/right_hand_column", as the breakdown names them. */
export function placementList(placements: ReadonlyArray<{ publisher_platform: string; platform_position: string }>) {
  const names = placements.map((p) => `${p.publisher_platform}/${p.platform_position}`);
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
