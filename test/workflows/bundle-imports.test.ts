import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { dailyPipelineInputProblem } from '../../lib/strategis/pipeline';
import { summaryLine } from '../../lib/strategis/summary-line';

/** The modules a webpack bundle holds: each starts with a `/***\/ "<path>"` line. */
function bundledModules(code: string): string[] {
  return [...code.matchAll(/^\/\*\*\*\/ "([^"]+)"$/gm)].map((m) => m[1]!);
}

describe('the workflow bundle', () => {
  // The SDK's reusable V8 context shares only the modules its entry loads; the workflow code's own
  // imports are evaluated again for every workflow it runs (544 budgetChange children a day at
  // 2,000 campaigns). zod builds its schemas at import, which was most of each child's CPU.
  it('holds no zod module, so no workflow builds schemas when it starts', () => {
    const modules = bundledModules(readFileSync(inject('workflowBundlePath'), 'utf8'));
    expect(modules.some((m) => m.includes('workflows/budget-change.ts'))).toBe(true);
    expect(modules.filter((m) => /node_modules\/zod\//.test(m))).toEqual([]);
  });
});

describe("dailyPipeline's input check, without zod", () => {
  it('names the field that is wrong', () => {
    expect(dailyPipelineInputProblem({})).toBeUndefined();
    expect(dailyPipelineInputProblem({ date: '2026-02-28', timeZone: 'America/New_York', backfill: true })).toBe(
      undefined,
    );
    // 2026 is not a leap year: February has 28 days.
    expect(dailyPipelineInputProblem({ date: '2026-02-29' })).toBe('date: a date as YYYY-MM-DD');
    expect(dailyPipelineInputProblem({ date: 20260228 })).toBe('date: a date as YYYY-MM-DD');
    expect(dailyPipelineInputProblem({ timeZone: 5 })).toBe('timeZone: expected a string');
    expect(dailyPipelineInputProblem({ backfill: 'yes' })).toBe('backfill: expected true or false');
    expect(dailyPipelineInputProblem(null)).toBe('(root): expected an object');
    expect(dailyPipelineInputProblem(['2026-02-28'])).toBe('(root): expected an object');
  });

  it("keeps a load's summary fields in order and drops the rest", () => {
    const result = {
      file: 'a.csv',
      sha256: 'ab',
      accepted: 3,
      quarantined: 1,
      skipped: 0,
      restated: 2,
      batch_id: 'b1',
      data_lines: 4,
      inserted: 1,
      parser: 'sql' as const,
      already_loaded: false,
    };
    expect(Object.entries(summaryLine(result))).toEqual([
      ['file', 'a.csv'],
      ['sha256', 'ab'],
      ['accepted', 3],
      ['quarantined', 1],
      ['skipped', 0],
      ['restated', 2],
      ['batch_id', 'b1'],
    ]);
  });
});
