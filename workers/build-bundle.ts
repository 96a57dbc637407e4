// Bundles the workflow code once, for images and CI: `node --import tsx workers/build-bundle.ts OUT.js`.
import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../services/paths';

const out = process.argv[2];
if (!out) {
  console.error('usage: node --import tsx workers/build-bundle.ts OUT.js');
  process.exit(2);
}
const { code } = await bundleWorkflowCode({ workflowsPath });
writeFileSync(out, code);
console.log(`wrote ${out} (${code.length} bytes)`);
