import { newId } from '../../../shared/ids.js';
import type { PutTocBody } from '../../../shared/schemas/chapters.js';
import { AppError } from '../lib/app-error.js';
import type { ChapterPatch, ChapterRecord } from '../stores/types.js';
import type { TocChangeSet } from './toc-rules.js';

interface Placement {
  id: string | undefined;
  title: string;
  description: string | null | undefined;
  parentRef: number | null;
  position: number;
}

/**
 * Merges a TOC structure edit into the existing chapters by id: named chapters are updated (and restored when
 * archived), unnamed ones created, and active chapters left out are archived — never deleted.
 */
/** `authored`: the author made this edit (a TOC PUT), so renamed chapters are marked as the author's own. */
export function mergeToc(existing: ChapterRecord[], body: PutTocBody, bookId: string, at: string, options: { authored: boolean }): TocChangeSet {
  const byId = new Map(existing.map((chapter) => [chapter.id, chapter]));
  const placements: Placement[] = [];
  body.chapters.forEach((item, index) => {
    placements.push({ id: item.id, title: item.title, description: item.description, parentRef: null, position: index });
    const parentRef = placements.length - 1;
    item.children?.forEach((child, childIndex) => {
      placements.push({ id: child.id, title: child.title, description: child.description, parentRef, position: childIndex });
    });
  });

  const seen = new Set<string>();
  const unknown: string[] = [];
  for (const placement of placements) {
    if (placement.id === undefined) continue;
    if (!byId.has(placement.id)) unknown.push(placement.id);
    if (seen.has(placement.id)) throw new AppError('VALIDATION', 'A chapter appears twice in this table of contents; reload it and try again.', { id: placement.id });
    seen.add(placement.id);
  }
  if (unknown.length > 0) throw new AppError('VALIDATION', 'This table of contents names chapters the book no longer has; reload it and try again.', { unknownIds: unknown });

  const ids = placements.map((placement) => placement.id ?? newId('chapter'));
  const changes: TocChangeSet = { creates: [], updates: [] };
  placements.forEach((placement, index) => {
    const parentId = placement.parentRef === null ? null : ids[placement.parentRef]!;
    const current = placement.id ? byId.get(placement.id) : undefined;
    if (!current) {
      changes.creates.push({
        id: ids[index]!, bookId, parentId, position: placement.position, title: placement.title,
        description: placement.description ?? null, status: 'planned', archivedAt: null, authoredAt: null,
        version: 1, createdAt: at, updatedAt: at,
      });
      return;
    }
    const wanted: ChapterPatch = { title: placement.title, parentId, position: placement.position, archivedAt: null };
    if (placement.description !== undefined) wanted.description = placement.description;
    const patch = changedFields(current, wanted);
    if (patch && options.authored && (patch.title !== undefined || patch.description !== undefined)) patch.authoredAt = at;
    if (patch) changes.updates.push({ id: current.id, patch });
  });
  for (const chapter of existing) {
    if (chapter.archivedAt === null && !seen.has(chapter.id)) changes.updates.push({ id: chapter.id, patch: { archivedAt: at } });
  }
  return changes;
}

function changedFields(current: ChapterRecord, wanted: ChapterPatch): ChapterPatch | null {
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(wanted)) {
    if (current[key as keyof ChapterRecord] !== value) patch[key] = value;
  }
  return Object.keys(patch).length > 0 ? (patch as ChapterPatch) : null;
}
