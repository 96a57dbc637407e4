import { z } from 'zod';

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
    /** The buyer's owner name as it appears in the data (lower-case). Required for buyers. */
    owner: z.string().min(1).transform((o) => o.toLowerCase()).optional(),
  })
  .refine((c) => c.role !== 'buyer' || c.owner !== undefined, { message: 'a buyer token names its owner', path: ['owner'] });
export type Claims = z.infer<typeof claimsSchema>;

export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/**
 * The owner a request may see. A buyer asking for `all` (or nothing) gets their own campaigns; a
 * buyer asking for someone else's is refused rather than silently shown their own.
 */
export function ownerScope(claims: Claims, requested: string | undefined): string {
  const wanted = (requested ?? 'all').toLowerCase();
  if (claims.role !== 'buyer') return wanted;
  if (wanted === 'all' || wanted === claims.owner) return claims.owner!;
  throw new ForbiddenError(`a buyer token for "${claims.owner}" cannot read owner "${wanted}"`);
}
