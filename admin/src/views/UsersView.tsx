import { useState, type FormEvent } from 'react';
import { type Role, type User } from '../../../shared/schemas/identity.js';
import { RoleField } from '../components/Fields.js';
import { LoadError, StatusLine } from '../components/StatusLine.js';
import { formatInt } from '../format.js';
import { useAction, useLoader } from '../session-context.js';
import { api } from '../session.js';
import { UserDetail } from './UserDetail.js';

const PAGE = 50;

export function UsersView() {
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState('');
  const [extra, setExtra] = useState<{ users: User[]; cursor: string | null } | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const list = useLoader(async () => {
    setExtra(null);
    return api.adminListUsers({ query: { limit: PAGE, ...(search ? { q: search } : {}) } });
  }, [search]);
  const more = useAction();

  const users = [...(list.data?.items ?? []), ...(extra?.users ?? [])];
  const nextCursor = extra ? extra.cursor : (list.data?.nextCursor ?? null);
  const selected = users.find((user) => user.id === selectedId) ?? null;

  const loadMore = async () => {
    if (!nextCursor) return;
    const page = await more.run(() => api.adminListUsers({ query: { limit: PAGE, cursor: nextCursor, ...(search ? { q: search } : {}) } }), {
      busy: 'Loading more users…', done: '',
    });
    if (page) setExtra({ users: [...(extra?.users ?? []), ...page.items], cursor: page.nextCursor });
  };

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    setSearch(query.trim());
    list.reload();
  };

  return (
    <div className="users-layout">
      <section aria-labelledby="find-users">
        <h2 id="find-users">Find users</h2>
        <form className="inline-form" role="search" onSubmit={onSearch}>
          <label htmlFor="user-search">Email or name contains</label>
          <input id="user-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
          <button type="submit">Search</button>
        </form>
        {list.error && <LoadError message={list.error} onRetry={list.reload} />}
        <div className="table-wrap">
          <table className="stack">
            <caption className="visually-hidden">Users</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Daily quota</th>
                <th scope="col">Monthly quota</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id} className={user.id === selectedId ? 'selected' : undefined}>
                  <th scope="row">
                    <button type="button" className="link" aria-pressed={user.id === selectedId} onClick={() => setSelectedId(user.id)}>
                      {user.email}
                    </button>
                  </th>
                  <td data-label="Name">{user.name ?? '–'}</td>
                  <td data-label="Role">{user.role}</td>
                  <td data-label="Status">{user.disabled ? 'Disabled' : 'Active'}</td>
                  <td data-label="Daily quota">{user.quotaDailyTokens === null ? 'default' : formatInt(user.quotaDailyTokens)}</td>
                  <td data-label="Monthly quota">{user.quotaMonthlyTokens === null ? 'default' : formatInt(user.quotaMonthlyTokens)}</td>
                </tr>
              ))}
              {!list.loading && users.length === 0 && (
                <tr>
                  <td colSpan={6}>No users match.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        {nextCursor && (
          <button type="button" onClick={() => void loadMore()} disabled={more.busy}>
            Load more users
          </button>
        )}
        <StatusLine status={more.status} />
        <CreateUser
          onCreated={(user) => {
            setQuery('');
            setSearch('');
            list.reload();
            setSelectedId(user.id);
          }}
        />
      </section>
      {selected && (
        <UserDetail
          key={selected.id}
          user={selected}
          onChanged={() => list.reload()}
          onClose={() => setSelectedId(null)}
        />
      )}
    </div>
  );
}

function CreateUser({ onCreated }: { onCreated: (user: User) => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('author');
  const action = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const user = await action.run(() => api.adminCreateUser({ body: { email, name: name.trim() || null, role } }), {
      busy: 'Creating…', done: `Created ${email}.`,
    });
    if (user) {
      setEmail('');
      setName('');
      setRole('author');
      onCreated(user);
    }
  };
  return (
    <form className="card form-grid" aria-labelledby="create-user" onSubmit={(e) => void submit(e)}>
      <h2 id="create-user">Create a user</h2>
      <div className="field">
        <label htmlFor="new-email">Email</label>
        <input id="new-email" type="email" required autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="new-name">Name (optional)</label>
        <input id="new-name" type="text" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <RoleField id="new-role" value={role} onChange={setRole} />
      <div className="actions">
        <button type="submit" disabled={action.busy}>
          Create user
        </button>
      </div>
      <StatusLine status={action.status} />
    </form>
  );
}
