import { join } from 'node:path';

/**
 * Where a rendered report lives:
 *   <REPORTS_DIR>/<as_of>/team.html            the page (owner reports: owner-<name>.html)
 *   <REPORTS_DIR>/<as_of>/team/manifest.json   which cells, in order, and their datasets
 *   <REPORTS_DIR>/<as_of>/team/<cell>.arrow    each cell's rows as Arrow IPC
 *   <REPORTS_DIR>/<as_of>/deliveries.jsonl     every send attempt: sent or refused, and why
 */
export function scopeName(owner: string | null): string {
  if (owner === null) return 'team';
  const slug = owner.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `owner-${slug || 'unnamed'}`;
}

export function reportPaths(reportsDir: string, asOf: string, owner: string | null) {
  const day = join(reportsDir, asOf);
  const scope = scopeName(owner);
  return { day, page: join(day, `${scope}.html`), datasets: join(day, scope), manifest: join(day, scope, 'manifest.json'), deliveries: join(day, 'deliveries.jsonl') };
}
