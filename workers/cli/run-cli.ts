// scaleflow's command line as a function of its arguments, so the same dispatch runs in the process
// (bin/main.ts) and in tests that check every command without a node start each.
import { ConfigError, logFormatSchema, type LogFormat } from '../../lib/config';
import { stopTracing } from '../../services/observability/tracing';
import { WarehouseLockedError, WarehouseMissingError } from '../../services/warehouse/errors';
import { diag, logFormatFromEnv, setLogFormat } from '../diagnostics';
import { helpText, synopsis } from './args';
import { loadCommand, overview, type Command } from './dispatch';
import { HelpRequest, UsageError } from './usage';

/**
 * Takes the global `--log-format FORMAT` (or `=FORMAT`) out of the arguments, wherever it is before a
 * `--`, so a command's own parser never sees it. `false` as the format: the value was bad.
 */
function takeLogFormat(argv: string[]): { format: LogFormat | false | undefined; rest: string[] } {
  const rest: string[] = [];
  let format: LogFormat | false | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg !== '--log-format' && !arg.startsWith('--log-format=')) {
      rest.push(arg);
      continue;
    }
    const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
    format = logFormatSchema.safeParse(value).data ?? false;
  }
  return { format, rest };
}

/** Runs one command line; resolves to its exit code. Errors that are not the caller's throw. */
export async function runCli(argv: string[]): Promise<number> {
  const { format, rest } = takeLogFormat(argv);
  const fromEnv = logFormatFromEnv();
  setLogFormat(format || fromEnv || 'text');
  if (format === false) {
    diag.error('scaleflow: --log-format: text or json');
    return 2;
  }
  if (format === undefined && fromEnv === undefined) {
    diag.error(`scaleflow: LOG_FORMAT=${JSON.stringify(process.env.LOG_FORMAT)}: text or json`);
    return 78;
  }
  try {
    return await dispatch(rest);
  } finally {
    // A command's client spans (OTEL_EXPORTER_OTLP_ENDPOINT) leave before the process does.
    await stopTracing();
  }
}

async function dispatch(argv: string[]): Promise<number> {
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
      diag.error(`scaleflow${command ? ` ${command.spec.name}` : ''}: ${err.message}\n\n${hint}`, {
        usage: err.message,
      });
      return 2;
    }
    if (err instanceof ConfigError) {
      diag.error(`scaleflow: ${err.message}`, { problems: err.problems });
      return 78;
    }
    if (err instanceof WarehouseLockedError || err instanceof WarehouseMissingError) {
      diag.error(`scaleflow: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
