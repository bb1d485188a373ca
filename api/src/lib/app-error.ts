import { ERROR_STATUS, type ErrorCode } from '../../../shared/errors.js';

/** A typed service error: the one error handler turns it into the shared error shape. */
export class AppError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
    this.statusCode = ERROR_STATUS[code];
  }
}

export const notFound = (what = 'resource') => new AppError('NOT_FOUND', `This ${what} does not exist; it may have been deleted.`);

/** A stale compare-and-swap: the client gets the current record to show both versions. */
export const conflict = (what: string, current: unknown) =>
  new AppError('CONFLICT', `The ${what} was changed elsewhere; reload it and try again.`, { current });
