// npm run bench:rules: the pure rules engine on generated campaigns, and what the alert rules add to
// the decision step on the same input. Figures into BENCHMARKS.md "User-defined rules".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateCampaigns, withEntity, type CampaignSeries } from '../../lib/decisions';
import { addDays, yesterdayOf } from '../../lib/dates';
import { loadAlertRules } from '../../services/rules/files';
import { alertRules } from '../../lib/rules/alerts';
import { EMPTY_HISTORY, evaluateRules, rulesLookback } from '../../lib/rules/evaluate';
import { parseRuleText } from '../../lib/rules/parse';
import { ruleCampaigns, rowsOfSeries } from '../../lib/rules/rows';
import type { Rule } from '../../lib/rules/schema';
import { seededRandom } from '../../lib/sample/random';
import { machine, median, ms, writeSection } from './support';

const AS_OF = '2025-10-13';
const YESTERDAY = yesterdayOf(AS_OF);
const CAMPAIGNS = Number(process.env.BENCH_CAMPAIGNS ?? 2000);
const RUNS = 15;

function load(path: string): Rule {
  const parsed = parseRuleText(readFileSync(join('rules', path), 'utf8'), path);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return { ...parsed.value, enabled: true };
}

function generate(n: number): CampaignSeries[] {
  const random = seededRandom(11);
  return Array.from({ length: n }, (_, i) => {
    const base = 0.6 + random() * 1.2;
    return withEntity({
      campaign_id: `c${String(i).padStart(5, '0')}`,
      campaign_name: `Campaign ${i}`,
      owner: ['ben', 'tj', 'dan', 'mike', 'anastasia'][i % 5]!,
      category: 'Dental',
      days: Array.from({ length: 30 }, (_, d) => {
        const spend = 50 + random() * 300;
        return {
          date: addDays(YESTERDAY, -d),
          spend: spend.toFixed(2),
          revenue: (spend * base * (0.8 + random() * 0.4)).toFixed(2),
        };
      }),
      changes: [],
    });
  });
}

function time(fn: () => void): number[] {
  fn(); // warm
  return Array.from({ length: RUNS }, () => {
    const t = performance.now();
    fn();
    return performance.now() - t;
  });
}

const rules = [load('examples/raise-roas-winners.yaml')];
const shipped = loadAlertRules('rules');
const none = alertRules([]);
const series = generate(CAMPAIGNS);
const decided = evaluateCampaigns(
  series,
  { as_of: AS_OF, now: '2025-10-13T10:00:00Z', thresholds: { global: {}, owners: {} } },
  shipped,
);
const decisions = new Map(decided.decisions.map((d) => [d.campaign_id, d.recommendation]));
const campaigns = ruleCampaigns(rowsOfSeries(series), YESTERDAY, rulesLookback(rules), decisions);
const limits = { maxChangePct: 50, minBudgetCents: 100, maxBudgetCents: 1_000_000 };

const engine = time(() =>
  evaluateRules({
    rules,
    campaigns,
    owners: { owners: {} },
    history: EMPTY_HISTORY,
    limits,
    webhooks: { allowedHosts: [], allowLoopback: false },
    nowMs: Date.parse('2025-10-13T14:00:00Z'),
    force: true,
  }),
);
const rows = time(() => ruleCampaigns(rowsOfSeries(series), YESTERDAY, rulesLookback(rules), decisions));
const options = { as_of: AS_OF, now: '2025-10-13T10:00:00Z', thresholds: { global: {}, owners: {} }, anomaly_days: 0 };
const withAlerts = time(() => evaluateCampaigns(series, options, shipped));
const decisionsOnly = time(() => evaluateCampaigns(series, options, none));

const lines = [
  `Command: \`npm run bench:rules\` (BENCH_CAMPAIGNS=${CAMPAIGNS}, 30 days each, ${RUNS} timed runs after one warm-up; median).`,
  `Machine: ${machine()}.`,
  '',
  '| step | median |',
  '| --- | --- |',
  `| evaluateRules: the buyer's example rule over ${CAMPAIGNS} campaigns, plans and limits | ${ms(median(engine))} |`,
  `| ruleCampaigns: ${CAMPAIGNS * 30} rows into per-campaign days | ${ms(median(rows))} |`,
  `| evaluateCampaigns, decisions only | ${ms(median(decisionsOnly))} |`,
  `| evaluateCampaigns, decisions then the shipped alert rules | ${ms(median(withAlerts))} |`,
  '',
  `The shipped alert rules raised ${decided.alerts.length} alerts. The engine is pure code; the evaluation activity adds the warehouse reads and one insert of every action.`,
];
writeSection('User-defined rules', lines.join('\n'));
console.log(lines.join('\n'));
