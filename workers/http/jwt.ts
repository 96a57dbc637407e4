import { jwtVerify, SignJWT, errors as joseErrors, type JWTPayload } from 'jose';
import { claimsSchema, type Claims } from '../../lib/auth';
import { DEFAULT_JWT_MAX_TTL_MS, describeDuration, type Config } from '../../lib/config';
import { HttpError } from './errors';

const ISSUER = 'scaleflow';

/** How long an API token may live, and which are revoked (JWT_MAX_TTL, JWT_NOT_BEFORE). */
export interface TokenPolicy {
  maxTtlMs: number;
  notBefore?: Date;
}

export const DEFAULT_TOKEN_POLICY: TokenPolicy = { maxTtlMs: DEFAULT_JWT_MAX_TTL_MS };

export function tokenPolicy(config: Pick<Config, 'JWT_MAX_TTL' | 'JWT_NOT_BEFORE'>): TokenPolicy {
  return { maxTtlMs: config.JWT_MAX_TTL, notBefore: config.JWT_NOT_BEFORE };
}

/** Why a bearer token was refused; sent as `reason` beside the 401 so a client can tell them apart. */
export type TokenRefusal =
  'missing' | 'invalid' | 'invalid_claims' | 'expired' | 'no_exp' | 'too_long' | 'no_iat' | 'revoked' | 'disabled';

function refuse(reason: TokenRefusal, message: string): HttpError {
  return new HttpError(401, 'unauthorized', message, { reason });
}

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** Mints an HS256 API token valid for `ttlMs` from now (for `scaleflow token`, the demo and tests). */
export async function signApiToken(secret: string, claims: Claims, ttlMs = 12 * 3600 * 1000): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: claims.role, ...(claims.owner ? { owner: claims.owner } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(iat + Math.round(ttlMs / 1000))
    .sign(key(secret));
}

/**
 * A validly signed token is still refused when it never expires, lives longer than the policy
 * allows (a stolen token must die on its own), or was issued before the revocation instant.
 */
function checkLifetime(payload: JWTPayload, policy: TokenPolicy, nowS: number): void {
  if (payload.exp === undefined)
    throw refuse('no_exp', 'the token has no expiry (exp); mint one with `scaleflow token`');
  if (policy.notBefore) {
    if (payload.iat === undefined) {
      throw refuse(
        'no_iat',
        'the token has no issued-at time (iat), so it cannot show it was issued after JWT_NOT_BEFORE',
      );
    }
    if (payload.iat * 1000 < policy.notBefore.getTime()) {
      throw refuse(
        'revoked',
        `the token was issued before JWT_NOT_BEFORE (${policy.notBefore.toISOString()}): tokens from before then are revoked`,
      );
    }
  }
  // A future iat must not buy a longer life, so the lifetime counts from whichever is earlier.
  const lifetimeMs = (payload.exp - Math.min(payload.iat ?? nowS, nowS)) * 1000;
  if (lifetimeMs > policy.maxTtlMs) {
    throw refuse('too_long', `the token lives longer than JWT_MAX_TTL (${describeDuration(policy.maxTtlMs)}) allows`);
  }
}

/** The bearer token's claims, or a 401 that says why (`reason`: missing, expired, no_exp, too_long, revoked, ...). */
export async function verifyBearer(
  authorization: string | undefined,
  secret: string | undefined,
  policy: TokenPolicy = DEFAULT_TOKEN_POLICY,
): Promise<Claims> {
  if (!secret) throw refuse('disabled', 'the API is disabled: JWT_SECRET is not configured on the worker');
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) throw refuse('missing', 'send "Authorization: Bearer <token>"');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(match[1]!, key(secret), { issuer: ISSUER, algorithms: ['HS256'] }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw refuse('expired', 'token expired');
    throw refuse('invalid', 'token is not valid');
  }
  checkLifetime(payload, policy, Math.floor(Date.now() / 1000));
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw refuse('invalid_claims', `token claims are invalid: ${claims.error.issues[0]!.message}`);
  return claims.data;
}
