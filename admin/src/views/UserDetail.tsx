import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { isApiError } from '../../../shared/client/api-client.js';
import { type Role, type TokenInfo, type User } from '../../../shared/schemas/identity.js';
import { RoleField } from '../components/Fields.js';
import { LoadError, StatusLine } from '../components/StatusLine.js';
import { formatTime } from '../format.js';
import { useAction, useLoader } from '../session-context.js';
import { api } from '../session.js';

/** A quota field's text as the API wants it: blank means "use the server default" (null). */
function quotaValue(text: string): number | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : Number(trimmed);
}

export function UserDetail({ user: initial, onChanged, onClose }: { user: User; onChanged: () => void; onClose: () => void }) {
  const [user, setUser] = useState(initial);
  const [role, setRole] = useState<Role>(initial.role);
  const [disabled, setDisabled] = useState(initial.disabled);
  const [daily, setDaily] = useState(initial.quotaDailyTokens?.toString() ?? '');
  const [monthly, setMonthly] = useState(initial.quotaMonthlyTokens?.toString() ?? '');
  const save = useAction();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  // Selecting a user moves focus (and, on a phone, the view) to their details.
  useEffect(() => heading.current?.focus(), []);

  const reset = (next: User) => {
    setUser(next);
    setRole(next.role);
    setDisabled(next.disabled);
    setDaily(next.quotaDailyTokens?.toString() ?? '');
    setMonthly(next.quotaMonthlyTokens?.toString() ?? '');
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // Only what changed is sent, so the audit log names exactly the fields this admin changed.
    const wanted = { role, disabled, quotaDailyTokens: quotaValue(daily), quotaMonthlyTokens: quotaValue(monthly) };
    const changes = Object.fromEntries(Object.entries(wanted).filter(([key, value]) => user[key as keyof typeof wanted] !== value));
    if (Object.keys(changes).length === 0) {
      await save.run(async () => null, { busy: '', done: 'Nothing changed.' });
      return;
    }
    const body = { version: user.version, ...changes };
    const updated = await save.run(
      async () => {
        try {
          return await api.adminUpdateUser({ params: { userId: user.id }, body });
        } catch (error) {
          // Someone else changed this user meanwhile: show their version and let the admin decide again. A conflict
          // without the current user is a refusal with its own reason (the last active administrator), shown as it is.
          const current = isApiError(error) && error.code === 'CONFLICT' ? (error.details as { current?: User } | undefined)?.current : undefined;
          if (current) {
            reset(current);
            throw new Error('This user was changed elsewhere; the form now shows the current values. Save again to apply yours.', {
              cause: error,
            });
          }
          throw error;
        }
      },
      { busy: 'Saving…', done: 'Saved.' },
    );
    if (updated) {
      reset(updated);
      onChanged();
    }
  };

  return (
    <section className="card user-detail" aria-labelledby={headingId}>
      <div className="card-head">
        <h2 id={headingId} ref={heading} tabIndex={-1}>
          {user.email}
        </h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="hint">
        {user.name ?? 'No name'} · created {formatTime(user.createdAt)} · {user.googleLinked ? 'Google linked' : 'no Google sign-in'}
      </p>
      <form className="form-grid" onSubmit={(e) => void submit(e)} aria-label={`Settings of ${user.email}`}>
        <RoleField id="user-role" value={role} onChange={setRole} />
        <div className="field checkbox">
          <input id="user-disabled" type="checkbox" checked={disabled} onChange={(e) => setDisabled(e.target.checked)} />
          <label htmlFor="user-disabled">Account disabled (every request refused)</label>
        </div>
        <div className="field">
          <label htmlFor="quota-daily">Daily token quota</label>
          <input
            id="quota-daily" type="number" inputMode="numeric" min={0} step={1} placeholder="server default" value={daily}
            onChange={(e) => setDaily(e.target.value)} aria-describedby="quota-help"
          />
        </div>
        <div className="field">
          <label htmlFor="quota-monthly">Monthly token quota</label>
          <input
            id="quota-monthly" type="number" inputMode="numeric" min={0} step={1} placeholder="server default" value={monthly}
            onChange={(e) => setMonthly(e.target.value)} aria-describedby="quota-help"
          />
        </div>
        <p id="quota-help" className="hint">
          Leave a quota blank to use the server default. Changes are recorded in the audit log with old and new values.
        </p>
        <div className="actions">
          <button type="submit" disabled={save.busy}>
            Save changes
          </button>
        </div>
        <StatusLine status={save.status} />
      </form>
      <Tokens user={user} />
    </section>
  );
}

