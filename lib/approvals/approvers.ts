import { z } from 'zod';
import { ownerKeyedRecord } from '../owner-name';
import type { Proposal } from './proposal';

/**
 * Who approves what, from APPROVERS_FILE (JSON). Each owner's changes go to that owner's
 * approvers (else `default`); a budget move larger than `manager_above_usd` per day goes to the
 * managers instead, since the team lead wants a say on the big ones.
 */
export const approverPolicySchema = z.object({
  default: z.array(z.email()).min(1, 'name at least one default approver'),
  owners: ownerKeyedRecord(z.array(z.email()).min(1)).default({}),
  managers: z.array(z.email()).default([]),
  manager_above_usd: z.number().positive().optional(),
});
export type ApproverPolicy = z.infer<typeof approverPolicySchema>;

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
