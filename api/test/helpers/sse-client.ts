import { createSseParser, type SseMessage } from '../../../shared/ui/core/jobs.js';

/** One server-sent event as a client sees it (the panels' own parser reads it). */
export type SseEvent = SseMessage;

/**
 * Opens an SSE stream with fetch and the Authorization header (as the panels do) and collects its events;
 * `ended` resolves with every event once the server closes the stream.
 */
export async function openEventStream(url: string, token: string, lastEventId?: string) {
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
  });
  const events: SseEvent[] = [];
  const parse = createSseParser((event) => events.push(event));
  const ended = (async () => {
    if (!response.body) return events;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return events;
      parse(value);
    }
  })();
  return { response, events, ended: withTimeout(ended, 15_000, 'the event stream did not end') };
}

/** Waits until `predicate` holds (polling), or fails after `ms`. */
export async function until(predicate: () => boolean, ms = 10_000, what = 'condition') {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
