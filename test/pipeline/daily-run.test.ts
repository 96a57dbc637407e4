import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { Warehouse } from '../../services/warehouse/warehouse';
import type { BudgetChangeStatus } from '../../lib/approvals/proposal';
import { verifyApprovalToken } from '../../lib/approvals/tokens';
import { datesBetween } from '../../lib/dates';
import { workflowIds } from '../../lib/names';
import { statusQuery } from '../../workflows/budget-change';
import type { DailyRunSummary } from '../../workflows/daily-pipeline';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { approvalConfig, APPROVAL_SECRET, linkIn, postDecision } from '../approvals/harness';
import { metaEnv } from '../meta/harness';
import { loadRows, type MetricRow } from '../reports/fixtures';
import { recordHistory } from '../support/histories';
import { waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { testClient, withWorker } from '../support/temporal';

/**
 * The whole day on the real dev server: a week of numbers in DuckDB, Meta as the loopback
 * sandbox, mail to a loopback SMTP server. Same three campaigns as the API test:
 * W (ben) roas 150 -> scale_up, A (ben) roas 110 -> hold, L (tj) roas 50 -> cut_loss.
 * W runs on Meta as 501 at $100.00 a day (what it spends), L as 502; A is not mapped to Meta. G (tj) loses like L
 * but is mapped to a Meta campaign that no longer exists.
 */
const AS_OF = '2025-10-13';
const rows: MetricRow[] = datesBetween('2025-10-06', '2025-10-12').flatMap((date) => [
  {
    date,
    campaign_id: 'W',
    campaign_name: 'Dental_W',
    owner: 'ben',
    category: 'Dental',
    spend: '100.00',
    revenue: '150.00',
  },
  {
    date,
    campaign_id: 'A',
    campaign_name: 'Dental_A',
    owner: 'ben',
    category: 'Dental',
    spend: '100.00',
    revenue: '110.00',
  },
  {
    date,
    campaign_id: 'L',
    campaign_name: 'Solar_L',
    owner: 'tj',
    category: 'Solar',
    spend: '100.00',
    revenue: '50.00',
  },
  {
    date,
    campaign_id: 'G',
    campaign_name: 'Solar_G',
    owner: 'tj',
    category: 'Solar',
    spend: '100.00',
    revenue: '50.00',
  },
]);
const to = (m: { to?: unknown }) => (m.to as { text: string }).text;

// Nobody in approvalConfig's APPROVERS_FILE chose Slack, so no run schedules a Slack request.
const REQUEST_ROUNDS = [
  ['appendAudit', 'resolveApprovalChannels'],
  ['appendAudit', 'requestApproval'],
  ['signal parent'],
];
/** The commands a budgetChange issued before its first decision came, grouped by the workflow task issuing them. */
async function requestRounds(client: Client, workflowId: string): Promise<string[][]> {
  const rounds = new Map<string, string[]>();
  for (const e of (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? []) {
    if (e.workflowExecutionUpdateAcceptedEventAttributes) break;
    const activity = e.activityTaskScheduledEventAttributes;
    const signal = e.signalExternalWorkflowExecutionInitiatedEventAttributes;
    const command = activity ? activity.activityType!.name! : signal ? 'signal parent' : undefined;
    const task = String((activity ?? signal)?.workflowTaskCompletedEventId);
    if (command) rounds.set(task, [...(rounds.get(task) ?? []), command].sort());
  }
  return [...rounds.values()];
}

describe('dailyPipeline: from numbers to an approved budget on Meta', () => {
  let smtp: SmtpCapture;
  let sandbox: MetaSandbox;
  let client: Client;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    sandbox = await startMetaSandbox();
    sandbox.state.addAccount('act_1001', { currency: 'USD' });
    sandbox.state.addCampaign('act_1001', { name: 'Dental_W', dailyBudget: 10000 }, '501');
    sandbox.state.addCampaign('act_1001', { name: 'Solar_L', dailyBudget: 15000 }, '502');
  });
  afterAll(async () => {
    await client?.connection.close();
    await sandbox.close();
    await smtp.close();
  });

  it('decides, proposes one change per alert, mails the reports, and writes the approved budget once', async () => {
    const config = await approvalConfig(smtp, {
      ...metaEnv(sandbox, ['act_1001']),
      REPORT_RECIPIENTS: 'ben=ben@example.com',
      REPORT_TEAM_RECIPIENTS: 'lead@example.com',
      OUTCOME_DELAY: '1h',
    });
    const seed = await Warehouse.open(config.SCALEFLOW_DB);
    await loadRows(seed, rows);
    await seed.run(`INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, category, account_id)
                    VALUES ('W', '501', 'ben', 'Dental', 'act_1001'), ('L', '502', 'tj', 'Solar', 'act_1001'), ('G', '599', 'tj', 'Solar', 'act_1001')`);
    seed.close();
    client = await testClient(config);
    const wW = workflowIds.budgetChange('W', AS_OF, 'scale_up');
    const wL = workflowIds.budgetChange('L', AS_OF, 'cut_loss');

    await withWorker(config, async (main) => {
      const first = await client.workflow.start('dailyPipeline', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: `${workflowIds.daily(AS_OF)}-${config.TEMPORAL_TASK_QUEUE}`,
        args: [{ date: AS_OF }],
      });
      const summary = (await first.result()) as DailyRunSummary;
      expect(summary.decisions).toMatchObject({ campaigns: 4, alerts: 3, alreadyProposed: [] });
      // G's Meta campaign is gone: Meta's final answer leaves that alert to a person, noted why.
      expect(summary.decisions.skipped).toEqual([
        { campaignId: 'G', type: 'cut_loss', reason: expect.stringContaining('Meta refused to show campaign 599') },
      ]);
      expect([...summary.decisions.proposed].sort()).toEqual([wL, wW].sort());
      expect(summary.report!.sent.map((d) => d.to).sort()).toEqual(['ben@example.com', 'lead@example.com']);
      expect(summary.report!.failed).toEqual([]);

      // Each child told the pipeline it had emailed its approvers (a signal), and the pipeline
      // waited on those signals, not by polling the audit log from an activity.
      const events = (await first.fetchHistory()).events ?? [];
      const signalled = events.flatMap((e) =>
        e.workflowExecutionSignaledEventAttributes?.signalName === 'approvalRequested' ? [e] : [],
      );
      expect(signalled).toHaveLength(2);
      const activities = events.flatMap((e) =>
        e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : [],
      );
      expect(activities).not.toContain('awaitApprovalRequests');
      // SLACK_CHANNEL is not set: nothing is posted and no Slack step is scheduled.
      expect(activities).not.toContain('postDayToSlack');
      expect(summary).not.toHaveProperty('slack');
      expect(summary.decisions.notYetRequested).toEqual([]);

      // Each child asks for approval in three rounds of commands, not five: the 'proposed' audit row
      // beside the approvers' lookup, the emails beside the 'approval_requested' row, then the signal
      // to this run (which waits for that row: the report's approve links are read from it).
      for (const id of [wW, wL]) expect(await requestRounds(client, id), id).toEqual(REQUEST_ROUNDS);

      // The decisions and alerts are stored, each alert linked to its budgetChange.
      const alerts = await main.warehouse.all(
        'SELECT campaign_id, type, status, workflow_id FROM alerts ORDER BY campaign_id',
      );
      expect(alerts).toEqual([
        { campaign_id: 'G', type: 'cut_loss', status: 'open', workflow_id: null },
        { campaign_id: 'L', type: 'cut_loss', status: 'acted', workflow_id: wL },
        { campaign_id: 'W', type: 'scale_up', status: 'acted', workflow_id: wW },
      ]);
      expect(
        await main.warehouse.one('SELECT count(*)::INTEGER AS n FROM decisions WHERE as_of = $1::DATE', [AS_OF]),
      ).toEqual({ n: 4 });

      // W's proposal: $100.00 -> $120.00, to ben's approvers; L's: pause, to the default approver. The alert
      // says +40%; a steady spend allows one 20% step (lib/optimizer/scale-step.ts: the cautious optimum,
      // slope 0.75 without noise, is 100 * (1.5 * 0.75)^4 = $160.18, above $120).
      const w = client.workflow.getHandle(wW);
      expect((await w.query(statusQuery)).proposal.action).toEqual({
        kind: 'set_daily_budget',
        fromCents: 10000,
        toCents: 12000,
      });
      const approvalMails = await waitFor(
        () => {
          const found = smtp.messages.filter((m) => m.subject?.startsWith('Approve:'));
          return found.length === 3 && found;
        },
        20_000,
        'three approval emails',
      );
      expect(approvalMails.map((m) => `${to(m)}: ${m.subject}`).sort()).toEqual([
        'ben.lead@example.com: Approve: daily budget $100.00 -> $120.00 for Dental_W (ben)',
        'lead@example.com: Approve: daily budget $100.00 -> $120.00 for Dental_W (ben)',
        'lead@example.com: Approve: pause the campaign for Solar_L (tj)',
      ]);

      // The team report reaches the lead with approve links signed for the lead, one per proposal.
      const team = smtp.messages.find((m) => to(m) === 'lead@example.com' && !m.subject?.startsWith('Approve:'))!;
      const links = [...(team.html || '').matchAll(/\/approve\/([A-Za-z0-9_\-.]+)/g)].map((m) => m[1]!);
      const claims = await Promise.all(
        [...new Set(links)].map((t) => verifyApprovalToken(APPROVAL_SECRET, t, new Date())),
      );
      expect(claims.map((c) => c.workflowId).sort()).toEqual([wL, wW].sort());
      expect(claims.every((c) => c.approver === 'lead@example.com')).toBe(true);
      // ben is not an approver: his report shows the alerts but carries no link to click.
      const bens = smtp.messages.find((m) => to(m) === 'ben@example.com')!;
      expect(bens.html).not.toContain('/approve/');

      // The lead approves W and rejects L.
      const leadLink = (subject: string) =>
        linkIn(approvalMails.find((m) => to(m) === 'lead@example.com' && m.subject!.includes(subject))!.text);
      expect((await postDecision(leadLink('Dental_W'), 'approve')).status).toBe(200);
      expect((await postDecision(leadLink('Solar_L'), 'reject')).status).toBe(200);
      await waitFor(async () => (await w.query(statusQuery)).state === 'written', 20_000, 'the budget write');
      const final = (await client.workflow.getHandle(wL).result()) as BudgetChangeStatus;
      expect(final.state).toBe('rejected');

      expect(sandbox.state.campaign('501')!.dailyBudget).toBe(12000);
      expect(sandbox.state.campaign('502')!.status).toBe('ACTIVE');
      // Writes: POSTs to a campaign (the plan's reads are POSTs to the Graph root, a batch).
      const writes = () => sandbox.log.filter((r) => r.method === 'POST' && r.path !== '/');
      expect(writes().map((r) => [r.path, r.body.daily_budget])).toEqual([['/501', '12000']]);
      await waitFor(
        async () =>
          (await main.warehouse.one<{ status: string }>("SELECT status FROM alerts WHERE campaign_id = 'L'"))
            ?.status === 'dismissed',
        10_000,
        'the rejected alert dismissed',
      );

      // Running the day again proposes nothing twice and writes nothing more.
      const again = (await client.workflow.execute('dailyPipeline', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: `${workflowIds.daily(AS_OF)}-${config.TEMPORAL_TASK_QUEUE}`,
        args: [{ date: AS_OF }],
      })) as DailyRunSummary;
      expect(again.decisions.proposed).toEqual([]);
      expect(writes()).toHaveLength(1);
      // The first run (the plan by reference, children signal it) and a child that told its parent;
      // the older recordings of this test (daily-pipeline-children-signal-approval-requests,
      // daily-pipeline-rerun-approval-requests-awaited, budget-change-rejected,
      // budget-change-rejected-tells-parent) stay.
      await recordHistory(
        client.workflow.getHandle(first.workflowId, first.firstExecutionRunId),
        'daily-pipeline-plan-by-reference',
      );
      await recordHistory(client.workflow.getHandle(wL), 'budget-change-rejected-request-steps-side-by-side');
      await w.cancel(); // it would sleep an hour before the outcome check
    });
  });
});
