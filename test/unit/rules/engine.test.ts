import { describe, expect, it } from 'vitest';
import { evaluateCondition } from '../../../lib/rules/conditions';
import { targetBudget } from '../../../lib/rules/actions';
import { comparisonSchema, conditionSchema, type ConditionInput } from '../../../lib/rules/schema';
import { camp, day, LIMITS, live, NOW_MS, rule, run } from './fixtures';

const holds = (condition: ConditionInput, c = base) => evaluateCondition(conditionSchema.parse(condition), c);
const cmp = (metric: string, window: string, op: string, value: number | [number, number]) =>
  comparisonSchema.parse({ metric, window, op, value });

/**
 * Three days, oldest first:
 *   d-2: spend 100.00, revenue 120.00, 50 clicks, 10,000 impressions, 4 conversions
 *   d-1: spend 200.00, revenue 300.00, 80 clicks, 16,000 impressions, 5 conversions
 *   yesterday: spend 50.00, revenue 40.00, 25 clicks, 5,000 impressions, 0 conversions
 * Today so far (Meta): spend 150.00 of a 400.00 daily budget, half the day gone.
 */
const base = camp(
  'c1',
  [
    day(100, 120, { clicks: 50, impressions: 10_000, conversions: 4 }),
    day(200, 300, { clicks: 80, impressions: 16_000, conversions: 5 }),
    day(50, 40, { clicks: 25, impressions: 5_000, conversions: 0 }),
  ],
  {
    live: live({
      spendTodayCents: 15_000,
      dailyBudgetCents: 40_000,
      dayElapsed: 0.5,
      clicksToday: 30,
      impressionsToday: 6_000,
    }),
  },
);

