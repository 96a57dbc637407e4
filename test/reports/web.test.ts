import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import Handlebars from 'handlebars';
import { decodeJwt } from 'jose';
import type { AddressObject, ParsedMail } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../../services/mail/transport';
import { createReportActivities } from '../../activities/reports';
import { signApprovalToken } from '../../lib/approvals/tokens';
import type { Config } from '../../lib/config';
import { reportLink, reportLinkKey } from '../../lib/reports/report-links';
import { freePort } from '../../scripts/temporal.mjs';
import { signApiToken } from '../../workers/http/jwt';
import { launchBrowser } from '../support/browser';
import { waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { startWorker, testConfig } from '../support/temporal';
import { AS_OF, handWarehouse } from './fixtures';
import { APPROVAL_SECRET, handOperations, TZ } from './ops-fixtures';

/**
 * The daily report on the web: the real worker's HTTP server on loopback, the report emails sent
 * through a real SMTP server and parsed back, their "View in browser" links followed over HTTP
 * and in Chromium, and the same pages opened with the JSON API's tokens.
 */
const JWT_SECRET = 'report-web-test-jwt-secret-0123456789';
// Report links expire like approval links: after APPROVAL_TIMEOUT, here 36 h = 129,600,000 ms.
const TTL_MS = 36 * 3600 * 1000;

let smtp: SmtpCapture;
let config: Config;
let worker: Awaited<ReturnType<typeof startWorker>>;
let base: string;
let sentFrom: number;
let sentUntil: number;
const secretOutside = 'NOT A REPORT: outside REPORTS_DIR';

const recipient = (m: ParsedMail) => (m.to as AddressObject).value[0]!.address!;
const mailTo = (to: string) => {
  const found = smtp.messages.filter((m) => recipient(m) === to);
  expect(found).toHaveLength(1);
  return found[0]!;
};
/** The link in the plain-text part; the HTML part must carry the same one (checked below). */
const viewLink = (m: ParsedMail) => {
  const match = /View in browser \(signed for you, valid until [^)]+\): (\S+)/.exec(m.text ?? '');
  if (!match) throw new Error(`no View in browser link in:\n${m.text}`);
  return match[1]!;
};
const pageFile = (page: string) => readFileSync(join(config.REPORTS_DIR, AS_OF, `${page}.html`), 'utf8');

/** A GET with the path sent byte for byte (fetch would normalise `..` and encoded slashes away). */
function rawGet(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  smtp = await startSmtpCapture();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  config = testConfig({
    APPROVAL_SECRET,
    JWT_SECRET,
    APPROVAL_TIMEOUT: '36h',
    SMTP_URL: smtp.url,
    HTTP_PORT: String(port),
    PUBLIC_BASE_URL: base,
    TZ,
    REPORT_RECIPIENTS: 'ben=ben@example.com,tj=tj@example.com',
    REPORT_TEAM_RECIPIENTS: 'lead@example.com',
  });
  const seed = await handWarehouse(config.SCALEFLOW_DB);
  await handOperations(seed);
  seed.close();
  // Something a path escaping REPORTS_DIR would find.
  writeFileSync(join(dirname(config.REPORTS_DIR), 'secret.html'), secretOutside);
  worker = await startWorker(config);
  // The daily pipeline's report activities, on the worker's own warehouse: render, then one email each.
  const mailer = createMailer(config);
  try {
    const activities = createReportActivities({ config, warehouse: worker.main.warehouse, mailer });
    sentFrom = Date.now();
    for (const owner of [undefined, 'ben', 'tj']) await activities.renderReport({ asOf: AS_OF, owner });
    for (const delivery of await activities.listReportDeliveries())
      await activities.sendReportEmail({ asOf: AS_OF, ...delivery });
    sentUntil = Date.now();
  } finally {
    mailer.close();
  }
  await waitFor(() => smtp.messages.length === 3, 10_000, 'three report emails');
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await smtp?.close();
});

