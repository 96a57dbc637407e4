import { existsSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { temporal } from '@temporalio/proto';
import { createActivities } from '../../activities';
import { Warehouse } from '../../services/warehouse/warehouse';
import { activityNamesOf, activityQueue } from '../../lib/activity-roles';
import { EncryptionCodec } from '../../lib/codec/encryption';
import { workflowIds } from '../../lib/names';
import type { SpendSyncResult } from '../../workflows/spend-sync-steps';
import type { MetaSandbox } from '../../workers/meta-sandbox/server';
import { testClient, testConfig, testPayloadKeys, startWorker } from '../support/temporal';
import { metaEnv, sandboxAt } from './harness';

const HOUR = '2025-10-12T18:00:00Z'; // 14:00 in New York: the report day is 2025-10-12

/**
 * Two accounts, pages of 2 (never an exact multiple, so no empty last page): act_1 has 4 campaigns
 * (2 campaign pages) of which 3 delivered (2 insights pages); act_2 has 3, all delivered (2 + 2).
 * Spend in cents as Meta holds it.
 */
const CAMPAIGNS = [
  { account: 'act_1', id: '101', name: 'Spool_Alpha', budget: 10000, spend: 1234 },
  { account: 'act_1', id: '102', name: 'Spool_Bravo', budget: 20000, spend: 2500 },
  { account: 'act_1', id: '103', name: 'Spool_Charlie', budget: 5000, spend: 7 },
  { account: 'act_1', id: '104', name: 'Spool_Delta', budget: 6000, spend: 0 },
  { account: 'act_2', id: '201', name: 'Spool_Echo', budget: 7000, spend: 999 },
  { account: 'act_2', id: '202', name: 'Spool_Foxtrot', budget: 8000, spend: 1 },
  { account: 'act_2', id: '203', name: 'Spool_Golf', budget: 9000, spend: 10000 },
];

function seed(sandbox: MetaSandbox) {
  sandbox.state.addAccount('act_1', { currency: 'USD' });
  sandbox.state.addAccount('act_2', { currency: 'USD' });
  for (const c of CAMPAIGNS) {
    const delivered = c.spend > 0;
    sandbox.state.addCampaign(
      c.account,
      {
        name: c.name,
        dailyBudget: c.budget,
        spendMinor: c.spend,
        impressions: delivered ? 100 : 0,
        clicks: delivered ? 1 : 0,
      },
      c.id,
    );
  }
}

/** Every payload in a history, wherever it sits in the events. */
function payloadsOf(node: unknown, found: temporal.api.common.v1.IPayload[] = []): temporal.api.common.v1.IPayload[] {
  if (node && typeof node === 'object') {
    if ('metadata' in node && 'data' in node && (node as { data: unknown }).data instanceof Uint8Array)
      found.push(node as temporal.api.common.v1.IPayload);
    else for (const value of Object.values(node)) payloadsOf(value, found);
  }
  return found;
}

describe('spendSync across task queues: a meta worker and a warehouse worker, one child per account, pages through the spool', () => {
  let sandbox: MetaSandbox;
  afterEach(async () => sandbox?.close());

  it('syncs two accounts as two children on their own queues; history holds page references, never rows', async () => {
    ({ sandbox } = await sandboxAt(HOUR));
    seed(sandbox);
    const config = testConfig(metaEnv(sandbox, ['act_1', 'act_2'], { META_PAGE_SIZE: '2' }));
    const client = await testClient(config);
    // Two processes' worth of workers, each on its own role's queue (the workflows run in both).
    const meta = await startWorker(config, { role: 'meta' });
    const warehouse = await startWorker(config, { role: 'warehouse', http: false });
    const parentId = `${workflowIds.spendSync(HOUR)}/${config.TEMPORAL_TASK_QUEUE}`;
    let result: SpendSyncResult;
    try {
      result = (await client.workflow.execute('spendSync', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: parentId,
        args: [{ hour: HOUR }],
      })) as SpendSyncResult;
    } finally {
      await meta.stop();
      await warehouse.stop();
    }
    // 7 campaigns, 6 of them delivered; pages: act_1 2 + 2, act_2 2 + 2 = 8.
    expect(result).toEqual({
      hour: HOUR,
      reportDate: '2025-10-12',
      accounts: 2,
      campaigns: 7,
      insightsRows: 6,
      pages: 8,
    });

    const parent = await client.workflow.getHandle(parentId).fetchHistory();
    const events = parent.events ?? [];
    const initiated = events
      .filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)
      .map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes!.workflowId);
    expect(initiated.sort()).toEqual([`${parentId}/act_1`, `${parentId}/act_2`]);
    // Side by side: both children were started before either finished.
    const lastInitiated = Math.max(
      ...events.flatMap((e, i) => (e.startChildWorkflowExecutionInitiatedEventAttributes ? [i] : [])),
    );
    const firstCompleted = events.findIndex((e) => e.childWorkflowExecutionCompletedEventAttributes);
    expect(lastInitiated).toBeLessThan(firstCompleted);

    const codec = new EncryptionCodec(testPayloadKeys());
    const histories = [
      parent,
      ...(await Promise.all(initiated.map((id) => client.workflow.getHandle(id!).fetchHistory()))),
    ];
    for (const [i, history] of histories.entries()) {
      const scheduled = (history.events ?? []).flatMap((e) =>
        e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes] : [],
      );
      for (const s of scheduled) {
        const role = activityNamesOf('meta').includes(s.activityType!.name as never) ? 'meta' : 'warehouse';
        expect([s.activityType!.name, s.taskQueue!.name]).toEqual([
          s.activityType!.name,
          activityQueue(config.TEMPORAL_TASK_QUEUE, role),
        ]);
      }
      if (i > 0) {
        // A child: per page one meta read and one warehouse load (plus the account read). Each campaign has one
        // ad set delivering its figures: 2 ad-set pages + 2 ad-set insights pages, and 1 (empty) custom-audience
        // page, which the meta worker reads back itself (no load): loads 4 + 4 = 8.
        const names = scheduled.map((s) => s.activityType!.name);
        expect(names.filter((n) => n === 'metaLoadSpoolPage')).toHaveLength(8);
        expect(names.filter((n) => n === 'metaFetchCampaignsPage' || n === 'metaFetchInsightsPage')).toHaveLength(4);
        expect(names.filter((n) => n === 'metaFetchAdSetsPage' || n === 'metaFetchAdSetInsightsPage')).toHaveLength(4);
        expect(names.filter((n) => n === 'metaFetchAudiencesPage')).toHaveLength(1);
      }
      const payloads = payloadsOf(history);
      expect(payloads.length).toBeGreaterThan(0);
      // A page of 2 rows as JSON is ~400 bytes; a reference with its cursor and counts stays well below.
      for (const p of payloads) expect(p.data!.length).toBeLessThan(700);
      const clear = (await codec.decode(payloads)).map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8'));
      for (const text of clear) {
        for (const c of CAMPAIGNS) expect(text).not.toContain(c.name);
        expect(text).not.toContain('daily_budget');
        expect(text).not.toContain('"spend"');
      }
    }

    // The spool of a finished hour is gone; the warehouse has every figure once.
    expect(existsSync(config.SPOOL_DIR) ? readdirSync(config.SPOOL_DIR) : []).toEqual([]);
    const db = await Warehouse.open(config.SCALEFLOW_DB, { readOnly: true });
    const totals = await db.all(
      'SELECT account_id, count(*)::INTEGER AS campaigns, sum(spend)::VARCHAR AS spend, sum(daily_budget)::VARCHAR AS budget FROM meta_campaign_state GROUP BY 1 ORDER BY 1',
    );
    db.close();
    await client.connection.close();
    // act_1: 12.34 + 25.00 + 0.07 + 0 = 37.41 spend; 100 + 200 + 50 + 60 = 410.00 budget.
    // act_2: 9.99 + 0.01 + 100.00 = 110.00 spend; 70 + 80 + 90 = 240.00 budget.
    expect(totals).toEqual([
      { account_id: 'act_1', campaigns: 4, spend: '37.41', budget: '410.00' },
      { account_id: 'act_2', campaigns: 3, spend: '110.00', budget: '240.00' },
    ]);
  }, 120_000);

  it('a page read again overwrites its one spool file, and a page loaded twice counts once', async () => {
    ({ sandbox } = await sandboxAt(HOUR));
    seed(sandbox);
    const config = testConfig(metaEnv(sandbox, ['act_2'], { META_PAGE_SIZE: '2' }));
    const warehouse = await Warehouse.open(config.SCALEFLOW_DB);
    const acts = createActivities({ config, warehouse });
    const reportDate = '2025-10-12';
    await acts.metaSyncStart({ hour: HOUR });
    const read = () =>
      acts.metaFetchCampaignsPage({ hour: HOUR, account: 'act_2', currency: 'USD', reportDate, page: 0 });
    const first = await read();
    const again = await read(); // a retry after a lost answer
    expect(again).toEqual(first);
    const dir = `${config.SPOOL_DIR}/2025-10-12T18/act_2`;
    expect(readdirSync(dir)).toEqual(['campaigns-00000.json']);
    const insights = await acts.metaFetchInsightsPage({ hour: HOUR, account: 'act_2', reportDate, page: 1 });
    for (let i = 0; i < 2; i++) {
      await acts.metaLoadSpoolPage(first.ref);
      await acts.metaLoadSpoolPage(insights.ref);
    }
    const row = await warehouse.one(
      'SELECT count(*)::INTEGER AS campaigns, sum(spend)::VARCHAR AS spend, sum(daily_budget)::VARCHAR AS budget FROM meta_campaign_snapshots',
    );
    warehouse.close();
    // The first page of act_2 is 201 and 202: spend 9.99 + 0.01 = 10.00, budget 70 + 80 = 150.00, loaded twice,
    // counted once.
    expect(row).toEqual({ campaigns: 2, spend: '10.00', budget: '150.00' });
  }, 60_000);
});
