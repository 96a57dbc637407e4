// Bundles the workflow code once, for images and CI: `node --import tsx workers/build-bundle.ts OUT.js [--traced]`.
// Untraced by default: the tracing interceptors write trace context into every start and activity
// header of a history as plain JSON, which the payload codec does not encrypt (the production check's
// "no plaintext in an exported history" caught it). `--traced` adds them for a team that exports
// traces; a worker without OTEL_EXPORTER_OTLP_ENDPOINT then drops the spans (discardWorkflowSpans).
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
