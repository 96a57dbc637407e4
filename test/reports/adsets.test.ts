import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createReportEmailActivities } from '../../activities/reports/report-email';
import { createMailer } from '../../services/mail/transport';
import { renderReportFiles, rerenderPage } from '../../services/reports/engine';
import type { Warehouse } from '../../services/warehouse/warehouse';
import type { ReportView } from '../../lib/reports/render';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { testConfig } from '../support/temporal';
import { ADSET_AS_OF, adsetWarehouse } from './adset-fixtures';

// issue 19 item 5: where the budget lives in the ad sets, the report lists them under their
// campaign. Every figure below is worked by hand from adset-fixtures.ts (the table there).
//
// Yesterday 10-12, campaign A (a campaign row only: 300 spent, 330 earned; margin 30.00, ROAS 110.0%)
// is split over its ad sets by Meta's purchase value 200/60/140 (400), spend by Meta spend 100 each:
//   801 revenue 330 x 200/400 = 165.00, margin 65.00, ROAS 165.0%
//   803 revenue 330 x 140/400 = 115.50, margin 15.50, ROAS 115.5%
//   802 revenue 330 x  60/400 =  49.50, margin -50.50, ROAS 49.5%
// Margin over 10-06..10-12: A -25 + 25 + 30 = 30.00; 801 10 + 60 + 65 = 135.00; 803 -5 + 5 + 15.50 =
// 15.50; 802 -30 - 40 - 50.50 = -120.50. C (CBO) every day 80 spent, 60 earned: margin -20.00, 75.0%.

let warehouse: Warehouse;
let reportsDir: string;
let smtp: SmtpCapture;
let team: ReportView;

/**
 * A cell's table as the reader sees it: each row's cell texts, and whether it is an ad-set row. A
 * table of one row is shown as label/value pairs (a phone reads it better): that row's values.
 */
function rowsOf(cell: Element) {
  return [...cell.querySelectorAll('tbody tr')].map((tr) => ({
    adset: tr.classList.contains('adset'),
    cells: [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()),
  }));
}

function pairsOf(cell: Element) {
  return [{ adset: false, cells: [...cell.querySelectorAll('table tr td')].map((td) => td.textContent!.trim()) }];
}

function tableRows(html: string, cellId: string) {
  const section = new JSDOM(html).window.document.querySelector(`#cell-${cellId}`);
  if (!section) throw new Error(`no cell ${cellId}`);
  return section.querySelector('table.kv') ? pairsOf(section) : rowsOf(section);
}

const TOP = [
  { adset: false, cells: ['Dental_FB_Adsets', 'ana', '$300.00', '$330.00', '$30.00', '110.0%', '$30.00'] },
  { adset: true, cells: ['↳ Broad US (broad)', 'ana', '$100.00', '$165.00 ≈', '$65.00', '165.0%', '$135.00'] },
  {
    adset: true,
    cells: ['↳ Dental interests (interest)', 'ana', '$100.00', '$115.50 ≈', '$15.50', '115.5%', '$15.50'],
  },
  {
    adset: true,
    cells: ['↳ Visitors 30d (retargeting)', 'ana', '$100.00', '$49.50 ≈', '-$50.50', '49.5%', '-$120.50'],
  },
];
// C loses 20.00 on each of 10-06..10-12; its ad sets hold no budget, so none is listed.
const LOSERS = [{ adset: false, cells: ['Roofing_FB_CBO', 'ana', '$80.00', '$60.00', '-$20.00', '75.0%', '7'] }];
// A's first 72 hours, 10-10..10-12: spend 150 + 300 + 300 = 750, revenue 125 + 325 + 330 = 780, ROAS
// 104.0%. Per ad set: 801 50 + 100 + 100 = 250 spent, 60 + 160 + 165 = 385 earned (154.0%); 803 45 +
// 105 + 115.50 = 265.50 (106.2%); 802 20 + 60 + 49.50 = 129.50 (51.8%). 10-12 was allocated: marked.
const LAUNCHES = [
  {
    adset: false,
    cells: ['Dental_FB_Adsets', 'ana', 'Fri, Oct 10', '$750.00', '$780.00', '$30.00', '104.0%', 'broke even'],
  },
  {
    adset: true,
    cells: ['↳ Broad US (broad)', 'ana', 'Fri, Oct 10', '$250.00', '$385.00 ≈', '$135.00', '154.0%', 'broke even'],
  },
  {
    adset: true,
    cells: [
      '↳ Dental interests (interest)',
      'ana',
      'Fri, Oct 10',
      '$250.00',
      '$265.50 ≈',
      '$15.50',
      '106.2%',
      'broke even',
    ],
  },
  {
    adset: true,
    cells: [
      '↳ Visitors 30d (retargeting)',
      'ana',
      'Fri, Oct 10',
      '$250.00',
      '$129.50 ≈',
      '-$120.50',
      '51.8%',
      'below break-even',
    ],
  },
];
const NOTE =
  '≈ revenue allocated: strateg.is reported only the campaign that day, split over its ad sets by Meta purchase value';

