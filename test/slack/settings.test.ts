import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { approverOfSlackUser, approverPolicySchema, channelOf } from '../../lib/approvals/approvers';
import { slackRequestProblem } from '../../lib/slack/signature';
import { spawnWorker } from '../support/processes';
import { TEST_PAYLOAD_KEYS } from '../support/temporal';
import { signedForm } from '../support/slack';

describe('Slack settings in APPROVERS_FILE and the environment', () => {
  it('emails anyone who chose nothing, and maps a Slack member to one approver only', () => {
    const policy = approverPolicySchema.parse({
      default: ['lead@example.com'],
      people: { 'ann@example.com': { slack_user_id: 'U0ANN', channel: 'both' } },
    });
    expect(channelOf(policy, 'lead@example.com').channel).toBe('email');
    expect(channelOf(policy, 'ann@example.com')).toEqual({ slack_user_id: 'U0ANN', channel: 'both' });
    expect(approverOfSlackUser(policy, 'U0ANN')).toBe('ann@example.com');
    expect(approverOfSlackUser(policy, 'U0BOB')).toBeUndefined();

    const noId = approverPolicySchema.safeParse({
      default: ['a@example.com'],
      people: { 'a@example.com': { channel: 'slack' } },
    });
    expect(noId.error?.issues[0]).toMatchObject({ path: ['people', 'a@example.com', 'slack_user_id'] });
    const shared = approverPolicySchema.safeParse({
      default: ['a@example.com'],
      people: { 'a@example.com': { slack_user_id: 'U0SAME' }, 'b@example.com': { slack_user_id: 'U0SAME' } },
    });
    expect(shared.error?.issues[0]?.message).toBe("U0SAME is already a@example.com's");
  });

  it('stops the worker at start naming SLACK_BOT_TOKEN when an approver chose Slack and it is unset', async () => {
    const approversFile = join(inject('scratchDir'), 'approvers-slack-startup.json');
    writeFileSync(
      approversFile,
      JSON.stringify({
        default: ['lead@example.com'],
        people: { 'lead@example.com': { slack_user_id: 'U0LEAD', channel: 'slack' } },
      }),
    );
    // Everything else a worker needs is set, so only the Slack variable can stop it.
    const env = { APPROVERS_FILE: approversFile, PAYLOAD_KEYS: TEST_PAYLOAD_KEYS };
    const noToken = spawnWorker({ ...env, SLACK_SIGNING_SECRET: 'set' });
    expect(await noToken.exited).toBe(78);
    expect(noToken.output()).toContain('SLACK_BOT_TOKEN is not set');
    const noSecret = spawnWorker({ ...env, SLACK_BOT_TOKEN: 'xoxb-set' });
    expect(await noSecret.exited).toBe(78);
    expect(noSecret.output()).toContain('SLACK_SIGNING_SECRET is not set');
  });

  it('believes only a body signed with the secret, within five minutes either way', () => {
    const now = 1_764_583_200_000;
    const at = (offsetS: number) => signedForm('s3cret', 'payload=%7B%7D', { timestamp: now / 1000 + offsetS });
    const check = (form: ReturnType<typeof at>, body = form.body) =>
      slackRequestProblem(
        's3cret',
        { timestamp: form.headers['x-slack-request-timestamp'], signature: form.headers['x-slack-signature'] },
        body,
        now,
      );
    expect(check(at(0))).toBeNull();
    expect(check(at(-300))).toBeNull(); // exactly five minutes old: still inside
    expect(check(at(-301))).toContain('more than 5 minutes');
    expect(check(at(301))).toContain('more than 5 minutes');
    expect(check(at(0), 'payload=%7B%7D&x=1')).toBe('X-Slack-Signature does not match');
    expect(slackRequestProblem('s3cret', { timestamp: undefined, signature: 'v0=00' }, '', now)).toContain('missing');
  });
});
