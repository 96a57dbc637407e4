import { createHmac } from 'node:crypto';
import { promises as dns, type LookupAddress } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { refusedRange, webhookHostVerdict, webhookOrigin, type WebhookPolicy } from '../../lib/rules/webhook-policy';

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

/** Every address a host name has (A and AAAA), as the system resolver answers. */
export type Resolve = (host: string) => Promise<LookupAddress[]>;
const resolveAll: Resolve = (host) => dns.lookup(host, { all: true, verbatim: true });

export interface WebhookOptions {
  policy: WebhookPolicy;
  timeoutMs?: number;
  /** Tests stand in a resolver that changes its answer (DNS rebinding); default node:dns lookup. */
  resolve?: Resolve;
}

/**
 * Connects only to addresses already vetted: the socket never asks DNS again, so a name that
 * answered a public address for the check cannot answer 127.0.0.1 for the connection.
 */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_host, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}

/** The answer's status; its body is never read, so nothing a receiver says reaches rule history. */
function send(url: URL, options: RequestOptions, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (response) => {
      resolve(response.statusCode ?? 0);
      response.destroy();
    });
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * POSTs a JSON message to a host WEBHOOK_ALLOWED_HOSTS allows, and only if every address the host
 * resolves to is outside loopback, private, link-local, metadata and unspecified ranges. A 3xx is
 * the answer, never followed; a 5xx, a 429 or a network error is retryable, any other non-2xx is
 * the receiver's final no. Messages name the origin and the status only.
 */
export async function postWebhook(
  url: string,
  secret: string,
  payload: unknown,
  nowMs: number,
  options: WebhookOptions,
): Promise<{ status: number }> {
  const { policy, timeoutMs = 10_000, resolve = resolveAll } = options;
  const origin = webhookOrigin(url);
  const verdict = webhookHostVerdict(url, policy);
  if (!verdict.ok) throw new WebhookError(verdict.reason, false);
  let addresses: LookupAddress[];
  try {
    addresses = await resolve(verdict.host);
  } catch (err) {
    throw new WebhookError(
      `webhook ${origin}: ${verdict.host} does not resolve (${(err as NodeJS.ErrnoException).code ?? 'lookup failed'})`,
      true,
    );
  }
  if (addresses.length === 0) throw new WebhookError(`webhook ${origin}: ${verdict.host} has no address`, true);
  for (const { address } of addresses) {
    const range = refusedRange(address, policy);
    if (range)
      throw new WebhookError(`webhook ${origin} refused: ${verdict.host} resolves to a ${range} address`, false);
  }
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(nowMs / 1000);
  let status: number;
  try {
    status = await send(
      new URL(url),
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
        },
        lookup: pinnedLookup(addresses),
        // A pooled socket could outlive the addresses vetted for this message.
        agent: false,
        signal: AbortSignal.timeout(timeoutMs),
      },
      body,
    );
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.name === 'AbortError' || e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.code ?? e.message);
    throw new WebhookError(`webhook ${origin} unreachable: ${why}`, true);
  }
  if (status >= 200 && status < 300) return { status };
  if (status >= 300 && status < 400)
    throw new WebhookError(`webhook ${origin} answered ${status}: redirects are not followed`, false);
  throw new WebhookError(`webhook ${origin} answered ${status}`, status >= 500 || status === 429);
}
