import { z } from 'zod';
import { audienceTypeSchema, entityTypeSchema, type EntityType } from '../levels';
import { breakdownSpecSchema, refineBreakdown } from './breakdown-schema';

/**
 * A user-defined automation rule, as written in a YAML or JSON file under RULES_DIR. Metric names,
 * units and windows follow METRICS.md: money in dollars, roas (and ctr, utilisation, pacing) in
 * percent, every window ending yesterday except `today` (Meta's live numbers).
 */

/**
 * A union chosen by which key the object has, so a mistake is reported on its own field
 * (`conditions.all.1.op`) rather than as "no branch of the union matched".
 */
function keyed<B extends Record<string, z.ZodType>>(expected: string, branches: B) {
  return z.unknown().transform((value, ctx): z.output<B[keyof B]> => {
    const key =
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.keys(branches).find((k) => k in value)
        : undefined;
    if (key === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected ${expected}` });
      return z.NEVER;
    }
    const result = branches[key]!.safeParse(value);
    if (result.success) return result.data as z.output<B[keyof B]>;
    for (const issue of result.error.issues) ctx.addIssue(issue as never);
    return z.NEVER;
  });
}

/** Money metrics compare in exact cents; the others as numbers in their own unit. */
export const MONEY_METRICS = ['spend', 'revenue', 'margin', 'cpc', 'cpm', 'cpa', 'purchase_value'] as const;
export const metricSchema = z.enum([
  'spend',
  'revenue',
  'margin',
  'roas',
  'ctr',
  'cpc',
  'cpm',
  'cpa',
  'conversions',
  'budget_utilisation',
  'pacing',
  // Breakdown rules only (lib/rules/breakdowns.ts): Meta's attributed purchase value, the ROAS of
  // the segment's whole entity over the same window, and the segment's ROAS as a percent of it.
  'purchase_value',
  'entity_roas',
  'roas_vs_entity',
]);
export type Metric = z.infer<typeof metricSchema>;

/** What Meta's hourly snapshot knows about today; revenue is only known once strateg.is reports the day. */
export const TODAY_METRICS: readonly Metric[] = [
  'spend',
  'ctr',
  'cpc',
  'cpm',
  'conversions',
  'budget_utilisation',
  'pacing',
];
export const LIVE_ONLY_METRICS: readonly Metric[] = ['budget_utilisation', 'pacing'];

export const MAX_WINDOW_DAYS = 90;

export type Window =
  | { kind: 'today' }
  | { kind: 'yesterday' }
  | { kind: 'last'; days: number }
  | { kind: 'each_of_last'; days: number }
  /** At least `atLeast` of the last `days` days, each on its own (days lost out of N). */
  | { kind: 'some_of_last'; days: number; atLeast: number };

export const windowSchema = z.string().transform((text, ctx): Window => {
  if (text === 'today') return { kind: 'today' };
  if (text === 'yesterday') return { kind: 'yesterday' };
  const match = /^(each_of_last|last)_(\d+)_days$/.exec(text);
  const days = match ? Number(match[2]) : NaN;
  if (match && days >= 1 && days <= MAX_WINDOW_DAYS) return { kind: match[1] as 'last' | 'each_of_last', days };
  const some = /^(\d+)_of_last_(\d+)_days$/.exec(text);
  const [atLeast, of] = some ? [Number(some[1]), Number(some[2])] : [NaN, NaN];
  if (some && of >= 1 && of <= MAX_WINDOW_DAYS && atLeast >= 1 && atLeast <= of)
    return { kind: 'some_of_last', days: of, atLeast };
  ctx.addIssue({
    code: 'custom',
    message: `a window: today, yesterday, last_N_days, each_of_last_N_days or K_of_last_N_days (K <= N, N 1..${MAX_WINDOW_DAYS})`,
  });
  return z.NEVER;
});

export const operatorSchema = z.enum(['>', '>=', '<', '<=', '=', '!=', 'between']);
export type Operator = z.infer<typeof operatorSchema>;

export const comparisonSchema = z
  .strictObject({
    metric: metricSchema,
    window: windowSchema,
    op: operatorSchema,
    /** A number, or [low, high] (inclusive) for `between`. */
    value: z.union([z.number(), z.tuple([z.number(), z.number()])]),
  })
  .superRefine((c, ctx) => {
    const isRange = Array.isArray(c.value);
    if (c.op === 'between' && !isRange)
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'between needs [low, high]' });
    if (c.op !== 'between' && isRange)
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op} needs one number (a range is for between)` });
    if (isRange && (c.value as [number, number])[0] > (c.value as [number, number])[1]) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'between needs low <= high' });
    }
    if (c.window.kind === 'today' && !TODAY_METRICS.includes(c.metric)) {
      ctx.addIssue({
        code: 'custom',
        path: ['window'],
        message: `${c.metric} is not known for today (only ${TODAY_METRICS.join(', ')})`,
      });
    }
    if (c.window.kind !== 'today' && LIVE_ONLY_METRICS.includes(c.metric)) {
      ctx.addIssue({
        code: 'custom',
        path: ['window'],
        message: `${c.metric} comes from Meta's live state: use window today`,
      });
    }
  });
