import { ApplicationFailure } from '@temporalio/activity';
import type { Proposal } from '../../lib/approvals/proposal';
import type { Config } from '../../lib/config';
import { addDays } from '../../lib/dates';
import { centsToString, toCents } from '../../lib/money';
import { directionOf, evaluateOutcome, RECONCILE_WAIT_DAYS, type OutcomeResult } from '../../lib/outcomes';
import { compareWithControls, type ControlResult } from '../../lib/outcome-control';
import { candidateControls } from '../../services/approvals/outcome-controls';
import { sqlFile } from '../../services/warehouse/sql';
import type { Warehouse } from '../../services/warehouse/warehouse';

/** The 7-day outcome check of an executed change: it reads and writes only the warehouse. */
export function createOutcomeActivities({ config, warehouse }: { config: Config; warehouse: Warehouse }) {
  return {
    /**
     * METRICS.md outcome check: the 7 days before the change day against the 7 days after it.
     * Until the last of those days is loaded, and reconciled (or RECONCILE_WAIT_DAYS have passed),
     * it fails retryably, so Temporal re-runs it after the next daily pull instead of judging on a
     * partial week.
     */
    async checkOutcome({
      workflowId,
      proposal,
      changeDate,
    }: {
      workflowId: string;
      proposal: Proposal;
      changeDate: string;
    }): Promise<OutcomeResult & ControlResult> {
      // An ad-set change is judged on that ad set's days, not its campaign's (METRICS.md "Levels").
      const adsetId = proposal.adset?.id ?? null;
      const window = async (start: string, end: string) => {
        const row = await warehouse.one<{ spend: string; revenue: string }>(
          sqlFile(adsetId ? 'approvals/outcome_window_adset' : 'approvals/outcome_window'),
          [adsetId ?? proposal.campaignId, start, end],
        );
        return { spendCents: toCents(row?.spend ?? '0'), revenueCents: toCents(row?.revenue ?? '0'), days: 7 };
      };
      const afterEnd = addDays(changeDate, 7);
      const loaded = await warehouse.one<{ d: string | null }>(sqlFile('approvals/latest_loaded_date'));
      if (!loaded?.d || loaded.d < afterEnd) {
        throw ApplicationFailure.retryable(
          `outcome window ends ${afterEnd}; data is loaded through ${loaded?.d ?? 'nothing'}`,
          'OutcomeDataPending',
        );
      }
      // The baseline week is reconciled by now; an outcome week judged while strateg.is still restates
      // it (its newest days' revenue only partly reported) reads lower than it will be, against a
      // final baseline: a raise or a trim would be called wrong on numbers that are not yet true. So
      // the check waits for the rows to be reconciled, at most RECONCILE_WAIT_DAYS past the week.
      const provisional = await warehouse.one<{ provisional: number; last_provisional: string | null }>(
        sqlFile('approvals/outcome_provisional'),
        [proposal.campaignId, addDays(changeDate, -7), afterEnd],
      );
      const waitUntil = addDays(afterEnd, RECONCILE_WAIT_DAYS);
      if (provisional && provisional.provisional > 0 && loaded.d < waitUntil) {
        // Reconciled rows arrive with the daily pull: asking again every minute would only fill the history.
        throw ApplicationFailure.create({
          message: `outcome window ends ${afterEnd}; ${provisional.provisional} of its strateg.is rows are not reconciled yet (the last ${provisional.last_provisional}); judged once they are, or with data through ${waitUntil} at the latest`,
          type: 'OutcomeDataPending',
          nextRetryDelay: '1 hour',
        });
      }
      const before = await window(addDays(changeDate, -7), addDays(changeDate, -1));
      const after = await window(addDays(changeDate, 1), afterEnd);
      const controls = await candidateControls(warehouse, {
        campaignId: proposal.campaignId,
        owner: proposal.owner,
        adset: adsetId !== null,
        changeDate,
        tz: config.TZ,
      });
      const result = {
        ...evaluateOutcome(proposal, before, after),
        ...compareWithControls(directionOf(proposal.action), { before, after }, controls),
      };
      const money = (dollars: number) => centsToString(Math.round(dollars * 100));
      await warehouse.run(sqlFile('approvals/insert_outcome'), [
        workflowId,
        proposal.campaignId,
        proposal.owner,
        proposal.type,
        result.rule,
        changeDate,
        money(result.baseline.spend),
        money(result.baseline.revenue),
        money(result.baseline.margin),
        result.baseline.roas,
        money(result.outcome.spend),
        money(result.outcome.revenue),
        money(result.outcome.margin),
        result.outcome.roas,
        money(result.deltas.margin),
        money(result.deltas.revenue),
        result.deltas.roas,
        result.is_improving,
        result.was_right,
        adsetId ? 'adset' : 'campaign',
        adsetId ?? proposal.campaignId,
        adsetId,
        result.control_count,
        result.did_margin_per_day === null ? null : money(result.did_margin_per_day),
        result.right_vs_control,
      ]);
      return result;
    },
  };
}
