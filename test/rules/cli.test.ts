import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli } from '../support/processes';
import { inject } from 'vitest';
import { AS_OF, rulesDir, seedWarehouse } from './harness';

const EXAMPLE = readFileSync(new URL('../../rules/examples/raise-roas-winners.yaml', import.meta.url), 'utf8');

async function cli(args: string[], env: Record<string, string>) {
  const p = spawnCli(['rules', ...args], env);
  const code = await p.exited;
  return { code, output: p.output() };
}

describe('scaleflow rules', () => {
  it("validate: the buyer's example is valid; a malformed file exits 1 naming file, line and field", async () => {
    const dir = rulesDir({ 'raise-roas-winners.yaml': EXAMPLE });
    const ok = await cli(['validate'], { RULES_DIR: dir });
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.output).toContain('1 rule(s) valid, 0 problem(s)');
    writeFileSync(
      join(dir, 'bad.yaml'),
      'name: bad\nconditions:\n  all:\n    - { metric: roas, window: each_of_last_2_days, op: ">", value: "150%" }\nactions: [{ pause: true }]\n',
    );
    const bad = await cli(['validate'], { RULES_DIR: dir });
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(
      new RegExp(
        `${join(dir, 'bad.yaml').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4:\\d+: conditions\\.all\\.0\\.value: `,
      ),
    );
  });

  it('validate warns, exit 0, on a ROAS threshold written as a multiple (the seeds\' "ROAS > 3"), at its file and line', async () => {
    const rule = (value: number) =>
      `name: ROAS ${value}\nconditions:\n  all:\n    - { metric: spend, window: yesterday, op: ">", value: 100 }\n    - { metric: roas, window: each_of_last_3_days, op: ">", value: ${value} }\nactions: [{ pause: true }]\n`;
    const dir = rulesDir({ 'multiple.yaml': rule(3), 'percent.yaml': rule(130) });
    const out = await cli(['validate'], { RULES_DIR: dir });
    expect(out.code, out.output).toBe(0);
    expect(out.output).toContain('2 rule(s) valid, 0 problem(s), 1 warning(s)');
    // Line 5 is the roas comparison; its value starts at column 68: 8 for "    - { ", then
    // "metric: roas, " (14), "window: each_of_last_3_days, " (29), 'op: ">", ' (9), "value: " (7).
    expect(out.output).toContain(
      `${join(dir, 'multiple.yaml')}:5:68: warning: conditions.all.1.value: ROAS is a percent here: did you mean 300?`,
    );
    expect(out.output).not.toContain('percent.yaml');
  });

  it("validate refuses a webhook signed with scaleflow's own secret (secret_env: JWT_SECRET), naming file, line and field", async () => {
    const hook = (secretEnv: string) =>
      `name: Tell Slack\nconditions: { metric: spend, window: yesterday, op: ">", value: 0 }\nactions:\n  - notify: { webhook: { url: "https://hooks.slack.com/x", secret_env: ${secretEnv} } }\n`;
    const dir = rulesDir({ 'hook.yaml': hook('JWT_SECRET') });
    const out = await cli(['validate'], { RULES_DIR: dir, WEBHOOK_ALLOWED_HOSTS: 'hooks.slack.com' });
    expect(out.code, out.output).toBe(1);
    // Line 4 holds the webhook; its value follows "  - notify: { webhook: { url: " (30),
    // '"https://hooks.slack.com/x"' (27), ", " (2) and "secret_env: " (12): 71 characters, so column 72.
    expect(out.output).toContain(
      `${join(dir, 'hook.yaml')}:4:72: actions.0.notify.webhook.secret_env: an environment variable named SCALEFLOW_WEBHOOK_`,
    );
    writeFileSync(join(dir, 'hook.yaml'), hook('SCALEFLOW_WEBHOOK_SLACK'));
    const ok = await cli(['validate'], {
      RULES_DIR: dir,
      WEBHOOK_ALLOWED_HOSTS: 'hooks.slack.com',
      SCALEFLOW_WEBHOOK_SLACK: 'whsec-cli',
    });
    expect(ok.code, ok.output).toBe(0);
    expect(ok.output).toContain('1 rule(s) valid, 0 problem(s), 0 warning(s)');
  });

  it('with WEBHOOK_ALLOWED_HOSTS empty, webhooks are off: validate says so, and the rule records it instead of sending', async () => {
    const dir = rulesDir({
      'hook.yaml': `name: Tell Slack\nscope: { owners: [ben] }\nconditions: { metric: spend, window: yesterday, op: ">", value: 0 }\nactions:\n  - notify: { webhook: { url: "https://hooks.slack.com/x", secret_env: SCALEFLOW_WEBHOOK_SLACK } }\n`,
    });
    const env = { RULES_DIR: dir, WEBHOOK_ALLOWED_HOSTS: '', SCALEFLOW_WEBHOOK_SLACK: 'whsec-cli' };
    const validate = await cli(['validate'], env);
    expect(validate.code, validate.output).toBe(0);
    expect(validate.output).toContain(
      `${join(dir, 'hook.yaml')}: warning: actions.0.notify.webhook.url: webhooks are off (WEBHOOK_ALLOWED_HOSTS is empty): this webhook will not be sent`,
    );
    expect(validate.output).toContain('1 rule(s) valid, 0 problem(s), 1 warning(s)');

    const db = join(inject('scratchDir'), `rules-cli-hook-${Date.now()}.duckdb`);
    await seedWarehouse(db, [{ id: 'A', owner: 'ben', days: [[100, 150]], meta: { id: '7001', dailyBudget: 700 } }]);
    const out = await cli(['test', 'hook', '--as-of', AS_OF, '--db', db], env);
    expect(out.code, out.output).toBe(0);
    const answer = JSON.parse(out.output.slice(out.output.indexOf('{')));
    expect(answer.actions).toEqual([
      expect.objectContaining({
        campaignId: 'A',
        kind: 'notify',
        status: 'skipped',
        detail: 'webhooks are off (WEBHOOK_ALLOWED_HOSTS is empty)',
      }),
    ]);
  });

  it('enable / disable rewrite the file, keeping its comments; list shows the state', async () => {
    const dir = rulesDir({ 'raise-roas-winners.yaml': EXAMPLE });
    expect((await cli(['list'], { RULES_DIR: dir })).output).toMatch(
      /^raise-roas-winners\tRaise steady ROAS winners 20%\tdisabled, approval/m,
    );
    expect(await cli(['enable', 'raise-roas-winners'], { RULES_DIR: dir })).toMatchObject({ code: 0 });
    const text = readFileSync(join(dir, 'raise-roas-winners.yaml'), 'utf8');
    expect(text).toContain('enabled: true');
    expect(text).toContain('# "If ROAS > 150% on each of the last 2 days');
    expect((await cli(['list'], { RULES_DIR: dir })).output).toMatch(/\tenabled, approval\t/);
    expect(await cli(['disable', 'nope'], { RULES_DIR: dir })).toMatchObject({ code: 2 });
  });

  it('test shows what the rule would do on the warehouse as of a date, recording nothing', async () => {
    const dir = rulesDir({ 'raise-roas-winners.yaml': EXAMPLE });
    const db = join(inject('scratchDir'), `rules-cli-${Date.now()}.duckdb`);
    await seedWarehouse(db, [
      {
        id: 'A',
        owner: 'ben',
        days: [
          [100, 150],
          [200, 340],
          [200, 400],
        ],
        meta: { id: '7001', dailyBudget: 700 },
      },
      {
        id: 'C',
        owner: 'ben',
        days: [
          [100, 160],
          [100, 150],
        ],
        meta: { id: '7003', dailyBudget: 500 },
      },
    ]);
    const out = await cli(['test', 'raise-roas-winners', '--as-of', AS_OF, '--db', db], { RULES_DIR: dir });
    expect(out.code, out.output).toBe(0);
    const answer = JSON.parse(out.output.slice(out.output.indexOf('{')));
    expect(answer).toMatchObject({ rule_id: 'raise-roas-winners', as_of: AS_OF, checked: 2, matched: ['A'] });
    // $700 + 20% = $840, held at the rule's $800
    expect(answer.actions).toEqual([
      expect.objectContaining({
        campaignId: 'A',
        kind: 'adjust_budget',
        status: 'planned',
        change: { kind: 'set_daily_budget', fromCents: 70_000, toCents: 80_000 },
        evidence: { roas_each_of_last_2_days: '170, 200', spend_yesterday: '200.00' },
      }),
    ]);
  });
});
