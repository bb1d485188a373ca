import type { CacheRecord, CacheStore } from '../engine-types.js';
import type { CacheDoc, Collections } from './collections.js';

const fromCacheDoc = ({ _id, expireAt: _expireAt, ...rest }: CacheDoc): CacheRecord => ({ key: _id, ...rest });

export function createMongoCacheStore({ aiCache }: Collections): CacheStore {
  return {
    async get(key, now) {
      // The TTL index drops expired rows only every minute or so: expiry is checked here too.
      const doc = await aiCache.findOne({ _id: key, expiresAt: { $gt: now } });
      return doc ? fromCacheDoc(doc) : null;
    },
    async put(record) {
      const { key, ...rest } = record;
      await aiCache.replaceOne({ _id: key }, { ...rest, expireAt: new Date(record.expiresAt) }, { upsert: true });
    },
    async purgeUser(userId) {
      return (await aiCache.deleteMany({ userId })).deletedCount;
    },
    async purgeExpired(now) {
      return (await aiCache.deleteMany({ expireAt: { $lte: new Date(now) } })).deletedCount;
    },
  };
}
