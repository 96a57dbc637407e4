import { z } from 'zod';
import { ownerKeyedRecord } from '../owner-name';

/**
 * The owners' config (RULES_DIR/owners.yaml): the only place a rule's `require_approval: false`
 * can take effect. Each owner lists the action kinds that may run unattended on their campaigns and
 * the bounds they must stay within; anything outside goes through approval as usual.
 */
export const unattendedSchema = z.strictObject({
  actions: z.array(z.enum(['adjust_budget', 'pause', 'resume', 'duplicate', 'notify'])).min(1),
  /** The largest budget change, in percent of the live daily budget, that may run unattended. */
  max_change_pct: z.number().positive().max(100).default(20),
  /** No unattended change may set a daily budget above this (dollars). */
  max_budget: z.number().positive().optional(),
});
export type Unattended = z.infer<typeof unattendedSchema>;

export const ownersConfigSchema = z.strictObject({
  owners: ownerKeyedRecord(z.strictObject({ unattended: unattendedSchema.optional() })).default({}),
});
export type OwnersConfig = z.infer<typeof ownersConfigSchema>;

export const OWNERS_FILE = 'owners.yaml';

export function unattendedFor(config: OwnersConfig, owner: string): Unattended | undefined {
  const key = owner.trim().toLowerCase();
  for (const [name, entry] of Object.entries(config.owners))
    if (name.trim().toLowerCase() === key) return entry.unattended;
  return undefined;
}
