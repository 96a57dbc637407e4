// scaleflow's command line: a thin switch over lazily imported commands.
import { ConfigError } from '../../lib/config';
import { WarehouseLockedError, WarehouseMissingError } from '../../activities/warehouse/errors';
import { helpText, synopsis } from './args';
import { loadCommand, overview, type Command } from './dispatch';
import { HelpRequest, UsageError } from './usage';

const [name, ...args] = process.argv.slice(2);
let command: Command | undefined;

async function dispatch(): Promise<number | void> {
  if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && args.length === 0)) {
    console.log(overview());
    return 0;
  }
  if (name === 'help') {
    if (args.length > 1) throw new UsageError('help takes one command name, e.g. scaleflow help report');
    console.log(helpText((await loadCommand(args[0]!)).spec));
    return 0;
  }
  command = await loadCommand(name);
  return command.run(args);
}

try {
  const code = await dispatch();
  if (typeof code === 'number') process.exitCode = code;
} catch (err) {
  if (err instanceof HelpRequest) {
    console.log(err.text);
    process.exitCode = 0;
  } else if (err instanceof UsageError) {
    // A command's own synopsis says more than the list of every command.
    const hint = command ? `${synopsis(command.spec)}\n(scaleflow ${command.spec.name} --help for the options)` : overview();
    console.error(`scaleflow${command ? ` ${command.spec.name}` : ''}: ${err.message}\n\n${hint}`);
    process.exitCode = 2;
  } else if (err instanceof ConfigError) {
    console.error(`scaleflow: ${err.message}`);
    process.exitCode = 78;
  } else if (err instanceof WarehouseLockedError || err instanceof WarehouseMissingError) {
    console.error(`scaleflow: ${err.message}`);
    process.exitCode = 1;
  } else {
    throw err;
  }
}
