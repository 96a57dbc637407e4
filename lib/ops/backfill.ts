import { datesBetween, daysBetween, isIsoDate, type IsoDate } from '../dates';

/** More days than this in one go is more likely a typo in a year than a plan. */
export const MAX_BACKFILL_DAYS = 366;

/**
 * The days a backfill runs, oldest first, or why it cannot: today and later belong to the daily
 * schedule, whose run for a day a backfill run with the same id (daily/<date>) would block.
 */
export function backfillDates(from: string, to: string, today: IsoDate): IsoDate[] | { problem: string } {
  if (!isIsoDate(from)) return { problem: '--from takes a date as YYYY-MM-DD' };
  if (!isIsoDate(to)) return { problem: '--to takes a date as YYYY-MM-DD' };
  if (from > to) return { problem: `--from ${from} is after --to ${to}` };
  if (to >= today) {
    return {
      problem: `--to ${to} is not in the past (today is ${today} in TZ): today's run belongs to the daily schedule; use \`scaleflow run dailyPipeline --date\` for a full run`,
    };
  }
  const days = daysBetween(from, to) + 1;
  if (days > MAX_BACKFILL_DAYS)
    return { problem: `${days} days is more than ${MAX_BACKFILL_DAYS} at a time; split the range` };
  return datesBetween(from, to);
}
