// What a DuckDB connection may reach beyond its own file, decided when it opens. Settings given
// at open time hold before any statement runs, and lock_configuration stops a statement from
// turning them back on (SET and RESET answer "the configuration has been locked").

/**
 * `files: true` keeps DuckDB's file functions (read_csv and the rest, COPY, ATTACH): only the
 * connections that ingest need them, because the strateg.is report and the campaign map are read
 * with read_csv. Those are the worker, `scaleflow ingest`, `scaleflow map` and the backtest's own
 * warehouse. Every other connection opens with `files: false`: external access off, so no file,
 * URL or other database is reachable from SQL (read_text, COPY ... TO, EXPORT DATABASE, ATTACH).
 */
export interface Access {
  files: boolean;
}

/** DuckDB's own switches for a connection with the given access. */
export function accessOptions({ files }: Access): Record<string, string> {
  return {
    // The extensions scaleflow uses (json, icu, parquet) are built into the client; nothing is
    // fetched from the network or loaded from disk because a query named a function.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    ...(files ? {} : { enable_external_access: 'false' }),
    lock_configuration: 'true',
  };
}
