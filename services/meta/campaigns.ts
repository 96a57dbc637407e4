import { ApplicationFailure } from '@temporalio/activity';
import type { BudgetAction } from '../../lib/approvals/proposal';
import type { Config } from '../../lib/config';
import { centsToWire, wireToCents } from '../../lib/meta/currency';
import type { BudgetWriteResult, CampaignRef, LiveCampaign, MetaCampaigns } from '../../lib/meta/port';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import { metaCall } from './failures';
import type { MetaGraph } from './graph';
import { readAccount } from './reads';

/**
 * The approval flow's view of Meta (lib/meta/port.ts) over the SDK: budgets in
 * cents of the account currency's major unit, converted to Meta's minor-unit strings only here.
 */
type Settings = Pick<Config, 'META_REQUEST_TIMEOUT' | 'META_RATE_LIMIT_MIN_WAIT' | 'META_PAGE_SIZE'>;

interface LiveState {
  dailyBudgetCents: number | null;
  status: string;
  currency: string;
}

export function createMetaCampaigns({ graph, settings, warehouse }: { graph: () => MetaGraph; settings: Settings; warehouse?: Warehouse }): MetaCampaigns {
  const currencies = new Map<string, string>();
  const ctx = (what: string, budgetWrite = false) => ({ what, budgetWrite, timeoutMs: settings.META_REQUEST_TIMEOUT, minWaitMs: settings.META_RATE_LIMIT_MIN_WAIT });

  async function currencyOf(accountId: string): Promise<string> {
    let currency = currencies.get(accountId);
    if (!currency) {
      currency = (await readAccount(graph(), settings, accountId)).currency;
      currencies.set(accountId, currency);
    }
    return currency;
  }

  async function readLive({ accountId, metaCampaignId }: CampaignRef): Promise<LiveState> {
    const currency = await currencyOf(accountId);
    const campaign = await metaCall(ctx(`reading campaign ${metaCampaignId}`), () =>
      graph().campaign(metaCampaignId).read(['id', 'status', 'daily_budget', 'lifetime_budget', 'account_id']),
    );
    const data = campaign.exportAllData() as { status?: string; daily_budget?: string; account_id?: string };
    if (data.account_id && `act_${data.account_id}` !== accountId) {
      throw ApplicationFailure.nonRetryable(`campaign ${metaCampaignId} belongs to act_${data.account_id}, not ${accountId}`, 'MetaRequestInvalid');
    }
    return { dailyBudgetCents: data.daily_budget && data.daily_budget !== '0' ? wireToCents(data.daily_budget, currency) : null, status: data.status ?? 'UNKNOWN', currency };
  }

  function target(live: LiveState, action: BudgetAction): { dailyBudgetCents: number | null; status: string } {
    switch (action.kind) {
      case 'set_daily_budget':
        return { dailyBudgetCents: action.toCents, status: live.status };
      case 'pause':
        return { dailyBudgetCents: live.dailyBudgetCents, status: 'PAUSED' };
      case 'resume':
        return { dailyBudgetCents: live.dailyBudgetCents, status: 'ACTIVE' };
    }
  }

  return {
    async readCampaign(ref: CampaignRef): Promise<LiveCampaign> {
      const live = await readLive(ref);
      const seen = warehouse ? await warehouse.one<{ at: string | null }>(sqlFile('meta/last_change'), [ref.metaCampaignId]) : undefined;
      return { dailyBudgetCents: live.dailyBudgetCents, status: live.status, currency: live.currency, lastChangedAt: seen?.at ?? null };
    },

    async applyAction({ action, dryRun, ...ref }): Promise<Omit<BudgetWriteResult, 'changeDate'>> {
      const live = await readLive(ref);
      const before = { dailyBudgetCents: live.dailyBudgetCents, status: live.status };
      const after = target(live, action);
      if (after.dailyBudgetCents === before.dailyBudgetCents && after.status === before.status) {
        return { result: 'unchanged', before, after, detail: 'Meta already shows the target value' };
      }
      const budgetWrite = action.kind === 'set_daily_budget';
      if (budgetWrite && live.dailyBudgetCents === null) {
        throw ApplicationFailure.nonRetryable(
          `campaign ${ref.metaCampaignId} has no campaign budget (its budgets are on its ad sets, no CBO): scaleflow only sets campaign budgets`,
          'MetaBudgetRejected',
        );
      }
      let params: Record<string, string>;
      try {
        params = budgetWrite ? { daily_budget: centsToWire(after.dailyBudgetCents!, live.currency) } : { status: after.status };
      } catch (err) {
        throw ApplicationFailure.nonRetryable((err as Error).message, 'MetaBudgetRejected');
      }
      if (dryRun) return { result: 'dry_run', before, after, detail: `dry run: would POST ${JSON.stringify(params)} to ${ref.metaCampaignId}` };
      const metaResponse = await metaCall(ctx(`writing ${JSON.stringify(params)} to campaign ${ref.metaCampaignId}`, budgetWrite), () =>
        graph().campaign(ref.metaCampaignId).update([], params) as Promise<unknown>,
      );
      return { result: 'written', before, after, metaResponse };
    },
  };
}
