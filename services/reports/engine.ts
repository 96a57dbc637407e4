import { join } from 'node:path';
import { yesterdayOf } from '../../lib/dates';
import { appliesTo, DEFAULT_CALIBRATION_MIN_CHECKS, type ReportScope } from '../../lib/reports/cell';
import {
  buildReportView,
  renderEmail,
  renderPage,
  type CellLink,
  type CellResult,
  type ReportEmail,
  type ReportView,
  type ViewInBrowser,
} from '../../lib/reports/render';
import type { Warehouse } from '../warehouse/warehouse';
import { loadReport, type ReportDefinition } from './catalog';
import { missingTables, runCell } from './query';
import { reportPaths } from '../../lib/reports/paths';
import { readDataset, readManifest, writeAtomic, writeDataset, type Manifest } from './store';

/**
 * The report engine without Temporal: the activities, the CLI and the benchmark all go through
 * here. Rendering queries every cell, saves each result as Arrow IPC, then builds the page from
 * those results; the email is built from the saved datasets, so it shows exactly what the page does.
 */
export interface RenderedReport {
  /** The standalone HTML page. */
  page: string;
  /** The folder with manifest.json and one .arrow file per cell. */
  datasetsDir: string;
  datasets: string[];
  cells: number;
  charts: number;
}

/** METRICS.md's default TZ, for callers without a config (tests, the benchmark); activities pass config.TZ. */
export const DEFAULT_REPORT_TZ = 'America/New_York';

export function reportScope(
  asOf: string,
  owner?: string | null,
  timeZone = DEFAULT_REPORT_TZ,
  calibrationMinChecks = DEFAULT_CALIBRATION_MIN_CHECKS,
): ReportScope {
  return {
    asOf,
    yesterday: yesterdayOf(asOf),
    owner: owner ? owner.trim().toLowerCase() : null,
    timeZone,
    calibrationMinChecks,
  };
}

export async function queryCells(
  warehouse: Warehouse,
  report: ReportDefinition,
  scope: ReportScope,
): Promise<CellResult[]> {
  const results: CellResult[] = [];
  for (const cell of report.cells.filter((c) => appliesTo(c, scope.owner))) {
    const missing = await missingTables(warehouse, cell.header.requires);
    results.push({ cell, missing, data: missing.length ? null : await runCell(warehouse, cell, scope) });
  }
  return results;
}

export interface RenderOptions {
  warehouse: Warehouse;
  reportsDir: string;
  asOf: string;
  owner?: string | null;
  /** The account time zone (config TZ); default DEFAULT_REPORT_TZ. */
  timeZone?: string;
  /** config CALIBRATION_MIN_CHECKS; default DEFAULT_CALIBRATION_MIN_CHECKS. */
  calibrationMinChecks?: number;
  report?: ReportDefinition;
}

export async function renderReportFiles(options: RenderOptions): Promise<RenderedReport & { view: ReportView }> {
  const report = options.report ?? (await loadReport());
  const scope = reportScope(options.asOf, options.owner, options.timeZone, options.calibrationMinChecks);
  const paths = reportPaths(options.reportsDir, scope.asOf, scope.owner);
  const results = await queryCells(options.warehouse, report, scope);
  const datasets = results.flatMap((r) => (r.data ? [writeDataset(paths.datasets, r.cell.id, r.data)] : []));
  const manifest: Manifest = {
    version: 1,
    report: report.name,
    ...scope,
    cells: results.map((r) => ({ id: r.cell.id, dataset: r.data ? `${r.cell.id}.arrow` : null, missing: r.missing })),
  };
  writeAtomic(paths.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  const view = buildReportView(results, scope);
  writeAtomic(paths.page, renderPage(view, report.templates, report.css));
  return {
    page: paths.page,
    datasetsDir: paths.datasets,
    datasets,
    cells: results.length,
    charts: view.chartCount,
    view,
  };
}

/** The results exactly as saved: the cells named in the manifest, their rows from the Arrow files. */
export async function loadSavedResults(
  reportsDir: string,
  asOf: string,
  owner: string | null,
  report?: ReportDefinition,
) {
  const definition = report ?? (await loadReport());
  const paths = reportPaths(reportsDir, asOf, reportScope(asOf, owner).owner);
  const manifest = readManifest(paths.manifest);
  if (!manifest) return undefined;
  const scope = reportScope(asOf, owner, manifest.timeZone, manifest.calibrationMinChecks);
  const results: CellResult[] = manifest.cells.map((entry) => {
    const cell = definition.cells.find((c) => c.id === entry.id);
    if (!cell)
      throw new Error(`${paths.manifest} names cell ${entry.id}, which reports/${definition.name} no longer has`);
    return {
      cell,
      missing: entry.missing,
      data: entry.dataset ? readDataset(join(paths.datasets, entry.dataset)) : null,
    };
  });
  return { results, scope, report: definition };
}

/** Re-renders a saved report from its datasets alone (no warehouse): the page as it was sent. */
export async function rerenderPage(reportsDir: string, asOf: string, owner: string | null): Promise<string> {
  const saved = await loadSavedResults(reportsDir, asOf, owner);
  if (!saved) throw new Error(`no saved report for ${asOf} (${owner ?? 'team'}) under ${reportsDir}`);
  return renderPage(buildReportView(saved.results, saved.scope), saved.report.templates, saved.report.css);
}

/**
 * Links for one recipient's copy of the email, by cell id (approve links are signed per
 * approver, so they exist only in the email built for that person, never on the shared page).
 */
export type RecipientLinks = (results: CellResult[]) => Promise<Map<string, CellLink[]>>;

/** The email for a report, from its saved datasets; renders the report first when there are none. */
export async function buildReportEmail(
  options: RenderOptions & { links?: RecipientLinks; viewInBrowser?: ViewInBrowser },
): Promise<ReportEmail & { page: string }> {
  const owner = reportScope(options.asOf, options.owner).owner;
  let saved = await loadSavedResults(options.reportsDir, options.asOf, owner, options.report);
  if (!saved) {
    await renderReportFiles(options);
    saved = (await loadSavedResults(options.reportsDir, options.asOf, owner, options.report))!;
  }
  const view = buildReportView(saved.results, saved.scope);
  if (options.links) {
    const links = await options.links(saved.results);
    for (const cell of view.cells) cell.links = links.get(cell.id) ?? [];
  }
  return {
    ...renderEmail(view, saved.report.templates, saved.report.css, options.viewInBrowser),
    page: reportPaths(options.reportsDir, saved.scope.asOf, owner).page,
  };
}
