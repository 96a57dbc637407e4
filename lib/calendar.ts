import { format, isValid, parse } from 'date-fns';
import { tz } from '@date-fns/tz';

// The day helpers workflow code needs, without zod (lib/dates.ts re-exports them beside the
// schemas): the SDK evaluates the workflow bundle's modules again for every workflow it runs, and
// building zod's schemas at import was most of a budgetChange's CPU (BENCHMARKS.md "Daily pipeline").

/**
 * Report dates are calendar days (`YYYY-MM-DD`) in the account time zone. All arithmetic goes
 * through date-fns on UTC midnights, so the machine's own zone and DST never shift a day.
 */
export type IsoDate = string;

export const utc = tz('UTC');

export function toDate(d: IsoDate): Date {
  const parsed = parse(d, 'yyyy-MM-dd', new Date(0), { in: utc });
  if (!isValid(parsed) || format(parsed, 'yyyy-MM-dd', { in: utc }) !== d) throw new RangeError(`not a date: ${d}`);
  return parsed;
}

export function toIso(date: Date): IsoDate {
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
