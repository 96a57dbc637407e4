import { z } from 'zod';
import { alertSchema } from '../rules/alerts';
import { anomalyFlagSchema } from '../decisions/anomalies';
import { decisionSchema, recommendationSchema } from '../decisions/decide';
import { budgetResponseSchema } from '../optimizer';
import { campaignFilterSchema } from '../metrics/dashboard';
import { entityTypeSchema, levelSchema } from '../levels';

/**
 * The JSON answers of the API as docs/openapi.json describes them (workers/http routes declare
 * them). Money in dollars, roas in percent, as METRICS.md defines each figure. Rows read straight
 * from SQL (outcome checks, calibration cells, today's entities) name the fields a client keys on
 * and admit the rest, so a column added to a query does not break a generated client.
 */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const money = z.number();
const row = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);

export const errorAnswerSchema = z.looseObject({
  error: z.string(),
  message: z.string(),
  field: z.string().optional(),
  allowed: z.array(z.string()).optional(),
});

export const alertsAnswerSchema = z.array(alertSchema);
export const heldBackAnswerSchema = z.array(alertSchema.extend({ held_back_by: recommendationSchema }));

export const decisionsAnswerSchema = z.object({
  as_of: isoDate,
  owner: z.string(),
  level: levelSchema,
  decisions: z.array(decisionSchema),
  anomalies: z.array(anomalyFlagSchema),
});

const windowDashboardSchema = z.object({
  as_of: isoDate,
  date_range: z.enum(['yesterday', '7d', '30d', 'custom']),
  window: row({ start: isoDate, end: isoDate }),
  owner: z.string(),
  campaign_filter: campaignFilterSchema,
  level: levelSchema,
  summary: z.object({
    total_spend: money,
    total_revenue: money,
    total_margin: money,
    margin_rate: z.number().nullable(),
    active_campaigns: z.number().int(),
    positive_margin_campaigns: z.number().int(),
  }),
  by_owner: z.array(
    z.object({
      owner: z.string(),
      spend: money,
      margin: money,
      top_campaigns: z.array(z.string()),
      scaling_opportunities: z.number().int(),
    }),
  ),
  top_performers: z.array(
    row({
      entity_type: entityTypeSchema,
      entity_id: z.string(),
      campaign_id: z.string(),
      adset_id: z.string().nullable(),
      name: z.string(),
      owner: z.string(),
      spend: money,
      margin: money,
      roas: z.number().nullable(),
      recommendation: z.string(),
    }),
  ),
});

const todayDashboardSchema = z.object({
  as_of: isoDate,
  date_range: z.literal('today'),
  owner: z.string(),
  provisional: z.literal(true),
  note: z.string(),
  totals: z.array(row({ currency: z.string() })),
  alerts: z.array(row({ reason: z.string() })),
  entities: z.array(row({ entity_type: entityTypeSchema, entity_id: z.string(), campaign_id: z.string() })),
});

/** A window's dashboard, or `date_range=today`'s provisional hourly view. */
export const dashboardAnswerSchema = z.union([windowDashboardSchema, todayDashboardSchema]);

export const launchesAnswerSchema = row({
  as_of: isoDate,
  weeks: z.number().int(),
  owner: z.string(),
  level: levelSchema,
  period: z.string(),
  total_launched: z.number().int(),
  mature_launches: z.number().int(),
  successful_launches: z.number().int(),
  break_even_rate: z.number().nullable(),
  avg_time_to_decision: z.string().nullable(),
  by_owner: z.array(
    z.object({
      owner: z.string(),
      launched: z.number().int(),
      successful: z.number().int(),
      avg_roas_72h: z.number().nullable(),
    }),
  ),
  category_performance: z.record(z.string(), row({})),
});

export const optimizeAnswerSchema = budgetResponseSchema.extend({
  as_of: isoDate,
  owner: z.string(),
  level: levelSchema,
});

export const outcomesAnswerSchema = z.object({
  accuracy: z.array(row({})),
  checks: z.array(row({ campaign_id: z.string() })),
});

export const calibrationAnswerSchema = row({
  as_of: isoDate,
  window_days: z.number().int(),
  interval: z.string(),
  min_checks: z.number().int(),
});

export const ruleExecutionsAnswerSchema = z.object({
  rule_id: z.string(),
  executions: z.array(
    z.object({
      evaluation_id: z.string(),
      as_of: z.string(),
      started_at: z.string(),
      duration_ms: z.number(),
      dry_run: z.boolean(),
      checked: z.number(),
      matched: z.number(),
      proposed: z.number(),
      taken: z.number(),
      errors: z.array(z.string()),
      actions: z.array(
        z.object({
          campaign_id: z.string(),
          kind: z.string(),
          entity_type: entityTypeSchema,
          entity_id: z.string(),
          adset_id: z.string().nullable(),
          status: z.string(),
          unattended: z.boolean(),
          workflow_id: z.string().nullable(),
          detail: z.string(),
        }),
      ),
    }),
  ),
});

/** The warehouse worker's health, or `scaleflow api`'s (no warehouse in that process). */
export const healthAnswerSchema = z.union([
  z.object({
    status: z.enum(['ok', 'degraded']),
    duckdb: z.string(),
    temporal: z.string(),
    /** Each source's last load and age, or why they could not be read. */
    sources: z.union([z.record(z.string(), row({})), z.string()]),
  }),
  z.object({
    status: z.enum(['ok', 'degraded']),
    role: z.literal('api'),
    temporal: z.string(),
    duckdb: z.string().optional(),
  }),
]);

export const codecAnswerSchema = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()), data: z.string() })),
});

export const openApiAnswerSchema = row({
  openapi: z.literal('3.1.0'),
  info: row({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), row({})),
});
