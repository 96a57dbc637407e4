import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { renderReportFiles } from '../../services/reports/engine';
import { Warehouse } from '../../services/warehouse/warehouse';
import type { ReportView } from '../../lib/reports/render';
import { AS_OF } from './harness';

let warehouse: Warehouse;
let team: ReportView;
let ben: ReportView;

const action = (evaluation: string, rule: string, campaign: string, owner: string, status: string, asOf = AS_OF) =>
  warehouse.run(
    `INSERT INTO rule_actions VALUES ($1, $2, $3, 0, 'adjust_budget', $4::DATE, '2025-10-13T14:00:00Z', $5, $6, false, NULL, '', '{}', '{}', 'campaign', $3, NULL)`,
    [evaluation, rule, campaign, asOf, status, owner],
  );
const execution = (evaluation: string, rule: string, errors = '[]', asOf = AS_OF) =>
  warehouse.run(
    `INSERT INTO rule_executions VALUES ($1, $2, $3::DATE, '2025-10-13T14:00:00Z', 12, false, 10, 2, 0, 0, $4::JSON)`,
    [evaluation, rule, asOf, errors],
  );

beforeAll(async () => {
  warehouse = await Warehouse.open(':memory:');
  // raise: two evaluations; A proposed then cooling down, B proposed, C limited (ben), D limited (tj)
  await execution('e1', 'raise');
  await execution('e2', 'raise');
  await action('e1', 'raise', 'A', 'ben', 'proposed');
  await action('e1', 'raise', 'B', 'ben', 'proposed');
  await action('e1', 'raise', 'C', 'ben', 'limited');
  await action('e1', 'raise', 'D', 'tj', 'limited');
  await action('e2', 'raise', 'A', 'ben', 'cooling_down');
  // hook: one message sent for tj; broken: a file error and nothing else
  await execution('e1', 'hook');
  await action('e1', 'hook', 'D', 'tj', 'sent');
  await execution('e1', 'broken', '["rules/broken.yaml:2:5: conditions.op: bad"]');
  // the day before does not count
  await execution('e0', 'old', '[]', '2025-10-12');
  await action('e0', 'old', 'A', 'ben', 'proposed', '2025-10-12');
  const dir = mkdtempSync(join(inject('scratchDir'), 'rules-report-'));
  team = (await renderReportFiles({ warehouse, reportsDir: dir, asOf: AS_OF })).view;
  ben = (await renderReportFiles({ warehouse, reportsDir: dir, asOf: AS_OF, owner: 'ben' })).view;
});
afterAll(() => warehouse?.close());

describe('the report cell of the rules', () => {
  it('per rule on as_of: runs, campaigns, proposed, done unattended, held back, errors; errors first', () => {
    const cell = team.cells.find((c) => c.id.endsWith('rules'))!;
    expect(cell.title).toBe('Automation rules');
    expect(cell.table!.rows).toEqual([
      ['broken', '1', '0', '0', '0', '0', '1'],
      // 2 runs; A, B, C, D; A and B proposed; nothing unattended; C, D limited + A cooling down
      ['raise', '2', '4', '2', '0', '3', '0'],
      ['hook', '1', '1', '0', '1', '0', '0'],
    ]);
    expect(cell.sentence.text).toBe(
      '3 rules ran today: 2 changes proposed for approval, 1 action done unattended, 3 actions held back by limits, cooldowns, conflicts or dry runs. 1 error needs a look (scaleflow rules validate, GET /api/rules/ID/executions).',
    );
  });

  it("an owner's report counts only the actions on their own campaigns", () => {
    const cell = ben.cells.find((c) => c.id.endsWith('rules'))!;
    expect(cell.table!.rows).toEqual([['raise', '2', '3', '2', '0', '2', '0']]);
  });
});
