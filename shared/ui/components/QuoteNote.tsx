import { useEffect, useState } from 'react';
import type { AiJobKind } from '../../schemas/ai.js';
import { TEMPLATE_MODE } from '../../template-mode.js';
import { useSession } from '../app/session.js';
import { describeError, tokens } from '../core/error-view.js';

/** What a generation would cost, from `POST /v1/quote`, beside what is left of today's quota. */
export interface QuoteState {
  text: string;
  reason: boolean;
}

/** What `useQuote` is asked about: one generation, as its panel would start it. */
export interface QuoteRequest {
  operation: AiJobKind;
  bookId: string;
  chapterId?: string;
  params?: Record<string, unknown>;
  /** The panel's last refused start: asked again when there is a new one, as what is left may have changed meanwhile. */
  refusal?: unknown;
}

/**
 * The cost of a generate button before it is pressed: "about 3,200 tokens · 9,000 left today", "cached, free", or
 * free in template mode; when the server would refuse it, its reason instead (`reason: true`: the panel holds its
 * button, the reason being already beside it). Null until known. Re-asked when the inputs change, after every change
 * the author makes (answers change what a draft costs) and after a refused start.
 */
export function useQuote({ operation, bookId, chapterId, params, refusal }: QuoteRequest): QuoteState | null {
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
        const view = describeError(error);
        if (live) setQuote(view.code === 'VALIDATION' ? { text: view.message, reason: true } : null);
      });
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, operation, bookId, chapterId, key, revision, refusal]);
  return quote;
}

/** The line under a generate button: a quote from `useQuote` (the panel holds it when it also decides by it). */
export function QuoteLine({ quote }: { quote: QuoteState | null }) {
  // The line is there before the quote arrives, so nothing below it moves when it does.
  if (!quote) return <p className="aa-quote" aria-hidden="true">{'\u00a0'}</p>;
  return <p className={`aa-quote${quote.reason ? ' aa-quote-reason' : ''}`} data-quote={quote.reason ? 'refused' : 'cost'}>{quote.text}</p>;
}

/** A generate button's cost line, for panels that need only the line. */
export function QuoteNote(request: QuoteRequest) {
  return <QuoteLine quote={useQuote(request)} />;
}
