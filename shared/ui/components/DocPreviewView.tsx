import type { PlannedParagraph } from '../../doc-plan.js';
import type { DocPreview } from '../panel-host.js';

/** Groups consecutive bulleted paragraphs into lists, as a document shows them. */
function runs(paragraphs: PlannedParagraph[]) {
  const out: Array<PlannedParagraph | { list: 'ordered' | 'unordered'; items: PlannedParagraph[] }> = [];
  for (const p of paragraphs) {
    const last = out[out.length - 1];
    if (p.bullet && last && 'list' in last && last.list === p.bullet) last.items.push(p);
    else if (p.bullet) out.push({ list: p.bullet, items: [p] });
    else out.push(p);
  }
  return out;
}

function Paragraph({ p }: { p: PlannedParagraph }) {
  if (p.style === 'HEADING_1') return <h1 dir="auto">{p.text}</h1>;
  if (p.style === 'HEADING_2') return <h2 dir="auto">{p.text}</h2>;
  if (p.style === 'HEADING_3') return <h3 dir="auto">{p.text}</h3>;
  if (p.quote) return <blockquote dir="auto">{p.text}</blockquote>;
  return <p dir="auto">{p.text}</p>;
}

/** The local document preview: the same planned paragraphs the Docs writers produce, rendered as text. */
export function DocPreviewView({ preview }: { preview: DocPreview }) {
  if (preview.chapters.length === 0) return <p className="aa-muted">The document is empty.</p>;
  return (
    <article className="aa-doc" aria-label="Document preview">
      {preview.chapters.map((chapter) => (
        <section key={chapter.chapterId} data-chapter-id={chapter.chapterId}>
          {runs(chapter.paragraphs).map((item, i) =>
            'list' in item ? (
              item.list === 'ordered'
                ? <ol key={i}>{item.items.map((p, j) => <li key={j} dir="auto">{p.text}</li>)}</ol>
                : <ul key={i}>{item.items.map((p, j) => <li key={j} dir="auto">{p.text}</li>)}</ul>
            ) : <Paragraph key={i} p={item} />,
          )}
        </section>
      ))}
    </article>
  );
}
