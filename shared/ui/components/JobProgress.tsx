import { useCallback, useSyncExternalStore, type ReactNode } from 'react';
import type { Job } from '../../schemas/ai.js';
import { ErrorNotice } from './ErrorNotice.js';
import { useJobPartials } from '../app/hooks.js';
import { jobConnection, jobFailure } from '../core/jobs.js';

const STATUS: Record<string, string> = {
  queued: 'Waiting to start',
  running: 'Working',
  succeeded: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** What the progress line says: the status and stage, or that the live connection is being re-established. */
export function jobStatusText(job: Job, connection: 'live' | 'reconnecting'): string {
  const active = job.status === 'queued' || job.status === 'running';
  if (active && connection === 'reconnecting') return 'Connection lost — reconnecting…';
  return `${STATUS[job.status] ?? job.status}${job.stage && active ? ` — ${job.stage}` : ''}`;
}

/** One line of an item being written: a TOC chapter's title, a question's or a block's text, a list's items. */
export function partialText(item: unknown): string {
  const value = (item ?? {}) as { title?: unknown; text?: unknown; items?: unknown };
  if (typeof value.title === 'string') return value.title;
  if (typeof value.text === 'string') return value.text;
  return Array.isArray(value.items) ? value.items.filter((i) => typeof i === 'string').join(' · ') : '';
}

/**
 * The job a panel's progress line shows: none once it succeeded (the panel shows what it made instead), else the job
 * (waiting, running, or how it failed or was cancelled).
 */
export const unlessSucceeded = (job: Job | null | undefined): Job | null => (job && job.status !== 'succeeded' ? job : null);

/**
 * Live progress of a job, with cancel while it runs, the failure explained by code, and a cancel confirmed (nothing
 * changed). While the model writes, what it has written so far is shown, marked as not saved: as the panel's own items
 * when it passes `written` (draft blocks, questions, TOC chapters), else as plain lines.
 */
export function JobProgress({ job, label, onCancel, onRetry, written }: {
  job: Job | null; label: string; onCancel?: () => void; onRetry?: () => void; written?: (items: readonly unknown[]) => ReactNode;
}) {
  const jobId = job?.id ?? '';
  const read = useCallback(() => jobConnection.get(jobId), [jobId]);
  const connection = useSyncExternalStore(jobConnection.subscribe, read, read);
  const items = useJobPartials(jobId);
  if (!job) return null;
  const active = job.status === 'queued' || job.status === 'running';
  return (
    <div className="aa-job" data-job-status={job.status} data-job-connection={connection}>
      <label className="aa-job-label">
        <span>{label}: {jobStatusText(job, connection)}</span>
        <progress max={100} value={job.status === 'succeeded' ? 100 : job.progress} aria-valuetext={`${job.progress}%`} />
      </label>
      {active && onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
      {active && items.length > 0 && (
        <div className="aa-job-partial aa-writing" aria-live="polite" aria-busy="true">
          <p className="aa-writing-note">Being written — not saved yet. Nothing is kept until it is complete.</p>
          {written ? written(items) : <ol>{items.map((item, i) => <li key={i} dir="auto">{partialText(item)}</li>)}</ol>}
        </div>
      )}
      {job.status === 'cancelled' && <p className="aa-muted" role="status">Nothing was changed; start it again when you are ready.</p>}
      {job.status === 'failed' && job.error && (
        <ErrorNotice
          error={jobFailure(job.error)}
          onRetry={job.error.retryable ? onRetry : undefined}
        />
      )}
    </div>
  );
}
