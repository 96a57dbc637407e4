import {
  addDays as addCalendarDays,
  differenceInCalendarDays,
  eachDayOfInterval,
  format,
  isValid,
  parse,
} from 'date-fns';
import { TZDate, tz } from '@date-fns/tz';
import { z } from 'zod';

/**
 * Report dates are calendar days (`YYYY-MM-DD`) in the account time zone. All arithmetic goes
 * through date-fns on UTC midnights, so the machine's own zone and DST never shift a day.
 */
export type IsoDate = string;

const utc = tz('UTC');

function toDate(d: IsoDate): Date {
  const parsed = parse(d, 'yyyy-MM-dd', new Date(0), { in: utc });
  if (!isValid(parsed) || format(parsed, 'yyyy-MM-dd', { in: utc }) !== d) throw new RangeError(`not a date: ${d}`);
  return parsed;
}

function toIso(date: Date): IsoDate {
  return format(date, 'yyyy-MM-dd', { in: utc });
}

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  try {
    toDate(value);
    return true;
  } catch {
    return false;
  }
}

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

/**
 * The calendar date of an instant in a time zone, e.g. today in America/New_York.
 *
 * Read from Intl's time zone database rather than @date-fns/tz: workflows call this, and Temporal's
 * workflow sandbox replaces `Date` with a function that returns plain Dates, so a `TZDate` (a Date
 * subclass) made there silently loses its zone and the date came out in the worker's own zone (UTC):
 * a schedule triggered on a New York evening ran the next day.
 */
export function dateIn(timeZone: string, instant: Date): IsoDate {
  const parts = Object.fromEntries(
    isoDateFormat(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const isoDateFormats = new Map<string, Intl.DateTimeFormat>();
function isoDateFormat(timeZone: string): Intl.DateTimeFormat {
  let f = isoDateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      calendar: 'gregory',
      numberingSystem: 'latn',
    });
    isoDateFormats.set(timeZone, f);
  }
  return f;
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
