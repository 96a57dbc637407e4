import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Warehouse } from '../../services/warehouse/warehouse';
import { faults, on } from '../../workers/meta-sandbox/faults';
import { spawnCli } from '../support/processes';
import { metaEnv, sandboxAt } from './harness';

describe('scaleflow sync-spend (worker stopped)', () => {
  it('syncs an hour into the file, waits out a rate limit, and a re-run adds no rows', async () => {
    const { sandbox } = await sandboxAt('2025-10-12T18:00:00Z');
    try {
      sandbox.state.addAccount('act_3', { currency: 'USD' });
      for (let i = 0; i < 5; i++)
        sandbox.state.addCampaign('act_3', { dailyBudget: 1234, spendMinor: 100, impressions: 10 });
      sandbox.faults.add(on.get(/insights$/), faults.rateLimit(613, 0));
      const db = join(inject('scratchDir'), `cli-meta-${Date.now()}.duckdb`);
      const spool = join(inject('scratchDir'), `cli-spool-${Date.now()}`);
      const env = metaEnv(sandbox, ['act_3'], { META_PAGE_SIZE: '2', SPOOL_DIR: spool });
      const run = async () => {
        const cli = spawnCli(['sync-spend', '--hour', '2025-10-12T18:00:00Z', '--db', db], env);
        expect(await cli.exited, cli.output()).toBe(0);
        return cli.output();
      };
      const out = await run();
      expect(out).toMatch(/retry\s+metaSyncInsightsPage attempt 2 in 1 s/);
      expect(JSON.parse(out.trim().split('\n').at(-1)!)).toMatchObject({
        accounts: 1,
        campaigns: 5,
        insightsRows: 5,
        pages: 6,
        // Each campaign's one ad set delivers the campaign's: 1 (empty) audience page + 3 + 3 pages of 2.
        adsets: 5,
        adsetInsightsRows: 5,
        adsetPages: 7,
      });
      await run();
      const warehouse = await Warehouse.open(db, { readOnly: true });
      expect(
        await warehouse.one(
          'SELECT count(*)::INTEGER AS n, sum(spend)::VARCHAR AS spend, min(daily_budget)::VARCHAR AS budget FROM meta_campaign_snapshots',
        ),
      ).toEqual({ n: 5, spend: '5.00', budget: '12.34' });
      // CBO campaigns: their ad sets hold no budget; spend 5 x $1.00, once though the hour ran twice.
      expect(
        await warehouse.one(
          'SELECT count(*)::INTEGER AS n, sum(spend)::VARCHAR AS spend, count(daily_budget)::INTEGER AS budgets FROM meta_adset_snapshots',
        ),
      ).toEqual({ n: 5, spend: '5.00', budgets: 0 });
      warehouse.close();

      const bad = spawnCli(['sync-spend', '--hour', '2025-10-12T18:30:00Z', '--db', db], env);
      expect(await bad.exited).toBe(2);
      expect(bad.output()).toContain('--hour takes a UTC hour');
    } finally {
      await sandbox.close();
    }
  }, 90_000); // two CLI processes, each loading the SDK and syncing campaigns and ad sets
});
