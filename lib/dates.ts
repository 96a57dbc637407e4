import {
  addDays as addCalendarDays,
  differenceInCalendarDays,
  eachDayOfInterval,
  format,
  isValid,
  parse,
} from 'date-fns';
import { TZDate } from '@date-fns/tz';
import { z } from 'zod';
import { isIsoDate, toDate, toIso, utc, type IsoDate } from './calendar';

export { dateIn, isIsoDate, type IsoDate } from './calendar';

export const isoDateSchema = z.string().refine(isIsoDate, 'a date as YYYY-MM-DD');

export function addDays(d: IsoDate, days: number): IsoDate {
  return toIso(addCalendarDays(toDate(d), days));
}

/** The last complete day before `asOf`: every window ends here. */
export function yesterdayOf(asOf: IsoDate): IsoDate {
  return addDays(asOf, -1);
}

/** Whole days from a to b (b - a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return differenceInCalendarDays(toDate(b), toDate(a));
}

/** Every date from start to end inclusive. */
export function datesBetween(start: IsoDate, end: IsoDate): IsoDate[] {
  if (start > end) return [];
  return eachDayOfInterval({ start: toDate(start), end: toDate(end) }, { in: utc }).map(toIso);
}

/** ISO week of a date, e.g. 2025-W41. */
export function isoWeek(d: IsoDate): string {
  return format(toDate(d), "RRRR-'W'II", { in: utc });
}

/** Parses MM/DD/YYYY (US exports) to YYYY-MM-DD; undefined when it is not a real date. */
export function fromUsDate(value: string): IsoDate | undefined {
  const parsed = parse(value, 'MM/dd/yyyy', new Date(0), { in: utc });
  return isValid(parsed) && format(parsed, 'MM/dd/yyyy', { in: utc }) === value ? toIso(parsed) : undefined;
}

/** The instant a calendar day starts in a time zone (midnight there), as epoch milliseconds. */
export function startOfDayIn(timeZone: string, d: IsoDate): number {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  return new TZDate(y, m - 1, day, timeZone).getTime();
}
