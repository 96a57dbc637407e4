import { z } from 'zod';
import type { Config } from '../../lib/config';
import { dateIn, isoDateSchema, type IsoDate } from '../../lib/dates';
import type { ThresholdsConfig } from '../../lib/decisions';
import {
  buildDashboard,
  campaignFilterSchema,
  entityRowsAtLevel,
  type AdsetWindowRow,
  type CampaignWindowRow,
} from '../../lib/metrics/dashboard';
import { buildLaunches, launchesQuerySchema, launchWindow, type LaunchRow } from '../../lib/metrics/launches';
import { rowsAtLevel } from '../../lib/metrics/level-rows';
import { resolveWindow, windowQuerySchema } from '../../lib/metrics/windows';
import type { BudgetRequest } from '../../lib/optimizer';
import { optimizeAt } from './optimize';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import { AnswerCache } from './answer-cache';
import { createDashboardDecisions, STORED_LEVEL } from './dashboard-decisions';
import { hasAdsetRows, storedLevelDashboard } from './dashboard-query';
import { loadAlertRules } from '../rules/files';
import { evaluateAt } from '../decisions/evaluate';
import { levelSchema, type Level } from '../../lib/levels';
import { WindowError } from '../../lib/metrics/windows';
import { todayDashboard } from './today';

const asOf = { as_of: isoDateSchema.optional() };
const owner = { owner: z.string().min(1).default('all') };
/** METRICS.md "Levels": where decisions are made; `auto` (where the budget lives) unless asked. */
const level = { level: levelSchema.default('auto') };

export const dashboardQuerySchema = windowQuerySchema.extend({
  ...asOf,
  ...owner,
  ...level,
  campaign_filter: campaignFilterSchema.default('all'),
});
export const launchesQuery = launchesQuerySchema.extend({ ...asOf, ...level });
export const ownerQuerySchema = z.object({ ...asOf, ...owner });
/** The answers made of decisions or alerts (alerts, held-back, decisions) take a level. */
export const levelQuerySchema = ownerQuerySchema.extend(level);
/** A level query as callers in code pass it: the level defaults to `auto`. */
export type LevelQuery = z.infer<typeof ownerQuerySchema> & { level?: Level };
export type DashboardQuery = z.infer<typeof dashboardQuerySchema>;

