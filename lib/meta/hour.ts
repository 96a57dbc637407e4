import { startOfHour } from 'date-fns';
import { tz } from '@date-fns/tz';
import { dateIn, type IsoDate } from '../calendar';

/**
 * A sync hour is the UTC hour a snapshot stands for, written `2025-10-12T14:00:00Z`. It is the
 * spendSync workflow's business key, so a re-run of the same hour rewrites the same rows.
 */
export type SyncHour = string;

const HOUR = /^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$/;
const utc = tz('UTC');

export function isSyncHour(value: string): boolean {
  if (!HOUR.test(value)) return false;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && hourOf(ms) === value;
}

/** The hour an instant falls in. */
export function hourOf(instantMs: number): SyncHour {
  return `${startOfHour(new Date(instantMs), { in: utc }).toISOString().slice(0, 19)}Z`;
}

export function hourStartMs(hour: SyncHour): number {
  return Date.parse(hour);
}

/** The account-time-zone day whose spend "today so far" means at that hour. */
export function reportDateOf(hour: SyncHour, timeZone: string): IsoDate {
  return dateIn(timeZone, new Date(hourStartMs(hour)));
}
