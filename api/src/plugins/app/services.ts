import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import { createAuditService } from '../../services/audit-service.js';
import { createBooksService } from '../../services/books-service.js';
import { createChaptersService } from '../../services/chapters-service.js';
import type { Clock } from '../../services/clock.js';
import { createGoogleSignInService } from '../../services/google-signin-service.js';
import { googleKeySource, type GoogleKeySource } from '../../services/google-verifier.js';
import { createEventStreamRegistry } from '../../services/event-streams.js';
import { createIdentityService, type IdentityChanges } from '../../services/identity-service.js';
import { createNoticeBus } from '../../services/notice-bus.js';
import { LIMITS } from '../../../../shared/limits.js';
import type { Store } from '../../stores/types.js';
import type { AiGateway } from '../../ai/ai-gateway.js';
import { createAiOperationsService } from '../../services/ai-operations-service.js';
import { createContinuityService } from '../../services/continuity-service.js';
import { createOperationTable } from '../../services/ai-operations/table.js';
import { createDraftsService } from '../../services/drafts-service.js';
import { createDraftVersionsService } from '../../services/draft-versions.js';
import { createInterviewService } from '../../services/interview-service.js';
import { createJobEventBus } from '../../services/job-events.js';
import { bullJobQueue } from '../../services/job-queue-bullmq.js';
import { createJobsService } from '../../services/jobs-service.js';
import { createQuestionsService } from '../../services/questions-service.js';
import { createQuotaService } from '../../services/quota-service.js';
import { createTocProposalService } from '../../services/toc-proposal-service.js';
import { createDocsService } from '../../services/docs-service.js';
import { createExportsService } from '../../services/exports-service.js';
import { createDocsClient } from '../../docs/docs-client.js';
import { createGoogleCredentialsService } from '../../services/google-credentials-service.js';

function createServices(app: { store: Store; log: FastifyBaseLogger; ai: { gateway: AiGateway }; redis: Redis | null }, options: ServicesOptions) {
  const { config, clock } = options;
  const store = app.store;
  const audit = createAuditService({ store, clock, log: app.log, retentionDays: config.auditRetentionDays });
  const identityChanges: IdentityChanges = createNoticeBus({ redis: app.redis, log: app.log, channel: 'aa:identity-changes', keyOf: (notice) => notice.userId });
  const identity = createIdentityService({ store, audit, clock, changes: identityChanges });
  const eventStreams = createEventStreamRegistry({ identity, changes: identityChanges, maxPerUser: LIMITS.eventStreamsPerUser, log: app.log });
  const googleSignIn = createGoogleSignInService({
    store, identity, audit, clock, clientIds: config.google.clientIds, allowedDomains: config.google.allowedDomains,
    keySource: options.googleKeySource ?? googleKeySource(),
  });
  const books = createBooksService({ store, clock });
  const chapters = createChaptersService({ store, books, clock });
  const quota = createQuotaService({ jobs: store.jobs, ledger: store.ledger, config, clock });
  const jobs = createJobsService({
    jobs: store.jobs, users: store.users, quota, clock, log: app.log, bus: createJobEventBus({ redis: app.redis, log: app.log }),
    timings: { concurrency: config.jobs.concurrency, timeoutMs: config.jobs.timeoutS * 1000, leaseMs: config.jobs.leaseMs, heartbeatMs: config.jobs.heartbeatMs },
    // With Redis, BullMQ queues the jobs and a worker in every instance runs them; without, this process does.
    queue: config.redisUrl ? bullJobQueue(config.redisUrl, app.log) : undefined,
  });
  const operations = createOperationTable({ store, books, chapters, ai: app.ai.gateway, clock });
  const aiOperations = createAiOperationsService({ jobs, ai: app.ai.gateway, operations });
  return {
    audit, identity, identityChanges, eventStreams, googleSignIn, books, chapters, quota, jobs, aiOperations,
    continuity: createContinuityService({ store, books, clock }),
    interview: createInterviewService({ store, books, clock }),
    tocProposals: createTocProposalService({ store, books, chapters, clock }),
    questions: createQuestionsService({ store, chapters, clock }),
    drafts: createDraftsService({ store, chapters, clock, aiOperations }),
    draftVersions: createDraftVersionsService({ store, chapters, clock }),
    exports: createExportsService({ store, books, jobs, clock }),
    docs: createDocsService({
      store, books, clock,
      client: createDocsClient({ rootUrl: config.googleDocsRootUrl, backoffMs: options.docsBackoffMs, log: app.log }),
      credentials: createGoogleCredentialsService({ store, clock, log: app.log, cipher: config.tokenCipher, oauthClient: config.googleOAuthClient }),
    }),
  };
}

export type Services = ReturnType<typeof createServices>;

interface ServicesOptions {
  config: Config;
  clock: Clock;
  googleKeySource?: GoogleKeySource;
  /** Base of the Docs API retry backoff (tests shorten it). */
  docsBackoffMs?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

/** Builds the services (rules, typed errors) on top of the store. */
export default fp<ServicesOptions>(
  async (app, options) => {
    app.decorate('services', createServices(app, options));
    app.addHook('onClose', async () => app.services.identityChanges.close());
  },
  { name: 'services', dependencies: ['store', 'ai', 'redis'] },
);
