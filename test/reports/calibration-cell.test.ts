import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appendAuditRow, type AuditEvent } from '../../activities/approvals/audit';
import { createReportEmailActivities } from '../../activities/reports/report-email';
import { wilson95 } from '../../lib/calibration';
import { resolveThresholds } from '../../lib/decisions';
import type { ReportView } from '../../lib/reports/render';
import { calibrationReport } from '../../services/analytics/calibration-query';
import { createMailer } from '../../services/mail/transport';
import { renderReportFiles } from '../../services/reports/engine';
import { Warehouse } from '../../services/warehouse/warehouse';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { testConfig } from '../support/temporal';

// Issue 20 item 4: the calibration cells (098, 099) on a seeded 90 days, as_of 2025-10-13.
// The window is change days (2025-07-15, 2025-10-13] (as_of - 90 = 07-15, excluded, as the API's).
//
// ben, rule scale_up: 25 checks, baseline week 700.00 spent / 840.00 earned (ROAS 120%: band 100-130),
// each written as a budget 100.00 -> 120.00 (+20%: step "raise 10-25%"), 8 of them right:
//   accuracy 8 / 25 = 32.0%.
//   Wilson 95%, z = 1.959964, z^2 = 3.841459, n = 25, p = 0.32:
//   denom = 1 + 3.841459 / 25 = 1.153658; centre = (0.32 + 3.841459 / 50) / denom = 0.396829 / 1.153658 = 0.343975
//   half = (1.959964 / 1.153658) * sqrt(0.32 * 0.68 / 25 + 3.841459 / 2500) = 1.698912 * sqrt(0.010241)
//        = 1.698912 * 0.101196 = 0.171923
//   low = 0.343975 - 0.171923 = 0.172 (17.2%), high = 0.343975 + 0.171923 = 0.516 (51.6%):
//   25 >= 20 checks and 51.6% < 80%: clearly wrong.
// ben also has one check on 07-15 (outside the window, wrong): not counted; and 2 cut_loss pauses
//   from band 100-130, 1 right: 50.0%; Wilson denom = 1 + 3.841459 / 2 = 2.920730, centre
//   (0.5 + 0.960365) / 2.920730 = 0.5, half (1.959964 / 2.920730) * sqrt(0.125 + 0.240091) = 0.671052 *
//   0.604228 = 0.405468: 0.095 - 0.905 (9.5% - 90.5%); 2 < 20 checks: not judged.
// zed, rule scale_up: 20 checks from band >=130 (700.00 / 1000.00, 142.9%), each 100.00 -> 140.00
//   (+40%: "raise 25-50%"), 2 right: 10.0%; Wilson denom = 1 + 3.841459 / 20 = 1.192073, centre
//   (0.1 + 0.096036) / 1.192073 = 0.164452, half (1.959964 / 1.192073) * sqrt(0.0045 + 0.002401)
//   = 1.644168 * 0.083072 = 0.136584: 0.028 - 0.301 (2.8% - 30.1%); 20 >= 20 checks: clearly wrong.
//   zed's report has that one row, which the table shows as label/value pairs: highlighted too.
// tj, rule cut_loss: 3 checks, baseline 700.00 / 350.00 (ROAS 50%: band <80), each a pause, 2 right:
//   66.7%; Wilson centre (0.6667 + 0.6403) / 2.2805 = 0.5731, half 0.8594 * sqrt(0.0741 + 0.1067) = 0.3655:
//   20.8% - 93.9%; 3 < 20 checks: not judged.
const AS_OF = '2025-10-13';
const LEAD = 'lead@example.com';
let warehouse: Warehouse;
let reportsDir: string;
let smtp: SmtpCapture;
let team: ReportView;
let ben: ReportView;
const chain = { key: 'k'.repeat(64), headFile: null };

