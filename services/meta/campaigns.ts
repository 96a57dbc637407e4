import { ApplicationFailure } from '@temporalio/activity';
import type { BudgetAction } from '../../lib/approvals/proposal';
import type { Config } from '../../lib/config';
import { centsToWire, wireToCents } from '../../lib/meta/currency';
import type { BudgetWriteResult, CampaignRef, LiveCampaign, LiveRead, MetaCampaigns } from '../../lib/meta/port';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import { metaCall } from './failures';
import type { MetaGraph } from './graph';
import { metaWriteContext } from './write-context';
import { readCampaignsBatch } from './reads';

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

function liveState(data: { status?: string; daily_budget?: string }, currency: string): LiveState {
  return {
    dailyBudgetCents: data.daily_budget && data.daily_budget !== '0' ? wireToCents(data.daily_budget, currency) : null,
    status: data.status ?? 'UNKNOWN',
    currency,
  };
}

/** A campaign id from another ad account than the alert's map says is a final no, not a read. */
function notOf(ref: CampaignRef, owner: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `campaign ${ref.metaCampaignId} belongs to ${owner}, not ${ref.accountId}`,
    'MetaRequestInvalid',
  );
}

export function createMetaCampaigns({
  graph,
  settings,
  warehouse,
}: {
  graph: () => MetaGraph;
  settings: Settings;
  warehouse?: Warehouse;
}): MetaCampaigns {
  const { ctx, currencyOf } = metaWriteContext(graph, settings);

  async function readLive({ accountId, metaCampaignId }: CampaignRef): Promise<LiveState> {
    const currency = await currencyOf(accountId);
    const campaign = await metaCall(ctx(`reading campaign ${metaCampaignId}`), () =>
      graph().campaign(metaCampaignId).read(['id', 'status', 'daily_budget', 'lifetime_budget', 'account_id']),
    );
    const data = campaign.exportAllData() as { status?: string; daily_budget?: string; account_id?: string };
    if (data.account_id && `act_${data.account_id}` !== accountId)
      throw notOf({ accountId, metaCampaignId }, `act_${data.account_id}`);
    return liveState(data, currency);
  }

  async function withLastChange(ref: CampaignRef, live: LiveState): Promise<LiveCampaign> {
    const seen = warehouse
      ? await warehouse.one<{ at: string | null }>(sqlFile('meta/last_change'), [ref.metaCampaignId])
      : undefined;
    return {
      dailyBudgetCents: live.dailyBudgetCents,
      status: live.status,
      currency: live.currency,
      lastChangedAt: seen?.at ?? null,
    };
  }

  function target(live: LiveState, action: BudgetAction): { dailyBudgetCents: number | null; status: string } {
    switch (action.kind) {
      case 'set_daily_budget':
        return { dailyBudgetCents: action.toCents, status: live.status };
      case 'pause':
        return { dailyBudgetCents: live.dailyBudgetCents, status: 'PAUSED' };
      case 'resume':
        return { dailyBudgetCents: live.dailyBudgetCents, status: 'ACTIVE' };
      case 'exclude_placement':
        throw ApplicationFailure.nonRetryable(
          'placements are an ad set targeting: this proposal names no ad set',
          'MetaRequestInvalid',
        );
      case 'duplicate':
        // Campaign copies are the rules' own action (services/meta/copy.ts); a proposal copies ad sets only.
        throw ApplicationFailure.nonRetryable(
          'a budget change copies ad sets only: this proposal names no ad set',
          'MetaRequestInvalid',
        );
    }
  }

  return {
    async readCampaign(ref: CampaignRef): Promise<LiveCampaign> {
      return withLastChange(ref, await readLive(ref));
    },

    async readCampaigns(refs: readonly CampaignRef[]): Promise<LiveRead[]> {
      if (refs.length === 0) return [];
      const reads = new Map(
        (
          await readCampaignsBatch(
            graph(),
            settings,
            refs.map((r) => r.metaCampaignId),
          )
        ).map((r) => [r.id, r]),
      );
      // One account read per account, even when it fails (its campaigns share that failure).
      const currencies = new Map<string, Promise<string>>();
      const currency = (accountId: string) =>
        currencies.get(accountId) ?? currencies.set(accountId, currencyOf(accountId)).get(accountId)!;
      const answers: LiveRead[] = [];
      for (const ref of refs) {
        const read = reads.get(ref.metaCampaignId)!;
        try {
          if ('failure' in read) throw read.failure;
          if (read.accountId !== ref.accountId) throw notOf(ref, read.accountId);
          answers.push({
            ref,
            live: await withLastChange(ref, liveState(read.campaign, await currency(ref.accountId))),
          });
        } catch (err) {
          answers.push({ ref, failure: err as Error });
        }
      }
      return answers;
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
        params = budgetWrite
          ? { daily_budget: centsToWire(after.dailyBudgetCents!, live.currency) }
          : { status: after.status };
      } catch (err) {
        throw ApplicationFailure.nonRetryable((err as Error).message, 'MetaBudgetRejected');
      }
      if (dryRun)
        return {
          result: 'dry_run',
          before,
          after,
          detail: `dry run: would POST ${JSON.stringify(params)} to ${ref.metaCampaignId}`,
        };
      const metaResponse = await metaCall(
        ctx(`writing ${JSON.stringify(params)} to campaign ${ref.metaCampaignId}`, budgetWrite),
        () => graph().campaign(ref.metaCampaignId).update([], params) as Promise<unknown>,
      );
      return { result: 'written', before, after, metaResponse };
    },
  };
}
