// The warehouse's errors the CLI answers with a sentence: apart from warehouse.ts, so reporting
// them does not load DuckDB.

export class WarehouseLockedError extends Error {
  constructor(path: string, cause: unknown) {
    super(
      `The DuckDB file ${path} is in use by another process (the scaleflow worker owns it while it runs). ` +
        'Stop the worker, or ask it through the HTTP API or Temporal.',
      { cause },
    );
    this.name = 'WarehouseLockedError';
  }
}

export class WarehouseMissingError extends Error {
  constructor(path: string, cause: unknown) {
    super(
      `There is no warehouse at ${path}: start the worker (it creates the file) or name another with --db / SCALEFLOW_DB.`,
      { cause },
    );
    this.name = 'WarehouseMissingError';
  }
}

/** A query `scaleflow sql` will not run: more than one statement, not a read, or DuckDB refused it. */
export class QueryRefusedError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'QueryRefusedError';
  }
}
