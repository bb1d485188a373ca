import { useEffect, useState } from 'react';
import { useSession } from '../app/session.js';
import type { Block } from '../../blocks.js';
import { blockIdOf, compareBlocks } from '../../draft-versions.js';
import { LIMITS } from '../../limits.js';
import type { Draft, ReworkAction } from '../../schemas/authoring.js';
import { costLine, refusalOf, useActionQuotes } from './action-quotes.js';
import { QuoteNote } from './QuoteNote.js';
import { TEMPLATE_MODE_SENTENCE } from '../../template-mode.js';

/** The instructions authors reach for most, one tap each; anything else goes in the box in their own words. */
const CHIPS = ['Shorter', 'More concrete', 'Warmer'] as const;

const ACTION_LABELS: Record<ReworkAction, string> = { regenerate: 'Write again', expand: 'Expand', shorten: 'Shorten', rephrase: 'Rephrase' };
const CHANGE_WORDS: Record<Exclude<NonNullable<Draft['change']>['kind'], 'revise'>, string> = {
  regenerate: 'wrote again', expand: 'expanded', shorten: 'shortened', rephrase: 'rephrased', edit: 'you edited',
};

/** How a version was made, in the author's words: "From draft 2: “Warmer”", "From draft 3: you edited passage 4". */
export function changeSummary(draft: Draft, versions: Draft[]): string | null {
  if (!draft.change) return null;
  const from = versions.find((d) => d.id === draft.basedOnDraftId);
  const source = from ? `From draft ${from.number}` : 'From an earlier draft';
  const where = draft.change.blockIds.map((id) => id.slice(1)).join(', ');
  if (draft.change.kind === 'revise') return `${source}: “${draft.change.instruction ?? ''}”${where ? ` on passage ${where}` : ''}`;
  return `${source}: ${CHANGE_WORDS[draft.change.kind]} passage ${where}`;
}

/** Revise the whole draft by an instruction: the chips, the author's own words, the cost before the click. */
export function ReviseBox({ draft, bookId, busy, templateMode, onRevise }: {
  draft: Draft; bookId: string; busy: boolean; templateMode: boolean; onRevise: (instruction: string) => void;
}) {
  const [instruction, setInstruction] = useState('');
  const asked = instruction.trim();
  return (
    <form className="aa-form aa-revise" aria-label="Revise this draft" onSubmit={(e) => { e.preventDefault(); if (asked) onRevise(asked); }}>
      <label>
        Revise this draft
        <input name="instruction" dir="auto" maxLength={LIMITS.revisionInstructionMax} value={instruction} onChange={(e) => setInstruction(e.target.value)}
          placeholder="e.g. shorter, warmer" aria-describedby="aa-revise-hint" />
      </label>
      <div className="aa-row" role="group" aria-label="Common instructions">
        {CHIPS.map((chip) => (
          <button key={chip} type="button" className="aa-small aa-chip" aria-pressed={asked === chip} onClick={() => setInstruction(chip)}>{chip}</button>
        ))}
      </div>
      <p id="aa-revise-hint" className={`aa-hint${templateMode ? ' aa-template-mode' : ''}`}>
        {templateMode
          ? `${TEMPLATE_MODE_SENTENCE}: it can make the draft shorter, add details from your answers (more concrete) or rephrase; other instructions need an AI model.`
          : 'A new version is made; this one stays as it is. Passages you do not ask to change stay word for word.'}
      </p>
      <button type="submit" disabled={busy || !asked}>Revise</button>
      {asked && <QuoteNote operation="draft.revise" bookId={bookId} chapterId={draft.chapterId} params={{ draftId: draft.id, instruction: asked }} />}
    </form>
  );
}

