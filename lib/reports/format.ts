import { formatMoneyIn } from '../currency';
import { toCents } from '../money';
import type { CellValue, ColumnKind } from './arrow';

/**
 * How numbers read in a report. Everything is fixed to en-US and UTC so a page renders the same on
 * every machine; money goes through integer cents so an exact decimal string prints exactly.
 */
const grouping = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function asCents(value: CellValue | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  return toCents(typeof value === 'boolean' ? Number(value) : value);
}

/**
 * "1234.5" -> "$1,234.50"; negatives "-$12.00"; null -> "n/a". A currency other than US dollars
 * (a Meta account's) prints with its own symbol and digits: "30000.00" JPY -> "¥30,000".
 */
export function formatMoney(
  value: CellValue | undefined,
  options: { whole?: boolean; currency?: string } = {},
): string {
  const cents = asCents(value);
  if (cents === null) return 'n/a';
  return formatMoneyIn(cents, options.currency, { whole: options.whole });
}

/** Money with an explicit sign, for changes: "+$12.00", "-$3.50". */
export function formatSignedMoney(value: CellValue | undefined, currency?: string): string {
  const text = formatMoney(value, { currency });
  return text.startsWith('-') || text === 'n/a' ? text : `+${text}`;
}

/** A number already in percent (roas 139.2, margin rate 24.5) -> "139.2%". */
export function formatPercent(value: CellValue | undefined, places = 1): string {
  if (value === null || value === undefined || value === '') return 'n/a';
  const n = Number(value);
  return Number.isFinite(n) ? `${n.toFixed(places)}%` : 'n/a';
}

export function formatNumber(value: CellValue | undefined): string {
  if (value === null || value === undefined || value === '') return 'n/a';
  const n = Number(value);
  return Number.isFinite(n) ? grouping.format(n) : String(value);
}

const DAY = new Intl.DateTimeFormat('en-US', {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});
const SHORT_DAY = new Intl.DateTimeFormat('en-US', {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});

/** "2025-10-12" -> "Sun, Oct 12, 2025" (or "Sun, Oct 12" short). Dates are calendar days, read in UTC. */
export function formatDay(value: CellValue | undefined, short = false): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value))
    return value === null || value === undefined ? 'n/a' : String(value);
  return (short ? SHORT_DAY : DAY).format(new Date(`${value.slice(0, 10)}T00:00:00Z`));
}

export type Direction = 'up' | 'down' | 'flat';

const ARROWS: Record<Direction, string> = { up: '▲', down: '▼', flat: '▶' };

/**
 * "▲ 12.5%" from a relative change in percent, or "▲ 2.0 pts" for a rate's change in points;
 * null (no baseline) reads "new" when it went up from nothing.
 */
export function formatChange(
  direction: CellValue | undefined,
  change: CellValue | undefined,
  unit: 'usd' | 'pct' = 'usd',
): string {
  const dir = (typeof direction === 'string' && direction in ARROWS ? direction : 'flat') as Direction;
  if (change === null || change === undefined) return dir === 'flat' ? `${ARROWS.flat} n/a` : `${ARROWS[dir]} new`;
  const n = Math.abs(Number(change)).toFixed(1);
  return unit === 'pct' ? `${ARROWS[dir]} ${n} pts` : `${ARROWS[dir]} ${n}%`;
}

export function arrow(direction: CellValue | undefined): string {
  return ARROWS[(typeof direction === 'string' && direction in ARROWS ? direction : 'flat') as Direction];
}

/**
 * How a table cell prints, from the column's kind and the unit its name implies. Money is in
 * `currency` when the row names one (its `currency` column: a Meta account's money), else dollars.
 */
export function formatValue(kind: ColumnKind, name: string, value: CellValue, currency?: string): string {
  if (value === null) return '';
  if (kind === 'decimal' && !/(rate|roas|pct|percent)/.test(name)) return formatMoney(value, { currency });
  if (/(roas|rate|pct|percent)/.test(name)) return formatPercent(value);
  if (kind === 'date') return formatDay(value, true);
  if (kind === 'integer') return formatNumber(value);
  if (kind === 'float') return Number(value).toLocaleString('en-US', { maximumFractionDigits: 2 });
  if (kind === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** Decimal strings to dollars as a float, for chart scales only (never summed again). */
export function dollars(value: CellValue | undefined): number | null {
  const cents = asCents(value);
  return cents === null ? null : cents / 100;
}
