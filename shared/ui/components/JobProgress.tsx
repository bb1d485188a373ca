import type { Job } from '../../schemas/ai.js';
import { ErrorNotice } from './ErrorNotice.js';
import { jobFailure } from '../core/jobs.js';

const STATUS: Record<string, string> = {
  queued: 'Waiting to start',
  running: 'Working',
  succeeded: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Live progress of a job, with cancel while it runs and the failure explained by code. */
export function JobProgress({ job, label, onCancel, onRetry }: { job: Job | null; label: string; onCancel?: () => void; onRetry?: () => void }) {
  if (!job) return null;
  const active = job.status === 'queued' || job.status === 'running';
  return (
    <div className="aa-job" data-job-status={job.status}>
      <label className="aa-job-label">
        <span>{label}: {STATUS[job.status] ?? job.status}{job.stage && active ? ` — ${job.stage}` : ''}</span>
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