/** One passage's tools: rework it (a new version; every other passage unchanged) or edit it by hand. */
export function BlockTools({ draft, index, busy, onRework, onEdit }: {
  draft: Draft; index: number; busy: boolean;
  onRework: (blockId: string, action: ReworkAction) => void;
  onEdit: (blockId: string, edited: { text?: string; items?: string[] }) => Promise<boolean>;
}) {
  const block = draft.blocks[index]!;
  const blockId = blockIdOf(index);
  const { host } = useSession();
  const [editing, setEditingState] = useState<string | null>(null);
  // Words typed by hand stay in host storage until the server has them as a version, so a closed panel loses nothing.
  const unsavedKey = `blockEdit:${draft.id}:${blockId}`;
  useEffect(() => {
    void host.unsaved.get<string>(unsavedKey).then((kept) => kept !== null && setEditingState(kept));
  }, [host, unsavedKey]);
  const setEditing = (text: string | null) => {
    setEditingState(text);
    void (text === null ? host.unsaved.remove(unsavedKey) : host.unsaved.set(unsavedKey, text));
  };
  const actions = Object.keys(ACTION_LABELS) as ReworkAction[];
  const quotes = useActionQuotes(actions, block.type === 'heading' ? null : (action) => ({
    operation: 'draft.rework', bookId: draft.bookId, chapterId: draft.chapterId, params: { draftId: draft.id, blockId, action },
  }));
  const refusals = actions.flatMap((action) => {
    const reason = refusalOf(quotes[action]);
    return reason ? [{ action, reason }] : [];
  });
  const cost = costLine(quotes);
  const original = block.type === 'list' ? block.items.join('\n') : block.text;
  const save = async () => {
    if (editing === null) return;
    const lines = editing.split('\n').map((line) => line.trim()).filter(Boolean);
    const saved = await onEdit(blockId, block.type === 'list' ? { items: lines } : { text: editing });
    if (saved) setEditing(null);
  };
  if (editing !== null) {
    return (
      <div className="aa-form aa-block-tools" data-block-tools={blockId}>
        <label>
          {block.type === 'list' ? 'Your words for this list (one item a line)' : 'Your words for this passage'}
          <textarea name="blockText" dir="auto" rows={Math.min(10, Math.max(3, Math.ceil(editing.length / 60)))} maxLength={LIMITS.blockTextMax}
            value={editing} onChange={(e) => setEditing(e.target.value)} />
        </label>
        <p className="aa-hint">Saved as a new version, marked as your words; it keeps the answers it draws on.</p>
        <div className="aa-row">
          <button type="button" className="aa-primary" disabled={busy || editing.trim() === '' || editing === original} onClick={() => void save()}>Save my version</button>
          <button type="button" className="aa-link" onClick={() => setEditing(null)}>Cancel</button>
        </div>
      </div>
    );
  }
  return (
    <div className="aa-block-tools" data-block-tools={blockId}>
      <div className="aa-row" role="group" aria-label={`Passage ${index + 1}`}>
        {block.type !== 'heading' && (Object.keys(ACTION_LABELS) as ReworkAction[]).map((action) => (
          <button key={action} type="button" className="aa-small" disabled={busy || refusals.some((r) => r.action === action)}
            title={refusals.find((r) => r.action === action)?.reason} onClick={() => onRework(blockId, action)}>{ACTION_LABELS[action]}</button>
        ))}
        <button type="button" className="aa-small" disabled={busy} onClick={() => setEditing(original)}>Edit</button>
      </div>
      {block.type !== 'heading' && <p className="aa-quote" data-quote={cost ? 'cost' : undefined}>{cost ?? '\u00a0'}</p>}
      {refusals.map(({ action, reason }) => <p key={action} className="aa-hint" data-refused={action}>{ACTION_LABELS[action]}: {reason}</p>)}
    </div>
  );
}

const STATUS_WORDS = { same: 'Unchanged', changed: 'Changed', added: 'Added', removed: 'Removed' } as const;

function plain(block: Block | null): string {
  if (!block) return '';
  return block.type === 'list' ? block.items.map((item) => `• ${item}`).join('\n') : block.text;
}

/** Two versions side by side (stacked when narrow), passage by passage; unchanged passages can be hidden. */
export function DraftCompare({ draft, versions }: { draft: Draft; versions: Draft[] }) {
  const others = versions.filter((d) => d.id !== draft.id);
  const [otherId, setOtherId] = useState<string>(draft.basedOnDraftId && others.some((d) => d.id === draft.basedOnDraftId) ? draft.basedOnDraftId : others[0]?.id ?? '');
  const [onlyChanges, setOnlyChanges] = useState(true);
  const other = others.find((d) => d.id === otherId);
  if (!other) return null;
  const [older, newer] = other.number < draft.number ? [other, draft] : [draft, other];
  const rows = compareBlocks(older.blocks, newer.blocks);
  const shown = onlyChanges ? rows.filter((row) => row.status !== 'same') : rows;
  return (
    <section className="aa-compare" aria-label="Compare versions">
      <div className="aa-row">
        <label className="aa-inline">
          Compare with
          <select value={otherId} onChange={(e) => setOtherId(e.target.value)}>
            {others.map((d) => <option key={d.id} value={d.id}>Draft {d.number}</option>)}
          </select>
        </label>
        <label className="aa-inline"><input type="checkbox" checked={onlyChanges} onChange={(e) => setOnlyChanges(e.target.checked)} /> Only changes</label>
      </div>
      <p className="aa-hint">{rows.filter((r) => r.status !== 'same').length} of {rows.length} passages differ between draft {older.number} and draft {newer.number}.</p>
      <ol className="aa-compare-rows">
        {shown.map((row, i) => (
          <li key={i} className={`aa-compare-row aa-compare-${row.status}`} data-compare={row.status}>
            <span className="aa-compare-status">{STATUS_WORDS[row.status]}</span>
            <div className="aa-compare-pair">
              <p dir="auto" className="aa-compare-before" aria-label={`Draft ${older.number}`}>{plain(row.before)}</p>
              <p dir="auto" className="aa-compare-after" aria-label={`Draft ${newer.number}`}>{plain(row.after)}</p>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