function Tokens({ user }: { user: User }) {
  const tokens = useLoader(() => api.adminListTokens({ params: { userId: user.id } }), [user.id]);
  const [label, setLabel] = useState('');
  const [issued, setIssued] = useState<{ tokenId: string; token: string } | null>(null);
  const issue = useAction();
  const revoke = useAction();

  const revokeToken = async (token: TokenInfo) => {
    const name = token.label ?? token.id;
    const done = await revoke.run(async () => {
      await api.adminRevokeToken({ params: { userId: user.id, tokenId: token.id } });
      return true;
    }, { busy: `Revoking ${name}…`, done: `Revoked ${name}: it no longer works.` });
    if (done) tokens.reload();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await issue.run(() => api.adminIssueToken({ params: { userId: user.id }, body: { label: label.trim() || null } }), {
      busy: 'Issuing…', done: 'Token issued. Copy it now: it will not be shown again.',
    });
    if (result) {
      setIssued(result);
      setLabel('');
      tokens.reload();
    }
  };

  return (
    <div className="tokens">
      <h3>API tokens</h3>
      {tokens.error && <LoadError message={tokens.error} onRetry={tokens.reload} />}
      <div className="table-wrap">
        <table className="stack">
          <caption className="visually-hidden">Active tokens of {user.email}</caption>
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">Source</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(tokens.data?.items ?? []).map((token) => (
              <TokenRow key={token.id} token={token} busy={revoke.busy} onRevoke={(t) => void revokeToken(t)} />
            ))}
            {tokens.data && tokens.data.items.length === 0 && (
              <tr>
                <td colSpan={6}>No active tokens.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <StatusLine status={revoke.status} />
      <form className="inline-form" onSubmit={(e) => void submit(e)}>
        <label htmlFor="token-label">New token label (optional)</label>
        <input id="token-label" type="text" autoComplete="off" value={label} onChange={(e) => setLabel(e.target.value)} />
        <button type="submit" disabled={issue.busy}>
          Issue token
        </button>
      </form>
      <StatusLine status={issue.status} />
      {issued && <IssuedToken token={issued.token} email={user.email} onDone={() => setIssued(null)} />}
    </div>
  );
}

function TokenRow({ token, busy, onRevoke }: { token: TokenInfo; busy: boolean; onRevoke: (token: TokenInfo) => void }) {
  const [confirming, setConfirming] = useState(false);
  const name = token.label ?? token.id;
  return (
    <tr>
      <th scope="row">{token.label ?? <span className="muted">(no label)</span>}</th>
      <td data-label="Source">{token.source}</td>
      <td data-label="Created">{formatTime(token.createdAt)}</td>
      <td data-label="Last used">{formatTime(token.lastUsedAt)}</td>
      <td data-label="Expires">{token.expiresAt ? formatTime(token.expiresAt) : 'never'}</td>
      <td className="row-actions">
        {!confirming ? (
          <button type="button" onClick={() => setConfirming(true)} aria-label={`Revoke token ${name}`}>
            Revoke
          </button>
        ) : (
          <span role="group" aria-label={`Confirm revoking ${name}`}>
            <button type="button" className="danger" onClick={() => onRevoke(token)} disabled={busy} autoFocus>
              Yes, revoke
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        )}
      </td>
    </tr>
  );
}

/**
 * The new token, shown once, and the link that connects the author's web app with it in one click (`/app#token=…`,
 * on PUBLIC_URL when the server has one, else this page's own address). Both read-only, selectable, with copy buttons.
 */
function IssuedToken({ token, email, onDone }: { token: string; email: string; onDone: () => void }) {
  const meta = useLoader(() => api.meta(), []);
  const origin = (meta.data?.publicUrl ?? window.location.origin).replace(/\/+$/u, '');
  const link = `${origin}/app#token=${encodeURIComponent(token)}`;
  return (
    <div className="issued" role="region" aria-label="New token">
      <p className="issued-title">New token for {email}, shown only once</p>
      <CopyField id="issued-link" label="Link that connects the author's app" value={link} copyLabel="Copy link" />
      <p className="hint">Send the link privately (it holds the token): opening it signs them in to Auto-Author.</p>
      <CopyField id="issued-token" label="Token alone (for the extension or the Docs add-on)" value={token} copyLabel="Copy token" />
      <button type="button" onClick={onDone}>
        Done
      </button>
    </div>
  );
}

function CopyField({ id, label, value, copyLabel }: { id: string; label: string; value: string; copyLabel: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('Copied to the clipboard.');
    } catch {
      // No clipboard access (insecure origin or denied): select the text so Ctrl+C works.
      input.current?.select();
      setCopied('Copying was refused by the browser; the text is selected, press Ctrl+C.');
    }
  };
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="inline-form">
        <input id={id} ref={input} type="text" readOnly value={value} onFocus={(e) => e.target.select()} spellCheck={false} />
        <button type="button" onClick={() => void copy()}>
          {copyLabel}
        </button>
      </div>
      <p role="status" className="status">
        {copied}
      </p>
    </div>
  );
}
