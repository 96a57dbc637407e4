/** A mistake in how the command was called: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `scaleflow <command> [options]

  dev                          start the Temporal dev server (Web UI on :8233) and the worker
  demo [--once]                the whole day on a local dev server with sample data; --once exits after
  run <workflow> [--arg v...]  start a workflow, print its id and Web UI link
  sql "<query>" [--db FILE]    print query rows as JSON (worker stopped)
  schedules apply              create or update every Temporal Schedule (idempotent)
  backfill --from DATE --to DATE
                               dailyPipeline for each past day as a backfill (daily/<date>: loads and
                               decides, proposes and mails nothing); days already run are found, not rerun
  replay FILE [FILE...]        replay saved workflow histories against this code; exit 1 on nondeterminism
  propose --campaign ID --meta-campaign ID --account act_X --owner NAME --from USD --to USD | --pause
                               a manual budget change, through approval like every other
  audit [--campaign ID] [--since DATE] [--verify]   the append-only audit log, one JSON line a row
  outcomes [--start D] [--end D] [--owner NAME]     7-day outcome checks and recommendation accuracy
  report --as-of DATE [--owner NAME] [--out FILE] [--db FILE] [--send]
                               render the daily report page (worker stopped); --send emails it
  rules list|validate|enable ID|disable ID|test ID --as-of DATE [--db FILE]
                               user-defined rules in RULES_DIR: list, check (file:line: field: problem),
                               switch on/off in the file, or show what one would do on the warehouse
  token --role R --sub EMAIL [--owner NAME]   mint a JSON API token (JWT_SECRET)
  ingest FILE [--db FILE] [--as-of DATE]   load a strateg.is report (worker stopped); prints one JSON line
  map list | map set ID [--meta-campaign-id ID] [--owner N] [--category C] [--account-id act_X]
                               the strateg.is -> Meta campaign map (worker stopped)
  sample-report --start D --end D --out FILE [--campaigns N] [--seed N] [--pulled-on D] [--map-out FILE]
                               write a deterministic sample strateg.is report
  sync-spend [--hour H] [--db FILE]   one Meta spend sync into the warehouse (worker stopped)
  dashboard|launches|alerts|decisions --as-of DATE [--db FILE] [--owner NAME] ...
                               the JSON API's answers with the worker stopped; query parameters as
                               kebab-case flags: --date-range 7d --campaign-filter all, --weeks 4,
                               --start/--end for --date-range custom; alerts --held-back: the streaks
                               a decision held back (GET /api/facebook/alerts/held-back)
  optimize --request FILE [--as-of DATE] [--owner NAME]   the budget optimiser on a request body
                               (max_change_pct defaults to MAX_CHANGE_PCT)
  backtest [--days 60] [--campaigns 200] [--seed 7] [--policy scaleflow|streak|none|all]
           [--thresholds FILE] [--out FILE.html]   simulate the policies on a seeded market, JSON + page

Environment: see .env.example. Every command takes --help.`;

/** Turns `--some-flag value` pairs into { someFlag: value }; a bare flag becomes "true". */
export function flagsToObject(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}" (options are --name value)`);
    const [rawName, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const name = rawName.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (inline !== undefined) out[name] = inline;
    else if (args[i + 1] !== undefined && !args[i + 1]!.startsWith('--')) out[name] = args[++i]!;
    else out[name] = 'true';
  }
  return out;
}
