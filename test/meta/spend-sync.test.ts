import { afterEach, describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure } from '@temporalio/common';
import { metaCampaignsFromConfig } from '../../activities/meta';
import { Warehouse } from '../../services/warehouse/warehouse';
import { workflowIds } from '../../lib/names';
import type { SpendSyncResult } from '../../workflows/spend-sync-steps';
import { faults, type RequestInfo } from '../../workers/meta-sandbox/faults';
import type { MetaSandbox } from '../../workers/meta-sandbox/server';
import { sqlFile } from '../../services/warehouse/sql';
import { recordHistory } from '../support/histories';
import { testClient, testConfig, withWorker } from '../support/temporal';
import { metaEnv, pagesRead, sandboxAt } from './harness';

const HOUR = '2025-10-12T18:00:00Z'; // 14:00 in New York: "today" is 2025-10-12

/** Budgets and spend chosen so every campaign differs: minor units as Meta holds them. */
const budgetMinor = (account: number, i: number) => 1000 + account * 1000 + i;
const spendMinor = (account: number, i: number) => account * 100 + i * 3;

describe('spendSync on the real dev server against the Graph API sandbox', () => {
  let sandbox: MetaSandbox;
  /** For each page pagesRead lists, whether it was a level=adset insights page. */
  const adsetLevel = (pattern: RegExp) =>
    sandbox.log
      .filter((r) => r.method === 'GET' && r.status === 200 && pattern.test(r.path) && !r.query.summary)
      .map((r) => r.query.level === 'adset');
  afterEach(async () => sandbox?.close());

  it('syncs 3 accounts x 400 campaigns through rate limits midway; every state is right and no page is read twice after the retry', async () => {
    ({ sandbox } = await sandboxAt(HOUR));
    const accounts = ['act_1', 'act_2', 'act_3'];
    accounts.forEach((id, a) => sandbox.state.addAccount(id, { currency: a === 2 ? 'JPY' : 'USD' }));
    for (let a = 0; a < 3; a++) {
      for (let i = 0; i < 400; i++) {
        // Every 10th campaign delivered nothing today: Meta gives it no insights row.
        const delivered = i % 10 !== 0;
        sandbox.state.addCampaign(
          accounts[a]!,
          {
            dailyBudget: budgetMinor(a, i),
            status: i % 7 === 0 ? 'PAUSED' : 'ACTIVE',
            spendMinor: delivered ? spendMinor(a, i) : 0,
            impressions: delivered ? 100 + i : 0,
            clicks: delivered ? i % 13 : 0,
          },
          `${a + 1}${String(i).padStart(4, '0')}`,
        );
      }
    }
    // act_2's third campaigns page answers code 17, act_3's second insights page code 80004.
    const nth = (path: string, n: number) => {
      let seen = 0;
      return (r: RequestInfo) => r.method === 'GET' && r.path === path && ++seen === n;
    };
    sandbox.faults.add(nth('/act_2/campaigns', 3), faults.rateLimit(17, 0));
    sandbox.faults.add(nth('/act_3/insights', 2), faults.rateLimit(80004, 0));

    const config = testConfig(metaEnv(sandbox, accounts, { META_PAGE_SIZE: '100' }));
    const client = await testClient(config);
    const result = (await withWorker(config, () =>
      client.workflow.execute('spendSync', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: `${workflowIds.spendSync(HOUR)}/${config.TEMPORAL_TASK_QUEUE}`,
        args: [{ hour: HOUR }],
      }),
    )) as SpendSyncResult;
    await client.connection.close();

    // 400 campaigns = 4 pages; 360 delivered = 4 insights pages; per account 8, for 3 accounts 24.
    expect(result).toEqual({
      hour: HOUR,
      reportDate: '2025-10-12',
      accounts: 3,
      campaigns: 1200,
      insightsRows: 1080,
      pages: 24,
    });

    const faulted = sandbox.log.filter((r) => r.fault);
    expect(faulted.map((r) => [r.path, r.status])).toEqual(
      expect.arrayContaining([
        ['/act_2/campaigns', 400],
        ['/act_3/insights', 400],
      ]),
    );
    expect(faulted).toHaveLength(2);
    for (const account of accounts) {
      const pattern = new RegExp(`^/${account}/(campaigns|insights)$`);
      // The ad-set steps read the insights edge too (level=adset): keyed apart, each page once as well.
      const reads = pagesRead(sandbox, pattern).map((read, i) => `${read}${adsetLevel(pattern)[i] ? ' adset' : ''}`);
      // 400 campaigns: 4 campaign pages + 4 insights pages; their 400 ad sets (one each), 360 delivered: 4 more.
      expect(reads).toHaveLength(12);
      expect(new Set(reads).size).toBe(12); // no page answered twice
    }
    // The failed page was asked again (same cursor) and nothing before it was.
    for (const fault of faulted) {
      const again = sandbox.log.filter(
        (r) =>
          r.path === fault.path &&
          r.query.after === fault.query.after &&
          r.query.level === fault.query.level &&
          r.seq > fault.seq,
      );
      expect(again.map((r) => r.status)).toEqual([200]);
      const earlierPagesAfterRetry = sandbox.log.filter(
        (r) =>
          r.path === fault.path &&
          r.seq > fault.seq &&
          r.query.after !== fault.query.after &&
          r.query.after !== undefined,
      );
      expect(earlierPagesAfterRetry.every((r) => r.seq > again[0]!.seq)).toBe(true);
    }

    const warehouse = await Warehouse.open(config.SCALEFLOW_DB, { readOnly: true });
    const state = await warehouse.all<{
      meta_campaign_id: string;
      account_id: string;
      status: string;
      daily_budget: string;
      spend: string;
      impressions: string;
      clicks: string;
      currency: string;
      is_cbo: boolean;
      report_date: string;
    }>(
      'SELECT meta_campaign_id, account_id, status, daily_budget::VARCHAR AS daily_budget, spend::VARCHAR AS spend, impressions::VARCHAR AS impressions, clicks::VARCHAR AS clicks, currency, is_cbo, report_date::VARCHAR AS report_date FROM meta_campaign_state ORDER BY meta_campaign_id',
    );
    const snapshots = await warehouse.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM meta_campaign_snapshots');
    warehouse.close();
    expect(snapshots).toEqual({ n: 1200 });
    expect(state).toHaveLength(1200);
    const money = (minor: number, jpy: boolean) =>
      jpy ? `${minor}.00` : `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
    for (const row of state) {
      const a = Number(row.meta_campaign_id[0]) - 1;
      const i = Number(row.meta_campaign_id.slice(1));
      const delivered = i % 10 !== 0;
      expect(row).toEqual({
        meta_campaign_id: row.meta_campaign_id,
        account_id: accounts[a],
        status: i % 7 === 0 ? 'PAUSED' : 'ACTIVE',
        daily_budget: money(budgetMinor(a, i), a === 2),
        spend: delivered ? money(spendMinor(a, i), a === 2) : '0.00',
        impressions: String(delivered ? 100 + i : 0),
        clicks: String(delivered ? i % 13 : 0),
        currency: a === 2 ? 'JPY' : 'USD',
        is_cbo: true,
        report_date: '2025-10-12',
      });
    }
  }, 120_000);

  it('round-trips budgets exactly ("1234" on the wire is 12.34 in DuckDB and back), sees the change on Meta for the cooldown, and re-runs an hour without new rows', async () => {
    const { sandbox: s, clock } = await sandboxAt(HOUR);
    sandbox = s;
    sandbox.state.addAccount('act_9', { currency: 'USD' });
    sandbox.state.addCampaign('act_9', { dailyBudget: 1234, spendMinor: 500, impressions: 40, clicks: 2 }, '900');
    sandbox.state.addCampaign('act_9', { dailyBudget: 5000 }, '901');
    const config = testConfig(metaEnv(sandbox, ['act_9']));
    const client = await testClient(config);
    const run = (hour: string, id = `${workflowIds.spendSync(hour)}/${config.TEMPORAL_TASK_QUEUE}`) =>
      client.workflow.execute('spendSync', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: id,
        args: [{ hour }],
      }) as Promise<SpendSyncResult>;
    const nextHour = '2025-10-12T19:00:00Z';

    await withWorker(config, async (main) => {
      await run(HOUR);
      await recordHistory(
        client.workflow.getHandle(`${workflowIds.spendSync(HOUR)}/${config.TEMPORAL_TASK_QUEUE}`),
        'spend-sync-one-account',
      );
      const first = await main.warehouse.one<{ daily_budget: string }>(
        "SELECT daily_budget::VARCHAR AS daily_budget FROM meta_campaign_state WHERE meta_campaign_id = '900'",
      );
      expect(first).toEqual({ daily_budget: '12.34' });

      // The approval flow's write: 12.34 -> 20.00 goes out as "2000".
      await main.warehouse.run(
        "INSERT INTO campaign_map (campaign_id, meta_campaign_id, account_id) VALUES ('simt3jv06u3', '900', 'act_9')",
      );
      const port = metaCampaignsFromConfig(config, main.warehouse)!;
      expect(await port.readCampaign({ accountId: 'act_9', metaCampaignId: '900' })).toEqual({
        dailyBudgetCents: 1234,
        status: 'ACTIVE',
        lastChangedAt: null,
        currency: 'USD',
      });
      const write = await port.applyAction({
        accountId: 'act_9',
        metaCampaignId: '900',
        action: { kind: 'set_daily_budget', fromCents: 1234, toCents: 2000 },
        dryRun: false,
      });
      expect(write).toMatchObject({
        result: 'written',
        before: { dailyBudgetCents: 1234 },
        after: { dailyBudgetCents: 2000 },
        metaResponse: { success: true },
      });
      // The SDK posts the object's id with the change; the budget is the exact minor-unit string.
      expect(sandbox.log.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([
        { id: '900', daily_budget: '2000' },
      ]);

      clock.ms = Date.parse(nextHour);
      await run(nextHour);
      await run(nextHour, `${workflowIds.spendSync(nextHour)}/${config.TEMPORAL_TASK_QUEUE}/again`); // the same hour once more
      const counts = await main.warehouse.all<{ hour: string; n: number }>(
        "SELECT strftime(snapshot_hour AT TIME ZONE 'UTC', '%H') AS hour, count(*)::INTEGER AS n FROM meta_campaign_snapshots GROUP BY 1 ORDER BY 1",
      );
      expect(counts).toEqual([
        { hour: '18', n: 2 },
        { hour: '19', n: 2 },
      ]);
      expect(
        await main.warehouse.one(
          "SELECT daily_budget::VARCHAR AS daily_budget, spend::VARCHAR AS spend FROM meta_campaign_state WHERE meta_campaign_id = '900'",
        ),
      ).toEqual({ daily_budget: '20.00', spend: '5.00' });

      // The cooldown's input: scaleflow wrote nothing through the audit log here, but Meta showed the change at 19:00.
      const facts = await main.warehouse.all(sqlFile('metrics/executed_change_facts'), [Date.parse(nextHour) + 1]);
      expect(facts).toEqual([{ campaign_id: 'simt3jv06u3', changed_at: Date.parse(nextHour) }]);
      expect(await main.warehouse.all(sqlFile('metrics/executed_change_facts'), [Date.parse(nextHour) - 1])).toEqual(
        [],
      );
      expect((await port.readCampaign({ accountId: 'act_9', metaCampaignId: '900' })).lastChangedAt).toBe(nextHour);
    });
    await client.connection.close();
  }, 90_000);

  it('an expired token ends the sync at once with an ops-facing MetaAuthError, asking Meta only once', async () => {
    ({ sandbox } = await sandboxAt(HOUR));
    sandbox.state.addAccount('act_5', { currency: 'USD' });
    sandbox.state.addCampaign('act_5');
    sandbox.faults.add((r) => r.path === '/act_5/campaigns', faults.expiredToken(), 5);
    const config = testConfig(metaEnv(sandbox, ['act_5']));
    const client = await testClient(config);
    const error = await withWorker(config, () =>
      client.workflow
        .execute('spendSync', {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowId: `${workflowIds.spendSync(HOUR)}/${config.TEMPORAL_TASK_QUEUE}`,
          args: [{ hour: HOUR }],
        })
        .catch((err: unknown) => err),
    );
    await client.connection.close();
    expect(error).toBeInstanceOf(WorkflowFailedError);
    // The account's child failed on the page: its failure is the parent's cause.
    const child = (error as WorkflowFailedError).cause;
    expect(child).toBeInstanceOf(ChildWorkflowFailure);
    const activity = (child as ChildWorkflowFailure).cause;
    expect(activity).toBeInstanceOf(ActivityFailure);
    const cause = (activity as ActivityFailure).cause as ApplicationFailure;
    expect(cause.type).toBe('MetaAuthError');
    expect(cause.message).toContain('META_ACCESS_TOKEN');
    expect(sandbox.log.filter((r) => r.path === '/act_5/campaigns')).toHaveLength(1);
  }, 60_000);
});
