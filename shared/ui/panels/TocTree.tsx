import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent, type ReactNode } from 'react';
import { locate, moveWithinLevel, renameItem, type TocChapter, type TocSection } from '../core/toc-edit.js';

interface TreeProps {
  chapters: TocChapter[];
  busy: boolean;
  /** A structural edit (reorder, rename) with a sentence for the live region. */
  onChange: (what: string, chapters: TocChapter[]) => void;
  onArchive: (id: string, title: string) => void;
}

/**
 * The active chapters and their sections. Reorder by dragging a row, or by focusing its handle and pressing
 * Arrow Up / Arrow Down (Home / End for first / last); rename in place; archive.
 */
export function TocTree({ chapters, busy, onChange, onArchive }: TreeProps) {
  const handles = useRef(new Map<string, HTMLButtonElement>());
  const [focusId, setFocusId] = useState<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);

  // Keep focus on the moved item's handle after the list re-renders.
  useEffect(() => {
    if (focusId) handles.current.get(focusId)?.focus();
  }, [focusId, chapters]);

  function move(id: string, to: number, title: string) {
    const at = locate(chapters, id);
    if (!at || at.index === to) return;
    const next = moveWithinLevel(chapters, id, to);
    const level = at.parent === null ? next : next.find((c) => c.id === at.parent)?.children ?? [];
    const position = level.findIndex((item) => item.id === id) + 1;
    setFocusId(id);
    onChange(`Moved “${title}” to position ${position} of ${level.length}`, next);
  }

  function onKey(event: KeyboardEvent, id: string, title: string, index: number, count: number) {
    const to = { ArrowUp: index - 1, ArrowDown: index + 1, Home: 0, End: count - 1 }[event.key];
    if (to === undefined || to < 0 || to >= count) return;
    event.preventDefault();
    if (busy) return;
    move(id, to, title);
  }

  function drop(event: DragEvent, targetId: string) {
    event.preventDefault();
    const id = event.dataTransfer.getData('text/plain') || dragging;
    setDragging(null);
    if (!id || id === targetId) return;
    const from = locate(chapters, id);
    const to = locate(chapters, targetId);
    if (!from || !to || from.parent !== to.parent) return;
    const title = from.parent === null ? chapters[from.index]!.title : chapters.find((c) => c.id === from.parent)!.children[from.index]!.title;
    move(id, to.index, title);
  }

  const row = (item: TocChapter | TocSection, index: number, count: number, section: boolean) => (
    <TocRow key={item.id} item={item} index={index} count={count} section={section} busy={busy} dragging={dragging === item.id}
      handleRef={(el) => (el ? handles.current.set(item.id, el) : handles.current.delete(item.id))}
      onKey={onKey}
      onDragStart={(event) => {
        event.dataTransfer.setData('text/plain', item.id);
        event.dataTransfer.effectAllowed = 'move';
        setDragging(item.id);
      }}
      onDrop={drop}
      onRename={(title) => onChange(`Renamed to “${title}”`, renameItem(chapters, item.id, title))}
      onArchive={() => onArchive(item.id, item.title)}>
      {'children' in item && item.children.length > 0 && (
        <ol className="aa-toc-sections" aria-label={`Sections of ${item.title}`}>
          {item.children.map((s, i) => row(s, i, item.children.length, true))}
        </ol>
      )}
    </TocRow>
  );

  if (chapters.length === 0) return <p className="aa-muted">No chapters yet: propose a table of contents or add one below.</p>;
  return (
    <>
      <p id="aa-reorder-help" className="aa-hint">Drag a row, or focus its ⠿ handle and use the arrow keys, to reorder.</p>
      <ol className="aa-toc" aria-label="Chapters">{chapters.map((c, i) => row(c, i, chapters.length, false))}</ol>
    </>
  );
}

function TocRow(props: {
  item: TocChapter | TocSection;
  index: number;
  count: number;
  section: boolean;
  busy: boolean;
  dragging: boolean;
  handleRef: (el: HTMLButtonElement | null) => void;
  onKey: (event: KeyboardEvent, id: string, title: string, index: number, count: number) => void;
  onDragStart: (event: DragEvent) => void;
  onDrop: (event: DragEvent, targetId: string) => void;
  onRename: (title: string) => void;
  onArchive: () => void;
  children?: ReactNode;
}) {
  const { item, index, count } = props;
  const [editing, setEditing] = useState<string | null>(null);
  const commit = () => {
    const title = editing?.trim();
    setEditing(null);
    if (title && title !== item.title) props.onRename(title);
  };
  return (
    <li className={`aa-toc-item${props.dragging ? ' aa-dragging' : ''}`} data-id={item.id} draggable={editing === null}
      onDragStart={props.onDragStart} onDragOver={(e) => e.preventDefault()} onDrop={(e) => props.onDrop(e, item.id)}>
      <div className="aa-toc-row">
        <button type="button" className="aa-handle" ref={props.handleRef} aria-describedby="aa-reorder-help"
          aria-label={`Reorder ${item.title}, ${props.section ? 'section' : 'chapter'} ${index + 1} of ${count}`}
          onKeyDown={(e) => props.onKey(e, item.id, item.title, index, count)}>⠿</button>
        {editing === null ? (
          <span className="aa-toc-title" dir="auto">{item.title}</span>
        ) : (
          <input className="aa-grow" dir="auto" aria-label={`New title for ${item.title}`} value={editing} autoFocus maxLength={300}
            onChange={(e) => setEditing(e.target.value)} onBlur={commit}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commit();
              if (e.key === 'Escape') setEditing(null);
            }} />
        )}
        {editing === null && (
          <>
            <button type="button" className="aa-small" disabled={props.busy} aria-label={`Rename ${item.title}`} onClick={() => setEditing(item.title)}>Rename</button>
            <button type="button" className="aa-small" disabled={props.busy} aria-label={`Archive ${item.title}`} onClick={props.onArchive}>Archive</button>
          </>
        )}
      </div>
      {props.children}
    </li>
  );
}
