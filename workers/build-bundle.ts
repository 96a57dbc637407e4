// Bundles the workflow code once, for images and CI: `node --import tsx workers/build-bundle.ts OUT.js [--untraced]`.
// The bundle carries the tracing interceptors: a worker with OTEL_EXPORTER_OTLP_ENDPOINT exports its
// workflow spans, one without drops them (services/observability/tracing.ts, discardWorkflowSpans),
// so one image serves both. The cost when untraced is measured in docs/operations.md.
import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { tracingWorkflowInterceptorsPath } from '../services/observability/tracing';
import { workflowsPath } from '../services/paths';

const [out, flag] = process.argv.slice(2);
if (!out || (flag !== undefined && flag !== '--untraced')) {
  console.error('usage: node --import tsx workers/build-bundle.ts OUT.js [--untraced]');
  process.exit(2);
}
const { code } = await bundleWorkflowCode({
  workflowsPath,
  ...(flag ? {} : { workflowInterceptorModules: [tracingWorkflowInterceptorsPath] }),
});
writeFileSync(out, code);
console.log(`wrote ${out} (${code.length} bytes)`);
