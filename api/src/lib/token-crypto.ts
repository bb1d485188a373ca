import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const FORMAT = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** 32 bytes as base64 (44 characters with its `=`) or base64url (43, padding optional). */
const BASE64_KEY = /^(?:[A-Za-z0-9+/]{43}=|[A-Za-z0-9_-]{43}=?)$/u;

/** Thrown when a ciphertext cannot be opened: malformed, tampered with, or sealed with a key this server lacks. */
export class TokenDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenDecryptError';
  }
}

/**
 * Decodes a key from base64 (what `openssl rand -base64 32` prints); returns a problem to report instead when it is
 * not exactly 32 bytes. The key itself never appears in the problem.
 */
export function parseEncryptionKey(text: string): { ok: true; key: Buffer } | { ok: false; problem: string } {
  const trimmed = text.trim();
  if (!BASE64_KEY.test(trimmed)) {
    const approx = Buffer.from(trimmed, 'base64').length;
    return { ok: false, problem: `must be 32 bytes of base64 (openssl rand -base64 32); got ${trimmed.length} characters (~${approx} bytes)` };
  }
  const key = Buffer.from(trimmed.replace(/-/gu, '+').replace(/_/gu, '/'), 'base64');
  if (key.length !== KEY_BYTES) return { ok: false, problem: `must be 32 bytes of base64; got ${key.length} bytes` };
  return { ok: true, key };
}

/** A key's public id: the first 8 hex digits of its SHA-256 (says which key sealed a ciphertext, reveals nothing). */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

const b64 = (buffer: Buffer) => buffer.toString('base64url');

/**
 * AES-256-GCM for secrets at rest (Google refresh tokens). A ciphertext reads `v1.<kid>.<iv>.<tag>.<data>`
 * (base64url parts); the header and the caller's `context` (the owner's id) are authenticated too, so a ciphertext
 * copied onto another user's row does not open. Old keys only decrypt; `stale` says the caller should re-encrypt.
 */
export function createTokenCipher(options: { key: Buffer; oldKeys?: readonly Buffer[] }) {
  const keys = new Map<string, Buffer>();
  for (const key of [options.key, ...(options.oldKeys ?? [])]) {
    if (key.length !== KEY_BYTES) throw new Error(`An encryption key must be ${KEY_BYTES} bytes`);
    const kid = keyIdOf(key);
    if (!keys.has(kid)) keys.set(kid, key);
  }
  const currentKeyId = keyIdOf(options.key);
  const aad = (kid: string, context: string) => Buffer.from(`${FORMAT}.${kid}.${context}`, 'utf8');

  return {
    /** Id of the key new ciphertexts are sealed with. */
    currentKeyId,

    encrypt(plaintext: string, context: string): string {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, options.key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad(currentKeyId, context));
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [FORMAT, currentKeyId, b64(iv), b64(cipher.getAuthTag()), b64(data)].join('.');
    },

    decrypt(ciphertext: string, context: string): { plaintext: string; keyId: string; stale: boolean } {
      const parts = ciphertext.split('.');
      if (parts.length !== 5 || parts[0] !== FORMAT) throw new TokenDecryptError('Not a v1 token ciphertext');
      const [, kid, ivText, tagText, dataText] = parts as [string, string, string, string, string];
      const key = keys.get(kid);
      if (!key) throw new TokenDecryptError(`Sealed with key ${kid}, which is neither TOKEN_ENCRYPTION_KEY nor in TOKEN_ENCRYPTION_KEYS_OLD`);
      const iv = Buffer.from(ivText, 'base64url');
      const tag = Buffer.from(tagText, 'base64url');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new TokenDecryptError('Malformed token ciphertext');
      try {
        const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(aad(kid, context));
        decipher.setAuthTag(tag);
        const plaintext = Buffer.concat([decipher.update(Buffer.from(dataText, 'base64url')), decipher.final()]).toString('utf8');
        return { plaintext, keyId: kid, stale: kid !== currentKeyId };
      } catch {
        throw new TokenDecryptError('The token ciphertext failed authentication (tampered with, or not this owner\'s)');
      }
    },
  };
}
export type TokenCipher = ReturnType<typeof createTokenCipher>;
