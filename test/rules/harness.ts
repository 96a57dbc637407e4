import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { Warehouse } from '../../services/warehouse/warehouse';
import { addDays } from '../../lib/dates';

export const AS_OF = '2025-10-13';
export const YESTERDAY = '2025-10-12';

export interface SeedCampaign {
  id: string;
  owner: string;
  /** [spend, revenue] in dollars, oldest first; the last is yesterday. */
  days: Array<[number, number]>;
  meta?: { id: string; dailyBudget: number; status?: string };
}

/**
 * A warehouse as the ingest and the Meta sync leave it: strateg.is facts, the campaign map, and
 * one finished hourly snapshot of Meta on as_of.
 */
export async function seedWarehouse(path: string, campaigns: SeedCampaign[]): Promise<void> {
  const w = await Warehouse.open(path);
  try {
    for (const c of campaigns) {
      for (const [i, [spend, revenue]] of c.days.entries()) {
        const date = addDays(YESTERDAY, i - (c.days.length - 1));
        await w.run(
          `INSERT INTO campaign_daily_facts (date, campaign_id, campaign_name, owner, category, spend, revenue, clicks, conversions, impressions, batch_id)
           VALUES ($1::DATE, $2, $3, $4, 'Dental', $5::DECIMAL(18,2), $6::DECIMAL(18,2), 10, 1, 1000, 'seed')`,
          [date, c.id, `Campaign ${c.id}`, c.owner, spend.toFixed(2), revenue.toFixed(2)],
        );
      }
      if (c.meta) {
        await w.run(
          `INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, category, account_id) VALUES ($1, $2, $3, 'Dental', 'act_1001')`,
          [c.id, c.meta.id, c.owner],
        );
        await w.run(
          `INSERT INTO meta_campaign_snapshots (snapshot_hour, account_id, meta_campaign_id, name, status, currency, daily_budget, is_cbo, report_date, spend)
           VALUES ('2025-10-13T14:00:00Z', 'act_1001', $1, $2, $3, 'USD', $4::DECIMAL(18,2), true, '2025-10-13', 10)`,
          [c.meta.id, `Campaign ${c.id}`, c.meta.status ?? 'ACTIVE', c.meta.dailyBudget.toFixed(2)],
        );
      }
    }
    await w.run(
      `INSERT INTO meta_sync_runs (snapshot_hour, finished_at, accounts, campaigns) VALUES ('2025-10-13T14:00:00Z', '2025-10-13T14:05:00Z', 1, $1)`,
      [campaigns.length],
    );
  } finally {
    w.close();
  }
}

/** A rules folder of the given files (name -> YAML text). */
export function rulesDir(files: Record<string, string>): string {
  const dir = join(inject('scratchDir'), `rules-${Math.random().toString(36).slice(2, 10)}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
