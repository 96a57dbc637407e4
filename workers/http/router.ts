import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import type { Claims, Role, Scope } from '../../lib/auth';
import { badRequest, HttpError } from './errors';

export interface RequestContext {
  req: IncomingMessage;
  url: URL;
  params: Record<string, string>;
  /** Present on routes that require a role. */
  claims?: Claims;
  /** What those claims may read, from the role alone (lib/auth scopeOf); present with claims. */
  scope?: Scope;
  /** Parsed JSON or form body (POST). */
  body?: unknown;
  /** The body as sent (POST), for signatures computed over its exact bytes (Slack's). */
  rawBody?: string;
  /** The client's address: the socket's peer, or the hop before TRUSTED_PROXIES (client-address.ts). */
  clientAddress: string;
  userAgent: string;
}

export interface HttpResponse {
  status?: number;
  json?: unknown;
  html?: string;
  text?: string;
  headers?: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST';
  /** A path with `:name` segments, e.g. `/approve/:token`. */
  path: string;
  /** Roles allowed; `public` routes need no token (approval pages carry their own signed token). */
  access: Role[] | 'public';
  /** The one browser origin allowed to call this route cross-origin (CORS, preflight included); unset: none. */
  cors?: { origin: string };
  handler(ctx: RequestContext): Promise<HttpResponse> | HttpResponse;
  /**
   * The rate limiter's bucket for this request when it is not the client's address (server.ts), or
   * undefined for that default. Approval links count per link, so nobody's garbage can block them.
   */
  rateLimitKey?(request: {
    params: Record<string, string>;
    clientAddress: string;
  }): Promise<string | undefined> | string | undefined;
}

export interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

export function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([a-zA-Z]+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { ...route, pattern: new RegExp(`^${source}$`), names };
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

/** Validates the query string with a zod schema; a bad value is a 400 naming the parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, url: URL): z.infer<S> {
  const result = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!result.success) throw badRequest(result.error, 'query');
  return result.data;
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw badRequest(result.error, 'body');
  return result.data;
}
