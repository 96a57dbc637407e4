import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { createAnalytics, dashboardQuerySchema, launchesQuery, ownerQuerySchema } from '../../../activities/analytics/api';
import { loadThresholds } from '../../../activities/analytics/thresholds-file';
import { Warehouse } from '../../../activities/warehouse/warehouse';
import { WindowError } from '../../../lib/metrics/windows';
import { parseBudgetRequest } from '../../../lib/optimizer';
import { loadConfigOrExit } from '../../config-env';
import { flagsToObject, UsageError } from '../usage';

export type AnalyticsCommand = 'dashboard' | 'launches' | 'alerts' | 'decisions' | 'optimize';

/** kebab-case flags become the API's snake_case query parameters (`--date-range` -> `date_range`). */
function queryFromFlags(args: string[]): { query: Record<string, string>; db?: string; request?: string } {
  const { db, request, ...rest } = flagsToObject(args);
  const query = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
  return { query, db, request };
}

function parseFlags<S extends z.ZodType>(schema: S, query: Record<string, string>): z.infer<S> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = String(issue.path[0] ?? 'arg');
  const allowed = 'values' in issue && Array.isArray(issue.values) ? ` (one of: ${issue.values.join(', ')})` : '';
  throw new UsageError(`--${field.replace(/_/g, '-')}: ${issue.message}${allowed}`);
}

function readRequest(path: string | undefined): unknown {
  if (!path) throw new UsageError('optimize reads the request body from --request FILE (JSON, as POST /api/facebook/optimize/budget takes)');
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
  const { query, db, request } = queryFromFlags(args);
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
      const { held_back: heldBack, ...rest } = query;
      if (heldBack !== undefined && heldBack !== 'true') throw new UsageError('--held-back takes no value');
      const q = parseFlags(ownerQuerySchema, rest);
      return heldBack ? (a) => a.heldBack(q) : (a) => a.alerts(q);
    },
    decisions: () => {
      const q = parseFlags(ownerQuerySchema, query);
      return (a) => a.decisions(q);
    },
    optimize: () => {
      const q = parseFlags(ownerQuerySchema, query);
      const body = parseBudgetRequest(readRequest(request));
      if (!body.ok) throw new UsageError(`--request: field "${body.errors[0]!.field}": ${body.errors[0]!.message}`);
      return (a) => a.optimize(body.request, q);
    },
  };
  const run = plans[command]();
  const warehouse = await Warehouse.open(db ?? config.SCALEFLOW_DB, { readOnly: true });
  try {
    const answer = await run(createAnalytics({ warehouse, config, thresholds: loadThresholds(config.THRESHOLDS_FILE) }));
    console.log(JSON.stringify(answer, null, 2));
  } catch (err) {
    if (err instanceof WindowError) throw new UsageError(`--${err.field}: ${err.message}`);
    throw err;
  } finally {
    warehouse.close();
  }
}
