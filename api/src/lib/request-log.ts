import type { FastifyRequest } from 'fastify';

/** What a client may send as its own request id (anything else is not logged). */
const CLIENT_REQUEST_ID = /^[\w.:-]{1,64}$/;

/** The URL with every query value replaced: tokens or author text sent in a query string never reach the logs. */
export function redactQuery(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const keys = url.slice(at + 1).split('&').filter(Boolean).map((pair) => pair.split('=')[0]);
  return `${url.slice(0, at)}?${keys.map((key) => `${key}=[redacted]`).join('&')}`;
}

/** The id a client chose for its request (`x-request-id`), when it is well formed; never used as the server's own. */
export function clientRequestIdOf(request: Pick<FastifyRequest, 'headers'>): string | undefined {
  const sent = request.headers?.['x-request-id'];
  return typeof sent === 'string' && CLIENT_REQUEST_ID.test(sent) ? sent : undefined;
}

/**
 * How a request appears in log lines: pino's usual fields, the URL without query values, and the id the client chose
 * (`x-request-id`), kept apart from the server's own `reqId` so a client can neither pick nor collide with it.
 */
export function serializeRequest(request: FastifyRequest) {
  // Anything logged under `req` comes through here, a request or not: only these fields ever leave.
  const clientRequestId = clientRequestIdOf(request);
  return {
    method: request.method,
    url: typeof request.url === 'string' ? redactQuery(request.url) : undefined,
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
    ...(clientRequestId && { clientRequestId }),
  };
}
