import type { Client } from '@temporalio/client';
import type { ActivityDeps } from '../../activities';
import { outcomesQuerySchema, outcomesReport } from '../../services/analytics/outcomes-query';
import { ownerFilter } from '../../lib/auth';
import { dateIn } from '../../lib/dates';
import { resolveThresholds } from '../../lib/decisions';
import { calibrationQuerySchema, calibrationReport } from '../../services/analytics/calibration-query';
import { approvalRoutes } from '../approval/routes';
import { createAnalytics } from '../../services/analytics/api';
import { loadThresholds } from '../../services/decisions/thresholds-file';
import { thresholdsWithOverrides } from '../../services/decisions/owner-thresholds';
import { analyticsRoutes } from './analytics-routes';
import { codecRoutes } from './codec-routes';
import { opsRoutes } from './ops-routes';
import { reportRoutes } from './report-routes';
import { route, type Route } from './router';
import { openApiRoute } from './openapi-route';
import { calibrationAnswerSchema, outcomesAnswerSchema } from '../../lib/api/answers';
import { rulesRoutes } from './rules-routes';
import { slackRoutes } from '../slack/routes';

export interface RouteDeps extends ActivityDeps {
  temporal: Client;
}

/** Every route the worker serves; each feature contributes its own list (how to add one: router.ts, Route). */
export function buildRoutes(deps: RouteDeps): Route[] {
  const routes = featureRoutes(deps);
  return [...routes, openApiRoute(routes)];
}

function featureRoutes(deps: RouteDeps): Route[] {
  const analytics = createAnalytics({
    warehouse: deps.warehouse,
    config: deps.config,
    thresholds: loadThresholds(deps.config.THRESHOLDS_FILE),
  });
  return [
    ...approvalRoutes(deps),
    ...analyticsRoutes(analytics),
    route({
      method: 'GET',
      path: '/api/facebook/outcomes',
      summary: '7-day outcome checks and recommendation accuracy by rule and owner',
      access: ['buyer', 'manager', 'approver'],
      query: outcomesQuerySchema,
      responses: { 200: outcomesAnswerSchema },
      async handler(ctx) {
        const query = ctx.query;
        return {
          json: await outcomesReport(deps.warehouse, { ...query, owner: ownerFilter(ctx.scope!, query.owner) }),
        };
      },
    }),
    route({
      method: 'GET',
      path: '/api/facebook/outcomes/calibration',
      summary: 'Accuracy by rule, owner, ROAS band and step over 90 days, with proposed threshold changes',
      access: ['buyer', 'manager', 'approver'],
      query: calibrationQuerySchema,
      responses: { 200: calibrationAnswerSchema },
      async handler(ctx) {
        const query = ctx.query;
        const q = {
          as_of: query.as_of ?? dateIn(deps.config.TZ, new Date()),
          owner: ownerFilter(ctx.scope!, query.owner),
        };
        return {
          json: await calibrationReport(deps.warehouse, q, {
            minChecks: deps.config.CALIBRATION_MIN_CHECKS,
            thresholds: resolveThresholds(await thresholdsWithOverrides(deps.warehouse, deps.config.THRESHOLDS_FILE)),
          }),
        };
      },
    }),
    ...opsRoutes(deps),
    ...rulesRoutes(deps),
    ...reportRoutes(deps),
    ...codecRoutes(deps),
    ...slackRoutes(deps),
  ];
}
