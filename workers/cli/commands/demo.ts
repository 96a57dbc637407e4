import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BudgetChangeStatus } from '../../../lib/approvals/proposal';
import { approveUrl, signApprovalToken } from '../../../lib/approvals/tokens';
import { dateIn } from '../../../lib/dates';
import { temporalUiLink, workflowIds } from '../../../lib/names';
import { sqlFile } from '../../../services/warehouse/sql';
import { loadConfigOrExit } from '../../config-env';
import { demoCampaigns, demoConfig, seedInbox } from '../../demo/setup';
import { startLocalStack } from '../../local-stack';
import { installLogger } from '../../logging';
import { sandboxForSample } from '../../meta-sandbox/sample';
import { applySchedules } from '../../schedules';
import { connectClient } from '../../temporal-client';
import type { DailyRunSummary } from '../../../workflows/daily-pipeline';
import type { SpendSyncResult } from '../../../workflows/spend-sync-steps';
import { hourOf } from '../../../lib/meta/hour';
import { defineCommand, parseCommandArgs } from '../args';

export const demoSpec = defineCommand({
  name: 'demo',
  options: { once: { type: 'boolean', help: 'stop after printing, instead of running until Ctrl-C' } },
  about: `npm run demo [-- --once] builds first, then runs this.

Starts the real Temporal dev server (Web UI), the Graph API sandbox holding the sample campaigns
(unless META_ACCESS_TOKEN is set), and the worker (JSON API, approval pages); drops 60 days of
sample strateg.is data into the inbox, applies the schedules, and runs today's dailyPipeline end to
end. Prints the run's Web UI link, the report page, the emails and an approve link to click, then
keeps everything running until Ctrl-C. --once stops after printing.`,
});

const outboxFiles = (dir: string): string[] => {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.eml'))
      .sort();
  } catch {
    return [];
  }
};

export async function demo(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(demoSpec, args);
  const user = loadConfigOrExit();
  installLogger('WARN');
  const { config: base, notes } = demoConfig(user);
  for (const note of notes) console.log(`note: ${note}`);
  const asOf = dateIn(base.TZ, new Date());
  const before = new Set(outboxFiles(base.OUTBOX_DIR));

  console.log('Starting the Temporal dev server, the Meta sandbox and the scaleflow worker...');
  const stack = await startLocalStack(base, {
    preferredPort: Number(base.TEMPORAL_ADDRESS.split(':')[1]),
    preferredUiPort: Number(new URL(base.TEMPORAL_UI_URL).port || 8233),
    sandboxSeed: () => sandboxForSample(demoCampaigns(asOf)),
  });
  const { config } = stack;
  console.log(
    `Temporal dev server at ${config.TEMPORAL_ADDRESS}; worker HTTP (API, approval pages) at ${config.PUBLIC_BASE_URL}`,
  );
  try {
    const client = await connectClient(config);
    const sample = await seedInbox(config, asOf);
    console.log(`Seeded 60 days of sample strateg.is data: ${relative(process.cwd(), sample)}`);
    const schedules = await applySchedules(client, config);
    console.log(`Schedules: ${schedules.map((s) => `${s.scheduleId} (${s.result})`).join(', ')}`);

    // This hour's Meta snapshot first, so pacing, the cooldown and budget rules see live budgets.
    const hour = hourOf(Date.now());
    const synced = (await client.workflow.execute('spendSync', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: workflowIds.spendSync(hour),
      args: [{ hour }],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      // A sync of this hour still running (a second demo, `scaleflow sync-spend`) is waited for, not an error.
      workflowIdConflictPolicy: 'USE_EXISTING',
    })) as SpendSyncResult;
    console.log(`Meta sync for ${hour}: ${synced.campaigns} campaigns in ${synced.accounts} accounts`);

    const workflowId = workflowIds.daily(asOf);
    console.log(`Running dailyPipeline for ${asOf} (numbers through yesterday)...`);
    const handle = await client.workflow.start('dailyPipeline', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [{ date: asOf, timeZone: config.TZ }],
      // A second demo the same day runs the day again: loads change nothing, proposals are not repeated.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      // The day still running (the schedule's run, or a demo stopped midway) is followed, not an error.
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    const summary = (await handle.result()) as DailyRunSummary;
    const { decisions, report } = summary;

    console.log('');
    console.log(
      `Temporal Web UI (this run): ${temporalUiLink(config.TEMPORAL_UI_URL, config.TEMPORAL_NAMESPACE, workflowId, handle.firstExecutionRunId)}`,
    );
    console.log(
      `Loaded: ${summary.totals.accepted} rows accepted, ${summary.totals.quarantined} quarantined, ${summary.totals.skipped} skipped`,
    );
    console.log(
      `Decisions: ${decisions.campaigns} campaigns, ${decisions.alerts} alerts, ${decisions.proposed.length} budget changes proposed by this run`,
    );
    if (report?.pages[0]) console.log(`Report page: ${report.pages[0]}`);
    const mails = outboxFiles(config.OUTBOX_DIR).filter((f) => !before.has(f));
    if (mails.length) {
      console.log(`Emails (${mails.length}, in ${config.OUTBOX_DIR} since SMTP_URL is not set):`);
      for (const f of mails) console.log(`  ${join(config.OUTBOX_DIR, f)}`);
    }

    // The same link the approver's email carries (the token is deterministic for its claims), for
    // a change still waiting: a scale-up if there is one, since that is what buyers want to see go
    // through. A second demo the same day finds the proposals of the first.
    const acted = await stack.main.warehouse.all<{ workflow_id: string }>(sqlFile('pipeline/acted_alerts'), [asOf]);
    const candidates = [
      ...new Set([...decisions.proposed, ...decisions.alreadyProposed, ...acted.map((a) => a.workflow_id)]),
    ];
    const waiting: { id: string; status: BudgetChangeStatus }[] = [];
    for (const id of candidates) {
      const status = (await client.workflow.getHandle(id).query('status')) as BudgetChangeStatus;
      if (status.state === 'awaiting_approval' && status.approvers[0] && status.expiresAt) waiting.push({ id, status });
    }
    const raises = ({ status }: { status: BudgetChangeStatus }) =>
      status.proposal.action.kind === 'set_daily_budget' &&
      status.proposal.action.toCents > status.proposal.action.fromCents;
    let shown = false;
    for (const { id, status } of [...waiting.filter(raises), ...waiting.filter((w) => !raises(w))]) {
      const approver = status.approvers[0]!;
      const token = await signApprovalToken(config.APPROVAL_SECRET!, {
        workflowId: id,
        approver,
        expiresAt: Date.parse(status.expiresAt!),
      });
      console.log(
        `Approve link for ${approver} (${status.proposal.campaignName || status.proposal.campaignId}: ${status.proposal.reason}):`,
      );
      console.log(`  ${approveUrl(config.PUBLIC_BASE_URL, token)}`);
      console.log(
        `  its budgetChange in the Web UI: ${temporalUiLink(config.TEMPORAL_UI_URL, config.TEMPORAL_NAMESPACE, id)}`,
      );
      shown = true;
      break;
    }
    if (!shown) console.log('No budget change is waiting for approval today.');
    await client.connection.close();
  } catch (err) {
    await stack.shutdown();
    throw err;
  }
  if (values.once) {
    console.log('Stopping (--once). Runs stay in data/temporal.sqlite; `npx scaleflow dev` shows them again.');
    await stack.shutdown();
    return 0;
  }
  console.log('Everything keeps running; Ctrl-C stops it.');
  await stack.done;
  return 0;
}
