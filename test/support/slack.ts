import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';

/** One call the loopback Slack received: a Web API method or a response_url reply. */
export interface SlackCall {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

export interface SlackStandIn {
  /** SLACK_API_URL for the worker. */
  apiUrl: string;
  /** A response_url this server answers, as Slack hands one out with each interaction. */
  responseUrl: string;
  calls: SlackCall[];
  close(): Promise<void>;
}

/**
 * A loopback server speaking the part of Slack's Web API scaleflow calls (chat.postMessage,
 * chat.update), answering as Slack does ({ok, channel, ts}), and taking response_url replies.
 * The SDK posts form-encoded arguments with nested values (blocks) as JSON strings; they are
 * decoded here so tests read them as objects.
 */
export async function startSlackStandIn(token: string): Promise<SlackStandIn> {
  const calls: SlackCall[] = [];
  let seq = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const type = req.headers['content-type'] ?? '';
    const body: Record<string, unknown> = type.includes('json')
      ? (JSON.parse(text) as Record<string, unknown>)
      : Object.fromEntries(
          [...new URLSearchParams(text)].map(([k, v]) => [k, k === 'blocks' ? (JSON.parse(v) as unknown) : v]),
        );
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    calls.push({ path, authorization: req.headers.authorization, body });
    const answer = (json: unknown) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    if (path.startsWith('/response/')) return answer({ ok: true });
    if (req.headers.authorization !== `Bearer ${token}`) return answer({ ok: false, error: 'invalid_auth' });
    if (path === '/api/chat.postMessage') {
      seq += 1;
      // A DM to a member lands in a D… channel, as Slack answers.
      const channel = String(body.channel).replace(/^U/, 'D');
      return answer({
        ok: true,
        channel,
        ts: `1764583200.${String(seq).padStart(6, '0')}`,
        message: { text: body.text },
      });
    }
    if (path === '/api/chat.update') return answer({ ok: true, channel: body.channel, ts: body.ts, text: body.text });
    return answer({ ok: false, error: 'unknown_method' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${base}/api/`,
    responseUrl: `${base}/response/T0001/1/abc`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A button click as Slack delivers it: form-encoded `payload`, signed with the app's signing secret. */
export function signedInteraction(
  secret: string,
  payload: unknown,
  options: { timestamp?: number; signWith?: string } = {},
): { body: string; headers: Record<string, string> } {
  return signedForm(options.signWith ?? secret, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), {
    timestamp: options.timestamp,
  });
}

/** Any form body signed as Slack signs it (computed here as Slack documents it, not with the code under test). */
export function signedForm(secret: string, body: string, options: { timestamp?: number } = {}) {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`,
    },
  };
}

/** A block_actions payload for one button of a posted message. */
export function buttonClick(
  member: string,
  actionId: string,
  message: { channel: string; ts: string },
  responseUrl: string,
) {
  return {
    type: 'block_actions',
    user: { id: member, username: member.toLowerCase() },
    response_url: responseUrl,
    container: { type: 'message', channel_id: message.channel, message_ts: message.ts },
    actions: [{ type: 'button', action_id: actionId, block_id: 'decision', action_ts: '1764583300.000001' }],
  };
}
