// ajv documents this path as its JSON Schema 2020-12 entry point (the package root is draft-07).
// eslint-disable-next-line no-restricted-imports
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ALL_ENDPOINTS } from '../../../shared/contract/index.js';

type Json = Record<string, unknown>;
interface ResponseObject { content?: Record<string, Json & { schema?: Json; 'x-itemSchema'?: Json }>; headers?: Record<string, Json> }
interface Document {
  paths: Record<string, Record<string, { responses: Record<string, ResponseObject | { $ref: string }> }>>;
  components?: { responses?: Record<string, ResponseObject>; headers?: Record<string, Json> };
}

// ajv-formats is CommonJS: its default export arrives wrapped under NodeNext.
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv2020) => Ajv2020 }).default;

const DOC_ID = 'openapi.json';
const pointer = (...segments: string[]) =>
  '#/' + segments.map((segment) => encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

/** The media type without parameters (`text/csv; charset=utf-8` → `text/csv`). */
const mediaTypeOf = (contentType: unknown) => (typeof contentType === 'string' ? contentType.split(';')[0]!.trim().toLowerCase() : '');

/** One response as the contract checker sees it. */
export interface ObservedResponse {
  method: string;
  /** The route's path template as Fastify knows it (`/v1/books/:bookId`). */
  route: string;
  status: number;
  contentType: unknown;
  headers: Record<string, unknown>;
  body: string;
}

/**
 * Checks real responses against the served OpenAPI document (JSON Schema 2020-12, the dialect of OpenAPI 3.1): the
 * status must be declared, the media type too, a JSON body must match its schema, each event of an event stream its
 * item schema. Validators are compiled once per operation, status and media type.
 */
export function createContractChecker(served: object) {
  const document = served as Document;
  const ajv = new Ajv2020({ strict: false, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(document as unknown as Json, DOC_ID);
  // Keyed by the schema itself, so the many error responses that are one `$ref` to Error share one validator.
  const validators = new Map<string, ValidateFunction>();
  const schemaAt = (path: string) =>
    path.slice(2).split('/').reduce<unknown>((node, segment) => {
      const key = decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~');
      return (node as Record<string, unknown> | undefined)?.[key];
    }, document);
  const validatorAt = (path: string) => {
    const key = JSON.stringify(schemaAt(path));
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile({ $ref: `${DOC_ID}${path}` });
      validators.set(key, validate);
    }
    return validate;
  };
  const failure = (validate: ValidateFunction) => ajv.errorsText(validate.errors, { dataVar: 'body' });

  const components = document.components ?? {};
  const resolve = (response: ResponseObject | { $ref: string }): [ResponseObject, string[]] => {
    if ('$ref' in response) {
      const name = response.$ref.split('/').pop()!;
      return [components.responses![name]!, ['components', 'responses', name]];
    }
    return [response, []];
  };

  /** Why a response breaks the document, or null when it matches (or its route is not an API operation). */
  function check(observed: ObservedResponse): string | null {
    const path = observed.route.replace(/:([A-Za-z]+)/g, '{$1}');
    const method = observed.method.toLowerCase();
    const operation = document.paths[path]?.[method];
    if (!operation) return null;
    const where = `${observed.method} ${path} → ${observed.status}`;
    const declared = operation.responses[String(observed.status)];
    if (!declared) return `${where}: status not declared (declared: ${Object.keys(operation.responses).join(', ')})`;
    const [response, base] = resolve(declared);
    const at = base.length > 0 ? base : ['paths', path, method, 'responses', String(observed.status)];
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      const declared = typeof header.$ref === 'string' ? components.headers?.[header.$ref.split('/').pop()!] : header;
      if (declared?.required === true && observed.headers[name] === undefined) return `${where}: header ${name} missing`;
    }
    if (!response.content) return observed.body.length === 0 ? null : `${where}: declared without a body, got ${observed.body.length} bytes`;
    const media = mediaTypeOf(observed.contentType);
    const content = response.content[media];
    if (!content) return `${where}: media type "${media}" not declared (declared: ${Object.keys(response.content).join(', ')})`;
    if (media === 'application/json') {
      let body: unknown;
      try {
        body = JSON.parse(observed.body);
      } catch {
        return `${where}: body is not JSON`;
      }
      const validate = validatorAt(pointer(...at, 'content', media, 'schema'));
      return validate(body) ? null : `${where}: ${failure(validate)} — ${observed.body.slice(0, 300)}`;
    }
    if (media === 'text/event-stream') return checkEvents(where, pointer(...at, 'content', media, 'x-itemSchema'), observed.body);
    return null;
  }

  /** Each complete event of a stream against the item schema, its JSON data against the schema `data` names. */
  function checkEvents(where: string, itemPath: string, stream: string): string | null {
    const validateItem = validatorAt(itemPath);
    const validateData = validatorAt(`${itemPath}/properties/data/contentSchema`);
    for (const block of stream.split('\n\n').slice(0, -1)) {
      const fields: Record<string, string> = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
      }
      if (Object.keys(fields).length === 0) continue;
      if (!validateItem(fields)) return `${where}: event ${failure(validateItem)} — ${block.slice(0, 200)}`;
      if (!validateData(JSON.parse(fields.data!))) return `${where}: event data ${failure(validateData)} — ${block.slice(0, 300)}`;
    }
    return null;
  }

  return { check };
}

