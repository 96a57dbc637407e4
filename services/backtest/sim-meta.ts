import type { BudgetAction } from '../../lib/approvals/proposal';
import type { DaySetting, Market } from '../../lib/simulator';
import type { BudgetWriteResult, CampaignRef, LiveCampaign, LiveRead, MetaCampaigns } from '../../lib/meta/port';

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

  constructor(private readonly market: Market) {
    const fresh = (dailyBudgetCents: number): State => ({ dailyBudgetCents, status: 'ACTIVE', lastChangedAtMs: null });
    this.states = market.specs.map((s) => fresh(s.initialBudgetCents));
    this.adsetStates = market.specs.map((s) => s.adsets?.map((a) => fresh(a.initialBudgetCents)) ?? null);
    market.specs.forEach((s, i) => this.byMetaId.set(s.meta_campaign_id, i));
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
    const launched = Date.parse(`${this.market.start}T00:00:00Z`) + this.market.specs[campaign]!.launchDay * 86_400_000;
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
