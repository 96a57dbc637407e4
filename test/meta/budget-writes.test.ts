import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metaCampaignsFromConfig } from '../../activities/meta';
import type { MetaCampaigns } from '../../lib/meta/port';
import { Warehouse } from '../../services/warehouse/warehouse';
import { faults, on } from '../../workers/meta-sandbox/faults';
import type { MetaSandbox } from '../../workers/meta-sandbox/server';
import { failureOf, metaConfig, sandboxAt } from './harness';

/** The approval flow's Meta port over the SDK, against the sandbox over HTTP. */
describe('budget and status writes to Meta', () => {
  let sandbox: MetaSandbox;
  let clock: { ms: number };
  let warehouse: Warehouse;
  let port: MetaCampaigns;
  const usd = { accountId: 'act_1001', metaCampaignId: '501' };
  const setBudget = (fromCents: number, toCents: number, dryRun = false, ref = usd) =>
    port.applyAction({ ...ref, action: { kind: 'set_daily_budget', fromCents, toCents }, dryRun });
  const posts = () => sandbox.log.filter((r) => r.method === 'POST');

  beforeEach(async () => {
    ({ sandbox, clock } = await sandboxAt('2025-10-12T15:00:00Z'));
    sandbox.state.addAccount('act_1001', { currency: 'USD' });
    sandbox.state.addAccount('act_2002', { currency: 'JPY' });
    sandbox.state.addCampaign('act_1001', { dailyBudget: 1234 }, '501');
    sandbox.state.addCampaign('act_1001', { cbo: false, dailyBudget: 4000 }, '502');
    sandbox.state.addCampaign('act_2002', { dailyBudget: 1234 }, '601');
    warehouse = await Warehouse.open(':memory:');
    port = metaCampaignsFromConfig(metaConfig(sandbox, ['act_1001', 'act_2002']), warehouse)!;
  });
  afterEach(async () => {
    warehouse.close();
    await sandbox.close();
  });

  it('reads the live budget in cents: "1234" is 1234 cents in USD and 123400 "cents" (¥1234) in JPY', async () => {
    // The account's currency comes back with the budget: the approval page names it beside the money.
    expect(await port.readCampaign(usd)).toEqual({
      dailyBudgetCents: 1234,
      status: 'ACTIVE',
      lastChangedAt: null,
      currency: 'USD',
    });
    expect(await port.readCampaign({ accountId: 'act_2002', metaCampaignId: '601' })).toMatchObject({
      dailyBudgetCents: 123_400,
      currency: 'JPY',
    });
  });

  it('writes $12.34 -> $20.00 as "2000" and keeps Meta\'s answer verbatim', async () => {
    const write = await setBudget(1234, 2000);
    expect(write).toEqual({
      result: 'written',
      before: { dailyBudgetCents: 1234, status: 'ACTIVE' },
      after: { dailyBudgetCents: 2000, status: 'ACTIVE' },
      metaResponse: { success: true },
    });
    expect(posts().map((r) => [r.path, r.body.daily_budget])).toEqual([['/501', '2000']]);
    expect(sandbox.state.campaign('501')!.dailyBudget).toBe(2000);
  });

  it('writes ¥1500 in JPY as "1500" (factor 1), and refuses an amount yen cannot express', async () => {
    await setBudget(123_400, 150_000, false, { accountId: 'act_2002', metaCampaignId: '601' });
    expect(posts().map((r) => r.body.daily_budget)).toEqual(['1500']);
    const failure = await failureOf(
      setBudget(150_000, 150_050, false, { accountId: 'act_2002', metaCampaignId: '601' }),
    );
    expect(failure).toMatchObject({ type: 'MetaBudgetRejected', nonRetryable: true });
    expect(posts()).toHaveLength(1);
  });

  it('does nothing when Meta already shows the target (a retried write never doubles a change)', async () => {
    await setBudget(1000, 1234).then((w) => expect(w.result).toBe('unchanged'));
    expect(posts()).toHaveLength(0);
  });

  it('records a dry run without writing', async () => {
    const write = await setBudget(1234, 2000, true);
    expect(write).toMatchObject({ result: 'dry_run', after: { dailyBudgetCents: 2000 } });
    expect(write.detail).toContain('"daily_budget":"2000"');
    expect(posts()).toHaveLength(0);
  });

  it('pauses and resumes by status', async () => {
    expect((await port.applyAction({ ...usd, action: { kind: 'pause' }, dryRun: false })).result).toBe('written');
    expect(sandbox.state.campaign('501')!.status).toBe('PAUSED');
    expect((await port.applyAction({ ...usd, action: { kind: 'pause' }, dryRun: false })).result).toBe('unchanged');
    expect(posts().map((r) => r.body.status)).toEqual(['PAUSED']);
  });

  it("a budget Meta finds too low is MetaBudgetRejected with Meta's own words", async () => {
    sandbox.faults.add(on.post(/^\/501$/), faults.budgetTooLow());
    const failure = await failureOf(setBudget(1234, 2000));
    expect(failure).toMatchObject({ type: 'MetaBudgetRejected', nonRetryable: true });
    expect(failure.message).toContain('Your budget is too low');
    // And the sandbox's own rule: below 100 minor units.
    const own = await failureOf(setBudget(1234, 99));
    expect(own.type).toBe('MetaBudgetRejected');
  });

  it('the fifth budget change within an hour is refused (code 17) as MetaBudgetRejected; an hour later it goes through', async () => {
    for (const cents of [1300, 1400, 1500, 1600]) expect((await setBudget(0, cents)).result).toBe('written');
    const failure = await failureOf(setBudget(1600, 1700));
    expect(failure).toMatchObject({ type: 'MetaBudgetRejected', nonRetryable: true });
    expect(failure.message).toContain('code 17');
    clock.ms += 3_600_001;
    expect((await setBudget(1600, 1700)).result).toBe('written');
  });

  it('refuses a budget on a campaign whose budgets live on its ad sets (no CBO) before asking Meta', async () => {
    const failure = await failureOf(setBudget(4000, 5000, false, { accountId: 'act_1001', metaCampaignId: '502' }));
    expect(failure).toMatchObject({ type: 'MetaBudgetRejected', nonRetryable: true });
    expect(posts()).toHaveLength(0);
  });

  it('an expired token on a write is MetaAuthError (final); a rate limit on a status write waits as told', async () => {
    sandbox.faults.add(on.post(/^\/501$/), faults.expiredToken());
    expect((await failureOf(setBudget(1234, 2000))).type).toBe('MetaAuthError');
    sandbox.faults.add(on.post(/^\/501$/), faults.rateLimit(613, 4));
    const limited = await failureOf(port.applyAction({ ...usd, action: { kind: 'pause' }, dryRun: false }));
    expect(limited.type).toBe('MetaRateLimited');
  });
});
