// Bundles the workflow code once, for images and CI: `node --import tsx workers/build-bundle.ts OUT.js [--traced]`.
// --traced bundles the tracing interceptors too, for workers run with OTEL_EXPORTER_OTLP_ENDPOINT.
import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { tracingWorkflowInterceptorsPath } from '../services/observability/tracing';
import { workflowsPath } from '../services/paths';

const [out, flag] = process.argv.slice(2);
if (!out || (flag !== undefined && flag !== '--traced')) {
  console.error('usage: node --import tsx workers/build-bundle.ts OUT.js [--traced]');
  process.exit(2);
}
const { code } = await bundleWorkflowCode({
  workflowsPath,
  ...(flag ? { workflowInterceptorModules: [tracingWorkflowInterceptorsPath] } : {}),
});
writeFileSync(out, code);
console.log(`wrote ${out} (${code.length} bytes)`);
