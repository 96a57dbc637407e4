// The worker process, compiled to dist/worker.js: `scaleflow worker` with its own entry point, so
// `node dist/worker.js --role meta` takes the same options and says the same about bad ones.
import { logUnhandled } from './diagnostics';
import { runCli } from './cli/run-cli';

let code: number;
try {
  code = await runCli(['worker', ...process.argv.slice(2)]);
} catch (err) {
  if (!logUnhandled(err)) throw err;
  code = 1;
}
if (code !== 0) process.exitCode = code;
