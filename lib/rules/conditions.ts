import { isMoney, windowDays, windowLabel, windowValues, type RuleCampaign } from './measure';
import type { Comparison, Condition, DecisionKind, Operator } from './schema';

/** The numbers a condition looked at, for the approver and the execution history. */
export type Evidence = Record<string, string | number | null>;

/**
 * Compares one value. A missing value (roas without spend, cpa without conversions) satisfies no
 * operator, `!=` included: a rule never acts on a number that does not exist.
 */
export function compare(value: number | null, op: Operator, target: number | [number, number]): boolean {
  if (value === null) return false;
  if (Array.isArray(target)) return op === 'between' && value >= target[0] && value <= target[1];
  switch (op) {
    case '>':
      return value > target;
    case '>=':
      return value >= target;
    case '<':
      return value < target;
    case '<=':
      return value <= target;
    case '=':
      return value === target;
    case '!=':
      return value !== target;
    case 'between':
      return false;
  }
}

/** Money thresholds are dollars in the file and cents in the engine, compared exactly. */
function threshold(c: Comparison): number | [number, number] {
  if (!isMoney(c.metric)) return c.value;
  const cents = (v: number) => Math.round(v * 100);
  return Array.isArray(c.value) ? [cents(c.value[0]), cents(c.value[1])] : cents(c.value);
}

function shown(metricValue: number | null, money: boolean): string | number | null {
  if (metricValue === null) return null;
  return money ? (metricValue / 100).toFixed(2) : Math.round(metricValue * 1000) / 1000;
}

function decisionKind(recommendation: string | null): DecisionKind | null {
  if (recommendation === null) return null;
  return recommendation.startsWith('scale_') ? 'scale' : (recommendation as DecisionKind);
}

export function evaluateCondition(condition: Condition, c: RuleCampaign, evidence: Evidence = {}): boolean {
  if ('all' in condition) {
    // Every branch is evaluated (no short cut) so the evidence shows all the numbers behind a verdict.
    return condition.all.map((sub) => evaluateCondition(sub, c, evidence)).every(Boolean);
  }
  if ('any' in condition) return condition.any.map((sub) => evaluateCondition(sub, c, evidence)).some(Boolean);
  if ('decision' in condition) {
    const kind = decisionKind(c.decision);
    evidence.decision = c.decision;
    return kind !== null && condition.decision.includes(kind);
  }
  const values = windowValues(condition.metric, condition.window, c);
  const target = threshold(condition);
  const money = isMoney(condition.metric);
  const key = `${condition.metric}_${windowLabel(condition.window)}`;
  // Day by day oldest first, as a buyer reads a streak.
  evidence[key] =
    values.length === 1
      ? shown(values[0]!, money)
      : [...values]
          .reverse()
          .map((v) => shown(v, money) ?? 'n/a')
          .join(', ');
  if (condition.window.kind === 'some_of_last') {
    const held = values.filter((v) => compare(v, condition.op, target)).length;
    evidence[`${key}_held`] = held;
    return held >= condition.window.atLeast;
  }
  return values.every((v) => compare(v, condition.op, target));
}

/** The longest run of complete days any comparison in the tree reads. */
export function conditionDays(condition: Condition): number {
  if ('all' in condition) return Math.max(0, ...condition.all.map(conditionDays));
  if ('any' in condition) return Math.max(0, ...condition.any.map(conditionDays));
  if ('decision' in condition) return 7;
  return windowDays(condition.window);
}
