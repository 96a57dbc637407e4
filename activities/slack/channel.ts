import { ApplicationFailure } from '@temporalio/activity';
import type { Config } from '../../lib/config';
import { isoDateSchema } from '../../lib/dates';
import { noticeHourInput, noticeView, todayNoticeSchema } from '../../lib/metrics/today-notices';
import { alertMessage, noticeMessage, summaryMessage } from '../../lib/slack/channel-message';
import { loadEngine } from '../../services/reports/engine-loader';
import { postOnce } from '../../services/slack/channel-posts';
import { slackClient } from '../../services/slack/client';
import { sqlFile } from '../../services/warehouse/sql';
import type { Warehouse } from '../../services/warehouse/warehouse';

function channelOrFail(config: Config): { channel: string; slack: ReturnType<typeof slackClient> } {
  if (!config.SLACK_CHANNEL || !config.SLACK_BOT_TOKEN)
    throw ApplicationFailure.nonRetryable('SLACK_CHANNEL and SLACK_BOT_TOKEN must both be set to post', 'ConfigError');
  return { channel: config.SLACK_CHANNEL, slack: slackClient(config) };
}

/**
 * Posts to SLACK_CHANNEL. They run on the warehouse, like the report and notice emails, because
 * each message is built from rows there and each post is recorded there (slack_channel_posts);
 * history carries only the day or the hour and a count.
 */
export function createSlackChannelActivities({ config, warehouse }: { config: Config; warehouse: Warehouse }) {
  return {
    /**
     * After the day's reports are sent: each alert raised that day, then the morning summary, from
     * the team report's saved datasets (the figures the team email carries). Each is posted once.
     */
    async postDayToSlack(input: { asOf: string }): Promise<{ posted: number; already: number }> {
      const asOf = isoDateSchema.parse(input.asOf);
      const { channel, slack } = channelOrFail(config);
      const { loadSavedResults } = await loadEngine();
      const saved = await loadSavedResults(config.REPORTS_DIR, asOf, null);
      if (!saved) throw ApplicationFailure.nonRetryable(`no saved team report for ${asOf}`, 'NoReport');
      const rows = (id: string) => saved.results.find((r) => r.cell.id === id)?.data?.rows ?? [];
      const alerts = rows('060_alerts');
      const raised = alerts.filter((r) => r.campaign_id !== null && String(r.raised_on).slice(0, 10) === asOf);
      return postOnce(warehouse, slack, channel, [
        ...raised.map((r) => alertMessage(asOf, r)),
        summaryMessage(asOf, rows('010_summary'), alerts),
      ]);
    },

    /** The today notices first recorded after this hour's sync, one message each, once. */
    async postTodayNoticesToSlack(input: { hour: string }): Promise<{ posted: number; already: number }> {
      const { hour } = noticeHourInput.parse(input);
      const { channel, slack } = channelOrFail(config);
      const notices = (await warehouse.all(sqlFile('slack/hour_notices'), { hour })).map((r) =>
        todayNoticeSchema.parse(r),
      );
      const items = notices.flatMap((n) => noticeView({ hour, owner: n.owner, notices: [n] }).items);
      return postOnce(warehouse, slack, channel, items.map(noticeMessage));
    },
  };
}
