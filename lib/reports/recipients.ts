import { z } from 'zod';
import { isReservedOwner, RESERVED_OWNER_MESSAGE } from '../owner-name';

/**
 * Who gets the daily report. Two variables, readable in an .env file:
 *   REPORT_RECIPIENTS=ben=ben@example.com,tj=tj@example.com,ben=ben.lead@example.com
 *     owner=email pairs; an owner may appear several times; owners are lower-cased like the ingest.
 *   REPORT_TEAM_RECIPIENTS=lead@example.com,ops@example.com
 *     who gets the team report.
 */
const email = z.email();

export const ownerRecipientsSchema = z
  .string()
  .default('')
  .transform((text, ctx) => {
    const pairs: { owner: string; to: string }[] = [];
    for (const item of text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const at = item.indexOf('=');
      const owner = item.slice(0, at).trim().toLowerCase();
      const to = item.slice(at + 1).trim();
      if (at < 1 || !owner || !email.safeParse(to).success) {
        ctx.addIssue({
          code: 'custom',
          message: `"${item}" is not owner=email (e.g. ben=ben@example.com,tj=tj@example.com)`,
        });
        return z.NEVER;
      }
      if (isReservedOwner(owner)) {
        ctx.addIssue({ code: 'custom', message: `"${item}": ${RESERVED_OWNER_MESSAGE}` });
        return z.NEVER;
      }
      if (!pairs.some((p) => p.owner === owner && p.to === to)) pairs.push({ owner, to });
    }
    return pairs;
  });

export const teamRecipientsSchema = z
  .string()
  .default('')
  .transform((text, ctx) => {
    const list = [
      ...new Set(
        text
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ];
    const bad = list.find((to) => !email.safeParse(to).success);
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `"${bad}" is not an email address (comma-separated list)` });
      return z.NEVER;
    }
    return list;
  });

/** One report email: an owner's report (their campaigns only) or, without owner, the team's. */
export const reportDeliverySchema = z.object({ owner: z.string().min(1).optional(), to: z.email() });
export type ReportDelivery = z.infer<typeof reportDeliverySchema>;

/** Team recipients first, then owners by name: the order the emails go out in. */
export function planDeliveries(owners: { owner: string; to: string }[], team: string[]): ReportDelivery[] {
  const byOwner = [...owners].sort((a, b) =>
    a.owner === b.owner ? (a.to < b.to ? -1 : 1) : a.owner < b.owner ? -1 : 1,
  );
  return [...team.map((to) => ({ to })), ...byOwner.map(({ owner, to }) => ({ owner, to }))];
}
