import type { Block } from '../../../shared/blocks.js';
import { LIMITS } from '../../../shared/limits.js';
import type { ContinuityFlag } from '../../../shared/schemas/continuity.js';
import type { AiGateway } from '../ai/ai-gateway.js';
import { comparable, splitSentences } from '../ai/offline/key-phrases.js';
import { continuityCheckTask, type ContinuityCheckInput } from '../ai/tasks/continuity-task.js';
import type { DraftInput } from '../ai/tasks/draft-task.js';
import type { ContinuityNoteRecord } from '../stores/engine-types.js';
import type { BookRecord, ChapterRecord, Store } from '../stores/types.js';
import { blockRefs } from './continuity-service.js';
import { readingOrder } from './toc-tree.js';

/** A recap of an accepted draft: the first sentence of each paragraph, in order, up to the bound (cut at a word). */
export function recapOf(blocks: Block[], maxChars: number = LIMITS.recapCharsPerChapter): string {
  let recap = '';
  for (const block of blocks) {
    if (block.type !== 'paragraph') continue;
    const first = splitSentences(block.text)[0];
    if (!first) continue;
    const next = recap ? `${recap} ${first}` : first;
    if (next.length > maxChars) {
      if (!recap) recap = `${first.slice(0, maxChars).replace(/\s+\S*$/u, '')}…`;
      break;
    }
    recap = next;
  }
  return recap;
}

/** Whether `text` (already comparable) names the note's subject as whole words. */
const names = (text: string, note: ContinuityNoteRecord) => {
  const subject = comparable(note.subject);
  return subject.length > 0 && ` ${text} `.includes(` ${subject} `);
};

/**
 * The notes a chapter's draft carries, bounded: the locked notes its material names, then the other notes it names,
 * then the remaining locked notes (rules for the whole book).
 */
export function relevantNotes(notes: ContinuityNoteRecord[], material: string): ContinuityNoteRecord[] {
  const text = comparable(material);
  const named = notes.filter((note) => names(text, note));
  const ordered = [...named.filter((n) => n.locked), ...named.filter((n) => !n.locked), ...notes.filter((n) => n.locked && !named.includes(n))];
  return ordered.slice(0, LIMITS.continuityNotesInDraft);
}

/** A note's detail as prompts carry it: bounded, cut at a word. */
const NOTE_DETAIL_IN_PROMPT = 300;
const promptDetail = (detail: string) =>
  detail.length <= NOTE_DETAIL_IN_PROMPT ? detail : `${detail.slice(0, NOTE_DETAIL_IN_PROMPT).replace(/\s+\S*$/u, '')}…`;

/**
 * What the book already holds, for a chapter's draft: recaps of the earlier chapters' accepted drafts (nearest ones,
 * bounded), the relevant continuity notes, and the author's voice sample.
 */
export async function bookContextFor(store: Store, book: BookRecord, chapter: ChapterRecord, material: string): Promise<DraftInput['book']> {
  const order = readingOrder(await store.chapters.listByBook(book.id), false);
  const at = order.findIndex((c) => c.id === chapter.id);
  const earlier = (at < 0 ? [] : order.slice(0, at)).slice(-LIMITS.recapChapters);
  const previously: DraftInput['book']['previously'] = [];
  for (const earlierChapter of earlier) {
    const accepted = await store.drafts.accepted(earlierChapter.id);
    const recap = accepted ? recapOf(accepted.blocks) : '';
    if (recap) previously.push({ chapter: earlierChapter.title, recap });
  }
  const notes = relevantNotes(await store.continuity.list(book.id), `${chapter.title}\n${chapter.description ?? ''}\n${material}`);
  return {
    previously,
    continuity: notes.map((note) => ({ kind: note.kind, subject: note.subject, detail: promptDetail(note.detail), locked: note.locked })),
    voiceSample: book.voiceSample?.trim() ? book.voiceSample : null,
  };
}

/**
 * The check's input: the book's locked notes by ref (N1, …), those the draft names first and bounded, and the draft's
 * blocks by ref (B1, …); null when nothing is locked.
 */
export async function continuityCheckInput(store: Store, book: BookRecord, blocks: Block[]) {
  const refs = blockRefs(blocks).refs;
  const locked = relevantNotes((await store.continuity.list(book.id)).filter((note) => note.locked), refs.map((r) => r.text).join('\n'));
  if (locked.length === 0) return null;
  const notes = locked.map((note, index) => ({ ref: `N${index + 1}`, note }));
  const input: ContinuityCheckInput = {
    language: book.language,
    notes: notes.map(({ ref, note }) => ({ ref, kind: note.kind, subject: note.subject, detail: promptDetail(note.detail) })),
    blocks: refs.map(({ ref, text }) => ({ ref, text })),
  };
  return { input, notes };
}

/**
 * A revised version's check: the blocks it rewrote (not those kept from the earlier version, whose flags carry over)
 * that contradict a locked note; none, and no call, when nothing is locked.
 */
export async function rewrittenBlockFlags(
  ai: AiGateway, store: Store, book: BookRecord, made: { blocks: Block[]; keptFrom: Array<number | null> },
  options: Parameters<AiGateway['run']>[2],
): Promise<ContinuityFlag[]> {
  const checked = await continuityCheckInput(store, book, made.blocks);
  if (!checked) return [];
  return (await continuityFlags(ai, checked, made.blocks, options)).filter((flag) => made.keptFrom[flag.blockIndex] === null);
}

/** Runs the check: the blocks that contradict a locked note, as flags on the draft (the text is left as it is). */
export async function continuityFlags(
  ai: AiGateway, checked: NonNullable<Awaited<ReturnType<typeof continuityCheckInput>>>, blocks: Block[],
  options: Parameters<AiGateway['run']>[2],
): Promise<ContinuityFlag[]> {
  const { output } = await ai.run(continuityCheckTask, checked.input, options);
  const byRef = blockRefs(blocks).byRef;
  const noteByRef = new Map(checked.notes.map(({ ref, note }) => [ref, note]));
  const seen = new Set<string>();
  const flags: ContinuityFlag[] = [];
  for (const conflict of output.conflicts) {
    const block = byRef.get(conflict.block);
    const note = noteByRef.get(conflict.note);
    const key = `${conflict.block}/${conflict.note}`;
    if (!block || !note || seen.has(key)) continue;
    seen.add(key);
    flags.push({ blockIndex: block.index, noteId: note.id, subject: note.subject, detail: note.detail, explanation: conflict.explanation });
  }
  return flags.sort((a, b) => a.blockIndex - b.blockIndex);
}
