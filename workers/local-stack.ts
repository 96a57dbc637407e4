import { join, relative } from 'node:path';
import { dataDir, rootDir } from '../services/paths';
import type { Config } from '../lib/config';
import { freePort, startDevServer, type DevServer } from '../scripts/temporal.mjs';
import { openSandboxState } from './meta-sandbox/persist';
import { startMetaSandbox, type MetaSandbox } from './meta-sandbox/server';
import type { SandboxState } from './meta-sandbox/state';
import { PLAIN_DEV_SERVER } from './temporal-connection';
import { createMainWorker, type MainWorker } from './worker';

export interface LocalStack {
  config: Config;
  server: DevServer;
  main: MainWorker;
  /** Resolves once the worker has drained (after SIGINT/SIGTERM or shutdown()) and the server stopped. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

/** The local Graph API sandbox's accounts and campaigns, between runs. */
export const SANDBOX_FILE = join(dataDir, 'meta-sandbox.json');

async function portIsFree(port: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const probe = createServer().once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * The real Temporal dev server (persisted to SQLite under data/) plus the main worker in this
 * process: what `scaleflow dev` and `npm run demo` run.
 */
export async function startLocalStack(
  base: Config,
  {
    preferredPort,
    preferredUiPort = 8233,
    sandboxSeed,
  }: {
    preferredPort?: number;
    preferredUiPort?: number;
    /** What the Meta sandbox holds when no token is set and data/meta-sandbox.json does not exist yet. */
    sandboxSeed: () => SandboxState;
  },
): Promise<LocalStack> {
  const port = preferredPort && (await portIsFree(preferredPort)) ? preferredPort : await freePort();
  const uiPort = (await portIsFree(preferredUiPort)) ? preferredUiPort : await freePort();
  // The worker's HTTP server (API, approval pages) moves to a free port when its own is taken, and
  // the approve links follow it.
  if (base.HTTP_PORT !== 0 && !(await portIsFree(base.HTTP_PORT))) {
    const httpPort = await freePort();
    const publicUrl = new URL(base.PUBLIC_BASE_URL);
    if (['127.0.0.1', 'localhost'].includes(publicUrl.hostname) && publicUrl.port === String(base.HTTP_PORT))
      publicUrl.port = String(httpPort);
    console.warn(`port ${base.HTTP_PORT} is taken: the worker's HTTP server uses ${httpPort}`);
    base = { ...base, HTTP_PORT: httpPort, PUBLIC_BASE_URL: publicUrl.toString().replace(/\/$/, '') };
  }
  // No Meta token: the Meta activities talk to the loopback Graph API sandbox and its sample
  // accounts. It keeps them in a file (read first: a bad one stops us before anything starts), so
  // budgets written before a restart are there after it.
  const sandboxState = base.META_ACCESS_TOKEN ? undefined : openSandboxState(SANDBOX_FILE, sandboxSeed);
  const server = await startDevServer({ port, uiPort, dbFile: join(dataDir, 'temporal.sqlite') });
  const sandbox: MetaSandbox | undefined =
    sandboxState && (await startMetaSandbox({ state: sandboxState, persistTo: SANDBOX_FILE }));
  const sandboxAccounts = [...(sandboxState?.accounts.keys() ?? [])];
  if (sandbox) {
    console.warn(
      `*** META_ACCESS_TOKEN is not set: Meta is the local Graph API SANDBOX at ${sandbox.url} (sample accounts ${sandboxAccounts.join(', ')}; ` +
        `kept in ${relative(rootDir, SANDBOX_FILE)}, delete it to start again from the sample); nothing reaches Meta. ***`,
    );
  }
  const meta = sandbox
    ? {
        META_ACCESS_TOKEN: sandbox.token,
        META_GRAPH_URL: sandbox.url,
        META_AD_ACCOUNT_IDS: base.META_AD_ACCOUNT_IDS.length ? base.META_AD_ACCOUNT_IDS : sandboxAccounts,
      }
    : {};
  const config: Config = {
    ...base,
    ...meta,
    ...PLAIN_DEV_SERVER,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_UI_URL: server.uiUrl!,
  };
  let main: MainWorker;
  try {
    main = await createMainWorker(config);
  } catch (err) {
    await server.stop();
    await sandbox?.close();
    throw err;
  }
  const done = main.run().finally(async () => {
    await server.stop();
    await sandbox?.close();
  });
  return {
    config,
    server,
    main,
    done,
    async shutdown() {
      main.worker.shutdown();
      await done;
    },
  };
}
