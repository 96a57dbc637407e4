import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setCampaignMapping, seedCampaignMap } from '../../services/strategis/campaign-map';
import { Warehouse } from '../../services/warehouse/warehouse';
import { approverPolicySchema } from '../../lib/approvals/approvers';
import { claimsSchema } from '../../lib/auth';
import { ConfigError, parseConfig } from '../../lib/config';
import { ownersConfigSchema } from '../../lib/rules/owners';

/**
 * "all" means every owner to every filter, so no configuration may name an owner "all" (any case):
 * each place an owner's name comes in refuses it, naming where.
 */
function configProblem(env: Record<string, string>): string {
  try {
    parseConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('owner "all" is reserved everywhere an owner is named', () => {
  it('API token claims: a buyer for "ALL" is not a valid claim set', () => {
    const parsed = claimsSchema.safeParse({ sub: 'mallory@example.com', role: 'buyer', owner: 'ALL' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['owner']);
    expect(claimsSchema.parse({ sub: 'ben@example.com', role: 'buyer', owner: ' Ben ' }).owner).toBe('ben');
  });

  it('REPORT_RECIPIENTS stops start-up naming the variable and the pair', () => {
    const message = configProblem({ REPORT_RECIPIENTS: 'ben=ben@example.com,All=mallory@example.com' });
    expect(message).toContain('REPORT_RECIPIENTS=');
    expect(message).toContain('"All=mallory@example.com": "all" is reserved');
    expect(parseConfig({ REPORT_RECIPIENTS: 'alliance=a@example.com' }).REPORT_RECIPIENTS).toEqual([
      { owner: 'alliance', to: 'a@example.com' },
    ]);
  });

  it('the approvers file refuses an owners entry for "ALL"', () => {
    const parsed = approverPolicySchema.safeParse({
      default: ['lead@example.com'],
      owners: { ALL: ['mallory@example.com'] },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['owners', 'ALL']);
    expect(parsed.error!.issues[0]!.message).toContain('"all" is reserved');
  });

  it('the rules owners.yaml refuses an owner "all"', () => {
    const parsed = ownersConfigSchema.safeParse({ owners: { all: { unattended: { actions: ['pause'] } } } });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toContain('"all" is reserved');
  });

  it('CAMPAIGN_MAP_FILE with an owner "ALL" row seeds nothing and says which campaign', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'scaleflow-map-')), 'map.csv');
    writeFileSync(
      file,
      'campaign_id,meta_campaign_id,owner,category,account_id\nc1,111,ben,Solar,act_1\nc2,222,ALL,Solar,act_1\n',
    );
    const warehouse = await Warehouse.open(':memory:');
    try {
      const err = await seedCampaignMap(warehouse, file).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain('CAMPAIGN_MAP_FILE=');
      expect((err as Error).message).toContain('campaign c2: owner "all" is reserved');
      expect(await warehouse.all('SELECT * FROM campaign_map')).toEqual([]);
      await expect(setCampaignMapping(warehouse, { campaign_id: 'c3', owner: 'All' })).rejects.toThrow(
        '"all" is reserved',
      );
      expect(await warehouse.all('SELECT * FROM campaign_map')).toEqual([]);
    } finally {
      warehouse.close();
    }
  });
});

describe('JWT_MAX_TTL and JWT_NOT_BEFORE', () => {
  it('default to 30 days and nothing revoked; a bad value stops start-up naming the variable', () => {
    const config = parseConfig({});
    // 30 d x 24 h x 3600 s x 1000 ms
    expect(config.JWT_MAX_TTL).toBe(2_592_000_000);
    expect(config.JWT_NOT_BEFORE).toBeUndefined();
    expect(parseConfig({ JWT_MAX_TTL: '7d', JWT_NOT_BEFORE: '2025-10-13T09:00:00Z' })).toMatchObject({
      JWT_MAX_TTL: 604_800_000,
      JWT_NOT_BEFORE: new Date(Date.UTC(2025, 9, 13, 9)),
    });
    expect(configProblem({ JWT_MAX_TTL: 'forever' })).toContain('JWT_MAX_TTL="forever": a duration');
    expect(configProblem({ JWT_NOT_BEFORE: 'yesterday' })).toContain('JWT_NOT_BEFORE="yesterday": an ISO timestamp');
  });
});
