import type { Browser } from 'playwright-core';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAuditRow, auditChainKey } from '../../activities/approvals/audit';
import type { ThresholdChangeStatus } from '../../lib/approvals/threshold-change';
import type { Config } from '../../lib/config';
import { addDays } from '../../lib/dates';
import { workflowIds } from '../../lib/names';
import { evaluateDay } from '../../services/decisions/evaluate-day';
import { Warehouse } from '../../services/warehouse/warehouse';
import { loadRows, type MetricRow } from '../reports/fixtures';
import { launchBrowser, openIsolated } from '../support/browser';
import { recordHistory } from '../support/histories';
import { waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { startWorker, testClient } from '../support/temporal';
import { approvalConfig, linkIn } from './harness';

/**
 * A calibration proposal goes through approval like a budget change. As of 2025-10-13, owners ben
 * and tj each have 25 checked scale-ups (a +10% raise, $100.00 -> $110.00) made between 09-01 and
 * 09-25, each from a baseline week of $700.00 spend and $840.00 revenue (ROAS 120: band 100-130),
 * 8 of them right.
 *
 * Wilson 95% of 8/25 by hand: p = 0.32, z^2 = 3.8415, denom = 1 + 3.8415/25 = 1.15366,
 * centre = (0.32 + 3.8415/50) / 1.15366 = 0.34398, half = (1.96/1.15366) x sqrt(0.32 x 0.68/25
 * + 3.8415/2500) = 1.69889 x 0.101196 = 0.17192, so high = 0.516 < 0.80 with 25 >= 20 checks:
 * clearly wrong. The band's top is 130 and scale_roas is 130 (METRICS.md default), so the
 * proposal is one step of 10: 130 -> 140, for each owner.
 *
 * Each owner has one campaign at spend $100.00 and revenue $135.00 a day from 10-03 to 10-13 (ROAS
 * 135.0, above 130 every day: a scale-up under the default, not above 140). The owner's next
 * evaluation after the click is the next day's, as of 10-14.
 */
const AS_OF = '2025-10-13';
const NEXT = '2025-10-14';
const OWNERS = ['ben', 'tj'] as const;
const campaignOf = (owner: string) => `calib-${owner}`;
const rows: MetricRow[] = OWNERS.flatMap((owner) =>
  Array.from({ length: 11 }, (_, i) => ({
    date: addDays('2025-10-03', i),
    campaign_id: campaignOf(owner),
    campaign_name: `Calibration_${owner}`,
    owner,
    category: 'Dental',
    spend: '100.00',
    revenue: '135.00',
  })),
);

async function seedChecks(warehouse: Warehouse, config: Config) {
  const chain = auditChainKey(warehouse, config.AUDIT_SECRET!);
  for (const owner of OWNERS) {
    for (let i = 0; i < 25; i++) {
      const wf = `calib-check/${owner}/${i}`;
      const date = addDays('2025-09-01', i);
      await warehouse.run(
        `INSERT INTO outcome_checks (workflow_id, campaign_id, owner, change_type, rule, change_date, baseline_spend,
           baseline_revenue, baseline_margin, outcome_spend, outcome_revenue, outcome_margin, delta_margin,
           delta_revenue, is_improving, was_right)
         VALUES ($1, $2, $3, 'scale_up', 'scale_up', $4::DATE, 700, 840, 140, 0, 0, 0, 0, 0, $5, $5)`,
        [wf, campaignOf(owner), owner, date, i < 8],
      );
      await appendAuditRow(
        warehouse,
        chain,
        {
          event: 'written',
          workflowId: wf,
          runId: 'r',
          campaignId: campaignOf(owner),
          owner,
          details: { action: { kind: 'set_daily_budget', fromCents: 10000, toCents: 11000 } },
        },
        Date.parse(`${date}T12:00:00Z`),
      );
    }
  }
}

/**
 * Each seeded campaign's alerts for AS_OF, evaluated as the pipeline's activity does: scale_roas is
 * the scale-up alert's threshold (the rule that proposes a raise), so that is where it shows.
 */
async function alertsOf(config: Config, asOf: string): Promise<Record<string, string[]>> {
  const warehouse = await Warehouse.open(config.SCALEFLOW_DB);
  try {
    await evaluateDay(warehouse, config, asOf);
    const got = await warehouse.all<{ campaign_id: string; type: string }>(
      `SELECT campaign_id, type FROM alerts WHERE as_of = $1::DATE ORDER BY campaign_id, type`,
      [asOf],
    );
    const by: Record<string, string[]> = { [campaignOf('ben')]: [], [campaignOf('tj')]: [] };
    for (const r of got) by[r.campaign_id]!.push(r.type);
    return by;
  } finally {
    warehouse.close();
  }
}

describe('a calibration threshold change goes through approval and reaches the next evaluation', () => {
  let smtp: SmtpCapture;
  let client: Client;
  let config: Config;
  let browser: Browser;
  let before: Record<string, string[]>;
  let pipelineId: string;
  const benId = workflowIds.thresholdChange('ben', AS_OF, '100-130');
  const tjId = workflowIds.thresholdChange('tj', AS_OF, '100-130');

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    config = await approvalConfig(smtp);
    const seed = await Warehouse.open(config.SCALEFLOW_DB);
    await loadRows(seed, rows);
    await seedChecks(seed, config);
    seed.close();
    before = await alertsOf(config, AS_OF);
    client = await testClient(config);
    browser = await launchBrowser();
    pipelineId = `${workflowIds.daily(AS_OF)}-${config.TEMPORAL_TASK_QUEUE}`;
  });
  afterAll(async () => {
    await browser?.close();
    await client?.connection.close();
    await smtp?.close();
  });

  it('the pipeline proposes 130 -> 140 for each owner; an approver approves ben, another rejects tj', async () => {
    expect(before).toEqual({ [campaignOf('ben')]: ['scale_up'], [campaignOf('tj')]: ['scale_up'] });
    const worker = await startWorker(config);
    try {
      const summary = await client.workflow.execute('dailyPipeline', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: pipelineId,
        args: [{ date: AS_OF }],
      });
      expect(summary.thresholds).toEqual({ proposed: [benId, tjId], alreadyProposed: [] });
      await recordHistory(client.workflow.getHandle(pipelineId), 'daily-pipeline-threshold-proposals');

      const mailTo = (to: string, owner: string) =>
        waitFor(
          () =>
            smtp.messages.find(
              (m) =>
                (m.to as { text: string }).text === to &&
                m.subject === `Approve: raise ${owner}'s scale-up ROAS threshold from 130% to 140%`,
            ),
          20_000,
          `${to}'s email for ${owner}`,
        );
      // ben's approvers are his own (APPROVERS_FILE owners.ben); tj has none of his own, so the default.
      const benMail = await mailTo('ben.lead@example.com', 'ben');
      expect(benMail.text).toContain('8 of 25 scale-ups from ROAS band 100-130% were right over 90 days');
      expect(benMail.text).toContain('upper bound 51.6% is below the 80% target');
      const tjMail = await mailTo('lead@example.com', 'tj');

      const click = async (link: string, button: 'approve' | 'reject') => {
        const { page, blocked, errors } = await openIsolated(browser, link, { width: 390, height: 844 });
        expect(await page.locator('h1').textContent()).toBe('Approve this threshold change?');
        expect(await page.locator('td[data-fact="Scale-up ROAS if approved"] .value').textContent()).toBe('140%');
        await page.click(`button.${button}`);
        await page.waitForSelector('[role="status"]');
        const said = await page.locator('[role="status"]').textContent();
        expect(blocked).toEqual([]);
        expect(errors).toEqual([]);
        await page.context().close();
        return said;
      };
      expect(await click(linkIn(benMail.text), 'approve')).toMatch(/^Approved by ben\.lead@example\.com at /);
      expect(await click(linkIn(tjMail.text), 'reject')).toMatch(
        /^Rejected by lead@example\.com at .*\. tj's thresholds are unchanged\.$/,
      );
      const ben = client.workflow.getHandle(benId);
      const tj = client.workflow.getHandle(tjId);
      expect(((await ben.result()) as ThresholdChangeStatus).state).toBe('written');
      expect(((await tj.result()) as ThresholdChangeStatus).state).toBe('rejected');
      await recordHistory(ben, 'threshold-change-approved');
      await recordHistory(tj, 'threshold-change-rejected');

      // A second pipeline run the same day: tj's proposal (same owner, band, day) is not started again,
      // and ben's is not proposed at all, since his threshold changed inside the window that asked for it.
      const again = await client.workflow.execute('dailyPipeline', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: `${pipelineId}-again`,
        args: [{ date: AS_OF }],
      });
      expect(again.thresholds).toEqual({ proposed: [], alreadyProposed: [tjId] });
    } finally {
      await worker.stop();
    }
  });

  it("ben's next evaluation uses 140 (ROAS 135 no longer scales); tj's still uses 130", async () => {
    expect(await alertsOf(config, NEXT)).toEqual({ [campaignOf('ben')]: [], [campaignOf('tj')]: ['scale_up'] });
  });

  it('the audit log names the approver with the threshold before and after, and the rejecter', async () => {
    const warehouse = await Warehouse.open(config.SCALEFLOW_DB);
    try {
      const audit = await warehouse.all<{ workflow_id: string; event: string; actor: string | null; details: string }>(
        `SELECT workflow_id, event, actor, details::VARCHAR AS details FROM audit_log
         WHERE workflow_id IN ($1, $2) AND event IN ('decided', 'threshold_written') ORDER BY seq`,
        [benId, tjId],
      );
      const row = (wf: string, event: string) => audit.find((r) => r.workflow_id === wf && r.event === event);
      expect(row(benId, 'decided')?.actor).toBe('ben.lead@example.com');
      expect(row(benId, 'threshold_written')?.actor).toBe('ben.lead@example.com');
      expect(JSON.parse(row(benId, 'threshold_written')!.details)).toEqual({
        field: 'scale_roas',
        before: 130,
        after: 140,
      });
      expect(row(tjId, 'decided')).toMatchObject({ actor: 'lead@example.com', details: '{"decision":"reject"}' });
      expect(row(tjId, 'threshold_written')).toBeUndefined();
      const stored = await warehouse.all(`SELECT owner, field, value, previous, approved_by FROM owner_thresholds`);
      expect(stored).toEqual([
        { owner: 'ben', field: 'scale_roas', value: 140, previous: 130, approved_by: 'ben.lead@example.com' },
      ]);
    } finally {
      warehouse.close();
    }
  });
});
