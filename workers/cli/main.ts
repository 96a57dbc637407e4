// scaleflow's command line: the process around runCli.
import { runCli } from './run-cli';

const code = await runCli(process.argv.slice(2));
// Only a code that says something: commands that keep servers running (dev, demo) resolve when done.
if (code !== 0) process.exitCode = code;
