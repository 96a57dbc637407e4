import { afterAll, describe, expect, it } from 'vitest';
import { metaCampaignsFromConfig } from '../../activities/meta';
import { createPipelineActivities } from '../../activities/pipeline';
import { Warehouse } from '../../services/warehouse/warehouse';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { metaEnv } from '../meta/harness';
import { testConfig } from '../support/temporal';
import { AS_OF, DAYS, loadAdsetCase } from './adset-case';

// planBudgetChanges on the hand-worked case (adset-case.ts): an ad set's alert becomes a proposal
// naming the ad set, sized from its daily budget in the last sync ($100), under its own key.
describe('planBudgetChanges for ad sets', () => {
  let sandbox: MetaSandbox;
  let warehouse: Warehouse | undefined;
  afterAll(async () => {
    warehouse?.close();
    await sandbox?.close();
  });

  it('proposes +40% x modifier, held to one 20% step, on the winners and a pause of the loser, each keyed by its ad set', async () => {
    sandbox = await startMetaSandbox();
    sandbox.state.addAccount('act_1', { currency: 'USD' });
    const config = testConfig(metaEnv(sandbox, ['act_1']));
    warehouse = await Warehouse.open(config.SCALEFLOW_DB);
    await loadAdsetCase(warehouse);
    const activities = createPipelineActivities({
      config,
      warehouse,
      meta: metaCampaignsFromConfig(config, warehouse)!,
    });
    await activities.evaluateDay({ asOf: AS_OF });
    const plan = await activities.planBudgetChanges({ asOf: AS_OF });
    const byId = new Map(plan.changes.map((c) => [c.workflowId, c.proposal]));
    // The alerts' steps: 801 broad 10000 cents x 1.40 = 14000; 811 interest x 1.30 = 13000; 812 retargeting
    // x 1.20 = 12000. Each ad set spent a steady $100 at 160%, so one 20% step at most (lib/optimizer/scale-step.ts;
    // cautious optimum, slope 0.75 without noise: 100 * (1.6 * 0.75)^4 = $207.36): 12000 each.
    expect(byId.get('budget-change/adset-801/2025-10-13/scale_up')).toMatchObject({
      campaignId: 'ab',
      metaCampaignId: 'm-ab',
      accountId: 'act_1',
      type: 'scale_up',
      action: { kind: 'set_daily_budget', fromCents: 10_000, toCents: 12_000 },
      adset: { id: '801', name: 'meta_801', audienceType: 'broad' },
    });
    expect(byId.get('budget-change/adset-811/2025-10-13/scale_up')?.action).toEqual({
      kind: 'set_daily_budget',
      fromCents: 10_000,
      toCents: 12_000,
    });
    expect(byId.get('budget-change/adset-812/2025-10-13/scale_up')?.action).toEqual({
      kind: 'set_daily_budget',
      fromCents: 10_000,
      toCents: 12_000,
    });
    expect(byId.get('budget-change/adset-802/2025-10-13/cut_loss')).toMatchObject({
      action: { kind: 'pause' },
      adset: { id: '802', audienceType: 'broad' },
    });
    // Its page's figures are the ad set's own days (100 spend, 160 revenue each), not campaign ab's 300 / 325.
    expect(byId.get('budget-change/adset-801/2025-10-13/scale_up')?.figures).toEqual({
      windowDays: 14,
      days: DAYS.map((date) => ({ date, spendCents: 10_000, revenueCents: 16_000 })),
    });
    // Nothing for the held ad sets (803 average, 813 learning, 814 cooldown) nor the ab campaign itself.
    expect([...byId.keys()].filter((id) => /adset-(803|813|814)|\/ab\//.test(id))).toEqual([]);
  });
});
