import type { ReportDelivery } from './recipients';

/**
 * Sends every report email side by side, one activity per recipient, and waits for all of them:
 * a refused recipient fails (and is retried by Temporal in) its own activity only, and never
 * stops the others. Pure and deterministic, so a workflow can call it with its proxied
 * `sendReportEmail` activity.
 */
export interface DeliveryOutcome {
  sent: ReportDelivery[];
  failed: { delivery: ReportDelivery; error: string }[];
}

export async function deliverAll(
  asOf: string,
  deliveries: ReportDelivery[],
  send: (input: { asOf: string; owner?: string; to: string }) => Promise<unknown>,
): Promise<DeliveryOutcome> {
  const settled = await Promise.allSettled(deliveries.map((d) => send({ asOf, ...d })));
  const outcome: DeliveryOutcome = { sent: [], failed: [] };
  settled.forEach((s, i) => {
    const delivery = deliveries[i]!;
    if (s.status === 'fulfilled') outcome.sent.push(delivery);
    else outcome.failed.push({ delivery, error: String((s.reason as Error)?.message ?? s.reason) });
  });
  return outcome;
}
