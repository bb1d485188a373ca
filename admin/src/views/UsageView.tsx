import { useState, type FormEvent } from 'react';
import { USAGE_GROUP_BY, type AdminLedgerEntry, type UsageFilterQuery, type UsageGroupBy } from '../../../shared/schemas/admin.js';
import { AI_JOB_KINDS, type AiJobKind } from '../../../shared/schemas/ai.js';
import { TEMPLATE_MODE, TEMPLATE_PROVIDER } from '../../../shared/template-mode.js';
import { SuggestField } from '../components/Fields.js';
import { StaleFilters } from '../components/StaleFilters.js';
import { LoadError, StatusLine } from '../components/StatusLine.js';
import { downloadUsageCsv } from '../csv-download.js';
import { formatInt, formatMs, formatTime, formatUsd } from '../format.js';
import { useAction, useLoader } from '../session-context.js';
import { api } from '../session.js';
import { userIdFrom } from '../user-lookup.js';

const PAGE = 50;
const KNOWN_OUTCOMES = ['ok', 'truncated', 'invalid_output', 'retryable', 'rejected'];

interface Form {
  from: string;
  to: string;
  user: string;
  operation: AiJobKind | '';
  model: string;
  outcome: string;
  groupBy: UsageGroupBy | '';
}
const EMPTY: Form = { from: '', to: '', user: '', operation: '', model: '', outcome: '', groupBy: '' };

/** The filters as the API takes them; a user given by email is looked up to its id. */
async function toQuery(form: Form): Promise<UsageFilterQuery> {
  const userId = await userIdFrom(form.user);
  const optional = <K extends string>(key: K, value: string) => (value.trim() ? { [key]: value.trim() } : {}) as Partial<Record<K, string>>;
  return {
    ...optional('from', form.from), ...optional('to', form.to), ...optional('userId', userId), ...optional('model', form.model),
    ...optional('outcome', form.outcome), ...(form.operation ? { operation: form.operation } : {}),
  };
}

