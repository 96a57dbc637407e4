import { centsToString, type Cents } from '../money';

/**
 * Meta writes budgets as integer strings in the account currency's minor unit ("1234" is $12.34),
 * except for the currencies its currency table gives an offset of 1 (no minor unit: "1234" is
 * ¥1234). scaleflow works in hundredths of the major unit ("cents") and converts only here.
 */
const OFFSET_ONE = new Set(['CLP', 'COP', 'CRC', 'HUF', 'IDR', 'ISK', 'JPY', 'KRW', 'PYG', 'TWD', 'VND']);

export function minorUnitFactor(currency: string): 1 | 100 {
  return OFFSET_ONE.has(currency.toUpperCase()) ? 1 : 100;
}

/** A wire budget ("1234") as cents of the major unit: USD 1234 -> 1234, JPY 1234 -> 123400. */
export function wireToCents(wire: string | number, currency: string): Cents {
  const text = String(wire).trim();
  if (!/^\d+$/.test(text)) throw new RangeError(`not a Meta budget (integer minor units): ${JSON.stringify(wire)}`);
  return Number(text) * (100 / minorUnitFactor(currency));
}

/** Cents of the major unit as Meta's wire string; refuses amounts the currency cannot express. */
export function centsToWire(cents: Cents, currency: string): string {
  if (!Number.isInteger(cents) || cents < 0) throw new RangeError(`not a budget in cents: ${cents}`);
  const perMinor = 100 / minorUnitFactor(currency);
  if (cents % perMinor !== 0)
    throw new RangeError(`${currency} has no minor unit: ${centsToString(cents)} cannot be sent to Meta`);
  return String(cents / perMinor);
}

/** A wire budget as an exact DECIMAL string for the warehouse: USD "1234" -> "12.34", JPY "1234" -> "1234.00". */
export function wireToAmount(wire: string | number, currency: string): string {
  return centsToString(wireToCents(wire, currency));
}
