import { useGuide } from '../app/guide.js';

/**
 * The book's next step, on every panel: a primary button that opens it when it lies on another panel, or a pointer
 * to this panel's own primary button when it is here.
 */
export function NextStepBar() {
  const { next, panel, go } = useGuide();
  if (!next) return null;
  if (next.action === 'done') return <p className="aa-next aa-next-done" role="status">Every chapter is written. You can rewrite any of them under Write.</p>;
  if (next.panel === panel) return <p className="aa-next aa-next-here" dir="auto">Next: {next.label}</p>;
  return (
    <div className="aa-next">
      <button type="button" className="aa-primary" data-next-step={next.action} dir="auto" onClick={() => go(next.panel, next.chapterId)}>
        Next: {next.label}
      </button>
    </div>
  );
}
