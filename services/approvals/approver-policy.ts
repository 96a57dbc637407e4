import { readFileSync } from 'node:fs';
import { ApplicationFailure } from '@temporalio/common';
import { approverPolicySchema, type ApproverPolicy } from '../../lib/approvals/approvers';
import type { Config } from '../../lib/config';

/** APPROVERS_FILE, read at each use (an edited file applies at once); a bad file is a final ConfigError. */
export function readApproverPolicy(config: Pick<Config, 'APPROVERS_FILE'>): ApproverPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(config.APPROVERS_FILE, 'utf8'));
  } catch (err) {
    throw ApplicationFailure.nonRetryable(
      `APPROVERS_FILE=${config.APPROVERS_FILE} cannot be read as JSON: ${(err as Error).message}`,
      'ConfigError',
    );
  }
  const policy = approverPolicySchema.safeParse(raw);
  if (!policy.success) {
    const issue = policy.error.issues[0]!;
    throw ApplicationFailure.nonRetryable(
      `APPROVERS_FILE ${config.APPROVERS_FILE}: ${issue.path.join('.')}: ${issue.message}`,
      'ConfigError',
    );
  }
  return policy.data;
}
