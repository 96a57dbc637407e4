import { isIsoDate, type IsoDate } from '../calendar';

/**
 * The breakdown sync's names and input, without zod: workflow code imports this, and every module a
 * workflow imports is evaluated again for each workflow it runs (test/workflows/bundle-imports.test.ts).
 */
export const BREAKDOWNS = ['age_gender', 'placement', 'country', 'region', 'hour'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

export const AD_ACCOUNT_ID = /^act_\d+$/;

export interface BreakdownSyncInput {
  account: string;
  /** The account's own calendar day, in its time zone (timezone_name on Meta). */
  date: IsoDate;
}

/** What is wrong with a breakdownSync input, naming the field, or undefined when it is good. */
export function breakdownSyncInputProblem(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return '(root): expected an object';
  const { account, date } = input as Record<string, unknown>;
  if (typeof account !== 'string' || !AD_ACCOUNT_ID.test(account)) return 'account: an ad account id such as act_1001';
  if (typeof date !== 'string' || !isIsoDate(date)) return 'date: a date as YYYY-MM-DD';
  return undefined;
}
