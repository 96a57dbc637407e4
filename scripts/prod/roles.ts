// The scaleflow processes of the production topology, as data: the check starts each as its own
// process from the runtime layout (the image's ENTRYPOINT, node dist/scaleflow.js, with the
// command temporal-compose.yml gives the service), over mTLS with the payload codec on.
export interface Role {
  /** Unique per process: its log prefix. */
  name: string;
  /** node arguments, relative to the runtime layout. */
  args: string[];
  /**
   * Serves HTTP on a port of its own: `api` the approval pages (PUBLIC_BASE_URL points at it),
   * `warehouse` the JSON API (its answers are DuckDB queries). Health is awaited on it.
   */
  http?: 'api' | 'warehouse';
  /** The compose service this process is a replica of. */
  service: string;
}

const entry = 'dist/scaleflow.js';
const worker = (role: string) => [entry, 'worker', '--role', role];

export const ROLES: Role[] = [
  { name: 'warehouse', service: 'scaleflow-warehouse', args: worker('warehouse'), http: 'warehouse' },
  { name: 'meta-1', service: 'scaleflow-meta', args: worker('meta') },
  { name: 'meta-2', service: 'scaleflow-meta', args: worker('meta') },
  { name: 'io', service: 'scaleflow-io', args: worker('io') },
  { name: 'api', service: 'scaleflow-api', args: [entry, 'api'], http: 'api' },
];
