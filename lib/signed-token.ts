import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';

/**
 * The one signing primitive behind every link scaleflow mails: a compact JWS (HS256, an HMAC-SHA256)
 * over the link's claims, an audience naming what kind of link it is, and an expiry. Approval links
 * and report links differ only in their audience and claims, so a token minted for one never opens
 * the other, and tampering with any claim breaks the signature.
 */
export type SignedTokenProblem = 'tampered' | 'expired';

export class SignedTokenError extends Error {
  constructor(readonly problem: SignedTokenProblem) {
    super(problem === 'expired' ? 'this link has expired' : 'this link is not valid');
    this.name = 'SignedTokenError';
  }
}

/** A secret as text (APPROVAL_SECRET) or key bytes derived from one. */
export type SigningKey = string | Uint8Array;

const keyBytes = (key: SigningKey) => (typeof key === 'string' ? new TextEncoder().encode(key) : key);

export async function signToken(
  key: SigningKey,
  audience: string,
  claims: Record<string, unknown>,
  expiresAt: number,
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience(audience)
    .setExpirationTime(Math.floor(expiresAt / 1000))
    .sign(keyBytes(key));
}

/**
 * The verified claims with their expiry (epoch seconds). `now` is explicit so a caller can tell
 * "expired" from "tampered" at a known time; the signature is checked before the expiry, so an
 * edited expiry reads as tampered, never as expired.
 */
export async function verifyToken(
  key: SigningKey,
  audience: string,
  token: string,
  now: Date,
): Promise<JWTPayload & { exp: number }> {
  try {
    const { payload } = await jwtVerify(token, keyBytes(key), {
      audience,
      algorithms: ['HS256'],
      currentDate: now,
      clockTolerance: 0,
    });
    if (!payload.exp) throw new SignedTokenError('tampered');
    return payload as JWTPayload & { exp: number };
  } catch (err) {
    if (err instanceof SignedTokenError) throw err;
    throw new SignedTokenError(err instanceof joseErrors.JWTExpired ? 'expired' : 'tampered');
  }
}
