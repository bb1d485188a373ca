import type { FastifyReply } from 'fastify';

/** How often an open stream sends a comment, so proxies keep it and clients know the server is there. */
const PING_MS = 15_000;

/**
 * A server-sent event stream on the reply: taken over from Fastify on first use (errors before that are answered as
 * JSON as usual), pinged, and ended once, calling `onEnd` then.
 */
export function sseStream(reply: FastifyReply, onEnd: () => void) {
  const raw = reply.raw;
  let ping: NodeJS.Timeout | undefined;
  let ended = false;
  const start = () => {
    if (reply.sent) return;
    reply.hijack();
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    if (ended) {
      raw.end(); // ended before it began (its principal was revoked meanwhile)
      return;
    }
    ping = setInterval(() => raw.write(': ping\n\n'), PING_MS);
    raw.on('close', end);
  };
  function end() {
    if (ended) return;
    ended = true;
    clearInterval(ping);
    onEnd();
    if (reply.sent && !raw.writableEnded) raw.end();
  }
  return {
    start,
    send(id: string, event: string, data: string) {
      start();
      raw.write(`id: ${id}\nevent: ${event}\ndata: ${data}\n\n`);
    },
    end,
  };
}
