import { join } from 'node:path';
import { reportPageName, type ReportPageParams } from './pages';

/**
 * Where a rendered report lives:
 *   <REPORTS_DIR>/<as_of>/team.html            the page (owner reports: owner-<name>.html)
 *   <REPORTS_DIR>/<as_of>/team/manifest.json   which cells, in order, and their datasets
 *   <REPORTS_DIR>/<as_of>/team/<cell>.arrow    each cell's rows as Arrow IPC
 *   <REPORTS_DIR>/<as_of>/deliveries.jsonl     every send attempt: sent or refused, and why
 */
export function reportPaths(reportsDir: string, asOf: string, owner: string | null) {
  const day = join(reportsDir, asOf);
  const scope = reportPageName(owner);
  return {
    day,
    page: reportPageFile(reportsDir, { date: asOf, page: scope }),
    datasets: join(day, scope),
    manifest: join(day, scope, 'manifest.json'),
    deliveries: join(day, 'deliveries.jsonl'),
  };
}

/** A page's file; the name must have passed reportPageParamsSchema, which admits no `/` or `..`. */
export function reportPageFile(reportsDir: string, { date, page }: ReportPageParams): string {
  return join(reportsDir, date, `${page}.html`);
}
