import Handlebars from 'handlebars';
import { centsToString, toCents } from '../money';
import type { CellRow, CellValue } from './arrow';
import { arrow, formatChange, formatDay, formatMoney, formatNumber, formatPercent, formatSignedMoney } from './format';

/**
 * Handlebars with the report's helpers, in its own environment so nothing registered elsewhere
 * leaks in. HTML templates escape every `{{value}}` (campaign names come from outside); the
 * plain-text variants of the same templates are compiled without escaping.
 */
export const handlebars = Handlebars.create();

type Options = Handlebars.HelperOptions;
const args = (list: unknown[]) => list.slice(0, -1) as CellValue[];

const helpers: Record<string, (...a: unknown[]) => unknown> = {
  /**
   * {{money x}}, {{money x whole=true}} (no cents), {{money loss abs=true}} (no sign),
   * {{money budget currency=currency}} (a Meta account's money, in its own currency).
   */
  money: (v, o) => {
    const hash = (o as Options)?.hash ?? {};
    const currency = typeof hash.currency === 'string' && hash.currency ? hash.currency : undefined;
    const text = formatMoney(v as CellValue, { whole: Boolean(hash.whole), currency });
    return hash.abs ? text.replace(/^-/, '') : text;
  },
  signedMoney: (v) => formatSignedMoney(v as CellValue),
  pct: (v) => formatPercent(v as CellValue),
  num: (v) => formatNumber(v as CellValue),
  day: (v) => formatDay(v as CellValue),
  shortDay: (v) => formatDay(v as CellValue, true),
  /** {{change direction change}} or, for a rate, {{change direction change "pct"}}. */
  change: (...a) => formatChange(args(a)[0], args(a)[1], args(a)[2] === 'pct' ? 'pct' : 'usd'),
  arrow: (dir) => arrow(dir as CellValue),
  /** {{plural count "launch" "launches"}} -> "1 launch", "3 launches". */
  plural: (n, one, many) => `${formatNumber(n as CellValue)} ${Number(n) === 1 ? String(one) : String(many)}`,
  eq: (...a) => args(a)[0] === args(a)[1],
  gt: (...a) => Number(args(a)[0]) > Number(args(a)[1]),
  lt: (...a) => Number(args(a)[0]) < Number(args(a)[1]),
  or: (...a) => args(a).some(Boolean),
  and: (...a) => args(a).every(Boolean),
  /** Exact sum of a decimal column, as a decimal string: {{money (sum rows "margin")}}. */
  sum: (rows, column) =>
    centsToString(
      (rows as CellRow[]).reduce(
        (s, r) => s + (r[String(column)] == null ? 0 : toCents(r[String(column)] as string)),
        0,
      ),
    ),
  countOf: (rows) => (rows as unknown[]).length,
  /** The first row whose column equals value: {{#with (find rows "metric" "margin")}}. */
  find: (rows, column, value) => (rows as CellRow[]).find((r) => r[String(column)] === value) ?? null,
  /** Comma-separated values of a column, "a, b and c". */
  list: (rows, column) => {
    const names = (rows as CellRow[]).map((r) => String(r[String(column)]));
    return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  },
};
for (const [name, fn] of Object.entries(helpers)) handlebars.registerHelper(name, fn);

export interface CompiledTemplate {
  html: Handlebars.TemplateDelegate;
  text: Handlebars.TemplateDelegate;
}

export function compileTemplate(source: string): CompiledTemplate {
  return { html: handlebars.compile(source), text: handlebars.compile(source, { noEscape: true }) };
}

/** Sentences are written over several lines for readability; they print as one. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
