import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledFailure, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import type { Config } from '../../lib/config';
import { statusQuery } from '../../workflows/budget-change';
import type { MetaSandbox } from '../../workers/meta-sandbox/server';
import { linkIn, postDecision, proposal } from '../approvals/harness';
import { recordHistory } from '../support/histories';
import { waitFor } from '../support/processes';
import type { SlackStandIn } from '../support/slack';
import type { SmtpCapture } from '../support/smtp';
import { withWorker } from '../support/temporal';
import { startSlackApprovalParts, type SlackApprovalParts } from './harness';

/**
 * ben's approvers (ben.lead, lead) are emailed; tj's approver (tj.lead) chose Slack. The file asks
 * someone on Slack, so only the proposal's own approvers can tell whether its run needs a Slack step.
 */
describe('a budget change asks Slack only when one of its approvers is on Slack', () => {
  let parts: SlackApprovalParts;
  let smtp: SmtpCapture;
  let slack: SlackStandIn;
  let sandbox: MetaSandbox;
  let config: Config;
  let start: SlackApprovalParts['start'];
  beforeAll(async () => {
    parts = await startSlackApprovalParts({
      campaigns: [
        { name: 'Dental_O', id: '611' },
        { name: 'Solar_O', id: '612' },
      ],
      signingSecret: 'slack-signing-secret-for-tests-0002',
      approvers: {
        default: ['lead@example.com'],
        owners: { ben: ['ben.lead@example.com', 'lead@example.com'], tj: ['tj.lead@example.com'] },
        people: { 'tj.lead@example.com': { slack_user_id: 'U0TJLEAD', channel: 'slack' } },
      },
    });
    ({ smtp, slack, sandbox, config, start } = parts);
  });
  afterAll(() => parts?.close());

  const stateOf = async (handle: WorkflowHandle) => (await handle.query(statusQuery)).state;
  const scheduled = async (handle: WorkflowHandle) =>
    ((await handle.fetchHistory()).events ?? []).flatMap((e) =>
      e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType!.name!] : [],
    );
  const endWhileWaiting = async (handle: WorkflowHandle) => {
    await handle.cancel();
    const ended = await handle.result().catch((err: unknown) => err);
    expect(ended).toBeInstanceOf(WorkflowFailedError);
    expect((ended as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  };

  it('emails-only approvers: no Slack step in the history, the email arrives, one approval writes once', async () => {
    await withWorker(config, async () => {
      const emailOnly = await start(
        proposal({ campaignId: 'slackonly-ben', metaCampaignId: '611', accountId: 'act_1001', owner: 'ben' }),
      );
      const onSlack = await start(
        proposal({ campaignId: 'slackonly-tj', metaCampaignId: '612', accountId: 'act_1001', owner: 'tj' }),
      );
      await waitFor(async () => (await stateOf(onSlack)) === 'awaiting_approval', 30_000, "tj's request");
      await waitFor(async () => (await stateOf(emailOnly)) === 'awaiting_approval', 30_000, "ben's request");

      // Both of ben's approvers were emailed; the one DM went to tj.lead, for tj's proposal.
      const benMail = smtp.messages.filter((m) => m.text?.includes('slackonly-ben'));
      expect(benMail.map((m) => (m.to as { text: string }).text).sort()).toEqual([
        'ben.lead@example.com',
        'lead@example.com',
      ]);
      const dms = slack.calls.filter((c) => c.path === '/api/chat.postMessage');
      expect(dms.map((c) => c.body.channel)).toEqual(['U0TJLEAD']);
      expect(JSON.stringify(dms[0]!.body.blocks)).toContain('slackonly-tj');

      // Before the click: the lookup beside the 'proposed' row, then the emails beside 'approval_requested'.
      expect(await scheduled(emailOnly)).toEqual([
        'resolveApprovalChannels',
        'appendAudit',
        'requestApproval',
        'appendAudit',
      ]);
      expect(await scheduled(onSlack)).toEqual([
        'resolveApprovalChannels',
        'appendAudit',
        'requestApproval',
        'requestSlackApproval',
        'appendAudit',
      ]);

      const mail = benMail.find((m) => (m.to as { text: string }).text === 'lead@example.com')!;
      expect((await postDecision(linkIn(mail.text), 'approve')).status).toBe(200);
      await waitFor(async () => (await stateOf(emailOnly)) === 'written', 30_000, 'the approved write');
      // The proposal's fromCents 20000 -> toCents 28000: one write of 28000 cents ($280.00) to 611, nothing to 612.
      const posts = sandbox.log.filter((r) => r.method === 'POST').map((r) => [r.path, r.body.daily_budget]);
      expect(posts).toEqual([['/611', '28000']]);
      expect(await scheduled(emailOnly)).not.toContain('requestSlackApproval');

      // Ended while they wait (outcome check, approval), so each history is whole for the replay test.
      await endWhileWaiting(emailOnly);
      await endWhileWaiting(onSlack);
      await recordHistory(emailOnly, 'budget-change-email-only-approvers-no-slack-step');
      await recordHistory(onSlack, 'budget-change-slack-approver-asked-after-lookup');
    });
  });
});
