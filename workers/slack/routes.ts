import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { z } from 'zod';
import { approverOfSlackUser } from '../../lib/approvals/approvers';
import { decidedBlocks } from '../../lib/approvals/slack-message';
import type { Config } from '../../lib/config';
import { slackInteractionSchema, type SlackInteraction } from '../../lib/slack/interaction';
import { slackRequestProblem } from '../../lib/slack/signature';
import { readApproverPolicy } from '../../services/approvals/approvers-file';
import { slackApprovalView } from '../../services/slack/approval-view';
import { replyTo, slackClient } from '../../services/slack/client';
import { decideUpdate, statusQuery } from '../../workflows/budget-change';
import { HttpError } from '../http/errors';
import { errorAnswerSchema } from '../../lib/api/answers';
import { route, type RawContext, type Route } from '../http/router';

const formSchema = z.object({ payload: z.string().min(1) });

/** The form's `payload` field as a block_actions interaction; a malformed one is a 400 naming the field. */
function interactionOf(payload: string): SlackInteraction {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    throw new HttpError(400, 'invalid_request', 'form field "payload" is not JSON', { field: 'payload' });
  }
  const parsed = slackInteractionSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = ['payload', ...issue.path].join('.');
    throw new HttpError(400, 'invalid_request', `${field}: ${issue.message}`, { field });
  }
  return parsed.data;
}

/** Why an Update was not taken: the validator's words (already decided, not an approver) or the run's end. */
function refusalOf(err: unknown): string | undefined {
  if (err instanceof WorkflowUpdateFailedError) return (err.cause as Error | undefined)?.message ?? err.message;
  if (err instanceof WorkflowNotFoundError) return 'this proposal no longer exists';
  if (/completed|closed/i.test(String(err))) return 'this proposal is no longer waiting for a decision';
  return undefined;
}

/**
 * Slack's interactivity URL: a click on Approve or Reject in an approval message. Slack signs the
 * request; the clicking member is mapped to an approver by APPROVERS_FILE here, never taken from
 * the button, and the decision is the same Update the email's page sends.
 */
export function slackRoutes({ config, temporal }: { config: Config; temporal: Client }): Route[] {
  const ephemeral = async (to: string, text: string) => {
    try {
      await replyTo(to, { response_type: 'ephemeral', replace_original: false, text });
    } catch (err) {
      console.error('[slack] reply failed', err);
    }
  };

  async function decide(ctx: RawContext, interaction: SlackInteraction): Promise<void> {
    const { decision, workflowId } = interaction.actions[0]!.action_id;
    const member = interaction.user.id;
    const approver = approverOfSlackUser(readApproverPolicy(config.APPROVERS_FILE), member);
    if (!approver) {
      return ephemeral(
        interaction.response_url,
        `Your click was not recorded: Slack member ${member} is not an approver in scaleflow's APPROVERS_FILE (people.<email>.slack_user_id). Ask the team lead to add you.`,
      );
    }
    const handle = temporal.workflow.getHandle(workflowId);
    try {
      await handle.executeUpdate(decideUpdate, {
        args: [{ decision, approver, ip: ctx.clientAddress, userAgent: `Slack member ${member}` }],
      });
    } catch (err) {
      const refusal = refusalOf(err);
      if (refusal === undefined) throw err;
      return ephemeral(interaction.response_url, `Your click was not recorded: ${refusal}.`);
    }
    const status = await handle.query(statusQuery);
    const view = slackApprovalView(workflowId, status.proposal, Date.parse(status.expiresAt ?? ''), config.TZ);
    const outcome = `${decision === 'approve' ? 'Approved' : 'Rejected'} by ${approver}`;
    await slackClient(config).chat.update({
      channel: interaction.container.channel_id,
      ts: interaction.container.message_ts,
      text: `${view.heading}: ${outcome}`,
      blocks: decidedBlocks(view, `${view.action}\n${outcome}`),
    });
  }

  /** Slack's signature over the exact bytes, judged before anything in the body is believed. */
  function verify(ctx: RawContext): void {
    if (!config.SLACK_SIGNING_SECRET)
      throw new HttpError(503, 'not_configured', 'SLACK_SIGNING_SECRET is not set on the worker');
    const problem = slackRequestProblem(
      config.SLACK_SIGNING_SECRET,
      {
        timestamp: ctx.req.headers['x-slack-request-timestamp'] as string | undefined,
        signature: ctx.req.headers['x-slack-signature'] as string | undefined,
      },
      ctx.bodyText ?? '',
      Date.now(),
    );
    if (problem) throw new HttpError(401, 'unauthorized', `not a request signed by Slack: ${problem}`);
  }

  return [
    route({
      method: 'POST',
      path: '/slack/interactions',
      summary: "Slack's interactivity URL: an Approve or Reject click in an approval message, signed by Slack",
      access: 'public',
      body: formSchema,
      bodyType: 'application/x-www-form-urlencoded',
      responses: { 200: 'text/plain', 503: errorAnswerSchema },
      // An unsigned request is a 401 whatever its body; a signed one without its payload a 400 naming it.
      invalid(_problem, ctx) {
        verify(ctx);
        throw new HttpError(400, 'invalid_request', 'form field "payload" is required', { field: 'payload' });
      },
      async handler(ctx) {
        verify(ctx);
        await decide(ctx, interactionOf(ctx.body.payload));
        // Slack wants a 200 within 3 seconds; what the person sees went by chat.update or response_url.
        return { status: 200, text: '' };
      },
    }),
  ];
}
