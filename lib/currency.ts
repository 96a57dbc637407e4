import type { Cents } from './money';

/**
 * Money as people read it, in its own currency: scaleflow keeps every amount in hundredths of the
 * major unit (lib/money.ts), and only here does an amount meet its currency's symbol and digits
 * (ISO 4217, through Intl: JPY 0, USD/EUR/BRL 2). Fixed to en-US so a page reads the same everywhere.
 */
export const DEFAULT_CURRENCY = 'USD';

const formats = new Map<string, Intl.NumberFormat>();

function formatFor(currency: string, whole: boolean): Intl.NumberFormat {
  const key = `${currency}/${whole}`;
  let format = formats.get(key);
  if (!format) {
    // Throws RangeError for a code that is not a currency, so a bad code is never shown as dollars.
    format = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      ...(whole ? { maximumFractionDigits: 0, minimumFractionDigits: 0 } : {}),
    });
    formats.set(key, format);
  }
  return format;
}

/** The currency's own decimal places: JPY 0, USD 2, KWD 3 (Intl's ISO 4217 table). */
export function currencyDigits(currency: string): number {
  return formatFor(currency, false).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * 3_000_000 cents of JPY -> "¥30,000"; 123456 of USD -> "$1,234.56"; -1200 of EUR -> "-€12.00".
 * `whole` drops the minor unit where a chart axis has no room for it.
 */
export function formatMoneyIn(cents: Cents, currency: string = DEFAULT_CURRENCY, options: { whole?: boolean } = {}) {
  return formatFor(currency, Boolean(options.whole)).format(cents / 100);
}
