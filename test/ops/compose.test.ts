import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema, parseConfig } from '../../lib/config';
import { ROLES } from '../../scripts/prod/roles';
import { SEARCH_ATTRIBUTES } from '../../scripts/temporal.mjs';

interface Mount {
  type?: string;
  source: string;
  target: string;
  read_only?: boolean;
  bind?: { create_host_path?: boolean };
}
interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string | number>;
  healthcheck?: unknown;
  depends_on?: Record<string, { condition: string }>;
  volumes?: (string | Mount)[];
  ports?: string[];
  command?: string[];
  deploy?: { replicas?: number };
}

const root = new URL('../../', import.meta.url);
// merge: compose's `<<: *anchor` keys, as docker compose reads them.
const compose = parse(readFileSync(new URL('temporal-compose.yml', root), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
/** Issue 17: one image, the role chosen by command; the topology test:prod runs (scripts/prod/roles.ts). */
const ROLE_SERVICES = {
  'scaleflow-warehouse': { command: ['worker', '--role', 'warehouse'], replicas: 1 },
  'scaleflow-meta': { command: ['worker', '--role', 'meta'], replicas: 2 },
  'scaleflow-io': { command: ['worker', '--role', 'io'], replicas: 1 },
  'scaleflow-api': { command: ['api'], replicas: 1 },
};
const worker = compose.services['scaleflow-warehouse']!;
const known = new Set(Object.keys(configSchema.shape));

/** Compose's `${NAME}`, `${NAME:-default}`, `${NAME:?message}` in a value ($$ is a literal $). */
const interpolations = (value: string) => [
  ...value.replaceAll('$$', '').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g),
];

/** The worker's environment as `docker compose up` would give it with only the required secrets set. */
function resolvedWorkerEnv(required: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(worker.environment!).map(([name, raw]) => [
      name,
      String(raw).replace(
        /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-?])([^}]*))?\}/g,
        (_, v: string, op?: string, rest?: string) => required[v] ?? (op === '-' ? (rest ?? '') : ''),
      ),
    ]),
  );
}

const mounts = (service: Service): Mount[] =>
  (service.volumes ?? []).map((v) => {
    if (typeof v !== 'string') return v;
    const [source, target, mode] = v.split(':') as [string, string, string?];
    return { source, target, read_only: mode === 'ro', type: source.startsWith('.') ? 'bind' : 'volume' };
  });

