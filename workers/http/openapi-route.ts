import { openApiAnswerSchema } from '../../lib/api/answers';
import { openApiDocument } from './openapi';
import { route, type Route } from './router';

export const OPENAPI_PATH = '/api/openapi.json';

/** GET /api/openapi.json: the document of `routes` and of itself, built once. */
export function openApiRoute(routes: readonly Route[]): Route {
  let document: ReturnType<typeof openApiDocument> | undefined;
  const self: Route = route({
    method: 'GET',
    path: OPENAPI_PATH,
    summary: 'This document: the API as OpenAPI 3.1, generated from the route table',
    access: 'public',
    responses: { 200: openApiAnswerSchema },
    handler: () => ({ json: (document ??= openApiDocument([...routes, self])) }),
  });
  return self;
}
