import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';

const GOOGLE_ISSUERS = ['accounts.google.com', 'https://accounts.google.com'];
const GOOGLE_CERTS_URL = 'https://www.googleapis.com/oauth2/v3/certs';

/** The verified facts of a Google ID token that sign-in relies on. */
export interface GoogleIdentity {
  sub: string;
  email: string;
  emailVerified: boolean;
  hostedDomain: string | null;
  name: string | null;
  audience: string;
  /** When the ID token stops being valid (ISO 8601). */
  expiresAt: string;
}

export type GoogleKeySource = JWTVerifyGetKey;

/** Google's published signing keys (fetched lazily, cached by jose). Tests inject their own key source. */
export function googleKeySource(): GoogleKeySource {
  return createRemoteJWKSet(new URL(GOOGLE_CERTS_URL));
}

/**
 * Verifies signature, issuer, audience (one of `clientIds`), expiry and, when present, the authorized party (`azp`,
 * the client the token was issued to: it must be one of ours too); throws on any failure.
 */
export async function verifyGoogleIdToken(
  idToken: string,
  options: { clientIds: string[]; keySource: GoogleKeySource },
): Promise<GoogleIdentity> {
  const { payload } = await jwtVerify(idToken, options.keySource, {
    issuer: GOOGLE_ISSUERS,
    audience: options.clientIds,
    algorithms: ['RS256'],
    requiredClaims: ['sub', 'exp'],
  });
  if (typeof payload.email !== 'string' || typeof payload.sub !== 'string') throw new Error('ID token has no email');
  if (payload.azp !== undefined && !(typeof payload.azp === 'string' && options.clientIds.includes(payload.azp))) {
    throw new Error('ID token was issued to another client');
  }
  const audience = Array.isArray(payload.aud) ? payload.aud.find((aud) => options.clientIds.includes(aud)) : payload.aud;
  return {
    sub: payload.sub,
    email: payload.email.toLowerCase(),
    // Only the boolean: a string "true" is not what Google sends, so it is not trusted either.
    emailVerified: payload.email_verified === true,
    hostedDomain: typeof payload.hd === 'string' ? payload.hd.toLowerCase() : null,
    name: typeof payload.name === 'string' ? payload.name : null,
    audience: audience ?? '',
    expiresAt: new Date((payload.exp ?? 0) * 1000).toISOString(),
  };
}
