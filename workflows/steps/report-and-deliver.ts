import { deliverAll, type DeliveryOutcome } from '../../lib/reports/delivery';
import { proxyOn } from '../queues';

const reports = proxyOn('warehouse', { startToCloseTimeout: '5 minutes', retry: { maximumAttempts: 3 } });
// A refused recipient is retried on its own for about an hour, then recorded as failed; it never
// holds up the others.
const mail = proxyOn('warehouse', {
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '15 minutes', maximumAttempts: 6 },
});

export interface ReportSummary extends DeliveryOutcome {
  pages: string[];
}

/** The pipeline's last steps: the team page and each recipient owner's, then one email per recipient. */
export async function reportAndDeliver(asOf: string): Promise<ReportSummary> {
  const deliveries = await reports.listReportDeliveries();
  const owners = [...new Set(deliveries.flatMap((d) => (d.owner ? [d.owner] : [])))];
  const rendered = await Promise.all([
    reports.renderReport({ asOf }),
    ...owners.map((owner) => reports.renderReport({ asOf, owner })),
  ]);
  const outcome = await deliverAll(asOf, deliveries, mail.sendReportEmail);
  return { ...outcome, pages: rendered.map((r) => r.page) };
}
