// The image's runtime stage without Docker: the Dockerfile's last stage is read, and its COPY
// lines are carried out into a folder (from the checkout, or from the build stage's outputs), with
// node_modules holding the production dependencies only, as `npm ci --omit=dev` leaves them. A
// process started from that folder can read only what the image would hold, so a file the
// Dockerfile forgets, or a dev dependency the compiled code imports (tsx), fails here.
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The COPY lines of the Dockerfile's last stage, one entry per source: { from?, source, target } (target relative to WORKDIR; "" is WORKDIR). */
export function runtimeCopies(dockerfileText) {
  const stages = dockerfileText.split(/^FROM /m);
  const last = stages[stages.length - 1];
  const workdir = /^WORKDIR (\S+)/m.exec(last)?.[1] ?? '/';
  const relativeTo = (path, base) =>
    path.startsWith(`${base}/`) ? path.slice(base.length + 1) : path === base ? '' : path.replace(/^\.\/?/, '');
  return [...last.matchAll(/^COPY (.+)$/gm)].flatMap((m) => {
    const words = m[1].trim().split(/\s+/);
    const from = words[0].startsWith('--from=') ? words.shift().slice('--from='.length) : undefined;
    const target = relativeTo(words.pop(), workdir);
    // A target ending in / (or WORKDIR itself) is a folder the sources go into by name.
    const into = target === '' || target.endsWith('/');
    return words.map((source) => {
      const src = from ? relativeTo(source, workdir) : source;
      return { from, source: src, target: into ? join(target, src.split('/').pop()) : target };
    });
  });
}

/** Top-level packages `npm ci --omit=dev` installs: the lockfile entries not flagged dev. */
export function productionPackages(lockText) {
  const { packages } = JSON.parse(lockText);
  return Object.entries(packages)
    .filter(
      ([path, meta]) =>
        path.startsWith('node_modules/') && !path.slice('node_modules/'.length).includes('/node_modules/') && !meta.dev,
    )
    .map(([path]) => path.slice('node_modules/'.length));
}

/**
 * Lays the runtime stage out in `into`. `built` maps a build-stage path (dist) to where this
 * checkout has it. Dependencies are symlinks into the checkout's node_modules (no install).
 */
export function layOutRuntime({ root, into, built = { dist: join(root, 'dist') } }) {
  const copies = runtimeCopies(readFileSync(join(root, 'Dockerfile'), 'utf8'));
  for (const copy of copies) {
    const source = copy.from ? built[copy.source] : join(root, copy.source);
    if (!source)
      throw new Error(
        `Dockerfile copies ${copy.source} from stage ${copy.from}: no local build output is known for it`,
      );
    const target = join(into, copy.target);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(source, target, { recursive: true });
  }
  const modules = join(into, 'node_modules');
  mkdirSync(modules, { recursive: true });
  const installed = new Set(readdirSync(join(root, 'node_modules')));
  for (const name of productionPackages(readFileSync(join(root, 'package-lock.json'), 'utf8'))) {
    const scope = name.startsWith('@') ? name.split('/')[0] : undefined;
    if (!installed.has(scope ?? name)) continue; // another platform's optional binary
    if (scope) mkdirSync(join(modules, scope), { recursive: true });
    try {
      symlinkSync(join(root, 'node_modules', name), join(modules, name), 'dir');
    } catch (err) {
      if (err.code !== 'EEXIST' && err.code !== 'ENOENT') throw err;
    }
  }
  return { copies };
}
