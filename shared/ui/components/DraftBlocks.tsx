import { Fragment, useState, type ReactNode } from 'react';
import type { Block } from '../../blocks.js';
import type { ContinuityFlag } from '../../schemas/continuity.js';
import { writtenBlock, writtenItems } from '../core/written-items.js';

/** Where a block's material came from, as a sentence. */
function provenance(block: Block, questionText: Map<string, string>): string[] {
  if (block.type === 'heading') return [];
  const yours = block.authored ? ['Your own words (edited by hand).'] : [];
  if (yours.length > 0 && block.sources.length === 0) return yours;
  if (block.unsupported || block.sources.length === 0) return ['Not backed by any of your answers.'];
  return [...yours, ...block.sources.map((s) => `From your answer to “${questionText.get(s.questionId) ?? 'a question'}” (version ${s.answerVersion})`)];
}

function blockBody(block: Exclude<Block, { type: 'heading' }>) {
  if (block.type === 'list') {
    const items = block.items.map((item, j) => <li key={j} dir="auto">{item}</li>);
    return block.ordered ? <ol>{items}</ol> : <ul>{items}</ul>;
  }
  return block.type === 'quote' ? <blockquote dir="auto">{block.text}</blockquote> : <p dir="auto">{block.text}</p>;
}

/**
 * A draft's blocks, rendered as text. Each sourced block shows its provenance on hover (title) and on tap or
 * Enter (an expandable note), so touch and keyboard users see it too. Blocks still `writing` (streamed, not saved)
 * have no provenance yet: the service maps their sources when the whole draft is done.
 */
export function DraftBlocks({ blocks, questionText, writing = false, flags = [], tools }: {
  blocks: Block[]; questionText: Map<string, string>; writing?: boolean;
  /** What the author can do with the open passage (rework it, edit it), shown under it. */
  tools?: (index: number) => ReactNode;
  /** Blocks that contradict a locked continuity note: marked, with the note, and left as written. */
  flags?: ContinuityFlag[];
}) {
  const [open, setOpen] = useState<number | null>(null);
  return (
    <div className={writing ? 'aa-blocks aa-blocks-writing' : 'aa-blocks'}>
      {blocks.map((block, i) => {
        if (block.type === 'heading') {
          const title = block.level === 2 ? <h3 dir="auto">{block.text}</h3> : <h4 dir="auto">{block.text}</h4>;
          if (!tools || writing) return <Fragment key={i}>{title}</Fragment>;
          // With tools, a heading opens them too (it can be edited by hand).
          const toggleHeading = () => setOpen(open === i ? null : i);
          return (
            <Fragment key={i}>
              <div className={`aa-block aa-heading-block${block.authored ? ' aa-authored' : ''}`} role="button" tabIndex={0} aria-expanded={open === i}
                onClick={toggleHeading} onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggleHeading(); } }}>
                {title}
              </div>
              {open === i && tools(i)}
            </Fragment>
          );
        }
        if (writing) return <div key={i} className="aa-block">{blockBody(block)}</div>;
        const lines = provenance(block, questionText);
        const toggle = () => setOpen(open === i ? null : i);
        const body = blockBody(block);
        const contradicts = flags.filter((flag) => flag.blockIndex === i);
        return (
          <Fragment key={i}>
          <div className={`aa-block${block.unsupported ? ' aa-unsupported' : ''}${block.authored ? ' aa-authored' : ''}${contradicts.length > 0 ? ' aa-contradiction' : ''}`} title={lines.join('\n')}
            role="button" tabIndex={0} aria-expanded={open === i}
            onClick={toggle} onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } }}>
            {body}
            {contradicts.map((flag) => (
              <p key={flag.noteId} className="aa-contradiction-note" data-note-id={flag.noteId} dir="auto">
                Contradicts your locked note on <strong>{flag.subject}</strong> (“{flag.detail}”): {flag.explanation}
              </p>
            ))}
            {open === i && <ul className="aa-provenance" aria-label="Sources">{lines.map((line, j) => <li key={j}>{line}</li>)}</ul>}
          </div>
          {open === i && tools?.(i)}
          </Fragment>
        );
      })}
    </div>
  );
}

/** The blocks of a draft a job is still writing (its streamed items), as a job's `written` view shows them. */
export function WrittenDraft({ streamed, label, questionText }: { streamed: readonly unknown[]; label: string; questionText: Map<string, string> }) {
  return (
    <article className="aa-draft" aria-label={label}>
      <DraftBlocks blocks={writtenItems(streamed, writtenBlock)} questionText={questionText} writing />
    </article>
  );
}
