import { join } from 'node:path';
import { createAuditActivities } from '../../activities/approvals/audit';
import { evaluateAndStore } from '../../services/decisions/evaluate-day';
import type { Warehouse } from '../../services/warehouse/warehouse';
import type { Config } from '../../lib/config';
import type { MetricRow } from './fixtures';

/**
 * What the pipeline, the approvals, the Meta sync and the ingest leave in the warehouse beside the
 * metrics, for the hand example of fixtures.ts (as_of 2025-10-13, yesterday 10-12, TZ
 * America/New_York = UTC-4 that day). Expectations in ops-cells.test.ts.
 */
export const TZ = 'America/New_York';
export const APPROVAL_SECRET = 'report-test-approval-secret-0123456789abcdef';
export const PUBLIC_BASE_URL = 'http://127.0.0.1:8080';
export const WF = {
  b1: 'budget-change/B1/2025-10-13/scale_up',
  b2: 'budget-change/B2/2025-10-13/cut_loss',
  t2: 'budget-change/T2/2025-10-12/scale_up',
};
export const EXPIRES = '2025-10-14T10:00:00.000Z'; // Tue Oct 14, 06:00 in New York

/**
 * A1 ana: a steady campaign whose spend and revenue jump yesterday, so the anomaly rules have
 * spread to measure against: spend 100, 110, 90, 100, 110, 90, 100 on 10-05..10-11 (median 100,
 * population sd sqrt(400 / 7) = 7.559), then 130 on 10-12; revenue always 1.2 x spend.
 */
export function anomalyRows(): MetricRow[] {
  const spends = ['100.00', '110.00', '90.00', '100.00', '110.00', '90.00', '100.00', '130.00'];
  return spends.map((spend, i) => ({
    date: `2025-10-${String(5 + i).padStart(2, '0')}`,
    campaign_id: 'A1',
    campaign_name: 'AutoQuotes_FB_Ana',
    owner: 'ana',
    category: 'Auto',
    spend,
    revenue: (Number(spend) * 1.2).toFixed(2),
  }));
}

/** The decision engine's real pass over the day (decisions, alerts, anomaly flags), as the pipeline runs it. */
export async function evaluateHandDay(warehouse: Warehouse, asOf = '2025-10-13') {
  return evaluateAndStore(
    warehouse,
    { TZ, RULES_DIR: join(import.meta.dirname, '../../rules') } as Config,
    { global: {}, owners: {} },
    asOf,
  );
}

async function alert(
  warehouse: Warehouse,
  a: {
    asOf: string;
    campaign: string;
    type: 'scale_up' | 'cut_loss';
    owner: string;
    priority: string;
    roas: number;
    gain?: string;
    loss?: string;
    status: string;
    workflow?: string;
    note?: string;
  },
) {
  await warehouse.run(
    `INSERT INTO alerts (as_of, entity_type, entity_id, campaign_id, type, owner, priority, current_roas, recommendation, potential_margin_gain, daily_loss, reason, status, workflow_id, note)
     VALUES ($1::DATE, 'campaign', $2, $2, $3, $4, $5, $6, $7, $8::DECIMAL(18, 2), $9::DECIMAL(18, 2), $10, $11, $12, $13)`,
    [
      a.asOf,
      a.campaign,
      a.type,
      a.owner,
      a.priority,
      a.roas,
      a.type === 'scale_up' ? 'increase_budget_40_percent' : 'pause_campaign',
      a.gain ?? null,
      a.loss ?? null,
      a.type === 'scale_up' ? 'ROAS >130% for 3+ days' : 'ROAS <80% for 5 days, negative margin',
      a.status,
      a.workflow ?? null,
      a.note ?? null,
    ],
  );
}

/**
 * Alerts and their proposals, written through the real audit activity (hash chain and all):
 * - B1 scale_up (ben, high, +$20.04 a day): awaiting lead@example.com alone.
 * - B2 cut_loss (ben, medium, -$14.00 a day): awaiting ben@example.com and lead@example.com.
 * - T2 scale_up (tj, raised 10-12 and again 10-13): approved by lead@example.com on 10-12's proposal.
 * - T3 cut_loss (tj, open): no proposal, noted "no Meta campaign is mapped".
 * - not shown: B2's expired alert of 10-10, T1's dismissed one of 10-11, and B1's alert of 10-14.
 */
