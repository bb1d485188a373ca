import { useEffect } from 'react';
import type { Toc } from '../../schemas/chapters.js';
import { useLoad } from '../app/hooks.js';
import { useSession } from '../app/session.js';
import { ErrorNotice } from './ErrorNotice.js';

/** A chapter (or section) of a TOC, flattened with its title as shown. */
export interface ChapterOption {
  id: string;
  title: string;
  isSection: boolean;
}

/** Active chapters and sections in TOC order. */
export function chapterOptions(toc: Toc | null): ChapterOption[] {
  return (toc?.chapters ?? []).flatMap((c) => [
    { id: c.id, title: c.title, isSection: false },
    ...c.children.map((s) => ({ id: s.id, title: s.title, isSection: true })),
  ]);
}

/** Loads the book's TOC and lets the author choose the chapter the panel works on (shared across panels). */
export function useChapters(bookId: string) {
  const { client, chapterId, setChapterId } = useSession();
  const toc = useLoad<Toc>(() => client.getToc({ params: { bookId } }), [client, bookId]);
  const options = chapterOptions(toc.data);
  const first = options[0]?.id ?? null;
  const valid = options.some((o) => o.id === chapterId);
  useEffect(() => {
    if (toc.data && !valid && first) setChapterId(first);
  }, [toc.data, valid, first, setChapterId]);
  const current = options.find((o) => o.id === chapterId) ?? null;
  return { toc, options, current, setChapterId };
}

/** The chapter select of the Questions, Draft and Write panels. */
export function ChapterPicker({ chapters }: { chapters: ReturnType<typeof useChapters> }) {
  const { toc, options, current, setChapterId } = chapters;
  if (toc.error) return <ErrorNotice error={toc.error} onRetry={toc.reload} />;
  if (!toc.data) return <p className="aa-muted">Loading chapters…</p>;
  if (options.length === 0) return null;
  return (
    <label>
      Chapter
      <select name="chapter" dir="auto" value={current?.id ?? ''} onChange={(e) => setChapterId(e.target.value)}>
        {options.map((o) => <option key={o.id} value={o.id}>{o.isSection ? `— ${o.title}` : o.title}</option>)}
      </select>
    </label>
  );
}
