import { adminEndpoints } from './admin.js';
import { authoringEndpoints } from './authoring.js';
import { bookEndpoints } from './books.js';
import { chapterEndpoints } from './chapters.js';
import { continuityEndpoints } from './continuity.js';
import { docEndpoints } from './docs.js';
import type { EndpointDef } from './endpoint.js';
import { exportEndpoints } from './exports.js';
import { identityEndpoints } from './identity.js';
import { jobEndpoints } from './jobs.js';
import { systemEndpoints } from './system.js';

/** Every endpoint of the API, by name. Routes and the typed client both read from here. */
export const endpoints = {
  ...systemEndpoints,
  ...identityEndpoints,
  ...bookEndpoints,
  ...chapterEndpoints,
  ...authoringEndpoints,
  ...continuityEndpoints,
  ...jobEndpoints,
  ...docEndpoints,
  ...exportEndpoints,
  ...adminEndpoints,
};
export type Endpoints = typeof endpoints;
export type EndpointName = keyof Endpoints;

export const ALL_ENDPOINTS: ReadonlyArray<[string, EndpointDef]> = Object.entries(endpoints);

export * from './endpoint.js';
