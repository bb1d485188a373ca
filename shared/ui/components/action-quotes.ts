import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { QuoteBodySchema } from '../../schemas/usage.js';
import { TEMPLATE_MODE } from '../../template-mode.js';
import { useSession } from '../app/session.js';
import { describeError } from '../core/error-view.js';

/** What `POST /v1/quote` is asked about one action. */
export type QuoteRequest = z.infer<typeof QuoteBodySchema>;

/** One action's price (`POST /v1/quote`), or the server's reason for refusing it as it stands. */
export type ActionQuote = { tokens: number; cached: boolean; offline: boolean } | { refused: string };

/**
 * What each of a row of actions would cost, asked of `POST /v1/quote` (`requestOf` null: not now). A refusal carries the server's
 * reason, so the panel disables that action and says why (template mode cannot do everything). Re-asked after every
 * change the author makes.
 */
export function useActionQuotes<A extends string>(actions: readonly A[], requestOf: ((action: A) => QuoteRequest) | null): Partial<Record<A, ActionQuote>> {
  const { client, revision } = useSession();
  const [quotes, setQuotes] = useState<Partial<Record<A, ActionQuote>>>({});
  const requests = requestOf ? actions.map(requestOf) : null;
  const key = JSON.stringify(requests);
  useEffect(() => {
    if (!requests) return;
    let live = true;
    void Promise.all(requests.map((request) =>
      client.quote({ body: request }).then(
        (q): ActionQuote => ({ tokens: q.estimatedTokens, cached: q.cached, offline: q.offline }),
        (error: unknown): ActionQuote => ({ refused: describeError(error).message }),
      ))).then((answers) => live && setQuotes(Object.fromEntries(actions.map((action, i) => [action, answers[i]!])) as Partial<Record<A, ActionQuote>>));
    return () => {
      live = false;
    };
  }, [client, key, revision]);
  return quotes;
}

/** Why the server would refuse this action, or null (priced, or not asked yet). */
export function refusalOf(quote: ActionQuote | undefined): string | null {
  return quote && 'refused' in quote ? quote.refused : null;
}

/** The cost line of a row of actions: free in template mode, cached, or about the dearest one's tokens. */
export function costLine(quotes: Partial<Record<string, ActionQuote>>): string | null {
  const priced = Object.values(quotes).filter((q): q is Exclude<ActionQuote, { refused: string }> => !!q && 'tokens' in q);
  if (priced.length === 0) return null;
  if (priced[0]!.offline) return `Free: ${TEMPLATE_MODE}`;
  const most = Math.max(...priced.map((q) => q.tokens));
  return most === 0 ? 'Cached, free' : `About ${most.toLocaleString()} tokens at most`;
}
