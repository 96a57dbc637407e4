import type { ThresholdsConfig } from '../../lib/decisions';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import { loadThresholds } from './thresholds-file';

/** A calibration field an approver can change for one owner (lib/calibration.ts proposes only these). */
export type OwnerThresholdField = 'scale_roas';

/**
 * THRESHOLDS_FILE with the per-owner overrides approvers accepted (owner_thresholds) laid on top:
 * an approved change wins over the file for that owner and field, and nothing else moves.
 */
export async function thresholdsWithOverrides(
  warehouse: Warehouse,
  file: string | undefined,
): Promise<ThresholdsConfig> {
  const config = loadThresholds(file);
  const rows = await warehouse.all<{ owner: string; field: string; value: number }>(
    sqlFile('thresholds/owner_thresholds'),
  );
  if (rows.length === 0) return config;
  const owners = { ...config.owners };
  for (const row of rows) {
    // The file may spell the owner "Ben": thresholds match owners case-insensitively, so extend that entry.
    const key = Object.keys(owners).find((k) => k.trim().toLowerCase() === row.owner) ?? row.owner;
    owners[key] = { ...owners[key], [row.field]: row.value };
  }
  return { ...config, owners };
}

/** Records an approved override; the caller appends the audit row (before and after) beside it. */
export async function writeOwnerThreshold(
  warehouse: Warehouse,
  change: { owner: string; field: OwnerThresholdField; to: number; from: number; workflowId: string; approver: string },
): Promise<void> {
  await warehouse.run(sqlFile('thresholds/upsert_owner_threshold'), [
    change.owner.trim().toLowerCase(),
    change.field,
    change.to,
    change.from,
    change.workflowId,
    change.approver,
  ]);
}

/** `owner/field` of the overrides approved in the 90 days ending asOf. */
export async function recentOwnerThresholds(warehouse: Warehouse, asOf: string): Promise<Set<string>> {
  const rows = await warehouse.all<{ owner: string; field: string }>(sqlFile('thresholds/recent_owner_thresholds'), [
    asOf,
  ]);
  return new Set(rows.map((r) => `${r.owner}/${r.field}`));
}
