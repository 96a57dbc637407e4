import type { BudgetAction } from '../../lib/approvals/proposal';
import type { DaySetting, Market } from '../../lib/simulator';
import type { BudgetWriteResult, CampaignRef, LiveCampaign, LiveRead, MetaCampaigns } from '../../lib/meta/port';

interface State {
  dailyBudgetCents: number;
  status: 'ACTIVE' | 'PAUSED';
  lastChangedAtMs: number | null;
}

/**
 * The simulated Meta account behind the backtest: the same port the approval flow and the daily
 * pipeline use for Meta (read a campaign, apply an action), over in-memory budgets and statuses
 * that the market then delivers against. `now` is the simulated clock, never the wall clock.
 */
export class SimulatedMeta implements MetaCampaigns {
  private readonly states: State[];
  private readonly byMetaId = new Map<string, number>();
  now = 0;

  constructor(market: Market) {
    this.states = market.specs.map((s) => ({
      dailyBudgetCents: s.initialBudgetCents,
      status: 'ACTIVE',
      lastChangedAtMs: null,
    }));
    market.specs.forEach((s, i) => this.byMetaId.set(s.meta_campaign_id, i));
  }

  private indexOf(ref: Pick<CampaignRef, 'metaCampaignId'>): number {
    const i = this.byMetaId.get(ref.metaCampaignId);
    if (i === undefined) throw new Error(`no simulated Meta campaign ${ref.metaCampaignId}`);
    return i;
  }

  state(campaign: number): Readonly<State> {
    return this.states[campaign]!;
  }

  settings(): DaySetting[] {
    return this.states.map((s) => ({ budgetCents: s.dailyBudgetCents, active: s.status === 'ACTIVE' }));
  }

  async readCampaign(ref: CampaignRef): Promise<LiveCampaign> {
    const s = this.states[this.indexOf(ref)]!;
    return {
      dailyBudgetCents: s.dailyBudgetCents,
      status: s.status,
      lastChangedAt: s.lastChangedAtMs === null ? null : new Date(s.lastChangedAtMs).toISOString(),
    };
  }

  async readCampaigns(refs: readonly CampaignRef[]): Promise<LiveRead[]> {
    return Promise.all(refs.map(async (ref) => ({ ref, live: await this.readCampaign(ref) })));
  }

  async applyAction(
    input: CampaignRef & { action: BudgetAction; dryRun: boolean },
  ): Promise<Omit<BudgetWriteResult, 'changeDate'>> {
    return this.apply(this.indexOf(input), input.action);
  }

  /** Reads first and changes only what differs, like the real write. */
  apply(campaign: number, action: BudgetAction): Omit<BudgetWriteResult, 'changeDate'> {
    const s = this.states[campaign]!;
    const before = { dailyBudgetCents: s.dailyBudgetCents, status: s.status };
    if (action.kind === 'set_daily_budget') s.dailyBudgetCents = action.toCents;
    else s.status = action.kind === 'pause' ? 'PAUSED' : 'ACTIVE';
    const after = { dailyBudgetCents: s.dailyBudgetCents, status: s.status };
    const changed = before.dailyBudgetCents !== after.dailyBudgetCents || before.status !== after.status;
    if (changed) s.lastChangedAtMs = this.now;
    return { result: changed ? 'written' : 'unchanged', before, after };
  }
}
