import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../lib/app-error.js';
import type { IdentityChanges, IdentityService, Principal } from './identity-service.js';

interface OpenStream {
  token: string;
  role: Principal['user']['role'];
  close(): void;
}

/**
 * The job event streams open on this server, by user: at most `maxPerUser` each, and closed as soon as their
 * principal no longer holds (token revoked or expired, user disabled or demoted), wherever that change was made.
 */
export function createEventStreamRegistry(deps: { identity: IdentityService; changes: IdentityChanges; maxPerUser: number; log: FastifyBaseLogger }) {
  const open = new Map<string, Set<OpenStream>>();

  // The identity service drops its cached principals first (it subscribed earlier), so this reads the store.
  deps.changes.subscribe('*', ({ userId }) => {
    for (const stream of [...(open.get(userId) ?? [])]) {
      deps.identity.authenticate(stream.token).then(
        (now) => {
          if ('error' in now || now.user.role !== stream.role) stream.close();
        },
        (error: unknown) => deps.log.warn({ err: error, userId }, 'event stream: could not re-check its principal'),
      );
    }
  });

  return {
    /** Registers a stream opened with `token`; refuses one past the cap (429). Returns the function that forgets it. */
    open(principal: Principal, token: string, close: () => void): () => void {
      const streams = open.get(principal.user.id) ?? new Set<OpenStream>();
      if (streams.size >= deps.maxPerUser) {
        throw new AppError(
          'RATE_LIMITED',
          `You already follow ${deps.maxPerUser} jobs live, the most at once; close some panels or windows, or wait for those jobs to end.`,
          { limit: deps.maxPerUser },
          { 'retry-after': '10' },
        );
      }
      const stream: OpenStream = { token, role: principal.user.role, close };
      streams.add(stream);
      open.set(principal.user.id, streams);
      return () => {
        streams.delete(stream);
        if (streams.size === 0 && open.get(principal.user.id) === streams) open.delete(principal.user.id);
      };
    },

    count: (userId: string) => open.get(userId)?.size ?? 0,
  };
}
export type EventStreamRegistry = ReturnType<typeof createEventStreamRegistry>;
