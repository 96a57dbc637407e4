import { z } from 'zod';
import { DEFAULT_CURRENCY, formatMoneyIn } from '../currency';
import { ownerKeyedRecord } from '../owner-name';
import { currencyCode } from './currency-limits';
import type { Proposal } from './proposal';

/**
 * Who approves what, from APPROVERS_FILE (JSON). Each owner's changes go to that owner's
 * approvers (else `default`); a budget move larger than the managers' threshold in the ad
 * account's currency (`manager_above`, e.g. {"USD": 1000, "JPY": 150000}; the older
 * `manager_above_usd` is its USD entry) goes to the managers instead, since the team lead wants a
 * say on the big ones. A move in a currency with no threshold goes to the managers too: a yen
 * amount is never compared with a dollar one, and the managers are the safe side.
 */
/** Slack user ids look like U0123ABCD (W for Enterprise Grid); anything else is a typo, not a person. */
const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'a Slack member id such as U0123ABCD');

/**
 * How one approver hears of a proposal: email (the default, so a file without `people` works as
 * before), Slack (a direct message with Approve / Reject buttons) or both. Slack needs the person's
 * member id, which is also how a button click is traced back to them.
 */
const personSchema = z
  .object({
    slack_user_id: slackUserId.optional(),
    channel: z.enum(['email', 'slack', 'both']).default('email'),
  })
  .refine((p) => p.channel === 'email' || p.slack_user_id !== undefined, {
    error: 'channel slack or both needs slack_user_id',
    path: ['slack_user_id'],
  });
export type ApproverPerson = z.infer<typeof personSchema>;

export const approverPolicySchema = z
  .object({
    default: z.array(z.email()).min(1, 'name at least one default approver'),
    owners: ownerKeyedRecord(z.array(z.email()).min(1)).default({}),
    managers: z.array(z.email()).default([]),
    manager_above_usd: z.number().positive().optional(),
    /** Per currency, in its major unit: a daily budget move above it goes to the managers. */
    manager_above: z.record(currencyCode, z.number().positive()).optional(),
    /** Per approver (keyed by their email): their Slack member id and channel of delivery. */
    people: z.record(z.email(), personSchema).default({}),
  })
  .superRefine((policy, ctx) => {
    // Two USD thresholds would leave the reader guessing which one routes.
    if (policy.manager_above_usd !== undefined && policy.manager_above?.USD !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['manager_above', 'USD'],
        message: 'manager_above_usd is already the USD threshold: give one of them',
      });
    if (policy.manager_above !== undefined && policy.managers.length === 0)
      ctx.addIssue({ code: 'custom', path: ['managers'], message: 'manager_above needs at least one manager' });
    // One Slack member must map to one approver, or a click could not say who decided.
    const seen = new Map<string, string>();
    for (const [email, person] of Object.entries(policy.people)) {
      if (!person.slack_user_id) continue;
      const other = seen.get(person.slack_user_id);
      if (other)
        ctx.addIssue({
          code: 'custom',
          path: ['people', email, 'slack_user_id'],
          message: `${person.slack_user_id} is already ${other}'s`,
        });
      seen.set(person.slack_user_id, email);
    }
  });
export type ApproverPolicy = z.infer<typeof approverPolicySchema>;

/** How this approver is asked; someone not under `people` is emailed. */
export function channelOf(policy: ApproverPolicy, approver: string): ApproverPerson {
  return policy.people[approver] ?? { channel: 'email' };
}

/** The approver (email) a Slack member id belongs to, or undefined: the server decides who clicked. */
export function approverOfSlackUser(policy: ApproverPolicy, slackUserId: string): string | undefined {
  return Object.entries(policy.people).find(([, p]) => p.slack_user_id === slackUserId)?.[0];
}

/** The Slack member ids of those approvers who chose Slack (or both): whom a proposal's DM goes to. */
export function slackMembersOf(policy: ApproverPolicy, approvers: string[]): string[] {
  return approvers
    .map((approver) => channelOf(policy, approver))
    .filter((p) => p.channel !== 'email')
    .map((p) => p.slack_user_id!);
}

/** Whether any approver is asked on Slack, so the bot token and signing secret must be set. */
export function usesSlack(policy: ApproverPolicy): boolean {
  return Object.values(policy.people).some((p) => p.channel !== 'email');
}

/** The managers' threshold per currency, the old `manager_above_usd` as its USD entry. */
function managerThresholds(policy: ApproverPolicy): Record<string, number> | undefined {
  if (policy.manager_above === undefined && policy.manager_above_usd === undefined) return undefined;
  return {
    ...(policy.manager_above_usd !== undefined ? { USD: policy.manager_above_usd } : {}),
    ...policy.manager_above,
  };
}

export interface ApproverRoute {
  approvers: string[];
  /** Why the managers decide, when they do. */
  why?: string;
}

/** The people whose click decides this proposal (any one of them decides it) and, when the managers do, why. */
export function routeApprovers(policy: ApproverPolicy, proposal: Proposal): ApproverRoute {
  const { action } = proposal;
  const thresholds = managerThresholds(policy);
  if (action.kind === 'set_daily_budget' && thresholds && policy.managers.length > 0) {
    // A proposal made before currencies were carried was in dollars.
    const currency = proposal.currency ?? DEFAULT_CURRENCY;
    const moveCents = Math.abs(action.toCents - action.fromCents);
    const above = thresholds[currency];
    const money = (cents: number) => formatMoneyIn(cents, currency);
    if (above === undefined)
      return {
        approvers: [...policy.managers],
        why: `APPROVERS_FILE has no manager_above threshold for ${currency}: a ${money(moveCents)} move goes to the managers`,
      };
    if (moveCents > above * 100)
      return {
        approvers: [...policy.managers],
        why: `a ${money(moveCents)} move is over the managers' threshold of ${money(above * 100)}`,
      };
  }
  return { approvers: ownerApprovers(policy, proposal.owner) };
}

/** The approvers of an owner's ordinary changes: theirs, else the default ones. */
export function ownerApprovers(policy: ApproverPolicy, owner: string): string[] {
  return [...(policy.owners[owner.toLowerCase()] ?? policy.default)];
}
