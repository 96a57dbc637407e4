import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datesBetween } from '../../lib/dates';
import { workflowIds } from '../../lib/names';
import { Warehouse } from '../../services/warehouse/warehouse';
import type { DailyRunSummary } from '../../workflows/daily-pipeline';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { approvalConfig } from '../approvals/harness';
import { metaEnv, sandboxAt } from '../meta/harness';
import { loadRows, type MetricRow } from '../reports/fixtures';
import { recordHistory } from '../support/histories';
import { startSlackStandIn, type SlackCall, type SlackStandIn } from '../support/slack';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { testClient, testConfig, withWorker } from '../support/temporal';

const BOT_TOKEN = 'xoxb-loopback-bot-token';
const CHANNEL = 'C0SCALEFLOW';
// A campaign named to ping everyone and plant a link, were any of it read as Slack markup.
const HOSTILE = 'Dental_W <!channel> <https://evil.example|click me> *now*';

type Block = { type: string; text: { type: string; text: string } };
const channelPosts = (slack: SlackStandIn) =>
  slack.calls.filter((c) => c.path === '/api/chat.postMessage' && c.body.channel === CHANNEL);
const blockText = (c: SlackCall) => (c.body.blocks as Block[]).map((b) => b.text.text).join('\n');

/**
 * The daily-run test's week: W (ben, spend 100 / revenue 150 a day) scale_up, A (ben, 100 / 110)
 * hold, L and G (tj, 100 / 50) cut_loss. W is 501 on Meta, L 502, G is mapped to a campaign Meta
 * no longer has (so its alert gets no proposal). The ids are SW, SA, SL, SG: budget-change workflow
 * ids are global in the shared dev server's namespace, and that test proposes W and L for the same
 * day at the same time (its child would be "already proposed" here, its audit rows in its warehouse).
 */
const AS_OF = '2025-10-13';
const campaign = (id: string, name: string, owner: string, category: string, revenue: string) => (date: string) => ({
  date,
  campaign_id: id,
  campaign_name: name,
  owner,
  category,
  spend: '100.00',
  revenue,
});
const week = [
  campaign('SW', HOSTILE, 'ben', 'Dental', '150.00'),
  campaign('SA', 'Dental_A', 'ben', 'Dental', '110.00'),
  campaign('SL', 'Solar_L', 'tj', 'Solar', '50.00'),
  campaign('SG', 'Solar_G', 'tj', 'Solar', '50.00'),
];
const rows: MetricRow[] = datesBetween('2025-10-06', '2025-10-12').flatMap((date) => week.map((row) => row(date)));

describe('SLACK_CHANNEL: the morning summary and the day alerts, posted once (issue 22 item 2)', () => {
  let smtp: SmtpCapture;
  let slack: SlackStandIn;
  let sandbox: MetaSandbox;
  beforeAll(async () => {
    smtp = await startSmtpCapture();
    slack = await startSlackStandIn(BOT_TOKEN);
    sandbox = await startMetaSandbox();
    sandbox.state.addAccount('act_1001', { currency: 'USD' });
    // W's budget is what it spends: a campaign spending half its budget is not raised (scale-step.ts).
    sandbox.state.addCampaign('act_1001', { name: 'Dental_W', dailyBudget: 10000 }, '501');
    sandbox.state.addCampaign('act_1001', { name: 'Solar_L', dailyBudget: 15000 }, '502');
  });
  afterAll(async () => {
    await Promise.all([smtp?.close(), slack?.close(), sandbox?.close()]);
  });

  it('a daily run posts each alert and one summary after the reports; a re-run of the day posts nothing new', async () => {
    const config = await approvalConfig(smtp, {
      ...metaEnv(sandbox, ['act_1001']),
      REPORT_TEAM_RECIPIENTS: 'lead@example.com',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      SLACK_CHANNEL: CHANNEL,
    });
    const seed = await Warehouse.open(config.SCALEFLOW_DB);
    await loadRows(seed, rows);
    await seed.run(`INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, category, account_id)
                    VALUES ('SW', '501', 'ben', 'Dental', 'act_1001'), ('SL', '502', 'tj', 'Solar', 'act_1001'), ('SG', '599', 'tj', 'Solar', 'act_1001')`);
    seed.close();
    const client = await testClient(config);
    try {
      await withWorker(config, async () => {
        const run = (suffix: string) =>
          client.workflow.start('dailyPipeline', {
            taskQueue: config.TEMPORAL_TASK_QUEUE,
            workflowId: `${workflowIds.daily(AS_OF)}-${config.TEMPORAL_TASK_QUEUE}${suffix}`,
            args: [{ date: AS_OF }],
          });
        const first = await run('');
        const summary = (await first.result()) as DailyRunSummary;
        // Three alerts raised on the day (W scale_up, L and G cut_loss) and one summary.
        expect(summary.slack).toEqual({ posted: 4, already: 0 });
        await recordHistory(first, 'daily-pipeline-slack-channel');

        // Posted after the team email went out.
        const events = (await first.fetchHistory()).events ?? [];
        const scheduled = events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
        expect(scheduled.indexOf('postDayToSlack')).toBeGreaterThan(scheduled.lastIndexOf('sendReportEmail'));
        expect(scheduled.filter((name) => name === 'postDayToSlack')).toHaveLength(1);

        const posts = channelPosts(slack);
        expect(posts.every((c) => c.authorization === `Bearer ${BOT_TOKEN}`)).toBe(true);
        const summaries = posts.filter((c) => String(c.body.text).startsWith('Morning summary'));
        expect(summaries).toHaveLength(1);
        const text = blockText(summaries[0]!);
        // Yesterday 2025-10-12, the team's four campaigns: spend 4 x 100.00 = $400.00; revenue
        // 150 + 110 + 50 + 50 = $360.00; margin 360 - 400 = -$40.00; ROAS 360 / 400 = 90.0%.
        expect(text).toContain('Morning summary for 2025-10-13');
        expect(text).toContain('4 campaigns: spend $400.00, revenue $360.00, margin -$40.00, ROAS 90.0%.');
        // W and L were proposed and wait for approval; G's Meta campaign is gone, so it has no proposal.
        expect(text).toContain('Alerts: 3 in play, 2 awaiting approval.');
        expect(text).toContain(`- ${HOSTILE} (ben): Scale +`);
        expect(text).toContain('- Solar_L (tj): ');
        expect(text).not.toContain('Solar_G');
        // No approve link in a shared channel: each is signed for one approver.
        expect(text).not.toContain('/approve/');

        const alerts = posts.filter((c) => String(c.body.text).startsWith('Alert: '));
        expect(alerts.map((c) => String(c.body.text).split(':')[1]!.trim().split(' (')[0]).sort()).toEqual([
          'Dental_W &lt;!channel&gt; &lt;https',
          'Solar_G',
          'Solar_L',
        ]);
        // The hostile name: shown as typed in plain_text blocks, escaped in the notification text, no markup read.
        const w = alerts.find((c) => blockText(c).includes(HOSTILE))!;
        expect((w.body.blocks as Block[]).every((b) => b.type === 'section' && b.text.type === 'plain_text')).toBe(
          true,
        );
        expect(String(w.body.text)).toContain('Dental_W &lt;!channel&gt; &lt;https://evil.example|click me&gt; *now*');
        expect(String(w.body.text)).not.toContain('<!channel>');
        expect(w.body).toMatchObject({ mrkdwn: 'false', link_names: 'false', unfurl_links: 'false' });

        // The same day again: everything is recorded as posted, nothing more reaches the channel.
        const again = (await (await run('-again')).result()) as DailyRunSummary;
        expect(again.slack).toEqual({ posted: 0, already: 4 });
        expect(channelPosts(slack)).toHaveLength(4);
      });
    } finally {
      await client.connection.close();
    }
  }, 240_000);
});