describe('metrics and windows (METRICS.md formulas, hand-computed)', () => {
  it('yesterday: spend 50, revenue 40, margin -10, roas 80.0, ctr 0.5%, cpc 2.00, cpm 10.00, cpa n/a', () => {
    expect(holds({ metric: 'spend', window: 'yesterday', op: '=', value: 50 })).toBe(true);
    expect(holds({ metric: 'revenue', window: 'yesterday', op: '=', value: 40 })).toBe(true);
    expect(holds({ metric: 'margin', window: 'yesterday', op: '=', value: -10 })).toBe(true);
    expect(holds({ metric: 'roas', window: 'yesterday', op: '=', value: 80 })).toBe(true); // 40 / 50
    expect(holds({ metric: 'ctr', window: 'yesterday', op: '=', value: 0.5 })).toBe(true); // 25 / 5000
    expect(holds({ metric: 'cpc', window: 'yesterday', op: '=', value: 2 })).toBe(true); // 50 / 25
    expect(holds({ metric: 'cpm', window: 'yesterday', op: '=', value: 10 })).toBe(true); // 50 / 5000 * 1000
    expect(holds({ metric: 'conversions', window: 'yesterday', op: '=', value: 0 })).toBe(true);
    // no conversions: cpa does not exist, and a missing number satisfies nothing, not even !=
    expect(holds({ metric: 'cpa', window: 'yesterday', op: '>', value: 0 })).toBe(false);
    expect(holds({ metric: 'cpa', window: 'yesterday', op: '!=', value: 0 })).toBe(false);
  });

  it('last_3_days sums first: spend 350, revenue 460, roas 131.4, cpa 350 / 9 = 38.89', () => {
    expect(holds({ metric: 'spend', window: 'last_3_days', op: '=', value: 350 })).toBe(true);
    expect(holds({ metric: 'margin', window: 'last_3_days', op: '=', value: 110 })).toBe(true);
    expect(holds({ metric: 'roas', window: 'last_3_days', op: '=', value: 131.4 })).toBe(true); // 460 / 350 = 1.3143
    expect(holds({ metric: 'cpa', window: 'last_3_days', op: 'between', value: [38.88, 38.89] })).toBe(true);
    expect(holds({ metric: 'conversions', window: 'last_2_days', op: '=', value: 5 })).toBe(true);
  });

  it('each_of_last_N_days needs every day: roas 120, 150, 80', () => {
    expect(holds({ metric: 'roas', window: 'each_of_last_2_days', op: '>=', value: 80 })).toBe(true); // 150, 80
    expect(holds({ metric: 'roas', window: 'each_of_last_3_days', op: '>', value: 80 })).toBe(false); // 80 is not > 80
    expect(holds({ metric: 'roas', window: 'each_of_last_3_days', op: 'between', value: [80, 150] })).toBe(true);
    // a fourth day is missing: no spend, no roas, so the streak breaks
    expect(holds({ metric: 'roas', window: 'each_of_last_4_days', op: '>=', value: 0 })).toBe(false);
  });

  it('today comes from Meta: spend 150, utilisation 37.5%, pacing 75% (half the day gone), ctr 0.5%', () => {
    expect(holds({ metric: 'spend', window: 'today', op: '=', value: 150 })).toBe(true);
    expect(holds({ metric: 'budget_utilisation', window: 'today', op: '=', value: 37.5 })).toBe(true); // 150 / 400
    expect(holds({ metric: 'pacing', window: 'today', op: '=', value: 75 })).toBe(true); // 37.5 / 0.5
    expect(holds({ metric: 'ctr', window: 'today', op: '=', value: 0.5 })).toBe(true); // 30 / 6000
    // without a Meta snapshot, today is unknown
    expect(holds({ metric: 'spend', window: 'today', op: '>=', value: 0 }, { ...base, live: null })).toBe(false);
  });

  it('each operator on yesterday spend 50.00 (money compared in exact cents)', () => {
    const table: Array<[string, number | [number, number], boolean]> = [
      ['>', 49.99, true],
      ['>', 50, false],
      ['>=', 50, true],
      ['>=', 50.01, false],
      ['<', 50.01, true],
      ['<', 50, false],
      ['<=', 50, true],
      ['<=', 49.99, false],
      ['=', 50, true],
      ['=', 50.001, true], // thresholds are cents: 50.001 is $50.00
      ['!=', 50, false],
      ['!=', 49.99, true],
      ['between', [50, 60], true],
      ['between', [40, 50], true],
      ['between', [50.01, 60], false],
    ];
    for (const [op, value, expected] of table)
      expect([op, value, evaluateCondition(cmp('spend', 'yesterday', op, value), base)]).toEqual([op, value, expected]);
  });
});

describe('all / any nesting', () => {
  const T = { metric: 'spend', window: 'yesterday', op: '=', value: 50 } as const; // true
  const F = { metric: 'spend', window: 'yesterday', op: '=', value: 51 } as const; // false
  it('all needs every branch, any one of them; nested both ways', () => {
    expect(holds({ all: [T, T] })).toBe(true);
    expect(holds({ all: [T, F] })).toBe(false);
    expect(holds({ any: [F, T] })).toBe(true);
    expect(holds({ any: [F, F] })).toBe(false);
    expect(holds({ all: [T, { any: [F, T] }] })).toBe(true);
    expect(holds({ all: [T, { any: [F, { all: [T, F] }] }] })).toBe(false);
    expect(holds({ any: [{ all: [T, F] }, { all: [T, { any: [T] }] }] })).toBe(true);
  });
});

