import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, configSchema, parseConfig } from '../../lib/config';
import { spawnWorker } from '../support/processes';

describe('configuration from the environment', () => {
  it('has a default for every variable', () => {
    const config = parseConfig({});
    expect(config.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(config.SCALEFLOW_DB).toBe('data/scaleflow.duckdb');
    expect(config.TZ).toBe('America/New_York');
    expect(config.HTTP_HOST).toBe('127.0.0.1');
    expect(config.DRY_RUN).toBe(false);
  });

  it('reads "false" as false and "true" as true for flags', () => {
    expect(parseConfig({ DRY_RUN: 'false' }).DRY_RUN).toBe(false);
    expect(parseConfig({ DRY_RUN: 'true' }).DRY_RUN).toBe(true);
  });

  it('names each malformed variable and what it expects', () => {
    let error: unknown;
    try {
      parseConfig({ HTTP_PORT: 'eighty', TZ: 'Mars/Olympus', TEMPORAL_ADDRESS: 'localhost' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('HTTP_PORT="eighty"');
    expect(message).toContain('TZ="Mars/Olympus": an IANA time zone');
    expect(message).toContain('TEMPORAL_ADDRESS="localhost": host:port');
  });

  it('lists every variable of the schema in .env.example, and nothing else', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const listed = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(Object.keys(configSchema.shape).sort());
  });

  it('stops the worker process at start with the variable named, before touching anything', async () => {
    const worker = spawnWorker({ SHUTDOWN_GRACE_SECONDS: '-3' });
    expect(await worker.exited).toBe(78);
    expect(worker.output()).toContain('SHUTDOWN_GRACE_SECONDS="-3"');
  });
});
