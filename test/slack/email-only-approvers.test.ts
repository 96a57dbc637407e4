import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledFailure, WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { Proposal } from '../../lib/approvals/proposal';
import type { Config } from '../../lib/config';
import { workflowIds } from '../../lib/names';
import { statusQuery } from '../../workflows/budget-change';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { approvalConfig, linkIn, postDecision, proposal } from '../approvals/harness';
import { metaEnv } from '../meta/harness';
import { recordHistory } from '../support/histories';
import { waitFor } from '../support/processes';
import { startSlackStandIn, type SlackStandIn } from '../support/slack';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { testClient, withWorker } from '../support/temporal';

const BOT_TOKEN = 'xoxb-loopback-bot-token';

/**
 * ben's approvers (ben.lead, lead) are emailed; tj's approver (tj.lead) chose Slack. The file asks
 * someone on Slack, so only the proposal's own approvers can tell whether its run needs a Slack step.
 */
describe('a budget change asks Slack only when one of its approvers is on Slack', () => {
  let smtp: SmtpCapture;
  let slack: SlackStandIn;
  let sandbox: MetaSandbox;
  let client: Client;
  let config: Config;
  beforeAll(async () => {
    smtp = await startSmtpCapture();
    slack = await startSlackStandIn(BOT_TOKEN);
    sandbox = await startMetaSandbox();
    sandbox.state.addAccount('act_1001', { currency: 'USD' });
    sandbox.state.addCampaign('act_1001', { name: 'Dental_O', dailyBudget: 20000 }, '611');
    sandbox.state.addCampaign('act_1001', { name: 'Solar_O', dailyBudget: 20000 }, '612');
    config = await approvalConfig(smtp, {
      ...metaEnv(sandbox, ['act_1001']),
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: 'slack-signing-secret-for-tests-0002',
      SLACK_API_URL: slack.apiUrl,
    });
    writeFileSync(
      config.APPROVERS_FILE,
      JSON.stringify({
        default: ['lead@example.com'],
        owners: { ben: ['ben.lead@example.com', 'lead@example.com'], tj: ['tj.lead@example.com'] },
        people: { 'tj.lead@example.com': { slack_user_id: 'U0TJLEAD', channel: 'slack' } },
      }),
    );
    client = await testClient(config);
  });
  afterAll(async () => {
    await client?.connection.close();
    await Promise.all([smtp?.close(), slack?.close(), sandbox?.close()]);
  });

  const start = (p: Proposal) =>
    client.workflow.start('budgetChange', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: `${workflowIds.budgetChange(p.campaignId, p.date, p.type)}-${config.TEMPORAL_TASK_QUEUE}`,
      args: [{ proposal: p, settings: { approvalTimeoutMs: 600_000, outcomeDelayMs: 3_600_000, dryRun: false } }],
    });
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
