import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Config } from '../../lib/config';
import { NotAStrategisReportError } from '../../lib/strategis/columns';
import type { IngestRequest, IngestResult } from '../../lib/strategis/ingest';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { seedCampaignMap } from '../../services/strategis/campaign-map';
import { fetchStrategisReport, type PulledReport } from '../../services/strategis/fetch';
import { loadInbox, type InboxFile } from '../../services/strategis/inbox';
import { loadStrategisFile } from '../../services/strategis/load';

function heartbeat(detail: string): void {
  try {
    Context.current().heartbeat(detail);
  } catch {
    // called outside an activity (the CLI): nothing to report to
  }
}

/** The detail of a timer heartbeat, as opposed to a step's. */
export const STILL_LOADING = 'loading';

/**
 * Heartbeats every few seconds while a load runs, whatever step it is in (one DuckDB statement of
 * a large file can outlast the steps' own heartbeats): the workflow's short heartbeat timeout then
 * tells a dead warehouse worker from a slow load.
 */
export async function beating<T>(work: () => Promise<T>, everyMs = 5_000): Promise<T> {
  const timer = setInterval(() => heartbeat(STILL_LOADING), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** A file that is not a report will not become one on retry. */
function notRetryable(err: unknown): never {
  if (err instanceof NotAStrategisReportError)
    throw ApplicationFailure.nonRetryable(err.message, 'NotAStrategisReport');
  throw err;
}

/** The strateg.is pull (stateless HTTP) and the loads into the warehouse this worker owns. */
export function createStrategisActivities({ config, warehouse }: { config: Config; warehouse: Warehouse }) {
  const archiveDir = config.ARCHIVE_DIR;
  return {
    async fetchStrategisReport({ asOf }: { asOf: string }): Promise<PulledReport | null> {
      return fetchStrategisReport(config, join(archiveDir, 'downloads'), asOf);
    },
    async loadStrategisFile(request: IngestRequest): Promise<IngestResult> {
      return beating(async () => {
        await seedCampaignMap(warehouse, config.CAMPAIGN_MAP_FILE);
        return loadStrategisFile(warehouse, request, { archiveDir, progress: heartbeat }).catch(notRetryable);
      });
    },
    async loadStrategisInbox({ asOf }: { asOf: string }): Promise<InboxFile[]> {
      return beating(async () => {
        await seedCampaignMap(warehouse, config.CAMPAIGN_MAP_FILE);
        return loadInbox(warehouse, config.INBOX_DIR, asOf, { archiveDir, onFile: heartbeat, progress: heartbeat });
      });
    },
  };
}
