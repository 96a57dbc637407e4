import {
  Bool,
  Field,
  Float64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableFromIPC,
  tableToIPC,
  Utf8,
  vectorFromArray,
  type DataType,
} from 'apache-arrow';
import { z } from 'zod';

/**
 * A cell's result as an Arrow table with explicit types. Money is DECIMAL in DuckDB and stays an
 * exact decimal string here (Utf8 tagged `decimal`): a float column would turn 0.10 + 0.20 into
 * 0.30000000000000004 for anyone who sums it, and the saved dataset is the audit copy of what was
 * sent. Code that needs arithmetic turns the strings into integer cents (lib/money.ts); charts
 * convert to dollars only at the last step.
 */
export const columnKindSchema = z.enum(['string', 'date', 'timestamp', 'decimal', 'float', 'integer', 'boolean']);
export type ColumnKind = z.infer<typeof columnKindSchema>;

export const columnInfoSchema = z.object({
  name: z.string().min(1),
  kind: columnKindSchema,
  scale: z.number().int().min(0).optional(),
});
export type ColumnInfo = z.infer<typeof columnInfoSchema>;

export type CellValue = string | number | boolean | null;
export type CellRow = Record<string, CellValue>;

/** Dates, timestamps and decimals travel as text so nothing is rounded or shifted by a zone. */
function arrowType(kind: ColumnKind): DataType {
  switch (kind) {
    case 'float':
      return new Float64();
    case 'integer':
      // Int64 would hand back bigints that templates and charts cannot use; counts fit 2^53.
      return new Float64();
    case 'boolean':
      return new Bool();
    default:
      return new Utf8();
  }
}

const KIND = 'scaleflow.kind';
const SCALE = 'scaleflow.scale';

function normalise(kind: ColumnKind, value: unknown, column: string): CellValue {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'float': {
      const n = typeof value === 'number' ? value : Number(value);
      if (Number.isNaN(n)) throw new TypeError(`column ${column}: ${String(value)} is not a number`);
      return n;
    }
    case 'integer': {
      const n = Number(value);
      if (!Number.isSafeInteger(n)) throw new TypeError(`column ${column}: ${String(value)} is not a safe integer`);
      return n;
    }
    case 'boolean':
      return Boolean(value);
    default:
      return String(value);
  }
}

/** Builds the table column by column; `columns[i]` holds the values of `info[i]`. */
export function buildTable(info: ColumnInfo[], columns: unknown[][], metadata: Record<string, string> = {}): Table {
  const fields = info.map((c) => {
    const meta = new Map<string, string>([[KIND, c.kind]]);
    if (c.scale !== undefined) meta.set(SCALE, String(c.scale));
    return new Field(c.name, arrowType(c.kind), true, meta);
  });
  const length = columns[0]?.length ?? 0;
  const children = info.map((c, i) => {
    const values = (columns[i] ?? []).map((v) => normalise(c.kind, v, c.name));
    if (values.length !== length)
      throw new RangeError(`column ${c.name} has ${values.length} values, expected ${length}`);
    return vectorFromArray(values as never[], fields[i]!.type).data[0]!;
  });
  const schema = new Schema(fields, new Map(Object.entries(metadata)));
  const data = makeData({ type: new Struct(fields), length, nullCount: 0, children });
  return new Table(schema, [new RecordBatch(schema, data)]);
}

/** The column descriptions read back from a table's field metadata. */
export function columnsOf(table: Table): ColumnInfo[] {
  return table.schema.fields.map((f) => {
    const scale = f.metadata.get(SCALE);
    return columnInfoSchema.parse({
      name: f.name,
      kind: f.metadata.get(KIND) ?? 'string',
      ...(scale === undefined ? {} : { scale: Number(scale) }),
    });
  });
}

export function rowsOf(table: Table): CellRow[] {
  const names = table.schema.fields.map((f) => f.name);
  const vectors = names.map((_, i) => table.getChildAt(i)!);
  const rows: CellRow[] = [];
  for (let r = 0; r < table.numRows; r++) {
    const row: CellRow = {};
    names.forEach((name, i) => (row[name] = (vectors[i]!.get(r) as CellValue | undefined) ?? null));
    rows.push(row);
  }
  return rows;
}

export function metadataOf(table: Table): Record<string, string> {
  return Object.fromEntries(table.schema.metadata);
}

/** Arrow IPC file format (random access, what pyarrow.ipc.open_file and DuckDB's arrow reader expect). */
export function toIpc(table: Table): Uint8Array {
  return tableToIPC(table, 'file');
}

export function fromIpc(bytes: Uint8Array): Table {
  return tableFromIPC(bytes);
}
