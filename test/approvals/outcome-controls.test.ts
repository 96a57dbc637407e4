import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { createApprovalActivities } from '../../activities/approvals';
import { appendAuditRow } from '../../activities/approvals/audit';
import { addDays, datesBetween } from '../../lib/dates';
import { proposalSchema, type ProposalInput } from '../../lib/approvals/proposal';
import type { MetaCampaigns } from '../../lib/meta/port';
import type { Mailer } from '../../services/mail/transport';
import { outcomesReport } from '../../services/analytics/outcomes-query';
import { candidateControls } from '../../services/approvals/outcome-controls';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { metricsWarehouse, type MetricRow } from '../reports/fixtures';
import { testConfig } from '../support/temporal';

const refuse = () => Promise.reject(new Error('an outcome check sends nothing'));
const noMail: Mailer = { mode: 'outbox', send: refuse, close: () => undefined };
const noMeta: MetaCampaigns = { readCampaign: refuse, readCampaigns: refuse, applyAction: refuse };

const CHANGE_DAY = '2025-10-08';

/** Flat days from a week before the change day to a week after it: dollars per day before, after. */
function days(
  campaign: string,
  who: { owner: string; category: string },
  before: [spend: number, revenue: number],
  after: [spend: number, revenue: number],
): MetricRow[] {
  return datesBetween(addDays(CHANGE_DAY, -7), addDays(CHANGE_DAY, 7)).map((date) => {
    const [spend, revenue] = date <= CHANGE_DAY ? before : after;
    return {
      date,
      campaign_id: campaign,
      campaign_name: campaign,
      ...who,
      spend: spend.toFixed(2),
      revenue: revenue.toFixed(2),
    };
  });
}

const proposal = (campaignId: string, change: Pick<ProposalInput, 'type' | 'action'>) =>
  proposalSchema.parse({
    campaignId,
    metaCampaignId: `9${campaignId}`,
    accountId: 'act_1',
    owner: 'ben',
    date: CHANGE_DAY,
    reason: 'test',
    ...change,
  });

/** A change scaleflow wrote to `campaign` at noon UTC of `date`. */
async function written(warehouse: Warehouse, campaign: string, date: string) {
  await appendAuditRow(
    warehouse,
    { key: 'k'.repeat(64), headFile: null },
    { event: 'written', workflowId: `w-${campaign}`, runId: 'r', campaignId: campaign, owner: 'ben', details: {} },
    Date.parse(`${date}T12:00:00Z`),
  );
}

describe('right_vs_control: the outcome check against matched unchanged campaigns', () => {
  it('matches by owner or category, ROAS bucket and no change of their own; NULL when none matched', async () => {
    const ben = { owner: 'ben', category: 'Test' };
    const warehouse = await metricsWarehouse(join(inject('scratchDir'), 'outcome-controls.duckdb'), [
      // C, changed (a raise): 140 - 100 = 40/day before (ROAS 140, bucket >=130), 189 - 140 = 49/day after: +9.
      ...days('C', ben, [100, 140], [140, 189]),
      // A, same owner, other category, ROAS 140: 20/day -> 15/day, -5 on $50/day: -0.1 per dollar.
      ...days('A', { owner: 'ben', category: 'Other' }, [50, 70], [50, 65]),
      // B, other owner, same category, ROAS 135: 70/day -> 80/day, +10 on $200/day: +0.05 per dollar.
      ...days('B', { owner: 'sam', category: 'Test' }, [200, 270], [200, 280]),
      // X, neither the owner nor the category: not a control however it moved.
      ...days('X', { owner: 'sam', category: 'Other' }, [100, 140], [100, 400]),
      // Y, same owner and bucket but changed itself three days after C: not unchanged.
      ...days('Y', ben, [100, 140], [100, 400]),
      // Z, same owner, ROAS 90 (bucket 80-100): no control of C; paused, -10/day -> 0/day.
      ...days('Z', ben, [100, 90], [0, 0]),
    ]);
    await written(warehouse, 'C', CHANGE_DAY);
    await written(warehouse, 'Z', CHANGE_DAY);
    await written(warehouse, 'Y', addDays(CHANGE_DAY, 3));
    const { checkOutcome } = createApprovalActivities({
      config: testConfig(),
      warehouse,
      mailer: noMail,
      meta: noMeta,
    });
    const raise = { kind: 'set_daily_budget', fromCents: 10000, toCents: 14000 } as const;
    const c = await checkOutcome({
      workflowId: 'wC',
      changeDate: CHANGE_DAY,
      proposal: proposal('C', { type: 'scale_up', action: raise }),
    });
    // Controls A and B: mean per dollar (-0.1 + 0.05) / 2 = -0.025, at C's $100/day -2.5; DiD = 9 - (-2.5) = 11.5.
    expect(c).toMatchObject({ was_right: true, control_count: 2, did_margin_per_day: 11.5, right_vs_control: true });
    // Z's bucket (80-100) holds no other unchanged campaign of ben or of Test: no verdict, not a wrong one.
    const z = await checkOutcome({
      workflowId: 'wZ',
      changeDate: CHANGE_DAY,
      proposal: proposal('Z', { type: 'cut_loss', action: { kind: 'pause' } }),
    });
    expect(z).toMatchObject({ was_right: true, control_count: 0, did_margin_per_day: null, right_vs_control: null });

    const { accuracy, checks } = await outcomesReport(warehouse, {
      start: '2025-01-01',
      end: '2025-12-31',
      owner: 'all',
      level: 'auto',
    });
    warehouse.close();
    expect(
      checks.map((k) => [k.campaign_id, k.was_right, k.control_count, k.did_margin_per_day, k.right_vs_control]),
    ).toEqual([
      ['C', true, 2, '11.50', true],
      ['Z', true, 0, null, null],
    ]);
    // Two checks right before/after; one had controls, and it was right against them too.
    expect(accuracy.find((a) => a.rule === 'all' && a.owner === 'all')).toEqual({
      rule: 'all',
      owner: 'all',
      checked: 2,
      right: 2,
      accuracy: 1,
      checked_vs_control: 1,
      right_vs_control: 1,
      accuracy_vs_control: 1,
    });
  });
});

