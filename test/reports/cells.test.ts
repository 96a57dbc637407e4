import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { rerenderPage, renderReportFiles } from '../../services/reports/engine';
import { Warehouse } from '../../services/warehouse/warehouse';
import type { ReportView } from '../../lib/reports/render';
import { AS_OF, handWarehouse, RISKY_NAME } from './fixtures';

// Expectations computed by hand from fixtures.ts handExample(): as_of 2025-10-13, yesterday 10-12,
// the 7-day baseline 10-05..10-11, the 30-day window 09-13..10-12.
let warehouse: Warehouse;
let reportsDir: string;
let team: ReportView;
let ben: ReportView;
const cell = (view: ReportView, name: string) => view.byName[name]!;

beforeAll(async () => {
  reportsDir = mkdtempSync(join(inject('scratchDir'), 'reports-'));
  warehouse = await handWarehouse();
  team = (await renderReportFiles({ warehouse, reportsDir, asOf: AS_OF })).view;
  ben = (await renderReportFiles({ warehouse, reportsDir, asOf: AS_OF, owner: 'ben' })).view;
});
afterAll(() => warehouse?.close());

describe('yesterday against the 7-day average', () => {
  it('sums yesterday, averages the 7 days before it, and points the arrows', () => {
    // spend 100.10 + 60 + 200 + 50 + 0.20 = 410.30; baseline (700 + 350 + 1400 + 140 + 0.10) / 7 = 370.01
    // revenue 150.20 + 30 + 210 + 80 = 470.20; baseline 3180 / 7 = 454.29; margin 59.90 vs 589.90 / 7 = 84.27
    // margin rate 59.90 / 410.30 = 14.6% vs 589.90 / 2590.10 = 22.8%; roas 114.6% vs 122.8%
    expect(cell(team, 'summary').rows.map((r) => [r.metric, r.yesterday, r.avg_7d, r.change, r.direction])).toEqual([
      ['spend', '410.30', '370.01', 10.9, 'up'],
      ['revenue', '470.20', '454.29', 3.5, 'up'],
      ['margin', '59.90', '84.27', -28.9, 'down'],
      ['margin_rate', '14.60', '22.80', -8.2, 'down'],
      ['roas', '114.60', '122.80', -8.2, 'down'],
    ]);
    expect(cell(team, 'summary').tiles.map((t) => [t.label, t.value, t.delta, t.tone])).toEqual([
      ['Spend', '$410.30', '▲ 10.9%', 'neutral'],
      ['Revenue', '$470.20', '▲ 3.5%', 'good'],
      ['Margin', '$59.90', '▼ 28.9%', 'bad'],
      ['Margin rate', '14.6%', '▼ 8.2 pts', 'bad'],
      ['ROAS', '114.6%', '▼ 8.2 pts', 'bad'],
    ]);
    expect(cell(team, 'summary').sentence.text).toBe(
      "On Sun, Oct 12, 2025 the team's 5 campaigns made $59.90 margin, ▼ 28.9% against the 7-day average of $84.27 (ROAS 114.6%, spend $410.30).",
    );
  });

  it("counts only the owner's campaigns in an owner's report", () => {
    // ben: margin 50.10 - 30 = 20.10 against (7 x 30 - 7 x 10) / 7 = 20.00: up 0.5%
    expect(cell(ben, 'summary').sentence.text).toBe(
      "On Sun, Oct 12, 2025 ben's 2 campaigns made $20.10 margin, ▲ 0.5% against the 7-day average of $20.00 (ROAS 112.6%, spend $160.10).",
    );
  });
});

describe('margin trend over 30 days', () => {
  it('fills every day for every owner and leaves the 31st day out', () => {
    const rows = cell(team, 'margin_trend').rows;
    expect(rows).toHaveLength(60); // 30 days x 2 owners
    expect(rows[0]).toMatchObject({ date: '2025-09-13', owner: 'ben', margin: '20.00' }); // B1's -$1,000 on 09-12 is out
    expect(rows.find((r) => r.owner === 'tj' && r.date === '2025-10-08')).toMatchObject({ margin: '50.00' }); // T1 60 + T2 -10
  });

  it('says who leads, in exact cents', () => {
    // ben 29 x 30 + 50.10 + 29 x -10 - 30 = 600.10; tj 29 x 60 + 10 + 60 - 0.30 = 1809.70
    expect(cell(team, 'margin_trend').sentence.text).toBe(
      'Over the last 30 days the team made $2,409.80 margin; the last 7 days brought $569.80 against $560.00 the week before, rising. tj leads with $1,809.70; ben trails with $600.10.',
    );
    expect(cell(team, 'margin_trend').chart?.legend).toEqual([
      { label: 'ben', color: '#2563eb' },
      { label: 'tj', color: '#ea580c' },
    ]);
  });
});

