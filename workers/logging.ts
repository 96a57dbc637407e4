import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

// Kept on the process, not the module: Temporal's Runtime installs once per process, even when this
// module is loaded twice (a test that resets its module cache loads it again).
const INSTALLED = Symbol.for('scaleflow.logger.installed');

/**
 * Installs the process logger once; Temporal's own and scaleflow's lines share one format. With
 * `sdkMetricsAddress` the SDK's runtime metrics are exported for Prometheus on that address.
 */
export function installLogger(level: LogLevel, sdkMetricsAddress?: string): void {
  const marks = globalThis as { [INSTALLED]?: boolean };
  if (marks[INSTALLED]) return;
  marks[INSTALLED] = true;
  Runtime.install({
    ...(sdkMetricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: sdkMetricsAddress } } } } : {}),
    logger: new DefaultLogger(level, ({ level: lvl, message, meta }) => {
      // Each queue has its own worker (workers/worker.ts): one without workflows or activities is by design.
      if (
        message === 'No workflows registered, not polling for workflow tasks' ||
        message === 'No activities registered, not polling for activity tasks'
      )
        return;
      const extra = meta && Object.keys(meta).length ? ` ${JSON.stringify(meta)}` : '';
      process.stderr.write(`${new Date().toISOString()} ${lvl.padEnd(5)} ${message}${extra}\n`);
    }),
  });
}

export const log = {
  info: (message: string) => Runtime.instance().logger.info(message),
  warn: (message: string) => Runtime.instance().logger.warn(message),
  error: (message: string) => Runtime.instance().logger.error(message),
};
