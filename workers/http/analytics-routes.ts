import { z } from 'zod';
import { dashboardQuerySchema, launchesQuery, levelQuerySchema, type Analytics } from '../../services/analytics/api';
import { ownerFilter, type Role } from '../../lib/auth';
import { isoDateSchema } from '../../lib/dates';
import { levelSchema } from '../../lib/levels';
import { WindowError } from '../../lib/metrics/windows';
import { budgetFieldErrors, budgetRequestSchema } from '../../lib/optimizer';
import {
  alertsAnswerSchema,
  dashboardAnswerSchema,
  decisionsAnswerSchema,
  heldBackAnswerSchema,
  launchesAnswerSchema,
  optimizeAnswerSchema,
} from '../../lib/api/answers';
import { HttpError } from './errors';
import { route, type InvalidInput, type RawContext, type Route } from './router';

const everyone: Role[] = ['buyer', 'manager', 'approver'];

/** The query's owner filter inside the caller's scope: a buyer's owner=all means their own campaigns. */
function scoped<Q extends { owner: string }>(ctx: RawContext, q: Q): Q {
  return { ...q, owner: ownerFilter(ctx.scope!, q.owner) };
}

function windowErrors<T>(fn: () => Promise<T>): Promise<T> {
  return fn().catch((err) => {
    if (err instanceof WindowError)
      throw new HttpError(400, 'invalid_request', `query parameter "${err.field}": ${err.message}`, {
        field: err.field,
      });
    throw err;
  });
}

const optimizeQuerySchema = z.object({
  as_of: isoDateSchema.optional(),
  owner: z.string().min(1).default('all'),
  level: levelSchema.default('auto'),
});

/** Every problem of a budget request at once, each naming its field (lib/optimizer budgetFieldErrors). */
function budgetBodyError(problem: InvalidInput): never {
  if (problem.where !== 'body') throw problem.http;
  const errors = budgetFieldErrors(problem.error);
  const first = errors[0]!;
  throw new HttpError(400, 'invalid_request', `body field "${first.field}": ${first.message}`, {
    field: first.field,
    errors,
  });
}

/** The PRD's JSON API (METRICS.md), served by the process that owns the warehouse. */
export function analyticsRoutes(analytics: Analytics): Route[] {
  return [
    route({
      method: 'GET',
      path: '/api/facebook/metrics/dashboard',
      summary: 'Totals, owners and top performers over a window, or today so far',
      access: everyone,
      query: dashboardQuerySchema,
      responses: { 200: dashboardAnswerSchema },
      handler: async (ctx) => ({ json: await windowErrors(() => analytics.dashboard(scoped(ctx, ctx.query))) }),
    }),
    route({
      method: 'GET',
      path: '/api/facebook/metrics/launches',
      summary: 'Launches, maturity and break-even rate by owner and category',
      access: everyone,
      query: launchesQuery,
      responses: { 200: launchesAnswerSchema },
      handler: async (ctx) => ({ json: await analytics.launches(scoped(ctx, ctx.query)) }),
    }),
    route({
      method: 'GET',
      path: '/api/facebook/alerts/scaling',
      summary: "Today's alerts, most urgent first (a bare array, as in the PRD)",
      access: everyone,
      query: levelQuerySchema,
      responses: { 200: alertsAnswerSchema },
      handler: async (ctx) => ({ json: await analytics.alerts(scoped(ctx, ctx.query)) }),
    }),
    route({
      method: 'GET',
      path: '/api/facebook/alerts/held-back',
      summary: 'The streaks a decision held back, each with the alert it would have raised',
      access: everyone,
      query: levelQuerySchema,
      responses: { 200: heldBackAnswerSchema },
      handler: async (ctx) => ({ json: await analytics.heldBack(scoped(ctx, ctx.query)) }),
    }),
    route({
      method: 'GET',
      path: '/api/facebook/decisions',
      summary: "Every entity's bucket, trend, recommendation, confidence and reason",
      access: everyone,
      query: levelQuerySchema,
      responses: { 200: decisionsAnswerSchema },
      handler: async (ctx) => ({ json: await analytics.decisions(scoped(ctx, ctx.query)) }),
    }),
    route({
      method: 'POST',
      path: '/api/facebook/optimize/budget',
      summary: 'A budget plan for total_budget under the constraints',
      access: everyone,
      query: optimizeQuerySchema,
      body: budgetRequestSchema,
      responses: { 200: optimizeAnswerSchema },
      invalid: budgetBodyError,
      handler: async (ctx) => ({ json: await analytics.optimize(ctx.body, scoped(ctx, ctx.query)) }),
    }),
  ];
}
