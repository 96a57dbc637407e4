import { addDays, yesterdayOf } from '../../lib/dates';
import { centsToString } from '../../lib/money';
import { evaluateBreakdownRule, type BreakdownRow, type Suggestion } from '../../lib/rules/breakdowns';
import { conditionDays } from '../../lib/rules/conditions';
import type { Rule } from '../../lib/rules/schema';
import { loadRuleSet } from '../rules/files';
import { upsertAlerts } from './store-alerts';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';

/** RULES_DIR's enabled breakdown rules (a file that does not parse raises nothing, as for alert rules). */
export function loadBreakdownRules(dir: string): Rule[] {
  return loadRuleSet(dir)
    .rules.map((r) => r.rule)
    .filter((r) => r.breakdown && r.enabled);
}

/**
 * The day's suggestions: each breakdown rule over its breakdown's finished days ending yesterday.
 * Rows are read once per breakdown, over the longest window any rule on it reads.
 */
export async function evaluateSuggestions(
  warehouse: Warehouse,
  rules: readonly Rule[],
  asOf: string,
): Promise<Suggestion[]> {
  const yesterday = yesterdayOf(asOf);
  const byBreakdown = new Map<string, Rule[]>();
  for (const rule of rules) byBreakdown.set(rule.breakdown!.by, [...(byBreakdown.get(rule.breakdown!.by) ?? []), rule]);
  const out: Suggestion[] = [];
  for (const [breakdown, list] of byBreakdown) {
    const days = Math.max(1, ...list.map((r) => conditionDays(r.conditions)));
    const rows = await warehouse.all<BreakdownRow>(sqlFile('suggestions/rows'), [
      addDays(yesterday, -(days - 1)),
      yesterday,
      breakdown,
    ]);
    for (const rule of list) out.push(...evaluateBreakdownRule(rule, rows, yesterday));
  }
  return out;
}

/**
 * Stores the suggestions as alerts (keyed by entity, status kept on a re-run) and their segments.
 * Runs inside the day's evaluation transaction, before older alerts are expired.
 */
export async function storeSuggestions(
  warehouse: Warehouse,
  asOf: string,
  rules: readonly Rule[],
  suggestions: readonly Suggestion[],
): Promise<void> {
  await warehouse.run(sqlFile('suggestions/delete_day'), [asOf, JSON.stringify(rules.map((r) => r.breakdown!.type))]);
  await upsertAlerts(
    warehouse,
    asOf,
    suggestions.map((s) => s.alert),
  );
  const segments = suggestions.flatMap((s) =>
    s.segments.map((g) => ({
      entity_type: s.alert.entity_type,
      entity_id: s.alert.entity_id,
      type: s.alert.type,
      segment: g.segment,
      breakdown: s.rule.breakdown!.by,
      account_id: s.account_id,
      meta_campaign_id: s.meta_campaign_id,
      window_days: g.days,
      spend: centsToString(g.spendCents),
      purchase_value: centsToString(g.purchaseValueCents),
      roas: g.roas,
      entity_roas: g.entityRoas,
      days_lost: g.daysLost,
      evidence: JSON.stringify(g.evidence),
    })),
  );
  if (segments.length) await warehouse.run(sqlFile('suggestions/insert_segments'), [asOf, JSON.stringify(segments)]);
}
