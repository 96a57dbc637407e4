/**
 * The strateg.is report's columns (../shared/strategis-report.md): canonical names, their
 * aliases, and how a header line maps onto them. Matching ignores case, spaces, `_` and `-`.
 */
export const COLUMNS = {
  date: ['day', 'report_date'],
  campaign_id: ['campaign', 'subid', 'strategis_campaign_id'],
  campaign_name: ['name'],
  owner: ['buyer', 'media_buyer'],
  category: ['vertical', 'offer'],
  spend: ['cost', 'ad_spend', 'spend_usd'],
  revenue: ['rev', 'earnings', 'revenue_usd', 'estimated_revenue'],
  margin: ['profit', 'net', 'net_margin_usd'],
  clicks: [],
  conversions: ['leads'],
  impressions: [],
  sessions: [],
  account_id: ['ad_account_id'],
  meta_campaign_id: ['network_campaign_id'],
  level: [],
  adset_id: [],
  adset_name: [],
  is_reconciled: [],
} as const satisfies Record<string, readonly string[]>;

export type Column = keyof typeof COLUMNS;
export const COLUMN_NAMES = Object.keys(COLUMNS) as Column[];
export const REQUIRED_COLUMNS: Column[] = ['date', 'campaign_id', 'spend', 'revenue'];

/** Recomputed by scaleflow, so a file's own values are ignored rather than reported as unknown. */
const RECOMPUTED = ['roas', 'margin_rate'];

export function normaliseHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
}

const lookup = new Map<string, Column>();
for (const column of COLUMN_NAMES) {
  for (const name of [column, ...COLUMNS[column]]) lookup.set(normaliseHeader(name), column);
}

export interface HeaderMap {
  /** Canonical column -> its 0-based position in the file. */
  positions: Partial<Record<Column, number>>;
  /** Header cells that are not part of the contract: kept in the archived file, not loaded. */
  ignored: string[];
  width: number;
}

/** The file as a whole is not a strateg.is report: nothing of it is loaded. */
export class NotAStrategisReportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotAStrategisReport';
  }
}

/** Maps a header line's cells onto the contract, or says exactly why the file is not a report. */
export function mapHeader(cells: string[] | undefined): HeaderMap {
  if (!cells || cells.every((c) => c.trim() === '')) {
    throw new NotAStrategisReportError('not a strateg.is report: the file is empty (no header line)');
  }
  const positions: Partial<Record<Column, number>> = {};
  const ignored: string[] = [];
  cells.forEach((cell, index) => {
    const key = normaliseHeader(cell);
    const column = lookup.get(key);
    if (column === undefined) {
      if (!RECOMPUTED.includes(key)) ignored.push(cell);
      return;
    }
    const earlier = positions[column];
    if (earlier !== undefined) {
      throw new NotAStrategisReportError(
        `not a strateg.is report: columns "${cells[earlier]}" and "${cell}" both mean ${column}`,
      );
    }
    positions[column] = index;
  });
  const missing = REQUIRED_COLUMNS.filter((c) => positions[c] === undefined);
  if (missing.length > 0) {
    const hint =
      cells.length === 1 && /[;\t|]/.test(cells[0]!)
        ? ' (the header is a single column: is the file delimited by something other than commas?)'
        : '';
    throw new NotAStrategisReportError(
      `not a strateg.is report: missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; ` +
        `found ${cells.map((c) => JSON.stringify(c)).join(', ')}${hint}`,
    );
  }
  return { positions, ignored, width: cells.length };
}

/** A record's cells as canonical column -> text (absent columns are undefined). */
export function cellsByColumn(header: HeaderMap, cells: string[]): Partial<Record<Column, string>> {
  const out: Partial<Record<Column, string>> = {};
  for (const column of COLUMN_NAMES) {
    const index = header.positions[column];
    if (index !== undefined) out[column] = cells[index];
  }
  return out;
}

/** `Total`, `Totals` or `Grand Total` in the first cell: a summary line, skipped, not loaded. */
export const TOTALS_FIRST_CELLS = ['total', 'totals', 'grand total'];

export function isTotalsRow(firstCell: string | undefined): boolean {
  return TOTALS_FIRST_CELLS.includes((firstCell ?? '').trim().toLowerCase());
}
