import { useGuide } from '../app/guide.js';

/**
 * The book's next step, on every panel: a primary button that opens it when it lies on another panel, or a pointer
 * to this panel's own primary button when it is here. One line of fixed height (long titles are cut, the whole
 * label is the tooltip), so nothing below it moves when the step changes.
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
