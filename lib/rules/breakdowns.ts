import { windowIndex } from '../decisions/series';
import type { IsoDate } from '../dates';
import { audienceTypeSchema, type EntityType } from '../levels';
import { toCents } from '../money';
import type { Alert } from './alerts';
import { conditionDays, evaluateCondition, type Evidence } from './conditions';
import { measureDays, sumRuleDays, ZERO_DAY, type RuleCampaign, type RuleDay } from './measure';
import type { Rule } from './schema';
import { inScope } from './scope';

/**
 * One day of one segment of one entity's breakdown (migration 018), with the entity's campaign and
 * owner as the warehouse maps them. `segment` names it: "facebook/right_hand_column", "19" (hour),
 * "25-34/female", "US", "California".
 */
export interface BreakdownRow {
  day: IsoDate;
  entity_type: EntityType;
  entity_id: string;
  account_id: string;
  meta_campaign_id: string;
  campaign_id: string;
  campaign_name: string | null;
  owner: string;
  category: string | null;
  audience_type?: string | null;
  segment: string;
  spend: string | number;
  purchase_value: string | number;
}

/** What a segment had over the rule's window, for the alert's evidence and the report. */
export interface SegmentFigures {
  segment: string;
  days: number;
  spendCents: number;
  purchaseValueCents: number;
  /** Percent, one decimal; null without spend. */
  roas: number | null;
  entityRoas: number | null;
  /** Days of the window with purchase value under spend. */
  daysLost: number;
  /** The numbers each condition read (conditions.ts). */
  evidence: Evidence;
}

export interface Suggestion {
  alert: Alert;
  rule: Rule;
  account_id: string;
  meta_campaign_id: string;
  segments: SegmentFigures[];
}

interface Entity {
  rows: BreakdownRow[];
  latest: BreakdownRow;
}

/** Newest first from yesterday, as every rule reads days (measure.ts). */
function daysOf(rows: readonly BreakdownRow[], index: ReturnType<typeof windowIndex>): RuleDay[] {
  const days = Array.from({ length: index.length }, () => ({ ...ZERO_DAY }));
  for (const row of rows) {
    const k = index.offsetOf.get(row.day);
    if (k === undefined) continue;
    days[k]!.spend += toCents(row.spend);
    days[k]!.revenue += toCents(row.purchase_value);
  }
  return days;
}

/**
 * A breakdown rule over every entity's segments: each segment is measured as a rule measures a
 * campaign (its spend, and Meta's purchase value as its revenue), with its entity's totals beside
 * it; an entity with matching segments gets one suggestion naming them all, in segment order.
 */
export function evaluateBreakdownRule(rule: Rule, rows: readonly BreakdownRow[], yesterday: IsoDate): Suggestion[] {
  const spec = rule.breakdown;
  if (!spec || !rule.enabled) return [];
  const length = Math.max(1, conditionDays(rule.conditions));
  const index = windowIndex(yesterday, length);
  const entities = new Map<string, Entity>();
  for (const row of rows) {
    if (!index.offsetOf.has(row.day)) continue;
    const key = `${row.entity_type}/${row.entity_id}`;
    const e = entities.get(key);
    if (!e) entities.set(key, { rows: [row], latest: row });
    else {
      e.rows.push(row);
      if (row.day >= e.latest.day) e.latest = row;
    }
  }
  const out: Suggestion[] = [];
  for (const [, { rows: entityRows, latest }] of [...entities].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const entityDays = daysOf(entityRows, index);
    const bySegment = new Map<string, BreakdownRow[]>();
    for (const row of entityRows) bySegment.set(row.segment, [...(bySegment.get(row.segment) ?? []), row]);
    const audience = audienceTypeSchema.safeParse(latest.audience_type);
    const matched: SegmentFigures[] = [];
    for (const segment of [...bySegment.keys()].sort(bySegmentOrder)) {
      const days = daysOf(bySegment.get(segment)!, index);
      const c: RuleCampaign = {
        campaign_id: latest.campaign_id,
        campaign_name: latest.campaign_name ?? '',
        owner: latest.owner,
        category: latest.category ?? '',
        days,
        live: null,
        decision: null,
        entityDays,
      };
      // Scope reads the campaign's owner, category and name; a breakdown rule has no level of its own.
      if (!inScope({ ...rule, level: 'campaign', scope: { ...rule.scope, audience_types: undefined } }, c)) continue;
      const evidence: Evidence = {};
      if (!evaluateCondition(rule.conditions, c, evidence)) continue;
      const own = sumRuleDays(days, length);
      matched.push({
        segment,
        days: length,
        spendCents: own.spend,
        purchaseValueCents: own.revenue,
        roas: measureDays('roas', own),
        entityRoas: measureDays('roas', sumRuleDays(entityDays, length)),
        daysLost: days.filter((d) => d.revenue < d.spend).length,
        evidence,
      });
    }
    if (matched.length === 0) continue;
    const adset = latest.entity_type === 'adset';
    out.push({
      rule,
      account_id: latest.account_id,
      meta_campaign_id: latest.meta_campaign_id,
      segments: matched,
      alert: {
        type: spec.type,
        priority: 'medium',
        entity_type: latest.entity_type,
        // A campaign's alerts are keyed by scaleflow's campaign id, an ad set's by Meta's ad set id.
        entity_id: adset ? latest.entity_id : latest.campaign_id,
        campaign_id: latest.campaign_id,
        adset_id: adset ? latest.entity_id : null,
        audience_type: adset && audience.success ? audience.data : null,
        revenue_source: null,
        owner: latest.owner,
        current_roas: measureDays('roas', sumRuleDays(entityDays, length)),
        recommendation: spec.recommendation,
        reason: `${spec.reason}: ${matched.map((m) => m.segment).join(', ')}`,
      },
    });
  }
  return out;
}

/** Hours as numbers (9 before 10), everything else by name. */
function bySegmentOrder(a: string, b: string): number {
  const [x, y] = [Number(a), Number(b)];
  if (Number.isInteger(x) && Number.isInteger(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}
