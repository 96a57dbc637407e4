import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/processes';

function npmLike(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'scaleflow-npmci-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// Offline: the check is whether the lockfile and package.json agree, which needs no registry.
const OFFLINE = { npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };

describe('npm ci', () => {
  it("accepts the committed lockfile: every platform's optional packages are in it (npm ci --dry-run)", async () => {
    // A copy of the two files only, so the check reads nothing installed and touches no node_modules.
    const dir = scratch();
    for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(repoRoot, file), join(dir, file));
    const { code, output } = await npmLike('npm', ['ci', '--dry-run', '--ignore-scripts'], dir, OFFLINE);
    expect(output).not.toMatch(/Missing: .* from lock file/);
    expect(code, output).toBe(0);

    // Other platforms' native bindings are locked too (the ones npm ci used to miss), at the version
    // of the package that asks for them.
    const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version: string; optionalDependencies?: Record<string, string> }>;
    };
    for (const parent of ['node_modules/@duckdb/node-bindings', 'node_modules/@swc/core']) {
      const wanted = Object.entries(lock.packages[parent]?.optionalDependencies ?? {});
      expect(wanted.length, parent).toBeGreaterThan(0);
      for (const [name, version] of wanted) expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
    }
  });

  describe('scripts/bootstrap.mjs', () => {
    // A one-package project around the real bootstrap script: zod, as the root lockfile pins it
    // (already in npm's cache, since the suite's own install fetched it).
    const rootLock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    const zod = rootLock.packages['node_modules/zod'] as { version: string };

    function project(dependencies: Record<string, string>): string {
      const dir = scratch();
      mkdirSync(join(dir, 'scripts'));
      for (const file of ['bootstrap.mjs', 'temporal.mjs'])
        copyFileSync(join(repoRoot, 'scripts', file), join(dir, 'scripts', file));
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name: 'probe', version: '1.0.0', private: true, dependencies }),
      );
      writeFileSync(
        join(dir, 'package-lock.json'),
        JSON.stringify({
          name: 'probe',
          version: '1.0.0',
          lockfileVersion: 3,
          requires: true,
          packages: {
            '': { name: 'probe', version: '1.0.0', dependencies: { zod: zod.version } },
            'node_modules/zod': zod,
          },
        }),
      );
      return dir;
    }
    const bootstrap = (dir: string) => npmLike(process.execPath, [join(dir, 'scripts', 'bootstrap.mjs')], dir, OFFLINE);

    it('installs with npm ci, then skips while node_modules matches the lockfile', async () => {
      const dir = project({ zod: zod.version });
      const first = await bootstrap(dir);
      expect(first.code, first.output).toBe(0);
      expect(first.output).toContain('[bootstrap] installing npm dependencies');
      expect(JSON.parse(readFileSync(join(dir, 'node_modules', 'zod', 'package.json'), 'utf8')).version).toBe(
        zod.version,
      );

      const second = await bootstrap(dir);
      expect(second.code, second.output).toBe(0);
      expect(second.output).not.toContain('[bootstrap] installing');
    });

    it('stops on a lockfile that has drifted from package.json, as npm ci does, installing nothing', async () => {
      // package.json asks for one more package than the lockfile holds (a local folder, so npm
      // needs no registry to see it). `npm install` would quietly add it; npm ci refuses.
      const dir = project({ zod: zod.version, 'probe-extra': 'file:vendor/probe-extra' });
      mkdirSync(join(dir, 'vendor', 'probe-extra'), { recursive: true });
      writeFileSync(
        join(dir, 'vendor', 'probe-extra', 'package.json'),
        JSON.stringify({ name: 'probe-extra', version: '1.0.0' }),
      );
      const { code, output } = await bootstrap(dir);
      expect(code, output).not.toBe(0);
      expect(output).toMatch(/Missing: probe-extra@1\.0\.0 from lock file/);
      expect(existsSync(join(dir, 'node_modules'))).toBe(false);
    });

    it("leaves a symlinked node_modules (another checkout's) alone rather than emptying it", async () => {
      const dir = project({ zod: zod.version });
      const elsewhere = scratch();
      writeFileSync(join(elsewhere, 'keep.txt'), 'not ours');
      symlinkSync(elsewhere, join(dir, 'node_modules'), 'dir');
      const { code, output } = await bootstrap(dir);
      expect(code).toBe(1);
      expect(output).toContain(`node_modules is out of date and links to ${elsewhere}`);
      expect(readFileSync(join(elsewhere, 'keep.txt'), 'utf8')).toBe('not ours');
    });
  });
});