describe('the "View in browser" link of a report email', () => {
  it('is in every email, signed for its recipient and page, and expires after APPROVAL_TIMEOUT', () => {
    for (const [to, page] of [
      ['lead@example.com', 'team'],
      ['ben@example.com', 'owner-ben'],
      ['tj@example.com', 'owner-tj'],
    ] as const) {
      const mail = mailTo(to);
      const link = viewLink(mail);
      expect(link.startsWith(`${base}/reports/${AS_OF}/${page}.html?token=`)).toBe(true);
      expect(String(mail.html)).toContain(`<a href="${Handlebars.escapeExpression(link)}"`);
      expect(String(mail.html)).toContain('View in browser</a>');
      const claims = decodeJwt(new URL(link).searchParams.get('token')!);
      expect(claims).toMatchObject({ aud: 'scaleflow-report', scope: 'report:view', date: AS_OF, page, to });
      // exp is in whole seconds: sent time + 36 h, rounded down.
      expect(claims.exp! * 1000).toBeGreaterThanOrEqual(Math.floor((sentFrom + TTL_MS) / 1000) * 1000);
      expect(claims.exp! * 1000).toBeLessThanOrEqual(sentUntil + TTL_MS);
    }
  });

  it('opens the page exactly as saved, with 200, for the recipient it was sent to', async () => {
    for (const [to, page, title] of [
      ['lead@example.com', 'team', 'Daily report · Team · Sun, Oct 12, 2025'],
      ['ben@example.com', 'owner-ben', 'Daily report · ben · Sun, Oct 12, 2025'],
      ['tj@example.com', 'owner-tj', 'Daily report · tj · Sun, Oct 12, 2025'],
    ] as const) {
      const res = await fetch(viewLink(mailTo(to)));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      const html = await res.text();
      expect(html).toBe(pageFile(page));
      expect(html).toContain(`<title>${Handlebars.escapeExpression(title)}</title>`);
    }
    // ben's page has his campaigns only.
    const ben = await (await fetch(viewLink(mailTo('ben@example.com')))).text();
    expect(ben).toContain('DentalImplantTrials_FB_HB_BH');
    expect(ben).not.toContain('LegalHelp_FB_TJ');
  });

  it('answers 403 to a link with its date, page, recipient, expiry or signature changed', async () => {
    const link = new URL(viewLink(mailTo('ben@example.com')));
    const token = link.searchParams.get('token')!;
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = decodeJwt(token);
    const withPayload = (changes: Record<string, unknown>) =>
      `${header}.${Buffer.from(JSON.stringify({ ...claims, ...changes })).toString('base64url')}.${signature}`;
    const tampered = {
      date: `${base}/reports/2025-10-12/owner-ben.html?token=${token}`,
      page: `${base}/reports/${AS_OF}/owner-tj.html?token=${token}`,
      pageToTeam: `${base}/reports/${AS_OF}/team.html?token=${token}`,
      recipient: `${base}/reports/${AS_OF}/owner-ben.html?token=${withPayload({ to: 'mallory@example.com' })}`,
      claimedPage: `${base}/reports/${AS_OF}/owner-tj.html?token=${withPayload({ page: 'owner-tj' })}`,
      expiry: `${base}/reports/${AS_OF}/owner-ben.html?token=${withPayload({ exp: claims.exp! + 365 * 86_400 })}`,
      signature: `${base}/reports/${AS_OF}/owner-ben.html?token=${header}.${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`,
      // An approval token is signed with APPROVAL_SECRET itself and for another audience.
      approvalToken: `${base}/reports/${AS_OF}/owner-ben.html?token=${await signApprovalToken(APPROVAL_SECRET, { workflowId: 'x', approver: 'ben@example.com', expiresAt: Date.now() + 3_600_000 })}`,
      otherSecret: await reportLink(base, reportLinkKey('another-secret-another-secret-another!'), {
        date: AS_OF,
        page: 'owner-ben',
        recipient: 'ben@example.com',
        expiresAt: Date.now() + 3_600_000,
      }),
    };
    for (const [what, url] of Object.entries(tampered)) {
      const res = await fetch(url);
      expect({ what, status: res.status }).toEqual({ what, status: 403 });
      const html = await res.text();
      expect(html).toContain('<h1>This link does not open this report</h1>');
      expect(html).not.toContain('DentalImplantTrials');
    }
  });

  it('answers 410 with a page that says so once the link has expired', async () => {
    const expired = await reportLink(base, reportLinkKey(APPROVAL_SECRET), {
      date: AS_OF,
      page: 'owner-ben',
      recipient: 'ben@example.com',
      expiresAt: Date.now() - 60_000,
    });
    const res = await fetch(expired);
    expect(res.status).toBe(410);
    const html = await res.text();
    expect(html).toContain('<h1>This link has expired</h1>');
    expect(html).toContain('Report links expire like approval links');
    expect(html).not.toContain('DentalImplantTrials');
  });

  it('answers 404 for a genuine link to a report that does not exist', async () => {
    const link = await reportLink(base, reportLinkKey(APPROVAL_SECRET), {
      date: AS_OF,
      page: 'owner-dan',
      recipient: 'dan@example.com',
      expiresAt: Date.now() + 3_600_000,
    });
    const res = await fetch(link);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('There is no owner-dan report for 2025-10-13.');
  });

  it('renders in Chromium with its title and every chart, loading nothing else and logging no error', async () => {
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser();
      const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
      const link = viewLink(mailTo('lead@example.com'));
      const elsewhere: string[] = [];
      const errors: string[] = [];
      page.on('request', (r) => {
        if (r.url() !== link) elsewhere.push(r.url());
      });
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      const response = await page.goto(link, { waitUntil: 'load' });
      expect(response!.status()).toBe(200);
      expect(await page.title()).toBe('Daily report · Team · Sun, Oct 12, 2025');
      await expect(page.locator('h1').textContent()).resolves.toBe('Team · Sun, Oct 12, 2025');
      // The hand example's six charts (as in browser.test.ts), drawn as inline SVG under the page's CSP.
      const charts = page.locator('section[data-chart] figure.chart svg');
      expect(await charts.count()).toBe(6);
      for (const svg of await charts.all()) expect((await svg.boundingBox())!.height).toBeGreaterThan(50);
      expect(elsewhere).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser?.close();
    }
  });

  it('is left out when the worker has no APPROVAL_SECRET to sign it with', async () => {
    const unsigned = { ...config, APPROVAL_SECRET: undefined };
    const mailer = createMailer(unsigned);
    try {
      await createReportActivities({ config: unsigned, warehouse: worker.main.warehouse, mailer }).sendReportEmail({
        asOf: AS_OF,
        owner: 'ben',
        to: 'ben.unsigned@example.com',
      });
    } finally {
      mailer.close();
    }
    const mail = await waitFor(
      () => smtp.messages.find((m) => recipient(m) === 'ben.unsigned@example.com'),
      10_000,
      'the unsigned email',
    );
    expect(mail.text).toContain('== Yesterday at a glance ==');
    expect(mail.text).not.toContain('View in browser');
    expect(String(mail.html)).not.toContain('/reports/');
  });
});

