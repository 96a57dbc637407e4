import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { loadRuleSet } from '../../../services/rules/files';
import { cachedWorkflowBundle } from '../../support/workflow-bundle';

describe('inside a Temporal workflow', () => {
  it("the decision engine, the optimiser and the schedule's date in TZ run in the deterministic sandbox", async () => {
    const address = inject('temporalAddress');
    const taskQueue = `decisions-probe-${randomUUID().slice(0, 8)}`;
    const connection = await NativeConnection.connect({ address });
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowBundle: {
        codePath: await cachedWorkflowBundle(fileURLToPath(new URL('./sandbox/probe-workflow.ts', import.meta.url))),
      },
    });
    const client = new Client({ connection: await Connection.connect({ address }) });
    try {
      const sources = loadRuleSet(fileURLToPath(new URL('../../../rules', import.meta.url))).rules.map((r) => ({
        id: r.rule.id,
        source: r.source,
      }));
      const result = await worker.runUntil(
        client.workflow.execute('decisionProbe', {
          taskQueue,
          workflowId: `decision-probe-${randomUUID()}`,
          args: [sources],
        }),
      );
      // 7 days at roas 150.0 with $100 a day: scale; its streak is alerted (decision agrees);
      // the optimiser raises 100 -> 120: the fit has only seen $100 a day, and a recommendation stays
      // within one exploration step (EXPLORE_PCT 20) of it: 100 x 1.2 = 120, below max_change_pct's 150
      // and 2025-10-13T02:30Z is 22:30 on the 12th in New York (EDT, UTC-4)
      expect(result).toEqual({ recommendation: 'scale_40_percent', alerts: 1, spend: 120, scheduledDay: '2025-10-12' });
    } finally {
      await client.connection.close();
      await connection.close();
    }
  });
});
