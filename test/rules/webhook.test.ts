import { createHmac } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, WebhookError, type WebhookOptions } from '../../services/rules/webhook';

const SECRET = 'whsec-webhook-test';
const NOW_MS = Date.parse('2025-10-13T14:00:00Z');

/** A receiver on 127.0.0.1 that records every request it gets. */
async function startReceiver(): Promise<{
  port: number;
  requests: Array<{ url: string; headers: IncomingHttpHeaders; body: string }>;
  server: Server;
}> {
  const requests: Array<{ url: string; headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      requests.push({ url: req.url!, headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, requests, server };
}

async function refusal(promise: Promise<unknown>): Promise<WebhookError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WebhookError);
  return err as WebhookError;
}

describe('webhook delivery: addresses are checked after DNS and the connection goes to the checked one', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  const post = (url: string, options: WebhookOptions) => postWebhook(url, SECRET, { text: 'hello' }, NOW_MS, options);

  it('a host name that resolves to 127.0.0.1 (localhost) is refused unless loopback is allowed (tests only)', async () => {
    const url = `http://localhost:${receiver.port}/hook`;
    const before = receiver.requests.length;
    const err = await refusal(post(url, { policy: { allowedHosts: ['localhost'], allowLoopback: false } }));
    expect(err.message).toBe(
      `webhook http://localhost:${receiver.port} refused: localhost resolves to a loopback address`,
    );
    expect(err.retryable).toBe(false);
    expect(receiver.requests.length).toBe(before);

    expect(await post(url, { policy: { allowedHosts: ['localhost'], allowLoopback: true } })).toEqual({ status: 200 });
    expect(receiver.requests.length).toBe(before + 1);
    const got = receiver.requests.at(-1)!;
    const ts = Math.floor(NOW_MS / 1000);
    expect(got.headers['x-scaleflow-signature']).toBe(
      `v1=${createHmac('sha256', SECRET).update(`v1:${ts}:${got.body}`).digest('hex')}`,
    );
  });

  it('a host not in WEBHOOK_ALLOWED_HOSTS, and any host when the list is empty, is refused before DNS is asked', async () => {
    const before = receiver.requests.length;
    let asked = 0;
    const resolve = async (): Promise<LookupAddress[]> => {
      asked++;
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const outsider = await refusal(
      post(`http://127.0.0.1:${receiver.port}/`, {
        policy: { allowedHosts: ['hooks.example.com'], allowLoopback: true },
        resolve,
      }),
    );
    expect(outsider.message).toBe('webhook host 127.0.0.1 is not in WEBHOOK_ALLOWED_HOSTS');
    const off = await refusal(
      post(`http://localhost:${receiver.port}/`, { policy: { allowedHosts: [], allowLoopback: true }, resolve }),
    );
    expect(off.message).toBe('webhooks are off (WEBHOOK_ALLOWED_HOSTS is empty)');
    expect(asked).toBe(0);
    expect(receiver.requests.length).toBe(before);
  });

  it('every address a name resolves to is checked: one internal address among public ones refuses the message', async () => {
    const before = receiver.requests.length;
    const answers: Array<[string, LookupAddress[], string]> = [
      ['169.254.169.254', [{ address: '169.254.169.254', family: 4 }], 'cloud metadata'],
      ['fd00:ec2::254', [{ address: 'fd00:ec2::254', family: 6 }], 'cloud metadata'],
      [
        '10.0.0.7 after a public one',
        [
          { address: '93.184.215.14', family: 4 },
          { address: '10.0.0.7', family: 4 },
        ],
        'private',
      ],
      ['fe80::1', [{ address: 'fe80::1', family: 6 }], 'link-local'],
      ['0.0.0.0', [{ address: '0.0.0.0', family: 4 }], 'unspecified'],
      ['127.0.0.1 as IPv4-mapped IPv6', [{ address: '::ffff:127.0.0.1', family: 6 }], 'loopback'],
    ];
    for (const [what, addresses, range] of answers) {
      const err = await refusal(
        post('https://hooks.example.com/x', {
          policy: { allowedHosts: ['hooks.example.com'], allowLoopback: false },
          resolve: async () => addresses,
        }),
      );
      expect(err.message, what).toBe(
        `webhook https://hooks.example.com refused: hooks.example.com resolves to a ${range} address`,
      );
      expect(err.retryable, what).toBe(false);
    }
    expect(receiver.requests.length).toBe(before);
  });

  it('the connection goes to the address that was checked: DNS is asked once, a second answer (rebinding) is never used', async () => {
    // The first answer is the vetted one; a name whose TTL-0 answer changes gives 169.254.169.254
    // the next time. The system resolver does not know the name at all, so a delivery that asked
    // DNS again would fail; it arrives at 127.0.0.1 with the name in its Host header instead.
    const answers: LookupAddress[][] = [
      [{ address: '127.0.0.1', family: 4 }],
      [{ address: '169.254.169.254', family: 4 }],
    ];
    let asked = 0;
    const resolve = async () => answers[Math.min(asked++, 1)]!;
    const before = receiver.requests.length;
    const sent = await post(`http://rebind.scaleflow.test:${receiver.port}/pinned`, {
      policy: { allowedHosts: ['rebind.scaleflow.test'], allowLoopback: true },
      resolve,
    });
    expect(sent).toEqual({ status: 200 });
    expect(asked).toBe(1);
    expect(receiver.requests.slice(before).map((r) => [r.url, r.headers.host])).toEqual([
      ['/pinned', `rebind.scaleflow.test:${receiver.port}`],
    ]);
  });
});
