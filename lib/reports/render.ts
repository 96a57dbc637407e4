import type { CellRow } from './arrow';
import type { CellData, CellDefinition, ReportScope } from './cell';
import { chartToPng, renderChart, type RenderedChart } from './charts';
import { formatChange, formatDay, formatMoney, formatPercent, formatValue } from './format';
import {
  adsetLabel,
  ALLOCATED_MARK,
  ALLOCATED_NOTE,
  campaignPrefix,
  campaignRows,
  firstCampaigns,
  isAdsetRow,
  isAllocated,
  isRevenueColumn,
} from './levels';
import { squash, type CompiledTemplate } from './templating';

/**
 * Turns cell results into the page and the email. Pure: the activity hands in the rows (fresh
 * from DuckDB or read back from the saved Arrow files) and the templates, and writes the output.
 */
export interface CellResult {
  cell: CellDefinition;
  /** null when a table the cell requires is not in the warehouse yet. */
  data: CellData | null;
  missing: string[];
}

export interface Tile {
  label: string;
  value: string;
  baseline: string;
  delta: string;
  tone: 'good' | 'bad' | 'neutral';
}

export interface CellView {
  id: string;
  title: string;
  waiting: string | null;
  /** html: already escaped by the cell's template (values escaped, its own text kept), so pages insert it as is. */
  sentence: { html: string; text: string };
  chart: (RenderedChart & { cid: string }) | null;
  tiles: Tile[];
  /** vertical: one row shown as label/value pairs, which fits a phone better than a wide row. */
  table: {
    headers: string[];
    numeric: boolean[];
    rows: string[][];
    /** Per row: an ad set listed under the campaign row above it (lib/reports/levels.ts). */
    adset: boolean[];
    /** Says what a mark in the table means (allocated revenue), when one is there. */
    note: string | null;
    more: number;
    vertical: boolean;
    pairs: { label: string; value: string }[];
  } | null;
  /** The tiles or the first table rows as lines, for the plain-text part. */
  lines: string[];
  /** Links for the one recipient this email is built for (approve links); always empty on the page. */
  links: CellLink[];
}

export interface CellLink {
  label: string;
  href: string;
  /** e.g. "until Tue Oct 14, 06:00". */
  note: string;
}

/** page.hbs, email.hbs (HTML, escaped), email.txt.hbs and subject.hbs (plain text). */
export interface ReportTemplates {
  page: CompiledTemplate;
  email: CompiledTemplate;
  text: CompiledTemplate;
  subject: CompiledTemplate;
}

function formatUnit(unit: unknown, value: CellRow[string]): string {
  return unit === 'pct' ? formatPercent(value) : formatMoney(value, { whole: false });
}

/** Tiles read the columns label, unit ('usd' | 'pct'), yesterday, avg_7d, direction, change, better. */
function tilesOf(rows: CellRow[]): Tile[] {
  return rows.map((r) => {
    const better = r.better === null || r.better === undefined ? null : Boolean(r.better);
    const tone =
      r.direction === 'flat' || better === null ? 'neutral' : (r.direction === 'up') === better ? 'good' : 'bad';
    return {
      label: String(r.label ?? r.metric ?? ''),
      value: formatUnit(r.unit, r.yesterday ?? null),
      baseline: `7-day avg ${formatUnit(r.unit, r.avg_7d ?? null)}`,
      delta: formatChange(r.direction ?? null, r.change ?? null, r.unit === 'pct' ? 'pct' : 'usd'),
      tone,
    };
  });
}

function tableOf(cell: CellDefinition, data: CellData): CellView['table'] {
  if (cell.header.display !== 'table' || data.rows.length === 0) return null;
  const known = new Map(data.columns.map((c) => [c.name, c]));
  const shown = (
    cell.header.columns ?? data.columns.map((c) => ({ name: c.name, label: c.name.replace(/_/g, ' ') }))
  ).filter((c) => {
    if (!known.has(c.name))
      throw new Error(`report cell ${cell.id}: @columns names ${c.name}, which the query does not return`);
    return true;
  });
  const kinds = shown.map((c) => known.get(c.name)!.kind);
  const headers = shown.map((c) => c.label);
  // A row with nothing in any shown column is a status row for the sentence (e.g. "not evaluated
  // yet"), not a line of the table; a table of only such rows is left out.
  const filled = data.rows.filter((row) =>
    shown.some((c) => row[c.name] !== null && row[c.name] !== undefined && row[c.name] !== ''),
  );
  if (filled.length === 0) return null;
  const kept = firstCampaigns(filled, cell.header.limit);
  const rows = kept.map((row) =>
    shown.map((c, i) => {
      if (i === 0 && isAdsetRow(row)) return adsetLabel(row);
      const currency = typeof row.currency === 'string' ? row.currency : undefined;
      const text = formatValue(kinds[i]!, c.name, row[c.name] ?? null, currency);
      return text && isRevenueColumn(c.name) && isAllocated(row) ? `${text} ${ALLOCATED_MARK}` : text;
    }),
  );
  const vertical = rows.length === 1 && headers.length > 2;
  return {
    headers,
    numeric: kinds.map((k) => ['decimal', 'float', 'integer'].includes(k)),
    rows,
    adset: kept.map(isAdsetRow),
    note: kept.some(isAllocated) && shown.some((c) => isRevenueColumn(c.name)) ? ALLOCATED_NOTE : null,
    more: Math.max(0, campaignRows(filled).length - cell.header.limit),
    vertical,
    pairs: vertical ? headers.map((label, i) => ({ label, value: rows[0]![i]! })) : [],
  };
}

