import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { spawnCli } from '../support/processes';
import { TEST_PAYLOAD_KEYS } from '../support/temporal';

const histories = readdirSync(join(__dirname, '../histories'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => `test/histories/${f}`);

async function replayCli(files: string[], env: Record<string, string> = {}) {
  const cli = spawnCli(['replay', ...files], { LOG_LEVEL: 'WARN', ...env });
  const code = await cli.exited;
  const lines = cli
    .output()
    .split('\n')
    .filter((l) => /^(ok|nondeterministic|unreadable|failed)\s/.test(l));
  return { code, output: cli.output(), lines };
}

describe('scaleflow replay', () => {
  it('replays every saved history, names the one whose commands no longer match, and the files that are not histories', async () => {
    const scratch = inject('scratchDir');
    // The healthcheck run as recorded, but with its activity renamed: what a changed workflow would meet.
    const tampered = join(scratch, 'healthcheck-tampered.json');
    writeFileSync(
      tampered,
      readFileSync('test/histories/healthcheck.json', 'utf8').replaceAll('"probeWarehouse"', '"someOtherActivity"'),
    );
    const notHistory = join(scratch, 'not-a-history.json');
    writeFileSync(notHistory, '{"workflowId": "x"}');
    const missing = join(scratch, 'missing.json');

    const run = await replayCli([...histories, tampered, notHistory, missing], {
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
      PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    });
    expect(run.code, run.output).toBe(1);
    expect(run.lines).toHaveLength(histories.length + 3);
    for (const file of histories)
      expect(run.lines, file).toContainEqual(expect.stringMatching(new RegExp(`^ok\\s+${file}  \\w+, \\d+ events$`)));
    expect(run.lines).toContainEqual(
      `nondeterministic   ${tampered}  healthcheck: [TMPRL1100] Nondeterminism error: Activity type of scheduled event 'someOtherActivity' does not match activity type of activity command 'probeWarehouse'`,
    );
    expect(run.lines).toContainEqual(`unreadable         ${notHistory}  not a workflow history: no "events" list`);
    expect(run.lines).toContainEqual(`unreadable         ${missing}  no such file`);
  }, 60_000);

  it("bundles the checkout's workflows when no prebuilt bundle is configured, and exits 0 when all replay", async () => {
    const run = await replayCli(['test/histories/daily-pipeline-rerun.json'], { WORKFLOW_BUNDLE_PATH: '' });
    expect(run.code, run.output).toBe(0);
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toMatch(/^ok {17}test\/histories\/daily-pipeline-rerun\.json {2}dailyPipeline, \d+ events$/);
  }, 90_000);

  it('reads an encrypted history with PAYLOAD_KEYS, and without the key that wrote it says which key is missing', async () => {
    const encrypted = 'test/histories/budget-change-approved-encrypted.json';
    // The recorded file holds payloads encrypted with the tests' key (test1), nothing in clear.
    expect(readFileSync(encrypted, 'utf8')).not.toContain('example.com');
    const env = { WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath') };
    const withKey = await replayCli([encrypted], {
      ...env,
      PAYLOAD_KEYS: `k2:${Buffer.alloc(32, 2).toString('base64')},${TEST_PAYLOAD_KEYS}`,
    });
    expect(withKey.code, withKey.output).toBe(0);
    expect(withKey.lines).toEqual([
      expect.stringMatching(
        /^ok {17}test\/histories\/budget-change-approved-encrypted\.json {2}budgetChange, \d+ events$/,
      ),
    ]);
    const otherKey = await replayCli([encrypted], {
      ...env,
      PAYLOAD_KEYS: `k2:${Buffer.alloc(32, 2).toString('base64')}`,
    });
    expect(otherKey.code).toBe(1);
    expect(otherKey.lines).toEqual([
      'failed             test/histories/budget-change-approved-encrypted.json  budgetChange: a payload is encrypted with key test1, which PAYLOAD_KEYS does not hold (list it after the current key)',
    ]);
  }, 60_000);

  it('needs at least one file', async () => {
    const run = await replayCli([]);
    expect(run.code).toBe(2);
    expect(run.output).toContain('replay needs at least one history file');
  });
});
