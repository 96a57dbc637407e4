import { z } from 'zod';
import { syncHourSchema } from './hour-schema';

/**
 * A Graph API page on its way from a meta worker to the warehouse: the meta activity writes the
 * page's rows to a file in SPOOL_DIR and returns this reference; the warehouse activity loads the
 * file it names. Rows never travel through workflow history, only these few fields.
 *
 * The file is named by what the page is (sync hour, account, kind, page number), so a retried
 * read overwrites the same file and a retried load reads it again.
 */
export const spoolPageRefSchema = z.object({
  hour: syncHourSchema,
  account: z.string().regex(/^act_\d+$/, 'an ad account id such as act_1001'),
  kind: z.enum(['campaigns', 'insights', 'audiences', 'adsets', 'adset_insights']),
  page: z.number().int().min(0).max(99_999),
});
export type SpoolPageRef = z.infer<typeof spoolPageRefSchema>;

/** What a meta page activity returns: the reference, how many rows it holds and the next cursor. */
export interface SpooledPage {
  ref: SpoolPageRef;
  rows: number;
  after?: string;
}

/** The spool's folder for one sync hour (`2025-10-12T18`): a colon-free name, removed when the hour finishes. */
export function spoolHourDir(hour: string): string {
  return syncHourSchema.parse(hour).slice(0, 13);
}

/** The page's path inside SPOOL_DIR: `<hour>/<account>/<kind>-<page>.json`. */
export function spoolPagePath(ref: SpoolPageRef): string {
  const checked = spoolPageRefSchema.parse(ref);
  return `${spoolHourDir(checked.hour)}/${checked.account}/${checked.kind}-${String(checked.page).padStart(5, '0')}.json`;
}

/** The file's content: the reference again (so a misplaced file is caught) and the rows. */
export const spoolFileSchema = z.object({
  ref: spoolPageRefSchema,
  /** Campaign and ad-set pages: the account currency the budgets are in, and the report day. */
  currency: z.string().optional(),
  reportDate: z.string().optional(),
  rows: z.array(z.record(z.string(), z.unknown())),
});
export type SpoolFile = z.infer<typeof spoolFileSchema>;
