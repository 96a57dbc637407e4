import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import type { Claims, Role, Scope } from '../../lib/auth';
import { badRequest, HttpError, type InputPlace } from './errors';

/** What the server knows of a request before the route's schemas have read it. */
export interface RawContext {
  req: IncomingMessage;
  url: URL;
  /** The path's `:name` segments, decoded but not yet validated. */
  rawParams: Record<string, string>;
  /** Present on routes that require a role. */
  claims?: Claims;
  /** What those claims may read, from the role alone (lib/auth scopeOf); present with claims. */
  scope?: Scope;
  /** Parsed JSON or form body (POST), not yet validated. */
  rawBody?: unknown;
  /** The body as sent (POST), for signatures computed over its exact bytes (Slack's). */
  bodyText?: string;
  /** The client's address: the socket's peer, or the hop before TRUSTED_PROXIES (client-address.ts). */
  clientAddress: string;
  userAgent: string;
}

/** A handler sees only what its route declared, parsed by the declared schemas. */
export interface RequestContext<Q = unknown, B = unknown, P = unknown> extends RawContext {
  query: Q;
  body: B;
  params: P;
}

export interface HttpResponse {
  status?: number;
  json?: unknown;
  html?: string;
  text?: string;
  headers?: Record<string, string>;
}

/** A declared answer: a zod schema for JSON, or the content type of a page or text answer. */
export type ResponseSpec = z.ZodType | 'text/html' | 'text/plain';

/** A query, body or path that failed its schema: the default 400, and zod's issues for a route that words it itself. */
export interface InvalidInput {
  where: InputPlace;
  error: z.ZodError;
  http: HttpError;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * One row of the route table, the one truth for routing, validation, roles and docs/openapi.json.
 *
 * To add an endpoint: declare it with `route({...})` in its feature's *-routes.ts list (reached from
 * buildRoutes in routes.ts), with
 *   - `query`, `body` (and `bodyType` for a form), `params` (required when the path has `:name`):
 *     zod objects; the router parses them before the handler runs (a 400 naming the field) and
 *     the handler receives `ctx.query`, `ctx.body`, `ctx.params` typed from them. Nothing else of the
 *     request reaches it through these fields, so the document cannot miss an input.
 *   - `responses`: every status it answers with its zod schema (JSON) or content type (pages);
 *     401/403/429 and the 400 of a declared input are added to the document by openapi.ts.
 * then run `npm run openapi` and commit docs/openapi.json with its generated client types
 * (test/http/openapi.test.ts fails until you do, and holds real answers to the schemas).
 */
export interface Route<
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  P extends z.ZodType | undefined = z.ZodType | undefined,
> {
  method: 'GET' | 'POST';
  /** A path with `:name` segments, e.g. `/approve/:token`. */
  path: string;
  /** One line for the document. */
  summary: string;
  /** Roles allowed; `public` routes need no token (approval pages carry their own signed token). */
  access: Role[] | 'public';
  /** The one browser origin allowed to call this route cross-origin (CORS, preflight included); unset: none. */
  cors?: { origin: string };
  query?: Q;
  body?: B;
  /** How the body is sent: JSON unless this is a browser form. */
  bodyType?: 'application/json' | 'application/x-www-form-urlencoded';
  params?: P;
  responses: Record<number, ResponseSpec>;
  /** Answers a bad input itself (a page instead of JSON, every field at once); unset: the 400 of `http`. */
  invalid?(problem: InvalidInput, ctx: RawContext): Promise<HttpResponse> | HttpResponse;
  handler(ctx: RequestContext<Out<Q>, Out<B>, Out<P>>): Promise<HttpResponse> | HttpResponse;
  /**
   * The rate limiter's bucket for this request when it is not the client's address (server.ts), or
   * undefined for that default. Approval links count per link, so nobody's garbage can block them.
   */
  rateLimitKey?(request: {
    params: Record<string, string>;
    clientAddress: string;
  }): Promise<string | undefined> | string | undefined;
}

/** Declares a route with its handler typed from its schemas. */
export function route<
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
>(spec: Route<Q, B, P>): Route {
  return spec as Route;
}

export interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

/** The `:name` segments of a route's path. */
export function pathNames(path: string): string[] {
  return [...path.matchAll(/:([a-zA-Z]+)/g)].map((m) => m[1]!);
}

export function compile(route: Route): CompiledRoute {
  const source = route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([a-zA-Z]+)/g, '([^/]+)');
  return { ...route, pattern: new RegExp(`^${source}$`), names: pathNames(route.path) };
}

/** A path segment as its route sees it; broken percent-encoding is the caller's mistake, not a 500. */
function decodeSegment(name: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'invalid_request', `path segment "${name}" is not valid percent-encoding`, {
      field: name,
    });
  }
}

export function match(routes: CompiledRoute[], method: string, pathname: string) {
  let pathMatched = false;
  for (const route of routes) {
    const m = route.pattern.exec(pathname);
    if (!m) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    const params = Object.fromEntries(route.names.map((name, i) => [name, decodeSegment(name, m[i + 1]!)]));
    return { route, params };
  }
  return { route: undefined, pathMatched };
}

class Invalid extends Error {
  constructor(readonly problem: InvalidInput) {
    super(problem.http.message);
  }
}

function parse(schema: z.ZodType | undefined, value: unknown, where: InputPlace): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw new Invalid({ where, error: result.error, http: badRequest(result.error, where) });
  return result.data;
}

/** Validates the route's declared inputs, then runs its handler with the parsed values. */
export async function runRoute(route: Route, ctx: RawContext): Promise<HttpResponse> {
  let parsed: Pick<RequestContext, 'query' | 'body' | 'params'>;
  try {
    parsed = {
      params: parse(route.params, ctx.rawParams, 'path'),
      body: parse(route.body, ctx.rawBody ?? {}, 'body'),
      query: parse(route.query, Object.fromEntries(ctx.url.searchParams), 'query'),
    };
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    if (!route.invalid) throw err.problem.http;
    return route.invalid(err.problem, ctx);
  }
  return route.handler({ ...ctx, ...parsed });
}
