import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adsetInsightsRow, adsetStateRow, type AdSetWire } from '../../lib/meta/adset-wire';
import { readAdSetInsightsPage, readAdSetsPage, readCustomAudiencesPage } from '../../services/meta/adset-reads';
import { createMetaGraph } from '../../services/meta/graph';
import { faults, on } from '../../workers/meta-sandbox/faults';
import type { MetaSandbox } from '../../workers/meta-sandbox/server';
import { failureOf, metaConfig, sandboxAt } from './harness';

/** Ad sets, custom audiences and ad-set insights through facebook-nodejs-business-sdk against the sandbox. */
describe('reading ad sets through the SDK', () => {
  let sandbox: MetaSandbox;
  let website: string;
  let lookalike: string;

  beforeEach(async () => {
    ({ sandbox } = await sandboxAt('2025-10-12T18:00:00Z'));
    sandbox.state.addAccount('act_1001', { currency: 'USD' });
    sandbox.state.addAccount('act_2002', { currency: 'JPY', timezone: 'Asia/Tokyo' });
    website = sandbox.state.addCustomAudience('act_1001', { name: 'Visitors 30d', subtype: 'WEBSITE' }).id;
    lookalike = sandbox.state.addCustomAudience('act_1001', { name: 'LAL 1% buyers', subtype: 'LOOKALIKE' }).id;
    // A CBO campaign: the campaign holds $100.00; its two ad sets hold nothing.
    sandbox.state.addCampaign(
      'act_1001',
      { cbo: true, dailyBudget: 10000, adsets: [{ name: 'cbo a' }, { name: 'cbo b' }] },
      '500',
    );
    // Ad-set budgets: broad $40.00, interest $25.00 (learning), retargeting $12.34 with delivery.
    sandbox.state.addCampaign(
      'act_1001',
      {
        cbo: false,
        adsets: [
          { name: 'broad', dailyBudget: 4000, delivery: { spendMinor: 1500, impressions: 900, clicks: 30 } },
          {
            name: 'interest',
            dailyBudget: 2500,
            learningStatus: 'LEARNING',
            targeting: { flexible_spec: [{ interests: [{ id: '6003', name: 'Dentistry' }] }] },
          },
          {
            name: 'retargeting',
            dailyBudget: 1234,
            bidStrategy: 'COST_CAP',
            targeting: { custom_audiences: [{ id: website, name: 'Visitors 30d' }] },
            delivery: { spendMinor: 1001, impressions: 400, clicks: 12, purchases: 3, purchaseValueMinor: 4599 },
          },
        ],
      },
      '600',
    );
    sandbox.state.addCampaign('act_2002', { cbo: false, adsets: [{ name: 'jp', dailyBudget: 1234 }] }, '700');
  });
  afterEach(async () => sandbox.close());

  const settings = () => metaConfig(sandbox, ['act_1001', 'act_2002'], { META_PAGE_SIZE: '2' });

  async function allAdSets(account: string): Promise<{ rows: AdSetWire[]; pages: number }> {
    const config = settings();
    const graph = createMetaGraph(config);
    const rows: AdSetWire[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await readAdSetsPage(graph, config, account, after);
      rows.push(...page.rows);
      after = page.after;
      pages++;
    } while (after);
    return { rows, pages };
  }

  it('pages ad sets by cursor; a CBO campaign’s ad sets have no budget, ad-set budgets are minor units (USD and JPY)', async () => {
    const { rows, pages } = await allAdSets('act_1001');
    expect(pages).toBe(3); // 5 ad sets, 2 a page
    const audiences = await readCustomAudiencesPage(createMetaGraph(settings()), settings(), 'act_1001');
    expect(audiences.rows).toEqual([
      { id: website, subtype: 'WEBSITE' },
      { id: lookalike, subtype: 'LOOKALIKE' },
    ]);
    const subtypes = new Map(audiences.rows.map((a) => [a.id, a.subtype]));
    const state = rows.map((r) => adsetStateRow(r, 'USD', subtypes));
    expect(state.map((r) => [r.meta_campaign_id, r.name, r.daily_budget, r.lifetime_budget])).toEqual([
      ['500', 'cbo a', null, null],
      ['500', 'cbo b', null, null],
      ['600', 'broad', '40.00', null], // "4000" cents
      ['600', 'interest', '25.00', null],
      ['600', 'retargeting', '12.34', null], // "1234" cents
    ]);
    expect(rows.filter((r) => r.campaign_id === '500').every((r) => r.daily_budget === undefined)).toBe(true);
    expect(state.map((r) => [r.name, r.learning_status, r.audience_type, r.bid_strategy])).toEqual([
      ['cbo a', 'SUCCESS', 'broad', 'LOWEST_COST_WITHOUT_CAP'],
      ['cbo b', 'SUCCESS', 'broad', 'LOWEST_COST_WITHOUT_CAP'],
      ['broad', 'SUCCESS', 'broad', 'LOWEST_COST_WITHOUT_CAP'],
      ['interest', 'LEARNING', 'interest', 'LOWEST_COST_WITHOUT_CAP'],
      ['retargeting', 'SUCCESS', 'retargeting', 'COST_CAP'],
    ]);
    expect(rows[4]).toMatchObject({
      optimization_goal: 'OFFSITE_CONVERSIONS',
      learning_stage_info: { status: 'SUCCESS' },
      targeting: { custom_audiences: [{ id: website, name: 'Visitors 30d' }] },
      effective_status: 'ACTIVE',
    });
    const reads = sandbox.log.filter((r) => r.path === '/act_1001/adsets');
    expect(reads.map((r) => r.query.limit)).toEqual(['2', '2', '2']);
    expect(new Set(reads.map((r) => r.query.after)).size).toBe(3); // first page + two cursors, each once

    // JPY has no minor unit: "1234" is 1234 yen.
    const jpy = await allAdSets('act_2002');
    expect(jpy.rows.map((r) => [r.daily_budget, adsetStateRow(r, 'JPY', new Map()).daily_budget])).toEqual([
      ['1234', '1234.00'],
    ]);
  });

  it('reads level=adset insights with purchases counted once though Meta lists them under two action types', async () => {
    const config = settings();
    const graph = createMetaGraph(config);
    const rows = [];
    let after: string | undefined;
    do {
      const page = await readAdSetInsightsPage(graph, config, 'act_1001', '2025-10-12', after);
      rows.push(...page.rows.map(adsetInsightsRow));
      after = page.after;
    } while (after);
    const ids = new Map((await allAdSets('act_1001')).rows.map((r) => [r.name, r.id]));
    // Only the two ad sets that delivered: broad $15.00, retargeting $10.01 with 3 purchases worth $45.99.
    expect(rows).toEqual([
      {
        adset_id: ids.get('broad'),
        spend: '15.00',
        impressions: 900,
        clicks: 30,
        purchases: 0,
        purchase_value: '0.00',
      },
      {
        adset_id: ids.get('retargeting'),
        spend: '10.01',
        impressions: 400,
        clicks: 12,
        purchases: 3,
        purchase_value: '45.99',
      },
    ]);
    const request = sandbox.log.find((r) => r.path === '/act_1001/insights')!;
    expect(request.query).toMatchObject({
      level: 'adset',
      time_range: JSON.stringify({ since: '2025-10-12', until: '2025-10-12' }),
    });
    // The campaign's row is the sum of its ad sets': $15.00 + $10.01 = $25.01.
    const campaign = await fetch(
      `${sandbox.url}/v24.0/600/insights?fields=spend,action_values&access_token=${sandbox.token}`,
    ).then((r) => r.json() as Promise<{ data: { spend: string }[] }>);
    expect(campaign.data[0]!.spend).toBe('25.01');
    // One ad set's own insights edge.
    const one = await fetch(
      `${sandbox.url}/v24.0/${ids.get('retargeting')}/insights?fields=adset_id,spend,action_values&access_token=${sandbox.token}`,
    ).then((r) => r.json() as Promise<{ data: unknown[] }>);
    expect(one.data).toEqual([
      expect.objectContaining({
        adset_id: ids.get('retargeting'),
        spend: '10.01',
        action_values: [
          { action_type: 'omni_purchase', value: '45.99' },
          { action_type: 'offsite_conversion.fb_pixel_purchase', value: '45.99' },
        ],
      }),
    ]);
  });

  it('a fault on an ad-set page fails that page retryably; asking again by the same cursor answers it', async () => {
    const config = settings();
    const graph = createMetaGraph(config);
    const first = await readAdSetsPage(graph, config, 'act_1001');
    sandbox.faults.add(on.page(/^\/act_1001\/adsets$/, first.after), faults.serverError(500));
    const failure = await failureOf(readAdSetsPage(graph, config, 'act_1001', first.after));
    expect(failure).toMatchObject({ type: 'MetaUnavailable', nonRetryable: false });
    sandbox.faults.add(on.get(/customaudiences$/), faults.rateLimit(80004, 2));
    const limited = await failureOf(readCustomAudiencesPage(graph, config, 'act_1001'));
    expect(limited).toMatchObject({ type: 'MetaRateLimited', nextRetryDelay: 2 * 60_000 });
    const again = await readAdSetsPage(graph, config, 'act_1001', first.after);
    expect(again.rows.map((r) => r.name)).toEqual(['broad', 'interest']);
  });
});
