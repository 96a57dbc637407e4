import { join } from 'node:path';
import { dataDir } from '../activities/paths';
import type { Config } from '../lib/config';
import { freePort, startDevServer, type DevServer } from '../scripts/temporal.mjs';
import { createMainWorker, type MainWorker } from './worker';

export interface LocalStack {
  config: Config;
  server: DevServer;
  main: MainWorker;
  /** Resolves once the worker has drained (after SIGINT/SIGTERM or shutdown()) and the server stopped. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

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
  { preferredPort, preferredUiPort = 8233 }: { preferredPort?: number; preferredUiPort?: number } = {},
): Promise<LocalStack> {
  const port = preferredPort && (await portIsFree(preferredPort)) ? preferredPort : await freePort();
  const uiPort = (await portIsFree(preferredUiPort)) ? preferredUiPort : await freePort();
  const server = await startDevServer({ port, uiPort, dbFile: join(dataDir, 'temporal.sqlite') });
  const config: Config = { ...base, TEMPORAL_ADDRESS: server.address, TEMPORAL_UI_URL: server.uiUrl! };
  let main: MainWorker;
  try {
    main = await createMainWorker(config);
  } catch (err) {
    await server.stop();
    throw err;
  }
  const done = main.run().finally(() => server.stop());
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
