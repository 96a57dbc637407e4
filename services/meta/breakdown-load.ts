import type { IsoDate } from '../../lib/dates';
import type { Breakdown, BreakdownSpoolFile } from '../../lib/meta/breakdowns';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import { readBreakdownSpoolPage } from './breakdowns';

/**
 * An account's day by one breakdown, from every spooled page at once, in place of what the table
 * held for that account and day: DELETE and INSERT in one transaction, so a re-read replaces the
 * day (rows Meta no longer reports go too) and a reader never sees it half written.
 */
export async function loadBreakdownDay(
  warehouse: Warehouse,
  spoolDir: string,
  { day, account, breakdown, pages }: { day: IsoDate; account: string; breakdown: Breakdown; pages: number },
): Promise<{ rows: number }> {
  const rows: BreakdownSpoolFile['rows'] = [];
  for (let page = 0; page < pages; page++)
    rows.push(...(await readBreakdownSpoolPage(spoolDir, { day, account, breakdown, page })).rows);
  // The five loads of a day (and other accounts' days) arrive side by side: Warehouse.transaction
  // has them take turns on the one connection.
  await warehouse.transaction(async () => {
    await warehouse.run(sqlFile(`meta/breakdowns/${breakdown}_delete`), [day, account]);
    if (rows.length)
      await warehouse.run(sqlFile(`meta/breakdowns/${breakdown}_insert`), [day, account, JSON.stringify(rows)]);
  });
  return { rows: rows.length };
}

/** Of these account-days, the ones whose breakdowns are all in already (meta_breakdown_runs). */
export async function recordedBreakdownDays(
  warehouse: Warehouse,
  wanted: { account: string; day: IsoDate }[],
): Promise<Set<string>> {
  if (!wanted.length) return new Set();
  const rows = await warehouse.all<{ account: string; day: string }>(sqlFile('meta/breakdowns/recorded_days'), [
    JSON.stringify(wanted),
  ]);
  return new Set(rows.map((r) => `${r.account}/${r.day}`));
}
