import type { CellData } from '../../../lib/reports/cell';

export function facts({ rows }: CellData) {
  return { campaigns: new Set(rows.filter((r) => r.campaign_id !== null).map((r) => r.campaign_id)).size };
}
