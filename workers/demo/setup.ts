import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { dataDir } from '../../services/paths';
import type { Config } from '../../lib/config';
import { addDays } from '../../lib/dates';
import { SAMPLE_OWNERS, sampleCampaigns, sampleReportLines, type SampleOptions } from '../../lib/sample/strategis';
import { withLocalSecrets } from './secrets';

/** 60 days of sample data ending yesterday, 40 campaigns, the same every time for a given day. */
export function demoSample(asOf: string): SampleOptions {
  return { start: addDays(asOf, -60), end: addDays(asOf, -1), campaigns: 40, seed: 42, pulledOn: asOf };
}

export const demoCampaigns = (asOf: string) => sampleCampaigns(demoSample(asOf));

/**
 * The demo's settings on top of the user's: whatever the user set wins. Secrets the demo needs
 * and nobody set come from data/local-secrets.json (made once, never printed), so `scaleflow dev`
 * honours the links the demo printed; approvers and report recipients default to the example
 * addresses, so every email lands in the outbox with a name on it.
 */
export function demoConfig(base: Config): { config: Config; notes: string[] } {
  const { config: keyed, notes } = withLocalSecrets(base);
  const config = { ...keyed };
  if (!existsSync(config.APPROVERS_FILE)) {
    notes.push(`${config.APPROVERS_FILE} does not exist: approvers come from data/approvers.example.json`);
    config.APPROVERS_FILE = join(dataDir, 'approvers.example.json');
  }
  if (config.REPORT_RECIPIENTS.length === 0) {
    config.REPORT_RECIPIENTS = SAMPLE_OWNERS.map((owner) => ({ owner, to: `${owner}@example.com` }));
  }
  if (config.REPORT_TEAM_RECIPIENTS.length === 0) config.REPORT_TEAM_RECIPIENTS = ['team-lead@example.com'];
  return { config, notes };
}

/** Drops the sample report into the inbox, where the daily pipeline picks it up like a manual upload. */
export async function seedInbox(config: Config, asOf: string): Promise<string> {
  mkdirSync(config.INBOX_DIR, { recursive: true });
  const file = join(config.INBOX_DIR, `strategis-sample-${asOf}.csv`);
  const stream = createWriteStream(file);
  for (const line of sampleReportLines(demoSample(asOf))) {
    if (!stream.write(`${line}\n`)) await once(stream, 'drain');
  }
  stream.end();
  await once(stream, 'finish');
  return file;
}
