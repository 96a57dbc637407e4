import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { ProposalInput } from '../../lib/approvals/proposal';
import { proposalSchema } from '../../lib/approvals/proposal';
import { freePort } from '../../scripts/temporal.mjs';
import type { SmtpCapture } from '../support/smtp';
import { testConfig } from '../support/temporal';

export const APPROVAL_SECRET = 'approval-secret-approval-secret-42';

/** A worker config wired to a loopback SMTP server, an approvers file and a known HTTP port. */
export async function approvalConfig(smtp: SmtpCapture, overrides: Record<string, string> = {}) {
  const port = await freePort();
  const approversFile = join(inject('scratchDir'), `approvers-${port}.json`);
  writeFileSync(
    approversFile,
    JSON.stringify({
      default: ['lead@example.com'],
      owners: { ben: ['ben.lead@example.com', 'lead@example.com'] },
      managers: ['boss@example.com'],
      manager_above_usd: 500,
    }),
  );
  return testConfig({
    APPROVAL_SECRET,
    APPROVERS_FILE: approversFile,
    SMTP_URL: smtp.url,
    HTTP_PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    ...overrides,
  });
}

export function proposal(overrides: Partial<ProposalInput> = {}) {
  return proposalSchema.parse({
    campaignId: 'simt3jv06u3',
    campaignName: 'DentalImplantTrials_FB_HB_BH',
    metaCampaignId: '120210000000001',
    accountId: 'act_1001',
    owner: 'ben',
    date: '2025-10-12',
    type: 'scale_up',
    action: { kind: 'set_daily_budget', fromCents: 20000, toCents: 28000 },
    reason: 'ROAS >130% for 3+ days',
    evidence: { roas_3d: 142.1, margin_yesterday: '278.40' },
    ...overrides,
  });
}

/** The review link in an approval email's plain-text part. */
export function linkIn(text: string | undefined): string {
  const match = /Review and decide: (\S+)/.exec(text ?? '');
  if (!match) throw new Error(`no approval link in:\n${text}`);
  return match[1]!;
}

export function postDecision(link: string, decision: string) {
  return fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ decision }).toString(),
  });
}
