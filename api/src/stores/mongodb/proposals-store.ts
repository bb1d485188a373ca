import type { ProposalRecord, ProposalsStore } from '../engine-types.js';
import { fromDocOrNull, toDoc, type Collections } from './collections.js';

export function createMongoProposalsStore({ proposals }: Collections): ProposalsStore {
  return {
    async create(proposal) {
      await proposals.insertOne(toDoc(proposal));
    },
    async get(bookId, proposalId) {
      return fromDocOrNull<ProposalRecord>(await proposals.findOne({ _id: proposalId, bookId }));
    },
    async markApplied(proposalId) {
      await proposals.updateOne({ _id: proposalId }, { $set: { status: 'applied' } });
    },
  };
}
