import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import type { GoogleKeySource } from '../../src/services/google-verifier.js';

export const GOOGLE_ISSUER = 'https://accounts.google.com';

/** Claims of a Google ID token as Google issues them (see developers.google.com/identity/openid-connect). */
export interface GoogleClaims extends JWTPayload {
  sub: string;
  email?: string;
  email_verified?: boolean | string;
  hd?: string;
  name?: string;
}

export interface SignOptions {
  audience?: string | string[];
  issuer?: string;
  /** Seconds from now; negative values make an already expired token. */
  expiresInS?: number;
  kid?: string;
}

/**
 * A stand-in for Google's signing keys: an RS256 key pair whose public half is served as a local JWKS (the real
 * verifier's key source is injectable), and a signer producing ID tokens in Google's wire format.
 */
export async function createGoogleIssuer(kid = 'test-key-1') {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const keySource: GoogleKeySource = createLocalJWKSet({ keys: [publicJwk] });

  async function sign(claims: GoogleClaims, options: SignOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const expiresInS = options.expiresInS ?? 3_600;
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? GOOGLE_ISSUER)
      .setAudience(options.audience ?? 'client-a')
      .setIssuedAt(expiresInS > 0 ? now : now + expiresInS - 3_600)
      .setExpirationTime(now + expiresInS)
      // Google's ID tokens carry a unique `jti`, so two sign-ins in the same second are still two tokens.
      .setJti(randomBytes(20).toString('hex'))
      .sign(privateKey);
  }

  return { kid, keySource, sign };
}
