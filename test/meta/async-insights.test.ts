import { afterEach, describe, expect, it } from 'vitest';
import { createMetaGraph } from '../../services/meta/graph';
import { readDayInsightsPage } from '../../services/meta/insights';
import { insightsRow, type InsightsRow } from '../../lib/meta/wire';
import { faults } from '../../workers/meta-sandbox/faults';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { failureOf, metaConfig } from './harness';

/** Insights of large accounts through Meta's asynchronous report runs (AdReportRun), over real HTTP. */
describe('insights through asynchronous report runs', () => {
  let sandbox: MetaSandbox;
  afterEach(async () => sandbox?.close());

  /** act_big: 7 campaigns that delivered (campaign i spent 100 * (i + 1) cents); act_small: 2. */
  async function start() {
    sandbox = await startMetaSandbox({ reportRunMs: 300 });
    sandbox.state.addAccount('act_5', { currency: 'USD' });
    sandbox.state.addAccount('act_6', { currency: 'USD' });
    for (let i = 0; i < 7; i++)
      sandbox.state.addCampaign('act_5', { spendMinor: 100 * (i + 1), impressions: 10, clicks: 1 }, `50${i}`);
    for (let i = 0; i < 2; i++)
      sandbox.state.addCampaign('act_6', { spendMinor: 50, impressions: 5, clicks: 0 }, `60${i}`);
    // At least 5 campaigns is "large"; pages of 3; polled every 50 ms.
    return metaConfig(sandbox, ['act_5', 'act_6'], {
      META_PAGE_SIZE: '3',
      META_ASYNC_INSIGHTS_CAMPAIGNS: '5',
      META_REPORT_POLL_INTERVAL: '50ms',
    });
  }

  async function allPages(
    config: ReturnType<typeof metaConfig>,
    account: string,
  ): Promise<{ rows: InsightsRow[]; cursors: (string | undefined)[] }> {
    const graph = createMetaGraph(config);
    const rows: InsightsRow[] = [];
    const cursors: (string | undefined)[] = [];
    let after: string | undefined;
    do {
      const page = await readDayInsightsPage(graph, config, account, '2025-10-12', after);
      rows.push(...page.rows.map(insightsRow));
      after = page.after;
      cursors.push(after);
    } while (after);
    return { rows, cursors };
  }

  it('a large account: POSTs one report run, polls it to "Job Completed", then pages its rows; a small one is read directly', async () => {
    const config = await start();
    const big = await allPages(config, 'act_5');
    // 7 rows, 3 a page: 3 pages, the cursors naming the one report run.
    const [run, ...others] = sandbox.reportRuns.all();
    expect(others).toEqual([]);
    expect(big.cursors).toEqual([
      expect.stringMatching(new RegExp(`^report:${run!.id}:`)),
      expect.stringMatching(new RegExp(`^report:${run!.id}:`)),
      undefined,
    ]);
    expect(big.rows.map((r) => [r.meta_campaign_id, r.spend])).toEqual([
      ['500', '1.00'],
      ['501', '2.00'],
      ['502', '3.00'],
      ['503', '4.00'],
      ['504', '5.00'],
      ['505', '6.00'],
      ['506', '7.00'],
    ]);
    const calls = sandbox.log.map((r) => `${r.method} ${r.path.replace(run!.id, '<run>')}`);
    expect(calls[0]).toBe('GET /act_5/campaigns'); // summary=total_count: 7 >= 5
    expect(sandbox.log[0]!.query.summary).toBe('total_count');
    expect(calls[1]).toBe('POST /act_5/insights');
    expect(sandbox.log[1]!.body).toMatchObject({
      level: 'campaign',
      time_range: { since: '2025-10-12', until: '2025-10-12' },
    });
    // Polled until the 300 ms job completed, then its 3 pages.
    const polls = calls.filter((c) => c === 'GET /<run>');
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(sandbox.log.filter((r) => r.path === `/${run!.id}`).at(-1)!.status).toBe(200);
    expect(calls.filter((c) => c === 'GET /<run>/insights')).toHaveLength(3);
    expect(calls.some((c) => c === 'GET /act_5/insights')).toBe(false);

    const small = await allPages(config, 'act_6');
    expect(small.rows.map((r) => r.meta_campaign_id)).toEqual(['600', '601']);
    expect(sandbox.reportRuns.all()).toHaveLength(1); // 2 campaigns < 5: no report run
    expect(sandbox.log.filter((r) => r.path === '/act_6/insights').map((r) => r.method)).toEqual(['GET']);
  });

  it('a report run Meta fails ("Job Failed") fails the step as retryable MetaReportFailed', async () => {
    const config = await start();
    sandbox.faults.add(
      (r) => r.method === 'GET' && sandbox.reportRuns.get(r.path.slice(1)) !== undefined,
      faults.jobFailed(),
    );
    const failure = await failureOf(readDayInsightsPage(createMetaGraph(config), config, 'act_5', '2025-10-12'));
    expect(failure.type).toBe('MetaReportFailed');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toMatch(/ended "Job Failed"/);
  });
});
