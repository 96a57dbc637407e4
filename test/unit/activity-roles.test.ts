import { describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { ACTIVITY_ROLES, activityNamesOf, activityQueue, rolesOf } from '../../lib/activity-roles';
import { parseConfig } from '../../lib/config';
import { noWarehouse, pickRole } from '../../workers/roles';

describe('which activities each worker role registers (lib/activity-roles.ts)', () => {
  const all = createActivities({
    config: parseConfig({
      OUTBOX_DIR: '/nonexistent/outbox',
      AUDIT_SECRET: 'test-audit-secret-test-audit-secret-0123',
    }),
    warehouse: noWarehouse('test'),
  });

  it('gives every activity exactly one role, and each role registers exactly its rows', () => {
    const registered = ACTIVITY_ROLES.flatMap((role) => Object.keys(pickRole(role, all)));
    expect(registered.sort()).toEqual(Object.keys(all).sort());
    expect(new Set(registered).size).toBe(registered.length);
    for (const role of ACTIVITY_ROLES)
      expect(Object.keys(pickRole(role, all)).sort()).toEqual(activityNamesOf(role).sort());
  });

  it('keeps Graph API calls on meta, the stateless sends on io, and everything that touches DuckDB on warehouse', () => {
    expect(activityNamesOf('meta').sort()).toEqual([
      'applyBudgetChange',
      'metaFetchAdSetInsightsPage',
      'metaFetchAdSetsPage',
      'metaFetchAudiencesPage',
      'metaFetchBreakdownPage',
      'metaFetchCampaignsPage',
      'metaFetchInsightsPage',
      'metaReadAccount',
    ]);
    expect(activityNamesOf('io').sort()).toEqual([
      'fetchStrategisReport',
      'requestApproval',
      'requestSlackApproval',
      'requestThresholdApproval',
      'resolveApprovalChannels',
      'resolveApprovers',
      'resolveOwnerApprovers',
    ]);
    expect(activityNamesOf('warehouse')).toEqual(
      expect.arrayContaining([
        'appendAudit',
        'metaLoadSpoolPage',
        'metaSyncStart',
        'metaSyncFinish',
        'loadStrategisFile',
        'recheckProposal',
        'calibrationProposals',
        'writeOwnerThreshold',
      ]),
    );
  });

  it("names the queues beside the workflows' queue, and `all` serves every role", () => {
    expect(ACTIVITY_ROLES.map((r) => activityQueue('scaleflow', r))).toEqual([
      'scaleflow-warehouse',
      'scaleflow-meta',
      'scaleflow-io',
    ]);
    expect(rolesOf('all')).toEqual(['warehouse', 'meta', 'io']);
    expect(rolesOf('meta')).toEqual(['meta']);
  });

  it('a meta or io activity that reached for the warehouse would fail saying so, not open the file', async () => {
    await expect(
      all.appendAudit({ event: 'x', workflowId: 'w', runId: 'r', campaignId: 'c', owner: 'o', details: {} }),
    ).rejects.toThrow(/warehouse is not open in a test worker/);
  });
});
