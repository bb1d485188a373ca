import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBodySchema } from '../../../shared/errors.js';
import type { EndpointDef, EndpointReply, EndpointRequest } from '../../../shared/contract/endpoint.js';
import type { Principal } from '../services/identity-service.js';
import { AppError } from './app-error.js';

/** The request a handler sees: parsed params, query and body, plus the caller when the route needs one. */
export type RouteRequest<E extends EndpointDef> = Omit<FastifyRequest, 'params' | 'query' | 'body'> &
  EndpointRequest<E> & { principal: E['auth'] extends 'none' ? Principal | null : Principal };

/** Registers the route for a shared endpoint declaration: schemas, auth and status all come from `endpoint`. */
export function defineRoute<E extends EndpointDef>(
  app: FastifyInstance,
  endpoint: E,
  handler: (request: RouteRequest<E>, reply: FastifyReply) => Promise<EndpointReply<E>>,
): void {
  const response: Record<string, unknown> = { '4xx': ErrorBodySchema, '5xx': ErrorBodySchema, ...endpoint.otherResponses };
  if (endpoint.response) response[endpoint.status] = endpoint.response;
  app.withTypeProvider<ZodTypeProvider>().route({
    method: endpoint.method,
    url: endpoint.path,
    schema: {
      summary: endpoint.summary,
      tags: [endpoint.tag],
      ...(endpoint.params && { params: endpoint.params }),
      ...(endpoint.query && { querystring: endpoint.query }),
      ...(endpoint.body && { body: endpoint.body }),
      ...(endpoint.auth !== 'none' && { security: [{ bearer: [] }] }),
      response,
    },
    config: { rateGroup: endpoint.rateGroup ?? 'default' },
    ...(endpoint.auth !== 'none' && { onRequest: app.authHook(endpoint.auth) }),
    handler: async (request, reply) => {
      if (endpoint.auth !== 'none' && !request.principal) throw new AppError('UNAUTHORIZED', 'Sign in first.');
      const result = await handler(request as unknown as RouteRequest<E>, reply);
      if (reply.sent) return reply;
      if (endpoint.status !== 200 && reply.statusCode === 200) reply.code(endpoint.status);
      return endpoint.status === 204 ? reply.send() : reply.send(result);
    },
  });
}

/** The calling user's id (routes with auth only). */
export const userIdOf = (request: { principal: Principal }) => request.principal.user.id;