/** The PRD's JSON answers, shared by the HTTP API and the CLI so both print the same thing. */
export function createAnalytics({
  warehouse,
  config,
  thresholds,
  store = true,
}: {
  warehouse: Warehouse;
  config: Config;
  thresholds: ThresholdsConfig;
  /** Whether a day's decisions computed for the dashboard are stored (false where the file is open read-only). */
  store?: boolean;
}) {
  const today = (): IsoDate => dateIn(config.TZ, new Date());
  const cache = new AnswerCache(() => warehouse.generation);
  // The dashboard, alerts and decisions of one day share one evaluation of every campaign.
  const evaluate = (day: IsoDate, who: string, at: Level) =>
    cache.get(`evaluate/${day}/${who.toLowerCase()}/${at}`, () =>
      evaluateAt(warehouse, {
        asOf: day,
        owner: who,
        level: at,
        timeZone: config.TZ,
        thresholds,
        rules: loadAlertRules(config.RULES_DIR),
      }),
    );
  const dashboardDecisions = createDashboardDecisions({ warehouse, config, thresholds, store, evaluate });
  const cached = <T>(name: string, q: unknown, compute: () => Promise<T>) =>
    cache.get(`${name}/${JSON.stringify(q)}`, compute);

  return {
    async dashboard(q: DashboardQuery) {
      if (q.date_range === 'today') {
        // Only the latest snapshot is kept per entity: there is no "today" of another day to read.
        if (q.as_of !== undefined && q.as_of !== today())
          throw new WindowError(
            'as_of',
            `date_range=today reads the latest hourly Meta sync: as_of must be ${today()} or left out`,
          );
        const who = q.owner.toLowerCase();
        return cached('today', { as_of: today(), owner: who }, () =>
          todayDashboard(warehouse, { asOf: today(), owner: who, timeZone: config.TZ }),
        );
      }
      const day = q.as_of ?? today();
      const window = resolveWindow(q, day);
      const who = q.owner.toLowerCase();
      return cached('dashboard', { ...q, as_of: day, owner: who }, async () => {
        const head = {
          as_of: day,
          date_range: q.date_range,
          window,
          owner: who,
          campaign_filter: q.campaign_filter,
          level: q.level,
        };
        if (q.level === STORED_LEVEL && (await dashboardDecisions.current(day)))
          return {
            ...head,
            ...(await storedLevelDashboard(warehouse, {
              start: window.start,
              end: window.end,
              owner: who,
              filter: q.campaign_filter,
              asOf: day,
            })),
          };
        const byAdset = q.level !== 'campaign';
        const [rows, adsets, budgets, decided] = await Promise.all([
          warehouse.all<CampaignWindowRow>(sqlFile('metrics/campaign_window'), [window.start, window.end, who]),
          byAdset
            ? warehouse.all<AdsetWindowRow>(sqlFile('metrics/adset_window'), [window.start, window.end, who])
            : [],
          byAdset
            ? warehouse.all<{ campaign_id: string }>(sqlFile('metrics/adset_budget_campaigns'), [
                window.start,
                window.end,
              ])
            : [],
          dashboardDecisions.decisions(day, who, q.level),
        ]);
        // A campaign decided per ad set has no recommendation of its own (`hold` on a campaign row);
        // its ad sets' rows carry theirs, and their budget-raising alerts make it a `scaling` campaign.
        const { recommendations, scaleUpCampaigns: openScaleUp, scaleUpAdsets: openScaleUpAdsets } = decided;
        const entities = entityRowsAtLevel(q.level, rows, adsets, new Set(budgets.map((b) => b.campaign_id)));
        return {
          ...head,
          ...buildDashboard(
            rows,
            {
              filter: q.campaign_filter,
              openScaleUp,
              openScaleUpAdsets,
              recommendationOf: (type, id) => recommendations.get(`${type}/${id}`) ?? 'hold',
            },
            entities,
          ),
        };
      });
    },

    async launches(q: z.infer<typeof launchesQuery>) {
      const day = q.as_of ?? today();
      const { start, end } = launchWindow(day, q.weeks);
      const who = q.owner.toLowerCase();
      return cached('launches', { ...q, as_of: day, owner: who }, async () => {
        // No ad-set row anywhere: the ad-set launches (the view's whole history) would be empty.
        const byAdset = q.level !== 'campaign' && (await hasAdsetRows(warehouse));
        const [rows, adsetRows, budgets, decided] = await Promise.all([
          warehouse.all<LaunchRow>(sqlFile('metrics/launches'), [start, end, who]),
          byAdset ? warehouse.all<LaunchRow>(sqlFile('metrics/adset_launches'), [start, end, who]) : [],
          byAdset
            ? warehouse.all<{ campaign_id: string }>(sqlFile('metrics/adset_budget_campaigns'), [start, end])
            : [],
          warehouse.all<{ campaign_id: string; decided_on: string }>(sqlFile('metrics/first_decisions'), [
            config.TZ,
            end,
          ]),
        ]);
        const same = (r: LaunchRow) => r;
        const launches = rowsAtLevel(q.level, rows, adsetRows, new Set(budgets.map((b) => b.campaign_id)), same, same);
        return {
          as_of: day,
          weeks: q.weeks,
          owner: who,
          level: q.level,
          ...buildLaunches(launches, day, q.weeks, new Map(decided.map((d) => [d.campaign_id, d.decided_on]))),
        };
      });
    },

    /** The PRD's answer: a bare array of the day's alerts (every alert rule's), most urgent first. */
    async alerts(q: LevelQuery) {
      const day = q.as_of ?? today();
      const [who, at] = [q.owner.toLowerCase(), q.level ?? 'auto'];
      // The pipeline's level: the day's stored alerts while their inputs are current, not the engine per answer.
      const stored =
        at === STORED_LEVEL
          ? await cached('alerts', { day, who }, async () => (await dashboardDecisions.alerts(day, who)) ?? null)
          : null;
      return stored ?? (await evaluate(day, who, at)).alerts;
    },

    /**
     * Streaks the decision held back (a winner in decline, a loser recovering, a cooldown): each the alert it would
     * have raised, and what held it.
     */
    async heldBack(q: LevelQuery) {
      return (await evaluate(q.as_of ?? today(), q.owner, q.level ?? 'auto')).overruled.map((o) => ({
        ...o.alert,
        held_back_by: o.decision,
      }));
    },

    async decisions(q: LevelQuery) {
      const day = q.as_of ?? today();
      const evaluation = await evaluate(day, q.owner, q.level ?? 'auto');
      return {
        as_of: day,
        owner: q.owner.toLowerCase(),
        level: q.level ?? 'auto',
        decisions: evaluation.decisions,
        anomalies: evaluation.anomalies,
      };
    },

    optimize(request: BudgetRequest, scope: { as_of?: IsoDate; owner: string; level?: Level }) {
      return optimizeAt(warehouse, config, request, {
        as_of: scope.as_of ?? today(),
        owner: scope.owner.toLowerCase(),
        level: scope.level ?? 'auto',
      });
    },
  };
}
export type Analytics = ReturnType<typeof createAnalytics>;
