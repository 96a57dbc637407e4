import type { BudgetAction } from '../../lib/approvals/proposal';
import type { MarketBudget } from '../../lib/backtest/protocol';
import { centsToString } from '../../lib/money';
import type { DaySetting } from '../../lib/simulator';
import type { BudgetWriteResult, CampaignRef, LiveCampaign, LiveRead, MetaCampaigns } from '../../lib/meta/port';
import type { CampaignInfo, MarketView } from './context';

interface State {
  dailyBudgetCents: number;
  status: 'ACTIVE' | 'PAUSED';
  lastChangedAtMs: number | null;
}

/** Meta keeps an ad set in its learning phase this long after it launches or its budget or status changes. */
export const LEARNING_MS = 3 * 86_400_000;

type Write = Omit<BudgetWriteResult, 'changeDate'>;

/**
 * The simulated Meta account behind the backtest: the same port the approval flow and the daily
 * pipeline use for Meta (read a campaign, apply an action), over in-memory budgets and statuses
 * that the market then delivers against. `now` is the simulated clock, never the wall clock.
 *
 * A campaign whose budget lives on its ad sets reads as their sum over the active ones; a
 * campaign-level budget change to it (scaleflow at `--level campaign`) is carried out as a buyer
 * would, moving every active ad set's budget by the same ratio, and a pause or resume acts on the
 * campaign. An ad-set proposal changes that ad set only; a `duplicate` is refused (throws).
 */
export class SimulatedMeta implements MetaCampaigns {
  private readonly states: State[];
  private readonly adsetStates: (State[] | null)[];
  private readonly byMetaId = new Map<string, number>();
  now = 0;

  private readonly specs: CampaignInfo[] = [];

  constructor(private readonly market: MarketView) {
    this.states = [];
    this.adsetStates = [];
    for (const spec of market.specs) this.add(spec);
  }

  /** A campaign the market announced (in setup or as a launch), at its buyer's budget. */
  add(spec: CampaignInfo): void {
    if (this.byMetaId.has(spec.meta_campaign_id))
      throw new Error(`the market announced Meta campaign ${spec.meta_campaign_id} twice`);
    const fresh = (dailyBudgetCents: number): State => ({ dailyBudgetCents, status: 'ACTIVE', lastChangedAtMs: null });
    this.byMetaId.set(spec.meta_campaign_id, this.states.length);
    this.specs.push(spec);
    this.states.push({ ...fresh(spec.initialBudgetCents), status: spec.initialStatus ?? 'ACTIVE' });
    this.adsetStates.push(spec.adsets?.map((a) => fresh(a.initialBudgetCents)) ?? null);
  }

  /** Which campaign (its index in the order announced) a Meta campaign id is, if announced. */
  indexOfMetaId(metaCampaignId: string): number | undefined {
    return this.byMetaId.get(metaCampaignId);
  }

  /** What is in force on a day, as the protocol's `day` request carries it. */
  budgets(): MarketBudget[] {
    return this.specs.map((spec, c) => {
      const s = this.state(c);
      return {
        meta_campaign_id: spec.meta_campaign_id,
        daily_budget: centsToString(s.dailyBudgetCents),
        status: s.status,
      };
    });
  }

  private indexOf(ref: Pick<CampaignRef, 'metaCampaignId'>): number {
    const i = this.byMetaId.get(ref.metaCampaignId);
    if (i === undefined) throw new Error(`no simulated Meta campaign ${ref.metaCampaignId}`);
    return i;
  }

  /** The campaign's live state; for an ad-set campaign its budget is the sum of its active ad sets'. */
  state(campaign: number): Readonly<State> {
    const s = this.states[campaign]!;
    const adsets = this.adsetStates[campaign];
    if (!adsets) return s;
    const active = adsets.filter((a) => a.status === 'ACTIVE');
    const changes = [s.lastChangedAtMs, ...adsets.map((a) => a.lastChangedAtMs)].filter((t) => t !== null);
    return {
      dailyBudgetCents: active.reduce((sum, a) => sum + a.dailyBudgetCents, 0),
      status: s.status,
      lastChangedAtMs: changes.length ? Math.max(...changes) : null,
    };
  }

