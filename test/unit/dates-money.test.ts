import { describe, expect, it } from 'vitest';
import {
  addDays,
  dateIn,
  datesBetween,
  daysBetween,
  fromUsDate,
  isIsoDate,
  isoWeek,
  yesterdayOf,
} from '../../lib/dates';
import { centsToString, roundCents, roundTo, toCents } from '../../lib/money';

describe('report dates', () => {
  it('steps across month ends, leap days and DST changes by whole calendar days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-03-09', 1)).toBe('2025-03-10'); // US DST starts
    expect(addDays('2025-11-02', -1)).toBe('2025-11-01'); // US DST ends
    expect(yesterdayOf('2025-01-01')).toBe('2024-12-31');
    expect(daysBetween('2025-10-01', '2025-10-12')).toBe(11);
    expect(datesBetween('2025-10-30', '2025-11-02')).toEqual(['2025-10-30', '2025-10-31', '2025-11-01', '2025-11-02']);
  });

  it('rejects impossible dates', () => {
    expect(isIsoDate('2025-02-30')).toBe(false);
    expect(isIsoDate('2025-13-01')).toBe(false);
    expect(fromUsDate('02/30/2025')).toBeUndefined();
    expect(fromUsDate('10/12/2025')).toBe('2025-10-12');
  });

  it('takes today in the account time zone, not the machine one', () => {
    const instant = new Date('2025-10-13T02:30:00Z'); // 22:30 on the 12th in New York
    expect(dateIn('America/New_York', instant)).toBe('2025-10-12');
    expect(dateIn('UTC', instant)).toBe('2025-10-13');
  });

  it('names ISO weeks like the launches period', () => {
    expect(isoWeek('2025-10-11')).toBe('2025-W41');
    expect(isoWeek('2021-01-03')).toBe('2020-W53');
  });
});

describe('money in cents', () => {
  it('is exact: 0.10 + 0.20 is 0.30', () => {
    expect(centsToString(toCents('0.10') + toCents('0.20'))).toBe('0.30');
  });

  it('parses and rounds half away from zero', () => {
    expect(toCents('1234.56')).toBe(123456);
    expect(toCents('1.005')).toBe(101);
    expect(toCents('-2.345')).toBe(-235);
    expect(toCents('.5')).toBe(50);
    expect(() => toCents('12a')).toThrow(RangeError);
    expect(centsToString(-5)).toBe('-0.05');
  });

  it('rounds the seed example: 278.40 x 40% = 111.36', () => {
    expect(roundCents((toCents('278.40') * 40) / 100)).toBe(11136);
    expect(roundTo((2017 / 8236) * 1000, 0) / 1000).toBe(0.245);
    expect(roundTo(139.25, 1)).toBe(139.3);
  });
});

describe('start of a day in the account time zone', () => {
  it('is local midnight, DST included', async () => {
    const { startOfDayIn } = await import('../../lib/dates');
    expect(new Date(startOfDayIn('America/New_York', '2025-10-12')).toISOString()).toBe('2025-10-12T04:00:00.000Z'); // EDT
    expect(new Date(startOfDayIn('America/New_York', '2025-12-01')).toISOString()).toBe('2025-12-01T05:00:00.000Z'); // EST
  });
});
