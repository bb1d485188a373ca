import { useState, type FormEvent } from 'react';
import type { AuditEvent } from '../../../shared/schemas/identity.js';
import { SuggestField } from '../components/Fields.js';
import { StaleFilters } from '../components/StaleFilters.js';
import { LoadError, StatusLine } from '../components/StatusLine.js';
import { formatTime } from '../format.js';
import { useAction, useLoader } from '../session-context.js';
import { api } from '../session.js';
import { userIdFrom } from '../user-lookup.js';

const PAGE = 50;
/** Event types the server records (free text is accepted too, for types added later). */
const KNOWN_TYPES = [
  'auth.failed', 'auth.locked', 'auth.google.signin', 'auth.google.rejected', 'admin.bootstrap', 'token.issued', 'token.revoked',
  'token.revoked_all', 'user.created', 'user.updated', 'user.disabled',
];

const show = (value: unknown) => (value === null || value === undefined ? 'none' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** An event's details as short lines; `before`/`after` pairs read as "field: old → new". */
function detailLines(details: Record<string, unknown>): string[] {
  const { before, after, changed: _changed, ...rest } = details as { before?: Record<string, unknown>; after?: Record<string, unknown>; changed?: unknown };
  const lines: string[] = [];
  if (before && after) for (const key of Object.keys(after)) lines.push(`${key}: ${show(before[key])} → ${show(after[key])}`);
  else if (details.changed) lines.push(`changed: ${show(details.changed)}`);
  for (const [key, value] of Object.entries(rest)) lines.push(`${key}: ${show(value)}`);
  return lines;
}

export function AuditView() {
  const [type, setType] = useState('');
  const [userId, setUserId] = useState('');
  const [applied, setApplied] = useState({ type: '', userId: '' });
  const [more, setMore] = useState<{ items: AuditEvent[]; cursor: string | null } | null>(null);
  const filters = () => ({ ...(applied.type ? { type: applied.type } : {}), ...(applied.userId ? { userId: applied.userId } : {}) });
  const list = useLoader(async () => {
    setMore(null);
    return api.adminAudit({ query: { limit: PAGE, ...filters() } });
  }, [applied]);
  const action = useAction();
  const filtering = useAction();
  // A filter that could not be applied (say, an unknown email) leaves the events of the last one that could.
  const [stale, setStale] = useState(false);
  // Events name people by id; shown by email for the users the dashboard knows (the newest 100), else by id.
  const people = useLoader(() => api.adminListUsers({ query: { limit: 100 } }), []);
  const emails = new Map((people.data?.items ?? []).map((user) => [user.id, user.email]));
  const who = (id: string | null) => (id === null ? '–' : <span title={id}>{emails.get(id) ?? id}</span>);

  const apply = async (event: FormEvent) => {
    event.preventDefault();
    const user = await filtering.run(() => userIdFrom(userId), { busy: 'Applying filters…', done: '' });
    setStale(user === undefined);
    if (user !== undefined) setApplied({ type: type.trim(), userId: user });
  };
  const loadMore = async () => {
    const cursor = more ? more.cursor : list.data?.nextCursor;
    if (!cursor) return;
    const page = await action.run(() => api.adminAudit({ query: { limit: PAGE, cursor, ...filters() } }), { busy: 'Loading more…', done: '' });
    if (page) setMore({ items: [...(more?.items ?? []), ...page.items], cursor: page.nextCursor });
  };
  const events = [...(list.data?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.cursor : (list.data?.nextCursor ?? null);

  return (
    <>
      <form className="card form-grid filters" onSubmit={(e) => void apply(e)} aria-label="Audit filters">
        <SuggestField id="audit-type" label="Event type" value={type} suggestions={KNOWN_TYPES} onChange={setType} />
        <div className="field">
          <label htmlFor="audit-user">User (email or id)</label>
          <input id="audit-user" type="text" autoComplete="off" value={userId} onChange={(e) => setUserId(e.target.value)} />
        </div>
        <div className="actions">
          <button type="submit">Apply filters</button>
        </div>
        <StatusLine status={filtering.status} />
      </form>
      {list.error && <LoadError message={list.error} onRetry={list.reload} />}
      <StaleFilters shown={stale} what="events" />
      <div className="table-wrap">
        <table className="audit-table stack">
          <caption className="visually-hidden">Audit events, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Event</th>
              <th scope="col">User</th>
              <th scope="col">By</th>
              <th scope="col">Address</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id}>
                <th scope="row">{formatTime(event.createdAt)}</th>
                <td data-label="Event">{event.type}</td>
                <td data-label="User">{who(event.userId)}</td>
                <td data-label="By">{who(event.actorId)}</td>
                <td data-label="Address">{event.ip ?? '–'}</td>
                <td data-label="Details">
                  <ul className="details">
                    {detailLines(event.details).map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
            {list.data && events.length === 0 && (
              <tr>
                <td colSpan={6}>No events match.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {nextCursor && (
        <button type="button" onClick={() => void loadMore()} disabled={action.busy}>
          Load more events
        </button>
      )}
      <StatusLine status={action.status} />
    </>
  );
}