export type Comparison = z.infer<typeof comparisonSchema>;

/** The campaign's METRICS.md decision (cooldown included), so a rule can require the matrix's agreement. */
export const decisionKindSchema = z.enum(['scale', 'hold', 'pause', 'retest', 'cooldown']);
export type DecisionKind = z.infer<typeof decisionKindSchema>;
export const decisionConditionSchema = z.strictObject({ decision: z.array(decisionKindSchema).min(1) });

export type Condition =
  Comparison | z.infer<typeof decisionConditionSchema> | { all: Condition[] } | { any: Condition[] };
export type ConditionInput =
  | z.input<typeof comparisonSchema>
  | z.input<typeof decisionConditionSchema>
  | { all: ConditionInput[] }
  | { any: ConditionInput[] };

export const conditionSchema: z.ZodType<Condition, ConditionInput> = z.lazy(
  () =>
    keyed('a condition: {all: [...]}, {any: [...]}, {decision: [...]} or {metric, window, op, value}', {
      all: z.strictObject({ all: z.array(conditionSchema).min(1) }),
      any: z.strictObject({ any: z.array(conditionSchema).min(1) }),
      decision: decisionConditionSchema,
      metric: comparisonSchema,
    }) as never,
);

const dollars = z.number().positive();

export const adjustBudgetSchema = z
  .strictObject({
    /** +20 raises by 20%, -10 lowers by 10%. */
    by_percent: z
      .number()
      .min(-90)
      .max(1000)
      .refine((n) => n !== 0, 'a non-zero percent')
      .optional(),
    /** A daily budget in `currency`. */
    to: dollars.optional(),
    /** Bounds in `currency`: the new budget never goes under min or over max. */
    min: dollars.optional(),
    max: dollars.optional(),
    /** What to, min and max are in (ISO 4217, default USD); they apply only to campaigns in it. */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as JPY')
      .optional(),
  })
  .superRefine((a, ctx) => {
    if ((a.by_percent === undefined) === (a.to === undefined))
      ctx.addIssue({ code: 'custom', message: 'give exactly one of by_percent or to' });
    if (a.min !== undefined && a.max !== undefined && a.min > a.max)
      ctx.addIssue({ code: 'custom', path: ['min'], message: 'min must be <= max' });
  });

export const webhookSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  /**
   * The environment variable holding the HMAC key: secrets never live in rule files. The prefix
   * keeps scaleflow's own keys (JWT_SECRET, APPROVAL_SECRET, META_ACCESS_TOKEN) from signing messages
   * for a receiver a rule chooses: one key, one job, and no oracle for guessing them offline.
   */
  secret_env: z
    .string()
    .regex(
      /^SCALEFLOW_WEBHOOK_[A-Z0-9_]+$/,
      'an environment variable named SCALEFLOW_WEBHOOK_..., such as SCALEFLOW_WEBHOOK_SLACK (no other variable may sign a webhook)',
    ),
});

