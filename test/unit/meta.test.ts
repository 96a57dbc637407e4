import { describe, expect, it } from 'vitest';
import { centsToWire, minorUnitFactor, wireToAmount, wireToCents } from '../../lib/meta/currency';
import { classifyMetaError, regainAccessMs } from '../../lib/meta/errors';
import { hourOf, isSyncHour, reportDateOf } from '../../lib/meta/hour';

describe('Meta currency units', () => {
  it('uses factor 100 for cents currencies and 1 for zero-decimal ones', () => {
    expect([minorUnitFactor('USD'), minorUnitFactor('EUR'), minorUnitFactor('JPY'), minorUnitFactor('krw')]).toEqual([
      100, 100, 1, 1,
    ]);
  });
  it('$12.34 is "1234" on the wire both ways; ¥1234 is "1234"', () => {
    expect(wireToCents('1234', 'USD')).toBe(1234);
    expect(centsToWire(1234, 'USD')).toBe('1234');
    expect(wireToAmount('1234', 'USD')).toBe('12.34');
    expect(wireToCents('1234', 'JPY')).toBe(123_400);
    expect(centsToWire(123_400, 'JPY')).toBe('1234');
    expect(wireToAmount('1234', 'JPY')).toBe('1234.00');
    expect(wireToAmount('5', 'USD')).toBe('0.05');
  });
  it('refuses what the wire cannot carry', () => {
    expect(() => wireToCents('12.34', 'USD')).toThrow(RangeError);
    expect(() => centsToWire(123_450, 'JPY')).toThrow(/no minor unit/);
    expect(() => centsToWire(-1, 'USD')).toThrow(RangeError);
  });
});

describe('Meta error verdicts', () => {
  const buc = (minutes: number) =>
    JSON.stringify({ '123': [{ type: 'ads_management', call_count: 100, estimated_time_to_regain_access: minutes }] });
  it('reads the wait from the usage headers in minutes (and reset_time_duration in seconds)', () => {
    expect(regainAccessMs({ 'x-business-use-case-usage': buc(3) })).toBe(180_000);
    expect(
      regainAccessMs({ 'X-Ad-Account-Usage': JSON.stringify({ acc_id_util_pct: 100, reset_time_duration: 90 }) }),
    ).toBe(90_000);
    expect(
      regainAccessMs({
        'x-business-use-case-usage': buc(1),
        'x-ad-account-usage': JSON.stringify({ estimated_time_to_regain_access: 7 }),
      }),
    ).toBe(420_000);
    expect(regainAccessMs({ 'x-business-use-case-usage': 'not json' })).toBe(0);
  });
  it('classifies codes', () => {
    const v = (code: number | undefined, status: number | null = 400, budgetWrite = false) =>
      classifyMetaError(
        { status, code, message: 'm', headers: { 'x-business-use-case-usage': buc(2) } },
        { budgetWrite, minWaitMs: 1000 },
      );
    for (const code of [4, 17, 613, 80004]) expect(v(code)).toEqual({ kind: 'rate_limited', retryAfterMs: 120_000 });
    expect(v(190).kind).toBe('auth');
    expect(v(200).kind).toBe('permission');
    expect(v(10).kind).toBe('permission');
    expect(v(100, 400, true).kind).toBe('budget_rejected');
    expect(v(17, 400, true).kind).toBe('budget_rejected');
    expect(v(100).kind).toBe('invalid');
    expect(v(undefined, 500).kind).toBe('transient');
    expect(v(undefined, null).kind).toBe('transient');
  });
  it('never waits less than the floor', () => {
    expect(classifyMetaError({ status: 400, code: 17, message: 'm', headers: {} }, { minWaitMs: 60_000 })).toEqual({
      kind: 'rate_limited',
      retryAfterMs: 60_000,
    });
  });
});

describe('sync hours', () => {
  it('floors an instant to its UTC hour and names the report day in the account zone', () => {
    expect(hourOf(Date.parse('2025-10-12T18:59:59.999Z'))).toBe('2025-10-12T18:00:00Z');
    expect(isSyncHour('2025-10-12T18:00:00Z')).toBe(true);
    expect(isSyncHour('2025-10-12T18:30:00Z')).toBe(false);
    expect(isSyncHour('2025-02-30T18:00:00Z')).toBe(false);
    // 02:00 UTC is still the evening before in New York, already the same day in Tokyo.
    expect(reportDateOf('2025-10-13T02:00:00Z', 'America/New_York')).toBe('2025-10-12');
    expect(reportDateOf('2025-10-13T02:00:00Z', 'Asia/Tokyo')).toBe('2025-10-13');
  });
});
