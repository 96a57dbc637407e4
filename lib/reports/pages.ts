import { z } from 'zod';
import { isoDateSchema } from '../dates';

/**
 * A report page's name: `team`, or `owner-<slug>` for one owner's report. The slug is the owner
 * lower-cased with every run of other characters turned into one hyphen, so a name is always safe
 * as a file name and a URL segment. The web route accepts only names of exactly this shape, which
 * is what keeps a request path from reaching outside REPORTS_DIR.
 */
export function reportPageName(owner: string | null): string {
  if (owner === null) return 'team';
  const slug = owner
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `owner-${slug || 'unnamed'}`;
}

export const reportPageSchema = z
  .string()
  .regex(
    /^(team|owner-[a-z0-9]+(-[a-z0-9]+)*)$/,
    'team or owner-<name> (lower-case letters, digits and single hyphens)',
  );

/** The two path segments of `/reports/<date>/<page>.html`, each checked before anything touches the disk. */
export const reportPageParamsSchema = z.object({ date: isoDateSchema, page: reportPageSchema });
export type ReportPageParams = z.infer<typeof reportPageParamsSchema>;

/** The page's path under the worker's HTTP server, e.g. `/reports/2025-10-13/owner-ben.html`. */
export function reportPagePath({ date, page }: ReportPageParams): string {
  return `/reports/${date}/${page}.html`;
}
