import type { Config } from '../../lib/config';
import { noticeHourInput, noticeRefSchema, type NoticeRef } from '../../lib/metrics/today-notices';
import type { Mailer } from '../../services/mail/transport';
import { recordTodayNotices, sendTodayNotices } from '../../services/notices/today-notices';
import type { Warehouse } from '../../services/warehouse/warehouse';

/**
 * Today's alerts after each hourly spend sync: recordTodayNotices keeps the new ones and names the
 * owners who have some, sendTodayNotices emails one owner's. Both run on the warehouse, where the
 * rows are (like report emails), so history carries only the hour and owners. Neither writes to Meta.
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
    async recordTodayNotices(input: { hour: string }): Promise<NoticeRef[]> {
      return recordTodayNotices(warehouse, config, noticeHourInput.parse(input).hour);
    },
    async sendTodayNotices(ref: NoticeRef): Promise<{ sent: number }> {
      return sendTodayNotices(config, warehouse, mailer, noticeRefSchema.parse(ref));
    },
  };
}
