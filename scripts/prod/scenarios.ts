// The failures test:prod puts the topology through, each triggered on a condition Temporal reports
// (an activity started by a given process), never after a fixed sleep.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
// A CommonJS module: named imports work under vitest, not under node's ESM loader (tsx).
import proto from '@temporalio/proto';
import { simpleParser } from 'mailparser';
import type { BudgetChangeStatus } from '../../lib/approvals/proposal';
import type { Config } from '../../lib/config';
import type { MetaSandbox } from '../../workers/meta-sandbox/server';
import { killRole, until, type Running } from './processes';

const STARTED = proto.temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;

export interface Topology {
  /** The live process of a role name (replaced when the check restarts one). */
  get(name: string): Running;
  restart(name: string): Promise<Running>;
  stop(name: string): Promise<void>;
  log(line: string): void;
}

/** The process among `candidates` that is running `activity` for the workflow, once one is. */
export async function holderOf(
  client: Client,
  workflowIds: string[],
  activity: string,
  candidates: () => Running[],
): Promise<{ workflowId: string; holder: Running } | undefined> {
  for (const workflowId of workflowIds) {
    const described = await client.workflow
      .getHandle(workflowId)
      .describe()
      .catch(() => undefined);
    for (const pending of described?.raw.pendingActivities ?? []) {
      if (pending.activityType?.name !== activity || pending.state !== STARTED) continue;
      const holder = candidates().find((r) => r.identifies(pending.lastWorkerIdentity ?? undefined));
      if (holder) return { workflowId, holder };
    }
  }
  return undefined;
}

/** Each completed attempt of `activity` in the run's history: the attempt number and the worker that ran it. */
export async function attemptsOf(
  handle: WorkflowHandle,
  activity: string,
): Promise<{ attempt: number; identity: string }[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = new Set(
    events
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activity)
      .map((e) => String(e.eventId)),
  );
  return events
    .map((e) => e.activityTaskStartedEventAttributes)
    .filter((a) => a && scheduled.has(String(a.scheduledEventId)))
    .map((a) => ({ attempt: a!.attempt ?? 1, identity: a!.identity ?? '' }));
}

/** The approval link mailed for a budget change (written to OUTBOX_DIR as .eml without SMTP_URL). */
export async function approvalLinkFor(outboxDir: string, campaignId: string): Promise<string | undefined> {
  for (const name of readdirSync(outboxDir).filter((n) => n.endsWith('.eml'))) {
    const mail = await simpleParser(readFileSync(join(outboxDir, name)));
    const link = /Review and decide: (\S+)/.exec(mail.text ?? '')?.[1];
    if (link && mail.text!.includes(campaignId)) return link;
  }
  return undefined;
}

/**
 * A click on an approval link while the warehouse worker is down: `scaleflow api` records it in the
 * workflow, nothing reaches Meta until the warehouse is back, then Meta gets the write once.
 */
export async function approvalWhileWarehouseDown(
  client: Client,
  config: Config,
  sandbox: MetaSandbox,
  topology: Topology,
  changeId: string,
): Promise<void> {
  const handle = client.workflow.getHandle(changeId);
  const status = () => handle.query('status') as Promise<BudgetChangeStatus>;
  const { proposal } = await until(
    async () => (await status()).state === 'awaiting_approval' && status(),
    `${changeId} awaiting approval`,
  );
  const link = await until(
    () => approvalLinkFor(config.OUTBOX_DIR, proposal.campaignId),
    `the approval email for ${proposal.campaignId}`,
  );
  const posts = () => sandbox.log.filter((r) => r.method === 'POST' && r.path === `/${proposal.metaCampaignId}`).length;

  await topology.stop('warehouse');
  const res = await fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ decision: 'approve' }).toString(),
  });
  if (res.status !== 200)
    throw new Error(`CHECK FAILED: the approval POST to scaleflow api answered ${res.status}: ${await res.text()}`);
  const kept = await until(
    async () => ((await status()).state === 'approved' ? status() : undefined),
    `${changeId} approved while the warehouse is down`,
    30_000,
  );
  if (kept.decision?.decision !== 'approve')
    throw new Error(`CHECK FAILED: the decision was not kept: ${JSON.stringify(kept.decision)}`);
  if (posts() !== 0)
    throw new Error(
      'CHECK FAILED: Meta was written while the warehouse worker was down (the recheck runs on the warehouse)',
    );
  topology.log(
    `approval of ${changeId} clicked on scaleflow api while the warehouse worker is stopped: kept (approved), Meta not written yet`,
  );

  await topology.restart('warehouse');
  await until(
    async () => (await status()).state === 'written' && posts() > 0,
    `${changeId} written after the warehouse restarts`,
    120_000,
    250,
  );
  if (posts() !== 1)
    throw new Error(`CHECK FAILED: Meta got ${posts()} writes for campaign ${proposal.metaCampaignId}, not 1`);
  topology.log(`warehouse worker restarted: ${changeId} written to Meta once (POST /${proposal.metaCampaignId})`);
}