beforeAll(async () => {
  reportsDir = mkdtempSync(join(inject('scratchDir'), 'adset-reports-'));
  warehouse = await adsetWarehouse(join(inject('scratchDir'), `adset-report-${Date.now()}.duckdb`));
  team = (await renderReportFiles({ warehouse, reportsDir, asOf: ADSET_AS_OF })).view;
  smtp = await startSmtpCapture();
});
afterAll(async () => {
  warehouse?.close();
  await smtp?.close();
});

describe('the report lists ad sets under the campaign whose budgets they hold', () => {
  const page = () => readFileSync(join(reportsDir, ADSET_AS_OF, 'team.html'), 'utf8');

  it('shows top performers and launches with their ad sets beneath, marked where revenue was allocated', () => {
    expect(tableRows(page(), '030_top_performers')).toEqual(TOP);
    expect(tableRows(page(), '050_launches')).toEqual(LAUNCHES);
    const doc = new JSDOM(page()).window.document;
    expect(doc.querySelector('#cell-030_top_performers .note')?.textContent?.trim()).toBe(NOTE);
  });

  it('re-renders the same page from the saved Arrow datasets, ad-set rows and all', async () => {
    expect(await rerenderPage(reportsDir, ADSET_AS_OF, null)).toBe(page());
  });

  it('shows a CBO campaign as before: no ad sets beneath it', () => {
    expect(tableRows(page(), '040_losers')).toEqual(LOSERS);
    expect(page()).not.toMatch(/CBO lookalike|CBO broad/);
  });

  it('counts campaigns, not ad sets, in the sentences', () => {
    expect(team.byName.top_performers!.sentence.text).toBe(
      'Dental_FB_Adsets (ana) led with $30.00 margin at 110.0% ROAS.',
    );
    expect(team.byName.launches!.sentence.text).toBe(
      '1 campaign launched in the last 7 days: 1 past their first 72 hours, 1 of them at break-even or better.',
    );
  });

  it("orders a losing campaign's ad sets worst first, with their own losing days, and no marker on reported rows", async () => {
    // as_of 10-11, yesterday 10-10 (strateg.is ad-set rows): A 150 spent, 125 earned: -25.00, 83.3%,
    // 1 losing day in 10-04..10-10; 802 50/20 -30.00 40.0%; 803 50/45 -5.00 90.0%; 801 50/60 +10.00
    // 120.0%, 0 losing days. C -20.00 on each of 10-04..10-10: 7.
    const { view } = await renderReportFiles({ warehouse, reportsDir, asOf: '2025-10-11' });
    const html = readFileSync(join(reportsDir, '2025-10-11', 'team.html'), 'utf8');
    expect(tableRows(html, '040_losers')).toEqual([
      { adset: false, cells: ['Dental_FB_Adsets', 'ana', '$150.00', '$125.00', '-$25.00', '83.3%', '1'] },
      { adset: true, cells: ['↳ Visitors 30d (retargeting)', 'ana', '$50.00', '$20.00', '-$30.00', '40.0%', '1'] },
      { adset: true, cells: ['↳ Dental interests (interest)', 'ana', '$50.00', '$45.00', '-$5.00', '90.0%', '1'] },
      { adset: true, cells: ['↳ Broad US (broad)', 'ana', '$50.00', '$60.00', '$10.00', '120.0%', '0'] },
      { adset: false, cells: ['Roofing_FB_CBO', 'ana', '$80.00', '$60.00', '-$20.00', '75.0%', '7'] },
    ]);
    expect(view.byName.losers!.sentence.text).toBe(
      '2 campaigns lost $45.00 on Fri, Oct 10, 2025; the worst, Dental_FB_Adsets (ana), lost $25.00 and lost money on 1 of the last 7 days.',
    );
    expect(html).not.toContain('revenue allocated');
  });

  it('sends the same in the email, through a real SMTP server, parsed back', async () => {
    const config = testConfig({
      SMTP_URL: smtp.url,
      REPORTS_DIR: reportsDir,
      REPORT_TEAM_RECIPIENTS: 'lead@example.com',
    });
    const mailer = createMailer(config);
    try {
      await createReportEmailActivities({ config, warehouse, mailer }).sendReportEmail({
        asOf: ADSET_AS_OF,
        to: 'lead@example.com',
      });
    } finally {
      mailer.close();
    }
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0]!;
    const html = String(mail.html);
    // The email's cells carry no ids: find each by its title.
    const cellOf = (title: string, vertical = false) => {
      const doc = new JSDOM(html).window.document;
      const cell = [...doc.querySelectorAll('.cell')].find((c) => c.querySelector('h2')?.textContent === title)!;
      return vertical ? pairsOf(cell) : rowsOf(cell);
    };
    expect(cellOf('Top performers yesterday')).toEqual(TOP);
    expect(cellOf('Losing money yesterday', true)).toEqual(LOSERS);
    expect(cellOf('Launches this week')).toEqual(LAUNCHES);
    expect(html).toContain(NOTE);
    expect(mail.text).toContain('↳ Visitors 30d (retargeting) | ana | $100.00 | $49.50 ≈ | -$50.50 | 49.5% | -$120.50');
    expect(mail.text).toContain(NOTE);
  });
});
