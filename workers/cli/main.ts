// scaleflow's command line: a thin switch over lazily imported commands.
import { ConfigError } from '../../lib/config';
import { WarehouseLockedError, WarehouseMissingError } from '../../activities/warehouse/errors';
import { USAGE, UsageError } from './usage';

const [command, ...args] = process.argv.slice(2);

async function dispatch(): Promise<number | void> {
  switch (command) {
    case 'dev':
      return (await import('./commands/dev')).dev(args);
    case 'demo':
      return (await import('./commands/demo')).demo(args);
    case 'run':
      return (await import('./commands/run')).run(args);
    case 'sql':
      return (await import('./commands/sql')).sql(args);
    case 'propose':
      return (await import('./commands/propose')).propose(args);
    case 'audit':
      return (await import('./commands/audit')).audit(args);
    case 'outcomes':
      return (await import('./commands/outcomes')).outcomes(args);
    case 'report':
      return (await import('./commands/report')).report(args);
    case 'token':
      return (await import('./commands/token')).token(args);
    case 'rules':
      return (await import('./commands/rules')).rules(args);
    case 'schedules':
      return (await import('./commands/schedules')).schedules(args);
    case 'backtest':
      return (await import('./commands/backtest')).backtest(args);
    case 'backfill':
      return (await import('./commands/backfill')).backfill(args);
    case 'replay':
      return (await import('./commands/replay')).replay(args);
    case 'ingest':
      return (await import('./commands/ingest')).ingest(args);
    case 'map':
      return (await import('./commands/map')).map(args);
    case 'sample-report':
      return (await import('./commands/sample-report')).sampleReport(args);
    case 'sync-spend':
      return (await import('./commands/sync-spend')).syncSpend(args);
    case 'dashboard':
    case 'launches':
    case 'alerts':
    case 'decisions':
    case 'optimize':
      return (await import('./commands/analytics')).analytics(command, args);
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

try {
  const code = await dispatch();
  if (typeof code === 'number') process.exitCode = code;
} catch (err) {
  if (err instanceof UsageError) {
    console.error(`scaleflow: ${err.message}\n\n${USAGE}`);
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
