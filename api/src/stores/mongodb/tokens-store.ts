import type { TokenRecord, TokensStore } from '../types.js';
import { fromDoc, fromDocOrNull, toDoc, type Collections } from './collections.js';
import { isDuplicateKey } from './helpers.js';
import { INDEX_NAMES } from './indexes.js';

export function createMongoTokensStore({ tokens, idTokenClaims }: Collections): TokensStore {
  return {
    async create(token) {
      try {
        await tokens.insertOne(toDoc(token));
        return true;
      } catch (error) {
        if (isDuplicateKey(error, INDEX_NAMES.tokensHash)) return false;
        throw error;
      }
    },
    async findByHash(hash) {
      return fromDocOrNull<TokenRecord>(await tokens.findOne({ hash }));
    },
    async listByUser(userId) {
      const docs = await tokens.find({ userId }).sort({ _id: -1 }).toArray();
      return docs.map((doc) => fromDoc<TokenRecord>(doc));
    },
    async revoke(userId, tokenId, at) {
      const result = await tokens.updateOne({ _id: tokenId, userId, revokedAt: null }, { $set: { revokedAt: at } });
      return result.modifiedCount === 1;
    },
    async revokeAll(userId, at) {
      return (await tokens.updateMany({ userId, revokedAt: null }, { $set: { revokedAt: at } })).modifiedCount;
    },
    async touch(tokenId, at) {
      await tokens.updateOne({ _id: tokenId }, { $set: { lastUsedAt: at } });
    },
    async claimIdToken(hash, expiresAt, now) {
      // The TTL index drops expired claims within a minute or so; an expired one still present is replaced here.
      await idTokenClaims.deleteOne({ _id: hash, expiresAt: { $lte: now } });
      try {
        await idTokenClaims.insertOne({ _id: hash, expiresAt, expireAt: new Date(expiresAt) });
        return true;
      } catch (error) {
        if (isDuplicateKey(error, '_id_')) return false;
        throw error;
      }
    },
  };
}
