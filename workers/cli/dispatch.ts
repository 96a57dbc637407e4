// The commands of `scaleflow`, each loaded only when called: a one-line summary here for the
// overview; options and help live with the command (workers/cli/commands/*.ts).
import type { CommandSpec } from './args';
import { closest } from './closest';
import { UsageError } from './usage';

export interface Command {
  spec: CommandSpec;
  run(args: string[]): Promise<number | void>;
}

interface Entry {
  summary: string;
  load(): Promise<Command>;
}

const analytics = (name: 'dashboard' | 'launches' | 'alerts' | 'decisions' | 'optimize', summary: string): Entry => ({
  summary,
  load: async () => {
    const m = await import('./commands/analytics');
    return { spec: m.analyticsSpecs[name], run: (args) => m.analytics(name, args) };
  },
});

const commands: Record<string, Entry> = {
  dev: {
    summary: 'the Temporal dev server (Web UI on :8233), the worker and the Meta sandbox, until Ctrl-C',
    load: async () => import('./commands/dev').then((m) => ({ spec: m.devSpec, run: m.dev })),
  },
  demo: {
    summary: 'the whole day on a local dev server with sample data',
    load: async () => import('./commands/demo').then((m) => ({ spec: m.demoSpec, run: m.demo })),
  },
  worker: {
    summary: 'a worker process: --role warehouse, meta, io or all (default)',
    load: async () => import('./commands/worker').then((m) => ({ spec: m.workerSpec, run: m.worker })),
  },
  api: {
    summary: 'the approval pages, needing only Temporal (the JSON API answers 503 naming the warehouse worker)',
    load: async () => import('./commands/api').then((m) => ({ spec: m.apiSpec, run: m.api })),
  },
  run: {
    summary: 'start a workflow, print its id and Web UI link',
    load: async () => import('./commands/run').then((m) => ({ spec: m.runSpec, run: m.run })),
  },
  sql: {
    summary: 'print query rows as JSON (worker stopped)',
    load: async () => import('./commands/sql').then((m) => ({ spec: m.sqlSpec, run: m.sql })),
  },
  schedules: {
    summary: 'create or update every Temporal Schedule (idempotent)',
    load: async () => import('./commands/schedules').then((m) => ({ spec: m.schedulesSpec, run: m.schedules })),
  },
  backfill: {
    summary: 'dailyPipeline for each past day as a backfill (loads and decides, proposes and mails nothing)',
    load: async () => import('./commands/backfill').then((m) => ({ spec: m.backfillSpec, run: m.backfill })),
  },
  replay: {
    summary: 'replay saved workflow histories against this code; exit 1 on nondeterminism',
    load: async () => import('./commands/replay').then((m) => ({ spec: m.replaySpec, run: m.replay })),
  },
  propose: {
    summary: 'a manual budget change, through approval like every other',
    load: async () => import('./commands/propose').then((m) => ({ spec: m.proposeSpec, run: m.propose })),
  },
  audit: {
    summary: 'the append-only audit log, one JSON line a row; --verify checks its hash chain',
    load: async () => import('./commands/audit').then((m) => ({ spec: m.auditSpec, run: m.audit })),
  },
  outcomes: {
    summary: '7-day outcome checks and recommendation accuracy',
    load: async () => import('./commands/outcomes').then((m) => ({ spec: m.outcomesSpec, run: m.outcomes })),
  },
  report: {
    summary: 'render the daily report page (worker stopped); --send emails it',
    load: async () => import('./commands/report').then((m) => ({ spec: m.reportSpec, run: m.report })),
  },
  rules: {
    summary: 'user-defined rules in RULES_DIR: list, validate, enable, disable, test',
    load: async () => import('./commands/rules').then((m) => ({ spec: m.rulesSpec, run: m.rules })),
  },
  token: {
    summary: 'mint a JSON API token (JWT_SECRET)',
    load: async () => import('./commands/token').then((m) => ({ spec: m.tokenSpec, run: m.token })),
  },
  ingest: {
    summary: 'load a strateg.is report (worker stopped); prints one JSON line',
    load: async () => import('./commands/ingest').then((m) => ({ spec: m.ingestSpec, run: m.ingest })),
  },
  map: {
    summary: 'the strateg.is -> Meta campaign map (worker stopped)',
    load: async () => import('./commands/map').then((m) => ({ spec: m.mapSpec, run: m.map })),
  },
  'sample-report': {
    summary: 'write a deterministic sample strateg.is report',
    load: async () =>
      import('./commands/sample-report').then((m) => ({ spec: m.sampleReportSpec, run: m.sampleReport })),
  },
  'sync-spend': {
    summary: 'one Meta spend sync into the warehouse (worker stopped)',
    load: async () => import('./commands/sync-spend').then((m) => ({ spec: m.syncSpendSpec, run: m.syncSpend })),
  },
  dashboard: analytics('dashboard', "the JSON API's dashboard, from the warehouse (worker stopped)"),
  launches: analytics('launches', "the JSON API's launches"),
  alerts: analytics('alerts', "the JSON API's scaling alerts"),
  decisions: analytics('decisions', "the JSON API's decisions and anomalies"),
  optimize: analytics('optimize', 'the budget optimiser on a request body'),
  backtest: {
    summary: 'simulate the policies on a seeded market: JSON and a page',
    load: async () => import('./commands/backtest').then((m) => ({ spec: m.backtestSpec, run: m.backtest })),
  },
  market: {
    summary: 'the built-in simulated market as a process speaking the market protocol',
    load: async () => import('./commands/market').then((m) => ({ spec: m.marketSpec, run: m.market })),
  },
};

export const commandNames = Object.keys(commands);

export async function loadCommand(name: string): Promise<Command> {
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    const guess = closest(name, commandNames);
    throw new UsageError(`unknown command "${name}"${guess ? `; did you mean ${guess}?` : ''}`);
  }
  return entry.load();
}

export function overview(): string {
  const width = Math.max(...commandNames.map((n) => n.length));
  const rows = commandNames.map((name) => `  ${name.padEnd(width)}  ${commands[name]!.summary}`);
  return `usage: scaleflow <command> [options]

${rows.join('\n')}

\`scaleflow <command> --help\` (or \`scaleflow help <command>\`) shows a command's options.
Environment: see .env.example.`;
}
