import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { fetchStrategisReport } from '../../services/strategis/fetch';
import { freePort } from '../../scripts/temporal.mjs';
import { scratch } from './support';

/** A real strateg.is stand-in on a loopback port; each test says how it answers. */
let server: Server | undefined;
const requests: { url: string; auth?: string }[] = [];

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  requests.length = 0;
  const port = await freePort();
  server = createServer((req, res) => {
    requests.push({ url: req.url!, auth: req.headers.authorization });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
  return `http://127.0.0.1:${port}/v1/facebook/reports/reconciled?start={start}&end={end}`;
}

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const config = (url: string, extra: Partial<{ STRATEGIS_API_TOKEN: string; STRATEGIS_TIMEOUT: number }> = {}) => ({
  STRATEGIS_REPORT_URL: url,
  STRATEGIS_API_TOKEN: 'secret-token',
  STRATEGIS_WINDOW_DAYS: 7,
  STRATEGIS_TIMEOUT: 5000,
  ...extra,
});

const CSV = 'date,campaign_id,spend,revenue\n2025-10-12,a,1.00,2.00\n';

describe('the strateg.is HTTP pull', () => {
  it('asks for the 7 days ending yesterday with the bearer token and saves the CSV as sent', async () => {
    const url = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/csv' }).end(CSV));
    const pulled = await fetchStrategisReport(config(url), scratch(), '2025-10-13');
    expect(pulled).toMatchObject({
      start: '2025-10-06',
      end: '2025-10-12',
      pages: 1,
      name: 'strategis_2025-10-06_2025-10-12.csv',
    });
    expect(requests).toEqual([
      { url: '/v1/facebook/reports/reconciled?start=2025-10-06&end=2025-10-12', auth: 'Bearer secret-token' },
    ]);
    expect(readFileSync(pulled!.path, 'utf8')).toBe(CSV);
  });

  it('follows meta.next_cursor through JSON pages and writes one CSV', async () => {
    const url = await serve((req, res) => {
      const cursor = new URL(req.url!, 'http://x').searchParams.get('cursor');
      const page =
        cursor === null
          ? {
              meta: { next_cursor: 'p2' },
              data: [{ date: '2025-10-11', strategis_campaign_id: 'a', spend_usd: 10.5, revenue_usd: '$1,200.10' }],
            }
          : {
              meta: { next_cursor: null },
              data: [{ date: '2025-10-12', strategis_campaign_id: 'b, inc', spend_usd: 0.1, revenue_usd: '0.20' }],
            };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(page));
    });
    const pulled = await fetchStrategisReport(config(url), scratch(), '2025-10-13');
    expect(pulled!.pages).toBe(2);
    expect(requests[1]!.url).toContain('cursor=p2');
    expect(readFileSync(pulled!.path, 'utf8').trim().split('\n')).toEqual([
      'date,strategis_campaign_id,spend_usd,revenue_usd',
      '2025-10-11,a,10.5,"$1,200.10"',
      '2025-10-12,"b, inc",0.1,0.20',
    ]);
  });

  it.each([401, 403])('%i fails at once, naming STRATEGIS_API_TOKEN', async (status) => {
    const url = await serve((_req, res) => res.writeHead(status).end('no'));
    const error = await fetchStrategisReport(config(url), scratch(), '2025-10-13').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ nonRetryable: true, type: 'StrategisAuthError' });
    expect((error as Error).message).toContain('STRATEGIS_API_TOKEN');
  });

  it('429 asks Temporal to retry after Retry-After', async () => {
    const url = await serve((_req, res) => res.writeHead(429, { 'retry-after': '17' }).end());
    const error = await fetchStrategisReport(config(url), scratch(), '2025-10-13').catch((e: unknown) => e);
    expect(error).toMatchObject({ nonRetryable: false, type: 'StrategisRateLimited', nextRetryDelay: 17_000 });
  });

  it('5xx and timeouts are plain (retryable) errors; other 4xx are final', async () => {
    let status = 502;
    const url = await serve((_req, res) => {
      if (status === 0) return; // never answers
      res.writeHead(status).end();
    });
    const bad = await fetchStrategisReport(config(url), scratch(), '2025-10-13').catch((e: unknown) => e);
    expect(bad).not.toBeInstanceOf(ApplicationFailure);
    expect((bad as Error).message).toContain('502');
    status = 404;
    expect(await fetchStrategisReport(config(url), scratch(), '2025-10-13').catch((e: unknown) => e)).toMatchObject({
      nonRetryable: true,
      type: 'StrategisRequestError',
    });
    status = 0;
    const slow = await fetchStrategisReport(config(url, { STRATEGIS_TIMEOUT: 300 }), scratch(), '2025-10-13').catch(
      (e: unknown) => e,
    );
    expect(slow).not.toBeInstanceOf(ApplicationFailure);
    expect((slow as Error).name).toMatch(/TimeoutError|AbortError/);
  });

  it('does nothing when STRATEGIS_REPORT_URL is not set', async () => {
    expect(
      await fetchStrategisReport(
        { ...config(''), STRATEGIS_REPORT_URL: undefined },
        join(scratch(), 'x'),
        '2025-10-13',
      ),
    ).toBeNull();
  });
});
