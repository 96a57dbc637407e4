import type { CellData, ReportScope } from '../../../lib/reports/cell';
import { moneyBars } from '../../../lib/reports/plots';

export function chart({ rows }: CellData, scope: ReportScope) {
  return moneyBars(rows, {
    label: 'campaign_name',
    value: 'margin',
    fill: '#dc2626',
    alt: `Losses of the worst campaigns on ${scope.yesterday}`,
  });
}
