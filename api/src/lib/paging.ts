import { AppError } from './app-error.js';

/** Opaque cursors: the base64url of the last item's id. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | null {
  if (cursor === undefined) return null;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[a-z]+_[0-9A-Z]{26}$/.test(id)) throw new AppError('VALIDATION', 'This page link is not valid; reload the list.', { field: 'cursor' });
  return id;
}

/** Turns `limit + 1` fetched rows into `{ items, nextCursor }`. */
export function toPage<R extends { id: string }, T>(rows: R[], limit: number, present: (row: R) => T) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(present), nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
