import { pendingFor } from '../../lib/reports/approval-links';
import { approveUrl, signApprovalToken } from '../../lib/approvals/tokens';
import type { CellLink, CellResult } from '../../lib/reports/render';
import type { RecipientLinks } from './engine';

export interface LinkSigning {
  /** APPROVAL_SECRET; unset, no link can be signed and the email says so instead. */
  secret: string | undefined;
  /** PUBLIC_BASE_URL: where the approval pages are served. */
  baseUrl: string;
  timeZone: string;
}

/** How a link's expiry reads in an email: "Tue, Oct 14, 06:00" in the account time zone. */
export const untilFormat = (timeZone: string) =>
  new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  });

/**
 * "Review and approve" links for one recipient's email: one per proposal awaiting their approval,
 * signed for them and that workflow, expiring when the proposal does. The same token the approval
 * email carries, so the link opens the same page (whose buttons POST; a click alone changes nothing).
 */
export function approveLinksFor(recipient: string, signing: LinkSigning): RecipientLinks {
  return async (results: CellResult[]) => {
    const links = new Map<string, CellLink[]>();
    const until = untilFormat(signing.timeZone);
    for (const { cell, data } of results) {
      const pending = data ? pendingFor(data.rows, recipient) : [];
      if (pending.length === 0) continue;
      if (!signing.secret) {
        links.set(cell.id, [
          {
            label: 'Approve links are off',
            href: '',
            note: 'APPROVAL_SECRET is not set on the worker, so no link can be signed: use the approval email',
          },
        ]);
        continue;
      }
      const list: CellLink[] = [];
      for (const p of pending) {
        const token = await signApprovalToken(signing.secret, {
          workflowId: p.workflowId,
          approver: p.approver,
          expiresAt: p.expiresAt,
        });
        list.push({
          label: `${p.campaign}: ${p.alert}`,
          href: approveUrl(signing.baseUrl, token),
          note: `until ${until.format(new Date(p.expiresAt))}`,
        });
      }
      links.set(cell.id, list);
    }
    return links;
  };
}
