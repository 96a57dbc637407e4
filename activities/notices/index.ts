import type { Config } from '../../lib/config';
import { noticeBatchSchema, noticeHourInput, type NoticeBatch } from '../../lib/metrics/today-notices';
import type { Mailer } from '../../services/mail/transport';
import { recordTodayNotices, sendTodayNotices } from '../../services/notices/today-notices';
import type { Warehouse } from '../../services/warehouse/warehouse';

/**
 * Today's alerts after each hourly spend sync: recordTodayNotices (warehouse) keeps the new ones,
 * sendTodayNotices (io) emails one owner's batch. Neither writes to Meta.
 */
export function createNoticeActivities({
  config,
  warehouse,
  mailer,
}: {
  config: Config;
  warehouse: Warehouse;
  mailer: Mailer;
}) {
  return {
    async recordTodayNotices(input: { hour: string }): Promise<NoticeBatch[]> {
      return recordTodayNotices(warehouse, config, noticeHourInput.parse(input).hour);
    },
    async sendTodayNotices(batch: NoticeBatch): Promise<{ to: string[]; subject: string }> {
      return sendTodayNotices(config, mailer, noticeBatchSchema.parse(batch));
    },
  };
}
