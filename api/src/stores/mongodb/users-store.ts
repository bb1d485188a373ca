import type { UserRecord, UsersStore } from '../types.js';
import { fromDoc, fromDocOrNull, toDoc, type Collections } from './collections.js';
import { beforeIdFilter, casUpdate, isDuplicateKey } from './helpers.js';
import { INDEX_NAMES } from './indexes.js';

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function createMongoUsersStore({ users }: Collections): UsersStore {
  const get = async (id: string) => fromDocOrNull<UserRecord>(await users.findOne({ _id: id }));
  return {
    async create(user) {
      try {
        await users.insertOne(toDoc(user));
        return true;
      } catch (error) {
        if (isDuplicateKey(error, INDEX_NAMES.usersEmail)) return false;
        throw error;
      }
    },
    get,
    async getByEmail(email) {
      return fromDocOrNull<UserRecord>(await users.findOne({ email }));
    },
    async getByGoogleSub(sub) {
      // `$type: 'string'` repeats the partial index's filter, so the query can use that index.
      return fromDocOrNull<UserRecord>(await users.findOne({ googleSub: { $eq: sub, $type: 'string' } }));
    },
    async update(id, patch, expectedVersion, at) {
      return casUpdate<UserRecord>(users, { _id: id }, patch, expectedVersion, at, () => get(id));
    },
    async list({ limit, beforeId, q }) {
      const pattern = q ? { $regex: escapeRegex(q), $options: 'i' } : null;
      const docs = await users
        .find({ ...beforeIdFilter(beforeId), ...(pattern ? { $or: [{ email: pattern }, { name: pattern }] } : {}) })
        .sort({ _id: -1 })
        .limit(limit)
        .toArray();
      return docs.map((doc) => fromDoc<UserRecord>(doc));
    },
    async count() {
      return users.countDocuments({});
    },
    async countActiveAdmins() {
      return users.countDocuments({ role: 'admin', disabled: false });
    },
  };
}
