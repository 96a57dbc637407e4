import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Config } from '../../lib/config';
import { pullWindow, reportUrl, retryAfterMs } from '../../lib/strategis/window';

export interface PulledReport {
  path: string;
  name: string;
  start: string;
  end: string;
  /** Requests it took (JSON answers are paged by cursor). */
  pages: number;
}

type PullConfig = Pick<
  Config,
  'STRATEGIS_REPORT_URL' | 'STRATEGIS_API_TOKEN' | 'STRATEGIS_WINDOW_DAYS' | 'STRATEGIS_TIMEOUT'
>;

/**
 * Downloads the trailing window of the strateg.is report to a file and returns its path (the load
 * archives and parses it). Failures are for Temporal to retry: timeouts, 5xx and network errors are
 * plain errors; 429 waits its Retry-After; 401/403 and other 4xx are final.
 */
export async function fetchStrategisReport(
  config: PullConfig,
  downloadDir: string,
  asOf: string,
): Promise<PulledReport | null> {
  if (!config.STRATEGIS_REPORT_URL) return null;
  const window = pullWindow(asOf, config.STRATEGIS_WINDOW_DAYS);
  const url = new URL(reportUrl(config.STRATEGIS_REPORT_URL, window));
  const name = `strategis_${window.start}_${window.end}.csv`;
  mkdirSync(downloadDir, { recursive: true });
  const path = join(downloadDir, name);

  const first = await request(config, url);
  if (!first.json) {
    writeFileSync(path, first.body);
    return { path, name, ...window, pages: 1 };
  }
  const rows: Record<string, unknown>[] = [];
  let page = first;
  let pages = 1;
  for (;;) {
    const parsed = parseJsonPage(page.body);
    rows.push(...parsed.data);
    if (!parsed.nextCursor) break;
    const next = new URL(url);
    next.searchParams.set('cursor', parsed.nextCursor);
    page = await request(config, next);
    pages += 1;
  }
  await writeRowsAsCsv(rows, path);
  return { path, name, ...window, pages };
}

async function request(config: PullConfig, url: URL): Promise<{ body: Buffer; json: boolean }> {
  const headers: Record<string, string> = { accept: 'text/csv, application/json' };
  if (config.STRATEGIS_API_TOKEN) headers.authorization = `Bearer ${config.STRATEGIS_API_TOKEN}`;
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(config.STRATEGIS_TIMEOUT) });
  const where = `${url.origin}${url.pathname}`;
  if (response.status === 401 || response.status === 403) {
    throw ApplicationFailure.nonRetryable(
      `strateg.is answered ${response.status} at ${where}: STRATEGIS_API_TOKEN is ${config.STRATEGIS_API_TOKEN ? 'not accepted (expired or revoked?)' : 'not set'}`,
      'StrategisAuthError',
    );
  }
  if (response.status === 429) {
    const delay = retryAfterMs(response.headers.get('retry-after'), Date.now()) ?? 60_000;
    throw ApplicationFailure.create({
      message: `strateg.is rate limit (429) at ${where}; retrying after ${Math.round(delay / 1000)} s`,
      type: 'StrategisRateLimited',
      nextRetryDelay: delay,
    });
  }
  if (response.status >= 500) throw new Error(`strateg.is answered ${response.status} at ${where}`);
  if (!response.ok) {
    throw ApplicationFailure.nonRetryable(
      `strateg.is answered ${response.status} at ${where}: check STRATEGIS_REPORT_URL`,
      'StrategisRequestError',
    );
  }
  const json = (response.headers.get('content-type') ?? '').includes('json');
  return { body: Buffer.from(await response.arrayBuffer()), json };
}

function parseJsonPage(body: Buffer): { data: Record<string, unknown>[]; nextCursor?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw ApplicationFailure.nonRetryable('strateg.is sent JSON that does not parse', 'StrategisRequestError');
  }
  const page = parsed as { data?: unknown; meta?: { next_cursor?: unknown } };
  if (!Array.isArray(page.data)) {
    throw ApplicationFailure.nonRetryable(
      'strateg.is sent JSON without a data array ({meta, data: [rows]})',
      'StrategisRequestError',
    );
  }
  const cursor = page.meta?.next_cursor;
  return {
    data: page.data as Record<string, unknown>[],
    nextCursor: typeof cursor === 'string' && cursor !== '' ? cursor : undefined,
  };
}

/**
 * JSON rows become the CSV the loader reads, written by DuckDB (no hand-made quoting). Types are
 * detected over every row (numbers print exactly as DuckDB read them; money strings stay text).
 */
async function writeRowsAsCsv(rows: Record<string, unknown>[], path: string): Promise<void> {
  if (rows.length === 0) {
    writeFileSync(path, 'date,campaign_id,spend,revenue\n');
    return;
  }
  const jsonl = `${path}.jsonl`;
  writeFileSync(jsonl, rows.map((r) => JSON.stringify(r)).join('\n'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    // The target is our own download path; COPY takes no bound parameter for it.
    await connection.run(
      `COPY (SELECT * FROM read_json_auto($jsonl, format = 'newline_delimited', sample_size = -1))
       TO '${path.replaceAll("'", "''")}' (HEADER, DELIMITER ',')`,
      { jsonl },
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(jsonl, { force: true });
  }
}
