import { z } from 'zod';
import { ownerKeyedRecord } from '../owner-name';
import type { Proposal } from './proposal';

/**
 * Who approves what, from APPROVERS_FILE (JSON). Each owner's changes go to that owner's
 * approvers (else `default`); a budget move larger than `manager_above_usd` per day goes to the
 * managers instead, since the team lead wants a say on the big ones.
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
    /** Per approver (keyed by their email): their Slack member id and channel of delivery. */
    people: z.record(z.email(), personSchema).default({}),
  })
  .superRefine((policy, ctx) => {
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

/** Whether any approver is asked on Slack, so the bot token and signing secret must be set. */
export function usesSlack(policy: ApproverPolicy): boolean {
  return Object.values(policy.people).some((p) => p.channel !== 'email');
}

/** The people whose click decides this proposal; any one of them decides it. */
export function approversFor(policy: ApproverPolicy, proposal: Proposal): string[] {
  const { action } = proposal;
  if (action.kind === 'set_daily_budget' && policy.manager_above_usd !== undefined && policy.managers.length > 0) {
    const moveCents = Math.abs(action.toCents - action.fromCents);
    if (moveCents > policy.manager_above_usd * 100) return [...policy.managers];
  }
  return ownerApprovers(policy, proposal.owner);
}

/** The approvers of an owner's ordinary changes: theirs, else the default ones. */
export function ownerApprovers(policy: ApproverPolicy, owner: string): string[] {
  return [...(policy.owners[owner.toLowerCase()] ?? policy.default)];
}
