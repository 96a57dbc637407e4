import type { Cents } from '../money';

const usdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** 123456 -> "$1,234.56", for reasons people read. */
export function usd(cents: Cents): string {
  return usdFormat.format(cents / 100);
}

/** 139.2 -> "139.2%"; null (no spend) -> "n/a". */
export function pct(roas: number | null): string {
  return roas === null ? 'n/a' : `${roas.toFixed(1)}%`;
}
