import type { DocWriteRecord, DocWritesStore } from '../engine-types.js';
import type { Collections, DocWriteDoc } from './collections.js';

const fromDocWrite = ({ _id: _key, ...record }: DocWriteDoc): DocWriteRecord => record;

export function createMongoDocWritesStore({ docWrites }: Collections): DocWritesStore {
  return {
    async upsert(record) {
      await docWrites.replaceOne({ _id: `${record.bookId}/${record.chapterId}` }, record, { upsert: true });
    },
    async listByBook(bookId) {
      const docs = await docWrites.find({ bookId }).sort({ writtenAt: 1, _id: 1 }).toArray();
      return docs.map(fromDocWrite);
    },
  };
}
