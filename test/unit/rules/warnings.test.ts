import { describe, expect, it } from 'vitest';
import { parseRuleText } from '../../../lib/rules/parse';
import { formatRuleWarning, ruleWarnings } from '../../../lib/rules/warnings';

const rule = (conditions: string) => `name: w
conditions:
${conditions}
actions: [{ pause: true }]
`;

describe('rule file warnings: a roas threshold written as a multiple', () => {
  it('warns on each roas value in (0, 10), nested or a between bound, with the percent it probably meant', () => {
    const text = rule(`  any:
    - all:
        - { metric: roas, window: yesterday, op: ">", value: 1.5 }
    - { metric: roas, window: last_7_days, op: between, value: [0.8, 120] }
    - { metric: ctr, window: yesterday, op: "<", value: 2 }
    - { metric: roas, window: yesterday, op: ">", value: 0 }`);
    expect(parseRuleText(text, 'rules/w.yaml').ok).toBe(true);
    const warnings = ruleWarnings(text, 'rules/w.yaml');
    // 1.5 x 100 = 150; 0.8 x 100 = 80. ctr 2 is a percent already; roas 0 ("any revenue") is meant.
    // Columns: line 5 is 12 characters to "metric", then "metric: roas, " (14), "window: yesterday, " (19),
    // 'op: ">", ' (9), "value: " (7): 61, so column 62. Line 6: 8, then 14, "window: last_7_days, " (21),
    // "op: between, " (13), "value: [" (8): 64, so column 65.
    expect(warnings.map(formatRuleWarning)).toEqual([
      'rules/w.yaml:5:62: warning: conditions.any.0.all.0.value: ROAS is a percent here: did you mean 150?',
      'rules/w.yaml:6:65: warning: conditions.any.1.value: ROAS is a percent here: did you mean 80?',
    ]);
  });

  it('says nothing about thresholds in percent', () => {
    expect(
      ruleWarnings(rule('  all:\n    - { metric: roas, window: yesterday, op: ">", value: 130 }'), 'r.yaml'),
    ).toEqual([]);
    expect(
      ruleWarnings(rule('  all:\n    - { metric: roas, window: yesterday, op: ">", value: 10 }'), 'r.yaml'),
    ).toEqual([]);
  });
});
