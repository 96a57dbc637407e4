import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/activity';
import { createApprovalActivities } from '../../activities/approvals';
import { addDays, datesBetween } from '../../lib/dates';
import { proposalSchema, type ProposalInput } from '../../lib/approvals/proposal';
import type { MetaCampaigns } from '../../lib/meta/port';
import type { Mailer } from '../../services/mail/transport';
import { outcomesQuerySchema, outcomesReport } from '../../services/analytics/outcomes-query';
import { loadRows, metricsWarehouse, type MetricRow } from '../reports/fixtures';
import { refreshCampaignDays } from '../../services/warehouse/campaign-days';
import { testConfig } from '../support/temporal';

// The check reads only the warehouse: a mail or a Meta call here would be a bug, so both refuse.
const refuse = () => Promise.reject(new Error('an outcome check sends nothing'));
const noMail: Mailer = { mode: 'outbox', send: refuse, close: () => undefined };
const noMeta: MetaCampaigns = { readCampaign: refuse, readCampaigns: refuse, applyAction: refuse };

const CHANGE_DAY = '2025-10-08';

/** Flat days from a week before the change day to a week after it: dollars per day before, after. */
function days(
  campaign: string,
  before: [spend: number, revenue: number],
  after: [spend: number, revenue: number],
): MetricRow[] {
  return datesBetween(addDays(CHANGE_DAY, -7), addDays(CHANGE_DAY, 7)).map((date) => {
    const [spend, revenue] = date <= CHANGE_DAY ? before : after;
    return {
      date,
      campaign_id: campaign,
      campaign_name: campaign,
      owner: 'ben',
      category: 'Test',
      spend: spend.toFixed(2),
      revenue: revenue.toFixed(2),
    };
  });
}

const proposal = (campaignId: string, change: Pick<ProposalInput, 'type' | 'action' | 'evidence'>) =>
  proposalSchema.parse({
    campaignId,
    metaCampaignId: `9${campaignId}`,
    accountId: 'act_1',
    owner: 'ben',
    date: CHANGE_DAY,
    reason: 'test',
    ...change,
  });

