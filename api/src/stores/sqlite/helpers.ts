import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';
import type { CasResult } from '../types.js';

export type Db = Database.Database;

/** Prepares each SQL text once per connection. */
export function statementCache(db: Db): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}

/** SQLite has no booleans: store them as 0/1. */
export function toSqlValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  return value;
}

/** `a = ?, b = ?` for the defined keys of a patch, with their values. */
export function setClause(patch: Record<string, unknown>): { sql: string; values: unknown[] } {
  const keys = Object.keys(patch).filter((key) => patch[key] !== undefined);
  return { sql: keys.map((key) => `${key} = ?`).join(', '), values: keys.map((key) => toSqlValue(patch[key])) };
}

/** `INSERT INTO table (cols) VALUES (?, …)` with the record's values, in key order; `onConflict` is appended as is. */
export function insert(prepare: (sql: string) => Database.Statement, table: string, record: Record<string, unknown>, onConflict = '') {
  const keys = Object.keys(record);
  const sql = `INSERT INTO ${table} (${keys.join(', ')}) VALUES (${keys.map(() => '?').join(', ')}) ${onConflict}`;
  return prepare(sql).run(...keys.map((key) => toSqlValue(record[key])));
}

/**
 * A compare-and-swap UPDATE: bumps `version`, sets `updatedAt`, and matches `version` when one is expected.
 * `scope` adds equality conditions (e.g. the owner) to the WHERE clause; a null value means `IS NULL`.
 */
export function casUpdate<T>(
  prepare: (sql: string) => Database.Statement,
  table: string,
  scope: Record<string, string | null>,
  patch: Record<string, unknown>,
  expectedVersion: number | null,
  at: string,
  read: () => T | null,
): CasResult<T> {
  const set = setClause(patch);
  const scopeKeys = Object.keys(scope);
  const where = [
    ...scopeKeys.map((key) => (scope[key] === null ? `${key} IS NULL` : `${key} = ?`)),
    ...(expectedVersion === null ? [] : ['version = ?']),
  ].join(' AND ');
  const sql = `UPDATE ${table} SET ${set.sql ? `${set.sql}, ` : ''}version = version + 1, updatedAt = ? WHERE ${where}`;
  const scopeValues = scopeKeys.map((key) => scope[key]).filter((value) => value !== null);
  const params = [...set.values, at, ...scopeValues, ...(expectedVersion === null ? [] : [expectedVersion])];
  const changes = prepare(sql).run(...params).changes;
  const current = read();
  if (!current) return { ok: false, reason: 'missing' };
  return changes === 0 ? { ok: false, reason: 'conflict', current } : { ok: true, record: current };
}

/** Serialises the named object fields to JSON text for storage. */
export function jsonOut<T extends object>(record: T, fields: ReadonlyArray<keyof T>): Record<string, unknown> {
  const row: Record<string, unknown> = { ...(record as Record<string, unknown>) };
  for (const field of fields) row[field as string] = record[field] === null ? null : JSON.stringify(record[field]);
  return row;
}

/** Parses the named JSON text columns of a row back into objects. */
export function jsonIn<T>(row: unknown, fields: readonly string[]): T {
  if (!row) return row as T;
  const record = { ...(row as Record<string, unknown>) };
  for (const field of fields) record[field] = record[field] === null ? null : JSON.parse(record[field] as string);
  return record as T;
}

/**
 * A transaction that takes SQLite's write lock as it begins (BEGIN IMMEDIATE). A deferred transaction that reads and
 * then writes fails at once with SQLITE_BUSY(_SNAPSHOT) when another process (a second server, the CLI) wrote in
 * between; an immediate one waits for the lock (busy_timeout) and reads what is current. Every store transaction
 * writes, so every one is opened this way.
 */
export function writeTransaction<A extends unknown[], R>(db: Db, fn: (...args: A) => R): (...args: A) => R {
  return db.transaction(fn).immediate;
}

/**
 * `Store.atomically` on the one connection: BEGIN IMMEDIATE, the work, then COMMIT (ROLLBACK when it throws). The
 * work awaits between its statements, so every other call waits at the gate while a transaction is open: another
 * request's write must neither land in the transaction nor be rolled back with it. Transactions run one at a time.
 */
export function createTransactionGate(db: Db) {
  let open: Promise<void> | null = null;
  /** Set inside the work, so a call that would wait for its own transaction fails at once instead of hanging. */
  const insideWork = new AsyncLocalStorage<true>();
  const idle = async () => {
    if (open && insideWork.getStore()) throw new Error('Inside Store.atomically, use `tx`: the store itself waits for this transaction to end.');
    while (open) await open;
  };
  return {
    idle,
    async run<T>(work: () => Promise<T>): Promise<T> {
      await idle();
      while (open) await open; // checked and taken with no await in between
      let release = () => {};
      open = new Promise((resolve) => (release = resolve));
      try {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await insideWork.run(true, work);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      } finally {
        open = null;
        release();
        // Node 20's AsyncLocalStorage hooks every promise the process makes while any instance is enabled (a third of
        // a chapter GET's CPU): this one is enabled only while a transaction is open.
        insideWork.disable();
      }
    },
    /** The stores with each operation waiting at the gate while a transaction is open (and running at once otherwise). */
    gated<S extends object>(stores: S): S {
      const gate = (operation: (...args: unknown[]) => unknown) => (...args: unknown[]) => (open ? idle().then(() => operation(...args)) : operation(...args));
      return Object.fromEntries(
        Object.entries(stores).map(([name, store]) => [
          name,
          Object.fromEntries(Object.entries(store as object).map(([key, value]) => [key, typeof value === 'function' ? gate(value as never) : value])),
        ]),
      ) as S;
    },
  };
}
