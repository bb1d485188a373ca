import { auth } from '@googleapis/docs';
import type { FastifyBaseLogger } from 'fastify';
import { GOOGLE_RECONNECT_HINT, mapTokenRefreshError, type GoogleAuthClient } from '../docs/docs-client.js';
import { AppError } from '../lib/app-error.js';
import type { GoogleOAuthClient } from '../lib/google-oauth-client-file.js';
import type { TokenCipher } from '../lib/token-crypto.js';
import type { Store } from '../stores/types.js';
import { isoNow, type Clock } from './clock.js';

/** The one scope the Docs writer needs (read and write the user's documents). */
export const GOOGLE_DOCS_SCOPE = 'https://www.googleapis.com/auth/documents';

const authRequired = (message: string) => new AppError('GOOGLE_AUTH_REQUIRED', message);

/**
 * Google credentials for the Docs writer: the request's own access token when it has one, else the user's stored
 * refresh token (decrypted, re-encrypted when an old key sealed it) in an OAuth2 client that googleapis refreshes.
 */
export function createGoogleCredentialsService(deps: {
  store: Store;
  cipher: TokenCipher | null;
  oauthClient: GoogleOAuthClient | null;
  clock: Clock;
  log: Pick<FastifyBaseLogger, 'warn'>;
}) {
  const { store, cipher, oauthClient, clock, log } = deps;

  /** The stored refresh token in clear, re-sealed with the current key when an old one opened it. */
  async function openStored(userId: string, cipher: TokenCipher): Promise<{ refreshToken: string; clientId: string } | null> {
    const record = await store.googleCredentials.get(userId);
    if (!record) return null;
    let opened: ReturnType<TokenCipher['decrypt']>;
    try {
      opened = cipher.decrypt(record.ciphertext, userId);
    } catch (error) {
      // The operator must hear of it (a lost or wrong TOKEN_ENCRYPTION_KEY); the user can only sign in again.
      log.warn({ userId, reason: (error as Error).message }, 'stored Google credentials could not be decrypted');
      throw authRequired(`This server cannot read your stored Google sign-in; ${GOOGLE_RECONNECT_HINT}.`);
    }
    if (opened.stale) {
      try {
        await store.googleCredentials.replaceCiphertext(userId, record.ciphertext, cipher.encrypt(opened.plaintext, userId), isoNow(clock));
      } catch (error) {
        log.warn({ userId, reason: (error as Error).message }, 're-encrypting stored Google credentials with the current key failed');
      }
    }
    return { refreshToken: opened.plaintext, clientId: record.clientId };
  }

  return {
    /**
     * An OAuth2 client for the user's Docs calls. A stored sign-in is refreshed here, before any document is read,
     * so a refusal from Google is a clean 401 GOOGLE_AUTH_REQUIRED.
     */
    async resolve(userId: string, headerToken: string | null): Promise<GoogleAuthClient> {
      if (headerToken) {
        const client = new auth.OAuth2();
        client.setCredentials({ access_token: headerToken });
        return client;
      }
      if (!cipher || !oauthClient) {
        throw authRequired('Connect your Google account: send a Google access token (this server does not keep Google sign-ins).');
      }
      const stored = await openStored(userId, cipher);
      if (!stored) throw authRequired(`No Google account is connected: send a Google access token, or ${GOOGLE_RECONNECT_HINT}.`);
      if (stored.clientId !== oauthClient.clientId) {
        throw authRequired(`Your stored Google sign-in was made with another OAuth client; ${GOOGLE_RECONNECT_HINT}.`);
      }
      const client = new auth.OAuth2({
        clientId: oauthClient.clientId, clientSecret: oauthClient.clientSecret, endpoints: { oauth2TokenUrl: oauthClient.tokenUri },
      });
      client.setCredentials({ refresh_token: stored.refreshToken });
      try {
        await client.getAccessToken();
      } catch (error) {
        throw mapTokenRefreshError(error);
      }
      return client;
    },

    /** Seals a refresh token (from `npm run google:login`) for the user with that email, replacing earlier ones. */
    async storeRefreshToken(input: { email: string; refreshToken: string; scopes: string[] }): Promise<{ userId: string; keyId: string }> {
      if (!cipher) throw new Error('TOKEN_ENCRYPTION_KEY is not set: refresh tokens are only ever stored encrypted.');
      if (!oauthClient) throw new Error('GOOGLE_OAUTH_CLIENT_FILE is not set: the server could not refresh the token.');
      if (!input.refreshToken) throw new Error('Google returned no refresh token.');
      const email = input.email.trim().toLowerCase();
      const user = await store.users.getByEmail(email);
      if (!user) throw new AppError('NOT_FOUND', `No user has the email ${email}; create the user first (POST /v1/admin/users).`);
      await store.googleCredentials.put({
        userId: user.id, ciphertext: cipher.encrypt(input.refreshToken, user.id), scopes: input.scopes, clientId: oauthClient.clientId,
        updatedAt: isoNow(clock),
      });
      return { userId: user.id, keyId: cipher.currentKeyId };
    },
  };
}
export type GoogleCredentialsService = ReturnType<typeof createGoogleCredentialsService>;
