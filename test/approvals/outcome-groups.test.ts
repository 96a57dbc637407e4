import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { createApprovalActivities } from '../../activities/approvals';
import { addDays, datesBetween } from '../../lib/dates';
import { proposalSchema, type ProposalInput } from '../../lib/approvals/proposal';
import type { MetaCampaigns } from '../../lib/meta/port';
import type { Mailer } from '../../services/mail/transport';
import { outcomesQuerySchema, outcomesReport } from '../../services/analytics/outcomes-query';
import { metricsWarehouse, type MetricRow } from '../reports/fixtures';
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
});