async function check(
  wf: string,
  owner: string,
  rule: string,
  day: string,
  right: boolean,
  revenue: number,
  action: object,
) {
  await warehouse.run(
    `INSERT INTO outcome_checks (workflow_id, campaign_id, owner, change_type, rule, change_date, baseline_spend,
       baseline_revenue, baseline_margin, outcome_spend, outcome_revenue, outcome_margin, delta_margin,
       delta_revenue, is_improving, was_right)
     VALUES ($1, 'c-' || $1, $2, $3, $3, $4::DATE, 700, $5, $5 - 700, 0, 0, 0, 0, 0, $6, $6)`,
    [wf, owner, rule, day, revenue, right],
  );
  await audit({ event: 'written', workflowId: wf, runId: 'r', campaignId: `c-${wf}`, owner, details: { action } }, day);
}

function audit(e: AuditEvent, day: string) {
  return appendAuditRow(warehouse, chain, e, Date.parse(`${day}T12:00:00Z`));
}

/** The audit rows workflows/threshold-change.ts writes, up to the state given. */
async function thresholdRun(owner: string, day: string, band: string, end: 'awaiting' | 'reject' | 'written') {
  const workflowId = `threshold-change/${owner}/${day}/${band === '<80' ? 'lt80' : band}`;
  const base = { workflowId, runId: 'r', campaignId: '', owner };
  const because = { roas_band: band, checked: 22, right: 5, high: 0.43 };
  const proposal = { owner, field: 'scale_roas', from: 130, to: 140, because, date: day };
  await audit({ ...base, event: 'threshold_proposed', details: { proposal } }, day);
  await audit({ ...base, event: 'approval_requested', details: { approvers: [LEAD] } }, day);
  if (end === 'awaiting') return;
  const actor = { who: LEAD };
  await audit(
    { ...base, event: 'decided', actor, details: { decision: end === 'reject' ? 'reject' : 'approve' } },
    day,
  );
  if (end === 'written')
    await audit(
      { ...base, event: 'threshold_written', actor, details: { field: 'scale_roas', before: 130, after: 140 } },
      day,
    );
}

beforeAll(async () => {
  reportsDir = mkdtempSync(join(inject('scratchDir'), 'calibration-cell-'));
  warehouse = await Warehouse.open(join(inject('scratchDir'), `calibration-cell-${process.pid}.duckdb`));
  const raise = { kind: 'set_daily_budget', fromCents: 10000, toCents: 12000 };
  for (let i = 0; i < 25; i++) {
    const day = `2025-09-${String(1 + i).padStart(2, '0')}`;
    await check(`ben-${i}`, 'ben', 'scale_up', day, i < 8, 840, raise);
  }
  await check('ben-old', 'ben', 'scale_up', '2025-07-15', false, 840, raise);
  for (let i = 0; i < 2; i++)
    await check(`ben-cut-${i}`, 'ben', 'cut_loss', `2025-10-0${4 + i}`, i < 1, 840, { kind: 'pause' });
  const big = { kind: 'set_daily_budget', fromCents: 10000, toCents: 14000 };
  for (let i = 0; i < 20; i++)
    await check(`zed-${i}`, 'zed', 'scale_up', `2025-08-${String(1 + i).padStart(2, '0')}`, i < 2, 1000, big);
  for (let i = 0; i < 3; i++)
    await check(`tj-${i}`, 'tj', 'cut_loss', `2025-10-0${1 + i}`, i < 2, 350, { kind: 'pause' });
  // ben's proposal of today, awaiting approval; tj's rejected in September; ann's approved and
  // written; ann's of June is older than the 90 days.
  await thresholdRun('ben', AS_OF, '100-130', 'awaiting');
  await thresholdRun('tj', '2025-09-20', '<80', 'reject');
  await thresholdRun('ann', '2025-10-01', '80-100', 'written');
  await thresholdRun('ann', '2025-06-01', '80-100', 'written');
  team = (await renderReportFiles({ warehouse, reportsDir, asOf: AS_OF })).view;
  ben = (await renderReportFiles({ warehouse, reportsDir, asOf: AS_OF, owner: 'ben' })).view;
  smtp = await startSmtpCapture();
}, 60_000);
afterAll(async () => {
  warehouse?.close();
  await smtp?.close();
});

const rowsOf = (section: Element) =>
  [...section.querySelectorAll('tbody tr')].map((tr) => ({
    flagged: tr.classList.contains('flagged'),
    cells: [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()),
  }));
