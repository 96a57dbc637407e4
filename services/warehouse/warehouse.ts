import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBConnection, DuckDBInstance, StatementType, type DuckDBValue } from '@duckdb/node-api';
import { accessOptions } from './access';
import { ConnectionLock } from './connection-lock';
import { WarehouseLockedError, WarehouseMissingError } from './errors';
import { applyMigrations } from './migrations';

/**
 * Statement types that cannot change the file, as DuckDB classifies them (DESCRIBE, SHOW and the like parse to
 * SELECT).
 */
const READS: ReadonlySet<StatementType> = new Set([StatementType.SELECT, StatementType.EXPLAIN]);

export type SqlParams = Record<string, DuckDBValue> | DuckDBValue[];
export type Row = Record<string, unknown>;

/**
 * The one handle on the DuckDB file in this process. DuckDB locks the file against other
 * processes, so the worker owns it; the CLI opens it only while the worker is stopped.
 *
 * Every statement run here is scaleflow's own (data/sql, migrations, report cells); none rewrites
 * audit_log. SQL typed by a person reaches DuckDB only through `scaleflow sql`, which opens the
 * file read-only with external access off and runs one statement DuckDB classifies as a query
 * (read-query.ts): DuckDB, not a pattern over the text, keeps the audit log append-only there.
 */
export class Warehouse {
  private writes = 0;
  private readonly lock = new ConnectionLock();

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  /**
   * `files` (access.ts) defaults to off for a read-only open and on for a writable one, the
   * worker's and the ingest's; a writable open that reads no file (report, sync-spend) passes false.
   */
  static async open(
    path: string,
    options: { readOnly?: boolean; migrate?: boolean; files?: boolean } = {},
  ): Promise<Warehouse> {
    const readOnly = options.readOnly ?? false;
    const migrate = options.migrate ?? !readOnly;
    const files = options.files ?? !readOnly;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, {
        ...(readOnly ? { access_mode: 'READ_ONLY' } : {}),
        ...accessOptions({ files }),
      });
    } catch (err) {
      if (/lock/i.test(String((err as Error).message))) throw new WarehouseLockedError(path, err);
      if (readOnly && /does not exist/i.test(String((err as Error).message)))
        throw new WarehouseMissingError(path, err);
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
    await this.lock.hold('shared', async () => {
      this.writes++;
      try {
        await this.connection.run(sql, params);
      } finally {
        this.writes++;
      }
    });
  }

  /**
   * For work that must use the DuckDB connection itself (an appender, a prepared statement bound by
   * hand): it runs when no other caller's transaction is open, and none opens until it is done.
   * Inside a transaction it is part of that transaction.
   */
  withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.lock.hold('shared', () => work(this.connection));
  }

  /**
   * Rows as JSON-safe objects: DECIMAL comes back as an exact string, never a float. Each
   * statement is prepared once and DuckDB's own statement type says whether it may write.
   */
  all<T = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.lock.hold('shared', () => this.allHeld<T>(sql, params));
  }

  private async allHeld<T>(sql: string, params?: SqlParams): Promise<T[]> {
    const extracted = await this.connection.extractStatements(sql);
    let writing = false;
    try {
      for (let i = 0; ; i++) {
        // Prepared one at a time, after the one before ran: a later statement may use its table.
        const prepared = await extracted.prepare(i);
        try {
          if (!writing && !READS.has(prepared.statementType)) {
            writing = true;
            this.writes++;
          }
          if (i < extracted.count - 1) {
            await prepared.run();
            continue;
          }
          if (params) prepared.bind(params);
          return (await prepared.runAndReadAll()).getRowObjectsJson() as T[];
        } finally {
          prepared.destroySync();
        }
      }
    } finally {
      if (writing) this.writes++;
    }
  }

  async one<T = Row>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /**
   * Runs fn inside a transaction, rolled back when it throws. The connection holds one transaction
   * at a time, and whatever runs on it while one is open is part of it: so transactions take turns
   * (first come, first served), and other callers' statements wait for the open one to end
   * (connection-lock.ts). The statements fn runs, through this warehouse, go straight in.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.lock.inTransaction())
      return Promise.reject(new Error('Warehouse.transaction: already inside a transaction'));
    return this.lock.hold('exclusive', async () => {
      await this.run('BEGIN TRANSACTION');
      try {
        const result = await fn();
        await this.run('COMMIT');
        return result;
      } catch (err) {
        await this.run('ROLLBACK');
        throw err;
      }
    });
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