/** Rows a table shows in the plain-text part: enough to act on, short enough to read. */
const TEXT_ROWS = 5;

export function buildCellView(result: CellResult, scope: ReportScope): CellView {
  const { cell, data: full } = result;
  const base = { id: cell.id, title: cell.header.title, chart: null, tiles: [], table: null, lines: [], links: [] };
  if (!full) {
    const waiting = `Waiting for data: ${result.missing.join(', ')} ${result.missing.length === 1 ? 'is' : 'are'} not in the warehouse yet.`;
    return { ...base, waiting, sentence: { html: '', text: waiting } };
  }
  // The sentence, facts and chart count campaigns; ad-set rows are for the table (levels.ts).
  const data = { ...full, rows: campaignRows(full.rows) };
  const context = {
    ...scope,
    team: scope.owner === null,
    rows: data.rows,
    first: data.rows[0] ?? null,
    count: data.rows.length,
    facts: cell.code.facts?.(data, scope) ?? {},
  };
  const spec = cell.code.chart?.(data, scope) ?? null;
  const tiles = cell.header.display === 'tiles' ? tilesOf(data.rows) : [];
  const table = tableOf(cell, full);
  const textRows = table?.rows.slice(0, campaignPrefix(table.adset, TEXT_ROWS)) ?? [];
  const lines = tiles.length
    ? tiles.map((t) => `${t.label}: ${t.value} (${t.delta} vs ${t.baseline})`)
    : table?.rows.length === 1
      ? table.headers.map((h, i) => `${h}: ${table.rows[0]![i] || 'n/a'}`)
      : [...textRows.map((r) => r.filter(Boolean).join(' | ')), ...(table?.note ? [table.note] : [])];
  return {
    ...base,
    waiting: null,
    sentence: { html: squash(cell.narrative.html(context)), text: squash(cell.narrative.text(context)) },
    chart: spec ? { ...renderChart(spec), cid: `${cell.id}.${scope.asOf}@scaleflow` } : null,
    tiles,
    table,
    lines,
  };
}

export interface ReportView {
  asOf: string;
  yesterday: string;
  owner: string | null;
  scopeLabel: string;
  dayLabel: string;
  cells: CellView[];
  /** Cells by name without the order prefix (summary, margin_trend...), for the subject line. */
  byName: Record<string, CellView & { rows: CellRow[]; first: CellRow | null }>;
  chartCount: number;
}

export function buildReportView(results: CellResult[], scope: ReportScope): ReportView {
  const cells = results.map((r) => buildCellView(r, scope));
  const byName: ReportView['byName'] = {};
  results.forEach((r, i) => {
    const rows = r.data?.rows ?? [];
    byName[r.cell.id.slice(4)] = { ...cells[i]!, rows, first: rows[0] ?? null };
  });
  return {
    ...scope,
    scopeLabel: scope.owner === null ? 'Team' : scope.owner,
    dayLabel: formatDay(scope.yesterday),
    cells,
    byName,
    chartCount: cells.filter((c) => c.chart).length,
  };
}

export function renderPage(view: ReportView, templates: ReportTemplates, css: string): string {
  return templates.page.html({ ...view, css });
}

export interface ReportEmail {
  subject: string;
  html: string;
  text: string;
  attachments: { cid: string; filename: string; content: Buffer; contentType: 'image/png' }[];
}

/** The recipient's own "View in browser" link (signed for them), when the worker can sign one. */
export interface ViewInBrowser {
  href: string;
  /** e.g. "Tue, Oct 14, 06:00", in the account time zone. */
  until: string;
}

/** The same cells as the page; charts become PNG attachments that the HTML references by cid. */
export function renderEmail(
  view: ReportView,
  templates: ReportTemplates,
  css: string,
  viewInBrowser?: ViewInBrowser,
): ReportEmail {
  const attachments = view.cells.flatMap((c) =>
    c.chart
      ? [{ cid: c.chart.cid, filename: `${c.id}.png`, content: chartToPng(c.chart), contentType: 'image/png' as const }]
      : [],
  );
  return {
    subject: squash(templates.subject.text(view)),
    html: templates.email.html({ ...view, css, viewInBrowser }),
    text: templates.text.text({ ...view, viewInBrowser }).replace(/\n{3,}/g, '\n\n'),
    attachments,
  };
}
