import type { Issued } from './certs.mjs';
type Certs = { ca: string; server: Issued; clients: Record<string, Issued> };
export declare function startPostgres(
  dir: string,
  pgBin: string,
): Promise<{ port: number; pid: number | undefined; stop(): Promise<void> }>;
export declare function setupTemporalSchema(tools: { sql: string; schemaDir: string }, pgPort: number): void;
export declare function cliTlsArgs(address: string, certs: Certs, who: string): string[];
export declare function startTemporalServer(
  dir: string,
  options: { server: string; cli: string; pgPort: number; certs: Certs; namespace?: string; operator?: string },
): Promise<{ address: string; pid: number | undefined; tail(): string; stop(): Promise<void> }>;
