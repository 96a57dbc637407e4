import { describe, expect, it } from 'vitest';
import { formatRuleError, parseRuleText } from '../../../lib/rules/parse';

const RULE = `name: Retargeting winners
conditions: { metric: roas, window: yesterday, op: ">", value: 150 }
actions:
  - adjust_budget: { by_percent: 20 }
`;

function errorsOf(text: string, file = 'rules/bad.yaml') {
  const parsed = parseRuleText(text, file);
  if (parsed.ok) throw new Error('expected errors');
  return parsed.errors;
}

describe('rule files: level and audience types (METRICS.md "Levels")', () => {
  it('a rule file without level is a campaign rule, as every file written before ad sets was', () => {
    const parsed = parseRuleText(RULE, 'rules/old.yaml');
    expect(parsed.ok && parsed.value.level).toBe('campaign');
  });

  it('level adset with scope.audience_types parses', () => {
    const parsed = parseRuleText(`level: adset\nscope: { audience_types: [retargeting, interest] }\n${RULE}`, 'r.yaml');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.level).toBe('adset');
    expect(parsed.value.scope.audience_types).toEqual(['retargeting', 'interest']);
  });

  it('audience_types on a campaign rule is refused on its line, naming the field', () => {
    const errors = errorsOf(
      `name: Wrong level\nscope:\n  audience_types: [retargeting]\n${RULE.split('\n').slice(1).join('\n')}`,
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 3, field: 'scope.audience_types' });
    expect(formatRuleError(errors[0]!)).toMatch(
      /^rules\/bad\.yaml:3:\d+: scope\.audience_types: audience types are a property of ad sets: only for rules with level: adset$/,
    );
  });

  it('an unknown level and an unknown audience type name their fields', () => {
    const errors = errorsOf(`level: adgroup\nscope: { audience_types: [everyone] }\n${RULE}`);
    expect(errors.map((e) => e.field)).toEqual(['level', 'scope.audience_types.0']);
  });

  it('duplicate copies campaigns, so a level adset rule cannot use it', () => {
    const errors = errorsOf(`level: adset\n${RULE}  - duplicate: { name_suffix: " - b" }\n`);
    expect(errors).toEqual([expect.objectContaining({ field: 'actions.1', line: 6 })]);
    expect(errors[0]!.message).toMatch(/duplicate copies a campaign/);
  });
});
