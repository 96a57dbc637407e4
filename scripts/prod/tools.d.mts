export declare const TEMPORAL_SERVER_VERSION: string;
export declare function ensurePostgres(options: { log: (line: string) => void }): string;
export declare function ensureTemporalServer(options: { log: (line: string) => void }): {
  server: string;
  sql: string;
  schemaDir: string;
};
export declare function ensureProdTools(options?: { log?: (line: string) => void }): {
  pgBin: string;
  temporal: { server: string; sql: string; schemaDir: string };
  cli: string;
};
