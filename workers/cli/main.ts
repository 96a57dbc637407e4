// scaleflow's command line: the process around runCli.
import { logUnhandled } from '../diagnostics';
import { runCli } from './run-cli';

let code: number;
try {
  code = await runCli(process.argv.slice(2));
} catch (err) {
  // In JSON mode even a crash is one JSON line; in text, Node prints it with its stack as before.
  if (!logUnhandled(err)) throw err;
  code = 1;
}
// Only a code that says something: commands that keep servers running (dev, demo) resolve when done.
if (code !== 0) process.exitCode = code;
