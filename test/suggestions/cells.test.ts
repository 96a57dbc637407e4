import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { ReportView } from '../../lib/reports/render';
import { evaluateDay } from '../../services/decisions/evaluate-day';
import { renderReportFiles } from '../../services/reports/engine';
import { Warehouse } from '../../services/warehouse/warehouse';
import { testConfig } from '../support/temporal';
import { loadSuggestionAccount, SUGGEST_AS_OF } from './fixture';

/** Report cells 065-068 on the hand-worked account of fixture.ts (ben's; nothing is anyone else's). */
const A = '23850000000000001';
const B = '23850000000000002';
let warehouse: Warehouse;
let team: ReportView;
let ben: ReportView;
let bob: ReportView;

beforeAll(async () => {
  warehouse = await Warehouse.open(join(inject('scratchDir'), `suggest-cells-${process.pid}.duckdb`));
  await loadSuggestionAccount(warehouse, A, B);
  await evaluateDay(warehouse, testConfig(), SUGGEST_AS_OF);
  const reportsDir = mkdtempSync(join(inject('scratchDir'), 'suggest-reports-'));
  team = (await renderReportFiles({ warehouse, reportsDir, asOf: SUGGEST_AS_OF })).view;
  ben = (await renderReportFiles({ warehouse, reportsDir, asOf: SUGGEST_AS_OF, owner: 'ben' })).view;
  bob = (await renderReportFiles({ warehouse, reportsDir, asOf: SUGGEST_AS_OF, owner: 'bob' })).view;
}, 120_000);
afterAll(() => warehouse?.close());

describe('the day-by-hour heatmap', () => {
  it('holds the losing evening hours as negative cells, labelled with Meta purchase value as revenue', () => {
    const cell = ben.byName.hour_heatmap!;
    expect(cell.title).toBe('Margin by hour of day, last 14 days (Meta purchase value as revenue)');
    // Hour 19, both ad sets (B spends only at 12): 5.00 - 10.00 = -5.00 on the 11 bad days,
    // 15.00 - 10.00 = +5.00 on 10-01, 10-05 and 10-09. 09-28 is outside the 14 days.
    const at19 = cell.rows.filter((r) => Number(r.hour) === 19).map((r) => [r.day, r.margin]);
    expect(at19).toHaveLength(14);
    expect(at19.filter(([, m]) => m === '-5.00')).toHaveLength(11);
    expect(at19.filter(([, m]) => m === '5.00').map(([d]) => d)).toEqual(['2025-10-01', '2025-10-05', '2025-10-09']);
    // Hour 22 on 10-03: 12.00 - 10.00 = 2.00; hour 08 that day 23.00 - 10.00 = 13.00.
    const at = (day: string, hour: number) => cell.rows.find((r) => r.day === day && Number(r.hour) === hour)?.margin;
    expect([at('2025-10-03', 22), at('2025-10-03', 8), at('2025-09-28', 22)]).toEqual(['2.00', '13.00', undefined]);
    expect(cell.sentence.text).toContain("with Meta's purchase value as revenue (not strateg.is's)");
    expect(cell.sentence.text).toContain(
      'Lost money on 10 or more days: 19:00 (11 days), 20:00 (11 days), 21:00 (11 days).',
    );
    expect(cell.chart).toBeTruthy();
    expect(bob.byName.hour_heatmap!.rows).toEqual([]);
  });
});

describe('placement and age/gender tables, and the suggestions', () => {
  it('sums the 14 days per owner and placement', () => {
    // facebook/feed: A 14 x 100.00 + B 14 x 50.00 = 2100.00 spend, 14 x 250 + 14 x 100 = 4900.00, 233.3%.
    // instagram/story: 14 x 20 + 14 x 10 = 420.00 spend, 14 x 10 = 140.00, 33.3%.
    expect(team.byName.placements!.rows.map((r) => [r.owner, r.placement, r.spend, r.purchase_value, r.roas])).toEqual([
      ['ben', 'facebook/feed', '2100.00', '4900.00', 233.3],
      ['ben', 'instagram/story', '420.00', '140.00', 33.3],
    ]);
    // 25-34 female 14 x 70 = 980.00, 14 x 200 = 2800.00, 285.7%; 45-54 male 700.00, 840.00, 120.0%.
    expect(ben.byName.age_gender!.rows.map((r) => [r.age, r.gender, r.spend, r.purchase_value, r.roas])).toEqual([
      ['25-34', 'female', '980.00', '2800.00', 285.7],
      ['45-54', 'male', '700.00', '840.00', 120],
    ]);
  });

  it("lists today's suggestions with their numbers", () => {
    expect(ben.byName.suggestions!.rows.map((r) => [r.type, r.segment, r.spend, r.roas, r.days_lost])).toEqual([
      ['dayparting_suggestion', '19:00', '140.00', 71.4, '11 of 14'],
      ['dayparting_suggestion', '20:00', '140.00', 71.4, '11 of 14'],
      ['dayparting_suggestion', '21:00', '140.00', 71.4, '11 of 14'],
      ['placement_suggestion', 'instagram/story', '280.00', 50, '14 of 14'],
    ]);
    expect(bob.byName.suggestions!.rows).toEqual([]);
  });
});
