import { readFileSync } from 'node:fs';
import { thresholdsConfigSchema, type ThresholdsConfig } from '../../lib/decisions';

/**
 * The decision thresholds: METRICS.md defaults, overridden globally and per owner by
 * THRESHOLDS_FILE (JSON `{ "global": {...}, "owners": { "ben": {...} } }`) when set.
 */
export function loadThresholds(path: string | undefined): ThresholdsConfig {
  if (!path) return thresholdsConfigSchema.parse(undefined);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`THRESHOLDS_FILE=${path} cannot be read as JSON: ${(err as Error).message}`);
  }
  const parsed = thresholdsConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`THRESHOLDS_FILE ${path}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}
