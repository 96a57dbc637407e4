import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack refuses to replay requests older than this; so do we (a captured click cannot be re-sent later). */
export const SLACK_MAX_SKEW_SECONDS = 5 * 60;

/** Slack's v0 request signature: HMAC-SHA256 of `v0:<timestamp>:<raw body>` under the app's signing secret. */
export function slackSignature(secret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/**
 * Why a request does not come from Slack (a reason to log, never shown in detail to the caller),
 * or null when it does. The comparison is constant-time so the signature cannot be guessed byte by byte.
 */
export function slackRequestProblem(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: string,
  nowMs: number,
): string | null {
  const { timestamp, signature } = headers;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return 'X-Slack-Request-Timestamp is missing or not a number';
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SLACK_MAX_SKEW_SECONDS)
    return 'X-Slack-Request-Timestamp is more than 5 minutes from now';
  if (!signature) return 'X-Slack-Signature is missing';
  const expected = Buffer.from(slackSignature(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'X-Slack-Signature does not match';
  return null;
}
