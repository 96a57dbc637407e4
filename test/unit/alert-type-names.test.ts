import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRuleSet } from '../../services/rules/files';

// Issue 18, Done when: `git grep` finds each alert type's name in its rule file, tests and recorded
// histories, and in no other code or SQL. Adding an alert type is then one rule file: no code
// branches on a type's name, so none has to learn a new one.
const root = fileURLToPath(new URL('../../', import.meta.url));
const rulesDir = fileURLToPath(new URL('../../rules', import.meta.url));

/** Every tracked file outside tests (and their recorded histories), docs and the rule files. */
const CODE_AND_SQL = ['.', ':(exclude)test', ':(exclude)*.md', ':(exclude)rules'];

function gitGrep(words: readonly string[], pathspec: readonly string[]): string[] {
  const run = spawnSync('git', ['grep', '-n', '-F', ...words.flatMap((w) => ['-e', w]), '--', ...pathspec], {
    cwd: root,
    encoding: 'utf8',
  });
  // 1 is "no match"; anything else but 0 is git failing (not a repository, a bad pathspec).
  if (run.status !== 0 && run.status !== 1) throw new Error(`git grep failed (${run.status}): ${run.stderr}`);
  return run.stdout.split('\n').filter(Boolean);
}

describe('alert type names live in their rule files', () => {
  const set = loadRuleSet(rulesDir);
  const alertRules = set.rules.filter((r) => r.rule.alert);
  const types = alertRules.map((r) => r.rule.alert!.type);

  it('reads the shipped alert types from rules/', () => {
    expect(set.errors).toEqual([]);
    // The two built-ins at least (rules/default-scale-up.yaml, rules/default-cut-loss.yaml).
    expect(types.length).toBeGreaterThanOrEqual(2);
    for (const r of alertRules) expect(readFileSync(r.file, 'utf8')).toContain(r.rule.alert!.type);
  });

  it('names no alert type in any other code or SQL', () => {
    expect(gitGrep(types, CODE_AND_SQL)).toEqual([]);
  });

  it('would see a type named in code or SQL (the grep reaches lib/ and data/sql/)', () => {
    // `proposalOf` and `outcome_list.sql` are tracked code and SQL the grep must search.
    expect(gitGrep(['proposalOf'], CODE_AND_SQL).some((l) => l.startsWith('lib/rules/proposal.ts:'))).toBe(true);
    expect(
      gitGrep(['FROM outcome_checks'], CODE_AND_SQL).some((l) => l.startsWith('data/sql/approvals/outcome_list.sql:')),
    ).toBe(true);
  });
});
