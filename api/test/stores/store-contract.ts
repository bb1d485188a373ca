import { describe, expect, it } from 'vitest';
import { atomicallyContract } from './contract/atomically.js';
import { auditContract } from './contract/audit.js';
import { bookRecordsContract } from './contract/book-records.js';
import { booksContract } from './contract/books.js';
import { chaptersContract } from './contract/chapters.js';
import { continuityContract } from './contract/continuity.js';
import { googleCredentialsContract } from './contract/google-credentials.js';
import { useStore, type StoreFactory } from './contract/fixtures.js';
import { jobsContract } from './contract/jobs.js';
import { aiCacheContract, ledgerContract } from './contract/ledger-cache.js';
import { draftsContract, proposalsContract } from './contract/proposals-drafts.js';
import { answersContract, questionsContract } from './contract/questions-answers.js';
import { tokensContract } from './contract/tokens.js';
import { usersContract } from './contract/users.js';

export type { StoreFactory } from './contract/fixtures.js';

/**
 * The behaviour every Store implementation must share, as vitest describe blocks. `open` is called once per block
 * and the block closes what it opened; tests use fresh ids, so stores opened on one database may share it.
 */
export function defineStoreContract(name: string, open: StoreFactory): void {
  describe(`${name} store contract`, () => {
    usersContract(open);
    tokensContract(open);
    booksContract(open);
    chaptersContract(open);
    auditContract(open);
    atomicallyContract(open);
    // The authoring engine's records.
    questionsContract(open);
    answersContract(open);
    proposalsContract(open);
    draftsContract(open);
    jobsContract(open);
    ledgerContract(open);
    aiCacheContract(open);
    bookRecordsContract(open);
    googleCredentialsContract(open);
    continuityContract(open);

    describe('lifecycle', () => {
      const store = useStore(open);
      it('reports itself healthy without leaking connection strings', async () => {
        const health = await store().health();
        expect(health.ok).toBe(true);
        expect(health.details).toMatchObject({ kind: store().kind });
        expect(JSON.stringify(health)).not.toMatch(/mongodb(\+srv)?:\/\/|password/i);
      });
    });
  });
}
