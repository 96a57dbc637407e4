import { workflowInfo } from '@temporalio/workflow';
import type { HealthcheckInput, ProbeResult } from '../lib/healthcheck';
import { proxyOn } from './queues';

const { probeWarehouse } = proxyOn('warehouse', {
  startToCloseTimeout: '10 minutes',
  // A killed worker stops heartbeating; the retry moves to a live worker within seconds.
  heartbeatTimeout: '5 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

/** Proves the whole path: Temporal -> worker -> activity -> DuckDB write and read back. */
export async function healthcheck(input: HealthcheckInput = {}): Promise<ProbeResult> {
  return probeWarehouse({
    probeId: workflowInfo().workflowId,
    note: input.note ?? 'hello from scaleflow',
    holdMs: Number(input.holdMs ?? 0),
  });
}