export async function handAlerts(warehouse: Warehouse) {
  await alert(warehouse, {
    asOf: '2025-10-13',
    campaign: 'B1',
    type: 'scale_up',
    owner: 'ben',
    priority: 'high',
    roas: 150,
    gain: '20.04',
    status: 'acted',
    workflow: WF.b1,
  });
  await alert(warehouse, {
    asOf: '2025-10-13',
    campaign: 'B2',
    type: 'cut_loss',
    owner: 'ben',
    priority: 'medium',
    roas: 50,
    loss: '14.00',
    status: 'acted',
    workflow: WF.b2,
  });
  await alert(warehouse, {
    asOf: '2025-10-12',
    campaign: 'T2',
    type: 'scale_up',
    owner: 'tj',
    priority: 'medium',
    roas: 125,
    gain: '4.00',
    status: 'acted',
    workflow: WF.t2,
  });
  await alert(warehouse, {
    asOf: '2025-10-13',
    campaign: 'T2',
    type: 'scale_up',
    owner: 'tj',
    priority: 'medium',
    roas: 160,
    gain: '12.00',
    status: 'open',
  });
  await alert(warehouse, {
    asOf: '2025-10-13',
    campaign: 'T3',
    type: 'cut_loss',
    owner: 'tj',
    priority: 'medium',
    roas: 0,
    loss: '0.06',
    status: 'open',
    note: 'no Meta campaign is mapped to this strateg.is campaign (scaleflow map set)',
  });
  await alert(warehouse, {
    asOf: '2025-10-10',
    campaign: 'B2',
    type: 'cut_loss',
    owner: 'ben',
    priority: 'medium',
    roas: 75,
    loss: '9.00',
    status: 'expired',
  });
  await alert(warehouse, {
    asOf: '2025-10-11',
    campaign: 'T1',
    type: 'cut_loss',
    owner: 'tj',
    priority: 'high',
    roas: 70,
    loss: '600.00',
    status: 'dismissed',
  });
  await alert(warehouse, {
    asOf: '2025-10-14',
    campaign: 'B1',
    type: 'scale_up',
    owner: 'ben',
    priority: 'high',
    roas: 170,
    gain: '30.00',
    status: 'open',
  });

  const { appendAudit } = createAuditActivities({ warehouse, secret: 'report-test-audit-secret-0123456789abcdef' });
  const log = (
    workflowId: string,
    campaignId: string,
    owner: string,
    event: string,
    details: Record<string, unknown>,
    actor?: string,
  ) =>
    appendAudit({
      event,
      workflowId,
      runId: 'run-1',
      campaignId,
      owner,
      details,
      actor: actor ? { who: actor } : undefined,
    });
  await log(WF.b1, 'B1', 'ben', 'proposed', { proposal: { campaignId: 'B1' } });
  await log(WF.b1, 'B1', 'ben', 'approval_requested', { approvers: ['lead@example.com'], expiresAt: EXPIRES });
  await log(WF.b2, 'B2', 'ben', 'proposed', { proposal: { campaignId: 'B2' } });
  await log(WF.b2, 'B2', 'ben', 'approval_requested', {
    approvers: ['ben@example.com', 'lead@example.com'],
    expiresAt: EXPIRES,
  });
  await log(WF.t2, 'T2', 'tj', 'proposed', { proposal: { campaignId: 'T2' } });
  await log(WF.t2, 'T2', 'tj', 'approval_requested', {
    approvers: ['lead@example.com'],
    expiresAt: '2025-10-13T10:00:00.000Z',
  });
  await log(WF.t2, 'T2', 'tj', 'decided', { decision: 'approve' }, 'lead@example.com');
}

const SYNC = (hour: string, finished: boolean) =>
  `INSERT INTO meta_sync_runs (snapshot_hour, finished_at, accounts, campaigns) VALUES ('${hour}', ${finished ? `'${hour}'` : 'NULL'}, 1, 5)`;

/**
 * The Meta sync: hours 09:00Z and 10:00Z complete (05:00 and 06:00 in New York: a quarter of
 * 10-13 gone at the latest), 11:00Z still running (ignored). Latest state per campaign:
 * - m-B1 (B1): $100.00 of $400.00 = 25%: on pace.   - m-B2 (B2): $60.00 of $100.00 = 60%: over pace.
 * - m-T1 (T1): $40.00 of $800.00 = 5%: under pace.  - m-T2 (T2): $50.00 of $50.00: spent out.
 * - m-T3 (T3): lifetime budget only.                 - m-X9 (unmapped): paused, team report only.
 */
