import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metaCampaignsFromConfig } from '../../activities/meta';
import { Warehouse } from '../../services/warehouse/warehouse';
import { ConfigError } from '../../lib/config';
import { loadSandboxState, openSandboxState, saveSandboxState } from '../../workers/meta-sandbox/persist';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { SandboxState } from '../../workers/meta-sandbox/state';
import { metaConfig } from './harness';

/** The local sandbox (`scaleflow dev`, the demo) keeps what Meta holds in a file between runs. */
describe('the Graph API sandbox kept in a file', () => {
  let dir: string;
  let file: string;
  const open: MetaSandbox[] = [];
  let warehouse: Warehouse;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scaleflow-sandbox-'));
    file = join(dir, 'data', 'meta-sandbox.json');
    warehouse = await Warehouse.open(':memory:');
  });
  afterEach(async () => {
    for (const sandbox of open.splice(0)) await sandbox.close();
    warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const seed = () => {
    const state = new SandboxState();
    state.addAccount('act_1001', { currency: 'USD' });
    state.addCampaign('act_1001', { name: 'Winners', dailyBudget: 1234 }, '501');
    state.addCampaign('act_1001', { name: 'Outside CBO', cbo: false, dailyBudget: 4000 }, '502');
    return state;
  };
  /** A sandbox over `file` as local-stack starts it, and the approval flow's Meta port (the real SDK) on it. */
  async function start(makeSeed: () => SandboxState = seed) {
    const sandbox = await startMetaSandbox({ state: openSandboxState(file, makeSeed), persistTo: file });
    open.push(sandbox);
    return { sandbox, port: metaCampaignsFromConfig(metaConfig(sandbox, ['act_1001']), warehouse)! };
  }
  const ref = { accountId: 'act_1001', metaCampaignId: '501' };

  it('still holds a budget written through the SDK after a restart, and saves it before answering', async () => {
    const first = await start();
    const write = await first.port.applyAction({
      ...ref,
      action: { kind: 'set_daily_budget', fromCents: 1234, toCents: 2000 },
      dryRun: false,
    });
    expect(write.result).toBe('written');
    // On disk already, with the sandbox still running: a crash after the answer loses nothing.
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { campaigns: { id: string; dailyBudget: number | null }[] };
    expect(saved.campaigns.find((c) => c.id === '501')?.dailyBudget).toBe(2000);
    await first.sandbox.close();
    open.splice(0);

    // The seed is not consulted when the file exists.
    const second = await start(() => {
      throw new Error('the sandbox was seeded again instead of read from its file');
    });
    expect(await second.port.readCampaign(ref)).toMatchObject({ dailyBudgetCents: 2000, status: 'ACTIVE' });
    // Untouched campaigns, ad sets and the ids a new campaign gets come back too.
    expect(second.sandbox.state.campaign('502')!.adsets[0]!.dailyBudget).toBe(4000);
    expect(second.sandbox.state.addCampaign('act_1001').id).toBe(seed().addCampaign('act_1001').id);
  });

  it("begins a new day's delivery when loaded on a later day, and keeps today's on the same day", () => {
    let now = Date.parse('2025-10-12T15:00:00Z');
    const state = new SandboxState(() => now);
    state.addAccount('act_1001', { timezone: 'America/New_York' });
    for (const [id, status] of [
      ['501', 'ACTIVE'],
      ['502', 'ACTIVE'],
      ['503', 'PAUSED'],
    ] as const) {
      state.addCampaign(
        'act_1001',
        { dailyBudget: 10_000, status, spendMinor: 7000, impressions: 70_000, clicks: 70 },
        id,
      );
    }
    saveSandboxState(file, state);

    now = Date.parse('2025-10-12T23:00:00Z'); // 19:00 in New York, the same day
    expect(
      loadSandboxState(file, () => now)
        .campaigns()
        .map((c) => c.spendMinor),
    ).toEqual([7000, 7000, 7000]);

    // 16:00Z on the 13th is 12:00 in New York (EDT, UTC-4): half the day gone.
    // Paces by position are 1, 0.6, 1.4: 501 spends 10000 * 0.5 * 1 = 5000 cents, 502
    // 10000 * 0.5 * 0.6 = 3000; 503 is paused and spends nothing. Impressions are 10 per cent, a
    // click per dollar (the sample's rates): 50000 and 50 for 501.
    now = Date.parse('2025-10-13T16:00:00Z');
    const later = loadSandboxState(file, () => now);
    expect(later.campaigns().map((c) => c.spendMinor)).toEqual([5000, 3000, 0]);
    expect(later.campaign('501')).toMatchObject({ impressions: 50_000, clicks: 50, dailyBudget: 10_000 });
  });

  it('stops naming the file and the field when the file is damaged, and leaves it as it was', () => {
    mkdirSync(dirname(file), { recursive: true });
    const damaged = '{"nextId": 1, "accounts": [], "campaigns": [{"id": "501"}], "savedAt": 0}';
    writeFileSync(file, damaged);
    let thrown: unknown;
    try {
      openSandboxState(file, seed);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toContain(`${file}: campaigns.0.accountId`);
    expect(readFileSync(file, 'utf8')).toBe(damaged);

    writeFileSync(file, 'not json');
    expect(() => openSandboxState(file, seed)).toThrow(`${file} is not JSON`);
  });
});
