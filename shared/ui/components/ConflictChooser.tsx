/** After a 409: both versions side by side (as text) and the author's choice. */
export function ConflictChooser({ mine, theirs, onChoose, what = 'text' }: {
  mine: string;
  theirs: string;
  onChoose: (choice: 'mine' | 'theirs') => void;
  what?: string;
}) {
  return (
    <div className="aa-conflict" role="alert" data-code="CONFLICT">
      <strong>This {what} was changed elsewhere</strong>
      <p>Another window or device saved a different version. Choose which one to keep.</p>
      <div className="aa-conflict-versions">
        <section aria-label="Your version">
          <h4>Your version</h4>
          <pre className="aa-conflict-mine" dir="auto">{mine}</pre>
        </section>
        <section aria-label="Saved elsewhere">
          <h4>Saved elsewhere</h4>
          <pre className="aa-conflict-theirs" dir="auto">{theirs}</pre>
        </section>
      </div>
      <div className="aa-row">
        <button type="button" onClick={() => onChoose('mine')}>Keep mine</button>
        <button type="button" onClick={() => onChoose('theirs')}>Use the other version</button>
      </div>
    </div>
  );
}
