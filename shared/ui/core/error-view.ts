import { ApiError } from '../../client/api-error.js';
import { HostError } from '../panel-host.js';

/** What the author can do about an error. */
export type ErrorAction = 'retry' | 'wait' | 'reconnect' | 'reconnect-google' | 'reload' | 'none';

/** A field the server refused, by its path in the request body (`targetWords`, `answers.0.text`). */
export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * An error as the panels show it: title and action decided by code; the message is the server's own reason where
 * the server words one for authors (validation, limits, a job's stored failure), else the panel's words.
 */
export interface ErrorView {
  code: string;
  title: string;
  message: string;
  action: ErrorAction;
  /** RATE_LIMITED: seconds to wait (the countdown starts here). */
  retryAfterS: number | null;
  /** QUOTA_EXCEEDED: when the quota resets (ISO time from `details.resetAt`). */
  resetAt: string | null;
  /** Fields the server named (from `details.issues`), to mark where they are. */
  fields: FieldProblem[];
  /** Quoted to support; null when nothing answered. */
  requestId: string | null;
}

const detail = (details: unknown, key: string): unknown =>
  details && typeof details === 'object' ? (details as Record<string, unknown>)[key] : undefined;

/** Formats an ISO time for the author, in their time zone. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

const PLAIN: Record<string, [string, string, ErrorAction]> = {
  // Not "Not accepted": in this product an accepted draft is the one the author chose, and refusals sit beside those.
  VALIDATION: ['Cannot do this as it is', 'Something here cannot be used as it is. Check the marked field and try again.', 'none'],
  UNAUTHORIZED: ['Connect again', 'Your API token is no longer valid. Paste a new one to carry on.', 'reconnect'],
  GOOGLE_AUTH_REQUIRED: ['Google access needed', 'Auto-Author needs your Google permission to read and write this document. Re-connect Google to carry on.', 'reconnect-google'],
  GOOGLE_FORBIDDEN: ['No access to this document', 'Your Google account cannot edit this document. Ask its owner for edit access.', 'none'],
  FORBIDDEN: ['Not allowed', 'Your account is not allowed to do this.', 'none'],
  ACCOUNT_DISABLED: ['Account disabled', 'This account has been disabled. Contact your administrator.', 'none'],
  SIGNUP_CLOSED: ['No account', 'This Google account has no Auto-Author account. Ask an administrator to add you.', 'none'],
  NOT_FOUND: ['Not found', 'This item no longer exists; it may have been deleted elsewhere.', 'reload'],
  DOC_NOT_FOUND: ['Document not found', 'The Google Doc could not be found. It may have been deleted or moved.', 'none'],
  CONFLICT: ['Changed elsewhere', 'This was changed in another window or by another device. Compare both versions and choose.', 'reload'],
  JOB_ACTIVE: ['Already running', 'This is already being generated with other settings. Wait for it or cancel it.', 'none'],
  JOB_CANCELLED: ['Cancelled', 'This generation was cancelled; nothing was changed. Start it again when you are ready.', 'none'],
  JOB_INTERRUPTED: ['Interrupted', 'The server running this generation stopped before it finished; nothing was changed. Start it again.', 'retry'],
  QUESTION_ANSWERED: ['Already answered', 'This question has an answer, so it is kept rather than replaced.', 'none'],
  LIMIT_REACHED: ['Limit reached', 'You have reached a limit for this book. Archive or remove something first.', 'none'],
  DOC_CHAPTER_EDITED: ['Edited in the document', 'This chapter was edited in the document, so it was not replaced.', 'none'],
  DOC_NOT_LINKED: ['Different document', 'This book is linked to another document.', 'none'],
  PAYLOAD_TOO_LARGE: ['Too long', 'This text is too long to save. Shorten it and try again.', 'none'],
  AI_TRUNCATED: ['Incomplete result', 'The AI stopped before finishing. Try again, perhaps with a shorter target length.', 'retry'],
  AI_INVALID_OUTPUT: ['Unusable AI answer', 'The AI gave an answer that could not be used; nothing was saved. Try again.', 'retry'],
  AI_UNAVAILABLE: ['AI unavailable', 'The AI service is not available right now. Your work is safe; try again in a moment.', 'retry'],
  GOOGLE_UNAVAILABLE: ['Google Docs unavailable', 'Google Docs is not answering right now. Try again in a moment.', 'retry'],
  NETWORK: ['Cannot reach the server', 'The Auto-Author server does not answer. Check your connection; your text is kept, and this clears itself when the server answers again.', 'retry'],
  TIMEOUT: ['The server is slow', 'The server took too long to answer. Try again.', 'retry'],
  INVALID_RESPONSE: ['Unexpected answer', 'The server answered in a way this panel does not understand. Reload, or update the panel.', 'reload'],
  INTERNAL: ['Something went wrong', 'Something went wrong in this panel. Try again; if it persists, reload the panel.', 'retry'],
};

/**
 * Codes whose server message is the author's reason (the API words these for authors): validation with the field,
 * limits with their counts, a job's stored failure (say, interrupted by a restart). Other codes keep the panel's
 * words, which say what to do (re-connect, wait, try again).
 */
const SERVER_WORDED = new Set([
  'VALIDATION', 'LIMIT_REACHED', 'PAYLOAD_TOO_LARGE', 'JOB_ACTIVE', 'QUESTION_ANSWERED', 'DOC_NOT_LINKED', 'DOC_CHAPTER_EDITED',
  'AI_TRUNCATED', 'AI_UNAVAILABLE', 'FORBIDDEN', 'SIGNUP_CLOSED', 'INTERNAL', 'UNSUPPORTED_MEDIA_TYPE', 'JOB_INTERRUPTED',
]);

/** The fields a VALIDATION error names: its body issues, or `details.field`. */
function fieldProblems(details: unknown, fallback: string): FieldProblem[] {
  const issues = detail(details, 'issues');
  if (Array.isArray(issues)) {
    return issues.flatMap((issue: unknown) => {
      const path = detail(issue, 'path');
      const where = detail(issue, 'where');
      const message = detail(issue, 'message');
      return typeof path === 'string' && path && (where === undefined || where === 'body')
        ? [{ path, message: typeof message === 'string' ? message : fallback }]
        : [];
    });
  }
  const field = detail(details, 'field');
  return typeof field === 'string' ? [{ path: field, message: fallback }] : [];
}

/** "1 chapter", "2,000 words": a count with its noun, singular for one. */
export const count = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
export const tokens = (n: number) => count(n, 'token', 'tokens');

/** QUOTA_EXCEEDED: what the job needed, what is left and when it resets; no retry can succeed before then. */
function quotaView(apiError: ApiError, base: Omit<ErrorView, 'title' | 'message' | 'action'>): ErrorView {
  const resetAt = detail(apiError.details, 'resetAt');
  const needed = detail(apiError.details, 'needed');
  const remaining = detail(apiError.details, 'remaining');
  const monthly = detail(apiError.details, 'window') === 'monthly';
  const when = typeof resetAt === 'string' ? ` It resets ${formatTime(resetAt)}.` : '';
  const message = typeof needed === 'number' && typeof remaining === 'number'
    ? `This needs about ${tokens(needed)}; ${tokens(remaining)} ${remaining === 1 ? 'is' : 'are'} left ${monthly ? 'this month' : 'today'}.${when} Your writing is unaffected.`
    : `You have used your ${monthly ? 'monthly' : 'daily'} AI allowance.${when} Your writing is unaffected.`;
  return { ...base, title: 'AI quota reached', action: 'none', resetAt: typeof resetAt === 'string' ? resetAt : null, message };
}

/** Turns anything thrown into the view the panels render. */
export function describeError(error: unknown): ErrorView {
  if (error instanceof HostError) {
    return { code: 'HOST', title: error.title, message: error.message, action: 'retry', retryAfterS: null, resetAt: null, fields: [], requestId: null };
  }
  const apiError = error instanceof ApiError
    ? error
    : new ApiError({ status: 0, code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) });
  const [title, plain, action] = PLAIN[apiError.code] ?? PLAIN.INTERNAL!;
  const fromServer = apiError.serverCode !== null && apiError.message.trim() !== '';
  const base = {
    code: apiError.code, retryAfterS: null, resetAt: null, requestId: apiError.requestId,
    fields: apiError.code === 'VALIDATION' ? fieldProblems(apiError.details, fromServer ? apiError.message : plain) : [],
  };
  if (apiError.code === 'QUOTA_EXCEEDED') return quotaView(apiError, base);
  if (apiError.code === 'RATE_LIMITED') {
    return { ...base, title: 'Too many requests', action: 'wait', retryAfterS: apiError.retryAfterS ?? 30, message: 'You are going a little fast for the server.' };
  }
  if (apiError.code === 'CONFLICT' && fromServer && detail(apiError.details, 'current') === undefined) {
    // No other version to compare (a Google Doc that kept changing while the API wrote into it): the server's reason.
    return { ...base, title, message: apiError.message, action: 'retry' };
  }
  let message = fromServer && SERVER_WORDED.has(apiError.code) ? apiError.message : plain;
  if (apiError.code === 'INTERNAL' && apiError.requestId) message += ' If it keeps happening, quote the reference below.';
  return { ...base, title, message, action };
}
