import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadReport } from '../../services/reports/catalog';
import { renderReportFiles } from '../../services/reports/engine';
import { launchBrowser, openIsolated } from '../support/browser';
import { repoRoot } from '../support/processes';
import { AS_OF, handWarehouse } from './fixtures';
import { handOperations, TZ } from './ops-fixtures';

const artifacts = join(repoRoot, 'test-artifacts');
let browser: Browser;
let teamPage: string;
let benPage: string;
let charts: number;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  const reportsDir = mkdtempSync(join(inject('scratchDir'), 'browser-'));
  const warehouse = await handWarehouse();
  try {
    await handOperations(warehouse);
    const team = await renderReportFiles({ warehouse, reportsDir, asOf: AS_OF, timeZone: TZ });
    teamPage = team.page;
    charts = team.charts;
    benPage = (await renderReportFiles({ warehouse, reportsDir, asOf: AS_OF, owner: 'ben', timeZone: TZ })).page;
  } finally {
    warehouse.close();
  }
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

/** Opens a saved page with every request but the file itself blocked and counted, and errors collected. */
const open = (file: string, width: number) => openIsolated(browser, pathToFileURL(file).href, { width, height: 900 });

describe('the report page in Chromium', () => {
  it('catches a request leaving a page (the check below is not vacuous)', async () => {
    const control = join(inject('scratchDir'), 'control.html');
    writeFileSync(control, '<!DOCTYPE html><p>x</p><img src="http://198.51.100.7/pixel.png">');
    const { page, blocked } = await open(control, 800);
    expect(blocked).toEqual(['http://198.51.100.7/pixel.png']);
    await page.context().close();
  });

  it('renders every chart with no request and no console error, and a person can read it', async () => {
    const { page, blocked, errors } = await open(teamPage, 800);
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    expect(charts).toBe(6); // the five of the hand example and today's pacing
    const figures = page.locator('section[data-chart] figure.chart svg');
    expect(await figures.count()).toBe(charts);
    for (const svg of await figures.all()) {
      const box = await svg.boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(box!.height).toBeGreaterThan(50);
    }
    expect(await page.locator('section.cell').count()).toBe((await loadReport()).cells.length);
    expect(await page.locator('.tile').count()).toBe(5);
    await expect(page.locator('#cell-010_summary .sentence').textContent()).resolves.toContain(
      'made $59.90 margin, ▼ 28.9%',
    );
    await expect(page.locator('#cell-055_pacing .sentence').textContent()).resolves.toContain(
      '3 campaigns are off pace: 1 spent out, 1 over pace and 1 under pace',
    );
    await expect(page.locator('#cell-060_alerts .sentence').textContent()).resolves.toContain(
      '2 alerts wait for approval; the biggest is DentalImplantTrials_FB_HB_BH (ben)',
    );
    await expect(page.locator('#cell-070_anomalies .sentence').textContent()).resolves.toContain('roas fell 37.5%');
    await expect(page.locator('#cell-095_data_quality .sentence').textContent()).resolves.toContain(
      '3 rows were quarantined',
    );
    expect(await page.locator('#cell-060_alerts tbody tr').count()).toBe(4);
    // The page is shared: who must approve is on it, a signed link never is.
    await expect(page.locator('#cell-060_alerts').textContent()).resolves.toContain(
      'awaiting lead@example.com until Tue Oct 14, 06:00',
    );
    expect(await page.locator('a').count()).toBe(0);
    const file = join(artifacts, 'report-team.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(20_000);
    await page.context().close();
  });

  it('fits a phone: nothing wider than the screen, tables scroll inside their card', async () => {
    for (const [file, shot] of [
      [teamPage, 'report-team-phone.png'],
      [benPage, 'report-ben-phone.png'],
    ] as const) {
      const { page, blocked, errors } = await open(file, 390);
      expect(blocked).toEqual([]);
      expect(errors).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      for (const svg of await page.locator('figure.chart svg').all())
        expect((await svg.boundingBox())!.width).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(artifacts, shot), fullPage: true });
      await page.context().close();
    }
  });
});
