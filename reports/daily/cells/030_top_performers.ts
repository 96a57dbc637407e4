import type { CellData, ReportScope } from '../../../lib/reports/cell';
import { moneyBars } from '../../../lib/reports/plots';

export function chart({ rows }: CellData, scope: ReportScope) {
  return moneyBars(rows, {
    label: 'campaign_name',
    value: 'margin',
    fill: '#16a34a',
    alt: `Margin of the top campaigns on ${scope.yesterday}`,
  });
}
