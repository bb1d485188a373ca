/** Shown by panels that need an open book. */
export function NeedBook() {
  return <p className="aa-muted">Open or start a book under <strong>Book</strong> first.</p>;
}

/** Shown by panels that need a chapter chosen. */
export function NeedChapter() {
  return <p className="aa-muted">Choose a chapter above (add chapters under <strong>TOC</strong>).</p>;
}
