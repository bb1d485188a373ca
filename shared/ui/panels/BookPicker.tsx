import { useState, type FormEvent } from 'react';
import type { Book } from '../../schemas/books.js';
import { useLoad } from '../app/hooks.js';
import { useSession } from '../app/session.js';
import { ErrorNotice } from '../components/ErrorNotice.js';

/** Opens one of the author's books (for the open document first) or starts a new one. */
export function BookPicker() {
  const { client, doc, setBook } = useSession();
  const [title, setTitle] = useState(doc?.title ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const books = useLoad(() => client.listBooks({ query: { limit: 50 } }), [client]);

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setBook(await client.createBook({ body: { title: title.trim(), documentId: doc?.documentId ?? null } }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  async function open(book: Book) {
    setError(null);
    try {
      // Opening a book beside a document links it (without importing), so later writes go there.
      const linked = doc && book.documentId !== doc.documentId
        ? await client.linkDoc({ params: { bookId: book.id }, body: { documentId: doc.documentId, tabId: doc.tabId ?? null, version: book.version } })
        : book;
      setBook(linked);
    } catch (caught) {
      setError(caught);
    }
  }

  const items = books.data?.items ?? [];
  const forDoc = doc ? items.filter((b) => b.documentId === doc.documentId) : [];
  const others = doc ? items.filter((b) => b.documentId !== doc.documentId) : items;
  return (
    <div className="aa-section">
      <form onSubmit={create} className="aa-form" aria-label="New book">
        <label>
          Title of a new book
          <input name="newTitle" dir="auto" required maxLength={300} value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <button type="submit" className="aa-primary" disabled={busy || !title.trim()}>Start this book</button>
      </form>
      {books.error ? <ErrorNotice error={books.error} onRetry={books.reload} /> : null}
      {forDoc.length > 0 && <BookList heading="Books for this document" books={forDoc} onOpen={open} />}
      {others.length > 0 && <BookList heading={doc ? 'Your other books (opening one links it here)' : 'Your books'} books={others} onOpen={open} />}
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
    </div>
  );
}

function BookList({ heading, books, onOpen }: { heading: string; books: Book[]; onOpen: (book: Book) => void }) {
  return (
    <section aria-label={heading}>
      <h3>{heading}</h3>
      <ul className="aa-list">
        {books.map((book) => (
          <li key={book.id}>
            <button type="button" className="aa-item-button" dir="auto" onClick={() => onOpen(book)}>{book.title}</button>
          </li>
        ))}
      </ul>
    </section>
  );
}
