import { z } from 'zod';
import { fromUsDate, isIsoDate, type IsoDate } from '../dates';
import { toCents, type Cents } from '../money';
import { isReservedOwner } from '../owner-name';

/**
 * The reference definition of a valid strateg.is row. The SQL fast path
 * (data/sql/strategis/validate.sql) implements the same rules with the same patterns and reason
 * codes; a test holds the two to the same answers on every bad-input file.
 *
 * Field rules are checked in the order of the shape below and every failing field gives its own
 * reason; the cross-field rules (margin, ad-set key) only run once every field is valid.
 */

/** `1234.56`, `$1,234.56`, `-$5`, `$-5`: optional sign and `$`, thousands groups or plain digits. */
export const MONEY_PATTERN = '^(-\\$?|\\$-?)?([0-9]{1,3}(,[0-9]{3}){1,3}|[0-9]{1,13})(\\.[0-9]{1,6})?$';
export const INTEGER_PATTERN = '^-?([0-9]{1,3}(,[0-9]{3}){1,4}|[0-9]{1,15})$';
export const ISO_DATE_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
export const US_DATE_PATTERN = '^[0-9]{2}/[0-9]{2}/[0-9]{4}$';
export const TRUE_WORDS = ['true', '1', 'yes'];
export const FALSE_WORDS = ['false', '0', 'no'];

/**
 * Control characters in a text cell: C0 but tab, line feed and carriage return (a quoted cell may
 * hold a line break), DEL and C1. A NUL cuts strings short in C tools and a terminal runs ESC
 * sequences, and no campaign name needs one: such a row is hostile or corrupt, not data. Written
 * so JavaScript and DuckDB's RE2 read the pattern the same way.
 */
export const CONTROL_CHARACTER_PATTERN = '[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]';
/** Longest text cell, in Unicode code points (DuckDB's length()): names and ids are far shorter. */
export const MAX_TEXT_LENGTH = 1000;
/** The contract's free-text cells (the rest must match a pattern or a word list). */
export const TEXT_COLUMNS = [
  'campaign_id',
  'campaign_name',
  'owner',
  'category',
  'account_id',
  'meta_campaign_id',
  'level',
  'adset_id',
  'adset_name',
] as const;

const controlCharacter = new RegExp(CONTROL_CHARACTER_PATTERN);
const money = new RegExp(MONEY_PATTERN);
const integer = new RegExp(INTEGER_PATTERN);
const isoDate = new RegExp(ISO_DATE_PATTERN);
const usDate = new RegExp(US_DATE_PATTERN);

/** Empty or blank cells count as absent, as DuckDB reads them. */
const cell = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const text = cell;

const moneyCell = (field: string, required: boolean) =>
  cell.transform((v, ctx): Cents | undefined => {
    if (v === undefined) {
      if (required) ctx.addIssue({ code: 'custom', message: `missing_${field}` });
      return undefined;
    }
    if (!money.test(v)) {
      ctx.addIssue({ code: 'custom', message: `invalid_${field}` });
      return undefined;
    }
    const cents = toCents(v.replace(/[$,]/g, ''));
    if (cents < 0 && field !== 'margin') ctx.addIssue({ code: 'custom', message: `negative_${field}` });
    return cents;
  });

const countCell = (field: string) =>
  cell.transform((v, ctx): number | undefined => {
    if (v === undefined) return undefined;
    if (!integer.test(v)) {
      ctx.addIssue({ code: 'custom', message: `invalid_${field}` });
      return undefined;
    }
    const n = Number(v.replace(/,/g, ''));
    if (n < 0) ctx.addIssue({ code: 'custom', message: `negative_${field}` });
    return n;
  });

/** Code points once the spaces at either end are gone (DuckDB's trim() takes only spaces). */
function trimmedLength(v: string): number {
  let start = 0;
  let end = v.length;
  while (start < end && v[start] === ' ') start += 1;
  while (end > start && v[end - 1] === ' ') end -= 1;
  let n = 0;
  for (const _ of v.slice(start, end)) n += 1;
  return n;
}

/**
 * The one reason a row's text cells can give, before any field is read: `control_character`,
 * else `too_long` (more than MAX_TEXT_LENGTH code points). Either is the row's only reason.
 */
