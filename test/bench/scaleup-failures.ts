// Why scale-ups fail: runs scaleflow on one seeded market, keeps its warehouse, and sorts every
// raise whose 7-day outcome check failed by its cause, against the market's hidden curves.
//   npx tsx test/bench/scaleup-failures.ts [seed] [campaigns] [days]
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDay } from 'date-fns';
import { loadThresholds } from '../../services/decisions/thresholds-file';
import { runBacktest } from '../../services/backtest/run';
import { Warehouse } from '../../services/warehouse/warehouse';
import { sqlFile } from '../../services/warehouse/sql';
import { parseConfig } from '../../lib/config';
import { addDays, daysBetween } from '../../lib/dates';
import { createMarket, curveOn, expectedRevenue } from '../../lib/simulator';

const [seed = 1, campaigns = 200, days = 60] = process.argv.slice(2).map(Number);
// lib/simulator/market.ts WEEKDAY, Sunday first: the expected day's revenue multiplier.
const WEEKDAY = [1.06, 0.95, 0.97, 0.99, 1.0, 1.01, 1.05];
const dir = mkdtempSync(join(tmpdir(), 'scaleup-failures-'));
const result = await runBacktest(
  { policy: 'scaleflow', seed, campaigns, days },
  { config: parseConfig({}), thresholds: loadThresholds(process.env.THRESHOLDS_FILE), workDir: dir, keep: true },
);
const sub = readdirSync(dir)[0]!;
const warehouse = await Warehouse.open(join(dir, sub, 'backtest.duckdb'));
const market = createMarket({ seed, campaigns, days, start: result.start, warmupDays: 14 });
const index = new Map(market.specs.map((s, i) => [s.campaign_id, i]));

const facts = new Map<string, { spend: number; revenue: number }>();
for (const r of await warehouse.all<{ campaign_id: string; date: string; spend: number; revenue: number }>(
  sqlFile('backtest/campaign_days'),
))
  facts.set(`${r.campaign_id}|${r.date}`, r);
const checks = await warehouse.all<{
  campaign_id: string;
  change_date: string;
  was_right: boolean;
  baseline_spend: number;
  baseline_revenue: number;
  outcome_spend: number;
  outcome_revenue: number;
  details: string;
}>(sqlFile('backtest/failed_scale_ups'));

/**
 * Realised (final numbers) and expected (hidden curve, weekday, noise mean 1) margin over 7 days,
 * and the expected margin of the same days at a fixed daily spend (the counterfactual).
 */
function window(c: number, id: string, from: string) {
  let realised = 0;
  let expected = 0;
  let spend = 0;
  const curves: { day: number; weekday: number }[] = [];
  for (let k = 0; k < 7; k++) {
    const date = addDays(from, k);
    const day = daysBetween(market.start, date);
    const weekday = WEEKDAY[getDay(new Date(`${date}T12:00:00Z`))]!;
    const f = facts.get(`${id}|${date}`) ?? { spend: 0, revenue: 0 };
    realised += f.revenue - f.spend;
    expected += expectedRevenue(curveOn(market, c, day), f.spend) * weekday - f.spend;
    spend += f.spend;
    curves.push({ day, weekday });
  }
  const at = (daily: number) =>
    curves.reduce((s, x) => s + expectedRevenue(curveOn(market, c, x.day), daily) * x.weekday - daily, 0);
  return { realised, expected, spend, at };
}

const causes = {
  restated: 0,
  past_optimum: 0,
  lucky_baseline: 0,
  market_decline: 0,
  outcome_noise: 0,
};
let raises = 0;
let failed = 0;
for (const check of checks) {
  const action = (JSON.parse(check.details) as { action: { kind: string; fromCents?: number; toCents?: number } })
    .action;
  if (!(action.kind === 'resume' || (action.kind === 'set_daily_budget' && action.toCents! > action.fromCents!)))
    continue;
  raises++;
  if (check.was_right) continue;
  failed++;
  const c = index.get(check.campaign_id)!;
  const base = window(c, check.campaign_id, addDays(check.change_date, -7));
  const out = window(c, check.campaign_id, addDays(check.change_date, 1));
  if (out.realised > base.realised) {
    // Right on the final numbers: only the revenue restated after the check made it wrong.
    causes.restated++;
    continue;
  }
  // What the outcome week would have made, in expectation, had the budget stayed where the baseline spent.
  const stayed = out.at(base.spend / 7);
  if (out.expected <= stayed) causes.past_optimum++;
  else if (out.realised > base.expected) causes.lucky_baseline++;
  else if (stayed < base.expected) causes.market_decline++;
  else causes.outcome_noise++;
}
warehouse.close();
rmSync(dir, { recursive: true, force: true });
const all = result.accuracy_by_direction.find((a) => a.rule === 'raise');
console.log(
  JSON.stringify(
    {
      seed,
      campaigns,
      days,
      margin: result.margin,
      accuracy: result.accuracy.find((a) => a.rule === 'all'),
      by_direction: result.accuracy_by_direction,
      reconciled: result.accuracy_reconciled.find((a) => a.rule === 'all'),
      budget_changes: result.budget_changes,
      held_by_optimizer: result.held_by_optimizer,
      runtime_ms: result.runtime_ms,
      raise_accuracy: all,
      raises,
      failed,
      causes,
      learning_resets: 0,
    },
    null,
    1,
  ),
);
