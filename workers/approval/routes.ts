import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { z } from 'zod';
import type { BudgetChangeStatus } from '../../lib/approvals/proposal';
import { ApprovalTokenError, verifyApprovalToken, type ApprovalTokenClaims } from '../../lib/approvals/tokens';
import type { Config } from '../../lib/config';
import { decideUpdate, statusQuery } from '../../workflows/budget-change';
import { route, type Route } from '../http/router';
import { describeStatus, messagePage, proposalPage } from './pages';
import { describeThresholdStatus, isThresholdRun, thresholdPage } from './threshold-page';
import type { ThresholdChangeStatus } from '../../lib/approvals/threshold-change';
import { thresholdStatusQuery } from '../../workflows/threshold-change';

const decisionForm = z.object({ decision: z.enum(['approve', 'reject']) });

type Checked =
  | { claims: ApprovalTokenClaims; status: BudgetChangeStatus | ThresholdChangeStatus }
  | { page: ReturnType<typeof messagePage> };

/**
 * The approval pages. A GET only shows the proposal (mail scanners open links); the Approve and
 * Reject buttons POST, and the decision reaches the workflow as a Temporal Update whose validator
 * refuses late, repeated or foreign decisions.
 */
export function approvalRoutes({ config, temporal }: { config: Config; temporal: Client }): Route[] {
  const settings = { timeZone: config.TZ, outcomeDelayMs: config.OUTCOME_DELAY };
  // The signed workflow id says which kind of run a link decides; each kind answers its own query.
  const currentStatus = (workflowId: string) => {
    const handle = temporal.workflow.getHandle(workflowId);
    return isThresholdRun(workflowId) ? handle.query(thresholdStatusQuery) : handle.query(statusQuery);
  };
  const pageOf = (
    status: BudgetChangeStatus | ThresholdChangeStatus,
    approver: string,
    httpStatus?: number,
    override?: Parameters<typeof proposalPage>[4],
  ) =>
    'kind' in status
      ? thresholdPage(status, approver, settings, httpStatus, override)
      : proposalPage(status, approver, settings, httpStatus, override);
  async function check(token: string): Promise<Checked> {
    if (!config.APPROVAL_SECRET)
      return { page: messagePage(503, 'Approvals are not configured', 'APPROVAL_SECRET is not set on the worker.') };
    let claims: ApprovalTokenClaims;
    try {
      claims = await verifyApprovalToken(config.APPROVAL_SECRET, token, new Date());
    } catch (err) {
      if (err instanceof ApprovalTokenError && err.problem === 'expired') {
        return {
          page: messagePage(
            410,
            'This link has expired',
            'Approval links expire with their proposal. Nothing was changed on Meta.',
          ),
        };
      }
      return {
        page: messagePage(
          403,
          'This link is not valid',
          'The link was changed or is not a scaleflow approval link. Nothing was changed.',
        ),
      };
    }
    let status: BudgetChangeStatus | ThresholdChangeStatus;
    try {
      status = await currentStatus(claims.workflowId);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError)
        return { page: messagePage(404, 'No such proposal', 'This proposal no longer exists.') };
      throw err;
    }
    if (!status.approvers.includes(claims.approver)) {
      return {
        page: messagePage(
          403,
          'This link is for another approver',
          `${claims.approver} is not an approver of this proposal.`,
        ),
      };
    }
    return { claims, status };
  }

  /**
   * A link that carries a valid signature counts requests in a bucket of its own, keyed by what it
   * was signed for (so re-encodings of one token share it); anything else counts against its
   * sender's address. Garbage from anyone, behind the same proxy or not, never blocks a real link.
   */
  async function rateLimitKey({ params }: { params: Record<string, string> }): Promise<string | undefined> {
    if (!config.APPROVAL_SECRET) return undefined;
    try {
      const claims = await verifyApprovalToken(config.APPROVAL_SECRET, params.token ?? '', new Date());
      return `approve-link:${JSON.stringify([claims.workflowId, claims.approver])}`;
    } catch (err) {
      if (err instanceof ApprovalTokenError) return undefined;
      throw err;
    }
  }

  const params = z.object({ token: z.string() });
  // Every answer is a page, errors included (the link's owner is a person in a browser).
  const responses = Object.fromEntries([200, 400, 403, 404, 409, 410, 503].map((s) => [s, 'text/html' as const]));
  return [
    route({
      method: 'GET',
      path: '/approve/:token',
      summary: 'The proposal an approval link was signed for, with Approve and Reject buttons',
      access: 'public',
      params,
      responses,
      rateLimitKey,
      async handler(ctx) {
        const checked = await check(ctx.params.token);
        if ('page' in checked) return checked.page;
        return pageOf(checked.status, checked.claims.approver);
      },
    }),
    route({
      method: 'POST',
      path: '/approve/:token',
      summary: "An approver's decision, sent to the budget change as a Temporal Update",
      access: 'public',
      params,
      body: decisionForm,
      bodyType: 'application/x-www-form-urlencoded',
      responses,
      rateLimitKey,
      // The link is judged before the form: a bad link says so whatever the form held.
      async invalid(_problem, ctx) {
        const checked = await check(ctx.rawParams.token ?? '');
        if ('page' in checked) return checked.page;
        return messagePage(400, 'Choose Approve or Reject', 'The form field "decision" must be approve or reject.');
      },
      async handler(ctx) {
        const checked = await check(ctx.params.token);
        if ('page' in checked) return checked.page;
        const { claims } = checked;
        const handle = temporal.workflow.getHandle(claims.workflowId);
        try {
          await handle.executeUpdate(decideUpdate, {
            args: [
              {
                decision: ctx.body.decision,
                approver: claims.approver,
                ip: ctx.clientAddress,
                userAgent: ctx.userAgent,
              },
            ],
          });
        } catch (err) {
          // The validator refused (already decided, expired) or the run has ended: show what stands.
          if (
            !(err instanceof WorkflowUpdateFailedError) &&
            !(err instanceof WorkflowNotFoundError) &&
            !/completed|closed/i.test(String(err))
          )
            throw err;
          const now = await currentStatus(claims.workflowId);
          const described = 'kind' in now ? describeThresholdStatus(now, config.TZ) : describeStatus(now, config.TZ);
          const standing = described.message || `This proposal is ${now.state}.`;
          return pageOf(now, claims.approver, 409, {
            message: `Your click was not recorded. ${standing}`,
            tone: 'info',
          });
        }
        return pageOf(await currentStatus(claims.workflowId), claims.approver);
      },
    }),
  ];
}
