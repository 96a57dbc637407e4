import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config';
import { thresholdsConfigSchema, type ThresholdsConfig } from '../../lib/decisions';
import { createAnalytics } from '../../services/analytics/api';
import { evaluateAt } from '../../services/decisions/evaluate';
import { evaluateAndStore } from '../../services/decisions/evaluate-day';
import { loadAlertRules } from '../../services/rules/files';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { AS_OF, generatedRows, metricsWarehouse, YESTERDAY } from '../reports/fixtures';
import { load, scratch } from './support';

// The alerts endpoint at the pipeline's level reads the day's stored engine alerts (evaluated_alerts)
// while decision_runs says they were computed from the inputs the warehouse, thresholds and rules hold
// now, instead of running the engine per uncached answer. A stored alert's reason overwritten with a
// marker the engine never writes proves an answer was read back; its absence, that it was computed.
const MARKER = 'read-back-marker';
const rows = generatedRows(80, AS_OF, 40, 5);
const thresholds: ThresholdsConfig = thresholdsConfigSchema.parse(undefined);
const config = parseConfig({ JWT_SECRET: 'stored-alerts-secret-stored-alerts-secret', TZ: 'America/New_York' });
const owners = ['all', ...new Set(rows.map((r) => r.owner))].slice(0, 3);

let warehouse: Warehouse;
let dir: string;
beforeAll(async () => {
  dir = scratch('scaleflow-stored-alerts-');
  warehouse = await metricsWarehouse(join(dir, 'w.duckdb'), rows);
  await evaluateAndStore(warehouse, config, thresholds, AS_OF);
});
afterAll(() => warehouse.close());

/** One uncached answer (a new analytics has an empty answer cache), and whether the engine's rows were read. */
async function alerts(owner: string, t: ThresholdsConfig = thresholds) {
  const read: string[] = [];
  const all = warehouse.all.bind(warehouse);
  warehouse.all = (async (sql: string, params?: Parameters<Warehouse['all']>[1]) => {
    read.push(sql);
    return all(sql, params);
  }) as Warehouse['all'];
  try {
    const answer = await createAnalytics({ warehouse, config, thresholds: t }).alerts({ as_of: AS_OF, owner });
    // metrics/recent_rows.sql is the engine's input: reading it means the engine ran.
    return { answer, engineRan: read.some((sql) => sql.includes("the decision engine's input")) };
  } finally {
    warehouse.all = all;
  }
}

const engine = (owner: string, t: ThresholdsConfig = thresholds) =>
  evaluateAt(warehouse, {
    asOf: AS_OF,
    owner,
    timeZone: config.TZ,
    thresholds: t,
    rules: loadAlertRules(config.RULES_DIR),
    level: 'auto',
  }).then((e) => e.alerts);

async function tamper() {
  await warehouse.run('UPDATE evaluated_alerts SET alert = json_merge_patch(alert, $1) WHERE as_of = $2::DATE', [
    JSON.stringify({ reason: MARKER }),
    AS_OF,
  ]);
}
const marked = (answer: { reason: string }[]) => answer.filter((a) => a.reason === MARKER).length;

describe('the alerts endpoint reads the stored alerts while they are current', () => {
  it.each(owners)(
    "equals the engine's answer, field by field and in order, without running it (owner %s)",
    async (owner) => {
      const { answer, engineRan } = await alerts(owner);
      expect(engineRan).toBe(false);
      expect(answer).toEqual(await engine(owner));
    },
  );

  it('the cases are not empty: scale-ups and losses, for more than one owner', async () => {
    const all = await engine('all');
    expect(all.some((a) => a.potential_margin_gain !== undefined)).toBe(true);
    expect(all.some((a) => a.daily_loss !== undefined)).toBe(true);
    expect(new Set(all.map((a) => a.owner)).size).toBeGreaterThan(1);
  });

  it('reads back what was stored', async () => {
    await tamper();
    const { answer } = await alerts('all');
    expect(marked(answer)).toBe(answer.length);
    expect(answer.length).toBeGreaterThan(0);
  });

  it('computes again after a load, and the answer is the engine on the new numbers', async () => {
    const before = (await engine('all')).map((a) => a.campaign_id);
    // c00003 yesterday earns nothing on a large spend: a loss alert it did not have before, or a larger one.
    const r = rows.find((x) => x.campaign_id === 'c00003' && x.date === YESTERDAY)!;
    const path = join(dir, 'restated.csv');
    writeFileSync(
      path,
      `date,campaign_id,campaign_name,owner,category,spend,revenue\n${YESTERDAY},c00003,${r.campaign_name},${r.owner},${r.category},900.00,0.00\n`,
    );
    expect(await load(warehouse, path, { asOf: AS_OF })).toMatchObject({ restated: 1 });
    const { answer, engineRan } = await alerts('all');
    expect(engineRan).toBe(true);
    expect(marked(answer)).toBe(0);
    const fresh = await engine('all');
    expect(answer).toEqual(fresh);
    expect(fresh).not.toEqual(before);
    // Stored for the next answer, which reads it back.
    await tamper();
    expect(marked((await alerts('all')).answer)).toBe(fresh.length);
  });

  it('computes again when the thresholds change', async () => {
    await tamper();
    const changed = thresholdsConfigSchema.parse({ global: { loser_roas: 95, scale_roas: 115 } });
    const { answer, engineRan } = await alerts('all', changed);
    expect(engineRan).toBe(true);
    expect(marked(answer)).toBe(0);
    const fresh = await engine('all', changed);
    expect(answer).toEqual(fresh);
    expect(fresh).not.toEqual(await engine('all'));
  });
});
