import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { BudgetChangeStatus } from '../../lib/approvals/proposal';
import { parseConfig } from '../../lib/config';
import { workflowIds } from '../../lib/names';
import { freePort } from '../../scripts/temporal.mjs';
import { startMetaSandbox } from '../../workers/meta-sandbox/server';
import { APPROVAL_SECRET, linkIn, proposal } from '../approvals/harness';
import { metaEnv } from '../meta/harness';
import { startOtlpReceiver } from '../support/otlp-receiver';
import { spawnWorker, waitFor } from '../support/processes';
import { startSmtpCapture } from '../support/smtp';
import { testClient, testConfig, workerProcessEnv } from '../support/temporal';

describe('traces', () => {
  // The worker bundles its workflows at start (a minute under load) before anything runs.
  it(
    'an approval click and the Meta budget write it causes are one trace, exported by OTLP',
    { timeout: 240_000 },
    async () => {
      const otlp = await startOtlpReceiver();
      const smtp = await startSmtpCapture();
      const sandbox = await startMetaSandbox();
      sandbox.state.addAccount('act_1001', { currency: 'USD' });
      sandbox.state.addCampaign('act_1001', { name: 'Dental_W', dailyBudget: 20000 }, '501');
      const port = await freePort();
      const base = testConfig();
      const approvers = join(inject('scratchDir'), `approvers-traces-${port}.json`);
      writeFileSync(approvers, JSON.stringify({ default: ['lead@example.com'] }));
      const env = workerProcessEnv(base, {
        HTTP_PORT: String(port),
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        APPROVAL_SECRET,
        APPROVERS_FILE: approvers,
        SMTP_URL: smtp.url,
        ...metaEnv(sandbox, ['act_1001']),
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
        // The exporter's batch goes out within 100 ms rather than 5 s.
        OTEL_BSP_SCHEDULE_DELAY: '100',
        // Empty: the worker bundles the workflows at start, with the tracing interceptors.
        WORKFLOW_BUNDLE_PATH: '',
      });
      const config = parseConfig(env);
      const client = await testClient(config);
      const p = proposal({ campaignId: 'traced-w', metaCampaignId: '501', accountId: 'act_1001' });
      const workflowId = `${workflowIds.budgetChange(p.campaignId, p.date, p.type)}-${config.TEMPORAL_TASK_QUEUE}`;
      const worker = spawnWorker(env);
      try {
        const handle = await client.workflow.start('budgetChange', {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowId,
          args: [{ proposal: p, settings: { approvalTimeoutMs: 600_000, outcomeDelayMs: 3_600_000, dryRun: false } }],
        });
        const mail = await waitFor(
          () => smtp.messages.find((m) => m.text?.includes('traced-w')),
          90_000,
          'the approval email',
        );
        // The click comes from a traced caller (a proxy, a browser's RUM): its W3C traceparent is the root.
        const traceId = randomBytes(16).toString('hex');
        const callerSpanId = randomBytes(8).toString('hex');
        const click = await fetch(linkIn(mail.text), {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            traceparent: `00-${traceId}-${callerSpanId}-01`,
          },
          body: new URLSearchParams({ decision: 'approve' }).toString(),
        });
        expect(click.status).toBe(200);
        await waitFor(
          async () => ((await handle.query('status')) as BudgetChangeStatus).state === 'written',
          60_000,
          'the write',
        );
        expect(sandbox.state.campaign('501')!.dailyBudget).toBe(28000);
        const write = await waitFor(
          () => otlp.spans.find((s) => s.name === 'RunActivity:applyBudgetChange'),
          30_000,
          'the span of the Meta write',
        );
        expect(write.traceId).toBe(traceId);

        const trace = otlp.spans.filter((s) => s.traceId === traceId);
        const byId = new Map(trace.map((s) => [s.spanId, s]));
        // The HTTP request's span is the caller's child; each span up from the write leads back to it.
        const request = trace.find((s) => s.parentSpanId === callerSpanId)!;
        expect(request.name).toBe('POST /approve/:token');
        const chain: string[] = [];
        for (let s: (typeof trace)[number] | undefined = write; s; s = byId.get(s.parentSpanId ?? ''))
          chain.unshift(s.name);
        expect(chain).toEqual([
          'POST /approve/:token',
          'StartWorkflowUpdate:decide',
          'HandleUpdate:decide',
          'StartActivity:applyBudgetChange',
          'RunActivity:applyBudgetChange',
        ]);
        expect(new Set(trace.map((s) => s.service))).toEqual(new Set(['scaleflow']));
        await handle.terminate('test done: the outcome check is an hour away');
      } finally {
        worker.child.kill('SIGTERM');
        await worker.exited;
        await client.connection.close();
        await sandbox.close();
        await smtp.close();
        await otlp.close();
      }
    },
  );
});
