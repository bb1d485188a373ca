import type { Block } from '../../blocks.js';

/**
 * What a job streams while the model writes (`job.partial.item`), read back into the shapes the panels show: a draft
 * block, a chapter question, a proposed TOC chapter. Anything that does not read as one is left out (null): these are
 * previews, never saved, and the saved record replaces them when the job ends.
 */

type Loose = Record<string, unknown>;
const record = (item: unknown): Loose | null => (item && typeof item === 'object' && !Array.isArray(item) ? (item as Loose) : null);
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

/** A streamed draft block (the model's block without its answer refs) as a block; its sources are not known yet. */
export function writtenBlock(item: unknown): Block | null {
  const value = record(item);
  if (!value) return null;
  const pending = { sources: [], unsupported: false };
  if (value.type === 'heading' && text(value.text)) return { type: 'heading', level: value.level === 3 ? 3 : 2, text: value.text as string };
  if ((value.type === 'paragraph' || value.type === 'quote') && text(value.text)) return { type: value.type, text: value.text as string, ...pending };
  if (value.type === 'list' && Array.isArray(value.items)) {
    const items = value.items.filter((entry): entry is string => text(entry) !== null);
    return items.length > 0 ? { type: 'list', ordered: false, items, ...pending } : null;
  }
  return null;
}

/** A streamed chapter question. */
export function writtenQuestion(item: unknown): { text: string; helpText: string | null; lens: string | null } | null {
  const value = record(item);
  if (!value || !text(value.text)) return null;
  return { text: value.text as string, helpText: text(value.helpText), lens: text(value.lens) };
}

/** A streamed chapter of a TOC proposal, with its section titles. */
export function writtenChapter(item: unknown): { title: string; description: string | null; sections: string[] } | null {
  const value = record(item);
  if (!value || !text(value.title)) return null;
  const sections = Array.isArray(value.sections) ? value.sections.filter((s): s is string => text(s) !== null) : [];
  return { title: value.title as string, description: text(value.description), sections };
}

/** The items that read as `T`, in order. */
export function writtenItems<T>(items: readonly unknown[], read: (item: unknown) => T | null): T[] {
  return items.map(read).filter((item): item is T => item !== null);
}
