import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { ForbiddenError, scopeOf } from '../../lib/auth';
import { corsFor, preflight } from './cors';
import { HttpError } from './errors';
import { verifyBearer, type TokenPolicy } from './jwt';
import { logger } from '../../services/observability/logger';
import { metrics } from '../../services/prometheus';
import { clientAddressResolver, type ProxyRange } from './client-address';
import { RateLimiter } from './rate-limit';
import { compile, match, runRoute, type HttpResponse, type Route } from './router';

const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpServerOptions {
  host: string;
  port: number;
  routes: Route[];
  jwtSecret?: string;
  /** JWT_MAX_TTL and JWT_NOT_BEFORE; unset, the defaults (30 days, nothing revoked). */
  tokenPolicy?: TokenPolicy;
  /**
   * Per client address, on /api/, /approve/ and /reports/ (health and metrics stay open to
   * monitors); a route may count in a bucket of its own instead (Route.rateLimitKey).
   */
  rateLimitPerMinute?: number;
  /** TRUSTED_PROXIES: only from these is X-Forwarded-For read. */
  trustedProxies?: readonly ProxyRange[];
  /** Set when tracing is on (services/observability/tracing.ts): a span per request. */
  tracer?: Tracer;
  onError?(err: unknown): void;
}

export interface RunningHttpServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<{ body: unknown; rawBody: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new HttpError(413, 'payload_too_large', `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return { body: undefined, rawBody: text };
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/x-www-form-urlencoded'))
    return { body: Object.fromEntries(new URLSearchParams(text)), rawBody: text };
  try {
    return { body: JSON.parse(text), rawBody: text };
  } catch {
    throw new HttpError(400, 'invalid_json', 'request body is not valid JSON');
  }
}

function send(res: ServerResponse, response: HttpResponse): void {
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...response.headers };
  let payload = '';
  if (response.html !== undefined) {
    headers['content-type'] ??= 'text/html; charset=utf-8';
    payload = response.html;
  } else if (response.text !== undefined) {
    headers['content-type'] ??= 'text/plain; charset=utf-8';
    payload = response.text;
  } else if (response.json !== undefined) {
    headers['content-type'] ??= 'application/json; charset=utf-8';
    payload = JSON.stringify(response.json);
  }
  res.writeHead(response.status ?? 200, headers).end(payload);
}

/** The worker's HTTP server: JSON API, approval pages and health, on one port. */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const routes = options.routes.map(compile);
  const limiter = options.rateLimitPerMinute ? new RateLimiter(options.rateLimitPerMinute) : undefined;
  const clientAddressOf = clientAddressResolver(options.trustedProxies ?? []);
  const tracer = options.tracer;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const span = tracer && trace.getSpan(context.active());
    let routeLabel = 'unmatched';
    let cors: Record<string, string> = {};
    res.once('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      metrics.apiLatency.observe({ route: routeLabel, status: String(res.statusCode) }, seconds);
      // The route's pattern, never the URL: approval links carry their signed token in the path.
      logger().debug(
        {
          method: req.method,
          route: routeLabel,
          status: res.statusCode,
          ms: Math.round(seconds * 1000),
          headers: req.headers,
        },
        'http request',
      );
      span?.updateName(routeLabel === 'unmatched' ? `${req.method}` : routeLabel);
      span?.setAttributes({ 'http.route': routeLabel, 'http.response.status_code': res.statusCode });
    });
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const clientAddress = clientAddressOf(req.socket.remoteAddress, req.headers['x-forwarded-for']);
      const limited = limiter && /^\/(api|approve|reports)\//.test(url.pathname);
      const take = (key: string) => {
        const wait = limiter!.take(key);
        if (wait > 0)
          throw new HttpError(429, 'rate_limited', `too many requests; retry in ${wait} s`, { retry_after: wait });
      };
      const clientKey = `${url.pathname.split('/')[1]}:${clientAddress}`;
      const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
      const preflighted = method === 'OPTIONS' ? preflight(routes, url.pathname, req.headers) : undefined;
      if (preflighted) return send(res, preflighted);
      let found: ReturnType<typeof match>;
      try {
        found = match(routes, method, url.pathname);
      } catch (err) {
        // A path that does not even decode still counts against its sender.
        if (limited) take(clientKey);
        throw err;
      }
      const { route, params, pathMatched } = found;
      cors = corsFor(route, req.headers);
      if (limited) take((await route?.rateLimitKey?.({ params: params ?? {}, clientAddress })) ?? clientKey);
      if (!route) {
        throw pathMatched
          ? new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on ${url.pathname}`)
          : new HttpError(404, 'not_found', `no such endpoint: ${url.pathname}`);
      }
      routeLabel = `${route.method} ${route.path}`;
      let claims;
      if (route.access !== 'public') {
        claims = await verifyBearer(req.headers.authorization, options.jwtSecret, options.tokenPolicy);
        if (!route.access.includes(claims.role)) {
          throw new HttpError(
            403,
            'forbidden',
            `role "${claims.role}" may not call ${route.method} ${route.path}; allowed: ${route.access.join(', ')}`,
          );
        }
      }
      const { body, rawBody } = method === 'POST' ? await readBody(req) : { body: undefined, rawBody: undefined };
      const response = await runRoute(route, {
        req,
        url,
        rawParams: params ?? {},
        claims,
        scope: claims && scopeOf(claims),
        rawBody: body,
        bodyText: rawBody,
        clientAddress,
        userAgent: String(req.headers['user-agent'] ?? ''),
      });
      send(res, { ...response, headers: { ...response.headers, ...cors } });
    } catch (err) {
      if (err instanceof HttpError) {
        // The allowed origin reads its own errors (a 401 says why), so CORS headers go on those too.
        const headers: Record<string, string> = {
          ...cors,
          ...(err.status === 429 ? { 'retry-after': String(err.details.retry_after) } : {}),
        };
        send(res, { status: err.status, headers, json: { error: err.code, message: err.message, ...err.details } });
      } else if (err instanceof ForbiddenError) {
        send(res, { status: 403, json: { error: 'forbidden', message: err.message } });
      } else {
        options.onError?.(err);
        send(res, { status: 500, json: { error: 'internal', message: 'internal error; see the worker log' } });
      }
    }
  };
  const server = createServer((req, res) => {
    if (!tracer) return void handle(req, res);
    // A caller's W3C traceparent makes this request part of its trace; the Temporal client's
    // interceptor carries the active span on into the workflow (an approval's Update, a start).
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(
      `${req.method}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? '' } },
      parent,
    );
    res.once('close', () => {
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    void context.with(trace.setSpan(parent, span), () => handle(req, res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