const BEN_ROW = ['scale_up', '100-130', 'raise 10-25%', '25', '8', '32.0%', '17.2% - 51.6%', 'clearly wrong'];
const BEN_CUT = ['cut_loss', '100-130', 'pause', '2', '1', '50.0%', '9.5% - 90.5%', 'fewer than 20 checks'];
const ZED_ROW = ['scale_up', '>=130', 'raise 25-50%', '20', '2', '10.0%', '2.8% - 30.1%', 'clearly wrong'];
const TJ_ROW = ['cut_loss', '<80', 'pause', '3', '2', '66.7%', '20.8% - 93.9%', 'fewer than 20 checks'];

describe('the calibration cell', () => {
  it('shows each owner and all owners by rule, band and step, the clearly wrong band highlighted', () => {
    const doc = new JSDOM(readFileSync(join(reportsDir, AS_OF, 'team.html'), 'utf8')).window.document;
    expect(rowsOf(doc.querySelector('#cell-098_calibration')!)).toEqual([
      { flagged: true, cells: ['all owners', ...BEN_ROW] },
      { flagged: true, cells: ['all owners', ...ZED_ROW] },
      { flagged: false, cells: ['all owners', ...BEN_CUT] },
      { flagged: false, cells: ['all owners', ...TJ_ROW] },
      { flagged: true, cells: ['ben', ...BEN_ROW] },
      { flagged: false, cells: ['ben', ...BEN_CUT] },
      { flagged: false, cells: ['tj', ...TJ_ROW] },
      { flagged: true, cells: ['zed', ...ZED_ROW] },
    ]);
    // 25 + 2 + 3 + 20 = 50 checks, 8 + 1 + 2 + 2 = 13 right: 26.0%.
    const ben = 'scale_up from ROAS 100-130%, raise 10-25%: 8 of 25 right, at most 51.6%';
    const zed = 'scale_up from ROAS >=130%, raise 25-50%: 2 of 20 right, at most 30.1%';
    expect(team.byName.calibration!.sentence.text).toBe(
      '50 outcome checks of changes made in the 90 days to 2025-10-13, 13 right (26.0%), by rule, baseline ROAS band ' +
        "and step, each with its Wilson 95% interval. Clearly wrong (at least 20 checks and the interval's top below " +
        `80%, highlighted): all owners, ${ben}; all owners, ${zed}; ben, ${ben}; zed, ${zed}.`,
    );
  });

  it('shows an owner only their own rows', () => {
    const doc = new JSDOM(readFileSync(join(reportsDir, AS_OF, 'owner-ben.html'), 'utf8')).window.document;
    expect(rowsOf(doc.querySelector('#cell-098_calibration')!)).toEqual([
      { flagged: true, cells: ['ben', ...BEN_ROW] },
      { flagged: false, cells: ['ben', ...BEN_CUT] },
    ]);
  });

  it('highlights a lone clearly wrong row shown as label/value pairs', async () => {
    const dir = mkdtempSync(join(inject('scratchDir'), 'calibration-cell-zed-'));
    await renderReportFiles({ warehouse, reportsDir: dir, asOf: AS_OF, owner: 'zed' });
    const doc = new JSDOM(readFileSync(join(dir, AS_OF, 'owner-zed.html'), 'utf8')).window.document;
    const kv = doc.querySelector('#cell-098_calibration table.kv')!;
    expect(kv.classList.contains('flagged')).toBe(true);
    expect([...kv.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['zed', ...ZED_ROW]);
  });

  it('agrees with lib/calibration.ts and the calibration API on the same checks', async () => {
    expect(wilson95(8, 25)).toEqual({ low: 0.172, high: 0.516 });
    const api = await calibrationReport(
      warehouse,
      { as_of: AS_OF, owner: 'all' },
      { minChecks: 20, thresholds: resolveThresholds() },
    );
    const cellRow = (owner: string, band: string) =>
      team.byName.calibration!.rows.find((r) => r.owner === owner && r.band === band)!;
    // Bands with one rule and step each, so the API's band row and the cell's row count the same checks.
    for (const band of ['>=130', '<80']) {
      const a = api.rows.find((r) => r.dimension === 'roas_band' && r.key === band)!;
      const c = cellRow('all owners', band);
      expect([c.checks, c.right, c.low_pct, c.high_pct, c.clearly_wrong]).toEqual([
        a.checked,
        a.right,
        Math.round(a.low * 1000) / 10,
        Math.round(a.high * 1000) / 10,
        a.clearly_wrong,
      ]);
    }
    // The default scale_roas 130 is the top of band 100-130 (and >=130 has none above), so each raise is
    // one step of 10 points: the bands the cell highlights are the ones proposals come from.
    expect(api.proposals.map((p) => [p.owner, p.from, p.to, p.because.roas_band])).toEqual([
      ['ben', 130, 140, '100-130'],
      ['zed', 130, 140, '>=130'],
    ]);
  });

  it('takes CALIBRATION_MIN_CHECKS: with 30, 25 checks are too few to call the band wrong', async () => {
    const dir = mkdtempSync(join(inject('scratchDir'), 'calibration-cell-30-'));
    const { view } = await renderReportFiles({
      warehouse,
      reportsDir: dir,
      asOf: AS_OF,
      owner: 'ben',
      calibrationMinChecks: 30,
    });
    const row = view.byName.calibration!.rows[0]!;
    expect([row.clearly_wrong, row.verdict]).toEqual([false, 'fewer than 30 checks']);
    expect(view.byName.calibration!.sentence.text).toContain('No band is clearly wrong (at least 30 checks');
  });
});

describe('the threshold changes cell', () => {
  it('lists what calibration proposed in the 90 days, and what became of it', () => {
    const doc = new JSDOM(readFileSync(join(reportsDir, AS_OF, 'team.html'), 'utf8')).window.document;
    const why = (band: string) => `ROAS band ${band}%: 5 of 22 scale-ups right, at most 43.0%`;
    expect(rowsOf(doc.querySelector('#cell-099_threshold_changes')!).map((r) => r.cells)).toEqual([
      ['ben', '2025-10-13', 'scale_roas', '130.0%', '140.0%', why('100-130'), 'awaiting approval', ''],
      ['ann', '2025-10-01', 'scale_roas', '130.0%', '140.0%', why('80-100'), 'approved, written', LEAD],
      ['tj', '2025-09-20', 'scale_roas', '130.0%', '140.0%', why('<80'), 'rejected', LEAD],
    ]);
    expect(ben.byName.threshold_changes!.sentence.text).toBe(
      "1 threshold change proposed from calibration in the last 90 days: ben's scale_roas from 130.0% to 140.0% on " +
        "2025-10-13, awaiting approval. An approved change applies to that owner's next decisions.",
    );
  });
});

describe('the email', () => {
  it('carries both cells, the clearly wrong band highlighted, through a real SMTP server', async () => {
    const config = testConfig({
      SMTP_URL: smtp.url,
      REPORTS_DIR: reportsDir,
      REPORT_RECIPIENTS: 'ben=ben@example.com',
    });
    const mailer = createMailer(config);
    try {
      await createReportEmailActivities({ config, warehouse, mailer }).sendReportEmail({
        asOf: AS_OF,
        owner: 'ben',
        to: 'ben@example.com',
      });
    } finally {
      mailer.close();
    }
    const mail = smtp.messages.at(-1)!;
    const doc = new JSDOM(String(mail.html)).window.document;
    const cell = (title: string) =>
      [...doc.querySelectorAll('.cell')].find((c) => c.querySelector('h2')?.textContent === title)!;
    expect(rowsOf(cell('Recommendation calibration, last 90 days'))).toEqual([
      { flagged: true, cells: ['ben', ...BEN_ROW] },
      { flagged: false, cells: ['ben', ...BEN_CUT] },
    ]);
    expect(cell('Threshold changes from calibration, last 90 days').textContent).toContain(
      "ben's scale_roas from 130.0% to 140.0% on 2025-10-13, awaiting approval",
    );
    expect(mail.text).toContain(
      'ben | scale_up | 100-130 | raise 10-25% | 25 | 8 | 32.0% | 17.2% - 51.6% | clearly wrong',
    );
  });
});
