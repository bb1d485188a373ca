import { blockText, cleanBlockText } from '../../../shared/block-text.js';
import type { Block } from '../../../shared/blocks.js';
import { blockIndexOf } from '../../../shared/draft-versions.js';
import { newId } from '../../../shared/ids.js';
import { LIMITS } from '../../../shared/limits.js';
import type { GeneratedBy } from '../../../shared/schemas/ai.js';
import type { DraftChange } from '../../../shared/schemas/authoring.js';
import type { ContinuityFlag } from '../../../shared/schemas/continuity.js';
import { countWords } from '../../../shared/text-count.js';
import { AppError, notFound } from '../lib/app-error.js';
import { presentDraft } from '../lib/authoring-presenters.js';
import type { DraftRecord } from '../stores/engine-types.js';
import type { Store } from '../stores/types.js';
import type { ChaptersService } from './chapters-service.js';
import { isoNow, type Clock } from './clock.js';
import { addNextDraft } from './draft-rules.js';

/** Words of a draft's blocks, counted by the shared rule. */
export const wordsOf = (blocks: Block[]) => blocks.reduce((sum, block) => sum + countWords(blockText(block)), 0);

/** The draft an author names, in a chapter of theirs (404 otherwise). */
export async function requireDraft(deps: { store: Store; chapters: ChaptersService }, userId: string, bookId: string, chapterId: string, draftId: string) {
  await deps.chapters.requireChapter(userId, bookId, chapterId);
  const draft = await deps.store.drafts.get(chapterId, draftId);
  if (!draft) throw notFound('draft');
  return draft;
}

/** The position of `blockId` in `draft`, or a VALIDATION error naming the field. */
export function requireBlock(draft: DraftRecord, blockId: string): number {
  const index = blockIndexOf(blockId, draft.blocks.length);
  if (index === null) throw new AppError('VALIDATION', `This draft has no block ${blockId}; it has ${draft.blocks.length}.`, { field: 'blockId' });
  return index;
}

/** A version's blocks, each with the index of the earlier version's block it is an unchanged copy of (null: new). */
export interface VersionBlocks {
  blocks: Block[];
  keptFrom: Array<number | null>;
}

/**
 * Stores a new version made from `previous`: same chapter, style and target, the next number, not accepted. The
 * previous version stays as it was (the author can go back to it or compare the two). Continuity flags follow the
 * unchanged blocks they were raised on; a changed block's flag goes with the text it was about.
 */
export async function saveVersion(
  deps: { store: Store; clock: Clock },
  previous: DraftRecord,
  made: VersionBlocks & { change: DraftChange; generatedBy: GeneratedBy; flags?: ContinuityFlag[] },
): Promise<DraftRecord> {
  const { store, clock } = deps;
  const draft: Omit<DraftRecord, 'number'> = {
    id: newId('draft'), bookId: previous.bookId, chapterId: previous.chapterId, style: previous.style,
    targetWords: previous.targetWords, words: wordsOf(made.blocks), blocks: made.blocks, generatedBy: made.generatedBy,
    continuityFlags: [
      ...previous.continuityFlags.flatMap((flag) => {
        const at = made.keptFrom.indexOf(flag.blockIndex);
        return at === -1 ? [] : [{ ...flag, blockIndex: at }];
      }),
      ...(made.flags ?? []),
    ].sort((a, b) => a.blockIndex - b.blockIndex),
    basedOnDraftId: previous.id, change: made.change, acceptedAt: null, createdAt: isoNow(clock),
  };
  return addNextDraft(store, draft, LIMITS.draftsPerChapter);
}

/**
 * The author's text for `block`: `text` for a heading, paragraph or quote, `items` for a list; cleaned as block text.
 * Words the author wrote are not "unsupported" (that flag warns of material no answer backs, not of the author's own).
 */
function authorsBlock(block: Block, body: { text?: string; items?: string[] }): Block {
  if (block.type === 'list') {
    const items = (body.items ?? []).map(cleanBlockText).filter(Boolean);
    if (body.text !== undefined || items.length === 0) throw new AppError('VALIDATION', 'A list is edited item by item: send its items.', { field: 'items' });
    return { ...block, items, unsupported: false, authored: true };
  }
  const text = cleanBlockText(body.text ?? '');
  if (body.items !== undefined || !text) throw new AppError('VALIDATION', 'Send the new text of the block.', { field: 'text' });
  return block.type === 'heading' ? { ...block, text, authored: true } : { ...block, text, unsupported: false, authored: true };
}

/** Versions of a draft the author makes by hand (AI-made versions are job kinds: see services/ai-operations). */
export function createDraftVersionsService(deps: { store: Store; chapters: ChaptersService; clock: Clock }) {
  return {
    /**
     * A new version with one block in the author's own words: it keeps the block's sources (the material it stands
     * for) and is marked as the author's; every other block is copied unchanged.
     */
    async editBlock(userId: string, bookId: string, chapterId: string, draftId: string, body: { blockId: string; text?: string; items?: string[] }) {
      const previous = await requireDraft(deps, userId, bookId, chapterId, draftId);
      const index = requireBlock(previous, body.blockId);
      const before = previous.blocks[index]!;
      const edited = authorsBlock(before, body);
      const words = (block: Block) => JSON.stringify(block.type === 'list' ? block.items : block.text);
      if (words(edited) === words(before)) {
        throw new AppError('VALIDATION', 'The block already reads exactly like this; change its text to save a new version.', { field: 'text' });
      }
      const blocks = previous.blocks.map((block, i) => (i === index ? edited : block));
      const draft = await saveVersion(deps, previous, {
        blocks, keptFrom: blocks.map((_, i) => (i === index ? null : i)), change: { kind: 'edit', instruction: null, blockIds: [body.blockId] }, generatedBy: previous.generatedBy,
      });
      return presentDraft(draft);
    },
  };
}
export type DraftVersionsService = ReturnType<typeof createDraftVersionsService>;
