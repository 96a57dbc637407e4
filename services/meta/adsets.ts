import { ApplicationFailure } from '@temporalio/activity';
import type { BudgetAction } from '../../lib/approvals/proposal';
import type { Config } from '../../lib/config';
import { centsToWire, wireToCents } from '../../lib/meta/currency';
import type { AdsetRef, BudgetWriteResult, LiveCampaign, MetaAdsets } from '../../lib/meta/port';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import { withoutPlacements, type Placement } from '../../lib/meta/placements';
import { metaCall } from './failures';
import type { MetaGraph } from './graph';
import { metaWriteContext } from './write-context';

/**
 * The approval flow's view of one ad set over the SDK's AdSet (lib/meta/port.ts MetaAdsets):
 * budgets in cents of the account currency's major unit, Meta's minor-unit strings only here.
 */
type Settings = Pick<Config, 'META_REQUEST_TIMEOUT' | 'META_RATE_LIMIT_MIN_WAIT' | 'META_PAGE_SIZE'>;

interface AdsetData {
  name?: string;
  status?: string;
  daily_budget?: string;
  campaign_id?: string;
  targeting?: Record<string, unknown>;
}

type Write = Omit<BudgetWriteResult, 'changeDate'>;

export function createMetaAdsets({
  graph,
  settings,
  warehouse,
}: {
  graph: () => MetaGraph;
  settings: Settings;
  warehouse?: Warehouse;
}): MetaAdsets {
  const { ctx, currencyOf } = metaWriteContext(graph, settings);

  async function read(ref: AdsetRef): Promise<AdsetData & { currency: string }> {
    const currency = await currencyOf(ref.accountId);
    const adset = await metaCall(ctx(`reading ad set ${ref.adsetId}`), () =>
      graph().adset(ref.adsetId).read(['id', 'name', 'status', 'daily_budget', 'campaign_id', 'targeting']),
    );
    const data = adset.exportAllData() as AdsetData;
    // The proposal names both: a write to an ad set of another campaign would be a wrong write, not a retry.
    if (data.campaign_id && data.campaign_id !== ref.metaCampaignId)
      throw ApplicationFailure.nonRetryable(
        `ad set ${ref.adsetId} belongs to campaign ${data.campaign_id}, not ${ref.metaCampaignId}`,
        'MetaRequestInvalid',
      );
    return { ...data, currency };
  }

  const budgetOf = (data: AdsetData & { currency: string }) =>
    data.daily_budget && data.daily_budget !== '0' ? wireToCents(data.daily_budget, data.currency) : null;

  async function lastChangedAt(adsetId: string): Promise<string | null> {
    if (!warehouse) return null;
    const seen = await warehouse.one<{ at: string | null }>(sqlFile('approvals/adset_meta_last_change'), [adsetId]);
    return seen?.at ?? null;
  }

  /** The copy an earlier attempt made, found by its name under the campaign. */
  async function existingCopy(ref: AdsetRef, name: string): Promise<string | undefined> {
    const cursor = (await metaCall(
      ctx(`listing the ad sets of campaign ${ref.metaCampaignId}`),
      () =>
        graph()
          .campaign(ref.metaCampaignId)
          .getAdSets(['id', 'name'], { limit: settings.META_PAGE_SIZE }) as Promise<unknown>,
    )) as Array<{ exportAllData(): { id?: string; name?: string } }>;
    return cursor.map((a) => a.exportAllData()).find((a) => a.name === name)?.id;
  }

  async function duplicate(ref: AdsetRef, data: AdsetData, copySuffix: string, dryRun: boolean): Promise<Write> {
    const state = { dailyBudgetCents: null, status: data.status ?? 'UNKNOWN' };
    const before = state;
    const after = { ...state, status: 'PAUSED' };
    const copyName = `${data.name ?? ref.adsetId}${copySuffix}`;
    const earlier = await existingCopy(ref, copyName);
    if (earlier)
      return {
        result: 'unchanged',
        before,
        after,
        adsetId: ref.adsetId,
        copiedAdsetId: earlier,
        detail: `Meta already has the copy ${earlier} (${copyName})`,
      };
    const params = {
      status_option: 'PAUSED',
      deep_copy: true,
      rename_options: JSON.stringify({ rename_strategy: 'DEEP_RENAME', rename_suffix: copySuffix }),
    };
    if (dryRun)
      return {
        result: 'dry_run',
        before,
        after,
        adsetId: ref.adsetId,
        detail: `dry run: would POST ${JSON.stringify(params)} to ${ref.adsetId}/copies`,
      };
    const copy = await metaCall(ctx(`copying ad set ${ref.adsetId}`), () =>
      graph().adset(ref.adsetId).createCopy([], params),
    );
    const answer = copy.exportAllData() as { copied_adset_id?: string };
    if (!answer.copied_adset_id)
      throw ApplicationFailure.nonRetryable(`Meta's copy of ad set ${ref.adsetId} returned no copied_adset_id`);
    return {
      result: 'written',
      before,
      after,
      adsetId: ref.adsetId,
      copiedAdsetId: answer.copied_adset_id,
      metaResponse: answer,
    };
  }

  /**
   * Placements left out of the ad set's targeting, read from Meta just before: a retry (or a
   * second approval) finds them out already and sends nothing.
   */
  async function excludePlacements(
    ref: AdsetRef,
    data: AdsetData & { currency: string },
    placements: Placement[],
    dryRun: boolean,
  ): Promise<Write> {
    const state = { dailyBudgetCents: budgetOf(data), status: data.status ?? 'UNKNOWN' };
    const before = data.targeting ?? {};
    const after = withoutPlacements(before, placements);
    const base = { before: state, after: state, adsetId: ref.adsetId };
    if (after === null)
      return {
        ...base,
        result: 'unchanged',
        targeting: { before, after: before },
        detail: 'Meta already shows these placements left out',
      };
    const params = { targeting: JSON.stringify(after) };
    if (dryRun)
      return {
        ...base,
        result: 'dry_run',
        targeting: { before, after },
        detail: `dry run: would POST ${JSON.stringify(params)} to ad set ${ref.adsetId}`,
      };
    const metaResponse = await metaCall(ctx(`writing the targeting of ad set ${ref.adsetId}`), () =>
      graph().adset(ref.adsetId).update([], params),
    );
    return { ...base, result: 'written', targeting: { before, after }, metaResponse };
  }

  function target(live: LiveCampaign, action: Exclude<BudgetAction, { kind: 'duplicate' | 'exclude_placement' }>) {
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
    async readAdset(ref) {
      const data = await read(ref);
      return {
        dailyBudgetCents: budgetOf(data),
        status: data.status ?? 'UNKNOWN',
        currency: data.currency,
        lastChangedAt: await lastChangedAt(ref.adsetId),
      };
    },

    async applyAdsetAction({ action, dryRun, copySuffix, ...ref }) {
      const data = await read(ref);
      if (action.kind === 'duplicate') return duplicate(ref, data, copySuffix, dryRun);
      if (action.kind === 'exclude_placement') return excludePlacements(ref, data, action.placements, dryRun);
      const live = { dailyBudgetCents: budgetOf(data), status: data.status ?? 'UNKNOWN' };
      const before = { ...live };
      const after = target(live, action);
      if (after.dailyBudgetCents === before.dailyBudgetCents && after.status === before.status)
        return {
          result: 'unchanged',
          before,
          after,
          adsetId: ref.adsetId,
          detail: 'Meta already shows the target value',
        };
      const budgetWrite = action.kind === 'set_daily_budget';
      if (budgetWrite && live.dailyBudgetCents === null)
        throw ApplicationFailure.nonRetryable(
          `ad set ${ref.adsetId} has no daily budget (its campaign holds the budget, CBO): set the campaign's`,
          'MetaBudgetRejected',
        );
      let params: Record<string, string>;
      try {
        params = budgetWrite
          ? { daily_budget: centsToWire(after.dailyBudgetCents!, data.currency) }
          : { status: after.status };
      } catch (err) {
        throw ApplicationFailure.nonRetryable((err as Error).message, 'MetaBudgetRejected');
      }
      if (dryRun)
        return {
          result: 'dry_run',
          before,
          after,
          adsetId: ref.adsetId,
          detail: `dry run: would POST ${JSON.stringify(params)} to ad set ${ref.adsetId}`,
        };
      const metaResponse = await metaCall(
        ctx(`writing ${JSON.stringify(params)} to ad set ${ref.adsetId}`, budgetWrite),
        () => graph().adset(ref.adsetId).update([], params) as Promise<unknown>,
      );
      return { result: 'written', before, after, adsetId: ref.adsetId, metaResponse };
    },
  };
}
