import { useEffect, useState } from 'react';
import type { AiJobKind } from '../../schemas/ai.js';
import { TEMPLATE_MODE } from '../../template-mode.js';
import { useSession } from '../app/session.js';
import { describeError } from '../core/error-view.js';

/** What a generation would cost, from `POST /v1/quote`, beside what is left of today's quota. */
interface QuoteState {
  text: string;
  reason: boolean;
}

const tokens = (n: number) => `${n.toLocaleString()} ${n === 1 ? 'token' : 'tokens'}`;

/**
 * The cost of a generate button before it is pressed: "about 3,200 tokens · 9,000 left today", "cached, free", or
 * free in template mode; when the server would refuse it, its reason instead, and `onRefused(true)` so the panel holds
 * its button (the reason is already beside it). Re-asked when the inputs change, after every change the author makes
 * (answers change what a draft costs) and after a refused start.
 */
export function QuoteNote({ operation, bookId, chapterId, params, refusal, onRefused }: {
  operation: AiJobKind;
  bookId: string;
  chapterId?: string;
  params?: Record<string, unknown>;
  /** The panel's last refused start: asked again when there is a new one, as what is left may have changed meanwhile. */
  refusal?: unknown;
  onRefused?: (refused: boolean) => void;
}) {
  const { client, revision } = useSession();
  const [quote, setQuote] = useState<QuoteState | null>(null);
  const key = JSON.stringify(params ?? {});
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      void Promise.all([
        client.quote({ body: { operation, bookId, ...(chapterId ? { chapterId } : {}), ...(params ? { params } : {}) } }),
        client.myUsage().catch(() => null),
      ]).then(([estimate, usage]) => {
        if (!live) return;
        if (estimate.offline) return setQuote({ text: `Free: ${TEMPLATE_MODE}`, reason: false });
        if (estimate.cached) return setQuote({ text: 'Cached, free', reason: false });
        const left = !usage ? null : usage.daily.remaining === null ? 'no daily limit' : `${usage.daily.remaining.toLocaleString()} left today`;
        setQuote({ text: `About ${tokens(estimate.estimatedTokens)}${left ? ` · ${left}` : ''}`, reason: false });
      }, (error: unknown) => {
        // The server would refuse it as it is: say why now, before the button is pressed.
        if (live) setQuote(describeError(error).code === 'VALIDATION' ? { text: describeError(error).message, reason: true } : null);
      });
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, operation, bookId, chapterId, key, revision, refusal]);
  useEffect(() => onRefused?.(quote?.reason ?? false), [quote?.reason]);
  // The line is there before the quote arrives, so nothing below it moves when it does.
  if (!quote) return <p className="aa-quote" aria-hidden="true">{'\u00a0'}</p>;
  return <p className={`aa-quote${quote.reason ? ' aa-quote-reason' : ''}`} data-quote={quote.reason ? 'refused' : 'cost'}>{quote.text}</p>;
}
