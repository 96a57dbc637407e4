import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';

/**
 * Approval links carry a signed token: HMAC-SHA256 (a JWS, HS256) over the workflow id, the
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

const key = (secret: string) => new TextEncoder().encode(secret);

export async function signApprovalToken(secret: string, claims: ApprovalTokenClaims): Promise<string> {
  return new SignJWT({ wf: claims.workflowId, scope: SCOPE, approver: claims.approver })
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience(AUDIENCE)
    .setExpirationTime(Math.floor(claims.expiresAt / 1000))
    .sign(key(secret));
}

/** `now` is explicit so a page can tell "expired" from "tampered" at a known time. */
export async function verifyApprovalToken(secret: string, token: string, now: Date): Promise<ApprovalTokenClaims> {
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      audience: AUDIENCE,
      algorithms: ['HS256'],
      currentDate: now,
      clockTolerance: 0,
    });
    if (payload.scope !== SCOPE || typeof payload.wf !== 'string' || typeof payload.approver !== 'string' || !payload.exp) {
      throw new ApprovalTokenError('tampered');
    }
    return { workflowId: payload.wf, approver: payload.approver, expiresAt: payload.exp * 1000 };
  } catch (err) {
    if (err instanceof ApprovalTokenError) throw err;
    throw new ApprovalTokenError(err instanceof joseErrors.JWTExpired ? 'expired' : 'tampered');
  }
}
