import { z } from 'zod';
import type { Config } from '../../lib/config';
import { dateIn, isoDateSchema, type IsoDate } from '../../lib/dates';
import type { ThresholdsConfig } from '../../lib/decisions';
import { buildDashboard, campaignFilterSchema, type CampaignWindowRow } from '../../lib/metrics/dashboard';
import { buildLaunches, launchesQuerySchema, launchWindow, type LaunchRow } from '../../lib/metrics/launches';
import { resolveWindow, windowQuerySchema } from '../../lib/metrics/windows';
import type { BudgetRequest } from '../../lib/optimizer';
import { optimizeAt } from './optimize';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import { AnswerCache } from './answer-cache';
import { loadAlertRules } from '../rules/files';
import { evaluateAt } from '../decisions/evaluate';
import { levelSchema, type Level } from '../../lib/levels';

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
export const launchesQuery = launchesQuerySchema.extend(asOf);
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
}: {
  warehouse: Warehouse;
  config: Config;
  thresholds: ThresholdsConfig;
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
  const cached = <T>(name: string, q: unknown, compute: () => Promise<T>) =>
    cache.get(`${name}/${JSON.stringify(q)}`, compute);

  return {
    async dashboard(q: DashboardQuery) {
      const day = q.as_of ?? today();
      const window = resolveWindow(q, day);
      const who = q.owner.toLowerCase();
      return cached('dashboard', { ...q, as_of: day, owner: who }, async () => {
        const [rows, evaluation] = await Promise.all([
          warehouse.all<CampaignWindowRow>(sqlFile('metrics/campaign_window'), [window.start, window.end, who]),
          evaluate(day, who, q.level),
        ]);
        // A campaign decided per ad set has no recommendation of its own: its rows say `hold`, and
        // its ad sets' budget-raising alerts make it a `scaling` campaign.
        const recommendation = new Map(
          evaluation.decisions
            .filter((d) => d.entity_type === 'campaign')
            .map((d) => [d.campaign_id, d.recommendation]),
        );
        // An open alert that would raise the budget: the dashboard's `scaling` filter.
        const openScaleUp = new Set(
          evaluation.alerts.filter((a) => a.potential_margin_gain !== undefined).map((a) => a.campaign_id),
        );
        return {
          as_of: day,
          date_range: q.date_range,
          window,
          owner: who,
          campaign_filter: q.campaign_filter,
          level: q.level,
          ...buildDashboard(rows, {
            filter: q.campaign_filter,
            openScaleUp,
            recommendationOf: (id) => recommendation.get(id) ?? 'hold',
          }),
        };
      });
    },

    async launches(q: z.infer<typeof launchesQuery>) {
      const day = q.as_of ?? today();
      const { start, end } = launchWindow(day, q.weeks);
      const who = q.owner.toLowerCase();
      return cached('launches', { ...q, as_of: day, owner: who }, async () => {
        const [rows, decided] = await Promise.all([
          warehouse.all<LaunchRow>(sqlFile('metrics/launches'), [start, end, who]),
          warehouse.all<{ campaign_id: string; decided_on: string }>(sqlFile('metrics/first_decisions'), [
            config.TZ,
            end,
          ]),
        ]);
        return {
          as_of: day,
          weeks: q.weeks,
          owner: who,
          ...buildLaunches(rows, day, q.weeks, new Map(decided.map((d) => [d.campaign_id, d.decided_on]))),
        };
      });
    },

    /** The PRD's answer: a bare array of the day's alerts (every alert rule's), most urgent first. */
    async alerts(q: LevelQuery) {
      return (await evaluate(q.as_of ?? today(), q.owner, q.level ?? 'auto')).alerts;
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
