import { ApplicationFailure } from '@temporalio/activity';
import type { Config } from '../../lib/config';
import { reportDateOf, type SyncHour } from '../../lib/meta/hour';
import { syncHourSchema } from '../../lib/meta/hour-schema';
import type { SpooledPage, SpoolPageRef } from '../../lib/meta/spool';
import { campaignStateRow, insightsRow } from '../../lib/meta/wire';
import { sqlFile } from '../../services/warehouse/sql';
import type { Warehouse } from '../../services/warehouse/warehouse';
import type { MetaGraph } from '../../services/meta/graph';
import { loadAdSetPage } from '../../services/meta/adset-load';
import { readDayInsightsPage } from '../../services/meta/insights';
import { readAccount, readCampaignsPage } from '../../services/meta/reads';
import { attended } from '../../services/meta/attended';
import { readSpoolPage, removeSpoolHour, spoolRef, writeSpoolPage } from '../../services/meta/spool';

/**
 * The hourly spend sync's steps. Each Graph page is its own activity, so a rate limit or a killed
 * worker costs one page, never the sync: a meta worker reads the page into the spool
 * (metaFetch*Page) and the warehouse loads it from there (metaLoadSpoolPage). The older
 * read-and-write-in-one steps (metaSync*Page) serve runs started before that and the
 * `sync-spend` command, which runs beside the stopped worker.
 */
export interface SyncDeps {
  config: Config;
  warehouse: Warehouse;
  /** Built lazily from config; unset token: every step fails naming META_ACCESS_TOKEN. */
  graph: () => MetaGraph;
}

export interface SyncPlan {
  hour: SyncHour;
  reportDate: string;
  accounts: string[];
}

export interface PageResult {
  rows: number;
  after?: string;
}

export interface SyncSummary {
  hour: SyncHour;
  accounts: number;
  campaigns: number;
  insightsRows: number;
}