/**
 * Installs the contract check on an app before its routes: every response the test receives (inject or HTTP) is
 * checked; a mismatch turns it into a 500 whose message says what broke, and is recorded so `mismatches()` can fail
 * the file even when a test does not look at the status. Event streams are checked as they are written.
 */
export function installContractCheck(app: FastifyInstance) {
  const found: string[] = [];
  let checker: ReturnType<typeof createContractChecker> | undefined;
  const checkerOf = () => (checker ??= createContractChecker(app.swagger()));
  const observe = (request: FastifyRequest, reply: FastifyReply, status: number, headers: Record<string, unknown>, body: string) => {
    const route = request.routeOptions.url;
    if (!route || request.method === 'HEAD' || request.method === 'OPTIONS') return null;
    const mismatch = checkerOf().check({ method: request.method, route, status, contentType: headers['content-type'], headers, body });
    if (mismatch) found.push(mismatch);
    return mismatch;
  };

  app.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload !== 'string' && payload !== undefined && payload !== null && !Buffer.isBuffer(payload)) return payload;
    const body = payload === undefined || payload === null ? '' : payload.toString();
    const mismatch = observe(request, reply, reply.statusCode, reply.getHeaders(), body);
    if (!mismatch) return payload;
    reply.code(500).type('application/json');
    return JSON.stringify({ error: { code: 'INTERNAL', message: `Contract mismatch: ${mismatch}`, requestId: request.id } });
  });

  // A hijacked reply (the event stream) bypasses onSend: its head and events are checked as they are written.
  const streamRoutes = new Set(ALL_ENDPOINTS.filter(([, endpoint]) => endpoint.produces === 'text/event-stream').map(([, endpoint]) => endpoint.path));
  app.addHook('onRequest', async (request, reply) => {
    if (!streamRoutes.has(request.routeOptions.url ?? '')) return;
    const raw = reply.raw;
    let hijacked = false;
    const hijack = reply.hijack.bind(reply);
    reply.hijack = () => {
      hijacked = true;
      return hijack();
    };
    let head: { status: number; headers: Record<string, unknown> } | undefined;
    let written = '';
    const writeHead = raw.writeHead.bind(raw) as (...args: unknown[]) => typeof raw;
    raw.writeHead = ((status: number, ...rest: unknown[]) => {
      const headers = rest.find((arg) => typeof arg === 'object' && arg !== null) as Record<string, unknown> | undefined;
      head = { status, headers: headers ?? {} };
      return writeHead(status, ...rest);
    }) as typeof raw.writeHead;
    const write = raw.write.bind(raw) as (...args: unknown[]) => boolean;
    raw.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (hijacked && typeof chunk === 'string') written += chunk;
      return write(chunk, ...rest);
    }) as typeof raw.write;
    let observed = false;
    const done = () => {
      if (observed || !hijacked || !head) return;
      observed = true;
      observe(request, reply, head.status, head.headers, written);
    };
    raw.once('finish', done);
    raw.once('close', done);
  });

  return {
    /** Mismatches seen so far (cleared by reading). */
    mismatches(): string[] {
      return found.splice(0);
    },
  };
}
