// A test workflow doing what dailyPipeline's last steps do: render the team report and each
// recipient owner's, then one sendReportEmail activity per recipient, side by side.
import { proxyActivities } from '@temporalio/workflow';
import type { createReportActivities } from '../../activities/reports';
import { deliverAll, type DeliveryOutcome } from '../../lib/reports/delivery';

type ReportActivities = ReturnType<typeof createReportActivities>;

const { renderReport, listReportDeliveries } = proxyActivities<ReportActivities>({ startToCloseTimeout: '1 minute' });
const { sendReportEmail } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '1 minute',
  // Short and flat so the test sees a refused recipient retried within seconds.
  retry: { initialInterval: '200ms', backoffCoefficient: 1, maximumAttempts: 100 },
});

export async function reportDeliveryTest(asOf: string): Promise<DeliveryOutcome & { pages: string[] }> {
  const deliveries = await listReportDeliveries();
  const owners = [...new Set(deliveries.flatMap((d) => (d.owner ? [d.owner] : [])))];
  const rendered = await Promise.all([renderReport({ asOf }), ...owners.map((owner) => renderReport({ asOf, owner }))]);
  const outcome = await deliverAll(asOf, deliveries, sendReportEmail);
  return { ...outcome, pages: rendered.map((r) => r.page) };
}
