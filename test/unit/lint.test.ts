import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

// The linter `npm test` runs must refuse what would break a workflow on replay; these checks fail
// if its workflow rules are loosened or switched off for a file.
describe('the linter on workflow code', () => {
  const eslint = new ESLint({ cwd: root });

  it('refuses a Node built-in, an I/O client and a floating promise in workflows/', async () => {
    const code = [
      "import { readFileSync } from 'node:fs';",
      "import { Client } from '@temporalio/client';",
      "import { sleep } from '@temporalio/workflow';",
      'export async function leaky(): Promise<void> {',
      "  readFileSync('x');",
      '  void Client;',
      "  sleep('1 second');",
      '}',
      '',
    ].join('\n');
    const [result] = await eslint.lintText(code, { filePath: join(root, 'workflows', 'healthcheck.ts') });
    const rules = result!.messages.map((m) => m.ruleId);
    expect(rules.filter((r) => r === 'no-restricted-imports')).toHaveLength(2);
    expect(rules).toContain('@typescript-eslint/no-floating-promises');
  }, 120_000);

  it('has no rule switched off inside workflows/', () => {
    for (const file of filesUnder('workflows')) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/eslint-disable/);
    }
  });
});
