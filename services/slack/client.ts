import { WebClient } from '@slack/web-api';
import type { Config } from '../../lib/config';

/**
 * The Web API client for SLACK_API_URL. Temporal retries a failed send, so the client does not
 * also retry on its own (two retry loops would multiply the wait and the duplicates).
 */
export function slackClient(config: Pick<Config, 'SLACK_BOT_TOKEN' | 'SLACK_API_URL'>): WebClient {
  return new WebClient(config.SLACK_BOT_TOKEN, {
    slackApiUrl: config.SLACK_API_URL,
    retryConfig: { retries: 0 },
    timeout: 30_000,
  });
}

/** A reply through an interaction's response_url (signed by Slack, so it is Slack's own hook). */
export async function replyTo(responseUrl: string, message: Record<string, unknown>): Promise<void> {
  const res = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`Slack's response_url answered ${res.status}`);
}
