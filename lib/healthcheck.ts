import { z } from 'zod';

export const healthcheckInputSchema = z.object({
  note: z.string().default('hello from scaleflow'),
  /** Keeps the activity busy this long (ms), so a test can kill the worker mid-activity. */
  holdMs: z.coerce.number().int().min(0).max(600_000).default(0),
});
export type HealthcheckInput = z.input<typeof healthcheckInputSchema>;

export interface ProbeInput {
  probeId: string;
  note: string;
  holdMs?: number;
}

export interface ProbeResult {
  probeId: string;
  note: string;
  writtenAt: string;
  attempts: number;
}
