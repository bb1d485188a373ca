import { useGuide } from '../app/guide.js';

/**
 * The book's next step, on every panel: a primary button that opens it when it lies on another panel, or a pointer
 * to this panel's own primary button when it is here. At most two lines (a narrow sidebar needs the second to show
 * the whole step; only a very long title is cut, the whole label is the tooltip), in a box at least one step tall.
 */
export function NextStepBar() {
  const { next, panel, go } = useGuide();
  if (!next) return <div className="aa-next" aria-hidden="true" />;
  const label = `Next: ${next.label}`;
  if (next.action === 'done') return <p className="aa-next aa-next-done" role="status">Every chapter is written; rewrite any of them under Write.</p>;
  if (next.panel === panel) return <p className="aa-next aa-next-here" dir="auto" title={label}>{label}</p>;
  return (
    <div className="aa-next">
      <button type="button" className="aa-primary" data-next-step={next.action} dir="auto" title={label} onClick={() => go(next.panel, next.chapterId)}>
        {label}
      </button>
    </div>
  );
}