export const notifySchema = z
  .strictObject({
    email: z.array(z.email()).min(1).optional(),
    webhook: webhookSchema.optional(),
  })
  .refine((n) => n.email !== undefined || n.webhook !== undefined, 'give email, webhook or both');

export const actionSchema = keyed('an action: adjust_budget, pause, resume, duplicate or notify', {
  adjust_budget: z.strictObject({ adjust_budget: adjustBudgetSchema }),
  pause: z.strictObject({ pause: z.literal(true) }),
  resume: z.strictObject({ resume: z.literal(true) }),
  duplicate: z.strictObject({
    duplicate: z.strictObject({ name_suffix: z.string().min(1).max(100).default(' - Copy') }),
  }),
  notify: z.strictObject({ notify: notifySchema }),
});
export type Action = z.infer<typeof actionSchema>;
export type ActionKind = 'adjust_budget' | 'pause' | 'resume' | 'duplicate' | 'notify';

export function actionKind(action: Action): ActionKind {
  return Object.keys(action)[0] as ActionKind;
}

/** 15m, 1h, 2d: how often the rule is due, and how long a campaign rests after an action (0m: no rest). */
export const intervalSchema = z.string().transform((text, ctx) => {
  const match = /^(\d+)(m|h|d)$/.exec(text);
  if (match) return Number(match[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'm' | 'h' | 'd'];
  ctx.addIssue({ code: 'custom', message: 'a duration such as 15m, 1h or 2d' });
  return z.NEVER;
});

export const safetySchema = z
  .strictObject({
    /** Record what would happen; propose, write and send nothing. */
    dry_run: z.boolean().default(false),
    /** Actions this rule may take per as_of day, over all campaigns. */
    max_actions_per_day: z.number().int().min(1).max(1000).default(10),
    /** After acting on a campaign, this rule leaves it alone for this long. */
    cooldown: intervalSchema.default(72 * 3_600_000),
    /** false runs bounded actions unattended, but only where the campaign owner's config allows it. */
    require_approval: z.boolean().default(true),
  })
  .default({ dry_run: false, max_actions_per_day: 10, cooldown: 72 * 3_600_000, require_approval: true });

export const scopeSchema = z
  .strictObject({
    owners: z.array(z.string().min(1)).min(1).optional(),
    categories: z.array(z.string().min(1)).min(1).optional(),
    /** A case-insensitive regular expression the campaign name must match. */
    campaign_name: z
      .string()
      .min(1)
      .refine((p) => {
        try {
          new RegExp(p, 'i');
          return true;
        } catch {
          return false;
        }
      }, 'a valid regular expression')
      .optional(),
    /** Only ad sets of these audience types (METRICS.md "Levels"); a `level: adset` rule's scope. */
    audience_types: z.array(audienceTypeSchema).min(1).optional(),
  })
  .default({});

/** The alert fields an amount can be answered in (and stored in): a gain per day or a loss per day. */
export const AMOUNT_FIELDS = ['potential_margin_gain', 'daily_loss'] as const;
/** What an alert rule's conditions may read: the daily numbers the decision step has. */
export const ALERT_METRICS: readonly Metric[] = ['spend', 'revenue', 'margin', 'roas'];

const alertAmountSchema = z
  .strictObject({
    field: z.enum(AMOUNT_FIELDS),
    metric: metricSchema,
    /** yesterday or last_N_days: one summed value. */
    window: windowSchema,
    /** Divided by the window's days. */
    per_day: z.boolean().default(false),
    /** Sign flipped (a loss is minus the margin). */
    negate: z.boolean().default(false),
    /** Then times this percent (the gain of raising a budget by it). */
    percent: z.number().optional(),
  })
  .superRefine((a, ctx) => {
    if (a.window.kind === 'today' || a.window.kind === 'each_of_last' || a.window.kind === 'some_of_last')
      ctx.addIssue({ code: 'custom', path: ['window'], message: 'an amount sums yesterday or last_N_days' });
    if (!ALERT_METRICS.includes(a.metric))
      ctx.addIssue({ code: 'custom', path: ['metric'], message: `an alert reads ${ALERT_METRICS.join(', ')}` });
  });

/**
 * A rule with an alert section is an alert type of the daily pipeline (METRICS.md "Alerts"): after
 * the decision step it raises `type` for each campaign its conditions match, when the campaign's
 * decision is one of `requires_decision` (otherwise the streak is held back: shown, not alerted),
 * and the daily pipeline proposes its first Meta action through approval.
 */
export const alertSpecSchema = z.strictObject({
  type: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lowercase letters, digits and underscores'),
  reason: z.string().min(1),
  recommendation: z.string().regex(/^[a-z0-9_.]+$/, 'lowercase letters, digits, dots and underscores'),
  requires_decision: z.array(decisionKindSchema).min(1),
  high_priority_when: conditionSchema,
  amount: alertAmountSchema,
});
export type AlertSpec = z.infer<typeof alertSpecSchema>;

export const ruleIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes');

/** A rule's level: `auto` is the decision engine's, a user rule names where it acts. */
export const ruleLevelSchema = entityTypeSchema;

function refineLevel(
  rule: { level: EntityType; scope: { audience_types?: unknown }; actions: Action[] },
  ctx: z.RefinementCtx,
): void {
  if (rule.level === 'campaign' && rule.scope.audience_types !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['scope', 'audience_types'],
      message: 'audience types are a property of ad sets: only for rules with level: adset',
    });
  if (rule.level === 'adset') {
    rule.actions.forEach((a, i) => {
      if ('duplicate' in a)
        ctx.addIssue({
          code: 'custom',
          path: ['actions', i],
          message: 'duplicate copies a campaign: a level: adset rule can adjust_budget, pause, resume or notify',
        });
    });
  }
}

