import { SignedTokenError, signToken, verifyToken } from '../signed-token';

/**
 * Approval links carry a signed token (lib/signed-token.ts): HMAC-SHA256 over the workflow id, the
 * decision scope, the approver and the expiry. The audience keeps API tokens and approval tokens
 * apart even if someone reuses a secret.
 */
const AUDIENCE = 'scaleflow-approval';
const SCOPE = 'budget-change:decide';

export interface ApprovalTokenClaims {
  workflowId: string;
  approver: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export type TokenProblem = 'tampered' | 'expired';

export class ApprovalTokenError extends Error {
  constructor(readonly problem: TokenProblem) {
    super(problem === 'expired' ? 'this approval link has expired' : 'this approval link is not valid');
    this.name = 'ApprovalTokenError';
  }
}

export async function signApprovalToken(secret: string, claims: ApprovalTokenClaims): Promise<string> {
  return signToken(
    secret,
    AUDIENCE,
    { wf: claims.workflowId, scope: SCOPE, approver: claims.approver },
    claims.expiresAt,
  );
}

/** The page an approval token opens (workers/approval/routes.ts serves /approve/:token), under PUBLIC_BASE_URL. */
export function approveUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/$/, '')}/approve/${token}`;
}

/** `now` is explicit so a page can tell "expired" from "tampered" at a known time. */
export async function verifyApprovalToken(secret: string, token: string, now: Date): Promise<ApprovalTokenClaims> {
  try {
    const payload = await verifyToken(secret, AUDIENCE, token, now);
    if (payload.scope !== SCOPE || typeof payload.wf !== 'string' || typeof payload.approver !== 'string') {
      throw new ApprovalTokenError('tampered');
    }
    return { workflowId: payload.wf, approver: payload.approver, expiresAt: payload.exp * 1000 };
  } catch (err) {
    if (err instanceof SignedTokenError) throw new ApprovalTokenError(err.problem);
    throw err;
  }
}
