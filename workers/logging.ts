import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { installProcessLogger, logger } from '../services/observability/logger';

// Kept on the process, not the module: Temporal's Runtime installs once per process, even when this
// module is loaded twice (a test that resets its module cache loads it again).
const INSTALLED = Symbol.for('scaleflow.logger.installed');

const PINO_METHOD = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * Installs the process logger once, and routes Temporal's own lines into it: the SDK's workflow and
 * activity loggers put workflowId, runId, activityType and attempt in `meta`, which become fields of
 * the JSON line. With `sdkMetricsAddress` the SDK's runtime metrics are exported for Prometheus.
 */
export function installLogger(level: LogLevel, sdkMetricsAddress?: string): void {
  const marks = globalThis as { [INSTALLED]?: boolean };
  if (marks[INSTALLED]) return;
  marks[INSTALLED] = true;
  const pinoLogger = installProcessLogger(level);
  Runtime.install({
    ...(sdkMetricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: sdkMetricsAddress } } } } : {}),
    logger: new DefaultLogger(level, ({ level: lvl, message, meta }) => {
      // Each queue has its own worker (workers/worker.ts): one without workflows or activities is by design.
      if (
        message === 'No workflows registered, not polling for workflow tasks' ||
        message === 'No activities registered, not polling for activity tasks'
      )
        return;
      pinoLogger[PINO_METHOD[lvl]](meta ?? {}, message);
    }),
  });
}

/** scaleflow's own lines, on the same logger as Temporal's (a `fields` object becomes JSON fields). */
export const log = {
  info: (message: string, fields: object = {}) => logger().info(fields, message),
  warn: (message: string, fields: object = {}) => logger().warn(fields, message),
  error: (message: string, fields: object = {}) => logger().error(fields, message),
};