describe('the candidate controls at either level', () => {
  it("an ad-set check's are the ad sets of other unchanged campaigns of the owner or category", async () => {
    const ben = { owner: 'ben', category: 'Test' };
    // Each row's campaign_name names its ad set; the update below makes them strateg.is ad-set rows.
    const adset = (id: string, campaign: string, who: typeof ben, before: [number, number], after: [number, number]) =>
      days(campaign, who, before, after).map((r) => ({ ...r, campaign_name: id }));
    const warehouse = await metricsWarehouse(join(inject('scratchDir'), 'outcome-controls-levels.duckdb'), [
      // C's own ad sets share its change: never its controls.
      ...adset('C1', 'C', ben, [100, 140], [140, 189]),
      ...adset('C2', 'C', ben, [10, 10], [10, 10]),
      ...adset('A1', 'A', { owner: 'ben', category: 'Other' }, [50, 70], [50, 65]),
      ...adset('A2', 'A', { owner: 'ben', category: 'Other' }, [20, 30], [20, 10]),
      ...adset('B1', 'B', { owner: 'sam', category: 'Test' }, [200, 270], [200, 280]),
      // X: neither ben's nor Test; Y: ben's, but changed itself three days after C.
      ...adset('X1', 'X', { owner: 'sam', category: 'Other' }, [100, 140], [100, 400]),
      ...adset('Y1', 'Y', ben, [100, 140], [100, 400]),
    ]);
    await warehouse.run('UPDATE campaign_daily_facts SET adset_id = campaign_name, adset_name = campaign_name');
    await written(warehouse, 'C', CHANGE_DAY);
    await written(warehouse, 'Y', addDays(CHANGE_DAY, 3));
    const change = { campaignId: 'C', owner: 'ben', changeDate: CHANGE_DAY, tz: 'UTC' };
    const week = (spendCents: number, revenueCents: number) => ({ spendCents, revenueCents, days: 7 });
    // Seven flat days a week: A1 7 x 50 = 350 spend, 7 x 70 = 490 then 7 x 65 = 455 revenue; A2 7 x 20 = 140,
    // 7 x 30 = 210 then 7 x 10 = 70; B1 7 x 200 = 1400, 7 x 270 = 1890 then 7 x 280 = 1960.
    expect(await candidateControls(warehouse, { ...change, adset: true })).toEqual([
      { id: 'A1', before: week(35_000, 49_000), after: week(35_000, 45_500) },
      { id: 'A2', before: week(14_000, 21_000), after: week(14_000, 7_000) },
      { id: 'B1', before: week(140_000, 189_000), after: week(140_000, 196_000) },
    ]);
    // A campaign check's: the campaigns, their ad sets summed: A 350 + 140 = 490 spend, 490 + 210 = 700 then
    // 455 + 70 = 525 revenue; B as B1.
    expect(await candidateControls(warehouse, { ...change, adset: false })).toEqual([
      { id: 'A', before: week(49_000, 70_000), after: week(49_000, 52_500) },
      { id: 'B', before: week(140_000, 189_000), after: week(140_000, 196_000) },
    ]);
    warehouse.close();
  });
});
