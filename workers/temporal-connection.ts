// The one place every process (worker, HTTP, CLI) gets its Temporal connection from: address,
// namespace, TLS and API key, from the environment (lib/config.ts) over an optional Temporal config
// profile. TLS material is read and checked here, at start, so a wrong file stops the process
// naming its variable instead of failing later as an opaque handshake error.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { loadClientConfigProfile, type ConfigDataSource } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';
import { ConfigError, type Config } from '../lib/config';

type ConnectionConfig = Pick<
  Config,
  | 'TEMPORAL_ADDRESS'
  | 'TEMPORAL_NAMESPACE'
  | 'TEMPORAL_API_KEY'
  | 'TEMPORAL_TLS'
  | 'TEMPORAL_TLS_SERVER_CA_CERT_PATH'
  | 'TEMPORAL_TLS_SERVER_CA_CERT_DATA'
  | 'TEMPORAL_TLS_CLIENT_CERT_PATH'
  | 'TEMPORAL_TLS_CLIENT_CERT_DATA'
  | 'TEMPORAL_TLS_CLIENT_KEY_PATH'
  | 'TEMPORAL_TLS_CLIENT_KEY_DATA'
  | 'TEMPORAL_TLS_SERVER_NAME'
>;

export interface TemporalConnectionSettings {
  address: string;
  namespace: string;
  /** false: plain gRPC; true: TLS with the system's roots; an object: the files below. */
  tls: TLSConfig | boolean;
  apiKey?: string;
}

/**
 * A Temporal config profile as the environment variables it stands for, so the profile and the
 * variables go through the one schema. Unset (no TEMPORAL_CONFIG_FILE or TEMPORAL_PROFILE): nothing,
 * so a stray ~/.config/temporalio/temporal.toml never redirects a worker nobody pointed at it.
 */
export function profileAsEnv(env: Record<string, string | undefined>): Record<string, string> {
  const file = env.TEMPORAL_CONFIG_FILE || undefined;
  const name = env.TEMPORAL_PROFILE || undefined;
  if (!file && !name) return {};
  const where = file
    ? `TEMPORAL_CONFIG_FILE=${JSON.stringify(file)}`
    : 'the default config file (~/.config/temporalio/temporal.toml)';
  // The SDK treats a missing file as an empty one; a file named on purpose must exist.
  if (file && !existsSync(file)) throw new ConfigError([`${where}: no such file`]);
  let profile;
  try {
    profile = loadClientConfigProfile({
      profile: name,
      configSource: file ? { path: file } : undefined,
      disableEnv: true,
      configFileStrict: true,
    });
  } catch (err) {
    const variable = /Profile '.*' not found/.test((err as Error).message)
      ? `TEMPORAL_PROFILE=${JSON.stringify(name)}`
      : where;
    throw new ConfigError([`${variable}: the Temporal config profile cannot be read: ${(err as Error).message}`]);
  }
  const out: Record<string, string> = {};
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== '') out[key] = value;
  };
  const source = (prefix: string, data: ConfigDataSource | undefined) => {
    if (!data) return;
    if ('path' in data) set(`${prefix}_PATH`, data.path);
    else set(`${prefix}_DATA`, typeof data.data === 'string' ? data.data : Buffer.from(data.data).toString('utf8'));
  };
  set('TEMPORAL_ADDRESS', profile.address);
  set('TEMPORAL_NAMESPACE', profile.namespace);
  set('TEMPORAL_API_KEY', profile.apiKey);
  if (profile.tls) {
    set('TEMPORAL_TLS', profile.tls.disabled ? 'false' : 'true');
    set('TEMPORAL_TLS_SERVER_NAME', profile.tls.serverName);
    source('TEMPORAL_TLS_SERVER_CA_CERT', profile.tls.serverCACert);
    source('TEMPORAL_TLS_CLIENT_CERT', profile.tls.clientCert);
    source('TEMPORAL_TLS_CLIENT_KEY', profile.tls.clientKey);
  }
  return out;
}

