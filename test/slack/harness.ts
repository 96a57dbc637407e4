import { writeFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import type { Proposal } from '../../lib/approvals/proposal';
import type { Config } from '../../lib/config';
import { workflowIds } from '../../lib/names';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { approvalConfig } from '../approvals/harness';
import { metaEnv } from '../meta/harness';
import { startSlackStandIn, type SlackStandIn } from '../support/slack';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { testClient } from '../support/temporal';

export const BOT_TOKEN = 'xoxb-loopback-bot-token';

export interface SlackApprovalParts {
  smtp: SmtpCapture;
  slack: SlackStandIn;
  sandbox: MetaSandbox;
  config: Config;
  client: Client;
  /** Starts a budget change for the proposal on this test's task queue, asking for approval. */
  start: (p: Proposal) => ReturnType<Client['workflow']['start']>;
  close: () => Promise<void>;
}

/**
 * Loopback SMTP, the Slack stand-in and the Graph API sandbox with one USD account holding the given
 * campaigns ($200 budgets), a worker config that asks Slack with `signingSecret`, and APPROVERS_FILE.
 */
export async function startSlackApprovalParts(o: {
  campaigns: { name: string; id: string }[];
  signingSecret: string;
  /** APPROVERS_FILE's contents, as an operator writes them. */
  approvers: Record<string, unknown>;
}): Promise<SlackApprovalParts> {
  const smtp = await startSmtpCapture();
  const slack = await startSlackStandIn(BOT_TOKEN);
  const sandbox = await startMetaSandbox();
  sandbox.state.addAccount('act_1001', { currency: 'USD' });
  for (const c of o.campaigns) sandbox.state.addCampaign('act_1001', { name: c.name, dailyBudget: 20000 }, c.id);
  const config = await approvalConfig(smtp, {
    ...metaEnv(sandbox, ['act_1001']),
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: o.signingSecret,
    SLACK_API_URL: slack.apiUrl,
  });
  writeFileSync(config.APPROVERS_FILE, JSON.stringify(o.approvers));
  const client = await testClient(config);
  return {
    smtp,
    slack,
    sandbox,
    config,
    client,
    start: (p) =>
      client.workflow.start('budgetChange', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: `${workflowIds.budgetChange(p.campaignId, p.date, p.type)}-${config.TEMPORAL_TASK_QUEUE}`,
        args: [{ proposal: p, settings: { approvalTimeoutMs: 600_000, outcomeDelayMs: 3_600_000, dryRun: false } }],
      }),
    close: async () => {
      await client.connection.close();
      await Promise.all([smtp.close(), slack.close(), sandbox.close()]);
    },
  };
}
