import { afterEach, describe, expect, it } from 'vitest';
import { msToNumber } from '@temporalio/common/lib/time';
import { createMetaGraph } from '../../services/meta/graph';
import { readCampaignsBatch, type CampaignRead } from '../../services/meta/reads';
import { faults, on } from '../../workers/meta-sandbox/faults';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { SandboxState } from '../../workers/meta-sandbox/state';
import { metaConfig, sandboxAt } from './harness';

/** Budgets and statuses by id through Graph API batch requests: the real SDK, real HTTP, the sandbox. */
describe('reading many campaigns in Graph API batch requests', () => {
  let sandbox: MetaSandbox;
  afterEach(async () => sandbox?.close());

  const httpRequests = () => sandbox.log.filter((r) => r.batch === undefined);
  const byId = (reads: CampaignRead[]) => new Map(reads.map((r) => [r.id, r]));

  /** Campaign i: budget 1000 + i minor units, every 3rd paused; ids 9000..., two accounts. */
  function seed(count: number): string[] {
    sandbox.state.addAccount('act_1', { currency: 'USD' });
    sandbox.state.addAccount('act_2', { currency: 'USD' });
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = String(9000 + i);
      sandbox.state.addCampaign(
        i % 2 ? 'act_2' : 'act_1',
        { dailyBudget: 1000 + i, status: i % 3 === 0 ? 'PAUSED' : 'ACTIVE' },
        id,
      );
      ids.push(id);
    }
    return ids;
  }

  it('reads 120 campaigns in 3 HTTP requests (50 + 50 + 20 items) and returns each budget and status', async () => {
    ({ sandbox } = await sandboxAt('2025-10-12T18:00:00Z'));
    const ids = seed(120);
    const config = metaConfig(sandbox, ['act_1', 'act_2']);
    const reads = await readCampaignsBatch(createMetaGraph(config), config, ids);

    // ceil(120 / 50) = 3 POSTs to the Graph root, carrying 50, 50 and 20 items.
    expect(httpRequests().map((r) => [r.method, r.path, r.version])).toEqual([
      ['POST', '/', 'v24.0'],
      ['POST', '/', 'v24.0'],
      ['POST', '/', 'v24.0'],
    ]);
    const seqs = httpRequests().map((r) => r.seq);
    expect(seqs.map((seq) => sandbox.log.filter((r) => r.batch === seq).length)).toEqual([50, 50, 20]);
    expect(sandbox.log.filter((r) => r.batch !== undefined).every((r) => r.method === 'GET' && r.status === 200)).toBe(
      true,
    );

    expect(reads).toHaveLength(120);
    reads.forEach((read, i) => {
      expect(read).toEqual({
        id: String(9000 + i),
        accountId: i % 2 ? 'act_2' : 'act_1',
        campaign: expect.objectContaining({
          id: String(9000 + i),
          daily_budget: String(1000 + i),
          status: i % 3 === 0 ? 'PAUSED' : 'ACTIVE',
        }),
      });
    });
  });

  it("one item's error does not fail the others: a 500 is asked again in the next batch, a rate limit and a missing campaign come back as that campaign's failure", async () => {
    ({ sandbox } = await sandboxAt('2025-10-12T18:00:00Z'));
    const ids = seed(10);
    sandbox.faults.add(on.get(/^\/9003$/), faults.serverError(500));
    sandbox.faults.add(on.get(/^\/9005$/), faults.rateLimit(80004, 7));
    const config = metaConfig(sandbox, ['act_1', 'act_2']);
    const reads = byId(await readCampaignsBatch(createMetaGraph(config), config, [...ids, '4040']));

    // 11 items in one batch; 9003 failed with a 500 and was the only item of the second batch.
    expect(httpRequests()).toHaveLength(2);
    expect(sandbox.log.filter((r) => r.batch === httpRequests()[1]!.seq).map((r) => r.path)).toEqual(['/9003']);
    expect(reads.get('9003')).toMatchObject({ campaign: { daily_budget: '1003', status: 'PAUSED' } }); // 3 is a multiple of 3

    const limited = reads.get('9005') as Extract<CampaignRead, { failure: unknown }>;
    expect(limited.failure.type).toBe('MetaRateLimited');
    expect(msToNumber(limited.failure.nextRetryDelay!)).toBe(7 * 60_000); // the 7 minutes its usage header gives
    const missing = reads.get('4040') as Extract<CampaignRead, { failure: unknown }>;
    expect(missing.failure).toMatchObject({ type: 'MetaRequestInvalid', nonRetryable: true });
    expect(missing.failure.message).toContain("Object with ID '4040' does not exist");

    // The other 8 campaigns are read as they are: budget 1000 + i, every third paused.
    for (const i of [0, 1, 2, 4, 6, 7, 8, 9]) {
      expect(reads.get(String(9000 + i))).toMatchObject({
        campaign: { daily_budget: String(1000 + i), status: i % 3 === 0 ? 'PAUSED' : 'ACTIVE' },
      });
    }
  });

  it("per-account quotas like Meta's: usage in X-Business-Use-Case-Usage, code 80004 past the budget, each batch item counted, with the configured latency", async () => {
    const clock = { ms: Date.parse('2025-10-12T18:20:00Z') };
    sandbox = await startMetaSandbox({
      state: new SandboxState(() => clock.ms),
      quota: { calls: 30, windowMs: 3_600_000 },
      latencyMs: 100,
    });
    sandbox.state.addAccount('act_1', { currency: 'USD' });
    const ids = Array.from({ length: 40 }, (_, i) => sandbox.state.addCampaign('act_1', { dailyBudget: 500 + i }).id);
    const config = metaConfig(sandbox, ['act_1']);

    const started = performance.now();
    const reads = await readCampaignsBatch(createMetaGraph(config), config, ids);
    // One batch of 40 items; the sandbox waits 100 ms before answering it.
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
    expect(httpRequests()).toHaveLength(1);

    // 30 calls per hour: items 1-30 answered, 31-40 refused with 80004, told to come back when the
    // hour turns: 19:00 - 18:20 = 40 minutes.
    expect(reads.slice(0, 30).every((r) => 'campaign' in r)).toBe(true);
    for (const read of reads.slice(30)) {
      expect('failure' in read && read.failure.type).toBe('MetaRateLimited');
      expect('failure' in read && msToNumber(read.failure.nextRetryDelay!)).toBe(40 * 60_000);
    }
    expect(sandbox.log.filter((r) => r.batch !== undefined && r.status === 400)).toHaveLength(10);
    expect(sandbox.quota!.usage('act_1')).toBe(30);

    // A new hour, a new budget; each answer says how much of it is used: 1 of 30 = 3 %.
    clock.ms = Date.parse('2025-10-12T19:00:00Z');
    const answer = await fetch(`${sandbox.url}/v24.0/act_1?fields=currency&access_token=${sandbox.token}`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.headers.get('x-business-use-case-usage')!)).toEqual({
      '1': [expect.objectContaining({ type: 'ads_management', call_count: 3, estimated_time_to_regain_access: 0 })],
    });
  });
});
