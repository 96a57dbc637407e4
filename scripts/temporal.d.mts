export declare const PINNED_VERSIONS: string[];
export declare const CACHE_BIN: string;
export declare const SEARCH_ATTRIBUTES: Record<string, string>;
export declare function findTemporalCli(): string | undefined;
export declare function ensureTemporalCli(options?: { log?: (line: string) => void }): string;
export declare function freePort(): Promise<number>;
export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  pid: number | undefined;
  stop(): Promise<void>;
}
export declare function startDevServer(options?: {
  port?: number;
  uiPort?: number | null;
  dbFile?: string;
  logLevel?: string;
  quiet?: boolean;
  timeoutMs?: number;
}): Promise<DevServer>;
