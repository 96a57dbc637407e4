import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetaGraph } from '../../services/meta/graph';
import { readAccount, readCampaignsPage, readInsightsPage } from '../../services/meta/reads';
import { campaignStateRow, insightsRow } from '../../lib/meta/wire';
import { faults, on } from '../../workers/meta-sandbox/faults';
import type { MetaSandbox } from '../../workers/meta-sandbox/server';
import { failureOf, metaConfig, sandboxAt } from './harness';

/** The SDK against the sandbox over real HTTP: pages, accounts, units and every fault. */
describe('reading Meta through facebook-nodejs-business-sdk', () => {
  let sandbox: MetaSandbox;

  beforeEach(async () => {
    ({ sandbox } = await sandboxAt('2025-10-12T18:00:00Z'));
    sandbox.state.addAccount('act_1001', { currency: 'USD' });
    sandbox.state.addAccount('act_2002', { currency: 'JPY', timezone: 'Asia/Tokyo' });
    for (let i = 0; i < 7; i++)
      sandbox.state.addCampaign(
        'act_1001',
        { dailyBudget: 1000 + i, spendMinor: 100 * i, impressions: 10 * i, clicks: i },
        `11${i}`,
      );
    sandbox.state.addCampaign(
      'act_2002',
      { dailyBudget: 1234, spendMinor: 567, impressions: 80, clicks: 3, purchases: 2, purchaseValueMinor: 3000 },
      '220',
    );
  });
  afterEach(async () => sandbox.close());

  const settings = (extra: Record<string, string> = {}) =>
    metaConfig(sandbox, ['act_1001', 'act_2002'], { META_PAGE_SIZE: '3', ...extra });

  it('follows every page by cursor, on the configured base URL and version, with absolute paging.next links', async () => {
    const config = settings({ META_API_VERSION: 'v23.0' });
    const graph = createMetaGraph(config);
    const ids: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await readCampaignsPage(graph, config, 'act_1001', after);
      ids.push(...page.rows.map((r) => r.id));
      after = page.after;
      pages++;
    } while (after);
    expect(pages).toBe(3); // 7 campaigns, 3 a page
    expect(ids).toEqual(['110', '111', '112', '113', '114', '115', '116']);
    const reads = sandbox.log.filter((r) => r.path === '/act_1001/campaigns');
    expect(reads.map((r) => [r.version, r.query.limit])).toEqual([
      ['v23.0', '3'],
      ['v23.0', '3'],
      ['v23.0', '3'],
    ]);
    const cursors = reads.map((r) => r.query.after);
    expect(cursors[0]).toBeUndefined();
    expect(new Set(cursors.slice(1)).size).toBe(2); // each later page asked once, by its own cursor
    // The SDK sends a `{}` body even on GET; the sandbox reads and ignores it.
    expect(reads[0]!.body).toEqual({});
    // The SDK's own cursor follows paging.next verbatim: it must point back at the sandbox.
    const cursor = (await graph.account('act_1001').getCampaigns(['id'], { limit: 3 }, true)) as unknown as {
      paging: { next: string };
      next(): Promise<unknown[]>;
    };
    expect(cursor.paging.next.startsWith(`${sandbox.url}/v23.0/act_1001/campaigns?`)).toBe(true);
    const second = await cursor.next();
    expect(second.map((c) => (c as { id: string }).id)).toEqual(['113', '114', '115']);
  });

  it('converts budgets at the boundary: USD "1234" is 12.34, JPY "1234" is 1234 yen; insights money is already major units', async () => {
    const config = settings();
    const graph = createMetaGraph(config);
    expect(await readAccount(graph, config, 'act_2002')).toEqual({ currency: 'JPY', timezone: 'Asia/Tokyo' });
    const [usd] = (await readCampaignsPage(graph, config, 'act_1001')).rows;
    expect(usd!.daily_budget).toBe('1000');
    expect(campaignStateRow(usd!, 'USD')).toMatchObject({ daily_budget: '10.00', is_cbo: true, status: 'ACTIVE' });
    const [jpy] = (await readCampaignsPage(graph, config, 'act_2002')).rows;
    expect(campaignStateRow(jpy!, 'JPY').daily_budget).toBe('1234.00');
    const insights = await readInsightsPage(graph, config, 'act_2002', '2025-10-13');
    expect(insights.rows.map(insightsRow)).toEqual([
      { meta_campaign_id: '220', spend: '567.00', impressions: 80, clicks: 3, purchases: 2, purchase_value: '3000.00' },
    ]);
    const request = sandbox.log.find((r) => r.path === '/act_2002/insights')!;
    expect(request.query).toMatchObject({
      level: 'campaign',
      time_increment: '1',
      time_range: JSON.stringify({ since: '2025-10-13', until: '2025-10-13' }),
    });
    expect(request.query.fields!.split(',')).toEqual(
      expect.arrayContaining(['spend', 'impressions', 'clicks', 'actions', 'action_values', 'purchase_roas']),
    );
  });

  it.each([
    [17, 2],
    [4, 3],
    [613, 1],
    [80004, 5],
  ] as const)(
    'a rate limit (code %i) is retried after the %i minutes the usage headers give, not a blind backoff',
    async (code, minutes) => {
      const config = settings();
      sandbox.faults.add(on.get(/campaigns$/), faults.rateLimit(code, minutes));
      const failure = await failureOf(readCampaignsPage(createMetaGraph(config), config, 'act_1001'));
      expect(failure.type).toBe('MetaRateLimited');
      expect(failure.nonRetryable).toBe(false);
      expect(failure.nextRetryDelay).toBe(minutes * 60 * 1000);
      expect(failure.message).toContain(`code ${code}`);
    },
  );

  it('waits at least META_RATE_LIMIT_MIN_WAIT when the headers say 0 minutes', async () => {
    const config = settings({ META_RATE_LIMIT_MIN_WAIT: '45s' });
    sandbox.faults.add(on.any, faults.rateLimit(17, 0));
    const failure = await failureOf(readCampaignsPage(createMetaGraph(config), config, 'act_1001'));
    expect(failure.nextRetryDelay).toBe(45_000);
  });

  it('an expired token fails at once, non-retryable, telling ops what to do', async () => {
    const config = settings();
    sandbox.faults.add(on.any, faults.expiredToken());
    const failure = await failureOf(readCampaignsPage(createMetaGraph(config), config, 'act_1001'));
    expect(failure).toMatchObject({ type: 'MetaAuthError', nonRetryable: true });
    expect(failure.message).toContain('Session has expired');
    expect(failure.message).toContain('set META_ACCESS_TOKEN and restart the worker');
  });

  it('a wrong token is answered 190 and treated the same way', async () => {
    const config = metaConfig(sandbox, ['act_1001'], { META_ACCESS_TOKEN: 'not-the-token' });
    const failure = await failureOf(readCampaignsPage(createMetaGraph(config), config, 'act_1001'));
    expect(failure).toMatchObject({ type: 'MetaAuthError', nonRetryable: true });
  });

  it('a missing permission fails at once, non-retryable, naming what to grant', async () => {
    const config = settings();
    sandbox.faults.add(on.any, faults.missingPermission());
    const failure = await failureOf(readInsightsPage(createMetaGraph(config), config, 'act_1001', '2025-10-12'));
    expect(failure).toMatchObject({ type: 'MetaPermissionError', nonRetryable: true });
    expect(failure.message).toContain('ads_management');
  });

  it('a 500 is retryable (Temporal retries it with backoff)', async () => {
    const config = settings();
    sandbox.faults.add(on.any, faults.serverError(500));
    const failure = await failureOf(readCampaignsPage(createMetaGraph(config), config, 'act_1001'));
    expect(failure).toMatchObject({ type: 'MetaUnavailable', nonRetryable: false });
  });

  it('a slow answer is abandoned after META_REQUEST_TIMEOUT as a retryable timeout', async () => {
    const config = settings({ META_REQUEST_TIMEOUT: '300ms' });
    sandbox.faults.add(on.any, faults.slow(2000));
    const failure = await failureOf(readCampaignsPage(createMetaGraph(config), config, 'act_1001'));
    expect(failure).toMatchObject({ type: 'MetaTimeout', nonRetryable: false });
    expect(failure.message).toContain('META_REQUEST_TIMEOUT');
  });

  it('copies a campaign as Meta does: a PAUSED copy with a name suffix', async () => {
    const response = await fetch(`${sandbox.url}/v24.0/110/copies?access_token=${sandbox.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status_option: 'PAUSED', rename_options: { rename_suffix: ' - v2' } }),
    });
    const body = (await response.json()) as { copied_campaign_id: string };
    const copy = sandbox.state.campaign(body.copied_campaign_id)!;
    expect(copy).toMatchObject({
      name: 'Campaign 110 - v2',
      status: 'PAUSED',
      dailyBudget: 1000,
      accountId: 'act_1001',
    });
  });
});
