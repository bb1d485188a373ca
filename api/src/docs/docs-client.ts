import { auth, docs, type docs_v1 } from '@googleapis/docs';
import type { FastifyBaseLogger } from 'fastify';
import { withRetry, type RetryDecision, type RetryPolicy } from '../../../shared/retry.js';
import { AppError } from '../lib/app-error.js';
import { checkDocument } from './document-shape.js';

/** Docs calls: three retries of 429s, 5xx and unreachable, 1 s doubling (tests shorten it); Google sends no Retry-After. */
const docsRetryPolicy = (baseDelayMs: number): RetryPolicy => ({
  retries: 3, baseDelayMs, maxDelayMs: 16_000, jitter: 0.25, maxServerWaitMs: 0, longerServerWait: 'cap',
});

function docsRetryDecision(error: unknown): RetryDecision {
  if (oauthErrorOf(error) !== null) return { retry: false };
  const status = statusOf(error);
  return { retry: status === 429 || status >= 500 || status === 0 };
}

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

/** Google's own words for a refused request (they name the request and the index, never the document's text). */
function googleMessageOf(error: unknown): string {
  const e = error as { message?: unknown; response?: { data?: { error?: { message?: unknown } } } };
  const message = e.response?.data?.error?.message ?? e.message;
  return typeof message === 'string' ? message.slice(0, 500) : 'no message';
}

/**
 * The Docs API through googleapis' own Docs package, root URL configurable (a local emulator in tests).
 * 429 and 5xx are retried with truncated exponential backoff. A 400 on a revision-guarded write is a conflict only
 * when a re-read shows the document's revision moved; any other 400 is logged and reported as a refused write.
 */
export function createDocsClient(options: { rootUrl: string | null; backoffMs?: number; log?: FastifyBaseLogger }) {
  const backoffMs = options.backoffMs ?? 1_000;
  const service = (client: GoogleAuthClient): docs_v1.Docs =>
    docs({ version: 'v1', auth: client, ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}) });

  /** The call with its retries; what still fails is returned as the error Google gave (null on success). */
  async function withRetries<T>(call: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
    try {
      return { ok: true, value: await withRetry(call, docsRetryPolicy(backoffMs), docsRetryDecision) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** Maps what Google refused: a failed refresh of the stored sign-in (mid-call) first, then the status. */
  function refused(error: unknown): Error {
    return oauthErrorOf(error) !== null ? mapTokenRefreshError(error) : mapGoogleError(error);
  }

  async function readRevision(client: GoogleAuthClient, documentId: string): Promise<string | null> {
    const read = await withRetries(() => service(client).documents.get({ documentId, fields: 'revisionId' }));
    if (!read.ok) throw refused(read.error);
    return read.value.data.revisionId ?? null;
  }

  return {
    async get(client: GoogleAuthClient, documentId: string): Promise<docs_v1.Schema$Document> {
      const read = await withRetries(() => service(client).documents.get({ documentId, includeTabsContent: true }));
      if (!read.ok) throw refused(read.error);
      const response = read.value;
      // googleapis hands back whatever came (an HTML page or cut JSON arrives as text): check it is a document.
      const checked = checkDocument(response.data);
      if (checked.doc) return checked.doc;
      options.log?.warn({ documentId, problem: checked.problem }, 'Docs API answered documents.get with something that is not a document');
      throw new AppError('GOOGLE_UNAVAILABLE', 'Google Docs sent an answer that is not a document; nothing was read or written. Try again shortly.');
    },

    /** Applies requests atomically if the document is still at `requiredRevisionId`; returns the new revision. */
    async batchUpdate(client: GoogleAuthClient, documentId: string, requests: docs_v1.Schema$Request[], requiredRevisionId: string): Promise<string> {
      const written = await withRetries(() =>
        service(client).documents.batchUpdate({ documentId, requestBody: { requests, writeControl: { requiredRevisionId } } }),
      );
      if (written.ok) return written.value.data.writeControl?.requiredRevisionId ?? '';
      if (oauthErrorOf(written.error) !== null || statusOf(written.error) !== 400) throw refused(written.error);
      // Google answers a stale revision with a 400 and no stable message: the revision itself tells.
      if ((await readRevision(client, documentId)) !== requiredRevisionId) throw new RevisionConflict('The document changed since it was read.');
      options.log?.error({ documentId, status: 400, google: googleMessageOf(written.error) }, 'Docs API refused a batchUpdate as invalid');
      throw new AppError('INTERNAL', 'Google Docs refused this write as invalid, so nothing in the document changed. The fault is on our side and has been logged; try again later, and tell your administrator if it keeps happening.');
    },
  };
}
export type DocsClient = ReturnType<typeof createDocsClient>;
