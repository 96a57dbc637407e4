import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { renderReportFiles } from '../../services/reports/engine';
import { AS_OF, handWarehouse } from './fixtures';

describe('the outcomes cell shows right_vs_control beside was_right', () => {
  it('over the checks that had a control, and says n/a when none had one', async () => {
    const warehouse = await handWarehouse();
    const reportsDir = mkdtempSync(join(inject('scratchDir'), 'reports-vs-control-'));
    try {
      const outcomes = async () =>
        (await renderReportFiles({ warehouse, reportsDir, asOf: AS_OF })).view.byName.outcomes!;
      expect((await outcomes()).sentence.text).toContain(
        'Against matched unchanged campaigns (right_vs_control): n/a, no check had a control.',
      );
      // Completed by yesterday: W1 (10-01), W2 (09-20), W3 (10-03). W1 right against 2 controls, W3 wrong
      // against 1, W2 had none: 1 of 2 = 50.0%; W4 (not finished) is not counted even with a verdict.
      await warehouse.run(
        `UPDATE outcome_checks SET control_count = 2, did_margin_per_day = 3.50, right_vs_control = true WHERE workflow_id = 'W1'`,
      );
      await warehouse.run(
        `UPDATE outcome_checks SET control_count = 1, did_margin_per_day = -1.00, right_vs_control = false WHERE workflow_id = 'W3'`,
      );
      await warehouse.run(`UPDATE outcome_checks SET control_count = 0 WHERE workflow_id = 'W2'`);
      await warehouse.run(
        `UPDATE outcome_checks SET control_count = 1, did_margin_per_day = 5, right_vs_control = true WHERE workflow_id = 'W4'`,
      );
      const cell = await outcomes();
      expect(cell.sentence.text).toContain(
        'Against matched unchanged campaigns (right_vs_control): 50.0% (1 of 2 checks that had a control; the others had none).',
      );
      expect(
        cell.rows.map((r) => [r.rule, r.checked_vs_control, r.right_vs_control, r.accuracy_vs_control_pct]),
      ).toEqual([
        ['all', 2, 1, 50],
        ['cut_loss', 1, 0, 0],
        ['scale_up', 1, 1, 100],
      ]);
    } finally {
      warehouse.close();
    }
  });
});
