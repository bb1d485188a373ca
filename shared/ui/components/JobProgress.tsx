import { useCallback, useSyncExternalStore } from 'react';
import type { Job } from '../../schemas/ai.js';
import { ErrorNotice } from './ErrorNotice.js';
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

/** Live progress of a job, with cancel while it runs and the failure explained by code. */
export function JobProgress({ job, label, onCancel, onRetry }: { job: Job | null; label: string; onCancel?: () => void; onRetry?: () => void }) {
  const jobId = job?.id ?? '';
  const read = useCallback(() => jobConnection.get(jobId), [jobId]);
  const connection = useSyncExternalStore(jobConnection.subscribe, read, read);
  if (!job) return null;
  const active = job.status === 'queued' || job.status === 'running';
  return (
    <div className="aa-job" data-job-status={job.status} data-job-connection={connection}>
      <label className="aa-job-label">
        <span>{label}: {jobStatusText(job, connection)}</span>
        <progress max={100} value={job.status === 'succeeded' ? 100 : job.progress} aria-valuetext={`${job.progress}%`} />
      </label>
      {active && onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
      {job.status === 'failed' && job.error && (
        <ErrorNotice
          error={jobFailure(job.error)}
          onRetry={job.error.retryable ? onRetry : undefined}
        />
      )}
    </div>
  );
}