export const ruleSchema = z
  .strictObject({
    /** Defaults to the file name without its extension. */
    id: ruleIdSchema,
    name: z.string().min(1),
    description: z.string().optional(),
    enabled: z.boolean().default(true),
    /**
     * What the rule measures and acts on: each campaign, or each ad set (its numbers from
     * daily_adset_metrics, its budget and status on Meta). `campaign` by default, so a rule file
     * written before ad sets means what it meant.
     */
    level: ruleLevelSchema.default('campaign'),
    scope: scopeSchema,
    check_every: intervalSchema.default(3_600_000),
    conditions: conditionSchema,
    /** None for a breakdown rule: what it suggests is in its `breakdown` section. */
    actions: z.array(actionSchema).default([]),
    safety: safetySchema,
    alert: alertSpecSchema.optional(),
    breakdown: breakdownSpecSchema.optional(),
  })
  .superRefine((rule, ctx) => {
    refineLevel(rule, ctx);
    refineBreakdown(rule, ctx);
    if (!rule.alert) return;
    if (rule.alert.type === 'manual' || rule.alert.type === 'rule')
      ctx.addIssue({
        code: 'custom',
        path: ['alert', 'type'],
        message: `"${rule.alert.type}" is a proposal type of its own`,
      });
    const metrics = (c: Condition): Metric[] =>
      'all' in c ? c.all.flatMap(metrics) : 'any' in c ? c.any.flatMap(metrics) : 'metric' in c ? [c.metric] : [];
    const read = (path: string[], c: Condition) => {
      const other = metrics(c).find((m) => !ALERT_METRICS.includes(m));
      if (other)
        ctx.addIssue({
          code: 'custom',
          path,
          message: `an alert rule reads the decision step's daily ${ALERT_METRICS.join(', ')}, not ${other}`,
        });
    };
    read(['conditions'], rule.conditions);
    read(['alert', 'high_priority_when'], rule.alert.high_priority_when);
    if (!rule.safety.require_approval)
      ctx.addIssue({
        code: 'custom',
        path: ['safety', 'require_approval'],
        message: "an alert's change is always proposed through approval",
      });
    if (!rule.actions.some((a) => 'adjust_budget' in a || 'pause' in a || 'resume' in a)) {
      ctx.addIssue({
        code: 'custom',
        path: ['actions'],
        message: 'an alert rule needs a Meta action (adjust_budget, pause or resume) to propose',
      });
    }
  });
export type Rule = z.infer<typeof ruleSchema>;
export type RuleInput = z.input<typeof ruleSchema>;
