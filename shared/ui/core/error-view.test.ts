import { describe, expect, it } from 'vitest';
import { ApiError } from '../../client/api-error.js';
import { ERROR_CODES } from '../../errors.js';
import { describeError } from './error-view.js';

const error = (code: ApiError['code'], extra: Partial<ConstructorParameters<typeof ApiError>[0]> = {}) =>
  new ApiError({ status: 400, code, message: `raw ${code} text`, requestId: 'req_1', ...extra });

describe('describeError', () => {
  it('words every code of the shared table itself, never the raw server message', () => {
    for (const code of ERROR_CODES) {
      const view = describeError(error(code));
      expect(view.code).toBe(code);
      expect(view.title.length).toBeGreaterThan(0);
      expect(view.message).not.toContain('raw');
      expect(view.requestId).toBe('req_1');
    }
  });

  it('gives the quota reset time from details.resetAt', () => {
    const view = describeError(error('QUOTA_EXCEEDED', { details: { window: 'monthly', resetAt: '2030-02-01T00:00:00.000Z' } }));
    expect(view).toMatchObject({ action: 'wait', resetAt: '2030-02-01T00:00:00.000Z' });
    expect(view.message).toContain('monthly');
    expect(view.message).toContain('2030');
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
});
