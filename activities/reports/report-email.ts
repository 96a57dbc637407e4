import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { z } from 'zod';
import type { Config } from '../../lib/config';
import { isoDateSchema } from '../../lib/dates';
import type { Mailer } from '../../services/mail/transport';
import { logger } from '../../services/observability/logger';
import { reportPageName } from '../../lib/reports/pages';
import { reportLink, reportLinkKey } from '../../lib/reports/report-links';
import type { ViewInBrowser } from '../../lib/reports/render';
import { approveLinksFor, untilFormat } from '../../services/reports/recipient-links';
import { loadEngine } from '../../services/reports/engine-loader';
import { reportPaths } from '../../lib/reports/paths';
import type { Warehouse } from '../../services/warehouse/warehouse';

export const sendReportEmailInput = z.object({
  asOf: isoDateSchema,
  owner: z.string().min(1).nullish(),
  to: z.email(),
});
export type SendReportEmailInput = z.input<typeof sendReportEmailInput>;

export interface SentReportEmail {
  to: string;
  messageId: string;
  subject: string;
  attachments: number;
  outboxFile?: string;
}

/** One line per attempt in deliveries.jsonl beside the report: who, when, sent or refused and why. */
export interface DeliveryRecord {
  at: string;
  asOf: string;
  owner: string | null;
  to: string;
  attempt: number;
  status: 'sent' | 'refused' | 'failed';
  messageId?: string;
  responseCode?: number;
  error?: string;
}

function attemptNumber(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1; // called outside an activity (the CLI)
  }
}

function record(file: string, entry: DeliveryRecord): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

let warned = false;

/**
 * The recipient's "View in browser" link to the page this email shows, expiring after
 * APPROVAL_TIMEOUT like an approval link. Without APPROVAL_SECRET nothing can be signed, so the
 * email goes out without it.
 */
async function viewInBrowserFor(
  config: Config,
  asOf: string,
  owner: string | null,
  recipient: string,
): Promise<ViewInBrowser | undefined> {
  if (!config.APPROVAL_SECRET) return undefined;
  const expiresAt = Date.now() + config.APPROVAL_TIMEOUT;
  const href = await reportLink(config.PUBLIC_BASE_URL, reportLinkKey(config.APPROVAL_SECRET), {
    date: asOf,
    page: reportPageName(owner),
    recipient,
    expiresAt,
  });
  return { href, until: untilFormat(config.TZ).format(new Date(expiresAt)) };
}

export function createReportEmailActivities({
  config,
  warehouse,
  mailer,
}: {
  config: Config;
  warehouse: Warehouse;
  mailer: Mailer;
}) {
  if (mailer.mode === 'outbox' && !warned) {
    warned = true;
    logger().warn(
      { outbox: config.OUTBOX_DIR },
      `SMTP_URL is not set: report emails are written as .eml files to ${config.OUTBOX_DIR}, nothing is sent`,
    );
  }
  return {
    /**
     * One report email to one recipient: the owner's report (their campaigns only) or, without
     * owner, the team's. Built from the saved datasets, so it shows what the page shows. A refused
     * recipient is recorded and the activity fails retryably: Temporal retries this recipient
     * alone. The Message-ID is fixed per report and recipient, so a retry after a lost answer
     * reaches the inbox as the same message. Proposals awaiting this recipient's approval get a
     * "Review and approve" link signed for them (never on the shared page), and every email a
     * "View in browser" link signed for its recipient and page.
     */
    async sendReportEmail(raw: SendReportEmailInput): Promise<SentReportEmail> {
      const input = sendReportEmailInput.parse(raw);
      const { buildReportEmail, reportScope } = await loadEngine();
      const scope = reportScope(input.asOf, input.owner);
      const email = await buildReportEmail({
        warehouse,
        reportsDir: config.REPORTS_DIR,
        asOf: scope.asOf,
        owner: scope.owner,
        timeZone: config.TZ,
        // Approve links are signed for this recipient alone; the saved page and datasets carry none.
        links: approveLinksFor(input.to, {
          secret: config.APPROVAL_SECRET,
          baseUrl: config.PUBLIC_BASE_URL,
          timeZone: config.TZ,
        }),
        viewInBrowser: await viewInBrowserFor(config, scope.asOf, scope.owner, input.to),
      });
      const file = reportPaths(config.REPORTS_DIR, scope.asOf, scope.owner).deliveries;
      const digest = createHash('sha256').update(input.to.toLowerCase()).digest('hex').slice(0, 12);
      const messageId = `<report.${scope.asOf}.${reportPageName(scope.owner)}.${digest}@scaleflow>`;
      const base = { asOf: scope.asOf, owner: scope.owner, to: input.to, attempt: attemptNumber() };
      try {
        const sent = await mailer.send({
          to: input.to,
          subject: email.subject,
          html: email.html,
          text: email.text,
          messageId,
          attachments: email.attachments.map((a) => ({
            filename: a.filename,
            content: a.content,
            contentType: a.contentType,
            cid: a.cid,
          })),
        });
        if (sent.rejected.length)
          throw Object.assign(new Error(`the mail server refused ${sent.rejected.join(', ')}`), { code: 'EENVELOPE' });
        record(file, { at: new Date().toISOString(), ...base, status: 'sent', messageId });
        return {
          to: input.to,
          messageId,
          subject: email.subject,
          attachments: email.attachments.length,
          outboxFile: sent.outboxFile,
        };
      } catch (err) {
        const e = err as Error & { code?: string; responseCode?: number };
        const refused = e.code === 'EENVELOPE' || (e.responseCode !== undefined && e.responseCode >= 500);
        record(file, {
          at: new Date().toISOString(),
          ...base,
          status: refused ? 'refused' : 'failed',
          responseCode: e.responseCode,
          error: e.message,
        });
        throw ApplicationFailure.retryable(
          `report email to ${input.to} (${scope.owner ?? 'team'}, ${scope.asOf}): ${e.message}`,
          refused ? 'RecipientRefused' : 'MailFailed',
        );
      }
    },
  };
}
