import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { Warehouse } from '../../services/warehouse/warehouse';
import { testConfig } from '../support/temporal';

// Issue 18: `activities/` is exactly the worker's activity surface. A query, a client, a template
// or a helper that only an activity imports belongs in services/ or lib/, so a newcomer reading
// activities/ reads what Temporal runs and nothing else.
const activitiesDir = fileURLToPath(new URL('../../activities/', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [relative(activitiesDir, join(dir, e.name))],
  );
}

/** Files under activities/ that `from` imports, by its relative import specifiers. */
function localImports(from: string): string[] {
  const source = readFileSync(join(activitiesDir, from), 'utf8');
  const specifiers = [...source.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']*)'/g)].map((m) => m[1]!);
  const files = new Set(filesUnder(activitiesDir));
  return specifiers.flatMap((s) => {
    const base = normalize(join(dirname(from), s));
    return [`${base}.ts`, join(base, 'index.ts'), base].filter((c) => files.has(c)).slice(0, 1);
  });
}

const isFactoryName = (name: string) => /^create\w*Activities$/.test(name);

describe('activities/ holds exactly what the worker registers', () => {
  const files = filesUnder(activitiesDir).sort();
  const config = testConfig();
  let warehouse: Warehouse;
  let registered: Set<string>;

  beforeAll(async () => {
    warehouse = await Warehouse.open(config.SCALEFLOW_DB);
    // The object workers/worker.ts hands to Worker.create as `activities`.
    registered = new Set(Object.keys(createActivities({ config, warehouse })));
  });
  afterAll(() => warehouse.close());

  it('has only TypeScript modules (templates and SQL live beside the code that reads them)', () => {
    expect(files.filter((f) => !f.endsWith('.ts'))).toEqual([]);
  });

  it("every module is reached by imports from activities/index.ts, the worker's factory", () => {
    const reached = new Set(['index.ts']);
    const queue = ['index.ts'];
    while (queue.length > 0) {
      for (const next of localImports(queue.shift()!)) {
        if (!reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
      }
    }
    expect(files.filter((f) => !reached.has(f))).toEqual([]);
  });

  it('every module but the index exports a create…Activities factory whose every activity is registered', async () => {
    const deps = {
      config,
      warehouse,
      mailer: { mode: 'outbox', send: () => Promise.reject(new Error('no mail in this test')), close: () => undefined },
      meta: null,
      graph: () => {
        throw new Error('no Graph API in this test');
      },
      secret: config.AUDIT_SECRET,
    };
    const problems: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.ts') && f !== 'index.ts')) {
      const module = (await import(pathToFileURL(join(activitiesDir, file)).href)) as Record<string, unknown>;
      const factories = Object.entries(module).filter(
        ([name, value]) => isFactoryName(name) && typeof value === 'function',
      );
      if (factories.length === 0) problems.push(`${file}: exports no create…Activities factory`);
      for (const [name, factory] of factories) {
        const built = (factory as (d: typeof deps) => Record<string, unknown>)(deps);
        const names = Object.keys(built);
        if (names.length === 0) problems.push(`${file}: ${name} builds no activity`);
        for (const activity of names) {
          if (typeof built[activity] !== 'function') problems.push(`${file}: ${name}().${activity} is not a function`);
          if (!registered.has(activity))
            problems.push(`${file}: ${name}().${activity} is not registered by createActivities`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