describe('top performers and losers', () => {
  it('ranks yesterday by margin, ties by id, with the 7-day margin beside it', () => {
    expect(cell(team, 'top_performers').rows.map((r) => [r.campaign_id, r.margin, r.roas, r.margin_7d])).toEqual([
      ['B1', '50.10', 150, '230.10'],
      ['T2', '30.00', 160, '60.00'],
      ['T1', '10.00', 105, '370.00'],
    ]);
    expect(cell(team, 'top_performers').sentence.text).toBe(
      'DentalImplantTrials_FB_HB_BH (ben) led with $50.10 margin at 150.0% ROAS; the top 3 made $90.10 together.',
    );
    expect(cell(team, 'losers').rows.map((r) => [r.campaign_id, r.margin, r.losing_days_7d])).toEqual([
      ['B2', '-30.00', 7],
      ['T3', '-0.20', 2],
    ]);
    expect(cell(team, 'losers').sentence.text).toBe(
      '2 campaigns lost $30.20 on Sun, Oct 12, 2025; the worst, Roofing_FB_Loser (ben), lost $30.00 and lost money on 7 of the last 7 days.',
    );
  });
});

describe('launches this week', () => {
  it('judges a launch on its first 72 hours once they are complete', () => {
    // T2: 30 + 30 + 40 spent, 20 + 40 + 60 earned: roas 120.0. T3's third day is today: maturing.
    expect(
      cell(team, 'launches').rows.map((r) => [r.campaign_id, r.launch_date, r.spend_72h, r.roas_72h, r.verdict]),
    ).toEqual([
      ['T2', '2025-10-08', '100.00', 120, 'broke even'],
      ['T3', '2025-10-11', '0.30', null, 'maturing'],
    ]);
    expect(cell(team, 'launches').sentence.text).toBe(
      '2 campaigns launched in the last 7 days: 1 past their first 72 hours, 1 of them at break-even or better; 1 still maturing.',
    );
    expect(cell(ben, 'launches').sentence.text).toBe("Nothing of ben's launched in the last 7 days.");
  });
});

describe('outcome checks and recommendation accuracy', () => {
  it('counts the checks completed this week and the accuracy of all completed ones, per rule', () => {
    // W1 (done 10-08) and W3 (done 10-10) this week, W2 (done 09-27) before, W4 (done 10-13) not yet.
    expect(
      cell(team, 'outcomes').rows.map((r) => [
        r.rule,
        r.finished_7d,
        r.right_7d,
        r.checked,
        r.right_all,
        r.accuracy_pct,
      ]),
    ).toEqual([
      ['all', 2, 2, 3, 2, 66.7],
      ['cut_loss', 1, 1, 1, 1, 100],
      ['scale_up', 1, 1, 2, 1, 50],
    ]);
    expect(cell(team, 'outcomes').sentence.text).toBe(
      '2 outcome checks finished this week, 2 of them right. Recommendation accuracy so far: 66.7% (2 of 3), below the 80% target. Against matched unchanged campaigns (right_vs_control): n/a, no check had a control.',
    );
    expect(cell(ben, 'outcomes').sentence.text).toBe(
      '2 outcome checks finished this week, 2 of them right. Recommendation accuracy so far: 100.0% (2 of 2), at or above the 80% target. Against matched unchanged campaigns (right_vs_control): n/a, no check had a control.',
    );
  });
});

describe('data freshness', () => {
  it('says when yesterday is loaded, and when it is not', async () => {
    expect(cell(team, 'freshness').sentence.text).toBe('Up to date: yesterday is loaded for all 5 campaigns.');
    const late = (await renderReportFiles({ warehouse, reportsDir, asOf: '2025-10-15' })).view;
    expect(cell(late, 'freshness').sentence.text).toBe(
      "Stale: the newest day loaded is Sun, Oct 12, 2025, 2 days before yesterday; today's numbers are incomplete.",
    );
  });
});