export function textCellProblem(
  cells: Partial<Record<string, string | undefined>>,
): 'control_character' | 'too_long' | undefined {
  const values = TEXT_COLUMNS.map((column) => cells[column]).filter((v): v is string => v !== undefined);
  if (values.some((v) => controlCharacter.test(v))) return 'control_character';
  // length counts UTF-16 units, never fewer than code points: only a long cell is counted exactly
  if (values.some((v) => v.length > MAX_TEXT_LENGTH && trimmedLength(v) > MAX_TEXT_LENGTH)) return 'too_long';
  return undefined;
}

export function strategisRowSchema(yesterday: IsoDate) {
  const dateCell = cell.transform((v, ctx): IsoDate | undefined => {
    const parsed =
      v === undefined
        ? undefined
        : isoDate.test(v)
          ? isIsoDate(v)
            ? v
            : undefined
          : usDate.test(v)
            ? fromUsDate(v)
            : undefined;
    if (parsed === undefined)
      ctx.addIssue({ code: 'custom', message: v === undefined ? 'missing_date' : 'invalid_date' });
    else if (parsed > yesterday) ctx.addIssue({ code: 'custom', message: 'future_date' });
    return parsed;
  });

  const fields = z
    .object({
      campaign_id: cell.transform((v, ctx) => {
        if (v === undefined) ctx.addIssue({ code: 'custom', message: 'missing_campaign_id' });
        return v ?? '';
      }),
      date: dateCell,
      spend: moneyCell('spend', true),
      revenue: moneyCell('revenue', true),
      margin: moneyCell('margin', false),
      clicks: countCell('clicks'),
      conversions: countCell('conversions'),
      impressions: countCell('impressions'),
      sessions: countCell('sessions'),
      is_reconciled: cell.transform((v, ctx) => {
        if (v === undefined) return true;
        const word = v.toLowerCase();
        if (TRUE_WORDS.includes(word)) return true;
        if (FALSE_WORDS.includes(word)) return false;
        ctx.addIssue({ code: 'custom', message: 'invalid_is_reconciled' });
        return true;
      }),
      campaign_name: text,
      // "all" means every owner to the API and CLI, so a row claiming it is not loaded.
      owner: text.transform((v, ctx) => {
        if (v !== undefined && isReservedOwner(v)) ctx.addIssue({ code: 'custom', message: 'reserved_owner' });
        return v?.toLowerCase();
      }),
      category: text,
      account_id: text,
      meta_campaign_id: text,
      level: text.transform((v) => v?.toLowerCase()),
      adset_id: text,
      adset_name: text,
    })
    .transform((row, ctx) => {
      if (row.margin !== undefined && Math.abs(row.margin - (row.revenue! - row.spend!)) > 1) {
        ctx.addIssue({ code: 'custom', message: 'margin_mismatch' });
      }
      const adsetLevel = row.level === 'adset';
      if (adsetLevel && row.adset_id === undefined) ctx.addIssue({ code: 'custom', message: 'missing_adset_id' });
      const { margin: _margin, level: _level, ...values } = row;
      return {
        ...values,
        date: row.date!,
        spend: row.spend!,
        revenue: row.revenue!,
        // The key: campaign-level rows carry '' so (date, campaign_id, adset_id) is always defined.
        adset_id: adsetLevel ? row.adset_id! : '',
        adset_name: adsetLevel ? row.adset_name : undefined,
      };
    });

  // A pipe stops at its first stage's issue, so a hostile text cell is the row's only reason (as
  // validate.sql's CASE puts text_reason before the field reasons).
  return z
    .custom<z.input<typeof fields>>()
    .superRefine((cells, ctx) => {
      const problem = textCellProblem(cells);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .pipe(fields);
}

export type StrategisRow = z.output<ReturnType<typeof strategisRowSchema>>;
export type RowInput = z.input<ReturnType<typeof strategisRowSchema>>;

export type RowVerdict = { ok: true; row: StrategisRow } | { ok: false; reason: string };

/** Reasons are joined in rule order, so both validators can be compared string for string. */
export const REASON_SEPARATOR = '; ';

export function checkRow(schema: ReturnType<typeof strategisRowSchema>, input: RowInput): RowVerdict {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, row: result.data };
  return { ok: false, reason: result.error.issues.map((i) => i.message).join(REASON_SEPARATOR) };
}

export function rowKey(row: Pick<StrategisRow, 'date' | 'campaign_id' | 'adset_id'>): string {
  return `${row.date}\u0000${row.campaign_id}\u0000${row.adset_id}`;
}
