import { describe, expect, it } from 'vitest';
import { budgetLimitsIn, checkGuardrails, guardrailLimits, type LiveFacts } from '../../lib/approvals/guardrails';
import { describeAction, proposalSchema } from '../../lib/approvals/proposal';
import { ConfigError, parseConfig } from '../../lib/config';
import { currencyDigits, formatMoneyIn } from '../../lib/currency';
import { formatMoney, formatValue } from '../../lib/reports/format';
import { centsToWire, wireToCents } from '../../lib/meta/currency';

describe('money in its own currency', () => {
  it('prints each currency with its own symbol and digits (ISO 4217: JPY 0, USD/EUR/BRL 2)', () => {
    expect([currencyDigits('JPY'), currencyDigits('USD'), currencyDigits('EUR'), currencyDigits('BRL')]).toEqual([
      0, 2, 2, 2,
    ]);
    // Cents are hundredths of the major unit in every currency: 3,000,000 of JPY is 30,000 yen.
    expect(formatMoneyIn(3_000_000, 'JPY')).toBe('¥30,000');
    // 1234.56 yen has no yen fraction to show: rounded half up to 1,235.
    expect(formatMoneyIn(123_456, 'JPY')).toBe('¥1,235');
    expect(formatMoneyIn(123_456, 'USD')).toBe('$1,234.56');
    expect(formatMoneyIn(123_450, 'EUR')).toBe('€1,234.50');
    expect(formatMoneyIn(123_450, 'BRL')).toBe('R$1,234.50');
    expect(formatMoneyIn(-1_200, 'USD')).toBe('-$12.00');
  });

  it('formats report cells in the row currency, US dollars when the row names none', () => {
    expect(formatMoney('30000.00', { currency: 'JPY' })).toBe('¥30,000');
    expect(formatMoney('1234.5')).toBe('$1,234.50');
    expect(formatMoney('1234.5', { whole: true })).toBe('$1,235');
    expect(formatValue('decimal', 'daily_budget', '30000.00', 'JPY')).toBe('¥30,000');
    expect(formatValue('decimal', 'daily_budget', '200.00')).toBe('$200.00');
  });

  it('words a budget change in the account currency', () => {
    const action = { kind: 'set_daily_budget', fromCents: 2_000_000, toCents: 3_000_000 } as const;
    expect(describeAction(action, 'campaign', 'JPY')).toBe('daily budget ¥20,000 -> ¥30,000');
    expect(describeAction({ ...action, fromCents: 20_000, toCents: 28_000 })).toBe('daily budget $200.00 -> $280.00');
  });

  it('writes budgets to Meta in the currency\'s minor units: ¥30,000 is "30000", $300.00 is "30000"', () => {
    expect(centsToWire(3_000_000, 'JPY')).toBe('30000');
    expect(centsToWire(30_000, 'USD')).toBe('30000');
    expect(wireToCents('30000', 'JPY')).toBe(3_000_000);
  });
});

describe('guardrail limits per currency (DAILY_BUDGET_LIMITS)', () => {
  const config = parseConfig({ DAILY_BUDGET_LIMITS: '{"JPY": {"min": 150, "max": 1500000}}' });
  const facts = (liveDailyBudgetCents: number, liveCurrency = 'JPY'): LiveFacts => ({
    liveDailyBudgetCents,
    liveStatus: 'ACTIVE',
    liveCurrency,
    ownerActionsToday: 0,
    hoursSinceLastChange: null,
  });
  const yen = (fromYen: number, toYen: number, currency = 'JPY') =>
    proposalSchema.parse({
      campaignId: 'tokyo-1',
      metaCampaignId: '8100',
      accountId: 'act_81',
      owner: 'ben',
      date: '2025-10-13',
      type: 'scale_up',
      reason: 'ROAS >130% for 3+ days',
      currency,
      action: { kind: 'set_daily_budget', fromCents: fromYen * 100, toCents: toYen * 100 },
    });
  const cooldown = { cooldown_hours: 72 };

  it('reads yen bounds in the major unit, as cents', () => {
    expect(budgetLimitsIn(config, 'JPY')).toMatchObject({
      ok: true,
      // ¥150 = 15,000 cents, ¥1,500,000 = 150,000,000 cents.
      limits: { minBudgetCents: 15_000, maxBudgetCents: 150_000_000 },
    });
    expect(budgetLimitsIn(config, 'USD')).toMatchObject({
      ok: true,
      // The USD defaults: $1 and $10,000.
      limits: { minBudgetCents: 100, maxBudgetCents: 1_000_000 },
    });
  });

  it('accepts ¥20,000 -> ¥30,000 (under ¥1,500,000, though over the $10,000 bound were yen read as dollars)', () => {
    expect(checkGuardrails(yen(20_000, 30_000), facts(2_000_000), guardrailLimits(config, cooldown, 'JPY'))).toEqual({
      ok: true,
    });
  });

  it('refuses ¥1,200,000 -> ¥1,600,000 naming the yen limit', () => {
    // +33.3%, inside the 50% change limit: only the yen maximum refuses it.
    expect(
      checkGuardrails(yen(1_200_000, 1_600_000), facts(120_000_000), guardrailLimits(config, cooldown, 'JPY')),
    ).toEqual({ ok: false, reasons: ['the new budget ¥1,600,000 is over the maximum of ¥1,500,000'] });
  });

  it('refuses a currency with no limits instead of comparing it with the dollar bounds', () => {
    const verdict = checkGuardrails(
      yen(100, 120, 'EUR'),
      facts(10_000, 'EUR'),
      guardrailLimits(config, cooldown, 'EUR'),
    );
    expect(verdict).toEqual({
      ok: false,
      reasons: [
        'no daily budget limits for EUR: add EUR to DAILY_BUDGET_LIMITS (budgets are never checked against the USD limits)',
      ],
    });
    expect(budgetLimitsIn(config, 'EUR')).toEqual({
      ok: false,
      reason:
        'no daily budget limits for EUR: add EUR to DAILY_BUDGET_LIMITS (budgets are never checked against the USD limits)',
    });
  });

  it('refuses when the account currency changed since the proposal', () => {
    const verdict = checkGuardrails(
      yen(20_000, 30_000),
      facts(2_000_000, 'USD'),
      guardrailLimits(config, cooldown, 'USD'),
    );
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reasons[0]).toBe('the account is in USD now but the proposal was made in JPY');
  });

  it('stops at start naming DAILY_BUDGET_LIMITS when it is not valid', () => {
    for (const [value, message] of [
      ['{"JPY": 150', 'JSON such as'],
      ['{"USD": {"max": 1}}', 'USD is set by MIN_DAILY_BUDGET_USD and MAX_DAILY_BUDGET_USD'],
      ['{"JPY": {"min": 5, "max": 1}}', 'min is above max'],
      ['{"JPY": {"min": 5}}', 'expected number'],
    ]) {
      expect(() => parseConfig({ DAILY_BUDGET_LIMITS: value! })).toThrow(ConfigError);
      expect(() => parseConfig({ DAILY_BUDGET_LIMITS: value! })).toThrow(
        new RegExp(`DAILY_BUDGET_LIMITS=.*${message!.replace(/[()]/g, '\\$&')}`),
      );
    }
  });
});
