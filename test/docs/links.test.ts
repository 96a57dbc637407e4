import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/processes';

// The README is the newcomer's five-minute read; everything else lives in docs/*.md. These tests
// keep that true and keep the pages pointing at things that exist, since files move under them.

const docsDir = join(repoRoot, 'docs');
const docPages = existsSync(docsDir)
  ? readdirSync(docsDir)
      .filter((f) => f.endsWith('.md'))
      .sort()
  : [];
const pages = ['README.md', ...docPages.map((f) => `docs/${f}`)];
const read = (page: string) => readFileSync(join(repoRoot, page), 'utf8');

/** The text outside fenced code blocks, line by line (a `# comment` in a fence is not a heading). */
function proseLines(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').filter((line) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of proseLines(markdown)) {
    const text = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (text === undefined) continue;
    const base = text
      .replace(/`/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Link targets written as [text](target), outside code blocks and code spans. */
function linkTargets(markdown: string): string[] {
  const prose = proseLines(markdown)
    .join('\n')
    .replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].flatMap((m) => (m[1] ? [m[1]] : []));
}

const external = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

describe('README.md and docs/', () => {
  it('keeps README.md a five-minute read that still carries the test command and the demo', () => {
    const readme = read('README.md');
    // Roughly what a newcomer reads in five minutes; the rest belongs on a docs/ page.
    expect(readme.split('\n').length).toBeLessThanOrEqual(150);
    // .ci/run runs "exactly the README's test command": the README must still name it.
    expect(readme).toMatch(/^npm test\b/m);
    expect(readme).toMatch(/^npm run demo\b/m);
    expect(read('.ci/run')).toMatch(/^npm test$/m);
  });

  it('links every docs/ page from README.md, and each page opens with what its reader wants to do', () => {
    expect(docPages.length).toBeGreaterThan(0);
    const readmeTargets = new Set(linkTargets(read('README.md')).map((t) => t.split('#')[0]));
    for (const page of docPages) {
      expect(readmeTargets, `README.md links docs/${page}`).toContain(`docs/${page}`);
      const firstParagraph = read(`docs/${page}`)
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('#'))[0];
      expect(firstParagraph, `docs/${page} opens with "You want to"`).toMatch(/^You want to /);
    }
  });

  it('has every relative link point at a file in the repository, and at a heading there', () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const target of linkTargets(read(page))) {
        if (external(target)) continue;
        const [path, anchor] = target.split('#');
        const file = path ? resolve(repoRoot, dirname(page), decodeURIComponent(path)) : join(repoRoot, page);
        // A link out of the repository breaks in every clone but this machine's.
        if (relative(repoRoot, file).startsWith('..')) broken.push(`${page}: ${target} (outside the repository)`);
        else if (!existsSync(file)) broken.push(`${page}: ${target} (no such file)`);
        else if (anchor && file.endsWith('.md') && !anchors(readFileSync(file, 'utf8')).has(anchor))
          broken.push(`${page}: ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('names only source and test files that exist (`path` in code spans)', () => {
    // data/ is left out: it holds what the demo writes at run time (outbox, keys, the server's file).
    const sourcePath = /^(?:test|lib|workflows|activities|workers|scripts|rules|reports|docs)\/[\w./-]*$/;
    const missing: string[] = [];
    for (const page of pages) {
      for (const [, span] of read(page).matchAll(/`([^`\n]+)`/g)) {
        if (span && sourcePath.test(span) && !existsSync(join(repoRoot, span))) missing.push(`${page}: ${span}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("checks what it claims: a made-up heading is not among a page's anchors", () => {
    const sample = '# Two commands\n## Backfill a date range: two ways\n```\n# not a heading\n```\n## Two commands\n';
    expect([...anchors(sample)]).toEqual(['two-commands', 'backfill-a-date-range-two-ways', 'two-commands-1']);
    expect(linkTargets('[a](docs/x.md#y) `[b](nope.md)` [c](https://e.x)')).toEqual(['docs/x.md#y', 'https://e.x']);
  });
});
