import type { Table } from 'apache-arrow';
import { z } from 'zod';
import type { CellRow, ColumnInfo } from './arrow';
import type { ChartSpec } from './charts';
import type { CompiledTemplate } from './templating';

/**
 * A cell is one question of a report: `reports/<report>/cells/<id>.sql` (the query, its header
 * says how to show it), `<id>.hbs` (the sentence), and optionally `<id>.ts` (a chart and derived
 * facts for the sentence). Ids start with three digits, which order the cells on the page.
 */
export const CELL_ID = /^\d{3}_[a-z0-9_]+$/;

const columnSpec = z
  .string()
  .transform((text) => {
    const [name, ...label] = text.split(':');
    return { name: name!.trim(), label: label.join(':').trim() || name!.trim().replace(/_/g, ' ') };
  })
  .pipe(z.object({ name: z.string().regex(/^[a-z0-9_]+$/, 'a column name'), label: z.string().min(1) }));

/** The `-- @key value` lines at the top of a cell's SQL. */
export const cellHeaderSchema = z.object({
  title: z.string().min(1),
  /** Tables or views the query reads: a cell whose table is not in the warehouse yet is shown as waiting for it. */
  requires: z.array(z.string().regex(/^[a-z_][a-z0-9_]*$/)).default([]),
  /**
   * table: the rows (default); tiles: one tile per row (metric, yesterday, avg_7d, direction...); none: sentence
   * and chart only.
   */
  display: z.enum(['table', 'tiles', 'none']).default('table'),
  /** Which columns the table shows, as name or name:Label; default all. */
  columns: z.array(columnSpec).optional(),
  /** Rows shown in the table (the dataset keeps them all). */
  limit: z.coerce.number().int().positive().default(15),
  /** team: only in the team report; owner: only in an owner's; default both. */
  scope: z.enum(['both', 'team', 'owner']).default('both'),
});
export type CellHeader = z.infer<typeof cellHeaderSchema>;

export class CellDefinitionError extends Error {
  constructor(cellId: string, message: string) {
    super(`report cell ${cellId}: ${message}`);
    this.name = 'CellDefinitionError';
  }
}

const LIST_KEYS = new Set(['requires', 'columns']);

export function parseCellHeader(cellId: string, sql: string): CellHeader {
  const raw: Record<string, unknown> = {};
  for (const line of sql.split('\n')) {
    const match = /^\s*--\s*@([a-z]+)\s+(.*?)\s*$/.exec(line);
    if (!match) continue;
    const [, key, value] = match as unknown as [string, string, string];
    raw[key] = LIST_KEYS.has(key)
      ? value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
      : value;
  }
  const parsed = cellHeaderSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CellDefinitionError(cellId, `header @${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

export interface ReportScope {
  asOf: string;
  yesterday: string;
  /** null: the team report. */
  owner: string | null;
  /** The account time zone (TZ): local days and hours for the Meta sync and the loads. */
  timeZone: string;
  /** CALIBRATION_MIN_CHECKS: the checks a band needs before calibration may call it clearly wrong. */
  calibrationMinChecks?: number;
}

/** lib/config.ts's default CALIBRATION_MIN_CHECKS, for a scope without one (tests, the benchmark). */
export const DEFAULT_CALIBRATION_MIN_CHECKS = 20;

/** What a chart function and a facts function get: the rows, typed, and the table they came from. */
export interface CellData {
  columns: ColumnInfo[];
  rows: CellRow[];
  table: Table;
}

export type ChartFn = (data: CellData, scope: ReportScope) => ChartSpec | null;
export type FactsFn = (data: CellData, scope: ReportScope) => Record<string, unknown>;

/** The optional `<id>.ts` beside a cell's SQL. */
export interface CellCode {
  chart?: ChartFn;
  facts?: FactsFn;
}

export interface CellDefinition {
  id: string;
  header: CellHeader;
  sql: string;
  /** The sentence, compiled once when the report is loaded. */
  narrative: CompiledTemplate;
  code: CellCode;
}

export function appliesTo(cell: CellDefinition, owner: string | null): boolean {
  return cell.header.scope === 'both' || (cell.header.scope === 'team') === (owner === null);
}
