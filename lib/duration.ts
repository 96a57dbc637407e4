import { milliseconds } from 'date-fns';

const UNITS = { s: 'seconds', m: 'minutes', h: 'hours', d: 'days', w: 'weeks' } as const;

/**
 * A duration as config and the CLI take it (Temporal's short form: 500ms, 90s, 15m, 24h, 7d, 2w,
 * fractions allowed), in milliseconds; undefined when the text is not one. A number is already
 * milliseconds, as the SDK's own Duration type has it.
 */
export function durationMs(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/.exec(value.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = match[2] as 'ms' | keyof typeof UNITS;
  return unit === 'ms' ? amount : milliseconds({ [UNITS[unit]]: amount });
}
