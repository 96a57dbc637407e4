import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BREAKDOWN_FIELDS,
  breakdownDayDir,
  breakdownPagePath,
  breakdownRow,
  breakdownSpoolFileSchema,
  breakdownWireSchema,
  META_BREAKDOWNS,
  type Breakdown,
  type BreakdownPageRef,
  type BreakdownRow,
  type BreakdownSpoolFile,
} from '../../lib/meta/breakdowns';
import type { IsoDate } from '../../lib/dates';
import { metaCall } from './failures';
import type { MetaGraph } from './graph';
import { ctx, pageLabel, pageOf, type Page, type SdkCursor, type Settings } from './reads';
import { writeSpoolFile } from './spool';

/**
 * One page of an account's day by one breakdown (GET /act_<id>/insights, level=adset), through
 * the SDK's cursors as the spend sync reads its pages: the caller keeps `after`, so a failed page
 * is the only page asked again.
 */
export async function readBreakdownPage(
  graph: MetaGraph,
  settings: Settings,
  accountId: string,
  day: IsoDate,
  breakdown: Breakdown,
  after?: string,
): Promise<Page<BreakdownRow>> {
  const params = {
    level: 'adset',
    breakdowns: META_BREAKDOWNS[breakdown].join(','),
    time_range: { since: day, until: day },
    limit: settings.META_PAGE_SIZE,
    ...(after ? { after } : {}),
  };
  const cursor = await metaCall(
    ctx(settings, `reading ${breakdown} breakdown of ${accountId} for ${day} (${pageLabel(after)})`),
    () => graph.account(accountId).getInsights(BREAKDOWN_FIELDS, params, true) as unknown as Promise<SdkCursor>,
  );
  return pageOf(cursor, (raw) => breakdownRow(breakdown, breakdownWireSchema.parse(raw)));
}

export async function writeBreakdownPage(spoolDir: string, file: BreakdownSpoolFile): Promise<void> {
  await writeSpoolFile(spoolDir, breakdownPagePath(file.ref), file);
}

export async function readBreakdownSpoolPage(spoolDir: string, ref: BreakdownPageRef): Promise<BreakdownSpoolFile> {
  const path = join(spoolDir, breakdownPagePath(ref));
  const file = breakdownSpoolFileSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  if (breakdownPagePath(file.ref) !== breakdownPagePath(ref))
    throw new Error(`${path} holds ${breakdownPagePath(file.ref)}, not the page asked for`);
  return file;
}

/** Once the day is recorded its pages are no longer needed; removing them again is harmless. */
export async function removeBreakdownDay(spoolDir: string, day: string, account: string): Promise<void> {
  await rm(join(spoolDir, breakdownDayDir(day, account)), { recursive: true, force: true });
}
