import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import {
  createAnalytics,
  dashboardQuerySchema,
  launchesQuery,
  levelQuerySchema,
  ownerQuerySchema,
} from '../../../services/analytics/api';
import { loadThresholds } from '../../../services/decisions/thresholds-file';
import { Warehouse } from '../../../services/warehouse/warehouse';
import { WindowError } from '../../../lib/metrics/windows';
import { levelSchema } from '../../../lib/levels';
import { CurrencyMixError, parseBudgetRequest } from '../../../lib/optimizer';
import { loadConfigOrExit } from '../../config-env';
import { dbOption, defineCommand, parseCommandArgs, type CommandSpec, type OptionSpecs } from '../args';
import { UsageError } from '../usage';

export type AnalyticsCommand = 'dashboard' | 'launches' | 'alerts' | 'decisions' | 'optimize';

const scope = {
  'as-of': {
    type: 'string',
    value: 'DATE',
    help: 'the day asked about; every window ends the day before (default: today in TZ)',
  },
  owner: { type: 'string', value: 'NAME', help: "one owner's campaigns (default: all)" },
  db: dbOption,
} as const satisfies OptionSpecs;

/** Where decisions are made (METRICS.md "Levels"), on the commands that print them. */
const levelOption = {
  level: { type: 'string', value: 'LEVEL', help: 'auto, campaign or adset (default auto: where the budget lives)' },
} as const satisfies OptionSpecs;

const about = (what: string) =>
  `${what}\nThe JSON API's answer, computed from the warehouse with the worker stopped by the code the API runs.`;

/** Each flag is the API's query parameter in kebab-case (`--date-range` is `date_range`). */
export const analyticsSpecs: Record<AnalyticsCommand, CommandSpec> = {
  dashboard: defineCommand({
    name: 'dashboard',
    options: {
      ...scope,
      ...levelOption,
      'date-range': { type: 'string', value: 'RANGE', help: 'yesterday, 7d, 30d or custom (default 7d)' },
      start: { type: 'string', value: 'DATE', help: 'first day, with --date-range custom' },
      end: { type: 'string', value: 'DATE', help: 'last day, with --date-range custom' },
      'campaign-filter': { type: 'string', value: 'FILTER', help: 'all, active, scaling or losers (default all)' },
    },
    about: about('Totals, owners and top performers over a window (GET /api/facebook/metrics/dashboard).'),
  }),
  launches: defineCommand({
    name: 'launches',
    options: {
      ...scope,
      ...levelOption,
      weeks: { type: 'string', value: 'N', help: 'launches of the last 1, 4 or 12 weeks (default 1)' },
    },
    about: about('Launches, maturity and break-even rate by owner and category (GET /api/facebook/metrics/launches).'),
  }),
  alerts: defineCommand({
    name: 'alerts',
    options: {
      ...scope,
      ...levelOption,
      'held-back': { type: 'boolean', help: 'the streaks a decision held back, instead of the alerts' },
    },
    about: about(
      "Today's alerts (every alert rule's) (GET /api/facebook/alerts/scaling); with --held-back, the\nstreaks a decision held back (GET /api/facebook/alerts/held-back).",
    ),
  }),
  decisions: defineCommand({
    name: 'decisions',
    options: { ...scope, ...levelOption },
    about: about(
      "Every campaign's bucket, trend, recommendation, confidence and reason (GET /api/facebook/decisions).",
    ),
  }),
  optimize: defineCommand({
    name: 'optimize',
    options: {
      ...scope,
      level: {
        type: 'string',
        value: 'auto|campaign|adset',
        help: 'where budgets are planned: where each lives (auto, the default), campaigns only, or ad sets only',
      },
      request: {
        type: 'string',
        value: 'FILE',
        help: 'the request body as JSON, as POST /api/facebook/optimize/budget takes',
        required: true,
      },
    },
    about: about(
      'A budget plan for total_budget under constraints (POST /api/facebook/optimize/budget);\nconstraints.max_change_pct defaults to MAX_CHANGE_PCT.',
    ),
  }),
};

/** kebab-case flags become the API's snake_case query parameters (`--date-range` -> `date_range`). */
function queryFromFlags(
  command: AnalyticsCommand,
  args: string[],
): { query: Record<string, string>; db?: string; request?: string; heldBack: boolean } {
  const {
    db,
    request,
    'held-back': heldBack,
    ...rest
  } = parseCommandArgs(analyticsSpecs[command], args).values as Record<string, string | boolean | undefined>;
  const query = Object.fromEntries(
    Object.entries(rest).flatMap(([k, v]) => (typeof v === 'string' ? [[k.replace(/-/g, '_'), v]] : [])),
  );
  return { query, db: db as string | undefined, request: request as string | undefined, heldBack: heldBack === true };
}

function parseFlags<S extends z.ZodType>(schema: S, query: Record<string, string>): z.infer<S> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = String(issue.path[0] ?? 'arg');
  const allowed = 'values' in issue && Array.isArray(issue.values) ? ` (one of: ${issue.values.join(', ')})` : '';
  throw new UsageError(`--${field.replace(/_/g, '-')}: ${issue.message}${allowed}`);
}

function readRequest(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`--request ${path}: ${(err as Error).message}`);
  }
}

/**
 * `scaleflow dashboard|launches|alerts|decisions|optimize --as-of DATE [--db FILE] ...`: the JSON
 * API's answers from the warehouse with the worker stopped, through the same code the API runs.
 */
export async function analytics(command: AnalyticsCommand, args: string[]): Promise<void> {
  const { query, db, request, heldBack } = queryFromFlags(command, args);
  const config = loadConfigOrExit();
  // Parse every flag before opening the file, so a typo never waits on (or locks) the warehouse.
  type Analytics = ReturnType<typeof createAnalytics>;
  const plans: Record<AnalyticsCommand, () => (a: Analytics) => Promise<unknown>> = {
    dashboard: () => {
      const q = parseFlags(dashboardQuerySchema, query);
      return (a) => a.dashboard(q);
    },
    launches: () => {
      const q = parseFlags(launchesQuery, query);
      return (a) => a.launches(q);
    },
    alerts: () => {
      const q = parseFlags(levelQuerySchema, query);
      return heldBack ? (a) => a.heldBack(q) : (a) => a.alerts(q);
    },
    decisions: () => {
      const q = parseFlags(levelQuerySchema, query);
      return (a) => a.decisions(q);
    },
    optimize: () => {
      const q = parseFlags(ownerQuerySchema.extend({ level: levelSchema.default('auto') }), query);
      const body = parseBudgetRequest(readRequest(request!));
      if (!body.ok) throw new UsageError(`--request: field "${body.errors[0]!.field}": ${body.errors[0]!.message}`);
      return (a) => a.optimize(body.request, q);
    },
  };
  const run = plans[command]();
  const warehouse = await Warehouse.open(db ?? config.SCALEFLOW_DB, { readOnly: true });
  try {
    const answer = await run(
      createAnalytics({ warehouse, config, thresholds: loadThresholds(config.THRESHOLDS_FILE), store: false }),
    );
    console.log(JSON.stringify(answer, null, 2));
  } catch (err) {
    if (err instanceof WindowError) throw new UsageError(`--${err.field}: ${err.message}`);
    if (err instanceof CurrencyMixError) throw new UsageError(`--request: field "currency": ${err.message}`);
    throw err;
  } finally {
    warehouse.close();
  }
}
