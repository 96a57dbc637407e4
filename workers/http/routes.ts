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
import { parseQuery, type Route } from './router';
import { rulesRoutes } from './rules-routes';
import { slackRoutes } from '../slack/routes';

export interface RouteDeps extends ActivityDeps {
  temporal: Client;
}

/** Every route the worker serves; each feature contributes its own list. */
export function buildRoutes(deps: RouteDeps): Route[] {
  const analytics = createAnalytics({
    warehouse: deps.warehouse,
    config: deps.config,
    thresholds: loadThresholds(deps.config.THRESHOLDS_FILE),
  });
  return [
    ...approvalRoutes(deps),
    ...analyticsRoutes(analytics),
    {
      method: 'GET',
      path: '/api/facebook/outcomes',
      access: ['buyer', 'manager', 'approver'],
      async handler(ctx) {
        const query = parseQuery(outcomesQuerySchema, ctx.url);
        return {
          json: await outcomesReport(deps.warehouse, { ...query, owner: ownerFilter(ctx.scope!, query.owner) }),
        };
      },
    },
    {
      method: 'GET',
      path: '/api/facebook/outcomes/calibration',
      access: ['buyer', 'manager', 'approver'],
      async handler(ctx) {
        const query = parseQuery(calibrationQuerySchema, ctx.url);
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
    },
    ...opsRoutes(deps),
    ...rulesRoutes(deps),
    ...reportRoutes(deps),
    ...codecRoutes(deps),
    ...slackRoutes(deps),
  ];
}
