import { setTimeout as sleep } from 'node:timers/promises';
import { auth, docs, type docs_v1 } from '@googleapis/docs';
import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../lib/app-error.js';
import { checkDocument } from './document-shape.js';

const MAX_ATTEMPTS = 4;

/** An OAuth2 client from googleapis' own google-auth-library (one from another copy sends no Authorization header). */
export type GoogleAuthClient = InstanceType<typeof auth.OAuth2>;

/** What a user runs to store a Google sign-in this server can refresh. */
export const GOOGLE_RECONNECT_HINT = 'connect Google again: npm run google:login -- --email <you>';

/** Thrown when a write's requiredRevisionId no longer matches: re-read, rebuild, retry. */
export class RevisionConflict extends Error {}

/**
 * The OAuth error of a failed token refresh, or null for any other failure. Google's token endpoint answers
 * `{"error": "invalid_grant"}` (a string); the Docs API's own errors carry an object there.
 */
function oauthErrorOf(error: unknown): string | null {
  const data = (error as { response?: { data?: { error?: unknown } } }).response?.data;
  return typeof data?.error === 'string' ? data.error : null;
}

/**
 * Maps a failed refresh of a stored sign-in: a refusal (invalid_grant: revoked, expired, password changed; or a
 * client Google no longer knows) means signing in again, anything else that Google is unreachable. The Google error
 * object is not kept: its request carried the refresh token and the client secret.
 */
export function mapTokenRefreshError(error: unknown): AppError {
  const status = statusOf(error);
  const oauthError = oauthErrorOf(error);
  if (oauthError === 'invalid_grant') {
    return new AppError('GOOGLE_AUTH_REQUIRED', `Google no longer accepts the stored sign-in (revoked or expired); ${GOOGLE_RECONNECT_HINT}.`);
  }
  if (status >= 400 && status < 500) {
    return new AppError('GOOGLE_AUTH_REQUIRED', `Google refused the stored sign-in (${oauthError ?? status}); ${GOOGLE_RECONNECT_HINT}.`);
  }
  return new AppError('GOOGLE_UNAVAILABLE', 'Google sign-in is not answering right now; try again shortly.');
}

function statusOf(error: unknown): number {
  const e = error as { status?: number; code?: number | string; response?: { status?: number } };
  return e.response?.status ?? e.status ?? (typeof e.code === 'number' ? e.code : 0);
}

function mapGoogleError(error: unknown): Error {
  const status = statusOf(error);
  if (status === 401) return new AppError('GOOGLE_AUTH_REQUIRED', 'Google did not accept the credentials; connect your Google account again.');
  if (status === 403) return new AppError('GOOGLE_FORBIDDEN', 'Your Google account cannot edit this document (or the Docs API is not enabled).');
  if (status === 404) return new AppError('DOC_NOT_FOUND', 'Google Docs has no such document, or it is not shared with you.');
  return new AppError('GOOGLE_UNAVAILABLE', 'Google Docs is not answering right now; try again shortly.');
}

/**
 * The Docs API through googleapis' own Docs package, root URL configurable (a local emulator in tests).
 * 429 and 5xx are retried with truncated exponential backoff; a 400 on a revision-guarded write is a conflict.
 */
export function createDocsClient(options: { rootUrl: string | null; backoffMs?: number; log?: FastifyBaseLogger }) {
  const backoffMs = options.backoffMs ?? 1_000;
  const service = (client: GoogleAuthClient): docs_v1.Docs =>
    docs({ version: 'v1', auth: client, ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}) });

  async function withRetries<T>(call: () => Promise<T>, onBadRequest?: (error: unknown) => Error): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        // A refresh of the stored sign-in failed mid-call (Docs said 401, the client refreshed): never a conflict.
        if (oauthErrorOf(error) !== null) throw mapTokenRefreshError(error);
        const status = statusOf(error);
        if (status === 400 && onBadRequest) throw onBadRequest(error);
        const transient = status === 429 || status >= 500 || status === 0;
        if (!transient || attempt >= MAX_ATTEMPTS) throw mapGoogleError(error);
        await sleep(Math.min(16_000, backoffMs * 2 ** (attempt - 1)) * (0.75 + Math.random() / 2));
      }
    }
  }

  return {
    async get(client: GoogleAuthClient, documentId: string): Promise<docs_v1.Schema$Document> {
      const response = await withRetries(() => service(client).documents.get({ documentId, includeTabsContent: true }));
      // googleapis hands back whatever came (an HTML page or cut JSON arrives as text): check it is a document.
      const checked = checkDocument(response.data);
      if (checked.doc) return checked.doc;
      options.log?.warn({ documentId, problem: checked.problem }, 'Docs API answered documents.get with something that is not a document');
      throw new AppError('GOOGLE_UNAVAILABLE', 'Google Docs sent an answer that is not a document; nothing was read or written. Try again shortly.');
    },

    /** Applies requests atomically if the document is still at `requiredRevisionId`; returns the new revision. */
    async batchUpdate(client: GoogleAuthClient, documentId: string, requests: docs_v1.Schema$Request[], requiredRevisionId: string): Promise<string> {
      const response = await withRetries(
        () => service(client).documents.batchUpdate({ documentId, requestBody: { requests, writeControl: { requiredRevisionId } } }),
        // Google documents a 400 for a stale revision without a stable message: treat it as a conflict.
        () => new RevisionConflict('The document changed since it was read.'),
      );
      return response.data.writeControl?.requiredRevisionId ?? '';
    },
  };
}
export type DocsClient = ReturnType<typeof createDocsClient>;