/**
 * The hour's spend sync with one meta replica SIGKILLed while it holds a Graph read: the first
 * campaigns page asked of the sandbox is held for a minute, the replica that picked it up is
 * killed, and the read's heartbeat timeout hands the page to the other replica.
 */
export async function syncWithMetaKilled(
  client: Client,
  config: Config,
  sandbox: MetaSandbox,
  topology: Topology,
  ids: { parent: string; childOf: (account: string) => string },
  hour: string,
): Promise<{ victim: string; survivor: string; child: string }> {
  let held: string | undefined;
  sandbox.faults.add(
    (r) => {
      const account = r.method === 'GET' ? /^\/(act_\d+)\/campaigns$/.exec(r.path)?.[1] : undefined;
      held ??= account;
      return account !== undefined;
    },
    { kind: 'slow', ms: 60_000 },
    1,
  );
  const handle = await client.workflow.start('spendSync', {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowId: ids.parent,
    args: [{ hour }],
  });
  const metas = () => [topology.get('meta-1'), topology.get('meta-2')];
  const account = await until(async () => held, 'the sandbox to be asked for a campaigns page', 120_000);
  const { workflowId: child, holder } = await until(
    () => holderOf(client, [ids.childOf(account)], 'metaFetchCampaignsPage', metas),
    `the meta worker reading ${account}'s held page`,
    60_000,
  );
  const victim = holder.role.name;
  await killRole(holder);
  topology.log(`${victim} (pid ${holder.child.pid}) SIGKILLed while running metaFetchCampaignsPage of ${child}`);
  await handle.result();
  const survivor = metas().find((r) => r.role.name !== victim)!;
  const attempts = await attemptsOf(client.workflow.getHandle(child), 'metaFetchCampaignsPage');
  const retried = attempts.find((a) => a.attempt >= 2);
  if (!retried || !survivor.identifies(retried.identity)) {
    throw new Error(
      `CHECK FAILED: the killed read was not finished by the other replica (${survivor.role.name}): ${JSON.stringify(attempts)}`,
    );
  }
  await topology.restart(victim);
  return { victim, survivor: survivor.role.name, child };
}

/**
 * The day's run with the warehouse worker SIGKILLed while it loads the strateg.is inbox, then
 * started again: the load's heartbeat timeout hands the load to the restarted worker.
 */
export async function dayWithWarehouseKilled<T>(
  client: Client,
  topology: Topology,
  start: () => Promise<WorkflowHandle>,
): Promise<T> {
  const handle = await start();
  let done = false;
  const result = handle.result().finally(() => (done = true));
  const held = await until(
    async () =>
      done
        ? 'finished'
        : holderOf(client, [handle.workflowId], 'loadStrategisInbox', () => [topology.get('warehouse')]),
    'the warehouse to start loading the inbox',
    300_000,
    50,
  );
  if (held === 'finished') throw new Error('CHECK FAILED: the day finished before its load could be seen running');
  const pid = held.holder.child.pid;
  await killRole(held.holder);
  topology.log(`warehouse (pid ${pid}) SIGKILLed while running loadStrategisInbox; starting it again`);
  await topology.restart('warehouse');
  const summary = (await result) as T;
  const attempts = await attemptsOf(handle, 'loadStrategisInbox');
  if (!attempts.some((a) => a.attempt >= 2 && topology.get('warehouse').identifies(a.identity))) {
    throw new Error(
      `CHECK FAILED: the killed load was not run again by the restarted warehouse: ${JSON.stringify(attempts)}`,
    );
  }
  return summary;
}
