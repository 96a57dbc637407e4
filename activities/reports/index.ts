import { z } from 'zod';
import type { Config } from '../../lib/config';
import { isoDateSchema } from '../../lib/dates';
import { planDeliveries, type ReportDelivery } from '../../lib/reports/recipients';
import { createReportEmailActivities } from './report-email';
import type { Mailer } from '../../services/mail/transport';
import type { Warehouse } from '../../services/warehouse/warehouse';
import type { RenderedReport } from '../../services/reports/engine';
import { loadEngine } from '../../services/reports/engine-loader';

export const renderReportInput = z.object({ asOf: isoDateSchema, owner: z.string().min(1).nullish() });
export type RenderReportInput = z.input<typeof renderReportInput>;

export interface ReportDeps {
  config: Config;
  warehouse: Warehouse;
  mailer: Mailer;
}

/**
 * The daily pipeline's last steps: renderReport (the page and its datasets), listReportDeliveries
 * (who gets which report, from config), then one sendReportEmail per recipient (see
 * lib/reports/delivery.ts deliverAll). Activities return paths, never rows.
 */
export function createReportActivities({ config, warehouse, mailer }: ReportDeps) {
  // Every recipient of one report wants it rendered once, not once each, even when sent side by side.
  const inFlight = new Map<string, Promise<RenderedReport>>();
  return {
    async renderReport(raw: RenderReportInput): Promise<RenderedReport> {
      const input = renderReportInput.parse(raw);
      const key = `${input.asOf}/${input.owner ?? ''}`;
      let running = inFlight.get(key);
      if (!running) {
        running = loadEngine()
          .then(({ renderReportFiles }) =>
            renderReportFiles({
              warehouse,
              reportsDir: config.REPORTS_DIR,
              asOf: input.asOf,
              owner: input.owner,
              timeZone: config.TZ,
              calibrationMinChecks: config.CALIBRATION_MIN_CHECKS,
            }),
          )
          .then(({ view: _view, ...paths }) => paths);
        inFlight.set(key, running);
        void running.finally(() => inFlight.delete(key)).catch(() => undefined);
      }
      return running;
    },

    async listReportDeliveries(): Promise<ReportDelivery[]> {
      return planDeliveries(config.REPORT_RECIPIENTS, config.REPORT_TEAM_RECIPIENTS);
    },

    ...createReportEmailActivities({ config, warehouse, mailer }),
  };
}
