import { createHash } from 'node:crypto';
import type { IsoDate } from '../../lib/dates';
import type { AlertRules, ThresholdsConfig } from '../../lib/decisions';
import type { Level } from '../../lib/levels';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';

export interface DecisionInputs {
  asOf: IsoDate;
  level: Level;
  nowMs: number;
  timeZone: string;
  thresholds: ThresholdsConfig;
  rules: AlertRules;
}

/**
 * Everything a day's evaluation depends on, hashed: the day, level, cooldown instant and time zone,
 * the thresholds, the alert rules' sources, and the warehouse inputs (data/sql/pipeline/decision_inputs.sql).
 * Rules built in code without their sources have no fingerprint: what they decide is never read back.
 */
export async function decisionInputs(warehouse: Warehouse, o: DecisionInputs): Promise<string | undefined> {
  if (!o.rules.sources) return undefined;
  const data = await warehouse.one(sqlFile('pipeline/decision_inputs'));
  const { asOf, level, nowMs, timeZone, thresholds } = o;
  return createHash('sha256')
    .update(JSON.stringify({ asOf, level, nowMs, timeZone, thresholds, rules: o.rules.sources, data }))
    .digest('hex');
}

/**
 * Records, inside the storing transaction, what the day's stored decisions were computed from. The
 * decisions and alerts tables hold one evaluation per day, so a store at one level unmarks the others.
 */
export async function markStored(warehouse: Warehouse, asOf: IsoDate, level: Level, inputs: string | undefined) {
  await warehouse.run('DELETE FROM decision_runs WHERE as_of = $1::DATE', [asOf]);
  if (inputs)
    await warehouse.run('INSERT INTO decision_runs (as_of, level, inputs) VALUES ($1::DATE, $2, $3)', [
      asOf,
      level,
      inputs,
    ]);
}

/** What the dashboard needs of a day's evaluation: the recommendations that are not `hold`, and the scale-up alerts. */
export interface DashboardDecisions {
  recommendations: Map<string, string>;
  scaleUpCampaigns: Set<string>;
  scaleUpAdsets: Set<string>;
}

/** Whether the day's stored decisions at this level were computed from exactly these inputs. */
export async function storedAreCurrent(
  warehouse: Warehouse,
  asOf: IsoDate,
  level: Level,
  inputs: string | undefined,
): Promise<boolean> {
  if (!inputs) return false;
  const run = await warehouse.one<{ inputs: string }>(sqlFile('pipeline/decision_run_inputs'), [asOf, level]);
  return run?.inputs === inputs;
}

/** The stored decisions of the day, when they were computed from exactly these inputs; otherwise undefined. */
export async function storedDashboardDecisions(
  warehouse: Warehouse,
  asOf: IsoDate,
  level: Level,
  inputs: string | undefined,
): Promise<DashboardDecisions | undefined> {
  if (!(await storedAreCurrent(warehouse, asOf, level, inputs))) return undefined;
  const [decided, raises] = await Promise.all([
    warehouse.all<{ key: string; recommendation: string }>(sqlFile('pipeline/stored_recommendations'), [asOf]),
    warehouse.all<{ campaign_id: string; adset_id: string | null }>(sqlFile('pipeline/stored_budget_raises'), [asOf]),
  ]);
  return {
    recommendations: new Map(decided.map((d) => [d.key, d.recommendation])),
    scaleUpCampaigns: new Set(raises.map((a) => a.campaign_id)),
    scaleUpAdsets: new Set(raises.flatMap((a) => (a.adset_id ? [a.adset_id] : []))),
  };
}
