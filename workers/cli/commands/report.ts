import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { evaluateDay } from '../../../services/decisions/evaluate-day';
import { createReportActivities } from '../../../activities/reports';
import { createMailer } from '../../../services/mail/transport';
import { WarehouseMissingError } from '../../../services/warehouse/errors';
import { Warehouse } from '../../../services/warehouse/warehouse';
import { dateIn, isIsoDate } from '../../../lib/dates';
import { planDeliveries } from '../../../lib/reports/recipients';
import { loadConfigOrExit } from '../../config-env';
import { dbOption, defineCommand, parseCommandArgs } from '../args';
import { UsageError } from '../usage';
import { diag } from '../../diagnostics';

export const reportSpec = defineCommand({
  name: 'report',
  options: {
    'as-of': {
      type: 'string',
      value: 'DATE',
      help: 'the day the report is read on; every window ends the day before (default: today in TZ)',
    },
    owner: {
      type: 'string',
      value: 'NAME',
      help: "one owner's report (their campaigns only); default: the team report",
    },
    out: { type: 'string', value: 'FILE', help: 'also copy the page to FILE' },
    db: dbOption,
    send: { type: 'boolean', help: 'email it (below)' },
  },
  about: `Evaluates the day with the pipeline's own code and stores its decisions and alerts (as a backfill
does: nothing is proposed), then renders the daily report from the warehouse, with the worker
stopped (it owns the file while it runs).
Pages and datasets go to REPORTS_DIR/<as-of>/. --send emails the owner's report to their
REPORT_RECIPIENTS, or without --owner the team report to REPORT_TEAM_RECIPIENTS and each owner's
report to theirs. Without SMTP_URL the emails are written as .eml files to OUTBOX_DIR.`,
});

export async function report(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(reportSpec, args);
  const config = loadConfigOrExit();
  const asOf = values['as-of'] ?? dateIn(config.TZ, new Date());
  if (!isIsoDate(asOf)) throw new UsageError('--as-of takes a date as YYYY-MM-DD');
  // Evaluating a day that has not begun would store no decision and expire every open alert.
  const today = dateIn(config.TZ, new Date());
  if (asOf > today) throw new UsageError(`--as-of ${asOf} is after today (${today} in TZ)`);
  const owner = values.owner?.trim().toLowerCase() || undefined;

  // Read-write, to store the day's evaluation; DuckDB would create a missing file, and a mistyped
  // --db must not become an empty warehouse and a report of nothing.
  const path = values.db ?? config.SCALEFLOW_DB;
  if (path !== ':memory:' && !existsSync(path)) throw new WarehouseMissingError(path, undefined);
  // Reports read the warehouse and write pages from Node: DuckDB needs no file but its own.
  const warehouse = await Warehouse.open(path, { files: false });
  const mailer = createMailer(config);
  try {
    // The day is evaluated and stored first, exactly as the pipeline (or a backfill) stores it, so
    // the page shows the alerts `scaleflow alerts` and the API answer; a re-run keeps each alert's
    // status. Nothing is proposed here: proposals belong to the daily pipeline.
    const day = await evaluateDay(warehouse, config, asOf);
    console.log(
      `evaluated ${asOf}: ${day.campaigns} campaigns, ${day.alerts} alerts (stored; no budget change proposed)`,
    );
    const activities = createReportActivities({ config, warehouse, mailer });
    const rendered = await activities.renderReport({ asOf, owner });
    console.log(`page      ${rendered.page}`);
    console.log(
      `datasets  ${rendered.datasetsDir} (${rendered.datasets.length} Arrow files, ${rendered.cells} cells, ${rendered.charts} charts)`,
    );
    if (values.out) {
      mkdirSync(dirname(resolve(values.out)), { recursive: true });
      copyFileSync(rendered.page, values.out);
      console.log(`copied to ${values.out}`);
    }
    if (!values.send) return 0;

    const deliveries = planDeliveries(config.REPORT_RECIPIENTS, config.REPORT_TEAM_RECIPIENTS).filter((d) =>
      owner ? d.owner === owner : true,
    );
    if (deliveries.length === 0) {
      diag.error(
        `scaleflow: no recipients for the ${owner ?? 'team'} report: set REPORT_RECIPIENTS / REPORT_TEAM_RECIPIENTS`,
      );
      return 1;
    }
    // Without SMTP_URL the report activities have already said, at creation, that mail goes to the outbox.
    let failed = 0;
    for (const delivery of deliveries) {
      try {
        const sent = await activities.sendReportEmail({ asOf, ...delivery });
        console.log(
          `sent      ${delivery.owner ?? 'team'} -> ${delivery.to}${sent.outboxFile ? ` (${sent.outboxFile})` : ''}`,
        );
      } catch (err) {
        failed++;
        diag.error(`failed    ${delivery.owner ?? 'team'} -> ${delivery.to}: ${(err as Error).message}`, { err });
      }
    }
    return failed ? 1 : 0;
  } finally {
    mailer.close();
    warehouse.close();
  }
}