describe('temporal-compose.yml', () => {
  it('has PostgreSQL, a schema job, Temporal, a namespace job, the Web UI and the scaleflow roles, started in that order', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'postgresql',
        ...Object.keys(ROLE_SERVICES),
        'temporal',
        'temporal-namespace',
        'temporal-schema',
        'temporal-ui',
      ].sort(),
    );
    const after = (name: string) => compose.services[name]!.depends_on;
    expect(after('temporal-schema')).toEqual({ postgresql: { condition: 'service_healthy' } });
    expect(after('temporal')).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully' } });
    expect(after('temporal-namespace')).toEqual({ temporal: { condition: 'service_healthy' } });
    expect(after('temporal-ui')).toEqual({ temporal: { condition: 'service_healthy' } });
    for (const name of Object.keys(ROLE_SERVICES))
      expect(after(name), name).toEqual({ 'temporal-namespace': { condition: 'service_completed_successfully' } });
    // Everything that keeps running and can be asked has a health check; the two jobs run once and exit.
    for (const name of ['postgresql', 'temporal', 'scaleflow-api'])
      expect(compose.services[name]!.healthcheck, name).toBeDefined();
    expect(Object.keys(compose.volumes).sort()).toEqual(['postgres-data', 'scaleflow-data']);
  });

  it('runs one image per role, chosen by command: 1 warehouse, 2 meta, 1 io, 1 api', () => {
    for (const [name, want] of Object.entries(ROLE_SERVICES)) {
      const service = compose.services[name]!;
      expect(service.build, name).toBe('.');
      expect(service.command, name).toEqual(want.command);
      expect(service.deploy?.replicas ?? 1, name).toBe(want.replicas);
    }
    // HTTP is published by the api (approval pages) and the warehouse (the JSON API, which the api
    // answers 503 for); the stateless meta and io replicas publish nothing, so they scale freely,
    // and the warehouse's fixed host port keeps `--scale` from starting a second one.
    expect(
      Object.entries(ROLE_SERVICES)
        .filter(([name]) => compose.services[name]!.ports)
        .map(([name]) => name)
        .sort(),
    ).toEqual(['scaleflow-api', 'scaleflow-warehouse']);
    expect(compose.services['scaleflow-warehouse']!.ports).toEqual(['127.0.0.1:8081:8080']);
  });

  it('is the topology test:prod runs: each process of scripts/prod/roles.ts is a replica of a service, with its command', () => {
    // The image's ENTRYPOINT is `node /app/dist/scaleflow.js`; the service's command follows it.
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "\/app\/dist\/scaleflow\.js"\]$/m);
    for (const [name, want] of Object.entries(ROLE_SERVICES)) {
      const processes = ROLES.filter((r) => r.service === name);
      expect(processes.length, name).toBe(want.replicas);
      for (const p of processes) expect(p.args, p.name).toEqual(['dist/scaleflow.js', ...want.command]);
    }
    expect(ROLES.map((r) => r.service).filter((s) => !(s in ROLE_SERVICES))).toEqual([]);
  });

  it('hands files between roles on one volume: the spool (meta -> warehouse) and the archive (io -> warehouse)', () => {
    const volumeOf = (service: string, variable: string) => {
      const path = String(compose.services[service]!.environment![variable] ?? '');
      const mount = mounts(compose.services[service]!).find((m) => path.startsWith(`${m.target}/`));
      return {
        path,
        volume: mount?.type === 'bind' ? undefined : mount?.source,
        writable: mount ? !mount.read_only : false,
      };
    };
    for (const [variable, writer] of [
      ['SPOOL_DIR', 'scaleflow-meta'],
      ['ARCHIVE_DIR', 'scaleflow-io'],
    ] as const) {
      const reader = volumeOf('scaleflow-warehouse', variable);
      // An absolute path on a named volume: the image's relative default (data/spool under /app) would be each
      // container's own.
      expect(reader.path, variable).toMatch(/^\//);
      expect(reader.volume, variable).toBe('scaleflow-data');
      expect(volumeOf(writer, variable), `${writer} ${variable}`).toEqual({ ...reader, writable: true });
    }
  });

  it('connects every role to Temporal over mTLS with files from the read-only TLS mount', () => {
    for (const name of Object.keys(ROLE_SERVICES)) {
      const env = compose.services[name]!.environment!;
      const tlsMount = mounts(compose.services[name]!).find((m) => m.target === '/etc/temporal-tls');
      expect(tlsMount, name).toMatchObject({ type: 'bind', read_only: true, bind: { create_host_path: false } });
      for (const variable of [
        'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
        'TEMPORAL_TLS_CLIENT_CERT_PATH',
        'TEMPORAL_TLS_CLIENT_KEY_PATH',
      ]) {
        expect(String(env[variable]), `${name} ${variable}`).toMatch(/^\/etc\/temporal-tls\/\S+\.(pem|key)$/);
      }
      expect(env.TEMPORAL_TLS_SERVER_NAME, name).toBe('temporal');
    }
    // The server requires client certificates, on the frontend and between its services.
    expect(compose.services.temporal!.environment!.TEMPORAL_TLS_REQUIRE_CLIENT_AUTH).toBe('true');
    expect(compose.services.postgresql!.command!.join(' ')).toMatch(/max_connections=\d{3}/);
  });

  it('pins every image to a version and builds the worker from the Dockerfile in the repo', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build) {
        expect(existsSync(new URL(`${service.build}/Dockerfile`, root)), name).toBe(true);
        continue;
      }
      expect(service.image, name).toMatch(/^[a-z0-9./-]+:\d[\w.-]*$/);
    }
    // The schema job and the namespace job use the admin tools of the server's own version.
    const version = (name: string) => compose.services[name]!.image!.split(':')[1];
    expect(version('temporal-schema')).toBe(version('temporal'));
    expect(version('temporal-namespace')).toBe(version('temporal'));
  });

  it("publishes ports on the host's loopback only", () => {
    for (const [name, service] of Object.entries(compose.services))
      for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
  });

  it('gives every role only variables scaleflow reads, each taken from the variable of the same name', () => {
    for (const role of Object.keys(ROLE_SERVICES)) {
      const env = compose.services[role]!.environment!;
      expect(
        Object.keys(env).filter((v) => !known.has(v)),
        role,
      ).toEqual([]);
      for (const [name, value] of Object.entries(env)) {
        for (const [, used] of interpolations(String(value))) expect(used, name).toBe(name);
      }
    }
  });

  it('passes what the production worker needs: secrets, Meta, strateg.is, mail, rules and where state lives', () => {
    const needed = [
      'TEMPORAL_ADDRESS',
      'TEMPORAL_NAMESPACE',
      'TZ',
      'JWT_SECRET',
      'APPROVAL_SECRET',
      'AUDIT_SECRET',
      'PAYLOAD_KEYS',
      'PUBLIC_BASE_URL',
      'META_ACCESS_TOKEN',
      'META_AD_ACCOUNT_IDS',
      'STRATEGIS_REPORT_URL',
      'STRATEGIS_API_TOKEN',
      'SMTP_URL',
      'REPORT_RECIPIENTS',
      'REPORT_TEAM_RECIPIENTS',
      'APPROVERS_FILE',
      'CAMPAIGN_MAP_FILE',
      'RULES_DIR',
      'SCALEFLOW_DB',
      'INBOX_DIR',
      'ARCHIVE_DIR',
      'REPORTS_DIR',
      'OUTBOX_DIR',
      'DRY_RUN',
    ];
    expect(needed.filter((v) => !(v in worker.environment!))).toEqual([]);
    // The secrets have no default: `up` stops naming them when they are not set.
    expect(String(worker.environment!.JWT_SECRET)).toMatch(/^\$\{JWT_SECRET:\?/);
    expect(String(worker.environment!.APPROVAL_SECRET)).toMatch(/^\$\{APPROVAL_SECRET:\?/);
    expect(String(worker.environment!.AUDIT_SECRET)).toMatch(/^\$\{AUDIT_SECRET:\?/);
    expect(String(worker.environment!.PAYLOAD_KEYS)).toMatch(/^\$\{PAYLOAD_KEYS:\?/);
  });

  it('keeps every file the worker writes on the data volume, and reads its configuration from mounts', () => {
    const env = worker.environment!;
    const byTarget = mounts(worker);
    const under = (path: string) => byTarget.find((m) => path === m.target || path.startsWith(`${m.target}/`));
    for (const name of ['SCALEFLOW_DB', 'INBOX_DIR', 'ARCHIVE_DIR', 'REPORTS_DIR', 'OUTBOX_DIR']) {
      expect(under(String(env[name])), name).toMatchObject({ source: 'scaleflow-data', read_only: false });
    }
    for (const name of ['APPROVERS_FILE', 'CAMPAIGN_MAP_FILE', 'RULES_DIR']) {
      const mount = under(String(env[name]));
      // A missing ./deploy stops `up` instead of Docker making an empty folder the worker cannot read.
      expect(mount, name).toMatchObject({ type: 'bind', read_only: true, bind: { create_host_path: false } });
    }
  });

  it('parses as scaleflow configuration with only the secrets set, dry run on', () => {
    const secret = 'x'.repeat(32);
    const config = parseConfig(
      resolvedWorkerEnv({
        JWT_SECRET: secret,
        APPROVAL_SECRET: secret,
        PAYLOAD_KEYS: `k1:${Buffer.alloc(32).toString('base64')}`,
      }),
    );
    expect(config).toMatchObject({
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_TLS_CLIENT_CERT_PATH: '/etc/temporal-tls/scaleflow.pem',
      DRY_RUN: true,
      DAILY_PIPELINE_AT: '06:00',
      RULES_EVALUATE_EVERY: 15 * 60_000,
    });
  });

  it('registers exactly the search attributes the dev server gets', () => {
    const script = compose.services['temporal-namespace']!.command!.join('\n');
    const registered = Object.fromEntries([...script.matchAll(/(Scaleflow\w+)=(\w+)/g)].map((m) => [m[1]!, m[2]!]));
    expect(registered).toEqual(SEARCH_ATTRIBUTES);
  });
});

describe('Dockerfile', () => {
  it('sets only variables scaleflow reads', () => {
    const envBlock = [...dockerfile.matchAll(/^ENV ([\s\S]*?)(?:\n(?!\s))/gm)].map((m) => m[1]!).join(' ');
    const names = [...envBlock.matchAll(/([A-Z][A-Z0-9_]*)=/g)].map((m) => m[1]!).filter((n) => n !== 'NODE_ENV');
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !known.has(n))).toEqual([]);
  });
});
