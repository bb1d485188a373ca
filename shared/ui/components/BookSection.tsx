import { Fragment, type ReactNode } from 'react';
import type { Book } from '../../schemas/books.js';
import { useSession } from '../app/session.js';
import { ChapterPicker, useChapters } from './ChapterPicker.js';

/** A panel that works on the open book: its heading, then the content (remounted per book), or a pointer to Book. */
export function BookSection({ id, title, children }: { id: string; title: string; children: (book: Book) => ReactNode }) {
  const { book, connection } = useSession();
  return (
    <section aria-labelledby={`aa-${id}-title`} className="aa-section">
      <h2 id={`aa-${id}-title`}>{title}</h2>
      {book
        ? <Fragment key={book.id}>{children(book)}</Fragment>
        : connection.lost
          // The book the author had open cannot be read yet: not a missing book (PanelApp reopens it on the next answer).
          ? <p className="aa-warning" role="alert">The Auto-Author server does not answer, so your books cannot be shown yet. Check your connection; this clears itself when the server answers again.</p>
          : <p className="aa-muted">Open or start a book under <strong>Book</strong> first.</p>}
    </section>
  );
}

/** The chapter select, then the content for the chosen chapter (remounted per chapter). */
export function ChapterScoped({ bookId, children }: { bookId: string; children: (chapterId: string) => ReactNode }) {
  const chapters = useChapters(bookId);
  return (
    <div>
      <ChapterPicker chapters={chapters} />
      {chapters.current
        ? <Fragment key={chapters.current.id}>{children(chapters.current.id)}</Fragment>
        : chapters.toc.data && <NoChapters />}
    </div>
  );
}

/** What a panel that works on chapters says while the book has none (a chapter is chosen for it as soon as there is one). */
export function NoChapters() {
  return <p className="aa-muted" data-no-chapters="">This book has no chapters yet: propose or add them under <strong>TOC</strong>.</p>;
}
