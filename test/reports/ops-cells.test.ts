import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { approveLinksFor } from '../../services/reports/recipient-links';
import { buildReportEmail, renderReportFiles } from '../../services/reports/engine';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { verifyApprovalToken } from '../../lib/approvals/tokens';
import type { ReportView } from '../../lib/reports/render';
import { datesBetween } from '../../lib/dates';
import { AS_OF, handWarehouse, loadRows, type MetricRow } from './fixtures';
import {
  anomalyRows,
  APPROVAL_SECRET,
  EXPIRES,
  evaluateHandDay,
  handOperations,
  PUBLIC_BASE_URL,
  TZ,
  WF,
} from './ops-fixtures';

// The cells fed by the pipeline, the approvals, the Meta sync and the ingest: pacing, alerts,
// anomalies, data quality. Expectations computed by hand from fixtures.ts handExample() and the
// state in ops-fixtures.ts; as_of 2025-10-13, yesterday 10-12, New York time (UTC-4 that day).
let warehouse: Warehouse;
let reportsDir: string;
let team: ReportView;
let ben: ReportView;
let tj: ReportView;
const cell = (view: ReportView, name: string) => view.byName[name]!;
const render = async (asOf: string, owner?: string, on = warehouse, dir = reportsDir) =>
  (await renderReportFiles({ warehouse: on, reportsDir: dir, asOf, owner, timeZone: TZ })).view;

beforeAll(async () => {
  reportsDir = mkdtempSync(join(inject('scratchDir'), 'ops-cells-'));
  warehouse = await handWarehouse();
  await handOperations(warehouse);
  [team, ben, tj] = [await render(AS_OF), await render(AS_OF, 'ben'), await render(AS_OF, 'tj')];
});
afterAll(() => warehouse?.close());

describe('alerts and approvals', () => {
  it('shows each open or acted alert once, awaiting first, with who decides and until when', () => {
    // B1 and B2 await a click (high before medium); T3 has no proposal; T2 was approved. The 10-10
    // expired, 10-11 dismissed and 10-14 (after as_of) alerts are not shown. T2 was raised on 10-12
    // and again on 10-13: the 10-13 numbers, with the proposal made on 10-12.
    expect(
      cell(team, 'alerts').rows.map((r) => [
        r.campaign_id,
        r.alert,
        r.priority,
        r.per_day,
        r.raised_on,
        r.approval_state,
        r.approval,
      ]),
    ).toEqual([
      [
        'B1',
        'Scale +40% (high)',
        'high',
        '20.04',
        '2025-10-13',
        'awaiting approval',
        'awaiting lead@example.com until Tue Oct 14, 06:00',
      ],
      [
        'B2',
        'Pause',
        'medium',
        '-14.00',
        '2025-10-13',
        'awaiting approval',
        'awaiting ben@example.com, lead@example.com until Tue Oct 14, 06:00',
      ],
      [
        'T3',
        'Pause',
        'medium',
        '-0.06',
        '2025-10-13',
        'no proposal yet',
        'no proposal: no Meta campaign is mapped to this strateg.is campaign (scaleflow map set)',
      ],
      ['T2', 'Scale +40%', 'medium', '12.00', '2025-10-13', 'approved', 'approved by lead@example.com'],
    ]);
    expect(cell(team, 'alerts').rows[3]).toMatchObject({
      workflow_id: WF.t2,
      current_roas: 160,
      decided_by: 'lead@example.com',
    });
    expect(cell(team, 'alerts').sentence.text).toBe(
      '2 alerts wait for approval; the biggest is DentalImplantTrials_FB_HB_BH (ben): Scale +40% (high), worth $20.04 a day, awaiting lead@example.com until Tue Oct 14, 06:00. ' +
        '1 alert has no proposal yet. 1 proposal was decided (1 approved).',
    );
    expect(cell(tj, 'alerts').sentence.text).toBe(
      'No alert waits for approval; the top one is Pets_FB_New (tj): Pause, losing $0.06 a day, no proposal: no Meta campaign is mapped to this strateg.is campaign (scaleflow map set). ' +
        '1 alert has no proposal yet. 1 proposal was decided (1 approved).',
    );
    expect(cell(ben, 'alerts').rows.map((r) => r.campaign_id)).toEqual(['B1', 'B2']);
  });

  it('puts no signed link on the shared page or in its datasets', () => {
    for (const file of ['team.html', 'owner-ben.html', 'team/060_alerts.arrow']) {
      const saved = readFileSync(join(reportsDir, AS_OF, file), 'latin1');
      expect(saved).toContain('lead@example.com');
      expect(saved).not.toContain('/approve/');
      expect(saved).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/); // no JWS anywhere
    }
  });

  it("links each proposal awaiting the recipient's approval, signed for them, in their email only", async () => {
    const signing = { secret: APPROVAL_SECRET, baseUrl: PUBLIC_BASE_URL, timeZone: TZ };
    const email = (to: string, owner?: string) =>
      buildReportEmail({
        warehouse,
        reportsDir,
        asOf: AS_OF,
        owner,
        timeZone: TZ,
        links: approveLinksFor(to, signing),
      });
    const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
    const before = new Date('2025-10-13T12:00:00Z');

    const lead = await email('lead@example.com');
    const leadLinks = hrefs(lead.html);
    expect(leadLinks).toHaveLength(2); // B1 and B2 both name lead@example.com
    const claims = await Promise.all(
      leadLinks.map((h) => verifyApprovalToken(APPROVAL_SECRET, h.slice(`${PUBLIC_BASE_URL}/approve/`.length), before)),
    );
    expect(claims).toEqual([
      { workflowId: WF.b1, approver: 'lead@example.com', expiresAt: Date.parse(EXPIRES) },
      { workflowId: WF.b2, approver: 'lead@example.com', expiresAt: Date.parse(EXPIRES) },
    ]);
    expect(lead.html).toContain('Review and approve');
    expect(lead.text).toContain(
      `Review and approve DentalImplantTrials_FB_HB_BH: Scale +40% (high) (until Tue, Oct 14, 06:00): ${leadLinks[0]}`,
    );

    // ben approves his own pause (B2) but not his scale-up (B1: lead alone).
    const benLinks = hrefs((await email('ben@example.com', 'ben')).html);
    expect(benLinks).toHaveLength(1);
    expect(await verifyApprovalToken(APPROVAL_SECRET, benLinks[0]!.split('/approve/')[1]!, before)).toEqual({
      workflowId: WF.b2,
      approver: 'ben@example.com',
      expiresAt: Date.parse(EXPIRES),
    });

    // tj approves nothing; someone reading the team report who is not an approver gets no link either.
    const tjMail = await email('tj@example.com', 'tj');
    expect(hrefs(tjMail.html)).toEqual([]);
    expect(tjMail.text).not.toContain('/approve/');
    expect(hrefs((await email('ops@example.com')).html)).toEqual([]);
  });

  it('says so in the email, instead of a link, when APPROVAL_SECRET is not set', async () => {
    const mail = await buildReportEmail({
      warehouse,
      reportsDir,
      asOf: AS_OF,
      timeZone: TZ,
      links: approveLinksFor('lead@example.com', { secret: undefined, baseUrl: PUBLIC_BASE_URL, timeZone: TZ }),
    });
    expect(mail.html).not.toContain('/approve/');
    expect(mail.text).toContain('Approve links are off: APPROVAL_SECRET is not set on the worker');
  });
});

