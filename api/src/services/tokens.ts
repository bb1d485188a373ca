import { hash, randomBytes } from 'node:crypto';

/** API tokens are `aa_` + 32 random bytes (base64url); only their SHA-256 is stored. */
export function newRawToken(): string {
  return `aa_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(raw: string): string {
  return hash('sha256', raw, 'hex');
}

/** Cheap shape check before touching the store. */
export function looksLikeToken(raw: string): boolean {
  return raw.length >= 20 && raw.length <= 200 && /^[\x21-\x7e]+$/.test(raw);
}
