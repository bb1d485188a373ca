import { decideChapterWrite } from '../../../shared/doc-plan.js';
import { chapterSpan, type ChapterWrite } from './batch-builder.js';
import { rangeText, type DocTab } from './doc-reader.js';

/** The chapters of one write, sorted by the shared decision against the tab as read. */
export interface WriteDecisions {
  /** To write (new, or replacing what was last written there). */
  ready: ChapterWrite[];
  /** Already in the document exactly as planned: recorded, not rewritten. */
  current: ChapterWrite[];
  /** Edited by the author since the last write (DOC_CHAPTER_EDITED), with the text the document holds. */
  edited: Array<{ write: ChapterWrite; currentText: string }>;
}

/** Applies `decideChapterWrite` (the rule the add-on's writer follows too) to each chapter of a batchUpdate write. */
export function decideWrites(tab: DocTab, writes: ChapterWrite[], lastWrittenHashes: Map<string, string>, overwrite: boolean): WriteDecisions {
  const decisions: WriteDecisions = { ready: [], current: [], edited: [] };
  for (const write of writes) {
    const span = chapterSpan(tab, write.rangeName);
    const currentText = span ? rangeText(tab, span.startIndex, span.endIndex) : null;
    const decision = decideChapterWrite({ currentText, lastWrittenHash: lastWrittenHashes.get(write.chapterId) ?? null, planned: write.plan, overwrite });
    if (decision === 'skip-edited') decisions.edited.push({ write, currentText: currentText! });
    else decisions[decision === 'write' ? 'ready' : 'current'].push(write);
  }
  return decisions;
}