export async function handMetaSync(warehouse: Warehouse) {
  for (const [campaign, meta, owner] of [
    ['B1', 'm-B1', 'ben'],
    ['B2', 'm-B2', 'ben'],
    ['T1', 'm-T1', 'tj'],
    ['T2', 'm-T2', 'tj'],
    ['T3', 'm-T3', 'tj'],
  ] as const) {
    await warehouse.run(
      `INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, account_id) VALUES ($1, $2, $3, 'act_1')
       ON CONFLICT (campaign_id) DO UPDATE SET meta_campaign_id = excluded.meta_campaign_id`,
      [campaign, meta, owner],
    );
  }
  await warehouse.run(SYNC('2025-10-13 09:00:00+00', true));
  await warehouse.run(SYNC('2025-10-13 10:00:00+00', true));
  await warehouse.run(SYNC('2025-10-13 11:00:00+00', false));
  const snap = (
    hour: string,
    meta: string,
    name: string,
    status: string,
    daily: string | null,
    lifetime: string | null,
    spend: string,
  ) =>
    warehouse.run(
      `INSERT INTO meta_campaign_snapshots (snapshot_hour, account_id, meta_campaign_id, name, status, currency, daily_budget, lifetime_budget, is_cbo, report_date, spend)
       VALUES ($1::TIMESTAMPTZ, 'act_1', $2, $3, $4, 'USD', $5::DECIMAL(18, 2), $6::DECIMAL(18, 2), true, '2025-10-13', $7::DECIMAL(18, 2))`,
      [hour, meta, name, status, daily, lifetime, spend],
    );
  for (const hour of ['2025-10-13 09:00:00+00', '2025-10-13 11:00:00+00']) {
    // Other hours' numbers, which must not show: 09:00Z is older, 11:00Z never finished.
    for (const meta of ['m-B1', 'm-B2', 'm-T1', 'm-T2'])
      await snap(hour, meta, `Meta ${meta}`, 'ACTIVE', '999.00', null, '1.00');
  }
  const at = '2025-10-13 10:00:00+00';
  await snap(at, 'm-B1', 'Meta B1', 'ACTIVE', '400.00', null, '100.00');
  await snap(at, 'm-B2', 'Meta B2', 'ACTIVE', '100.00', null, '60.00');
  await snap(at, 'm-T1', 'Meta T1', 'ACTIVE', '800.00', null, '40.00');
  await snap(at, 'm-T2', 'Meta T2', 'ACTIVE', '50.00', null, '50.00');
  await snap(at, 'm-T3', 'Meta T3', 'ACTIVE', null, '500.00', '0.20');
  await snap(at, 'm-X9', 'Unmapped_Meta_Campaign', 'PAUSED', '20.00', null, '0.00');
}

/**
 * Ingest history: two loaded strateg.is batches in the week (10-12 and 10-13, the last finished
 * 06:02 New York time), one rejected file, one batch before the window (10-05, must not count).
 * Quarantined in the window: 2 rows "date after yesterday", 1 "duplicate"; 1 more in the old batch.
 * Restated in the window: B1 10-10 revenue 130.00 -> 135.50 and T1 10-11 260.00 -> 250.00 (-$4.50).
 */
export async function handIngest(warehouse: Warehouse) {
  const batch = (
    id: string,
    asOf: string,
    status: string,
    finished: string | null,
    quarantined: number,
    restated: number,
  ) =>
    warehouse.run(
      `INSERT INTO ingest_batches (batch_id, sha256, file, source, as_of, started_at, finished_at, status, quarantined, restated)
       VALUES ($1, $1, $1 || '.csv', 'http', $2::DATE, coalesce($3::TIMESTAMPTZ, now()), $3::TIMESTAMPTZ, $4, $5, $6)`,
      [id, asOf, finished, status, quarantined, restated],
    );
  await batch('b-old', '2025-10-05', 'loaded', '2025-10-05 10:01:00+00', 1, 0);
  await batch('b-12', '2025-10-12', 'loaded', '2025-10-12 10:01:00+00', 1, 1);
  await batch('b-bad', '2025-10-13', 'rejected', '2025-10-13 09:30:00+00', 0, 0);
  await batch('b-13', '2025-10-13', 'loaded', '2025-10-13 10:02:00+00', 2, 1);
  const quarantine = (id: string, line: number, reason: string) =>
    warehouse.run(
      `INSERT INTO quarantine_rows (batch_id, sha256, file, line, reason, raw) VALUES ($1, $1, $1 || '.csv', $2, $3, 'raw')`,
      [id, line, reason],
    );
  await quarantine('b-old', 4, 'spend: negative');
  await quarantine('b-12', 7, 'duplicate');
  await quarantine('b-13', 3, 'date after yesterday');
  await quarantine('b-13', 9, 'date after yesterday');
  const restate = (id: string, prev: string, date: string, campaign: string, oldRevenue: string, newRevenue: string) =>
    warehouse.run(
      `INSERT INTO restatements (batch_id, previous_batch_id, date, campaign_id, adset_id, old_spend, new_spend, old_revenue, new_revenue, old_values, new_values)
       VALUES ($1, $2, $3::DATE, $4, '', 0, 0, $5::DECIMAL(18, 2), $6::DECIMAL(18, 2), '{}', '{}')`,
      [id, prev, date, campaign, oldRevenue, newRevenue],
    );
  await restate('b-12', 'b-old', '2025-10-10', 'B1', '130.00', '135.50');
  await restate('b-13', 'b-12', '2025-10-11', 'T1', '260.00', '250.00');
}

/**
 * Everything above but the anomaly rows, after the hand example is loaded: the state the daily
 * report of 2025-10-13 reads (anomalyRows() would change the other cells' hand-computed totals).
 */
export async function handOperations(warehouse: Warehouse) {
  await evaluateHandDay(warehouse);
  await handAlerts(warehouse);
  await handMetaSync(warehouse);
  await handIngest(warehouse);
}
