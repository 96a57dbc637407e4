import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from './errors';
import type { CompiledRoute, HttpResponse } from './router';

// What the Temporal Web UI sends to a codec server: its configured Authorization, JSON, and the namespace.
const ALLOWED_HEADERS = 'authorization, content-type, x-namespace';

function allowHeaders(origin: string): Record<string, string> {
  // Credentials: the UI's "include cookies" codec setting makes the browser insist on this.
  return { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' };
}

/**
 * The CORS headers for a request to `route`: only routes that name an origin are readable from a
 * browser, and only by that origin. A foreign Origin is refused outright (403), so a page on another
 * site gets neither the answer nor the work done; no Origin (the CLI, curl) is not a browser.
 */
export function corsFor(route: CompiledRoute | undefined, headers: IncomingHttpHeaders): Record<string, string> {
  if (!route?.cors) return {};
  const origin = headers.origin;
  if (origin === undefined) return {};
  if (origin !== route.cors.origin)
    throw new HttpError(403, 'forbidden_origin', `origin ${origin} may not call ${route.path}`);
  return allowHeaders(origin);
}

/** The answer to a preflight (OPTIONS) for a path whose routes name an origin; undefined for any other path. */
export function preflight(
  routes: CompiledRoute[],
  pathname: string,
  headers: IncomingHttpHeaders,
): HttpResponse | undefined {
  const here = routes.filter((r) => r.cors && r.pattern.test(pathname));
  if (here.length === 0) return undefined;
  const origin = headers.origin;
  if (origin !== here[0]!.cors!.origin) {
    return {
      status: 403,
      json: { error: 'forbidden_origin', message: `origin ${origin ?? '(none)'} may not call ${pathname}` },
    };
  }
  return {
    status: 204,
    headers: {
      ...allowHeaders(origin),
      'access-control-allow-methods': [...new Set(here.map((r) => r.method))].join(', '),
      'access-control-allow-headers': ALLOWED_HEADERS,
      'access-control-max-age': '600',
    },
  };
}
