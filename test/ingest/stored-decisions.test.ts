import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../lib/config';
import { addDays } from '../../lib/dates';
import { thresholdsConfigSchema, type ThresholdsConfig } from '../../lib/decisions';
import { createAnalytics, dashboardQuerySchema } from '../../services/analytics/api';
import { evaluateAndStore } from '../../services/decisions/evaluate-day';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { AS_OF, generatedRows, metricsWarehouse } from '../reports/fixtures';
import { load, scratch } from './support';

// The dashboard reads a day's stored decisions back only while they were computed from what the
// warehouse, thresholds and rules hold now. A stored recommendation is overwritten with a marker the
// engine never produces: seeing the marker in an answer proves it was read back, not computed.
const MARKER = 'read-back-marker';
const YESTERDAY = addDays(AS_OF, -1);
const rows = generatedRows(30, AS_OF, 20, 11);
const thresholds: ThresholdsConfig = thresholdsConfigSchema.parse(undefined);
const baseConfig = parseConfig({ JWT_SECRET: 'stored-decisions-secret-stored-decisions', TZ: 'America/New_York' });

let warehouse: Warehouse;
let dir: string;
beforeAll(async () => {
  dir = scratch('scaleflow-stored-');
  warehouse = await metricsWarehouse(join(dir, 'w.duckdb'), rows);
});
afterAll(() => warehouse.close());

/** One uncached answer: a new analytics has an empty answer cache. */
async function top(config: Config = baseConfig, t: ThresholdsConfig = thresholds) {
  const analytics = createAnalytics({ warehouse, config, thresholds: t });
  const answer = await analytics.dashboard(dashboardQuerySchema.parse({ as_of: AS_OF }));
  if (!('top_performers' in answer)) throw new Error('expected a window answer, not today');
  return answer.top_performers[0]!;
}
async function tamper(entityId: string) {
  await warehouse.run('UPDATE decisions SET recommendation = $1 WHERE as_of = $2::DATE AND entity_id = $3', [
    MARKER,
    AS_OF,
    entityId,
  ]);
  // And its copy the store resolved into the dashboard's rows (migration 026), which a standard window reads.
  await warehouse.run(
    'UPDATE dashboard_campaigns SET recommendation = $1 WHERE as_of = $2::DATE AND campaign_id = $3',
    [MARKER, AS_OF, entityId],
  );
}
function csv(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `date,campaign_id,campaign_name,owner,category,spend,revenue\n${lines.join('\n')}\n`);
  return path;
}

describe('the dashboard reads stored decisions back while they are current', () => {
  let leader: Awaited<ReturnType<typeof top>>;

  it('reads back what the daily pipeline stored (evaluateAndStore)', async () => {
    await evaluateAndStore(warehouse, baseConfig, thresholds, AS_OF);
    leader = await top();
    expect(leader.recommendation).not.toBe(MARKER);
    await tamper(leader.entity_id);
    expect(await top()).toEqual({ ...leader, recommendation: MARKER });
  });

  it('computes again after a load, and stores what it computed for the next answer', async () => {
    // A new campaign with no margin: in no top-10, but a load all the same.
    await load(warehouse, csv('new.csv', [`${YESTERDAY},znew,Dental_FB_New,ana,Dental,1.00,1.00`]));
    expect(await top()).toEqual(leader);
    await tamper(leader.entity_id);
    expect((await top()).recommendation).toBe(MARKER);
  });

  it('computes again after a restatement', async () => {
    const other = rows.find((r) => r.date === YESTERDAY && r.campaign_id !== leader.campaign_id)!;
    const revenue = (Number(other.revenue) + 0.01).toFixed(2);
    const restated = `${other.date},${other.campaign_id},${other.campaign_name},${other.owner},${other.category},${other.spend},${revenue}`;
    expect(await load(warehouse, csv('restated.csv', [restated]))).toMatchObject({ restated: 1 });
    expect(await top()).toEqual(leader);
    await tamper(leader.entity_id);
    expect((await top()).recommendation).toBe(MARKER);
  });

  it('computes again when the thresholds change', async () => {
    const changed = thresholdsConfigSchema.parse({ global: { scale_roas: 151 } });
    expect((await top(baseConfig, changed)).recommendation).not.toBe(MARKER);
    // Stored under the changed thresholds now: the original ones no longer match either.
    await tamper(leader.entity_id);
    expect((await top(baseConfig, changed)).recommendation).toBe(MARKER);
    expect(await top()).toEqual(leader);
  });

  it('computes again when an alert rule file changes', async () => {
    await tamper(leader.entity_id);
    expect((await top()).recommendation).toBe(MARKER);
    const rulesDir = join(dir, 'rules');
    cpSync(baseConfig.RULES_DIR, rulesDir, { recursive: true });
    const file = join(rulesDir, 'default-scale-up.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('for {scale_days}+ days', 'for {scale_days}+ days in a row'),
    );
    expect(await top({ ...baseConfig, RULES_DIR: rulesDir })).toEqual(leader);
  });
});
