import { z } from 'zod';
import { dashboardQuerySchema, launchesQuery, levelQuerySchema, type Analytics } from '../../services/analytics/api';
import { ownerFilter, type Role } from '../../lib/auth';
import { isoDateSchema } from '../../lib/dates';
import { levelSchema } from '../../lib/levels';
import { WindowError } from '../../lib/metrics/windows';
import { parseBudgetRequest } from '../../lib/optimizer';
import { HttpError } from './errors';
import { parseQuery, type RequestContext, type Route } from './router';

const everyone: Role[] = ['buyer', 'manager', 'approver'];

/** The query's owner filter inside the caller's scope: a buyer's owner=all means their own campaigns. */
function scoped<Q extends { owner: string }>(ctx: RequestContext, q: Q): Q {
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

/** The PRD's JSON API (METRICS.md), served by the process that owns the warehouse. */
export function analyticsRoutes(analytics: Analytics): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/facebook/metrics/dashboard',
      access: everyone,
      handler: async (ctx) => ({
        json: await windowErrors(() => analytics.dashboard(scoped(ctx, parseQuery(dashboardQuerySchema, ctx.url)))),
      }),
    },
    {
      method: 'GET',
      path: '/api/facebook/metrics/launches',
      access: everyone,
      handler: async (ctx) => ({ json: await analytics.launches(scoped(ctx, parseQuery(launchesQuery, ctx.url))) }),
    },
    {
      method: 'GET',
      path: '/api/facebook/alerts/scaling',
      access: everyone,
      handler: async (ctx) => ({ json: await analytics.alerts(scoped(ctx, parseQuery(levelQuerySchema, ctx.url))) }),
    },
    {
      method: 'GET',
      path: '/api/facebook/alerts/held-back',
      access: everyone,
      handler: async (ctx) => ({ json: await analytics.heldBack(scoped(ctx, parseQuery(levelQuerySchema, ctx.url))) }),
    },
    {
      method: 'GET',
      path: '/api/facebook/decisions',
      access: everyone,
      handler: async (ctx) => ({ json: await analytics.decisions(scoped(ctx, parseQuery(levelQuerySchema, ctx.url))) }),
    },
    {
      method: 'POST',
      path: '/api/facebook/optimize/budget',
      access: everyone,
      async handler(ctx) {
        const parsed = parseBudgetRequest(ctx.body);
        if (!parsed.ok) {
          const first = parsed.errors[0]!;
          throw new HttpError(400, 'invalid_request', `body field "${first.field}": ${first.message}`, {
            field: first.field,
            errors: parsed.errors,
          });
        }
        const q = scoped(
          ctx,
          parseQuery(
            z.object({
              as_of: isoDateSchema.optional(),
              owner: z.string().min(1).default('all'),
              level: levelSchema.default('auto'),
            }),
            ctx.url,
          ),
        );
        return { json: await analytics.optimize(parsed.request, q) };
      },
    },
  ];
}
