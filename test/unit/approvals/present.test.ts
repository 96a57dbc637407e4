import { describe, expect, it } from 'vitest';
import { expectedMarginPerDay, proposalNumbers } from '../../../lib/approvals/figures';
import {
  approvalView,
  evidenceFacts,
  formatAmount,
  formatInstant,
  outcomeCheckFact,
} from '../../../lib/approvals/present';
import type { BudgetChangeStatus, Proposal } from '../../../lib/approvals/proposal';

const DAY = 24 * 3600 * 1000;
const base: Proposal = {
  campaignId: 'c1',
  campaignName: 'Dental',
  metaCampaignId: '501',
  accountId: 'act_1',
  owner: 'ben',
  date: '2025-10-13',
  type: 'scale_up',
  action: { kind: 'set_daily_budget', fromCents: 20000, toCents: 28000 },
  reason: 'ROAS >130% for 3+ days',
  evidence: {},
};
const status = (over: Partial<BudgetChangeStatus> = {}, proposal: Partial<Proposal> = {}): BudgetChangeStatus => ({
  state: 'awaiting_approval',
  proposal: { ...base, ...proposal },
  approvers: ['lead@example.com'],
  outcomeDelayMs: 7 * DAY,
  ...over,
});

describe('how the approval page words a proposal', () => {
  it('prints money with its currency code, whatever the account currency', () => {
    expect(formatAmount(28000)).toBe('$280.00 USD');
    expect(formatAmount(-1234567, 'EUR')).toBe('-€12,345.67 EUR');
    // JPY has no minor unit: scaleflow's cents are yen x 100, and the page prints whole yen.
    expect(formatAmount(2800000, 'JPY')).toBe('¥28,000 JPY');
  });

  it('prints instants in the account time zone with its abbreviation, never ISO UTC', () => {
    // 10:00 UTC on Oct 14 is 06:00 in New York (EDT, UTC-4).
    expect(formatInstant('2025-10-14T10:00:00.000Z', 'America/New_York')).toBe('Tue, Oct 14, 2025, 06:00 EDT');
    // After the November switch New York is EST, UTC-5.
    expect(formatInstant('2025-11-14T10:00:00.000Z', 'America/New_York')).toBe('Fri, Nov 14, 2025, 05:00 EST');
  });

  it('labels the evidence for a person: "Scale by", ROAS with %, money with USD', () => {
    expect(
      evidenceFacts({
        current_roas: 142.1,
        scale_pct: 40,
        potential_margin_gain: '111.36',
        priority: 'high',
        daily_loss: '42.50',
        custom_cpa: 12.5,
        note: 'x',
      }),
    ).toEqual([
      { label: 'ROAS yesterday', value: '142.1%' },
      { label: 'Scale by', value: '+40%' },
      { label: 'Potential margin gain', value: '$111.36 USD a day' },
      { label: 'Priority', value: 'High' },
      { label: 'Daily loss', value: '$42.50 USD a day' },
      { label: 'Custom CPA', value: '$12.50 USD' },
      { label: 'Note', value: 'x' },
    ]);
    // A rule's evidence: a streak of day values, oldest first, each with its unit.
    expect(evidenceFacts({ roas_each_of_last_3_days: '150, 140.5, n/a', spend_yesterday: '80.00' })).toEqual([
      { label: 'ROAS each of last 3 days', value: '150.0%, 140.5%, n/a' },
      { label: 'Spend yesterday', value: '$80.00 USD' },
    ]);
  });

  it('reads the 3- and 7-day ROAS and the 14-day table from the carried days, a missing day as n/a', () => {
    // Yesterday is 10-12; 10-09 has no row. Spend $100.00 a day; revenue $130.00 on 10-06, 07, 08
    // and 10, $100.00 on 10-11 and 12.
    const days = [
      ...['2025-10-06', '2025-10-07', '2025-10-08'].map((date) => ({ date, spendCents: 10000, revenueCents: 13000 })),
      ...['2025-10-10', '2025-10-11', '2025-10-12'].map((date) => ({
        date,
        spendCents: 10000,
        revenueCents: date === '2025-10-10' ? 13000 : 10000,
      })),
    ];
    const n = proposalNumbers({ date: '2025-10-13', figures: { windowDays: 14, days } })!;
    expect(n.days).toHaveLength(14);
    expect(n.days[0]!.date).toBe('2025-09-29');
    expect(n.days.find((d) => d.date === '2025-10-09')).toEqual({
      date: '2025-10-09',
      spendCents: null,
      revenueCents: null,
      marginCents: null,
    });
    // 3 days (10-10..10-12): (130 + 100 + 100) / 300 = 110.0%.
    expect(n.roas3d).toBe(110);
    // 7 days: revenue 130 x 4 + 100 x 2 = 720, spend 600 -> 120.0%; margin 120 / 7 = 17.14 a day.
    expect(n.roas7d).toBe(120);
    expect(n.marginPerDay7dCents).toBe(1714);
    expect(n.totals).toEqual({ spendCents: 60000, revenueCents: 72000, marginCents: 12000 });
  });

  it('expects margin per day from the new budget at the 7-day ROAS; a pause makes 0; no ROAS, no estimate', () => {
    // $280.00 x (120.0 - 100) / 100 = $56.00; at 87.5%: 280 x -0.125 = -$35.00.
    expect(expectedMarginPerDay({ kind: 'set_daily_budget', fromCents: 20000, toCents: 28000 }, 120)).toMatchObject({
      cents: 5600,
    });
    expect(expectedMarginPerDay({ kind: 'set_daily_budget', fromCents: 20000, toCents: 28000 }, 87.5)).toMatchObject({
      cents: -3500,
    });
    expect(expectedMarginPerDay({ kind: 'pause' }, null)).toMatchObject({ cents: 0 });
    expect(expectedMarginPerDay({ kind: 'set_daily_budget', fromCents: 1, toCents: 2 }, null)).toMatchObject({
      cents: null,
    });
  });

  it('says when the outcome check runs: about now + delay before a decision, approval + delay after, none when nothing was written', () => {
    const now = new Date('2025-10-13T14:30:00Z');
    const opts = { now, timeZone: 'America/New_York', outcomeDelayMs: 1 * DAY };
    // 14:30 UTC + 7 days = Oct 20, 10:30 EDT (the run's own 7 days, not the fallback of 1).
    expect(outcomeCheckFact(status(), opts)).toMatchObject({
      value: 'about Mon, Oct 20, 2025, 10:30 EDT if approved now',
      note: 'approval time + 7 days, once the change is written',
    });
    const decided = status({
      state: 'written',
      decision: { decision: 'approve', approver: 'a', ip: '', userAgent: '', at: '2025-10-13T20:00:00.000Z' },
    });
    expect(outcomeCheckFact(decided, opts).value).toBe('about Mon, Oct 20, 2025, 16:00 EDT');
    // A run without its own delay (older status) falls back to OUTCOME_DELAY: 1 day.
    expect(outcomeCheckFact(status({ outcomeDelayMs: undefined }), opts).value).toBe(
      'about Tue, Oct 14, 2025, 10:30 EDT if approved now',
    );
    for (const state of ['rejected', 'expired', 'dry_run', 'unchanged', 'refused', 'cancelled'] as const) {
      expect(outcomeCheckFact(status({ state }), opts).value).toMatch(/^none: nothing was written/);
    }
  });

  it('a proposal without carried figures says "not recorded"; a pause still expects 0 a day', () => {
    const opts = { now: new Date('2025-10-13T14:30:00Z'), timeZone: 'America/New_York', outcomeDelayMs: 7 * DAY };
    const old = approvalView(status(), opts);
    expect(old.days).toBeNull();
    expect(old.facts.find((f) => f.label === 'ROAS, last 7 days')!.value).toBe('not recorded');
    expect(old.facts.find((f) => f.label === 'Expected margin per day after the change')!.value).toBe('not recorded');
    const pause = approvalView(status({}, { type: 'cut_loss', action: { kind: 'pause' } }), opts);
    expect(pause.headline.text).toBe('Pause the campaign');
    expect(pause.facts.find((f) => f.label === 'Expected margin per day after the change')!.value).toBe(
      '$0.00 USD a day',
    );
    const euro = approvalView(status({}, { currency: 'EUR' }), opts);
    expect(euro.headline).toEqual({
      text: 'Daily budget €200.00 EUR → €280.00 EUR',
      detail: '+€80.00 EUR a day (+40.0%)',
    });
  });
});
