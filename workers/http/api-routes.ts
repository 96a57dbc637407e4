import { approvalRoutes } from '../approval/routes';
import { codecRoutes } from './codec-routes';
import { HttpError } from './errors';
import { buildRoutes, type RouteDeps } from './routes';
import { healthAnswerSchema } from '../../lib/api/answers';
import { OPENAPI_PATH } from './openapi-route';
import { route, type Route } from './router';

const routeKey = (r: Route) => `${r.method} ${r.path}`;

/**
 * The routes of `scaleflow api`, the process that needs only Temporal: the approval pages (they
 * read the workflow's state and send the decision as an Update, never touching the warehouse) and
 * the codec endpoint. Every other route of the worker keeps its path and its auth (a request
 * without a token is still 401) and answers 503 naming the warehouse worker, which serves them:
 * the API's answers are DuckDB queries, and one process owns the DuckDB file.
 */
export function apiProcessRoutes(deps: RouteDeps): Route[] {
  const served = [...approvalRoutes(deps), ...codecRoutes(deps)];
  const health = route({
    method: 'GET',
    path: '/healthz',
    summary: "scaleflow api's health: Temporal reachable (no warehouse in this process)",
    access: 'public',
    responses: { 200: healthAnswerSchema, 503: healthAnswerSchema },
    async handler() {
      try {
        await deps.temporal.workflowService.getSystemInfo({});
        return {
          json: {
            status: 'ok',
            role: 'api',
            temporal: 'reachable',
            duckdb: 'not in this process (the warehouse worker owns it)',
          },
        };
      } catch (err) {
        return { status: 503, json: { status: 'degraded', role: 'api', temporal: (err as Error).message } };
      }
    },
  });
  const everyRoute = buildRoutes(deps);
  // The document describes the whole API wherever it is asked for.
  const document = everyRoute.find((r) => r.path === OPENAPI_PATH)!;
  served.push(health, document);
  const own = new Set(served.map(routeKey));
  const elsewhere = everyRoute
    .filter((r) => !own.has(routeKey(r)))
    .map((r): Route => ({
      ...r,
      // Nothing of the request is read here: the warehouse worker validates it.
      query: undefined,
      body: undefined,
      params: undefined,
      invalid: undefined,
      handler() {
        throw new HttpError(
          503,
          'warehouse_not_here',
          `${r.path} is answered from the warehouse by the warehouse worker (scaleflow worker --role warehouse, or all), on its own HTTP_PORT; this is scaleflow api, which serves the approval pages without the warehouse`,
          { served_by: 'warehouse' },
        );
      },
    }));
  return [...served, ...elsewhere];
}
