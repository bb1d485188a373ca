import type { TocProposal } from '../../schemas/authoring.js';
import type { PutTocBody, Toc } from '../../schemas/chapters.js';

export type TocChapter = Toc['chapters'][number];
export type TocSection = TocChapter['children'][number];

/** Moves one item of a list from `from` to `to` (both clamped), returning a new list. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const target = Math.max(0, Math.min(list.length - 1, to));
  if (from === target || from < 0 || from >= list.length) return [...list];
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(target, 0, item as T);
  return next;
}

/** Where an item sits: a chapter (`parent` null) or a section of chapter `parent`. */
export interface TocPosition {
  parent: string | null;
  index: number;
}

/** Finds a chapter or section by id. */
export function locate(chapters: readonly TocChapter[], id: string): TocPosition | null {
  const top = chapters.findIndex((c) => c.id === id);
  if (top >= 0) return { parent: null, index: top };
  for (const chapter of chapters) {
    const index = chapter.children.findIndex((s) => s.id === id);
    if (index >= 0) return { parent: chapter.id, index };
  }
  return null;
}

/** Moves a chapter or section within its level, to `to` (an index at that level). */
export function moveWithinLevel(chapters: readonly TocChapter[], id: string, to: number): TocChapter[] {
  const at = locate(chapters, id);
  if (!at) return [...chapters];
  if (at.parent === null) return moveItem(chapters, at.index, to);
  return chapters.map((c) => (c.id === at.parent ? { ...c, children: moveItem(c.children, at.index, to) } : c));
}

/** Renames a chapter or section. */
export function renameItem(chapters: readonly TocChapter[], id: string, title: string): TocChapter[] {
  return chapters.map((c) =>
    c.id === id ? { ...c, title } : { ...c, children: c.children.map((s) => (s.id === id ? { ...s, title } : s)) },
  );
}

/** The body of `PUT …/toc` for an edited tree (every active item by id, so nothing is archived by accident). */
export function tocBody(version: number, chapters: readonly TocChapter[]): PutTocBody {
  return {
    version,
    chapters: chapters.map((c) => ({
      id: c.id, title: c.title, description: c.description,
      children: c.children.map((s) => ({ id: s.id, title: s.title, description: s.description })),
    })),
  };
}

/** Active chapter and section ids in TOC order (a chapter, then its sections). */
export function tocOrder(chapters: readonly TocChapter[]): string[] {
  return chapters.flatMap((c) => [c.id, ...c.children.map((s) => s.id)]);
}

/** One line of the difference a proposal would make. */
export interface ProposalDiffRow {
  kind: 'added' | 'kept' | 'renamed' | 'left-out';
  title: string;
  /** For `renamed`: the current title. */
  from: string | null;
  /** True for a section line. */
  section: boolean;
}

/**
 * What applying a proposal changes: new chapters, kept ones (renamed or not) and chapters the proposal leaves
 * out (archived, unless they hold material — the server keeps those and says so in `kept`).
 */
export function diffProposal(toc: Toc, proposal: TocProposal): ProposalDiffRow[] {
  const current = new Map<string, string>();
  for (const c of toc.chapters) {
    current.set(c.id, c.title);
    for (const s of c.children) current.set(s.id, s.title);
  }
  const seen = new Set<string>();
  const rows: ProposalDiffRow[] = [];
  const row = (item: { id: string | null; title: string }, section: boolean) => {
    const before = item.id ? current.get(item.id) : undefined;
    if (item.id) seen.add(item.id);
    if (before === undefined) rows.push({ kind: 'added', title: item.title, from: null, section });
    else if (before !== item.title) rows.push({ kind: 'renamed', title: item.title, from: before, section });
    else rows.push({ kind: 'kept', title: item.title, from: null, section });
  };
  for (const chapter of proposal.chapters) {
    row(chapter, false);
    for (const child of chapter.children) row(child, true);
  }
  for (const [id, title] of current) if (!seen.has(id)) rows.push({ kind: 'left-out', title, from: null, section: false });
  return rows;
}
