import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { addDays } from '../../lib/dates';
import {
  sampleCampaignMapLines,
  sampleCampaigns,
  sampleReportLines,
  type SampleOptions,
} from '../../lib/sample/strategis';
import { sandboxForSample } from '../../workers/meta-sandbox/sample';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { approvalConfig } from '../approvals/harness';
import { metaEnv } from '../meta/harness';
import { waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { startWorker, testClient } from '../support/temporal';

/**
 * The daily pipeline's plan for 2,000 campaigns (lib/sample/strategis.ts, seed 42) on the real dev
 * server with the Graph API sandbox holding the same campaigns: hundreds of alerts become proposals
 * (about 1 KB each), and none of the run's activity inputs or results may grow with them. Carried
 * whole, planBudgetChanges' result was 705 KB at this size (BENCHMARKS.md, bench:pipeline).
 *
 * The io worker runs only for the run's first activity (the strateg.is pull): without it each
 * child budgetChange waits at its first io activity (resolving its approvers). The test reads the
 * history once the plan is made and its first page read back and started (the hundreds of
 * children after it cost minutes on a shared machine and add nothing to what is checked: every
 * page is the same size, and marking the alerts takes the plan's key, not its changes).
 */
const AS_OF = '2025-10-13';
const LIMIT = 64 * 1024;
const PLAN_PAGE = 25; // workflows/steps/decide-and-propose.ts

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const bytes = (p: temporal.api.common.v1.IPayloads | null | undefined) =>
  (p?.payloads ?? []).reduce((n, x) => n + (x.data?.length ?? 0), 0);

/** Every activity input and result of the run, with its activity type and size in bytes. */
function activityPayloads(events: HistoryEvent[]): { type: string; what: string; bytes: number }[] {
  const typeOf = new Map<string, string>();
  const out: { type: string; what: string; bytes: number }[] = [];
  for (const e of events) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const type = scheduled.activityType?.name ?? '?';
      typeOf.set(String(e.eventId), type);
      out.push({ type, what: 'input', bytes: bytes(scheduled.input) });
    }
    const completed = e.activityTaskCompletedEventAttributes;
    if (completed)
      out.push({
        type: typeOf.get(String(completed.scheduledEventId)) ?? '?',
        what: 'result',
        bytes: bytes(completed.result),
      });
  }
  return out;
}

describe('dailyPipeline keeps a 2,000-campaign plan out of its history', () => {
  let smtp: SmtpCapture | undefined;
  let sandbox: MetaSandbox | undefined;
  let client: Client | undefined;
  afterAll(async () => {
    await client?.connection.close();
    await sandbox?.close();
    await smtp?.close();
  });

  it('the plan is spooled and read back 25 changes a page: no activity input or result reaches 64 KB', async () => {
    const sample: SampleOptions = {
      start: addDays(AS_OF, -14),
      end: addDays(AS_OF, -1),
      campaigns: 2000,
      seed: 42,
      pulledOn: AS_OF,
    };
    const campaigns = sampleCampaigns(sample);
    smtp = await startSmtpCapture();
    sandbox = await startMetaSandbox({ state: sandboxForSample(campaigns) });
    const config = await approvalConfig(smtp, {
      ...metaEnv(sandbox, [...new Set(campaigns.map((c) => c.accountId))]),
    });
    mkdirSync(config.INBOX_DIR, { recursive: true });
    writeFileSync(join(config.INBOX_DIR, `strategis-${AS_OF}.csv`), [...sampleReportLines(sample), ''].join('\n'));
    const mapFile = join(config.INBOX_DIR, '..', `campaign-map-${config.TEMPORAL_TASK_QUEUE}.csv`);
    writeFileSync(mapFile, [...sampleCampaignMapLines(sample), ''].join('\n'));
    const withMap = { ...config, CAMPAIGN_MAP_FILE: mapFile };
    client = await testClient(withMap);

    const warehouse = await startWorker(withMap, { role: 'warehouse' });
    const io = await startWorker(withMap, { role: 'io' });
    let ioStopped = false;
    const handle = await client.workflow.start('dailyPipeline', {
      taskQueue: withMap.TEMPORAL_TASK_QUEUE,
      workflowId: `daily/${AS_OF}-${withMap.TEMPORAL_TASK_QUEUE}`,
      args: [{ date: AS_OF }],
    });
    let children: string[] = [];
    try {
      const history = async () => (await handle.fetchHistory()).events ?? [];
      await waitFor(
        async () => (await history()).some((e) => e.activityTaskCompletedEventAttributes),
        60_000,
        'the strateg.is pull to complete',
      );
      await io.stop();
      ioStopped = true;
      // The plan step done (and, by reference, the first page of it read back): what the old
      // planBudgetChanges returned whole is now either in one result or in the spool.
      const planned = (h: HistoryEvent[]) =>
        activityPayloads(h).some(
          (p) => p.what === 'result' && (p.type === 'planBudgetChanges' || p.type === 'readPlannedChanges'),
        );
      const events = await waitFor(
        async () => {
          const h = await history();
          return planned(h) ? h : undefined;
        },
        240_000,
        'the plan made and its first page read back',
      );
      const payloads = activityPayloads(events);
      const largest = payloads.reduce((a, b) => (b.bytes > a.bytes ? b : a));
      expect(largest.bytes, `${largest.type} ${largest.what}`).toBeLessThan(LIMIT);

      // The whole plan, as the warehouse spooled it: hundreds of proposals, well over 64 KB.
      const file = join(withMap.SPOOL_DIR, 'plans', AS_OF, `${handle.firstExecutionRunId}.json`);
      const plan = JSON.parse(readFileSync(file, 'utf8')) as { workflowId: string }[];
      expect(plan.length).toBeGreaterThan(10 * PLAN_PAGE);
      expect(statSync(file).size).toBeGreaterThan(LIMIT);
      // The workflow reads it back 25 at a time and starts those children (the first 25 here).
      expect(payloads.filter((p) => p.type === 'readPlannedChanges' && p.what === 'result').length).toBeGreaterThan(0);
      await waitFor(
        async () =>
          (await history()).filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes).length >= PLAN_PAGE,
        120_000,
        'the first page of children started',
      );
      const firstPage = (await history()).flatMap((e) => {
        const id = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
        return id ? [id] : [];
      });
      children = firstPage;
      expect(firstPage.slice(0, PLAN_PAGE)).toEqual(plan.slice(0, PLAN_PAGE).map((c) => c.workflowId));
    } finally {
      if (!ioStopped) await io.stop();
      await handle.terminate('test over').catch(() => undefined);
      // The children outlive their parent (ABANDON) and wait on an io queue no worker polls now.
      await Promise.all(
        children.map((id) =>
          client!.workflow
            .getHandle(id)
            .terminate('test over')
            .catch(() => undefined),
        ),
      );
      await warehouse.stop();
    }
  }, 300_000);
});