/** PEM text from NAME_PATH or NAME_DATA (one of them); undefined when neither is set. */
function pem(
  config: ConnectionConfig,
  name: 'TEMPORAL_TLS_SERVER_CA_CERT' | 'TEMPORAL_TLS_CLIENT_CERT' | 'TEMPORAL_TLS_CLIENT_KEY',
  problems: string[],
): { text: string; variable: string } | undefined {
  const path = config[`${name}_PATH`];
  const data = config[`${name}_DATA`];
  if (path && data) {
    problems.push(`${name}_PATH and ${name}_DATA are both set: give the file or its text, not both`);
    return undefined;
  }
  if (data) return { text: data, variable: `${name}_DATA` };
  if (!path) return undefined;
  try {
    return { text: readFileSync(path, 'utf8'), variable: `${name}_PATH` };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    problems.push(
      `${name}_PATH=${JSON.stringify(path)}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (err as Error).message})`}`,
    );
    return undefined;
  }
}

function certificate(found: { text: string; variable: string }, problems: string[]): X509Certificate | undefined {
  try {
    return new X509Certificate(found.text);
  } catch {
    problems.push(`${found.variable}: not a PEM certificate (-----BEGIN CERTIFICATE-----)`);
    return undefined;
  }
}

function privateKey(found: { text: string; variable: string }, problems: string[]): KeyObject | undefined {
  try {
    return createPrivateKey(found.text);
  } catch {
    // Never quote it: the key is a secret.
    problems.push(`${found.variable}: not a PEM private key`);
    return undefined;
  }
}

/**
 * The connection every process makes, checked: each TLS file exists, parses, and the client key
 * belongs to the client certificate. Throws ConfigError naming every bad variable.
 */
export function temporalConnectionSettings(config: ConnectionConfig): TemporalConnectionSettings {
  const problems: string[] = [];
  const ca = pem(config, 'TEMPORAL_TLS_SERVER_CA_CERT', problems);
  const cert = pem(config, 'TEMPORAL_TLS_CLIENT_CERT', problems);
  const key = pem(config, 'TEMPORAL_TLS_CLIENT_KEY', problems);
  if (ca) certificate(ca, problems);
  const parsedCert = cert && certificate(cert, problems);
  const parsedKey = key && privateKey(key, problems);
  if (cert && !key)
    problems.push(
      `${cert.variable} is set without TEMPORAL_TLS_CLIENT_KEY_PATH (or _DATA): mTLS needs the certificate and its key`,
    );
  if (key && !cert)
    problems.push(
      `${key.variable} is set without TEMPORAL_TLS_CLIENT_CERT_PATH (or _DATA): mTLS needs the certificate and its key`,
    );
  if (parsedCert && parsedKey && !parsedCert.checkPrivateKey(parsedKey)) {
    problems.push(`${key!.variable}: not the key of the certificate in ${cert!.variable}`);
  }
  const material = ca !== undefined || cert !== undefined || config.TEMPORAL_TLS_SERVER_NAME !== undefined;
  if (config.TEMPORAL_TLS === false && material) {
    problems.push('TEMPORAL_TLS=false while TEMPORAL_TLS_* files or a server name are set: drop one or the other');
  }
  if (problems.length) throw new ConfigError(problems);

  // The SDK's own rule (envconfig's toClientOptions): TLS when asked for, given files, or given an API key.
  const enabled = config.TEMPORAL_TLS ?? (material || config.TEMPORAL_API_KEY !== undefined);
  const tls: TLSConfig | boolean = !enabled
    ? false
    : material
      ? {
          serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME,
          serverRootCACertificate: ca && Buffer.from(ca.text),
          clientCertPair: cert && key ? { crt: Buffer.from(cert.text), key: Buffer.from(key.text) } : undefined,
        }
      : true;
  return {
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    tls,
    apiKey: config.TEMPORAL_API_KEY,
  };
}

/** The worker's connection (Rust core). */
export function connectWorkerConnection(config: ConnectionConfig): Promise<NativeConnection> {
  const { address, tls, apiKey } = temporalConnectionSettings(config);
  return NativeConnection.connect({ address, tls, apiKey });
}

/** The client's connection (CLI, HTTP approval pages). */
export function connectClientConnection(config: ConnectionConfig): Promise<Connection> {
  const { address, tls, apiKey } = temporalConnectionSettings(config);
  return Connection.connect({ address, tls, apiKey });
}

/**
 * The local dev server (`scaleflow dev`, the demo) speaks plain gRPC on loopback, whatever the environment says of
 * a cluster.
 */
export const PLAIN_DEV_SERVER = {
  TEMPORAL_TLS: false,
  TEMPORAL_API_KEY: undefined,
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: undefined,
  TEMPORAL_TLS_SERVER_CA_CERT_DATA: undefined,
  TEMPORAL_TLS_CLIENT_CERT_PATH: undefined,
  TEMPORAL_TLS_CLIENT_CERT_DATA: undefined,
  TEMPORAL_TLS_CLIENT_KEY_PATH: undefined,
  TEMPORAL_TLS_CLIENT_KEY_DATA: undefined,
  TEMPORAL_TLS_SERVER_NAME: undefined,
} satisfies Partial<Config>;
