import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { workflowIds } from '../../lib/names';
import { Warehouse } from '../../services/warehouse/warehouse';
import type { MetaSandbox } from '../../workers/meta-sandbox/server';
import { recordHistory } from '../support/histories';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { testClient, testConfig, withWorker } from '../support/temporal';
import { metaEnv, sandboxAt } from './harness';

// A Los Angeles account (PDT, UTC-7 on 2025-10-13): 16:00Z is 09:00 there, 17:00Z 10:00, 19:00Z
// 12:00 and 20:00Z 13:00, all on its day 2025-10-13 (New York, the team's clock, is on it too).
const HOURS = ['2025-10-13T16:00:00Z', '2025-10-13T17:00:00Z', '2025-10-13T19:00:00Z', '2025-10-13T20:00:00Z'];

describe("today's alerts notify once, by email, after the hourly spend sync (issue 21 item 5)", () => {
  let sandbox: MetaSandbox;
  let smtp: SmtpCapture;
  afterEach(async () => {
    await sandbox?.close();
    await smtp?.close();
  });

  it('an active campaign with a budget and no spend for 3 hours of its day: one notice stored, one email, nothing again the next hour', async () => {
    let clock: { ms: number };
    ({ sandbox, clock } = await sandboxAt(HOURS[0]!));
    smtp = await startSmtpCapture();
    sandbox.state.addAccount('act_81', { currency: 'USD', timezone: 'America/Los_Angeles' });
    // Stalled: 200.00 a day, 30.00 spent by 09:00 and not a cent more all day.
    const stalled = sandbox.state.addCampaign('act_81', {
      name: 'Stalled',
      dailyBudget: 20000,
      spendMinor: 3000,
      impressions: 900,
    });
    // Healthy: 100.00 a day, spending every hour (20.00, 22.00, 30.00, 35.00 at the four syncs).
    const healthy = sandbox.state.addCampaign('act_81', {
      name: 'Healthy',
      dailyBudget: 10000,
      spendMinor: 2000,
      impressions: 700,
    });
    const healthySpend = [2000, 2200, 3000, 3500];

    const approvers = join(mkdtempSync(join(tmpdir(), 'today-notices-')), 'approvers.json');
    writeFileSync(
      approvers,
      JSON.stringify({ default: ['lead@example.com'], owners: { ben: ['ben.lead@example.com'] } }),
    );
    const config = testConfig(
      metaEnv(sandbox, ['act_81'], {
        TZ: 'America/New_York',
        SMTP_URL: smtp.url,
        REPORT_RECIPIENTS: 'ben=ben@example.com,tj=tj@example.com',
        APPROVERS_FILE: approvers,
      }),
    );
    const setup = await Warehouse.open(config.SCALEFLOW_DB);
    await setup.run(
      `INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, account_id) VALUES
         ('BEN1', '${stalled.id}', 'ben', 'act_81'), ('BEN2', '${healthy.id}', 'ben', 'act_81')`,
    );
    setup.close();

    const client = await testClient(config);
    // The emails received by the end of each hour's run (the run ends once its emails are accepted).
    const emailsAfter = await withWorker(config, async () => {
      const seen: number[] = [];
      for (const [i, hour] of HOURS.entries()) {
        clock.ms = Date.parse(hour);
        healthy.spendMinor = healthySpend[i]!;
        const workflowId = `${workflowIds.spendSync(hour)}/${config.TEMPORAL_TASK_QUEUE}`;
        await client.workflow.execute('spendSync', {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowId,
          args: [{ hour }],
        });
        seen.push(smtp.messages.length);
        if (i === 2) await recordHistory(client.workflow.getHandle(workflowId), 'spend-sync-today-notices');
      }
      return seen;
    });
    await client.connection.close();

    // 09:00 and 10:00: no completed snapshot three hours earlier (06:00, 07:00) to compare with.
    // 12:00: Stalled 30.00 now = 30.00 at 09:00 -> delivery stopped; Healthy 30.00 > 20.00 at 09:00.
    // Neither overspends: by 12:00 half the day is gone, Stalled 30 / (200 x 0.5) = 0.3x,
    // Healthy 30 / (100 x 0.5) = 0.6x, both under 1.5x.
    // 13:00: Stalled 30.00 = 30.00 at 10:00 is still stopped, but it was told today: no new email
    // and no second row (below).
    expect(emailsAfter).toEqual([0, 0, 1, 1]);
    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messages;
    // ben's report recipient, then ben's approver from APPROVERS_FILE; tj and the default approver get nothing.
    expect(mail!.to).toMatchObject({ value: [{ address: 'ben@example.com' }, { address: 'ben.lead@example.com' }] });
    expect(mail!.subject).toBe('Today so far: delivery stopped - Stalled (ben)');
    expect(mail!.text).toContain(
      `delivery stopped: Stalled (campaign ${stalled.id}), from 09:00 to 12:00 America/Los_Angeles (2025-10-13)`,
    );
    expect(mail!.text).toContain(
      'no spend in the last 3 hours (12:00 America/Los_Angeles), active with a $200.00 daily budget',
    );
    expect(mail!.text).not.toContain('Healthy');
    expect(mail!.html).toContain(`Stalled (campaign ${stalled.id}), from 09:00 to 12:00`);

    const warehouse = await Warehouse.open(config.SCALEFLOW_DB, { readOnly: true });
    try {
      expect(
        await warehouse.all(
          `SELECT report_date::VARCHAR AS report_date, entity_type, entity_id, type, owner, name,
                  numbers->>'spend' AS spend, numbers->>'daily_budget' AS daily_budget,
                  (numbers->>'pacing')::DOUBLE AS pacing, snapshot_hour = '${HOURS[2]}'::TIMESTAMPTZ AS at_noon
           FROM today_notices`,
        ),
      ).toEqual([
        {
          report_date: '2025-10-13',
          entity_type: 'campaign',
          entity_id: stalled.id,
          type: 'delivery_stopped',
          owner: 'ben',
          name: 'Stalled',
          spend: '30.00',
          daily_budget: '200.00',
          pacing: 0.3,
          at_noon: true,
        },
      ]);
      // Notices are not alerts: the daily evaluation's table never sees them.
      expect(await warehouse.all('SELECT * FROM alerts')).toEqual([]);
    } finally {
      warehouse.close();
    }
    // Nothing was written to Meta: every request the sandbox saw was a read.
    expect(sandbox.log.filter((r) => r.method !== 'GET')).toEqual([]);
  }, 180_000);
});
