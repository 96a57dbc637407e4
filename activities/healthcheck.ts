import { Context } from '@temporalio/activity';
import type { Warehouse } from '../services/warehouse/warehouse';
import type { ProbeInput, ProbeResult } from '../lib/healthcheck';

export function createHealthcheckActivities({ warehouse }: { warehouse: Warehouse }) {
  return {
    /**
     * Writes the probe row (keyed by workflow id, so a retry bumps `attempts` instead of adding a
     * row), optionally holds it open, and reads it back.
     */
    async probeWarehouse({ probeId, note, holdMs = 0 }: ProbeInput): Promise<ProbeResult> {
      await warehouse.run(
        `INSERT INTO healthcheck_probes (probe_id, note) VALUES ($1, $2)
         ON CONFLICT (probe_id) DO UPDATE SET attempts = healthcheck_probes.attempts + 1`,
        [probeId, note],
      );
      const ctx = Context.current();
      for (let waited = 0; waited < holdMs; waited += 200) {
        ctx.heartbeat({ waited });
        await ctx.sleep(Math.min(200, holdMs - waited));
      }
      const row = await warehouse.one<{ probe_id: string; note: string; written_at: string; attempts: number }>(
        'SELECT probe_id, note, written_at::VARCHAR AS written_at, attempts FROM healthcheck_probes WHERE probe_id = $1',
        [probeId],
      );
      if (!row) throw new Error(`probe ${probeId} was written but could not be read back`);
      return { probeId: row.probe_id, note: row.note, writtenAt: row.written_at, attempts: row.attempts };
    },
  };
}