describe('outcome checks by the change, not by an alert type the code knows', () => {
  it("judges each change by its direction and groups accuracy by the change's own type", async () => {
    const config = testConfig();
    const warehouse = await metricsWarehouse(join(inject('scratchDir'), 'outcome-groups.duckdb'), [
      // M, a manual raise: 140 - 100 = 40/day before, 190 - 140 = 50/day after. Rose: right.
      ...days('M', [100, 140], [140, 190]),
      // R, a buyer's rule cutting: 70 - 100 = -30/day before, 48 - 60 = -12/day after. Loss shrank: right.
      ...days('R', [100, 70], [60, 48]),
      // P, an alert type no code names, pausing: 120 - 100 = +20/day before, 0/day after. Fell: wrong.
      ...days('P', [100, 120], [0, 0]),
    ]);
    const { checkOutcome } = createApprovalActivities({ config, warehouse, mailer: noMail, meta: noMeta });
    const raise = { kind: 'set_daily_budget', fromCents: 10000, toCents: 14000 } as const;
    const cut = { kind: 'set_daily_budget', fromCents: 10000, toCents: 6000 } as const;
    const m = await checkOutcome({
      workflowId: 'wM',
      changeDate: CHANGE_DAY,
      proposal: proposal('M', { type: 'manual', action: raise }),
    });
    const r = await checkOutcome({
      workflowId: 'wR',
      changeDate: CHANGE_DAY,
      proposal: proposal('R', { type: 'rule', action: cut, evidence: { rule_id: 'night-trim' } }),
    });
    const p = await checkOutcome({
      workflowId: 'wP',
      changeDate: CHANGE_DAY,
      proposal: proposal('P', { type: 'stop_bleeder', action: { kind: 'pause' } }),
    });
    expect(
      [m, r, p].map((o) => [o.rule, o.judged_as, o.outcome.margin_per_day, o.baseline.margin_per_day, o.was_right]),
    ).toEqual([
      ['manual', 'raise', 50, 40, true],
      ['rule:night-trim', 'cut', -12, -30, true],
      ['stop_bleeder', 'cut', 0, 20, false],
    ]);

    // What `GET /api/facebook/outcomes` and `scaleflow outcomes` answer: 2 of 3 right, one group per change.
    const { accuracy, checks } = await outcomesReport(warehouse, {
      start: '2025-01-01',
      end: '2025-12-31',
      owner: 'all',
      level: 'auto',
    });
    // level: the three changes were made to campaigns, so `adset` checks none and `campaign` all three.
    const at = (level: string) =>
      outcomesReport(warehouse, outcomesQuerySchema.parse({ start: '2025-01-01', end: '2025-12-31', level }));
    expect((await at('adset')).checks).toEqual([]);
    expect((await at('campaign')).checks).toHaveLength(3);
    expect(outcomesQuerySchema.safeParse({ level: 'foo' }).error?.issues[0]?.path).toEqual(['level']);
    warehouse.close();
    // M (ROAS 140), R (70) and P (120) sit in three different ROAS buckets: none is another's control.
    const noControls = { checked_vs_control: 0, right_vs_control: 0, accuracy_vs_control: null };
    expect(accuracy.filter((a) => a.owner === 'all')).toEqual([
      { rule: 'all', owner: 'all', checked: 3, right: 2, accuracy: 0.667, ...noControls },
      { rule: 'manual', owner: 'all', checked: 1, right: 1, accuracy: 1, ...noControls },
      { rule: 'rule:night-trim', owner: 'all', checked: 1, right: 1, accuracy: 1, ...noControls },
      { rule: 'stop_bleeder', owner: 'all', checked: 1, right: 0, accuracy: 0, ...noControls },
    ]);
    expect(checks.map((c) => [c.entity_type, c.entity_id, c.campaign_id, c.adset_id, c.change_type, c.rule])).toEqual([
      ['campaign', 'M', 'M', null, 'manual', 'manual'],
      ['campaign', 'P', 'P', null, 'stop_bleeder', 'stop_bleeder'],
      ['campaign', 'R', 'R', null, 'rule', 'rule:night-trim'],
    ]);
  });

  it('waits for the outcome week to be reconciled before judging it, and judges after 7 more days regardless', async () => {
    const config = testConfig();
    const warehouse = await metricsWarehouse(join(inject('scratchDir'), 'outcome-reconciled.duckdb'), [
      // U, a raise: 140 - 100 = 40/day before, 190 - 140 = 50/day after (final numbers). Rose: right.
      ...days('U', [100, 140], [140, 190]),
      // V, the same, but strateg.is never marks its last two days reconciled.
      ...days('V', [100, 140], [140, 190]),
    ]);
    // The morning after 10-15: 10-14 and 10-15 are provisional, their revenue only partly reported
    // (120 of 190). Judged now U's week would read (5 x 50 + 2 x (120 - 140)) / 7 = 30/day < 40: wrong.
    const firstReport = (id: string) =>
      warehouse.run(
        `UPDATE campaign_daily_facts SET revenue = 120, is_reconciled = false
         WHERE campaign_id = $1 AND date IN ('2025-10-14', '2025-10-15')`,
        [id],
      );
    await firstReport('U');
    await firstReport('V');
    await refreshCampaignDays(warehouse, 'all');
    const { checkOutcome } = createApprovalActivities({ config, warehouse, mailer: noMail, meta: noMeta });
    const raise = { kind: 'set_daily_budget', fromCents: 10000, toCents: 14000 } as const;
    const check = (id: string) =>
      checkOutcome({
        workflowId: `w${id}`,
        changeDate: CHANGE_DAY,
        proposal: proposal(id, { type: 'manual', action: raise }),
      });

    const pending = await check('U').catch((err: unknown) => err);
    expect(pending).toBeInstanceOf(ApplicationFailure);
    // Retried by Temporal an hour later (reconciled rows come with the daily pull), not every minute.
    expect(pending).toMatchObject({ type: 'OutcomeDataPending', nonRetryable: false, nextRetryDelay: '1 hour' });
    expect((pending as Error).message).toContain(
      '2 of its strateg.is rows are not reconciled yet (the last 2025-10-15); judged once they are, or with data through 2025-10-22 at the latest',
    );

    // The next pulls restate U's two days to their final 190, reconciled: judged on the true week.
    await warehouse.run(
      `UPDATE campaign_daily_facts SET revenue = 190, is_reconciled = true
       WHERE campaign_id = 'U' AND date IN ('2025-10-14', '2025-10-15')`,
    );
    await refreshCampaignDays(warehouse, 'all');
    const u = await check('U');
    expect([u.baseline.margin_per_day, u.outcome.margin_per_day, u.was_right]).toEqual([40, 50, true]);

    // V stays provisional. With data through 10-21 it still waits; once 10-22 (10-15 + 7 days) is
    // loaded it is judged on what there is: 30/day against 40, wrong.
    const z = (date: string) => ({
      date,
      campaign_id: 'Z',
      campaign_name: 'Z',
      owner: 'ben',
      category: 'Test',
      spend: '1.00',
      revenue: '1.00',
    });
    await loadRows(warehouse, [z('2025-10-21')]);
    await expect(check('V')).rejects.toMatchObject({ type: 'OutcomeDataPending' });
    await loadRows(warehouse, [z('2025-10-22')]);
    const v = await check('V');
    expect([v.baseline.margin_per_day, v.outcome.margin_per_day, v.was_right]).toEqual([40, 30, false]);
    warehouse.close();
  });
});
