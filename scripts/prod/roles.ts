// The scaleflow processes of the production topology, as data: the check starts each as its own
// process from the runtime layout, over mTLS, and temporal-compose.yml runs the same commands.
//
// TODO(queues): until `scaleflow worker --role` and `scaleflow api` land (branch queues), one
// worker runs every activity and serves HTTP. Then switch to the topology below and fill in the
// kill scenarios in check.ts (each marked TODO(queues)):
//   { name: 'warehouse', args: ['dist/scaleflow.js', 'worker', '--role', 'warehouse'] },
//   { name: 'meta-1', args: ['dist/scaleflow.js', 'worker', '--role', 'meta'] },
//   { name: 'meta-2', args: ['dist/scaleflow.js', 'worker', '--role', 'meta'] },
//   { name: 'io', args: ['dist/scaleflow.js', 'worker', '--role', 'io'] },
//   { name: 'api', args: ['dist/scaleflow.js', 'api'], http: true },
export interface Role {
  /** Unique per process: its log prefix and, where it serves HTTP, the owner of HTTP_PORT. */
  name: string;
  /** node arguments, relative to the runtime layout. */
  args: string[];
  /** Serves the approval pages and the API (health is awaited on it). */
  http?: boolean;
  /** Owns the DuckDB file (at most one). */
  warehouse?: boolean;
}

export const ROLES: Role[] = [{ name: 'all', args: ['dist/worker.js'], http: true, warehouse: true }];
