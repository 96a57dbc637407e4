import { dateValue, DuckDBTypeId, StatementType, type DuckDBDecimalType, type DuckDBType } from '@duckdb/node-api';
import { buildTable, rowsOf, type ColumnInfo, type ColumnKind } from '../../lib/reports/arrow';
import {
  DEFAULT_CALIBRATION_MIN_CHECKS,
  type CellData,
  type CellDefinition,
  type ReportScope,
} from '../../lib/reports/cell';
import type { Warehouse } from '../warehouse/warehouse';

/**
 * Runs a cell's SQL with its bound parameters and turns the result into an Arrow table. The
 * DuckDB client has no Arrow export, so each column's DuckDB type picks an explicit Arrow type
 * (lib/reports/arrow.ts); a type with no faithful mapping stops the report and names the column.
 *
 * Parameters a query may use, all bound, never spliced: $as_of (DATE), $yesterday (DATE, the last
 * complete day, where every window ends), $owner (VARCHAR, NULL in the team report) and $tz (VARCHAR,
 * the account time zone, for turning sync and load instants into local days and hours) and $min_checks
 * (INTEGER, CALIBRATION_MIN_CHECKS).
 */
function kindOf(type: DuckDBType, column: string, cellId: string): { kind: ColumnKind; scale?: number } {
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
    case DuckDBTypeId.UUID:
    case DuckDBTypeId.SQLNULL:
      return { kind: 'string' };
    case DuckDBTypeId.DATE:
      return { kind: 'date' };
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_S:
      return { kind: 'timestamp' };
    case DuckDBTypeId.DECIMAL:
      return { kind: 'decimal', scale: (type as DuckDBDecimalType).scale };
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.FLOAT:
      return { kind: 'float' };
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
      return { kind: 'integer' };
    case DuckDBTypeId.BOOLEAN:
      return { kind: 'boolean' };
    default:
      throw new Error(
        `report cell ${cellId}: column ${column} has DuckDB type ${type.toString()}; cast it to VARCHAR, DECIMAL, DOUBLE, INTEGER, BOOLEAN or DATE in the query`,
      );
  }
}

export async function missingTables(warehouse: Warehouse, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const present = await warehouse.all<{ table_name: string }>(
    'SELECT DISTINCT table_name FROM information_schema.tables',
  );
  const found = new Set(present.map((r) => r.table_name));
  return names.filter((n) => !found.has(n));
}

function toDateValue(iso: string) {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return dateValue({ year, month, day });
}

export function runCell(warehouse: Warehouse, cell: CellDefinition, scope: ReportScope): Promise<CellData> {
  // Bound by hand on the connection: it must not read another caller's uncommitted transaction.
  return warehouse.withConnection(() => runCellHeld(warehouse, cell, scope));
}

async function runCellHeld(warehouse: Warehouse, cell: CellDefinition, scope: ReportScope): Promise<CellData> {
  const prepared = await warehouse.connection.prepare(cell.sql);
  try {
    // A cell runs on the writer's connection, so DuckDB's own reading of its SQL must be a query.
    if (prepared.statementType !== StatementType.SELECT) {
      throw new Error(
        `report cell ${cell.id}: DuckDB reads its SQL as ${StatementType[prepared.statementType]}; a cell is one query (SELECT or WITH)`,
      );
    }
    for (let i = 1; i <= prepared.parameterCount; i++) {
      const name = prepared.parameterName(i);
      if (name === 'as_of') prepared.bindDate(i, toDateValue(scope.asOf));
      else if (name === 'yesterday') prepared.bindDate(i, toDateValue(scope.yesterday));
      else if (name === 'owner') {
        if (scope.owner === null) prepared.bindNull(i);
        else prepared.bindVarchar(i, scope.owner);
      } else if (name === 'tz') prepared.bindVarchar(i, scope.timeZone);
      else if (name === 'min_checks')
        prepared.bindInteger(i, scope.calibrationMinChecks ?? DEFAULT_CALIBRATION_MIN_CHECKS);
      else
        throw new Error(
          `report cell ${cell.id}: unknown parameter $${name} (use $as_of, $yesterday, $owner, $tz, $min_checks)`,
        );
    }
    const reader = await prepared.runAndReadAll();
    const names = reader.columnNames();
    const types = reader.columnTypes();
    const info: ColumnInfo[] = names.map((name, i) => ({ name, ...kindOf(types[i]!, name, cell.id) }));
    const table = buildTable(info, reader.getColumnsJson(), {
      'scaleflow.cell': cell.id,
      'scaleflow.as_of': scope.asOf,
      'scaleflow.owner': scope.owner ?? '',
    });
    return { columns: info, rows: rowsOf(table), table };
  } finally {
    prepared.destroySync();
  }
}
