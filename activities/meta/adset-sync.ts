import type { SyncHour } from '../../lib/meta/hour';
import { adsetInsightsRow, adsetStateRow } from '../../lib/meta/adset-wire';
import type { SpooledPage } from '../../lib/meta/spool';
import { readAdSetInsightsPage, readAdSetsPage, readCustomAudiencesPage } from '../../services/meta/adset-reads';
import { attended } from '../../services/meta/attended';
import { readSpoolPage, spoolRef, writeSpoolPage } from '../../services/meta/spool';
import type { SyncDeps } from './sync';

/**
 * The spend sync's ad-set steps (meta role): each reads one Graph page into the spool, and the
 * warehouse loads it with metaLoadSpoolPage as it loads campaign pages. An ad set's audience type
 * needs the `subtype` of the custom audiences its targeting names, so the account's custom
 * audiences are spooled first and every ad-set page reads them back from the spool.
 */
interface PageInput {
  hour: SyncHour;
  account: string;
  page: number;
  after?: string;
}

const rowsOf = <T>(rows: T[]) => rows as unknown as Record<string, unknown>[];

export function createAdSetSyncActivities({ config, graph }: Pick<SyncDeps, 'config' | 'graph'>) {
  return {
    async metaFetchAudiencesPage(input: PageInput): Promise<SpooledPage> {
      const ref = spoolRef({ hour: input.hour, account: input.account, kind: 'audiences', page: input.page });
      const page = await attended(readCustomAudiencesPage(graph(), config, input.account, input.after));
      await writeSpoolPage(config.SPOOL_DIR, { ref, rows: rowsOf(page.rows) });
      return { ref, rows: page.rows.length, after: page.after };
    },

    /** `audiencePages`: how many custom-audience pages this hour spooled for the account (pages 0..n-1). */
    async metaFetchAdSetsPage(
      input: PageInput & { currency: string; reportDate: string; audiencePages: number },
    ): Promise<SpooledPage> {
      const ref = spoolRef({ hour: input.hour, account: input.account, kind: 'adsets', page: input.page });
      const subtypes = new Map<string, string>();
      for (let page = 0; page < input.audiencePages; page++) {
        const audiences = spoolRef({ hour: input.hour, account: input.account, kind: 'audiences', page });
        for (const row of (await readSpoolPage(config.SPOOL_DIR, audiences)).rows)
          subtypes.set(String(row.id), String(row.subtype));
      }
      const page = await attended(readAdSetsPage(graph(), config, input.account, input.after));
      const rows = page.rows.map((a) => adsetStateRow(a, input.currency, subtypes));
      await writeSpoolPage(config.SPOOL_DIR, {
        ref,
        currency: input.currency,
        reportDate: input.reportDate,
        rows: rowsOf(rows),
      });
      return { ref, rows: rows.length, after: page.after };
    },

    async metaFetchAdSetInsightsPage(input: PageInput & { reportDate: string }): Promise<SpooledPage> {
      const ref = spoolRef({ hour: input.hour, account: input.account, kind: 'adset_insights', page: input.page });
      const page = await attended(readAdSetInsightsPage(graph(), config, input.account, input.reportDate, input.after));
      await writeSpoolPage(config.SPOOL_DIR, { ref, rows: rowsOf(page.rows.map(adsetInsightsRow)) });
      return { ref, rows: page.rows.length, after: page.after };
    },
  };
}
