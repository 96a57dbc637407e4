import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { inject } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { parsePayloadKeys, type PayloadKey } from '../../lib/codec/keys';
import { parseConfig, type Config } from '../../lib/config';
import { dataConverter } from '../../workers/data-converter';
import { createMainWorker, type MainWorker } from '../../workers/worker';

/**
 * The payload key of every test (a worker refuses to start without one), fixed so a history a test
 * records with it (test/histories/*-encrypted.json) replays. A test key, never a deployment's.
 */
export const TEST_PAYLOAD_KEYS = `test1:${Buffer.alloc(32, 't').toString('base64')}`;
export const testPayloadKeys = (): PayloadKey[] => (parsePayloadKeys(TEST_PAYLOAD_KEYS) as { keys: PayloadKey[] }).keys;

/** A config pointing at the run's dev server, a task queue of its own and a fresh DuckDB file. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const id = randomUUID().slice(0, 8);
  return parseConfig({
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: `test-${id}`,
    SCALEFLOW_DB: join(inject('scratchDir'), `warehouse-${id}.duckdb`),
    // Nothing a test runs writes into the checkout's data/ folder.
    REPORTS_DIR: join(inject('scratchDir'), `reports-${id}`),
    OUTBOX_DIR: join(inject('scratchDir'), `outbox-${id}`),
    INBOX_DIR: join(inject('scratchDir'), `inbox-${id}`),
    ARCHIVE_DIR: join(inject('scratchDir'), `archive-${id}`),
    SPOOL_DIR: join(inject('scratchDir'), `spool-${id}`),
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    SHUTDOWN_GRACE_SECONDS: '5',
    HTTP_PORT: '0',
    LOG_LEVEL: 'WARN',
    // The worker keys the audit chain with it and will not start without it.
    AUDIT_SECRET: 'test-audit-secret-test-audit-secret-0123',
    PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    ...overrides,
  });
}

/**
 * The environment a worker started as its own process needs to join a test: the run's server,
 * this test's task queue, warehouse and bundle, its scratch folders, one second of shutdown grace
 * (so a SIGTERM really interrupts), quiet logs and a free HTTP port unless `extra` says otherwise.
 */
export function workerProcessEnv(config: Config, extra: Record<string, string> = {}): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE,
    SCALEFLOW_DB: config.SCALEFLOW_DB,
    WORKFLOW_BUNDLE_PATH: config.WORKFLOW_BUNDLE_PATH!,
    REPORTS_DIR: config.REPORTS_DIR,
    OUTBOX_DIR: config.OUTBOX_DIR,
    SPOOL_DIR: config.SPOOL_DIR,
    SHUTDOWN_GRACE_SECONDS: '1',
    LOG_LEVEL: 'WARN',
    HTTP_PORT: '0',
    ...(config.AUDIT_SECRET ? { AUDIT_SECRET: config.AUDIT_SECRET } : {}),
    PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    ...extra,
  };
}

export async function testClient(config: Config): Promise<Client> {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  // The worker's converter: the test reads results and queries as a deployment's client does.
  return new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: dataConverter(config.PAYLOAD_KEYS ?? []),
  });
}

/**
 * A real main worker for several tests of one file (started in beforeAll, stopped in afterAll):
 * each worker costs its own workflow thread and bundle evaluation, most of a second of CPU.
 */
export async function startWorker(
  config: Config,
  options: Parameters<typeof createMainWorker>[1] = {},
): Promise<{ main: MainWorker; stop(): Promise<void> }> {
  const main = await createMainWorker(config, options);
  const running = main.run();
  return {
    main,
    async stop() {
      main.worker.shutdown();
      await running;
    },
  };
}

/** Runs a real main worker for the duration of fn, then drains it and closes its warehouse. */
export async function withWorker<T>(config: Config, fn: (main: MainWorker) => Promise<T>): Promise<T> {
  const worker = await startWorker(config);
  try {
    return await fn(worker.main);
  } finally {
    await worker.stop();
  }
}
