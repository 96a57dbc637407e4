import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config';
import { makeCertificates, type Issued } from '../../scripts/prod/certs.mjs';
import { parseEnvironment } from '../../workers/config-env';
import { temporalConnectionSettings } from '../../workers/temporal-connection';
import { spawnCli, spawnWorker } from '../support/processes';

/**
 * Issue 17 item 1: every process connects with address, namespace, TLS and API key from the
 * environment or a Temporal config profile. Real files made by openssl; a bad one stops start-up
 * naming its variable. (The mTLS handshake itself is proven against a real cluster by test:prod.)
 */
let dir: string;
let ca: string;
let client: Issued;
let other: Issued;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scaleflow-conn-'));
  const made = makeCertificates(dir, { clients: ['worker', 'other'] });
  ca = made.ca;
  client = made.clients.worker!;
  other = made.clients.other!;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const settingsOf = (env: Record<string, string>) => temporalConnectionSettings(parseEnvironment(env));
function problemsOf(env: Record<string, string>): string {
  try {
    settingsOf(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('accepted a bad connection environment');
}

describe('the Temporal connection from the environment', () => {
  it('is plain gRPC to 127.0.0.1:7233 in namespace default when nothing is set', () => {
    expect(settingsOf({})).toEqual({ address: '127.0.0.1:7233', namespace: 'default', tls: false, apiKey: undefined });
  });

  it('turns TLS on (system roots) for an API key, as the SDK does, unless TEMPORAL_TLS=false', () => {
    const cloud = {
      TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'ns.acct',
      TEMPORAL_API_KEY: 'key-123',
    };
    expect(settingsOf(cloud)).toEqual({
      address: 'ns.acct.tmprl.cloud:7233',
      namespace: 'ns.acct',
      tls: true,
      apiKey: 'key-123',
    });
    expect(settingsOf({ ...cloud, TEMPORAL_TLS: 'false' }).tls).toBe(false);
  });

  it('reads the CA, the client certificate and key, and the server name for mTLS', () => {
    const settings = settingsOf({
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca,
      TEMPORAL_TLS_CLIENT_CERT_PATH: client.cert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: client.key,
      TEMPORAL_TLS_SERVER_NAME: 'localhost',
    });
    expect(settings.tls).toEqual({
      serverNameOverride: 'localhost',
      serverRootCACertificate: readFileSync(ca),
      clientCertPair: { crt: readFileSync(client.cert), key: readFileSync(client.key) },
    });
  });

  it('takes the PEM text itself from *_DATA (a secret store that gives values, not files)', () => {
    const settings = settingsOf({ TEMPORAL_TLS_SERVER_CA_CERT_DATA: readFileSync(ca, 'utf8') });
    expect(settings.tls).toMatchObject({ serverRootCACertificate: readFileSync(ca) });
  });
});

describe('a Temporal config profile', () => {
  function profileFile(): string {
    const file = join(dir, 'temporal.toml');
    writeFileSync(
      file,
      [
        '[profile.prod]',
        'address = "temporal.internal:7233"',
        'namespace = "scaleflow-prod"',
        '[profile.prod.tls]',
        `server_ca_cert_path = "${ca}"`,
        `client_cert_path = "${client.cert}"`,
        `client_key_path = "${client.key}"`,
        'server_name = "localhost"',
        '[profile.default]',
        'address = "127.0.0.1:7299"',
      ].join('\n'),
    );
    return file;
  }

  it('gives address, namespace and TLS when TEMPORAL_CONFIG_FILE and TEMPORAL_PROFILE name it', () => {
    const settings = settingsOf({ TEMPORAL_CONFIG_FILE: profileFile(), TEMPORAL_PROFILE: 'prod' });
    expect(settings).toMatchObject({
      address: 'temporal.internal:7233',
      namespace: 'scaleflow-prod',
      tls: { serverNameOverride: 'localhost', clientCertPair: { crt: readFileSync(client.cert) } },
    });
    // Without TEMPORAL_PROFILE the file's "default" profile applies, as in Temporal's CLI.
    expect(settingsOf({ TEMPORAL_CONFIG_FILE: profileFile() }).address).toBe('127.0.0.1:7299');
  });

  it('is overridden by a variable set in the environment', () => {
    const settings = settingsOf({
      TEMPORAL_CONFIG_FILE: profileFile(),
      TEMPORAL_PROFILE: 'prod',
      TEMPORAL_NAMESPACE: 'staging',
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    expect(settings).toMatchObject({
      address: 'temporal.internal:7233',
      namespace: 'staging',
      tls: { serverNameOverride: 'temporal.internal' },
    });
  });

  it('stops naming TEMPORAL_PROFILE when the profile is not in the file, and the file when it is missing', () => {
    expect(problemsOf({ TEMPORAL_CONFIG_FILE: profileFile(), TEMPORAL_PROFILE: 'nope' })).toContain(
      'TEMPORAL_PROFILE="nope"',
    );
    expect(problemsOf({ TEMPORAL_CONFIG_FILE: join(dir, 'absent.toml') })).toContain(
      `TEMPORAL_CONFIG_FILE="${join(dir, 'absent.toml')}"`,
    );
  });
});

describe('wrong or missing TLS files stop start-up naming the variable', () => {
  it('names a missing CA file', () => {
    const missing = join(dir, 'no-such-ca.pem');
    expect(problemsOf({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: missing })).toContain(
      `TEMPORAL_TLS_SERVER_CA_CERT_PATH="${missing}": no such file`,
    );
  });

  it('names a file that is not a certificate (a key given as the CA)', () => {
    expect(problemsOf({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: client.key })).toContain(
      'TEMPORAL_TLS_SERVER_CA_CERT_PATH: not a PEM certificate',
    );
  });

  it("names a certificate without its key, and a key that is not the certificate's", () => {
    expect(problemsOf({ TEMPORAL_TLS_CLIENT_CERT_PATH: client.cert })).toContain(
      'TEMPORAL_TLS_CLIENT_CERT_PATH is set without TEMPORAL_TLS_CLIENT_KEY_PATH',
    );
    expect(
      problemsOf({ TEMPORAL_TLS_CLIENT_CERT_PATH: client.cert, TEMPORAL_TLS_CLIENT_KEY_PATH: other.key }),
    ).toContain('TEMPORAL_TLS_CLIENT_KEY_PATH: not the key of the certificate in TEMPORAL_TLS_CLIENT_CERT_PATH');
  });

  it('names a key file that is not a key, without quoting it', () => {
    const message = problemsOf({
      TEMPORAL_TLS_CLIENT_CERT_PATH: client.cert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: client.cert,
    });
    expect(message).toContain('TEMPORAL_TLS_CLIENT_KEY_PATH: not a PEM private key');
    expect(message).not.toContain('BEGIN');
  });

  it('the worker process exits 78 naming the variable, before it opens the warehouse', async () => {
    const missing = join(dir, 'gone', 'client.pem');
    const worker = spawnWorker({
      PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      AUDIT_SECRET: 'a'.repeat(32),
      SCALEFLOW_DB: join(dir, 'never-opened.duckdb'),
      TEMPORAL_TLS_CLIENT_CERT_PATH: missing,
      TEMPORAL_TLS_CLIENT_KEY_PATH: client.key,
    });
    expect(await worker.exited).toBe(78);
    expect(worker.output()).toContain(`TEMPORAL_TLS_CLIENT_CERT_PATH="${missing}": no such file`);
    expect(readdirSync(dir)).not.toContain('never-opened.duckdb');
  });

  it('a CLI command that connects exits 78 the same way', async () => {
    const cli = spawnCli(['schedules', 'apply'], {
      PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: client.key,
    });
    expect(await cli.exited).toBe(78);
    expect(cli.output()).toContain('TEMPORAL_TLS_SERVER_CA_CERT_PATH: not a PEM certificate');
  });
});
