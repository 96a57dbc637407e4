import { describe, expect, it } from 'vitest';
import { pendingFor } from '../../lib/reports/approval-links';
import type { CellRow } from '../../lib/reports/arrow';

const row = (over: Partial<CellRow>): CellRow => ({
  workflow_id: 'budget-change/B1/2025-10-13/scale_up',
  approval_state: 'awaiting approval',
  approvers: 'Lead@Example.com, ben@example.com',
  expires_at: '2025-10-14T10:00:00.000Z',
  campaign_name: 'B1 name',
  alert: 'Scale +40%',
  ...over,
});

describe('which proposals a recipient may approve', () => {
  it('matches the recipient among the approvers, ignoring case, and keeps the address as the proposal named it', () => {
    expect(pendingFor([row({})], ' lead@example.COM ')).toEqual([
      {
        workflowId: 'budget-change/B1/2025-10-13/scale_up',
        approver: 'Lead@Example.com',
        expiresAt: Date.parse('2025-10-14T10:00:00.000Z'),
        campaign: 'B1 name',
        alert: 'Scale +40%',
      },
    ]);
  });

  it('offers nothing to someone who is not an approver, for a proposal no longer awaiting, or without a readable expiry', () => {
    expect(pendingFor([row({})], 'tj@example.com')).toEqual([]);
    expect(pendingFor([row({})], 'example.com')).toEqual([]); // a substring of an address is not that address
    for (const state of ['approved', 'rejected', 'expired unapproved', 'no proposal yet'])
      expect(pendingFor([row({ approval_state: state })], 'ben@example.com')).toEqual([]);
    expect(pendingFor([row({ expires_at: null })], 'ben@example.com')).toEqual([]);
    expect(pendingFor([row({ expires_at: 'soon' })], 'ben@example.com')).toEqual([]);
    expect(pendingFor([row({ workflow_id: null })], 'ben@example.com')).toEqual([]);
  });

  it('ignores cells that do not carry the approval columns', () => {
    expect(pendingFor([{ campaign_name: 'x', approvers: 'ben@example.com' }], 'ben@example.com')).toEqual([]);
    expect(pendingFor([], 'ben@example.com')).toEqual([]);
  });
});
