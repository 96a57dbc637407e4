import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { WarehouseLockedError, WarehouseMissingError } from './errors';
import { applyMigrations } from './migrations';

/** Tables nothing in scaleflow may rewrite: statements that would are refused before DuckDB sees them. */
const APPEND_ONLY = /\b(UPDATE|DELETE\s+FROM|TRUNCATE(\s+TABLE)?|DROP\s+TABLE(\s+IF\s+EXISTS)?|ALTER\s+TABLE|INSERT\s+OR\s+REPLACE\s+INTO)\s+(main\.)?"?audit_log"?\b/i;

export class AppendOnlyError extends Error {
  constructor() {
    super('audit_log is append-only: scaleflow never updates or deletes its rows');
    this.name = 'AppendOnlyError';
  }
}

function guard(sql: string): void {
  if (APPEND_ONLY.test(sql)) throw new AppendOnlyError();
}

/** A statement that only reads: leading comments, then SELECT, WITH, FROM, DESCRIBE, SHOW or SUMMARIZE. */
const READ_ONLY = /^\s*(?:--[^\n]*\n\s*)*(?:SELECT|WITH|FROM|DESCRIBE|SHOW|SUMMARIZE)\b/i;

export type SqlParams = Record<string, DuckDBValue> | DuckDBValue[];
export type Row = Record<string, unknown>;

/**
 * The one handle on the DuckDB file in this process. DuckDB locks the file against other
 * processes, so the worker owns it; the CLI opens it only while the worker is stopped.
 */
export class Warehouse {
  private writes = 0;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(path: string, options: { readOnly?: boolean; migrate?: boolean } = {}): Promise<Warehouse> {
    const readOnly = options.readOnly ?? false;
    const migrate = options.migrate ?? !readOnly;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, readOnly ? { access_mode: 'READ_ONLY' } : {});
    } catch (err) {
      if (/lock/i.test(String((err as Error).message))) throw new WarehouseLockedError(path, err);
      if (readOnly && /does not exist/i.test(String((err as Error).message))) throw new WarehouseMissingError(path, err);
      throw err;
    }
    const warehouse = new Warehouse(path, instance, await instance.connect());
    if (migrate) await applyMigrations(warehouse);
    return warehouse;
  }

  /**
   * Counts statements that may have changed the file (everything but plain reads), before and
   * after they run, so an answer cached under one generation is never served after a write.
   */
  get generation(): number {
    return this.writes;
  }

  /** Marks a write made outside run()/all(), e.g. through an appender. */
  touched(): void {
    this.writes++;
  }

  async run(sql: string, params?: SqlParams): Promise<void> {
    guard(sql);
    this.writes++;
    try {
      await this.connection.run(sql, params);
    } finally {
      this.writes++;
    }
  }

  /** Rows as JSON-safe objects: DECIMAL comes back as an exact string, never a float. */
  async all<T = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    guard(sql);
    const writes = !READ_ONLY.test(sql);
    if (writes) this.writes++;
    try {
      const reader = await this.connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJson() as T[];
    } finally {
      if (writes) this.writes++;
    }
  }

  async one<T = Row>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** Runs fn inside a transaction, rolled back when it throws. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    try {
      const result = await fn();
      await this.run('COMMIT');
      return result;
    } catch (err) {
      await this.run('ROLLBACK');
      throw err;
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