describe('alerts of a day nobody evaluated', () => {
  const own = (prefix: string) => mkdtempSync(join(inject('scratchDir'), prefix));

  it('never says "nothing to approve" of a day the engine has not evaluated', async () => {
    // The hand example loaded, nothing evaluated (the state `scaleflow ingest` leaves): no alert is
    // stored, and that is not the same as no alert.
    const fresh = await handWarehouse();
    try {
      const view = await render(AS_OF, undefined, fresh, own('ops-unevaluated-'));
      expect(cell(view, 'alerts').sentence.text).toBe(
        'Not evaluated yet: the decision engine has not evaluated Mon, Oct 13, 2025, so its alerts are not known.',
      );
      expect(cell(view, 'alerts').table).toBeNull();
      const ben = await render(AS_OF, 'ben', fresh, own('ops-unevaluated-ben-'));
      expect(cell(ben, 'alerts').sentence.text).not.toContain('nothing to approve');
    } finally {
      fresh.close();
    }
  });

  it('says so above the alerts still open from earlier days', async () => {
    // 10-14 was never evaluated; the alerts as of 10-14 are B1 (its 10-14 row), B2, T2 (10-13's
    // numbers) and T3: the four of the 10-13 page, shown with the warning.
    const later = await render('2025-10-14');
    expect(cell(later, 'alerts').sentence.text).toMatch(
      /^Not evaluated yet: the decision engine has not evaluated Tue, Oct 14, 2025, so its alerts are not known; below are the 4 still open from earlier days\. 2 alerts wait for approval;/,
    );
    expect(cell(later, 'alerts').table!.rows).toHaveLength(4);
  });

  it('an old day evaluated late never reopens, in a later report, an alert the later day let go', async () => {
    // L (ben) returns 50 on 100 a day from 09-20 to 10-11 (roas 50% < cut_roas 80), then 200 on
    // 100 on 10-12 and 10-13. As of 10-12 (yesterday 10-11) its last 5 days are all below 80%:
    // cut_loss. As of 10-14 (yesterday 10-13) two of its last 5 days are at 200%: no cut_loss, and
    // two days above 130% are fewer than scale_days 3: no scale_up either.
    const day = (date: string, revenue: string): MetricRow => ({
      date,
      campaign_id: 'L',
      campaign_name: 'Roofing_L',
      owner: 'ben',
      category: 'Roofing',
      spend: '100.00',
      revenue,
    });
    const other = await handWarehouse(); // the hand example itself raises no alert on any day
    try {
      await loadRows(other, [
        ...datesBetween('2025-09-20', '2025-10-11').map((d) => day(d, '50.00')),
        day('2025-10-12', '200.00'),
        day('2025-10-13', '200.00'),
      ]);
      await evaluateHandDay(other, '2025-10-14'); // the pipeline's newest day
      await evaluateHandDay(other, '2025-10-12'); // then a past day by hand (`scaleflow report --as-of 2025-10-12`)
      expect(await other.all('SELECT as_of::VARCHAR AS as_of, campaign_id, type, status FROM alerts')).toEqual([
        { as_of: '2025-10-12', campaign_id: 'L', type: 'cut_loss', status: 'expired' },
      ]);
      const view = await render('2025-10-14', undefined, other, own('ops-late-'));
      expect(cell(view, 'alerts').sentence.text).toBe('No open alert: nothing to approve today.');
    } finally {
      other.close();
    }
  });
});

