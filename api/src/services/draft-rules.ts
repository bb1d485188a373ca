import type { DraftRecord } from '../stores/engine-types.js';
import type { Store } from '../stores/types.js';

/**
 * Creating and accepting drafts of one chapter share its lock, so they run one after the other: two accepts cannot
 * each leave their own draft accepted, and a prune never misses a concurrent create or accept.
 */
const chapterLock = (chapterId: string) => ({ lock: `drafts:${chapterId}` });

type DraftsTx = Pick<Store, 'drafts'>;

async function insertAndPrune(tx: DraftsTx, draft: DraftRecord, keep: number): Promise<void> {
  await tx.drafts.insert(draft);
  const unaccepted = await tx.drafts.unacceptedIds(draft.chapterId);
  if (unaccepted.length > keep) await tx.drafts.remove(draft.chapterId, unaccepted.slice(keep));
}

/** Stores a draft and drops the oldest drafts of its chapter that are not accepted beyond the newest `keep`. */
export function addDraft(store: Store, draft: DraftRecord, keep: number): Promise<void> {
  return store.atomically((tx) => insertAndPrune(tx, draft, keep), chapterLock(draft.chapterId));
}

/**
 * Stores a draft as the chapter's next version (its number one more than the newest, read under the chapter's lock,
 * so two versions made at once never share a number), pruning as `addDraft` does; returns it as stored.
 */
export function addNextDraft(store: Store, draft: Omit<DraftRecord, 'number'>, keep: number): Promise<DraftRecord> {
  return store.atomically(async (tx) => {
    const newest = (await tx.drafts.list(draft.chapterId, 1, null))[0];
    const numbered: DraftRecord = { ...draft, number: (newest?.number ?? 0) + 1 };
    await insertAndPrune(tx, numbered, keep);
    return numbered;
  }, chapterLock(draft.chapterId));
}

/** Makes the draft the chapter's one accepted draft; null when the chapter has no such draft. */
export function acceptDraft(store: Store, chapterId: string, draftId: string, at: string): Promise<DraftRecord | null> {
  return store.atomically(async (tx) => {
    if (!(await tx.drafts.get(chapterId, draftId))) return null;
    const previous = await tx.drafts.accepted(chapterId);
    if (previous && previous.id !== draftId) await tx.drafts.setAcceptedAt(chapterId, previous.id, null);
    return tx.drafts.setAcceptedAt(chapterId, draftId, at);
  }, chapterLock(chapterId));
}