// A Los Angeles account (PDT): 16:00Z is 09:00 there, 17:00Z 10:00, 19:00Z 12:00, 20:00Z 13:00.
const HOURS = ['2025-10-13T16:00:00Z', '2025-10-13T17:00:00Z', '2025-10-13T19:00:00Z', '2025-10-13T20:00:00Z'];

describe('SLACK_CHANNEL: a today notice is posted once', () => {
  it('a stalled campaign: one channel message at 12:00, none at 13:00 when it is still stopped', async () => {
    const { sandbox, clock } = await sandboxAt(HOURS[0]!);
    const smtp = await startSmtpCapture();
    const slack = await startSlackStandIn(BOT_TOKEN);
    try {
      sandbox.state.addAccount('act_81', { currency: 'USD', timezone: 'America/Los_Angeles' });
      // 200.00 a day, 30.00 spent by 09:00 and not a cent more all day.
      const stalled = sandbox.state.addCampaign('act_81', {
        name: 'Stalled <!here>',
        dailyBudget: 20000,
        spendMinor: 3000,
        impressions: 900,
      });
      const approvers = join(mkdtempSync(join(tmpdir(), 'slack-notices-')), 'approvers.json');
      writeFileSync(approvers, JSON.stringify({ default: ['lead@example.com'] }));
      const config = testConfig(
        metaEnv(sandbox, ['act_81'], {
          TZ: 'America/New_York',
          SMTP_URL: smtp.url,
          REPORT_RECIPIENTS: 'ben=ben@example.com',
          APPROVERS_FILE: approvers,
          SLACK_BOT_TOKEN: BOT_TOKEN,
          SLACK_API_URL: slack.apiUrl,
          SLACK_CHANNEL: CHANNEL,
        }),
      );
      const setup = await Warehouse.open(config.SCALEFLOW_DB);
      await setup.run(
        `INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, account_id) VALUES ('BEN1', '${stalled.id}', 'ben', 'act_81')`,
      );
      setup.close();
      const client = await testClient(config);
      const postsAfter = await withWorker(config, async () => {
        const seen: number[] = [];
        for (const [i, hour] of HOURS.entries()) {
          clock.ms = Date.parse(hour);
          const workflowId = `${workflowIds.spendSync(hour)}/${config.TEMPORAL_TASK_QUEUE}`;
          await client.workflow.execute('spendSync', {
            taskQueue: config.TEMPORAL_TASK_QUEUE,
            workflowId,
            args: [{ hour }],
          });
          seen.push(channelPosts(slack).length);
          if (i === 2) await recordHistory(client.workflow.getHandle(workflowId), 'spend-sync-today-notices-slack');
        }
        return seen;
      });
      await client.connection.close();
      // 12:00: 30.00 now = 30.00 at 09:00, three hours without spend -> delivery stopped, once;
      // 13:00 it is still stopped but already told today (as the email: test/meta/today-notices.test.ts).
      expect(postsAfter).toEqual([0, 0, 1, 1]);
      const [post] = channelPosts(slack);
      expect(blockText(post!)).toContain('Today so far, delivery stopped: Stalled <!here> (ben)');
      expect(blockText(post!)).toContain('from 09:00 to 12:00 America/Los_Angeles (2025-10-13)');
      expect(String(post!.body.text)).toBe('Today so far, delivery stopped: Stalled &lt;!here&gt; (ben)');
      // The email still goes out as before.
      expect(smtp.messages).toHaveLength(1);
    } finally {
      await Promise.all([smtp.close(), slack.close(), sandbox.close()]);
    }
  }, 180_000);
});
