import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-scaleflow-signature';
export const TIMESTAMP_HEADER = 'x-scaleflow-timestamp';

/**
 * Slack-style signing: HMAC-SHA256 over `v1:<unix seconds>:<body>`, sent as `v1=<hex>` with the
 * timestamp beside it, so a receiver can check the body and refuse replays of old messages.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`v1:${timestamp}:${body}`).digest('hex')}`;
}

export class WebhookError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'WebhookError';
  }
}

/** POSTs a JSON message; a 5xx or a network error is retryable, a 4xx is the receiver's final no. */
export async function postWebhook(url: string, secret: string, payload: unknown, nowMs: number, timeoutMs = 10_000): Promise<{ status: number }> {
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(nowMs / 1000);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body) },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new WebhookError(`webhook ${url} unreachable: ${(err as Error).message}`, true);
  }
  if (!response.ok) throw new WebhookError(`webhook ${url} answered ${response.status}: ${(await response.text()).slice(0, 200)}`, response.status >= 500 || response.status === 429);
  return { status: response.status };
}
