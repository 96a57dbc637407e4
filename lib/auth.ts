import { z } from 'zod';
import { ownerNameSchema, type OwnerName } from './owner-name';

/**
 * Who may see what. Buyers see their own campaigns; managers see every owner; approvers see what
 * managers see and may also decide budget changes.
 */
export const roleSchema = z.enum(['buyer', 'manager', 'approver']);
export type Role = z.infer<typeof roleSchema>;

export const claimsSchema = z
  .object({
    sub: z.string().min(1),
    role: roleSchema,
    /** The buyer's owner name as it appears in the data (lower-case, never "all"). Required for buyers. */
    owner: ownerNameSchema.optional(),
  })
  .refine((c) => c.role !== 'buyer' || c.owner !== undefined, {
    error: 'a buyer token names its owner',
    path: ['owner'],
  });
export type Claims = z.infer<typeof claimsSchema>;

/**
 * What a verified caller may read, decided by the role alone: a buyer one owner (from their token),
 * everyone else the whole team. No request parameter or name can turn the one into the other.
 */
export type Scope = { kind: 'owner'; owner: OwnerName } | { kind: 'all' };

export function scopeOf(claims: Claims): Scope {
  if (claims.role === 'buyer') return { kind: 'owner', owner: ownerNameSchema.parse(claims.owner) };
  return { kind: 'all' };
}

export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/**
 * The owner filter a request runs with (`all` = every owner). Within a one-owner scope, asking for
 * `all` (or nothing) means that owner's campaigns, and asking for someone else's is refused rather
 * than silently answered with their own.
 */
export function ownerFilter(scope: Scope, requested: string | undefined): string {
  const wanted = (requested ?? 'all').trim().toLowerCase();
  if (scope.kind === 'all') return wanted;
  if (wanted === 'all' || wanted === scope.owner) return scope.owner;
  throw new ForbiddenError(`a buyer token for "${scope.owner}" cannot read owner "${wanted}"`);
}

/** Whether a row of this owner is inside the scope. */
export function inScope(scope: Scope, owner: string | null | undefined): boolean {
  return scope.kind === 'all' || (owner ?? '').trim().toLowerCase() === scope.owner;
}
