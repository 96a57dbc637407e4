import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../lib/config';
import { Warehouse } from '../../services/warehouse/warehouse';
import { signApiToken } from '../../workers/http/jwt';
import { createMainWorker, type MainWorker } from '../../workers/worker';
import { AS_OF, loadAdsetCase } from '../levels/adset-case';
import { jsonApi } from '../support/api';
import { spawnCli } from '../support/processes';
import { testConfig } from '../support/temporal';

// `level=auto|campaign|adset` on the JSON API and `--level` on the CLI, over the issue's
// hand-worked case (test/levels/adset-case.ts): campaign ab's ad sets hold the budgets; 801 is a
// 160% winner, 802 a 60% loser, 803 at 105%; the campaign as a whole is at 108.3%.
const SECRET = 'levels-test-secret-levels-test-secret!';

describe('level on the API and the CLI', () => {
  let config: Config;
  let main: MainWorker;
  let running: Promise<void>;
  let manager: string;

  beforeAll(async () => {
    config = testConfig({ JWT_SECRET: SECRET });
    const warehouse = await Warehouse.open(config.SCALEFLOW_DB);
    await loadAdsetCase(warehouse);
    warehouse.close();
    main = await createMainWorker(config);
    running = main.run();
    manager = await signApiToken(SECRET, { sub: 'lead@example.com', role: 'manager' });
  });
  afterAll(async () => {
    main.worker.shutdown();
    await running;
  });

  const { get } = jsonApi(
    () => main.http!.url,
    () => manager,
  );
  const ab = async (level?: string) => {
    const { status, body } = await get(`/api/facebook/decisions?as_of=${AS_OF}${level ? `&level=${level}` : ''}`);
    expect(status).toBe(200);
    return (body.decisions as Record<string, unknown>[])
      .filter((d) => d.campaign_id === 'ab')
      .map((d) => [d.entity_type, d.entity_id, d.adset_id, d.recommendation]);
  };

  it('decisions: campaign holds ab; auto (the default) and adset decide its ad sets', async () => {
    expect(await ab('campaign')).toEqual([['campaign', 'ab', null, 'hold']]); // 108.3%: average
    const perAdset = [
      ['adset', '801', '801', 'scale_40_percent'], // 160%, broad: 40 x 1.0
      ['adset', '802', '802', 'pause'], // 60%
      ['adset', '803', '803', 'hold'], // 105%
    ];
    expect(await ab()).toEqual(perAdset);
    expect(await ab('auto')).toEqual(perAdset);
    expect(await ab('adset')).toEqual(perAdset);
  });

  it('alerts name the entity; a level the API does not know is a 400 naming level', async () => {
    const { body } = await get(`/api/facebook/alerts/scaling?as_of=${AS_OF}&level=auto`);
    // yesterday's margin 160 - 100 = 60 x 40% = 24.00
    expect((body as unknown as Record<string, unknown>[]).find((a) => a.entity_id === '801')).toMatchObject({
      type: 'scale_up',
      entity_type: 'adset',
      campaign_id: 'ab',
      adset_id: '801',
      audience_type: 'broad',
      revenue_source: 'strategis',
      potential_margin_gain: 24,
    });
    for (const path of ['alerts/scaling', 'alerts/held-back', 'decisions', 'metrics/dashboard']) {
      const bad = await get(`/api/facebook/${path}?as_of=${AS_OF}&level=foo`);
      expect(bad.status, path).toBe(400);
      expect(JSON.stringify(bad.body), path).toContain('level');
    }
  });

  it('the CLI takes --level, and exits 2 naming it on a bad value', async () => {
    main.worker.shutdown();
    await running;
    const run = spawnCli(['alerts', '--level', 'campaign', '--as-of', AS_OF, '--db', config.SCALEFLOW_DB], {});
    expect(await run.exited, run.output()).toBe(0);
    const alerts = JSON.parse(run.output()) as Record<string, unknown>[];
    expect(alerts.every((a) => a.entity_type === 'campaign')).toBe(true);
    expect(alerts.map((a) => a.campaign_id)).not.toContain('ab');

    const bad = spawnCli(['decisions', '--level', 'foo', '--as-of', AS_OF, '--db', config.SCALEFLOW_DB], {});
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('--level');

    main = await createMainWorker(config);
    running = main.run();
  });
});
