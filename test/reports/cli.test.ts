import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { loadReport } from '../../activities/reports/catalog';
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
    expect(run.output()).toContain(`SMTP_URL is not set: report emails are written as .eml files to ${join(dir, 'outbox')}, nothing is sent`);
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
    expect(readFileSync(join(dir, 'reports', AS_OF, 'owner-ben.html'), 'utf8')).toContain("ben's 2 campaigns made $20.10 margin");
  });

  it('refuses a malformed date with exit 2', async () => {
    const run = scaleflow(['report', '--as-of', '10/13/2025', '--db', db]);
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain('--as-of takes a date as YYYY-MM-DD');
  });
});