export function createSpendSyncActivities({ config, warehouse, graph }: SyncDeps) {
  // One Graph page as warehouse rows, read the same way whether the rows go to DuckDB (the old
  // single-worker sync, still run by replayed histories and `scaleflow sync-spend`) or to the spool.
  const campaignRows = async (input: { account: string; currency: string; after?: string }) => {
    const page = await attended(readCampaignsPage(graph(), config, input.account, input.after));
    return { rows: page.rows.map((c) => campaignStateRow(c, input.currency)), after: page.after };
  };
  // Heartbeats itself: a large account's report run is resumed from its heartbeat details.
  const insightRows = async (input: { account: string; reportDate: string; after?: string }) => {
    const page = await readDayInsightsPage(graph(), config, input.account, input.reportDate, input.after);
    return { rows: page.rows.map(insightsRow), after: page.after };
  };

  return {
    async metaSyncStart({ hour }: { hour: SyncHour }): Promise<SyncPlan> {
      const parsed = syncHourSchema.safeParse(hour);
      if (!parsed.success)
        throw ApplicationFailure.nonRetryable(
          `hour ${JSON.stringify(hour)}: ${parsed.error.issues[0]!.message}`,
          'InvalidInput',
        );
      if (!config.META_ACCESS_TOKEN) {
        throw ApplicationFailure.nonRetryable(
          'META_ACCESS_TOKEN is not set: the spend sync cannot reach Meta (run `scaleflow dev` for the local sandbox)',
          'ConfigError',
        );
      }
      if (config.META_AD_ACCOUNT_IDS.length === 0)
        throw ApplicationFailure.nonRetryable('META_AD_ACCOUNT_IDS is empty: no ad account to sync', 'ConfigError');
      await warehouse.run(sqlFile('meta/start_sync'), [hour]);
      return { hour, reportDate: reportDateOf(hour, config.TZ), accounts: config.META_AD_ACCOUNT_IDS };
    },

    async metaReadAccount({ account }: { account: string }): Promise<{ currency: string; timezone: string }> {
      return attended(readAccount(graph(), config, account));
    },

    /**
     * Keeps the account's currency and time zone (meta_accounts) and answers the account's own date
     * at that hour: the day its "today so far" insights are read for and its snapshot rows carry.
     */
    async metaRecordAccount(input: {
      hour: SyncHour;
      account: string;
      currency: string;
      timezone: string;
    }): Promise<{ reportDate: string }> {
      let reportDate: string;
      try {
        reportDate = reportDateOf(input.hour, input.timezone);
      } catch {
        throw ApplicationFailure.nonRetryable(
          `Meta gave ad account ${input.account} the time zone ${JSON.stringify(input.timezone)}, which is not an IANA zone`,
          'InvalidInput',
        );
      }
      await warehouse.run(sqlFile('meta/upsert_account'), [input.hour, input.account, input.currency, input.timezone]);
      return { reportDate };
    },

    async metaSyncCampaignsPage(input: {
      hour: SyncHour;
      account: string;
      currency: string;
      reportDate: string;
      after?: string;
    }): Promise<PageResult> {
      const { rows, after } = await campaignRows(input);
      if (rows.length)
        await warehouse.run(sqlFile('meta/upsert_campaigns'), [
          input.hour,
          input.account,
          input.currency,
          input.reportDate,
          JSON.stringify(rows),
        ]);
      return { rows: rows.length, after };
    },

    async metaSyncInsightsPage(input: {
      hour: SyncHour;
      account: string;
      reportDate: string;
      after?: string;
    }): Promise<PageResult> {
      const { rows, after } = await insightRows(input);
      if (rows.length) await warehouse.run(sqlFile('meta/update_insights'), [input.hour, JSON.stringify(rows)]);
      return { rows: rows.length, after };
    },

    async metaFetchCampaignsPage(input: {
      hour: SyncHour;
      account: string;
      currency: string;
      reportDate: string;
      page: number;
      after?: string;
    }): Promise<SpooledPage> {
      const ref = spoolRef({ hour: input.hour, account: input.account, kind: 'campaigns', page: input.page });
      const { rows, after } = await campaignRows(input);
      await writeSpoolPage(config.SPOOL_DIR, {
        ref,
        currency: input.currency,
        reportDate: input.reportDate,
        rows: rows as unknown as Record<string, unknown>[],
      });
      return { ref, rows: rows.length, after };
    },

    async metaFetchInsightsPage(input: {
      hour: SyncHour;
      account: string;
      reportDate: string;
      page: number;
      after?: string;
    }): Promise<SpooledPage> {
      const ref = spoolRef({ hour: input.hour, account: input.account, kind: 'insights', page: input.page });
      const { rows, after } = await insightRows(input);
      await writeSpoolPage(config.SPOOL_DIR, { ref, rows: rows as unknown as Record<string, unknown>[] });
      return { ref, rows: rows.length, after };
    },

    /**
     * One spooled page into the hour's snapshot. Loading a page again (a retry after a lost answer,
     * a re-run) rewrites the same rows: campaigns are upserted on (hour, campaign) and insights
     * set, never add, each campaign's figures, so nothing is counted twice.
     */
    async metaLoadSpoolPage(raw: SpoolPageRef): Promise<{ rows: number }> {
      const ref = spoolRef(raw);
      const file = await readSpoolPage(config.SPOOL_DIR, ref);
      if (file.rows.length === 0) return { rows: 0 };
      if (ref.kind !== 'campaigns' && ref.kind !== 'insights') {
        await loadAdSetPage(warehouse, ref, file);
      } else if (ref.kind === 'campaigns') {
        await warehouse.run(sqlFile('meta/upsert_campaigns'), [
          ref.hour,
          ref.account,
          file.currency ?? null,
          file.reportDate ?? null,
          JSON.stringify(file.rows),
        ]);
      } else {
        await warehouse.run(sqlFile('meta/update_insights'), [ref.hour, JSON.stringify(file.rows)]);
      }
      return { rows: file.rows.length };
    },

    async metaSyncFinish({ hour }: { hour: SyncHour }): Promise<SyncSummary> {
      await removeSpoolHour(config.SPOOL_DIR, hour);
      const counts = await warehouse.one<{ accounts: number; campaigns: number; insights_rows: number }>(
        sqlFile('meta/finish_sync'),
        [hour],
      );
      return {
        hour,
        accounts: Number(counts?.accounts ?? 0),
        campaigns: Number(counts?.campaigns ?? 0),
        insightsRows: Number(counts?.insights_rows ?? 0),
      };
    },
  };
}
