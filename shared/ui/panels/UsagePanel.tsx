import type { AiJobKind } from '../../schemas/ai.js';
import type { Usage } from '../../schemas/usage.js';
import { TEMPLATE_MODE, TEMPLATE_PROVIDER } from '../../template-mode.js';
import { useLoad } from '../app/hooks.js';
import { useSession } from '../app/session.js';
import { formatTime } from '../core/error-view.js';
import { ErrorNotice } from '../components/ErrorNotice.js';

type Window = Usage['daily'];

/** What each call made, in the author's words (the ledger's operation names are the API's). */
const MADE: Record<AiJobKind, string> = {
  'interview.generate': 'Interview questions',
  'interview.followup': 'Interview follow-up question',
  'toc.generate': 'Table of contents proposal',
  'questions.generate': 'Chapter questions',
  'question.regenerate': 'A question asked differently',
  'question.followup': 'Follow-up question',
  'draft.generate': 'Chapter draft',
  'draft.revise': 'Draft revised',
  'draft.rework': 'Draft passage reworked',
  'continuity.extract': 'Continuity notes',
  'passage.rework': 'Passage from your document reworked',
};

const usd = (value: number) => `$${value.toFixed(value > 0 && value < 0.01 ? 4 : 2)}`;

function QuotaWindow({ name, window }: { name: string; window: Window }) {
  if (window.limit === null) return <p>{name}: unlimited ({window.used.toLocaleString()} tokens used).</p>;
  const left = window.remaining ?? 0;
  return (
    <div className="aa-quota">
      <label>
        {name}: {left.toLocaleString()} of {window.limit.toLocaleString()} tokens left
        <meter min={0} max={window.limit} low={window.limit * 0.2} optimum={window.limit} value={left} />
      </label>
      <span className="aa-muted">Resets {formatTime(window.resetAt)}{window.reserved > 0 ? `; ${window.reserved.toLocaleString()} reserved by running jobs` : ''}.</span>
    </div>
  );
}

/** Usage: quota left today and this month, this month's calls and cost, recent AI calls. */
export function UsagePanel() {
  const { client } = useSession();
  const usage = useLoad<Usage>(() => client.myUsage(), [client]);
  const data = usage.data;
  return (
    <section aria-labelledby="aa-usage-title" className="aa-section">
      <h2 id="aa-usage-title">Usage</h2>
      <button type="button" className="aa-link" onClick={usage.reload}>Refresh</button>
      {usage.error ? <ErrorNotice error={usage.error} onRetry={usage.reload} /> : null}
      {data && (
        <>
          <QuotaWindow name="Today" window={data.daily} />
          <QuotaWindow name="This month" window={data.monthly} />
          <p>
            This month: {data.month.calls} AI calls ({data.month.cachedCalls} from cache, free),{' '}
            {(data.month.inputTokens + data.month.outputTokens).toLocaleString()} tokens, {usd(data.month.costUsd)}.
          </p>
          {data.recent.length > 0 && (
            <table className="aa-table">
              <caption>Recent calls</caption>
              <thead><tr><th scope="col">What</th><th scope="col">Tokens</th><th scope="col">Cost</th></tr></thead>
              <tbody>
                {data.recent.map((call) => (
                  <tr key={call.id}>
                    <td>{MADE[call.operation] ?? call.operation}{call.cached ? ' (cached)' : ''}{call.provider === TEMPLATE_PROVIDER ? ` · ${TEMPLATE_MODE}` : ''}<br /><span className="aa-muted">{formatTime(call.createdAt)}</span></td>
                    <td>{(call.inputTokens + call.outputTokens).toLocaleString()}</td>
                    <td>{usd(call.costUsd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
