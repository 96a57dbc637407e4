import { readFileSync } from 'node:fs';
import { ApplicationFailure } from '@temporalio/activity';
import { approverPolicySchema, usesSlack, type ApproverPolicy } from '../../lib/approvals/approvers';
import type { Config } from '../../lib/config';

/** APPROVERS_FILE could not be read or does not fit the schema; the message names the file and field. */
export class ApproversFileError extends Error {
  override name = 'ApproversFileError';
}

/** APPROVERS_FILE, read now: an edited file applies to the next proposal and the next click. */
export function readApproverPolicy(path: string): ApproverPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ApproversFileError(`APPROVERS_FILE=${path} cannot be read as JSON: ${(err as Error).message}`);
  }
  const policy = approverPolicySchema.safeParse(raw);
  if (!policy.success) {
    const issue = policy.error.issues[0]!;
    throw new ApproversFileError(`APPROVERS_FILE ${path}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return policy.data;
}

/** For activities: APPROVERS_FILE now, its problems final (a retry would read the same file). */
export function approverPolicyOrFail(path: string): ApproverPolicy {
  try {
    return readApproverPolicy(path);
  } catch (err) {
    if (err instanceof ApproversFileError) throw ApplicationFailure.nonRetryable(err.message, 'ConfigError');
    throw err;
  }
}

/**
 * At start-up: an approver who chose Slack can neither be asked nor have their click believed
 * without the bot token and the signing secret, so the process stops naming the missing one.
 * A missing file is the demo's and the activities' business (they say so when a proposal needs it).
 */
export function checkSlackSettings(config: Config, exists: (path: string) => boolean): void {
  if (!exists(config.APPROVERS_FILE)) return;
  const policy = readApproverPolicy(config.APPROVERS_FILE);
  if (!usesSlack(policy)) return;
  for (const name of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'] as const) {
    if (!config[name])
      throw new ApproversFileError(
        `${name} is not set, but APPROVERS_FILE ${config.APPROVERS_FILE} asks an approver on Slack (docs/slack.md)`,
      );
  }
}