describe('the page', () => {
  const page = () => readFileSync(join(reportsDir, AS_OF, 'team.html'), 'utf8');

  it('is standalone: inline CSS and SVG, no external reference', () => {
    const html = page();
    expect(html).not.toMatch(/<(link|script|img|iframe)\b/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html.match(/<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/g)).toHaveLength(5);
    expect(html).toContain('font: 15px/1.5 -apple-system, "Segoe UI"'); // CSS is raw text in <style>: never entity-escaped
  });

  it('escapes names from the data and prints $0.10 + $0.20 as $0.30', () => {
    const html = page();
    expect(html).toContain('Solar&lt;b&gt;Promo&lt;/b&gt; &amp; &quot;Co&quot;');
    expect(html).not.toContain(RISKY_NAME);
    expect(html).toContain('<td class="num">$0.30</td>'); // T3's 72-hour spend
    expect(html).not.toMatch(/0\.3000000/);
  });

  it('shows an owner only their own campaigns', () => {
    const html = readFileSync(join(reportsDir, AS_OF, 'owner-ben.html'), 'utf8');
    expect(html).toContain('DentalImplantTrials_FB_HB_BH');
    expect(html).not.toMatch(/LegalHelp|Pets_FB_New|Solar/);
  });

  it('re-renders byte for byte from its saved Arrow datasets, without the warehouse', async () => {
    expect(existsSync(join(reportsDir, AS_OF, 'team', '030_top_performers.arrow'))).toBe(true);
    expect(await rerenderPage(reportsDir, AS_OF, null)).toBe(page());
  });

  it('shows a cell whose table is not in the warehouse yet as waiting, and renders the rest', async () => {
    const empty = await Warehouse.open(':memory:', { migrate: false });
    try {
      const view = (await renderReportFiles({ warehouse: empty, reportsDir, asOf: '2025-01-02' })).view;
      const metrics = 'Waiting for data: daily_campaign_metrics is not in the warehouse yet.';
      expect(view.cells.map((c) => c.waiting)).toEqual([
        ...Array(2).fill(metrics),
        // top performers, losers and launches list ad sets under campaigns whose ad sets hold the budgets
        ...Array(3).fill(
          'Waiting for data: daily_campaign_metrics, daily_adset_metrics, meta_adset_state are not in the warehouse yet.',
        ),
        'Waiting for data: meta_campaign_state, meta_accounts, campaign_map, daily_campaign_metrics are not in the warehouse yet.',
        'Waiting for data: meta_today, meta_accounts, campaign_map are not in the warehouse yet.',
        // alerts name an ad set's alert by its name (daily_adset_metrics)
        'Waiting for data: alerts, decisions, audit_log, daily_campaign_metrics, daily_adset_metrics are not in the warehouse yet.',
        // Meta's breakdowns (issue 21): the hour heatmap, placements, age and gender, suggestions
        'Waiting for data: meta_breakdown_hour, meta_breakdown_runs, campaign_map are not in the warehouse yet.',
        'Waiting for data: meta_breakdown_placement, meta_breakdown_runs, campaign_map are not in the warehouse yet.',
        'Waiting for data: meta_breakdown_age_gender, meta_breakdown_runs, campaign_map are not in the warehouse yet.',
        'Waiting for data: alerts, suggestion_segments are not in the warehouse yet.',
        'Waiting for data: decisions, daily_campaign_metrics are not in the warehouse yet.',
        'Waiting for data: outcome_checks is not in the warehouse yet.',
        'Waiting for data: rule_executions, rule_actions are not in the warehouse yet.',
        metrics,
        'Waiting for data: ingest_batches, quarantine_rows, restatements, meta_sync_runs are not in the warehouse yet.',
        'Waiting for data: audit_log is not in the warehouse yet.',
        // calibration (issue 20 item 4): the table, then the threshold changes it proposed
        'Waiting for data: outcome_checks, audit_log are not in the warehouse yet.',
        'Waiting for data: audit_log is not in the warehouse yet.',
      ]);
      expect(readFileSync(join(reportsDir, '2025-01-02', 'team.html'), 'utf8')).toContain('Waiting for data');
    } finally {
      empty.close();
    }
  });
});