describe('report pages with the JSON API token', () => {
  const token = (role: 'buyer' | 'manager' | 'approver', owner?: string) =>
    signApiToken(JWT_SECRET, { sub: `${owner ?? role}@example.com`, role, owner });

  it("shows a buyer their own owner page, never another owner's or the team's", async () => {
    const ben = await token('buyer', 'ben');
    const own = await rawGet(`/reports/${AS_OF}/owner-ben.html`, bearer(ben));
    expect(own.status).toBe(200);
    expect(own.body).toBe(pageFile('owner-ben'));
    for (const page of ['owner-tj', 'team']) {
      const res = await rawGet(`/reports/${AS_OF}/${page}.html`, bearer(ben));
      expect({ page, status: res.status }).toEqual({ page, status: 403 });
      expect(res.body).toContain('A buyer token for &quot;ben&quot; opens only owner-ben.html.');
    }
  });

  it('shows managers and approvers every page', async () => {
    const manager = await token('manager');
    const approver = await token('approver');
    expect((await rawGet(`/reports/${AS_OF}/team.html`, bearer(manager))).body).toBe(pageFile('team'));
    expect((await rawGet(`/reports/${AS_OF}/owner-tj.html`, bearer(manager))).body).toBe(pageFile('owner-tj'));
    expect((await rawGet(`/reports/${AS_OF}/team.html`, bearer(approver))).status).toBe(200);
    expect((await rawGet('/reports/2025-10-14/team.html', bearer(manager))).status).toBe(404);
  });

  it('answers 401 without a credential and with a token signed by another key', async () => {
    expect((await rawGet(`/reports/${AS_OF}/team.html`)).status).toBe(401);
    const forged = await signApiToken('another-secret-another-secret-1234', { sub: 'x', role: 'manager' });
    expect((await rawGet(`/reports/${AS_OF}/team.html`, bearer(forged))).status).toBe(401);
  });
});

describe('hostile report paths', () => {
  it('never reach outside REPORTS_DIR: a bad date or page name is a 400 naming the segment, anything else a 404', async () => {
    const manager = bearer(await token());
    const cases: [string, number, string?][] = [
      [`/reports/${AS_OF}/..%2F..%2Fsecret.html`, 400, 'path segment &quot;page&quot;'],
      [`/reports/${AS_OF}/..%2f..%2fsecret.html`, 400, 'path segment &quot;page&quot;'],
      [`/reports/${AS_OF}/%2e%2e.html`, 400, 'path segment &quot;page&quot;'],
      [`/reports/${AS_OF}/owner-..%2F..%2F..%2Fsecret.html`, 400, 'path segment &quot;page&quot;'],
      [`/reports/${AS_OF}/team%00.html`, 400, 'path segment &quot;page&quot;'],
      [`/reports/${AS_OF}/Team.html`, 400, 'path segment &quot;page&quot;'],
      [`/reports/${AS_OF}/owner-.html`, 400, 'path segment &quot;page&quot;'],
      [`/reports/..%2F..%2Fsecret/team.html`, 400, 'path segment &quot;date&quot;'],
      ['/reports/..%2F/secret.html', 400, 'path segment &quot;date&quot;'],
      ['/reports/2025-02-30/team.html', 400, 'path segment &quot;date&quot;'],
      ['/reports/20251013/team.html', 400, 'path segment &quot;date&quot;'],
      [`/reports/${AS_OF}/%E0%A4%A.html`, 400],
      // Dot segments are resolved before routing, so these name no report route at all.
      ['/reports/../secret.html', 404],
      [`/reports/${AS_OF}/../../secret.html`, 404],
      [`/reports/${AS_OF}/team/manifest.json`, 404],
      [`/reports/${AS_OF}/deliveries.jsonl`, 404],
    ];
    for (const [path, status, says] of cases) {
      const res = await rawGet(path, manager);
      expect({ path, status: res.status }).toEqual({ path, status });
      if (says) expect(res.body).toContain(says);
      expect(res.body).not.toContain(secretOutside);
    }
  });

  function token() {
    return signApiToken(JWT_SECRET, { sub: 'lead@example.com', role: 'manager' });
  }
});
