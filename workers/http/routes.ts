import type { Client } from '@temporalio/client';
import type { ActivityDeps } from '../../activities';
import { approvalRoutes } from '../approval/routes';
import type { Route } from './router';

export interface RouteDeps extends ActivityDeps {
  temporal: Client;
}

/** Every route the worker serves; each feature contributes its own list. */
export function buildRoutes(deps: RouteDeps): Route[] {
  return [
    ...approvalRoutes(deps),
    {
      method: 'GET',
      path: '/healthz',
      access: 'public',
      async handler() {
        await deps.warehouse.one('SELECT 1 AS ok');
        return { json: { status: 'ok', duckdb: 'open' } };
      },
    },
  ];
}
