import { z } from 'zod';

/**
 * A button's action id: the decision and the proposal's workflow id. It says only which proposal
 * the button belongs to; who clicked is Slack's signed user id, mapped through APPROVERS_FILE.
 */
export const slackActionId = (decision: 'approve' | 'reject', workflowId: string) => `${decision}:${workflowId}`;

const actionIdSchema = z.string().transform((id, ctx) => {
  const m = /^(approve|reject):(.+)$/.exec(id);
  if (m) return { decision: m[1] as 'approve' | 'reject', workflowId: m[2]! };
  ctx.addIssue({ code: 'custom', message: 'not a scaleflow approve:<id> or reject:<id> button' });
  return z.NEVER;
});

/** The part of a block_actions payload a decision needs (https://api.slack.com/reference/interaction-payloads). */
export const slackInteractionSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string().min(1) }),
  response_url: z.url(),
  container: z.object({ channel_id: z.string().min(1), message_ts: z.string().min(1) }),
  actions: z.array(z.object({ action_id: actionIdSchema })).length(1),
});
export type SlackInteraction = z.infer<typeof slackInteractionSchema>;