export function UsageView() {
  const [form, setForm] = useState<Form>(EMPTY);
  const [applied, setApplied] = useState<{ query: UsageFilterQuery; groupBy: UsageGroupBy | '' }>({ query: {}, groupBy: '' });
  const [more, setMore] = useState<{ items: AdminLedgerEntry[]; cursor: string | null } | null>(null);
  const report = useLoader(async () => {
    setMore(null);
    return api.adminUsage({ query: { ...applied.query, limit: PAGE, ...(applied.groupBy ? { groupBy: applied.groupBy } : {}) } });
  }, [applied]);
  const action = useAction();
  // A filter that could not be applied (say, an unknown email) leaves the figures of the last one that could.
  const [stale, setStale] = useState(false);

  const set = <K extends keyof Form>(key: K) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value as Form[K] });

  const apply = async (event: FormEvent) => {
    event.preventDefault();
    const query = await action.run(() => toQuery(form), { busy: 'Applying filters…', done: '' });
    setStale(!query);
    if (query) setApplied({ query, groupBy: form.groupBy });
  };
  const download = async () => {
    await action.run(async () => downloadUsageCsv(await toQuery(form)), {
      busy: 'Preparing the CSV…', done: (file) => (file.retentionNote ? `CSV downloaded. ${file.retentionNote}` : 'CSV downloaded.'),
    });
  };
  const loadMore = async () => {
    const cursor = more ? more.cursor : report.data?.nextCursor;
    if (!cursor) return;
    const page = await action.run(() => api.adminUsage({ query: { ...applied.query, limit: PAGE, cursor } }), { busy: 'Loading more…', done: '' });
    if (page) setMore({ items: [...(more?.items ?? []), ...page.items], cursor: page.nextCursor });
  };

  const data = report.data;
  const items = [...(data?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.cursor : (data?.nextCursor ?? null);

  return (
    <>
      <form className="card form-grid filters" onSubmit={(e) => void apply(e)} aria-label="Usage filters">
        <div className="field">
          <label htmlFor="usage-from">From (UTC day)</label>
          <input id="usage-from" type="date" value={form.from} onChange={set('from')} />
        </div>
        <div className="field">
          <label htmlFor="usage-to">To (UTC day, inclusive)</label>
          <input id="usage-to" type="date" value={form.to} onChange={set('to')} />
        </div>
        <div className="field">
          <label htmlFor="usage-user">User (email or id)</label>
          <input id="usage-user" type="text" autoComplete="off" value={form.user} onChange={set('user')} />
        </div>
        <div className="field">
          <label htmlFor="usage-operation">Operation</label>
          <select id="usage-operation" value={form.operation} onChange={set('operation')}>
            <option value="">Any</option>
            {AI_JOB_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="usage-model">Model</label>
          <input id="usage-model" type="text" autoComplete="off" value={form.model} onChange={set('model')} />
        </div>
        <SuggestField id="usage-outcome" label="Outcome" value={form.outcome} suggestions={KNOWN_OUTCOMES} onChange={(outcome) => setForm({ ...form, outcome })} />
        <div className="field">
          <label htmlFor="usage-group">Group by</label>
          <select id="usage-group" value={form.groupBy} onChange={set('groupBy')}>
            <option value="">No grouping</option>
            {USAGE_GROUP_BY.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit" disabled={action.busy}>
            Apply filters
          </button>
          <button type="button" onClick={() => void download()} disabled={action.busy}>
            Download CSV
          </button>
          <button type="button" onClick={() => setForm(EMPTY)}>
            Clear
          </button>
        </div>
        <StatusLine status={action.status} />
      </form>
      {report.error && <LoadError message={report.error} onRetry={report.reload} />}
      {data && (
        <>
          <section aria-labelledby="usage-totals">
            <h2 id="usage-totals">Totals</h2>
            <StaleFilters shown={stale} what="figures" />
            {data.retentionNote && (
              <p className="hint" data-testid="usage-retention">
                {data.retentionNote}
              </p>
            )}
            <dl className="tiles">
              <div className="tile"><dt>Calls</dt><dd data-testid="usage-calls">{formatInt(data.totals.calls)}</dd></div>
              <div className="tile"><dt>From cache</dt><dd>{formatInt(data.totals.cachedCalls)}</dd></div>
              <div className="tile"><dt>Input tokens</dt><dd>{formatInt(data.totals.inputTokens)}</dd></div>
              <div className="tile"><dt>Output tokens</dt><dd>{formatInt(data.totals.outputTokens)}</dd></div>
              <div className="tile"><dt>Cost</dt><dd>{formatUsd(data.totals.costUsd)}</dd></div>
            </dl>
          </section>
          {data.groupBy && (
            <section aria-labelledby="usage-groups">
              <h2 id="usage-groups">By {data.groupBy}</h2>
              <div className="table-wrap">
                <table className="stack">
                  <thead>
                    <tr>
                      <th scope="col">{data.groupBy}</th>
                      <th scope="col">Calls</th>
                      <th scope="col">From cache</th>
                      <th scope="col">Input tokens</th>
                      <th scope="col">Output tokens</th>
                      <th scope="col">Cost</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.groups.map((g) => (
                      <tr key={g.key}>
                        <th scope="row">{g.label ?? g.key}</th>
                        <td data-label="Calls">{formatInt(g.calls)}</td>
                        <td data-label="From cache">{formatInt(g.cachedCalls)}</td>
                        <td data-label="Input tokens">{formatInt(g.inputTokens)}</td>
                        <td data-label="Output tokens">{formatInt(g.outputTokens)}</td>
                        <td data-label="Cost">{formatUsd(g.costUsd)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {data.groupsTruncated && <p className="hint">Only the largest groups are shown; narrow the filters to see the rest.</p>}
            </section>
          )}
          <section aria-labelledby="usage-rows">
            <h2 id="usage-rows">Calls, newest first</h2>
            <div className="table-wrap">
              <table className="usage-table stack">
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">User</th>
                    <th scope="col">Operation</th>
                    <th scope="col">Model</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Cached</th>
                    <th scope="col">Tokens in / out</th>
                    <th scope="col">Cost</th>
                    <th scope="col">Latency</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((row) => (
                    <tr key={row.id}>
                      <th scope="row">{formatTime(row.createdAt)}</th>
                      <td data-label="User">{row.userEmail ?? row.userId}</td>
                      <td data-label="Operation">{row.operation}</td>
                      <td data-label="Model">{row.provider === TEMPLATE_PROVIDER ? `${row.model} · ${TEMPLATE_MODE}` : row.model}</td>
                      <td data-label="Outcome">{row.outcome}</td>
                      <td data-label="Cached">{row.cached ? 'yes' : 'no'}</td>
                      <td data-label="Tokens in / out">
                        {formatInt(row.inputTokens)} / {formatInt(row.outputTokens)}
                      </td>
                      <td data-label="Cost">{formatUsd(row.costUsd)}</td>
                      <td data-label="Latency">{formatMs(row.latencyMs)}</td>
                    </tr>
                  ))}
                  {items.length === 0 && (
                    <tr>
                      <td colSpan={9}>No calls match these filters.</td>
                    </tr>
                  )}
                </tbody>
              </table>
            </div>
            {nextCursor && (
              <button type="button" onClick={() => void loadMore()} disabled={action.busy}>
                Load more calls
              </button>
            )}
          </section>
        </>
      )}
    </>
  );
}
