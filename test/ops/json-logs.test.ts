import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/temporal.mjs';
import { spawnWorker, waitFor } from '../support/processes';
import { testClient, testConfig, workerProcessEnv } from '../support/temporal';

type Line = Record<string, unknown>;

/** Every line the process wrote, each parsed as JSON (JSON.parse throws on any that is not). */
function jsonLines(output: string): Line[] {
  return output
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        return JSON.parse(l) as Line;
      } catch {
        throw new Error(`not a JSON line: ${l}`);
      }
    });
}

describe("the worker's logs", () => {
  it("are JSON lines: a workflow's carry its workflowId and runId, an activity's its type and attempt; secrets are redacted", async () => {
    const port = await freePort();
    const base = testConfig();
    // DEBUG: the SDK logs each workflow's and activity's start and end at that level.
    const env = workerProcessEnv(base, { LOG_LEVEL: 'DEBUG', HTTP_PORT: String(port) });
    const client = await testClient(base);
    const worker = spawnWorker(env);
    const secret = 'not-a-jwt-but-secret-all-the-same-7731';
    try {
      const workflowId = `logs-${base.TEMPORAL_TASK_QUEUE}`;
      const handle = await client.workflow.start('healthcheck', {
        taskQueue: base.TEMPORAL_TASK_QUEUE,
        workflowId,
        args: [{ note: 'log me' }],
      });
      await handle.result();
      const { runId } = await handle.describe();
      // A request with a credential: the server logs its headers at DEBUG, the credential redacted.
      await waitFor(() => worker.output().includes('"url"'), 30_000, 'the HTTP server');
      const res = await fetch(`http://127.0.0.1:${port}/api/facebook/alerts/scaling`, {
        headers: { authorization: `Bearer ${secret}` },
      });
      expect(res.status).toBe(401);
      const lines = await waitFor(
        () => {
          const parsed = jsonLines(worker.output());
          return parsed.some((l) => l.msg === 'http request') && parsed;
        },
        10_000,
        'the request line',
      );

      const workflowLine = lines.find((l) => l.workflowId === workflowId && l.workflowType === 'healthcheck');
      expect(workflowLine, 'a line of the healthcheck workflow').toBeDefined();
      expect(workflowLine!.runId).toBe(runId);
      const activityLine = lines.find((l) => l.activityType === 'probeWarehouse' && l.workflowId === workflowId);
      expect(activityLine, 'a line of the probeWarehouse activity').toBeDefined();
      expect(activityLine!.attempt).toBe(1);
      expect(activityLine!.workflowRunId).toBe(runId);
      for (const l of lines) {
        expect(typeof l.level).toBe('string');
        expect(typeof l.time).toBe('string');
      }

      const request = lines.find((l) => l.msg === 'http request')!;
      expect(request.route).toBe('GET /api/facebook/alerts/scaling');
      expect((request.headers as Record<string, string>).authorization).toBe('[Redacted]');
      expect(worker.output()).not.toContain(secret);
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
      await client.connection.close();
    }
    // Shutdown's own lines are JSON too.
    expect(jsonLines(worker.output()).some((l) => l.msg === 'worker stopped, warehouse closed')).toBe(true);
  });
});
