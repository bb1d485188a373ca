import { MongoErrorLabel, MongoServerError, type ClientSession, type Collection, type Filter, type MongoClient, type TransactionOptions, type UpdateFilter } from 'mongodb';
import type { CasResult } from '../types.js';
import { fromDoc, storedFields, type Collections, type Doc, type LockDoc } from './collections.js';

/** Snapshot reads and majority writes on the primary: what a multi-record write needs to be all-or-nothing. */
const TRANSACTION_OPTIONS: TransactionOptions = {
  readConcern: { level: 'snapshot' },
  writeConcern: { w: 'majority' },
  readPreference: 'primary',
};

/**
 * Runs `work` in a transaction on its own session. The driver retries it on transient errors (write conflicts
 * included), so `work` may run more than once: it must only touch the database and return its outcome.
 */
export function inTransaction<T>(client: MongoClient, work: (session: ClientSession) => Promise<T>): Promise<T> {
  return client.withSession((session) => session.withTransaction(work, TRANSACTION_OPTIONS));
}

/** What a store works with: the client, the collections and, inside `Store.atomically`, the transaction's session. */
export interface MongoContext {
  client: MongoClient;
  collections: Collections;
  session?: ClientSession;
}

/** `inTransaction`, or the caller's transaction when the store runs inside one (MongoDB transactions do not nest). */
export function withinTransaction<T>(ctx: MongoContext, work: (session: ClientSession) => Promise<T>): Promise<T> {
  return ctx.session ? work(ctx.session) : inTransaction(ctx.client, work);
}

/** Ends the transaction without committing anything and hands back `outcome` (withTransaction then returns it). */
export async function rollback<T>(session: ClientSession, outcome: T): Promise<T> {
  await session.abortTransaction();
  return outcome;
}

/** True for a duplicate-key error on the named unique index. */
export function isDuplicateKey(error: unknown, indexName: string): boolean {
  return error instanceof MongoServerError && error.code === 11000 && error.message.includes(`index: ${indexName} `);
}

/**
 * Writes the lock row `key` inside the transaction, so concurrent transactions on the same key conflict and the
 * driver retries the loser from a snapshot that holds the winner's writes. The first write of a key inserts the row:
 * a transaction that raced another one creating it can get a duplicate-key error rather than a write conflict, and
 * the driver retries only errors labelled transient, so that one is labelled too (its retry finds the row).
 */
export async function writeLock(locks: Collection<LockDoc>, key: string, session: ClientSession): Promise<void> {
  try {
    await locks.updateOne({ _id: key }, { $inc: { writes: 1 } }, { upsert: true, session });
  } catch (error) {
    if (isDuplicateKey(error, '_id_')) (error as MongoServerError).addErrorLabel(MongoErrorLabel.TransientTransactionError);
    throw error;
  }
}

/** The patch without its undefined fields (BSON would store them as null, and an absent field means "unchanged"). */
export function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

type Versioned = { id: string; version: number; updatedAt: string };

/**
 * A compare-and-swap update: sets the patch, bumps `version`, sets `updatedAt`, and matches `version` when one is
 * expected. `scope` adds conditions (e.g. the owner); `read` fetches the record as the caller may see it.
 */
export async function casUpdate<R extends Versioned>(
  collection: Collection<Doc<R>>,
  scope: Record<string, unknown>,
  patch: object,
  expectedVersion: number | null,
  at: string,
  read: () => Promise<R | null>,
  session?: ClientSession,
): Promise<CasResult<R>> {
  const filter = { ...scope, ...(expectedVersion === null ? {} : { version: expectedVersion }) } as Filter<Doc<R>>;
  const update = { $set: { ...storedFields(definedOnly(patch)), updatedAt: at }, $inc: { version: 1 } } as unknown as UpdateFilter<Doc<R>>;
  const updated = await collection.findOneAndUpdate(filter, update, { returnDocument: 'after', session });
  if (updated) return { ok: true, record: fromDoc<R>(updated as Doc<R>) };
  const current = await read();
  return current ? { ok: false, reason: 'conflict', current } : { ok: false, reason: 'missing' };
}

/** `{ field: { $lt: beforeId } }` when paging, nothing otherwise. */
export function beforeIdFilter(beforeId: string | null): { _id?: { $lt: string } } {
  return beforeId === null ? {} : { _id: { $lt: beforeId } };
}
