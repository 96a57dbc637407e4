import { z } from 'zod';

/**
 * `all` is the word every API and CLI filter uses for "every owner", so no owner may be called
 * that: a buyer token, map entry or data row for owner "all" would read as the whole team.
 */
export const RESERVED_OWNER = 'all';
export const RESERVED_OWNER_MESSAGE = `"${RESERVED_OWNER}" is reserved (it means every owner), so it cannot be an owner's name`;

/** Compared as every layer stores owners: trimmed and lower-cased. */
export function isReservedOwner(name: string): boolean {
  return name.trim().toLowerCase() === RESERVED_OWNER;
}

/** An owner's name as it appears in the data (trimmed, lower-case), never the reserved word. */
export const ownerNameSchema = z
  .string()
  .trim()
  .min(1)
  .toLowerCase()
  .refine((name) => !isReservedOwner(name), RESERVED_OWNER_MESSAGE);
export type OwnerName = z.infer<typeof ownerNameSchema>;

/** A record keyed by owner name (the approvers file, owners.yaml), refusing the reserved one by its key. */
export function ownerKeyedRecord<V extends z.ZodType>(value: V) {
  return z.record(z.string().min(1), value).superRefine((record, ctx) => {
    for (const key of Object.keys(record)) {
      if (isReservedOwner(key)) ctx.addIssue({ code: 'custom', path: [key], message: RESERVED_OWNER_MESSAGE });
    }
  });
}
