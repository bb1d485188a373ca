import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { ALL_ENDPOINTS } from '../../../../shared/contract/index.js';
import { APP_VERSION, type Config } from '../../config.js';
import { completeOpenApiDocument, type OpenApiDocument } from '../../lib/openapi-document.js';

/**
 * OpenAPI 3.1 generated from the shared zod schemas (JSON Schema 2020-12, so nullable enums are plain `null`
 * members) and completed from the shared declarations: `/openapi.json`, and a UI at `/docs`.
 */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'Auto-Author API', version: APP_VERSION, description: 'Every endpoint is declared once in shared/contract.' },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      },
      transform: jsonSchemaTransform,
      transformObject: (generated) =>
        completeOpenApiDocument((generated as unknown as { openapiObject: OpenApiDocument }).openapiObject, ALL_ENDPOINTS, config.publicUrl ?? '/') as never,
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi' },
);
