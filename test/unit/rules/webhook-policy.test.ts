import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../lib/config';
import { formatRuleError, parseRuleText } from '../../../lib/rules/parse';
import { refusedRange, webhookHostVerdict } from '../../../lib/rules/webhook-policy';
import { camp, day, rule, run } from './fixtures';

const noLoopback = { allowLoopback: false };

describe('webhook addresses: what a rule may never reach from inside', () => {
  it('refuses loopback, private, link-local, metadata and unspecified addresses, in IPv4, IPv6 and mapped forms', () => {
    const cases: Array<[string, string]> = [
      ['127.0.0.1', 'loopback'],
      ['127.255.0.9', 'loopback'],
      ['::1', 'loopback'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['10.0.0.1', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'], // the last of 172.16/12
      ['192.168.1.1', 'private'],
      ['fc00::1', 'private'],
      ['fdff:ffff::1', 'private'], // fc00::/7 reaches fdff:...
      ['169.254.0.1', 'link-local'],
      ['fe80::1', 'link-local'],
      ['febf::1', 'link-local'], // the last of fe80::/10
      ['169.254.169.254', 'cloud metadata'],
      ['fd00:ec2::254', 'cloud metadata'],
      ['::ffff:169.254.169.254', 'cloud metadata'],
      ['0.0.0.0', 'unspecified'],
      ['::', 'unspecified'],
      ['64:ff9b::7f00:1', 'loopback'], // NAT64 of 127.0.0.1
      ['2002:a00:1::1', 'private'], // 6to4 of 10.0.0.1
    ];
    for (const [address, range] of cases) expect(refusedRange(address, noLoopback), address).toBe(range);
  });

  it('lets public addresses through, including the neighbours of each refused range', () => {
    for (const address of [
      '8.8.8.8',
      '172.15.255.255',
      '172.32.0.0',
      '192.169.0.1',
      '11.0.0.1',
      '169.255.0.1',
      '2606:4700::1111',
      'fe00::1',
      '64:ff9b::808:808',
    ]) {
      expect(refusedRange(address, noLoopback), address).toBeUndefined();
    }
  });

  it('the test-only loopback switch opens loopback and nothing else', () => {
    expect(refusedRange('127.0.0.1', { allowLoopback: true })).toBeUndefined();
    expect(refusedRange('::1', { allowLoopback: true })).toBeUndefined();
    expect(refusedRange('169.254.169.254', { allowLoopback: true })).toBe('cloud metadata');
    expect(refusedRange('10.0.0.1', { allowLoopback: true })).toBe('private');
  });

  it('a host must be listed exactly (case and a trailing dot aside); an empty list turns webhooks off', () => {
    const policy = { allowedHosts: ['hooks.slack.com'], allowLoopback: false };
    expect(webhookHostVerdict('https://HOOKS.slack.com./services/T0/B0/x', policy)).toEqual({
      ok: true,
      host: 'hooks.slack.com',
    });
    expect(webhookHostVerdict('https://evil-hooks.slack.com/x', policy)).toEqual({
      ok: false,
      reason: 'webhook host evil-hooks.slack.com is not in WEBHOOK_ALLOWED_HOSTS',
    });
    expect(webhookHostVerdict('https://hooks.slack.com.evil.example/x', policy)).toMatchObject({ ok: false });
    expect(webhookHostVerdict('http://[::1]:8080/x', policy)).toEqual({
      ok: false,
      reason: 'webhook host ::1 is not in WEBHOOK_ALLOWED_HOSTS',
    });
    expect(webhookHostVerdict('https://hooks.slack.com/x', { allowedHosts: [], allowLoopback: false })).toEqual({
      ok: false,
      reason: 'webhooks are off (WEBHOOK_ALLOWED_HOSTS is empty)',
    });
  });
});

describe('webhook settings', () => {
  it('WEBHOOK_ALLOWED_HOSTS: host names, lower-cased; empty is off; a URL or a wildcard stops start-up naming it', () => {
    expect(parseConfig({}).WEBHOOK_ALLOWED_HOSTS).toEqual([]);
    expect(parseConfig({ WEBHOOK_ALLOWED_HOSTS: ' Hooks.Slack.com, example.org. ,' }).WEBHOOK_ALLOWED_HOSTS).toEqual([
      'hooks.slack.com',
      'example.org',
    ]);
    for (const bad of ['https://hooks.slack.com', '*.slack.com', 'hooks.slack.com:443']) {
      expect(() => parseConfig({ WEBHOOK_ALLOWED_HOSTS: bad }), bad).toThrow(/WEBHOOK_ALLOWED_HOSTS=.*host names/);
    }
  });

  it('WEBHOOK_ALLOW_LOOPBACK=true is for tests only: refused at start unless NODE_ENV=test', () => {
    expect(parseConfig({}).WEBHOOK_ALLOW_LOOPBACK).toBe(false);
    expect(parseConfig({ WEBHOOK_ALLOW_LOOPBACK: 'true', NODE_ENV: 'test' }).WEBHOOK_ALLOW_LOOPBACK).toBe(true);
    for (const env of [{ NODE_ENV: 'production' }, {}]) {
      let error: unknown;
      try {
        parseConfig({ WEBHOOK_ALLOW_LOOPBACK: 'true', ...env });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(
        'WEBHOOK_ALLOW_LOOPBACK="true": for tests only, refused unless NODE_ENV=test',
      );
    }
  });
});

describe('webhook rules', () => {
  const hookRule = (secretEnv: string) =>
    `name: hook\nconditions: { metric: spend, window: yesterday, op: ">", value: 0 }\nactions:\n  - notify:\n      webhook: { url: "https://hooks.slack.com/x", secret_env: ${secretEnv} }\n`;

  it("secret_env must name a SCALEFLOW_WEBHOOK_ variable: scaleflow's own secrets are refused at their line", () => {
    for (const name of ['JWT_SECRET', 'APPROVAL_SECRET', 'META_ACCESS_TOKEN', 'SCALEFLOW_WEBHOOK_']) {
      const parsed = parseRuleText(hookRule(name), 'rules/hook.yaml');
      expect(parsed.ok, name).toBe(false);
      if (parsed.ok) continue;
      // Line 5 holds the webhook; its value follows 6 spaces, "webhook: " (9), "{ " (2), "url: " (5),
      // '"https://hooks.slack.com/x"' (27), ", " (2) and "secret_env: " (12): 63 characters, so column 64.
      expect(parsed.errors.map(formatRuleError)).toEqual([
        expect.stringMatching(
          /^rules\/hook\.yaml:5:64: actions\.0\.notify\.webhook\.secret_env: an environment variable named SCALEFLOW_WEBHOOK_/,
        ),
      ]);
    }
    expect(parseRuleText(hookRule('SCALEFLOW_WEBHOOK_SLACK'), 'rules/hook.yaml').ok).toBe(true);
  });

  it('a webhook the allow list does not cover is skipped with the reason; beside an email it is dropped, said in the detail', () => {
    const always = { metric: 'spend', window: 'yesterday', op: '>', value: 0 } as const;
    const webhook = { url: 'https://hooks.slack.com/x', secret_env: 'SCALEFLOW_WEBHOOK_SLACK' };
    const rules = [
      rule({ id: 'hook-only', conditions: always, actions: [{ notify: { webhook } }] }),
      rule({ id: 'hook-and-mail', conditions: always, actions: [{ notify: { email: ['ben@example.com'], webhook } }] }),
    ];
    const c = [camp('c1', [day(10, 5)])];
    const planned = (webhooks: { allowedHosts: string[]; allowLoopback: boolean }) =>
      run(rules, c, { webhooks }).flatMap((r) =>
        r.actions.map((a) => ({ rule: a.ruleId, status: a.status, webhook: a.webhook?.url, detail: a.detail })),
      );

    expect(planned({ allowedHosts: [], allowLoopback: false })).toEqual([
      {
        rule: 'hook-and-mail',
        status: 'planned',
        webhook: undefined,
        detail: 'webhook not sent: webhooks are off (WEBHOOK_ALLOWED_HOSTS is empty)',
      },
      {
        rule: 'hook-only',
        status: 'skipped',
        webhook: undefined,
        detail: 'webhooks are off (WEBHOOK_ALLOWED_HOSTS is empty)',
      },
    ]);
    expect(planned({ allowedHosts: ['example.org'], allowLoopback: false })[1]).toEqual({
      rule: 'hook-only',
      status: 'skipped',
      webhook: undefined,
      detail: 'webhook host hooks.slack.com is not in WEBHOOK_ALLOWED_HOSTS',
    });
    expect(planned({ allowedHosts: ['hooks.slack.com'], allowLoopback: false })).toEqual([
      { rule: 'hook-and-mail', status: 'planned', webhook: webhook.url, detail: '' },
      { rule: 'hook-only', status: 'planned', webhook: webhook.url, detail: '' },
    ]);
  });
});
