import type { ReactNode } from 'react';
import type { SystemInfo } from '../../../shared/schemas/admin.js';
import { TEMPLATE_MODE } from '../../../shared/template-mode.js';
import { LoadError } from '../components/StatusLine.js';
import { formatBytes, formatDuration, formatInt, formatPercent, formatTime } from '../format.js';
import { useLoader } from '../session-context.js';
import { api } from '../session.js';

/** Scalars of a store's health details (schema version, journal mode, MongoDB pool figures), as text. */
function detailRows(details: Record<string, unknown>, prefix = ''): Array<[string, string]> {
  return Object.entries(details).flatMap(([key, value]): Array<[string, string]> =>
    value !== null && typeof value === 'object' ? detailRows(value as Record<string, unknown>, `${prefix}${key} `) : [[`${prefix}${key}`, String(value)]],
  );
}

export function SystemView() {
  const { data, error, loading, reload } = useLoader(() => api.adminStats({ query: { range: '24h' } }), []);
  const system = data?.system;
  return (
    <>
      <div className="toolbar">
        <button type="button" onClick={reload} disabled={loading}>
          {loading ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      {error && <LoadError message={error} onRetry={reload} />}
      {system && (
        <div className="system-grid">
          <Facts title="Server">
            <Fact label="Version" value={system.version} />
            <Fact label="Node.js" value={system.node} />
            <Fact label="Started" value={formatTime(system.startedAt)} />
            <Fact label="Uptime" value={formatDuration(system.uptimeS)} />
          </Facts>
          <Facts title="Store">
            <Fact label="Kind" value={system.store.kind === 'sqlite' ? 'SQLite (embedded)' : 'MongoDB'} />
            <Fact label="Health" value={system.store.ok ? 'OK' : 'DOWN'} />
            {detailRows(system.store.details)
              .filter(([key]) => key !== 'kind')
              .map(([key, value]) => (
                <Fact key={key} label={key} value={value} />
              ))}
          </Facts>
          <section className="card" aria-labelledby="sys-ai">
            <h2 id="sys-ai">AI provider</h2>
            <dl className="facts">
              <Fact label="Provider" value={`${system.ai.provider}${system.ai.offline ? `: ${TEMPLATE_MODE}` : ''}`} />
              <Fact label="Timeout" value={`${formatInt(system.ai.timeoutMs)} ms`} />
              <Fact label="Retries" value={String(system.ai.maxRetries)} />
              {system.ai.templateThreads && <Fact label="Template threads" value={templateThreadsText(system.ai.templateThreads)} />}
            </dl>
            <div className="table-wrap">
              <table className="stack">
                <caption>Model chain, in fallback order</caption>
                <thead>
                  <tr>
                    <th scope="col">Model</th>
                    <th scope="col">Circuit</th>
                    <th scope="col">Recent failures</th>
                    <th scope="col">Open until</th>
                  </tr>
                </thead>
                <tbody>
                  {system.ai.models.map((m) => (
                    <tr key={m.model}>
                      <th scope="row">{m.model}</th>
                      <td data-label="Circuit" className={m.state === 'open' ? 'bad' : 'good'}>
                        {m.state === 'open' ? 'open (skipped)' : 'closed (in use)'}
                      </td>
                      <td data-label="Recent failures">{m.failures}</td>
                      <td data-label="Open until">{formatTime(m.openUntil)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <Facts title="AI cache (this process)">
            <Fact label="Entries" value={formatInt(system.cache.entries)} />
            <Fact label="Size" value={`${formatBytes(system.cache.bytes)} of ${formatBytes(system.cache.maxBytes)}`} />
            <Fact label="Hit ratio" value={`${formatPercent(system.cache.hitRatio)} (${formatInt(system.cache.hits)} hits, ${formatInt(system.cache.misses)} misses)`} />
            <Fact label="Time to live" value={formatDuration(system.cache.ttlS)} />
            <Fact label="Redis" value={system.cache.redis ? 'shared through Redis' : 'not configured'} />
          </Facts>
          <Facts title="Rate limits (per minute)">
            <Fact label="Default" value={formatInt(system.rateLimits.defaultPerMin)} />
            <Fact label="AI routes" value={formatInt(system.rateLimits.aiPerMin)} />
            <Fact label="Sign-in and bad tokens" value={formatInt(system.rateLimits.authPerMin)} />
            <Fact label="Counted" value={system.rateLimits.shared ? 'in Redis (all instances)' : 'in this process'} />
          </Facts>
          <Facts title="Quotas and jobs">
            <Fact label="Default daily tokens" value={formatInt(system.quotas.dailyTokens)} />
            <Fact label="Default monthly tokens" value={formatInt(system.quotas.monthlyTokens)} />
            <Fact label="Jobs at once" value={String(system.jobs.concurrency)} />
            <Fact label="Job timeout" value={formatDuration(system.jobs.timeoutS)} />
          </Facts>
        </div>
      )}
    </>
  );
}

function Facts({ title, children }: { title: string; children: ReactNode }) {
  const id = `sys-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <dl className="facts">{children}</dl>
    </section>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** Template mode's worker threads, as an operator reads them. */
function templateThreadsText(threads: NonNullable<SystemInfo['ai']['templateThreads']>): string {
  if (threads.max === 0) return 'off (TEMPLATE_THREADS=0)';
  if (threads.running === 0) return `none yet, up to ${threads.max}`;
  const queued = threads.queued > 0 ? `, ${threads.queued} waiting` : '';
  return `${threads.running} running, ${threads.busy} busy, up to ${threads.max}${queued}`;
}
