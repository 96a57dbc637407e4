import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ownerFilter } from '../../lib/auth';
import { signApiToken } from '../../workers/http/jwt';
import { route, type Route } from '../../workers/http/router';
import { startHttpServer, type RunningHttpServer } from '../../workers/http/server';

const secret = 'test-secret-test-secret-test-secret!';
const routes: Route[] = [
  route({
    method: 'GET',
    path: '/api/echo',
    summary: 'echo',
    access: ['buyer', 'manager', 'approver'],
    query: z.object({
      date_range: z.enum(['yesterday', '7d', '30d', 'custom']).default('7d'),
      owner: z.string().optional(),
    }),
    responses: { 200: z.object({}) },
    handler: (ctx) => ({ json: { ...ctx.query, owner: ownerFilter(ctx.scope!, ctx.query.owner) } }),
  }),
  route({
    method: 'POST',
    path: '/api/managers-only/:id',
    summary: 'managers only',
    access: ['manager'],
    params: z.object({ id: z.string() }),
    body: z.looseObject({}),
    responses: { 200: z.object({}) },
    handler: (ctx) => ({ json: { id: ctx.params.id, body: ctx.body } }),
  }),
  route({
    method: 'GET',
    path: '/boom',
    summary: 'boom',
    access: 'public',
    responses: {},
    handler: () => {
      throw new Error('secret internals');
    },
  }),
];

describe('the worker HTTP server', () => {
  let http: RunningHttpServer;
  let buyer: string;
  let manager: string;
  const errors: unknown[] = [];
  beforeAll(async () => {
    http = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      routes,
      jwtSecret: secret,
      onError: (e) => errors.push(e),
    });
    buyer = await signApiToken(secret, { sub: 'ben@example.com', role: 'buyer', owner: 'ben' });
    manager = await signApiToken(secret, { sub: 'lead@example.com', role: 'manager' });
  });
  afterAll(() => http.close());

  const get = (path: string, token?: string) =>
    fetch(`${http.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('answers 401 without a token and with a forged one', async () => {
    expect((await get('/api/echo')).status).toBe(401);
    const forged = await signApiToken('another-secret-another-secret-1234', { sub: 'x', role: 'manager' });
    const res = await get('/api/echo', forged);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toBe('token is not valid');
  });

  it('answers 401 for an expired token', async () => {
    const expired = await signApiToken(secret, { sub: 'x', role: 'manager' }, -60_000);
    const res = await get('/api/echo', expired);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toBe('token expired');
  });

  it('names the bad parameter and the allowed values in a 400', async () => {
    const res = await get('/api/echo?date_range=90d', manager);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'invalid_request',
      field: 'date_range',
      allowed: ['yesterday', '7d', '30d', 'custom'],
      message: 'query parameter "date_range" must be one of: yesterday, 7d, 30d, custom',
    });
  });

  it('scopes a buyer to their own owner and refuses another owner with 403', async () => {
    expect(await (await get('/api/echo?owner=all', buyer)).json()).toEqual({ date_range: '7d', owner: 'ben' });
    expect(await (await get('/api/echo?owner=all', manager)).json()).toEqual({ date_range: '7d', owner: 'all' });
    expect((await get('/api/echo?owner=tj', buyer)).status).toBe(403);
  });

  it('refuses a role the route does not allow with 403, and parses JSON bodies for those it does', async () => {
    const post = (token: string) =>
      fetch(`${http.url}/api/managers-only/c1`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{"a":1}',
      });
    expect((await post(buyer)).status).toBe(403);
    expect(await (await post(manager)).json()).toEqual({ id: 'c1', body: { a: 1 } });
  });

  it('answers 404 and 405 as JSON, and hides internal errors behind a 500', async () => {
    expect((await get('/nowhere')).status).toBe(404);
    expect((await fetch(`${http.url}/api/echo`, { method: 'POST' })).status).toBe(405);
    const res = await get('/boom');
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('secret internals');
    expect(errors).toHaveLength(1);
  });
});
