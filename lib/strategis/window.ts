import { addDays, yesterdayOf, type IsoDate } from '../dates';

/** The trailing window a pull on `asOf` asks for: `days` days ending yesterday. */
export function pullWindow(asOf: IsoDate, days: number): { start: IsoDate; end: IsoDate } {
  const end = yesterdayOf(asOf);
  return { start: addDays(end, -(days - 1)), end };
}

export function reportUrl(template: string, window: { start: IsoDate; end: IsoDate }): string {
  return template
    .replaceAll('{start}', encodeURIComponent(window.start))
    .replaceAll('{end}', encodeURIComponent(window.end));
}

/** Retry-After as seconds or an HTTP date, in milliseconds from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
