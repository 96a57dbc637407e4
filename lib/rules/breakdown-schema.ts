import { z } from 'zod';
import type { Action, Condition, Metric } from './schema';

/**
 * A breakdown rule ranges over the segments of one Meta breakdown (migration 018) of each entity
 * that holds a budget, and raises one suggestion alert per entity naming the segments it matched.
 */
export const BREAKDOWNS = ['placement', 'age_gender', 'country', 'region', 'hour'] as const;
export const breakdownSchema = z.enum(BREAKDOWNS);
export type Breakdown = z.infer<typeof breakdownSchema>;

/** What a suggestion maps to on Meta; `none` is advice only (shown, never written). */
export const SUGGESTION_WRITES = ['exclude_placement', 'ad_schedule', 'none'] as const;

export const breakdownSpecSchema = z.strictObject({
  by: breakdownSchema,
  /** The alert type it raises (alerts, keyed by entity). */
  type: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lowercase letters, digits and underscores'),
  reason: z.string().min(1),
  recommendation: z.string().regex(/^[a-z0-9_.]+$/, 'lowercase letters, digits, dots and underscores'),
  write: z.enum(SUGGESTION_WRITES).default('none'),
});
export type BreakdownSpec = z.infer<typeof breakdownSpecSchema>;

/**
 * The numbers a segment has: Meta's spend and purchase value (its revenue here, never strateg.is's),
 * and its entity's totals for comparison.
 */
export const BREAKDOWN_METRICS: readonly Metric[] = [
  'spend',
  'purchase_value',
  'margin',
  'roas',
  'entity_roas',
  'roas_vs_entity',
];
const ONLY_BREAKDOWN: readonly Metric[] = ['purchase_value', 'entity_roas', 'roas_vs_entity'];

function metricsOf(c: Condition): Metric[] {
  return 'all' in c
    ? c.all.flatMap(metricsOf)
    : 'any' in c
      ? c.any.flatMap(metricsOf)
      : 'metric' in c
        ? [c.metric]
        : [];
}

function windowsOf(c: Condition): string[] {
  if ('all' in c) return c.all.flatMap(windowsOf);
  if ('any' in c) return c.any.flatMap(windowsOf);
  return 'window' in c ? [c.window.kind] : [];
}

export function refineBreakdown(
  rule: { breakdown?: BreakdownSpec; conditions: Condition; actions: Action[]; alert?: unknown },
  ctx: z.RefinementCtx,
): void {
  const metrics = metricsOf(rule.conditions);
  if (!rule.breakdown) {
    if (rule.actions.length === 0) ctx.addIssue({ code: 'custom', path: ['actions'], message: 'at least one action' });
    const other = metrics.find((m) => ONLY_BREAKDOWN.includes(m));
    if (other)
      ctx.addIssue({
        code: 'custom',
        path: ['conditions'],
        message: `${other} is a breakdown metric: only for rules with a breakdown section`,
      });
    return;
  }
  if (rule.actions.length > 0)
    ctx.addIssue({
      code: 'custom',
      path: ['actions'],
      message: 'a breakdown rule suggests (breakdown.write) and takes no actions',
    });
  if (rule.alert) ctx.addIssue({ code: 'custom', path: ['alert'], message: 'a breakdown rule raises its own type' });
  const other = metrics.find((m) => !BREAKDOWN_METRICS.includes(m));
  if (other)
    ctx.addIssue({
      code: 'custom',
      path: ['conditions'],
      message: `a breakdown rule reads ${BREAKDOWN_METRICS.join(', ')}, not ${other}`,
    });
  if (windowsOf(rule.conditions).includes('today'))
    ctx.addIssue({ code: 'custom', path: ['conditions'], message: 'breakdowns are read for complete days only' });
  if (rule.breakdown.write === 'exclude_placement' && rule.breakdown.by !== 'placement')
    ctx.addIssue({ code: 'custom', path: ['breakdown', 'write'], message: 'exclude_placement needs by: placement' });
  if (rule.breakdown.write === 'ad_schedule' && rule.breakdown.by !== 'hour')
    ctx.addIssue({ code: 'custom', path: ['breakdown', 'write'], message: 'ad_schedule needs by: hour' });
}
