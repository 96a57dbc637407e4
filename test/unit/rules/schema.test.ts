import { describe, expect, it } from 'vitest';
import { formatRuleError, parseRuleText } from '../../../lib/rules/parse';

function errorsOf(text: string, file = 'rules/bad.yaml') {
  const parsed = parseRuleText(text, file);
  if (parsed.ok) throw new Error('expected errors');
  return parsed.errors;
}

const GOOD = `name: ok
conditions:
  all:
    - { metric: roas, window: yesterday, op: ">", value: 100 }
actions:
  - pause: true
`;

describe('rule files: errors point at the line and the field', () => {
  it('a valid file parses, with its id from the file name and the safety defaults', () => {
    const parsed = parseRuleText(GOOD, 'rules/examples/my-rule.yaml');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.id).toBe('my-rule');
    expect(parsed.value.safety).toEqual({
      dry_run: false,
      max_actions_per_day: 10,
      cooldown: 72 * 3_600_000,
      require_approval: true,
    });
    expect(parsed.value.check_every).toBe(3_600_000);
  });

  it('an unknown operator: line 4, conditions.all.0.op', () => {
    const errors = errorsOf(GOOD.replace('op: ">"', 'op: "=>"'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'rules/bad.yaml', line: 4, field: 'conditions.all.0.op' });
    expect(formatRuleError(errors[0]!)).toMatch(/^rules\/bad\.yaml:4:\d+: conditions\.all\.0\.op: /);
  });

  it('an unknown metric and a bad window in a nested any: each on its own line', () => {
    const text = `name: nested
conditions:
  all:
    - { metric: spend, window: yesterday, op: ">", value: 10 }
    - any:
        - { metric: rosa, window: yesterday, op: ">", value: 1 }
        - { metric: roas, window: last_0_days, op: ">", value: 1 }
actions:
  - pause: true
`;
    const errors = errorsOf(text);
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [6, 'conditions.all.1.any.0.metric'],
      [7, 'conditions.all.1.any.1.window'],
    ]);
    expect(errors[1]!.message).toMatch(/last_N_days/);
  });

  it('a typo in a field name is reported on the typo line as an unknown field', () => {
    const errors = errorsOf(`name: typo
conditions: { metric: roas, window: yesterday, op: ">", value: 1 }
actions:
  - pause: true
saftey:
  dry_run: true
`);
    expect(errors).toEqual([expect.objectContaining({ line: 5, field: 'saftey', message: 'unknown field "saftey"' })]);
  });

  it('a missing required field points at the file (line 1) and names it', () => {
    const errors = errorsOf(`conditions: { metric: roas, window: yesterday, op: ">", value: 1 }
actions: [{ pause: true }]
`);
    expect(errors).toEqual([expect.objectContaining({ field: 'name', line: 1 })]);
  });

  it('between needs a range; > needs one number; revenue is not known for today', () => {
    const errors = errorsOf(`name: ops
conditions:
  all:
    - { metric: roas, window: yesterday, op: between, value: 100 }
    - { metric: spend, window: last_3_days, op: ">", value: [1, 2] }
    - { metric: revenue, window: today, op: ">", value: 1 }
    - { metric: pacing, window: yesterday, op: ">", value: 1 }
actions: [{ pause: true }]
`);
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [4, 'conditions.all.0.value'],
      [5, 'conditions.all.1.value'],
      [6, 'conditions.all.2.window'],
      [7, 'conditions.all.3.window'],
    ]);
  });

  it('a bad action: adjust_budget with both by_percent and to, and an unknown action', () => {
    const errors = errorsOf(`name: acts
conditions: { metric: roas, window: yesterday, op: ">", value: 1 }
actions:
  - adjust_budget: { by_percent: 20, to: 500 }
  - explode: true
`);
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [4, 'actions.0.adjust_budget'],
      [5, 'actions.1'],
    ]);
    expect(errors[1]!.message).toMatch(/adjust_budget, pause, resume, duplicate or notify/);
  });

  it('YAML syntax errors come back with their line, nothing thrown', () => {
    const errors = errorsOf(`name: broken
conditions:
  all: [ { metric: roas
actions: []
`);
    expect(errors[0]!.line).toBeGreaterThanOrEqual(3);
    expect(errors[0]!.field).toBe('');
  });

  it('JSON files are read the same way, with line numbers', () => {
    const errors = errorsOf(
      `{
  "name": "json rule",
  "conditions": { "metric": "roas", "window": "yesterday", "op": ">", "value": "high" },
  "actions": [{ "pause": true }]
}`,
      'rules/r.json',
    );
    expect(errors).toEqual([expect.objectContaining({ file: 'rules/r.json', line: 3, field: 'conditions.value' })]);
  });

  it('safety values are checked: a cooldown must be a duration, the daily limit a positive integer', () => {
    const errors = errorsOf(`${GOOD}safety:
  cooldown: soon
  max_actions_per_day: 0
`);
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [8, 'safety.cooldown'],
      [9, 'safety.max_actions_per_day'],
    ]);
  });
});
