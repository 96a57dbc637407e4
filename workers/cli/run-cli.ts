// scaleflow's command line as a function of its arguments, so the same dispatch runs in the process
// (bin/main.ts) and in tests that check every command without a node start each.
import { ConfigError } from '../../lib/config';
import { WarehouseLockedError, WarehouseMissingError } from '../../services/warehouse/errors';
import { helpText, synopsis } from './args';
import { loadCommand, overview, type Command } from './dispatch';
import { HelpRequest, UsageError } from './usage';

/** Runs one command line; resolves to its exit code. Errors that are not the caller's throw. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  let command: Command | undefined;
  try {
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
    const code = await command.run(args);
    return typeof code === 'number' ? code : 0;
  } catch (err) {
    if (err instanceof HelpRequest) {
      console.log(err.text);
      return 0;
    }
    if (err instanceof UsageError) {
      // A command's own synopsis says more than the list of every command.
      const hint = command
        ? `${synopsis(command.spec)}\n(scaleflow ${command.spec.name} --help for the options)`
        : overview();
      console.error(`scaleflow${command ? ` ${command.spec.name}` : ''}: ${err.message}\n\n${hint}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      console.error(`scaleflow: ${err.message}`);
      return 78;
    }
    if (err instanceof WarehouseLockedError || err instanceof WarehouseMissingError) {
      console.error(`scaleflow: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