describe('anomalies', () => {
  it("reads the pipeline's flags for yesterday, biggest first", () => {
    // Only B2 trips a rule in the hand example: roas 40 / 50 = 80.0% on 10-11, 30 / 60 = 50.0% on
    // 10-12, a 37.5% drop (> 30%). Everything else runs flat (sd 0) or moves less than that.
    expect(
      cell(team, 'anomalies').rows.map((r) => [r.campaign_id, r.metric, r.rule, r.value, r.baseline, r.change_pct]),
    ).toEqual([['B2', 'roas', 'drop', 50, 80, 37.5]]);
    expect(cell(team, 'anomalies').sentence.text).toBe(
      '1 anomaly on Sun, Oct 12, 2025; the biggest: Roofing_FB_Loser (ben), roas fell 37.5% from 80.0% the day before to 50.0%.',
    );
    expect(cell(tj, 'anomalies').sentence.text).toBe(
      'No anomalies on Sun, Oct 12, 2025: spend, revenue and ROAS stayed within their usual range.',
    );
  });

  it('flags a day more than 3 sd from the trailing median', async () => {
    // A1: spend 100, 110, 90, 100, 110, 90, 100 (median 100, sd sqrt(400 / 7) = 7.56) then 130:
    // 30 / 7.56 = 4.0 sd. Revenue is 1.2 x spend: median 120, sd 9.07, 156 is 4.0 sd out too.
    const other = await handWarehouse();
    try {
      await loadRows(other, anomalyRows());
      await evaluateHandDay(other);
      // Its own folder: the pages of the main example are read by other tests.
      const view = await render(AS_OF, undefined, other, mkdtempSync(join(inject('scratchDir'), 'ops-anomalies-')));
      expect(cell(view, 'anomalies').rows.map((r) => [r.campaign_id, r.metric, r.rule, r.baseline, r.sd])).toEqual([
        ['B2', 'roas', 'drop', 80, null],
        ['A1', 'revenue', 'deviation', 120, 9.07],
        ['A1', 'spend', 'deviation', 100, 7.56],
      ]);
      expect(cell(view, 'anomalies').table!.rows[1]).toEqual([
        'AutoQuotes_FB_Ana',
        'ana',
        'revenue',
        'revenue $156.00 is 4.0 sd above the trailing 7-day median $120.00',
      ]);
      expect(cell(view, 'anomalies').sentence.text).toMatch(
        /^3 anomalies on Sun, Oct 12, 2025 in 2 campaigns; the biggest: Roofing_FB_Loser/,
      );
    } finally {
      other.close();
    }
  });

  it('never says "no anomalies" of a day the engine has not evaluated', async () => {
    const later = await render('2025-10-14');
    expect(cell(later, 'anomalies').sentence.text).toBe(
      'Not checked yet: the decision engine has not evaluated Tue, Oct 14, 2025, so there are no anomaly flags for Mon, Oct 13, 2025.',
    );
    expect(cell(later, 'anomalies').table).toBeNull();
  });
});

