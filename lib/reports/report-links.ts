import { hkdfSync } from 'node:crypto';
import { SignedTokenError, signToken, verifyToken, type SignedTokenProblem } from '../signed-token';
import { reportPagePath, type ReportPageParams } from './pages';

/**
 * "View in browser" links: one per report email, signed for that recipient and that page, expiring
 * after APPROVAL_TIMEOUT like an approval link. The token (lib/signed-token.ts) carries the date,
 * the page and the recipient, so changing any of them in the URL or in the token is refused.
 *
 * The key is derived from APPROVAL_SECRET (HKDF-SHA256 with its own label) rather than being the
 * secret itself: a report link can never be replayed as an approval token, and no second secret
 * has to be provisioned.
 */
const AUDIENCE = 'scaleflow-report';
const SCOPE = 'report:view';

export interface ReportLinkClaims extends ReportPageParams {
  recipient: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export class ReportLinkError extends Error {
  constructor(
    readonly problem: SignedTokenProblem | 'other_page',
    message: string,
  ) {
    super(message);
    this.name = 'ReportLinkError';
  }
}

export function reportLinkKey(approvalSecret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', approvalSecret, 'scaleflow', 'scaleflow report links v1', 32));
}

export async function signReportLink(key: Uint8Array, claims: ReportLinkClaims): Promise<string> {
  return signToken(
    key,
    AUDIENCE,
    { scope: SCOPE, date: claims.date, page: claims.page, to: claims.recipient },
    claims.expiresAt,
  );
}

/** The full link: the worker's public address, the page's path and the token. */
export async function reportLink(baseUrl: string, key: Uint8Array, claims: ReportLinkClaims): Promise<string> {
  const url = new URL(`${baseUrl.replace(/\/$/, '')}${reportPagePath(claims)}`);
  url.searchParams.set('token', await signReportLink(key, claims));
  return url.toString();
}

/** The link's claims when it is genuine, unexpired at `now` and for exactly the page requested. */
export async function verifyReportLink(
  key: Uint8Array,
  token: string,
  requested: ReportPageParams,
  now: Date,
): Promise<ReportLinkClaims> {
  let payload;
  try {
    payload = await verifyToken(key, AUDIENCE, token, now);
  } catch (err) {
    if (!(err instanceof SignedTokenError)) throw err;
    throw new ReportLinkError(
      err.problem,
      err.problem === 'expired' ? 'this report link has expired' : 'this report link is not valid',
    );
  }
  const { scope, date, page, to } = payload;
  if (scope !== SCOPE || typeof date !== 'string' || typeof page !== 'string' || typeof to !== 'string') {
    throw new ReportLinkError('tampered', 'this report link is not valid');
  }
  if (date !== requested.date || page !== requested.page) {
    throw new ReportLinkError('other_page', 'this report link is for another report');
  }
  return { date, page, recipient: to, expiresAt: payload.exp * 1000 };
}
