import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config';
import { testConfig, withWorker } from '../support/temporal';

const APPROVAL_SECRET = 'approval-secret-approval-secret-42';

describe("the worker's HTTP server, as seen from outside", () => {
  it('binds 127.0.0.1 unless HTTP_HOST says otherwise, so the approval pages and API are not on the network by default', async () => {
    expect(parseConfig({}).HTTP_HOST).toBe('127.0.0.1');
    await withWorker(testConfig(), async (main) => {
      const { address, port } = main.http!.server.address() as AddressInfo;
      // Bound to the loopback address itself (not 0.0.0.0), so no other interface answers. The
      // test sends nothing to non-loopback addresses: tests here talk to loopback only.
      expect(address).toBe('127.0.0.1');
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    });
  });

  it('rate-limits the approval pages and the rules API per client, each in its own bucket, and never /healthz', async () => {
    await withWorker(testConfig({ RATE_LIMIT_PER_MINUTE: '2', APPROVAL_SECRET }), async (main) => {
      const url = main.http!.url;
      const approve = async () => [
        (await fetch(`${url}/approve/not-a-token`)).status,
        (
          await fetch(`${url}/approve/not-a-token`, {
            method: 'POST',
            body: 'decision=approve',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          })
        ).status,
        (await fetch(`${url}/approve/not-a-token`)).status,
      ];
      // A forged link gets its 403 twice (GET and POST share one bucket); the third try in the minute is cut off.
      expect(await approve()).toEqual([403, 403, 429]);

      const rules = [];
      for (let i = 0; i < 3; i++) rules.push((await fetch(`${url}/api/rules/raise-roas-winners/executions`)).status);
      // The API has its own bucket, so the approvals above did not use it up: two 401s, then 429.
      expect(rules).toEqual([401, 401, 429]);
      const limited = await fetch(`${url}/api/rules/raise-roas-winners/executions`);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);

      for (let i = 0; i < 3; i++) expect((await fetch(`${url}/healthz`)).status).toBe(200);
    });
  });
});
