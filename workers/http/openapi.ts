import { z } from 'zod';
import { errorAnswerSchema } from '../../lib/api/answers';
import { pathNames, type ResponseSpec, type Route } from './router';

/** The document's version: the package's, so a client can tell which API it was generated from. */
const API_VERSION = '0.1.0';

type JsonSchema = Record<string, unknown>;

const REASONS: Record<number, string> = {
  200: 'OK',
  400: 'A bad parameter, named in `field`',
  401: 'No valid bearer token; `reason` says why',
  403: 'Out of role',
  404: 'Not found',
  409: 'Conflict',
  410: 'Gone (expired)',
  429: 'Rate limited; retry after `retry_after` seconds',
  503: 'Unavailable',
};

/** zod -> JSON Schema 2020-12, which OpenAPI 3.1 embeds as it is (minus the dialect line). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** `/approve/:token` -> `/approve/{token}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([a-zA-Z]+)/g, '{$1}');
}

function operationId(route: Route): string {
  const words = route.path
    .replace(/\.html$/, '')
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean);
  return [route.method.toLowerCase(), ...words].join('_');
}

function parameters(schema: z.ZodType | undefined, where: 'query' | 'path') {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input');
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

function response(status: number, spec: ResponseSpec) {
  if (typeof spec === 'string')
    return { description: REASONS[status] ?? String(status), content: { [spec]: { schema: { type: 'string' } } } };
  return {
    description: REASONS[status] ?? String(status),
    content: { 'application/json': { schema: jsonSchema(spec, 'output') } },
  };
}

const errorResponse = (status: number) => ({ $ref: `#/components/responses/Error${status}` });

function operation(route: Route) {
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(route.responses)) responses[status] = response(Number(status), spec);
  const declaresInput = Boolean(route.query || route.body || route.params);
  // The server's own answers: a bad declared input, no or a wrong token, and the rate limit.
  if (declaresInput && !responses[400]) responses[400] = errorResponse(400);
  if (route.access !== 'public') {
    responses[401] ??= errorResponse(401);
    responses[403] ??= errorResponse(403);
  }
  if (/^\/(api|approve|reports)\//.test(route.path)) responses[429] ??= errorResponse(429);
  return {
    operationId: operationId(route),
    summary: route.summary,
    ...(route.access === 'public'
      ? { security: [] }
      : { security: [{ bearer: [] }], description: `Roles: ${route.access.join(', ')}.` }),
    'x-roles': route.access === 'public' ? [] : route.access,
    parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { [route.bodyType ?? 'application/json']: { schema: jsonSchema(route.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

/** The route table as an OpenAPI 3.1 document: the same schemas the router validates with. */
export function openApiDocument(routes: readonly Route[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const undeclared = pathNames(route.path).filter(
      (name) => !parameters(route.params, 'path').some((p) => p.name === name),
    );
    if (undeclared.length)
      throw new Error(`${route.method} ${route.path}: declare params for ${undeclared.join(', ')}`);
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  const error = { 'application/json': { schema: jsonSchema(errorAnswerSchema, 'output') } };
  return {
    openapi: '3.1.0',
    info: {
      title: 'scaleflow',
      version: API_VERSION,
      description:
        'The JSON API, approval pages and report pages of the scaleflow worker. Generated from the route table ' +
        '(workers/http); regenerate with `npm run openapi`.',
    },
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'HS256 with JWT_SECRET; mint one with `npx scaleflow token`. The role is in the token.',
        },
      },
      responses: Object.fromEntries(
        [400, 401, 403, 429].map((status) => [`Error${status}`, { description: REASONS[status], content: error }]),
      ),
    },
  };
}