describe('pacing today', () => {
  it("judges spend so far against the budget and the day's share gone at the last completed sync hour", () => {
    // 10:00Z is 06:00 in New York: 25% of the day. B1 25% spent: on pace; B2 60% > 1.25 x 25%: over;
    // T1 5% < 0.75 x 25%: under; T2 $50 of $50: spent out. The 09:00Z and unfinished 11:00Z hours never show.
    expect(
      cell(team, 'pacing').rows.map((r) => [
        r.campaign_id,
        r.owner,
        r.spend_today,
        r.daily_budget,
        r.spent_pct,
        r.pace,
      ]),
    ).toEqual([
      ['T2', 'tj', '50.00', '50.00', 100, 'spent out'],
      ['B2', 'ben', '60.00', '100.00', 60, 'over pace'],
      ['T1', 'tj', '40.00', '800.00', 5, 'under pace'],
      ['B1', 'ben', '100.00', '400.00', 25, 'on pace'],
      [null, 'unassigned', '0.00', '20.00', 0, 'paused'],
      ['T3', 'tj', '0.20', null, null, 'no daily budget'],
    ]);
    expect(cell(team, 'pacing').sentence.text).toBe(
      'At 06:00 America/New_York today (25.0% of the day gone), 3 campaigns are off pace: 1 spent out, 1 over pace and 1 under pace; 1 on pace. ' +
        'First to look at: Solar<b>Promo</b> & "Co" (tj), $50.00 of its $50.00 spent (spent out).',
    );
    expect(cell(ben, 'pacing').sentence.text).toBe(
      'At 06:00 America/New_York today (25.0% of the day gone), 1 campaign is off pace: 1 over pace; 1 on pace. First to look at: Roofing_FB_Loser (ben), $60.00 of its $100.00 spent (over pace).',
    );
  });

  it("draws the spent share against the day's share gone", () => {
    const chart = cell(team, 'pacing').chart!;
    expect(chart.legend.map((l) => l.label)).toEqual(['spent out', 'over pace', 'under pace', 'on pace']);
    expect(chart.alt).toBe('Share of the daily budget spent by 06:00 on 2025-10-13, against 25% of the day gone');
    expect(chart.svg).toContain('stroke-dasharray="4,3"'); // the day-gone line
    for (const label of ['100%', '60%', '5%', '25%']) expect(chart.svg).toContain(`>${label}</text>`);
    expect(cell(ben, 'pacing').chart!.legend.map((l) => l.label)).toEqual(['over pace', 'on pace']);
  });

  it('escapes a campaign name in the sentence once, like everywhere else on the page', () => {
    const html = readFileSync(join(reportsDir, AS_OF, 'team.html'), 'utf8');
    expect(html).toContain('First to look at: Solar&lt;b&gt;Promo&lt;/b&gt; &amp; &quot;Co&quot; (tj)');
    expect(html).not.toContain('&amp;lt;');
  });

  it('says when no sync has completed today', async () => {
    expect(cell(await render('2025-10-14'), 'pacing').sentence.text).toBe(
      'No Meta sync has completed today yet: the newest state is from Mon, Oct 13, 2025.',
    );
  });
});

describe('data quality', () => {
  it("counts the week's quarantined, restated and rejected, and how old each source is", () => {
    // Batches of 10-07..10-13: b-12 and b-13 loaded, b-bad rejected (b-old of 10-05 is outside).
    // Quarantined 1 + 2 = 3 (2 "date after yesterday"); restated 135.50 - 130.00 + 250.00 - 260.00 = -4.50.
    expect(
      cell(team, 'data_quality').rows.map((r) => [
        r.source,
        r.last_load,
        r.age_days,
        r.loads_7d,
        r.rejected_7d,
        r.quarantined_7d,
        r.restated_7d,
        r.restated_revenue_7d,
        r.hours_today,
        r.status,
      ]),
    ).toEqual([
      ['strateg.is', 'Mon Oct 13, 06:02', 0, 2, 1, 3, 2, '-4.50', null, 'fresh'],
      ['Meta sync', 'Mon Oct 13, 06:00', 0, null, null, null, null, null, 2, 'fresh'],
    ]);
    expect(cell(team, 'data_quality').sentence.text).toBe(
      'strateg.is loaded Mon Oct 13, 06:02. In the last 7 days 3 rows were quarantined (most: date after yesterday, 2), 2 rows restated (-$4.50 revenue) and 1 file was rejected. ' +
        'Meta synced 2 hours today, the last at Mon Oct 13, 06:00.',
    );
  });

  it('calls a source stale by its age against as_of', async () => {
    expect(cell(await render('2025-10-15'), 'data_quality').sentence.text).toBe(
      'Stale: strateg.is last loaded Mon Oct 13, 06:02, 2 days ago. In the last 7 days 3 rows were quarantined (most: date after yesterday, 2), 2 rows restated (-$4.50 revenue) and 1 file was rejected. ' +
        "Stale: the Meta sync last completed Mon Oct 13, 06:00; today's pacing is not known.",
    );
  });
});
