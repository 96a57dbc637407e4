import type { ActivityDeps } from '../../activities';
import type { Route } from './router';

/** Every route the worker serves; each feature contributes its own list. */
export function buildRoutes(deps: ActivityDeps): Route[] {
  return [
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
