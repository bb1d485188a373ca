import type { GoogleCredentialsRecord, GoogleCredentialsStore } from '../engine-types.js';
import type { Collections, GoogleCredentialsDoc } from './collections.js';

const fromCredentialsDoc = ({ _id: _key, ...record }: GoogleCredentialsDoc): GoogleCredentialsRecord => record;

export function createMongoGoogleCredentialsStore({ googleCredentials }: Collections): GoogleCredentialsStore {
  return {
    async get(userId) {
      const doc = await googleCredentials.findOne({ _id: userId });
      return doc ? fromCredentialsDoc(doc) : null;
    },
    async put(record) {
      await googleCredentials.replaceOne({ _id: record.userId }, { ...record }, { upsert: true });
    },
    async replaceCiphertext(userId, expected, next, at) {
      const result = await googleCredentials.updateOne({ _id: userId, ciphertext: expected }, { $set: { ciphertext: next, updatedAt: at } });
      // Matched, as SQLite counts a row the WHERE found: a swap to the same text still reports the swap done.
      return result.matchedCount === 1;
    },
  };
}
