/** One server-sent event as a client sees it. */
export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

/**
 * Opens an SSE stream with fetch and the Authorization header (as the panels do) and collects its events;
 * `ended` resolves with every event once the server closes the stream.
 */
export async function openEventStream(url: string, token: string, lastEventId?: string) {
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
  });
  const events: SseEvent[] = [];
  const ended = (async () => {
    if (!response.body) return events;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return events;
      buffer += value;
      for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event: SseEvent = { id: null, event: 'message', data: '' };
        let isComment = true;
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          isComment = false;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') event.id = value;
          else if (field === 'event') event.event = value;
          else if (field === 'data') event.data = event.data ? `${event.data}\n${value}` : value;
        }
        if (!isComment) events.push(event);
      }
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