  /** Ad set `adset` (its index in the campaign's spec) of an ad-set campaign. */
  adsetState(campaign: number, adset: number): Readonly<State> {
    const s = this.adsetStates[campaign]?.[adset];
    if (!s) throw new Error(`simulated campaign ${campaign} has no ad set ${adset}`);
    return s;
  }

  /** Meta's `learning_stage_info.status` of an ad set at `atMs`: LEARNING soon after its launch or last change. */
  learningStatus(campaign: number, adset: number, atMs: number): 'LEARNING' | 'SUCCESS' {
    const changed = this.adsetState(campaign, adset).lastChangedAtMs;
    const launchDay = this.specs[campaign]!.launchDay ?? -Infinity;
    const launched = Date.parse(`${this.market.start}T00:00:00Z`) + launchDay * 86_400_000;
    const since = Math.max(launched, changed ?? -Infinity);
    return atMs - since < LEARNING_MS ? 'LEARNING' : 'SUCCESS';
  }

  settings(): DaySetting[] {
    return this.states.map((s, c) => ({
      budgetCents: this.state(c).dailyBudgetCents,
      active: s.status === 'ACTIVE',
      ...(this.adsetStates[c] && {
        adsets: this.adsetStates[c].map((a) => ({ budgetCents: a.dailyBudgetCents, active: a.status === 'ACTIVE' })),
      }),
    }));
  }

  async readCampaign(ref: CampaignRef): Promise<LiveCampaign> {
    const s = this.state(this.indexOf(ref));
    return {
      dailyBudgetCents: s.dailyBudgetCents,
      status: s.status,
      lastChangedAt: s.lastChangedAtMs === null ? null : new Date(s.lastChangedAtMs).toISOString(),
    };
  }

  async readCampaigns(refs: readonly CampaignRef[]): Promise<LiveRead[]> {
    return Promise.all(refs.map(async (ref) => ({ ref, live: await this.readCampaign(ref) })));
  }

  async applyAction(input: CampaignRef & { action: BudgetAction; dryRun: boolean }): Promise<Write> {
    return this.apply(this.indexOf(input), input.action);
  }

  /** Reads first and changes only what differs, like the real write. */
  apply(campaign: number, action: BudgetAction): Write {
    const adsets = this.adsetStates[campaign];
    if (!adsets || action.kind !== 'set_daily_budget') return this.write(this.states[campaign]!, action);
    const before = this.state(campaign);
    const active = adsets.filter((a) => a.status === 'ACTIVE');
    const ratio = action.toCents / Math.max(1, before.dailyBudgetCents);
    for (const a of active) {
      this.write(a, { ...action, toCents: Math.max(100, Math.round(a.dailyBudgetCents * ratio)) });
    }
    const after = this.state(campaign);
    const changed = after.dailyBudgetCents !== before.dailyBudgetCents;
    return {
      result: changed ? 'written' : 'unchanged',
      before: { dailyBudgetCents: before.dailyBudgetCents, status: before.status },
      after: { dailyBudgetCents: after.dailyBudgetCents, status: after.status },
    };
  }

  /** An ad-set proposal: changes ad set `adset` of the campaign and nothing else. */
  applyToAdset(campaign: number, adset: number, action: BudgetAction): Write {
    const s = this.adsetStates[campaign]?.[adset];
    if (!s) throw new Error(`simulated campaign ${campaign} has no ad set ${adset}`);
    return this.write(s, action);
  }

  private write(s: State, action: BudgetAction): Write {
    // A copy would be a new ad set the market has no curve for: refused, never read as a resume.
    if (action.kind === 'duplicate')
      throw new Error('the simulated Meta makes no copies: a duplicate proposal cannot be backtested');
    const before = { dailyBudgetCents: s.dailyBudgetCents, status: s.status };
    if (action.kind === 'set_daily_budget') s.dailyBudgetCents = action.toCents;
    else s.status = action.kind === 'pause' ? 'PAUSED' : 'ACTIVE';
    const after = { dailyBudgetCents: s.dailyBudgetCents, status: s.status };
    const changed = before.dailyBudgetCents !== after.dailyBudgetCents || before.status !== after.status;
    if (changed) s.lastChangedAtMs = this.now;
    return { result: changed ? 'written' : 'unchanged', before, after };
  }
}
