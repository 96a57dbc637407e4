import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledFailure, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import type { Config } from '../../lib/config';
import { statusQuery } from '../../workflows/budget-change';
import type { MetaSandbox } from '../../workers/meta-sandbox/server';
import { linkIn, postDecision, proposal } from '../approvals/harness';
import { recordHistory } from '../support/histories';
import { waitFor } from '../support/processes';
import { buttonClick, signedForm, signedInteraction, type SlackStandIn } from '../support/slack';
import type { SmtpCapture } from '../support/smtp';
import { withWorker } from '../support/temporal';
import { BOT_TOKEN, startSlackApprovalParts, type SlackApprovalParts } from './harness';

const SIGNING_SECRET = 'slack-signing-secret-for-tests-0001';

/**
 * Two proposals for owner ben, whose approvers are ben.lead (Slack only) and lead (email, the
 * default). One is approved by ben.lead's button in Slack, the other by lead's emailed link.
 */
describe('Slack approvals beside email approvals', () => {
  let parts: SlackApprovalParts;
  let smtp: SmtpCapture;
  let slack: SlackStandIn;
  let sandbox: MetaSandbox;
  let config: Config;
  let start: SlackApprovalParts['start'];
  beforeAll(async () => {
    parts = await startSlackApprovalParts({
      campaigns: [
        { name: 'Dental_S', id: '601' },
        { name: 'Dental_E', id: '602' },
      ],
      signingSecret: SIGNING_SECRET,
      approvers: {
        default: ['lead@example.com'],
        owners: { ben: ['ben.lead@example.com', 'lead@example.com'] },
        people: { 'ben.lead@example.com': { slack_user_id: 'U0BENLEAD', channel: 'slack' } },
      },
    });
    ({ smtp, slack, sandbox, config, start } = parts);
  });
  afterAll(() => parts?.close());

  const awaiting = (handle: WorkflowHandle) =>
    waitFor(async () => (await handle.query(statusQuery)).state === 'awaiting_approval', 30_000, 'awaiting approval');
  const stateOf = async (handle: WorkflowHandle) => (await handle.query(statusQuery)).state;
  const click = (payload: unknown, options?: Parameters<typeof signedInteraction>[2]) => {
    const { body, headers } = signedInteraction(SIGNING_SECRET, payload, options);
    return fetch(`${config.PUBLIC_BASE_URL}/slack/interactions`, { method: 'POST', headers, body });
  };
  const replies = () => slack.calls.filter((c) => c.path.startsWith('/response/'));
  const metaPosts = () => sandbox.log.filter((r) => r.method === 'POST');

  it('writes each proposal once, one approved on Slack and one by email, and the audit log names each approver', async () => {
    await withWorker(config, async (main) => {
      const viaSlack = await start(proposal({ campaignId: 'slack-s', metaCampaignId: '601', accountId: 'act_1001' }));
      const viaEmail = await start(proposal({ campaignId: 'email-e', metaCampaignId: '602', accountId: 'act_1001' }));
      await Promise.all([awaiting(viaSlack), awaiting(viaEmail)]);

      // One DM per proposal to ben.lead's member id, with the bot token, the email's numbers and two buttons.
      const dms = slack.calls.filter((c) => c.path === '/api/chat.postMessage');
      expect(dms.map((c) => c.body.channel)).toEqual(['U0BENLEAD', 'U0BENLEAD']);
      expect(dms.every((c) => c.authorization === `Bearer ${BOT_TOKEN}`)).toBe(true);
      const dm = dms.find((c) => JSON.stringify(c.body.blocks).includes('slack-s'))!;
      const blocks = JSON.stringify(dm.body.blocks);
      // fromCents 20000 = $200.00, toCents 28000 = $280.00, as the email words it.
      expect(blocks).toContain('daily budget $200.00 -> $280.00');
      expect(blocks).toContain('ROAS >130% for 3+ days');
      const actionIds = (dm.body.blocks as { type: string; elements?: { action_id: string }[] }[])
        .find((b) => b.type === 'actions')!
        .elements!.map((e) => e.action_id);
      expect(actionIds).toEqual([`approve:${viaSlack.workflowId}`, `reject:${viaSlack.workflowId}`]);
      // ben.lead chose Slack only: every email went to lead.
      const mailTo = smtp.messages.map((m) => (m.to as { text: string }).text);
      expect(mailTo.filter((to) => to === 'ben.lead@example.com')).toEqual([]);
      const message = { channel: 'DBENLEAD', ts: '1764583200.000001' };

      // Hostile clicks first: none of them decides anything.
      const forged = await click(buttonClick('U0BENLEAD', actionIds[0]!, message, slack.responseUrl), {
        signWith: 'not-the-signing-secret',
      });
      expect(forged.status).toBe(401);
      const stale = await click(buttonClick('U0BENLEAD', actionIds[0]!, message, slack.responseUrl), {
        timestamp: Math.floor(Date.now() / 1000) - 6 * 60, // six minutes ago: over Slack's five
      });
      expect(stale.status).toBe(401);
      expect(((await stale.json()) as { message: string }).message).toContain('5 minutes');
      const stranger = await click(buttonClick('U0STRANGER', actionIds[0]!, message, slack.responseUrl));
      expect(stranger.status).toBe(200);
      expect(replies().at(-1)!.body).toMatchObject({ response_type: 'ephemeral' });
      expect(String(replies().at(-1)!.body.text)).toContain('U0STRANGER is not an approver');
      expect(await stateOf(viaSlack)).toBe('awaiting_approval');
      expect(metaPosts()).toEqual([]);

      // ben.lead approves in Slack; lead approves the other by the emailed link.
      const approved = await click(buttonClick('U0BENLEAD', actionIds[0]!, message, slack.responseUrl));
      expect(approved.status).toBe(200);
      const mail = smtp.messages.find((m) => m.text?.includes('email-e'))!;
      expect((await postDecision(linkIn(mail.text), 'approve')).status).toBe(200);

      await waitFor(async () => (await stateOf(viaSlack)) === 'written', 30_000, 'the Slack-approved write');
      await waitFor(async () => (await stateOf(viaEmail)) === 'written', 30_000, 'the email-approved write');
      const update = slack.calls.find((c) => c.path === '/api/chat.update')!;
      expect(update.body).toMatchObject({ channel: 'DBENLEAD', ts: '1764583200.000001' });
      expect(String(update.body.text)).toContain('Approved by ben.lead@example.com');

      // A second click on a decided proposal is told so, and nothing more is written.
      await click(buttonClick('U0BENLEAD', actionIds[0]!, message, slack.responseUrl));
      expect(String(replies().at(-1)!.body.text)).toContain('already approved by ben.lead@example.com');
      expect(
        metaPosts()
          .map((r) => [r.path, r.body.daily_budget])
          .sort(),
      ).toEqual([
        ['/601', '28000'],
        ['/602', '28000'],
      ]);

      const decided = await main.warehouse.all<{ workflow_id: string; actor: string }>(
        "SELECT workflow_id, actor FROM audit_log WHERE event = 'decided' ORDER BY workflow_id",
      );
      expect(decided).toEqual([
        { workflow_id: viaEmail.workflowId, actor: 'lead@example.com' },
        { workflow_id: viaSlack.workflowId, actor: 'ben.lead@example.com' },
      ]);

      // A signed request without the payload field is a 400 naming it.
      const empty = signedForm(SIGNING_SECRET, 'nothing=here');
      const bad = await fetch(`${config.PUBLIC_BASE_URL}/slack/interactions`, { method: 'POST', ...empty });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ field: 'payload' });

      // Ended while it waits for its outcome check, so the run's history is whole for the replay test.
      await viaSlack.cancel();
      const ended = await viaSlack.result().catch((err: unknown) => err);
      expect(ended).toBeInstanceOf(WorkflowFailedError);
      expect((ended as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      await recordHistory(viaSlack, 'budget-change-approved-on-slack');
      await viaEmail.cancel();
    });
  });
});
