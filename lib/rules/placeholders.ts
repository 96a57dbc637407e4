import { effectiveScalePct, type Thresholds } from '../decisions/thresholds';
import { ruleSchema, type Rule } from './schema';

/**
 * An alert rule reads its numbers from the campaign owner's thresholds (alert fatigue is per
 * buyer), written `"{scale_roas}"` in a value or `last_{cut_days}_days` inside a string. The file is
 * filled per owner before it is validated, so a filled rule is an ordinary rule.
 */
export type ThresholdValues = Readonly<Record<string, number>>;

/** Every threshold by its name, plus the scale percent a decision actually uses (capped by max_scale_pct). */
export function thresholdValues(t: Thresholds): ThresholdValues {
  return { ...t, effective_scale_pct: effectiveScalePct(t) };
}

const ANY = /\{([a-z_]+)\}/g;
// A whole value that is one threshold (or its negation) becomes a number, not a string.
const WHOLE = /^(-?)\{([a-z_]+)\}$/;

/** `raw` with every placeholder filled; names it does not know are collected in `unknown`. */
export function fillThresholds(raw: unknown, values: ThresholdValues, unknown: Set<string> = new Set()): unknown {
  if (typeof raw === 'string') {
    const whole = WHOLE.exec(raw);
    if (whole) {
      const v = values[whole[2]!];
      if (v === undefined) unknown.add(whole[2]!);
      return v === undefined ? raw : whole[1] ? -v : v;
    }
    return raw.replace(ANY, (text, name: string) => {
      const v = values[name];
      if (v === undefined) unknown.add(name);
      return v === undefined ? text : String(v);
    });
  }
  if (Array.isArray(raw)) return raw.map((item) => fillThresholds(item, values, unknown));
  if (raw && typeof raw === 'object') {
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, fillThresholds(v, values, unknown)]));
  }
  return raw;
}

export function usesPlaceholders(raw: unknown): boolean {
  if (typeof raw === 'string') return /\{[a-z_]+\}/.test(raw);
  if (Array.isArray(raw)) return raw.some(usesPlaceholders);
  if (raw && typeof raw === 'object') return Object.values(raw).some(usesPlaceholders);
  return false;
}

/** The same file filled with another owner's thresholds (it parsed once, so it parses again). */
export function fillRule(source: Record<string, unknown>, values: ThresholdValues): Rule {
  return ruleSchema.parse(fillThresholds(source, values));
}
