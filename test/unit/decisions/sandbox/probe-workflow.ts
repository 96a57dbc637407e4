import { evaluateCampaigns } from '../../../../lib/decisions';
import { alertRules, type AlertRuleSource } from '../../../../lib/rules/alerts';
import { optimizeBudget } from '../../../../lib/optimizer';
import { scheduledDate } from '../../../../lib/strategis/pipeline';

const days = ['2025-10-06', '2025-10-07', '2025-10-08', '2025-10-09', '2025-10-10', '2025-10-11', '2025-10-12'].map(
  (date) => ({ date, spend: '100.00', revenue: '150.00' }),
);

/**
 * Runs both engines (the alert rules as the test read them from rules/) and the schedule's date inside the
 * workflow sandbox, which rejects nondeterminism and Node built-ins, and replaces Date (a Date subclass made
 * there loses its prototype, which is how a time zone was once silently dropped).
 */
export async function decisionProbe(sources: AlertRuleSource[]): Promise<unknown> {
  const evaluation = evaluateCampaigns(
    [{ campaign_id: 'c1', campaign_name: 'C1', owner: 'alice', category: '', days, changes: [] }],
    {
      as_of: '2025-10-13',
      now: '2025-10-13T10:00:00Z',
      thresholds: {},
    },
    alertRules(sources),
  );
  const plan = optimizeBudget(
    {
      total_budget: 1000,
      optimization_goal: 'max_margin',
      constraints: { min_roas: 100, max_daily_spend_per_campaign: 1000, max_change_pct: 50 },
    },
    [{ campaign_id: 'c1', current_budget: '100.00', history: days }],
    { as_of: '2025-10-13' },
  );
  // The schedule's day, as dailyScheduled works it out: 02:30 UTC is still the 12th in New York.
  const scheduledDay = scheduledDate(new Date('2025-10-13T02:30:00Z'), 'America/New_York');
  return {
    recommendation: evaluation.decisions[0]!.recommendation,
    alerts: evaluation.alerts.length,
    spend: plan.expected_total_spend,
    scheduledDay,
  };
}
