import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../../lib/decisions';
import { loadAlertRules, loadRuleSet } from '../../../services/rules/files';

// The dashboard and alerts read RULES_DIR on every uncached answer and keep each file's parse by its
// text: an edit to a rule must count from the very next read, never a parse of the old text.
describe('rule files read again after an edit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scaleflow-rules-edit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  cpSync('rules', dir, { recursive: true });
  const file = join(dir, 'default-scale-up.yaml');

  it('an edited condition, a broken file and a restored one each show on the next load', () => {
    const reasonOf = () =>
      loadAlertRules(dir)(DEFAULT_THRESHOLDS).find((r) => r.id === 'default-scale-up')?.alert?.reason;
    // METRICS.md's scale_roas is 130 and scale_days 3.
    expect(reasonOf()).toBe('ROAS >130% for 3+ days');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('reason: "ROAS >{scale_roas}%', 'reason: "ROAS above {scale_roas}%'));
    expect(reasonOf()).toBe('ROAS above 130% for 3+ days');
    writeFileSync(file, 'name: [unclosed');
    expect(reasonOf()).toBeUndefined();
    expect(loadRuleSet(dir).errors.map((e) => e.file)).toEqual([file]);
    writeFileSync(file, original);
    expect(reasonOf()).toBe('ROAS >130% for 3+ days');
    expect(loadRuleSet(dir).errors).toEqual([]);
  });
});
