import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { loadReport } from '../../services/reports/catalog';
import { fromIpc, rowsOf } from '../../lib/reports/arrow';
import { spawnCli } from '../support/processes';
import { AS_OF, handWarehouse } from './fixtures';

let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(join(inject('scratchDir'), 'cli-report-'));
  db = join(dir, 'warehouse.duckdb');
  (await handWarehouse(db)).close();
});

function scaleflow(args: string[]) {
  return spawnCli(args, {
    ARCHIVE_DIR: join(dir, 'archive'),
    CAMPAIGN_MAP_FILE: join(dir, 'no-map.csv'),
    REPORTS_DIR: join(dir, 'reports'),
    OUTBOX_DIR: join(dir, 'outbox'),
    SMTP_URL: '',
    REPORT_RECIPIENTS: 'ben=ben@example.com,tj=tj@example.com',
    REPORT_TEAM_RECIPIENTS: 'lead@example.com',
  });
}

describe('scaleflow report', () => {
  it('renders the team page and datasets, copies it to --out, and with --send writes every email to the outbox, saying so', async () => {
    const out = join(dir, 'copy', 'team.html');
    const run = scaleflow(['report', '--as-of', AS_OF, '--db', db, '--out', out, '--send']);
    expect(await run.exited, run.output()).toBe(0);
    const page = join(dir, 'reports', AS_OF, 'team.html');
    expect(run.output()).toContain(`page      ${page}`);
    // Every cell of reports/daily runs (adding a cell is adding files, so count them there).
    const cells = (await loadReport()).cells.length;
    expect(run.output()).toContain(`(${cells} Arrow files, ${cells} cells, 5 charts)`);
    expect(run.output()).toContain(
      `SMTP_URL is not set: report emails are written as .eml files to ${join(dir, 'outbox')}, nothing is sent`,
    );
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(page, 'utf8'));
    const emails = readdirSync(join(dir, 'outbox')).filter((f) => f.endsWith('.eml'));
    expect(emails).toHaveLength(3);
    const parsed = await Promise.all(emails.map(async (f) => simpleParser(readFileSync(join(dir, 'outbox', f)))));
    expect(parsed.map((m) => m.subject).sort()).toEqual([
      'Daily report · Team · Sun, Oct 12: margin $59.90 ▼ 28.9%',
      'Daily report · ben · Sun, Oct 12: margin $20.10 ▲ 0.5%',
      'Daily report · tj · Sun, Oct 12: margin $39.80 ▼ 38.1%',
    ]);
  });

  it("renders one owner's report with --owner", async () => {
    const run = scaleflow(['report', '--as-of', AS_OF, '--db', db, '--owner', 'Ben']);
    expect(await run.exited, run.output()).toBe(0);
    expect(readFileSync(join(dir, 'reports', AS_OF, 'owner-ben.html'), 'utf8')).toContain(
      "ben's 2 campaigns made $20.10 margin",
    );
  });

  it('evaluates a day the pipeline never saw before rendering it: the page lists what `scaleflow alerts` prints', async () => {
    // What a newcomer does: sample data, `scaleflow ingest` into a fresh file, then the report. No
    // pipeline ran, so nothing had evaluated 2025-10-13 and no alert was stored for it.
    const fresh = join(dir, 'fresh.duckdb');
    const csv = join(dir, 'sample.csv');
    const sample = scaleflow([
      'sample-report',
      '--start',
      '2025-09-13',
      '--end',
      '2025-10-12',
      '--pulled-on',
      AS_OF,
      '--out',
      csv,
    ]);
    expect(await sample.exited, sample.output()).toBe(0);
    const ingest = scaleflow(['ingest', csv, '--db', fresh, '--as-of', AS_OF]);
    expect(await ingest.exited, ingest.output()).toBe(0);

    const report = scaleflow(['report', '--as-of', AS_OF, '--db', fresh]);
    expect(await report.exited, report.output()).toBe(0);
    const alertsRun = scaleflow(['alerts', '--as-of', AS_OF, '--db', fresh]);
    expect(await alertsRun.exited, alertsRun.output()).toBe(0);

    const answer = JSON.parse(alertsRun.output()) as
      { alerts: { campaign_id: string; type: string }[] } | { campaign_id: string; type: string }[];
    // The API's shape is the PRD's array (issue 15 item 1) or the older { alerts } object: either way the same alerts.
    const printed = (Array.isArray(answer) ? answer : answer.alerts).map((a) => `${a.campaign_id} ${a.type}`).sort();
    expect(printed.length).toBeGreaterThan(0); // the sample has steady winners and losers
    expect(report.output()).toContain(`evaluated ${AS_OF}: 40 campaigns, ${printed.length} alerts`);

    // The page's dataset (the rows the page shows, saved beside it) holds exactly those alerts...
    const dataset = rowsOf(fromIpc(readFileSync(join(dir, 'reports', AS_OF, 'team', '060_alerts.arrow'))));
    expect(dataset.map((r) => `${r.campaign_id} ${r.type}`).sort()).toEqual(printed);
    // ...and the page shows each of them, by name, without claiming there is nothing to approve.
    const html = readFileSync(join(dir, 'reports', AS_OF, 'team.html'), 'utf8');
    const section = html.slice(
      html.indexOf('id="cell-060_alerts"'),
      html.indexOf('</section>', html.indexOf('id="cell-060_alerts"')),
    );
    expect(section).not.toContain('nothing to approve');
    expect(section).not.toContain('Not evaluated');
    expect(printed.length).toBeLessThanOrEqual(15); // the table's limit: every alert is a row
    expect(section.match(/<tbody>[\s\S]*<\/tbody>/)![0].match(/<tr>/g)).toHaveLength(printed.length);
    for (const row of dataset) expect(section).toContain(`<td>${row.campaign_name}</td>`);
  });

  it('refuses an --as-of after today, which would expire every open alert, and a --db that does not exist', async () => {
    const future = scaleflow(['report', '--as-of', '2999-01-01', '--db', db]);
    expect(await future.exited).toBe(2);
    expect(future.output()).toContain('--as-of 2999-01-01 is after today');
    const missing = scaleflow(['report', '--as-of', AS_OF, '--db', join(dir, 'typo.duckdb')]);
    expect(await missing.exited).toBe(1);
    expect(missing.output()).toContain(`There is no warehouse at ${join(dir, 'typo.duckdb')}`);
    expect(existsSync(join(dir, 'typo.duckdb'))).toBe(false);
  });

  it('refuses a malformed date with exit 2', async () => {
    const run = scaleflow(['report', '--as-of', '10/13/2025', '--db', db]);
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain('--as-of takes a date as YYYY-MM-DD');
  });
});
