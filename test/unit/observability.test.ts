import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../services/observability/logger';
import { startTracing } from '../../services/observability/tracing';

describe('the logger', () => {
  it('redacts credentials by key, at the top and nested, and keeps the rest', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    });
    createLogger('INFO', sink).info(
      {
        config: { SMTP_URL: 'smtp://u:hunter2@mail', META_ACCESS_TOKEN: 'EAAB-token', TZ: 'UTC' },
        req: { headers: { authorization: 'Bearer abc.def', 'user-agent': 'curl' } },
        password: 'pw-1',
      },
      'hello',
    );
    const line = JSON.parse(out) as Record<string, Record<string, unknown>>;
    expect(line.config).toEqual({ SMTP_URL: '[Redacted]', META_ACCESS_TOKEN: '[Redacted]', TZ: 'UTC' });
    expect(line.req!.headers).toEqual({ authorization: '[Redacted]', 'user-agent': 'curl' });
    expect(line.password).toBe('[Redacted]');
    expect(out).not.toMatch(/hunter2|EAAB-token|abc\.def|pw-1/);
    expect(line.level).toBe('info');
  });

  it('drops lines under LOG_LEVEL', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    });
    const log = createLogger('WARN', sink);
    log.info('not this');
    log.warn('this');
    expect(
      out
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { msg: string }).msg),
    ).toEqual(['this']);
  });
});

describe('tracing', () => {
  it('is nothing at all without OTEL_EXPORTER_OTLP_ENDPOINT: no provider is registered', async () => {
    expect(await startTracing(undefined, 'all')).toBeUndefined();
    // The API's own no-op stands in: a span records nothing and has the all-zero trace id.
    const span = trace.getTracer('probe').startSpan('probe');
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext().traceId).toBe('0'.repeat(32));
  });
});
