import { describe, expect, it } from 'vitest';
import { appendAuditRow } from '../../activities/approvals/audit';
import { resolveThresholds } from '../../lib/decisions';
import { calibrationReport } from '../../services/analytics/calibration-query';
import { Warehouse } from '../../services/warehouse/warehouse';

describe('calibration over the warehouse: outcome checks of 90 days with the step their write logged', () => {
  it('groups by step from the audit log and leaves out checks older than 90 days', async () => {
    const warehouse = await Warehouse.open(':memory:');
    const chain = { key: 'k'.repeat(64), headFile: null };
    // w1: +10% (100 -> 110), right; w2: +40% (100 -> 140), wrong; w3: a pause, right;
    // w4: 91 days before as_of (2025-07-14), outside the window.
    const checks: [string, string, string, boolean, object][] = [
      ['w1', 'ben', '2025-10-01', true, { kind: 'set_daily_budget', fromCents: 10000, toCents: 11000 }],
      ['w2', 'ben', '2025-10-02', false, { kind: 'set_daily_budget', fromCents: 10000, toCents: 14000 }],
      ['w3', 'tj', '2025-10-03', true, { kind: 'pause' }],
      ['w4', 'tj', '2025-07-14', false, { kind: 'pause' }],
    ];
    for (const [wf, owner, date, right, action] of checks) {
      // baseline 700 spend, 840 revenue: ROAS 120, band 100-130.
      await warehouse.run(
        `INSERT INTO outcome_checks (workflow_id, campaign_id, owner, change_type, rule, change_date, baseline_spend,
           baseline_revenue, baseline_margin, outcome_spend, outcome_revenue, outcome_margin, delta_margin,
           delta_revenue, is_improving, was_right)
         VALUES ($1, 'c', $2, 'scale_up', 'scale_up', $3::DATE, 700, 840, 140, 0, 0, 0, 0, 0, $4, $4)`,
        [wf, owner, date, right],
      );
      await appendAuditRow(
        warehouse,
        chain,
        { event: 'written', workflowId: wf, runId: 'r', campaignId: 'c', owner, details: { action } },
        Date.parse(`${date}T12:00:00Z`),
      );
    }
    const report = await calibrationReport(
      warehouse,
      { as_of: '2025-10-12', owner: 'all' },
      { minChecks: 20, thresholds: resolveThresholds() },
    );
    warehouse.close();
    // 2025-10-12 - 90 days = 2025-07-14: the window is (07-14, 10-12], so w4 is out.
    expect(report.rows.filter((r) => r.dimension === 'step').map((r) => [r.key, r.checked, r.right])).toEqual([
      ['pause', 1, 1],
      ['raise <=10%', 1, 1],
      ['raise 25-50%', 1, 0],
    ]);
    // 2 of 3 in band 100-130; Wilson: centre (0.6667 + 0.6403) / 2.2805 = 0.5731, half 0.8594 * sqrt(0.0741 + 0.1067)
    // = 0.3655: 0.208 .. 0.939 (3 < 20 checks: not clearly wrong, nothing proposed).
    expect(report.rows.find((r) => r.dimension === 'roas_band')).toEqual({
      dimension: 'roas_band',
      key: '100-130',
      checked: 3,
      right: 2,
      accuracy: 0.667,
      low: 0.208,
      high: 0.939,
      clearly_wrong: false,
    });
    expect(report.proposals).toEqual([]);
  });
});
