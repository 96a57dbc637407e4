import { afterEach, describe, expect, it } from 'vitest';
import { metaCampaignsFromConfig } from '../../activities/meta';
import { createPipelineActivities } from '../../activities/pipeline';
import { datesBetween } from '../../lib/dates';
import { Warehouse } from '../../services/warehouse/warehouse';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { metaEnv } from '../meta/harness';
import { loadRows, type MetricRow } from '../reports/fixtures';
import { testConfig } from '../support/temporal';

/**
 * The daily pipeline sizes a scale-up from the campaign's own 28 days in the warehouse, as the
 * backtest does (lib/optimizer/scale-step.ts). Both campaigns have a $300 Meta budget and a
 * scale_up alert (3-day roas > 130 every day, spend >= $50), whose step is scale_pct 40: $420.
 */
const AS_OF = '2025-10-13';
const DAYS = datesBetween('2025-09-15', '2025-10-12'); // the 28 days ending yesterday

/*
 * STEADY: $300 every day, revenue $528 / $432 alternating (last day high, so 1d > 3d > 7d: improving).
 * Sxx = 0, so b = the prior 0.75; log revenue is +-d around its mean, d = ln(528 / 432) / 2 = 0.100335,
 * sigma^2 = 28 d^2 / 26 = 0.0108416, se = 0.104123, bLo = 0.75 - 1.2816 * 0.104123 = 0.616556.
 * roas at $300 = 480 / 300 = 1.6: optimum = 300 * (1.6 * 0.616556)^(1 / 0.383444) = 300 * 0.965148 = $289.54,
 * below today's $300: held (the alert alone would have raised it 40%).
 *
 * VARIED: $250 / $350 alternating, revenue twice the spend (roas 200 every day: stable).
 * d = ln(350 / 250) / 2 = 0.168236, Sxx = 28 d^2 = 0.792492, Sxy = Sxx (y = ln 2 + x),
 * b = (0.792492 + 0.75) / 1.792492 = 0.860529; residuals +-(1 - b) d = +-0.0234640,
 * sigma^2 = 28 * 0.0234640^2 / 26 = 0.000592909, se = sqrt(0.000592909 / 1.792492) = 0.0181872,
 * bLo = 0.860529 - 1.2816 * 0.0181872 = 0.837220. a = 1200 / (250^0.83722 + 350^0.83722)
 * = 1200 / (101.76 + 134.87) = 5.0712; optimum = (5.0712 * 0.83722)^(1 / 0.16278) = 4.2457^6.1432 = ~$7,200.
 * The step: min($7,200, one 20% exploration step $300 * 1.2 = $360, the alert's $420) = $360.
 */
const rows: MetricRow[] = DAYS.flatMap((date, i) => {
  const high = i % 2 === 1;
  const base = { date, owner: 'ben', category: 'Dental' };
  return [
    {
      ...base,
      campaign_id: 'STEADY',
      campaign_name: 'Dental_STEADY',
      spend: '300.00',
      revenue: high ? '528.00' : '432.00',
    },
    {
      ...base,
      campaign_id: 'VARIED',
      campaign_name: 'Dental_VARIED',
      spend: high ? '350.00' : '250.00',
      revenue: high ? '700.00' : '500.00',
    },
  ];
});

describe('planBudgetChanges sizes a scale-up by the spend its campaign has shown', () => {
  let sandbox: MetaSandbox | undefined;
  let warehouse: Warehouse | undefined;
  afterEach(async () => {
    warehouse?.close();
    warehouse = undefined;
    await sandbox?.close();
  });

  it('holds the steady-spend campaign whose cautious optimum is below today, steps the varied one by 20%', async () => {
    sandbox = await startMetaSandbox();
    sandbox.state.addAccount('act_1001', { currency: 'USD' });
    sandbox.state.addCampaign('act_1001', { name: 'Dental_STEADY', dailyBudget: 300_00 }, '8001');
    sandbox.state.addCampaign('act_1001', { name: 'Dental_VARIED', dailyBudget: 300_00 }, '8002');
    const config = testConfig(metaEnv(sandbox, ['act_1001']));
    warehouse = await Warehouse.open(config.SCALEFLOW_DB);
    await loadRows(warehouse, rows);
    await warehouse.run(
      `INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, category, account_id)
       VALUES ('STEADY', '8001', 'ben', 'Dental', 'act_1001'), ('VARIED', '8002', 'ben', 'Dental', 'act_1001')`,
    );
    const activities = createPipelineActivities({
      config,
      warehouse,
      meta: metaCampaignsFromConfig(config, warehouse)!,
    });
    const evaluation = await activities.evaluateDay({ asOf: AS_OF });
    expect(evaluation).toBeDefined();
    const alerts = await warehouse.all<{ campaign_id: string; type: string }>(
      'SELECT campaign_id, type FROM alerts WHERE as_of = $1::DATE ORDER BY campaign_id',
      [AS_OF],
    );
    expect(alerts).toEqual([
      { campaign_id: 'STEADY', type: 'scale_up' },
      { campaign_id: 'VARIED', type: 'scale_up' },
    ]);

    const plan = await activities.planBudgetChanges({ asOf: AS_OF });
    expect(plan.changes.map((c) => [c.proposal.campaignId, c.proposal.action])).toEqual([
      ['VARIED', { kind: 'set_daily_budget', fromCents: 300_00, toCents: 360_00 }],
    ]);
    // The approver sees the step made (20%) beside the alert's own (40).
    expect(plan.changes[0]!.proposal.evidence).toMatchObject({ scale_pct: 20, alert_scale_pct: 40 });
    expect(plan.skipped).toEqual([
      { campaignId: 'STEADY', type: 'scale_up', reason: expect.stringMatching(/^raise held: .*28 days/) },
    ]);
    const noted = await warehouse.all<{ campaign_id: string; note: string }>(
      'SELECT campaign_id, note FROM alerts WHERE as_of = $1::DATE AND note IS NOT NULL',
      [AS_OF],
    );
    expect(noted.map((n) => n.campaign_id)).toEqual(['STEADY']);
  });
});
