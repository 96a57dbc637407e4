/**
 * Money is exact: DuckDB stores DECIMAL and hands it over as strings; pure code works in integer
 * cents (safe up to 90 trillion dollars) and turns them into dollars only for output.
 */
export type Cents = number;

/** "1234.56", "-0.1", 12.5 -> cents, rounding half away from zero past the second decimal. */
export function toCents(value: string | number): Cents {
  const text = typeof value === 'number' ? value.toFixed(6) : value.trim();
  const match = /^(-)?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new RangeError(`not an amount: ${value}`);
  const [, minus, whole = '', fraction = ''] = match;
  const padded = `${fraction}000`;
  let cents = Number(whole || '0') * 100 + Number(padded.slice(0, 2));
  if (Number(padded[2]) >= 5) cents += 1;
  return minus && cents !== 0 ? -cents : cents;
}

export function centsToDollars(cents: Cents): number {
  return cents / 100;
}

/** Dollars as a DECIMAL-ready string with two places, e.g. 1234.5 -> "1234.50". */
export function centsToString(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Rounds a fractional number of cents half away from zero (for products such as margin x 40%). */
export function roundCents(cents: number): Cents {
  const rounded = Math.round(Math.abs(cents) + 1e-9);
  return cents < 0 ? -rounded : rounded;
}

/** A ratio to one decimal, half away from zero (roas percent 139.23 -> 139.2). */
export function roundTo(value: number, places: number): number {
  const factor = 10 ** places;
  return (Math.sign(value) * Math.round(Math.abs(value) * factor + 1e-9)) / factor;
}
