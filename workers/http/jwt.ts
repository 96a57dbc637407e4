import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { claimsSchema, type Claims } from '../../lib/auth';
import { HttpError } from './errors';

const ISSUER = 'scaleflow';

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** Mints an HS256 API token (for `scaleflow token`, the demo and tests). */
export async function signApiToken(secret: string, claims: Claims, expiresIn = '12h'): Promise<string> {
  return new SignJWT({ role: claims.role, ...(claims.owner ? { owner: claims.owner } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key(secret));
}

/** The bearer token's claims, or a 401 that says why (missing, expired, bad signature, bad claims). */
export async function verifyBearer(authorization: string | undefined, secret: string | undefined): Promise<Claims> {
  if (!secret) throw new HttpError(401, 'unauthorized', 'the API is disabled: JWT_SECRET is not configured on the worker');
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) throw new HttpError(401, 'unauthorized', 'send "Authorization: Bearer <token>"');
  try {
    const { payload } = await jwtVerify(match[1]!, key(secret), { issuer: ISSUER, algorithms: ['HS256'] });
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new HttpError(401, 'unauthorized', `token claims are invalid: ${claims.error.issues[0]!.message}`);
    return claims.data;
  } catch (err) {
    if (err instanceof HttpError) throw err;
    const reason = err instanceof joseErrors.JWTExpired ? 'token expired' : 'token is not valid';
    throw new HttpError(401, 'unauthorized', reason);
  }
}