describe('safety: daily limit, cooldown, dry run, scope', () => {
  const winner = (id: string) => camp(id, [day(200, 400), day(200, 400)]);
  const five = ['a', 'b', 'c', 'd', 'e'].map(winner);
  const scale = (safety = {}) =>
    rule({
      id: 'scale',
      conditions: { metric: 'roas', window: 'yesterday', op: '>', value: 150 },
      actions: [{ adjust_budget: { by_percent: 20 } }],
      safety,
    });

  it('5 matches, max_actions_per_day 2: 2 actions (campaign_id order), 3 limited', () => {
    const [r] = run([scale({ max_actions_per_day: 2 })], five);
    expect(r!.matched).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(r!.actions.map((a) => [a.campaignId, a.status])).toEqual([
      ['a', 'planned'],
      ['b', 'planned'],
      ['c', 'limited'],
      ['d', 'limited'],
      ['e', 'limited'],
    ]);
    // 500.00 + 20% = 600.00
    expect(r!.actions[0]!.change).toEqual({ kind: 'set_daily_budget', fromCents: 50_000, toCents: 60_000 });
  });

  it('the limit counts what the rule already did today: 1 earlier, limit 2 -> 1 more', () => {
    const [r] = run([scale({ max_actions_per_day: 2 })], five, {
      history: { actedToday: new Map([['scale', new Set(['z'])]]) },
    });
    expect(r!.actions.filter((a) => a.status === 'planned').map((a) => a.campaignId)).toEqual(['a']);
  });

  it('cooldown: a campaign the rule acted on 10 h ago (cooldown 24h) is left alone; 24 h later it is not', () => {
    const recent = new Map([['scale/a', NOW_MS - 10 * 3_600_000]]);
    const [r] = run([scale({ cooldown: '24h' })], five.slice(0, 2), { history: { lastActionAt: recent } });
    expect(r!.actions.map((a) => [a.campaignId, a.status])).toEqual([
      ['a', 'cooling_down'],
      ['b', 'planned'],
    ]);
    const old = new Map([['scale/a', NOW_MS - 24 * 3_600_000]]);
    expect(
      run([scale({ cooldown: '24h' })], five.slice(0, 1), { history: { lastActionAt: old } })[0]!.actions[0]!.status,
    ).toBe('planned');
  });

  it('dry_run records each action as dry_run (and still honours the limit)', () => {
    const [r] = run([scale({ dry_run: true, max_actions_per_day: 3 })], five);
    expect(r!.actions.map((a) => a.status)).toEqual(['dry_run', 'dry_run', 'dry_run', 'limited', 'limited']);
  });

  it('check_every: a rule run 30 minutes ago with check_every 1h is not due', () => {
    const r = rule({
      id: 'hourly',
      conditions: { metric: 'spend', window: 'yesterday', op: '>', value: 0 },
      check_every: '1h',
    });
    expect(
      run([r], five, { force: false, history: { lastRunAt: new Map([['hourly', NOW_MS - 30 * 60_000]]) } }),
    ).toEqual([]);
    expect(
      run([r], five, { force: false, history: { lastRunAt: new Map([['hourly', NOW_MS - 60 * 60_000]]) } }),
    ).toHaveLength(1);
  });

  it('scope: owners, categories and a campaign name pattern (case-insensitive)', () => {
    const cs = [
      camp('x1', [day(1, 1)], { owner: 'Ben', category: 'dental', campaign_name: 'Implants_FB' }),
      camp('x2', [day(1, 1)], { owner: 'tj' }),
      camp('x3', [day(1, 1)], { campaign_name: 'Roofing_FB' }),
    ];
    const r = rule({
      conditions: { metric: 'spend', window: 'yesterday', op: '>', value: 0 },
      scope: { owners: ['ben'], categories: ['Dental'], campaign_name: 'implant' },
    });
    expect(run([r], cs)[0]).toMatchObject({ checked: 1, matched: ['x1'] });
  });

  it('require_approval: false runs unattended only where the owner config allows the kind and the size', () => {
    const unattended = scale({ require_approval: false });
    const none = run([unattended], five.slice(0, 1))[0]!.actions[0]!;
    expect(none).toMatchObject({ status: 'planned', unattended: false });
    expect(none.detail).toMatch(/ben's owner config does not allow unattended adjust_budget/);
    const owners = { owners: { ben: { unattended: { actions: ['adjust_budget' as const], max_change_pct: 20 } } } };
    expect(run([unattended], five.slice(0, 1), { owners })[0]!.actions[0]).toMatchObject({ unattended: true });
    const tight = { owners: { ben: { unattended: { actions: ['adjust_budget' as const], max_change_pct: 10 } } } };
    expect(run([unattended], five.slice(0, 1), { owners: tight })[0]!.actions[0]!.detail).toMatch(
      /20\.0% change is over ben's unattended limit of 10%/,
    );
  });
});

describe('actions', () => {
  it('adjust_budget: +20% capped at max, -10% floored at min, `to` within MAX_CHANGE_PCT', () => {
    expect(targetBudget(70_000, { by_percent: 20, max: 800 }, LIMITS)).toBe(80_000); // 840 -> 800
    expect(targetBudget(50_000, { by_percent: 20, max: 800 }, LIMITS)).toBe(60_000);
    expect(targetBudget(10_000, { by_percent: -10, min: 95 }, LIMITS)).toBe(9_500); // 90 -> 95
    expect(targetBudget(10_000, { to: 500 }, LIMITS)).toBe(15_000); // 100 -> 500 is +400%; the 50% cap gives 150
    expect(targetBudget(10_000, { by_percent: 80 }, LIMITS)).toBe(15_000); // capped at 50%
    expect(targetBudget(333, { by_percent: 10 }, LIMITS)).toBe(366); // 366.3 rounded toward the old budget
  });

  it('pause of a paused campaign and a budget change without a daily budget are skipped with a reason', () => {
    const paused = camp('p', [day(100, 10)], { live: live({ status: 'PAUSED' }) });
    const lifetime = camp('l', [day(100, 10)], { live: live({ dailyBudgetCents: null }) });
    const unmapped = camp('u', [day(100, 10)], { live: null });
    const pause = rule({
      id: 'p',
      conditions: { metric: 'spend', window: 'yesterday', op: '>', value: 0 },
      actions: [{ pause: true }, { adjust_budget: { by_percent: -10 } }],
    });
    const actions = run([pause], [paused, lifetime, unmapped])[0]!.actions;
    expect(actions.map((a) => [a.campaignId, a.kind, a.status, a.detail])).toEqual([
      ['l', 'pause', 'planned', ''],
      ['l', 'adjust_budget', 'skipped', expect.stringMatching(/no daily budget/)],
      ['p', 'pause', 'skipped', 'the campaign is already PAUSED on Meta'],
      ['p', 'adjust_budget', 'skipped', 'the campaign is PAUSED on Meta'],
      ['u', 'pause', 'skipped', expect.stringMatching(/not mapped/)],
      ['u', 'adjust_budget', 'skipped', expect.stringMatching(/not mapped/)],
    ]);
  });
});

describe('conflicts: the safer action wins, both are reported', () => {
  it('scale and pause on the same campaign: pause wins, the raise is overruled naming the winner', () => {
    const c = camp('both', [day(100, 200)]);
    const always = { metric: 'spend', window: 'yesterday', op: '>', value: 0 } as const;
    const rules = [
      rule({
        id: 'raise',
        conditions: always,
        actions: [{ adjust_budget: { by_percent: 20 } }, { notify: { email: ['ben@example.com'] } }],
      }),
      rule({ id: 'stop', conditions: always, actions: [{ pause: true }] }),
      rule({ id: 'trim', conditions: always, actions: [{ adjust_budget: { by_percent: -10 } }] }),
    ];
    const runs = run(rules, [c]);
    const all = runs.flatMap((r) => r.actions).map((a) => [a.ruleId, a.kind, a.status]);
    expect(all).toEqual([
      ['raise', 'adjust_budget', 'overruled'],
      ['raise', 'notify', 'planned'], // a message changes nothing on Meta: never in conflict
      ['stop', 'pause', 'planned'],
      ['trim', 'adjust_budget', 'overruled'],
    ]);
    const stop = runs[1]!.actions[0]!;
    expect(stop.detail).toBe("conflict: safer than trim's set_daily_budget, raise's set_daily_budget");
    expect(runs[0]!.actions[0]!.detail).toBe("conflict: stop's pause on the same campaign is safer and wins");
  });
});
