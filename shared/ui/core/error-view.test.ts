import { describe, expect, it } from 'vitest';
import { ApiError } from '../../client/api-error.js';
import { ERROR_CODES } from '../../errors.js';
import { describeError } from './error-view.js';

const error = (code: ApiError['code'], extra: Partial<ConstructorParameters<typeof ApiError>[0]> = {}) =>
  new ApiError({ status: 400, code, message: `raw ${code} text`, requestId: 'req_1', ...extra });

describe('describeError', () => {
  it('gives every code of the shared table a title and a message, with the reference when there is one', () => {
    for (const code of ERROR_CODES) {
      const view = describeError(error(code));
      expect(view.code).toBe(code);
      expect(view.title.length).toBeGreaterThan(0);
      expect(view.message.length).toBeGreaterThan(0);
      expect(view.requestId).toBe('req_1');
    }
  });

  it("shows the server's reason for validation and limits, and marks the fields its issues name", () => {
    const view = describeError(error('VALIDATION', {
      message: 'The target length must be at least 1,000 words (not 500).', serverCode: 'VALIDATION',
      details: { issues: [{ where: 'body', path: 'targetWords', message: 'The target length must be at least 1,000 words (not 500).' }, { where: 'querystring', path: 'limit', message: 'x' }] },
    }));
    expect(view.message).toBe('The target length must be at least 1,000 words (not 500).');
    // The title does not borrow the word the panels use for the draft an author chose ("Accept this draft").
    expect(view.title).toBe('Cannot do this as it is');
    expect(describeError(error('VALIDATION')).message).not.toMatch(/accept/i);
    expect(view.fields).toEqual([{ path: 'targetWords', message: 'The target length must be at least 1,000 words (not 500).' }]);
    expect(describeError(error('LIMIT_REACHED', { message: 'A book can hold at most 200 chapters and sections.', serverCode: 'LIMIT_REACHED' })).message)
      .toBe('A book can hold at most 200 chapters and sections.');
    // A failed AI call says why (say, the model stopped part-way) and that nothing was saved.
    expect(describeError(error('AI_UNAVAILABLE', { serverCode: 'AI_UNAVAILABLE', message: 'The AI model stopped part-way through its answer, so nothing was saved.' })).message)
      .toBe('The AI model stopped part-way through its answer, so nothing was saved.');
    // Codes whose next step the panel knows better keep the panel's words.
    expect(describeError(error('GOOGLE_UNAVAILABLE', { serverCode: 'GOOGLE_UNAVAILABLE' })).message).not.toContain('raw');
  });

  it('mentions a reference only when there is one', () => {
    const interrupted = 'The server running it stopped before it finished; nothing was changed. Start it again.';
    expect(describeError(error('JOB_INTERRUPTED', { serverCode: 'JOB_INTERRUPTED', message: interrupted, requestId: null })))
      .toMatchObject({ title: 'Interrupted', message: interrupted, requestId: null, action: 'retry' });
    expect(describeError(error('INTERNAL', { serverCode: 'INTERNAL', message: 'Something went wrong on our side; it has been logged.' })).message)
      .toContain('quote the reference below');
    expect(describeError(new Error('boom')).message).not.toContain('reference');
  });

  it('says what a refused job needed, what is left and when it resets, and offers no retry before then', () => {
    const view = describeError(error('QUOTA_EXCEEDED', { details: { window: 'monthly', resetAt: '2030-02-01T00:00:00.000Z', needed: 3200, remaining: 700 } }));
    expect(view).toMatchObject({ action: 'none', resetAt: '2030-02-01T00:00:00.000Z' });
    expect(view.message).toContain(`needs about ${(3200).toLocaleString()} tokens; 700 tokens are left this month`);
    expect(view.message).toContain('2030');
    // An older server without the figures still says when it resets.
    expect(describeError(error('QUOTA_EXCEEDED', { details: { window: 'daily', resetAt: '2030-02-01T00:00:00.000Z' } })).message).toContain('daily AI allowance');
  });

  it('counts down from Retry-After when rate limited', () => {
    expect(describeError(error('RATE_LIMITED', { retryAfterS: 7 }))).toMatchObject({ action: 'wait', retryAfterS: 7 });
  });

  it('offers retry for AI outages, re-connect for Google and for a dead API token', () => {
    expect(describeError(error('AI_UNAVAILABLE')).action).toBe('retry');
    expect(describeError(error('GOOGLE_AUTH_REQUIRED')).action).toBe('reconnect-google');
    expect(describeError(error('UNAUTHORIZED')).action).toBe('reconnect');
    expect(describeError(error('NETWORK')).action).toBe('retry');
  });

  it('handles anything thrown, not only ApiError', () => {
    expect(describeError(new TypeError('boom'))).toMatchObject({ code: 'INTERNAL', requestId: null });
  });

  it('offers to compare only a conflict that carries the other version; one without (a document that kept changing) says why, with Try again', () => {
    const stale = describeError(error('CONFLICT', { status: 409, serverCode: 'CONFLICT', details: { current: { version: 2 } } }));
    expect(stale).toMatchObject({ message: 'This was changed in another window or by another device. Compare both versions and choose.', action: 'reload' });
    const moving = describeError(error('CONFLICT', { status: 409, serverCode: 'CONFLICT', message: 'The document kept changing while writing; try again.' }));
    expect(moving).toMatchObject({ title: 'Changed elsewhere', message: 'The document kept changing while writing; try again.', action: 'retry' });
  });
});
