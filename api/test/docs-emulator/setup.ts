// Shared by the emulator's own tests: a started emulator and the real googleapis Docs client pointed at it.
import { fileURLToPath } from 'node:url';
import { auth, docs, type docs_v1 } from '@googleapis/docs';
import { startDocsEmulator, type DocsEmulator, type DocsEmulatorOptions } from '../support/docs-emulator/index.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/google-docs', import.meta.url));

export interface Harness {
  emulator: DocsEmulator;
  client: docs_v1.Docs;
  /** A client sending another bearer token (or none when token is undefined). */
  clientWith(token: string | undefined): docs_v1.Docs;
}

export function clientFor(emulator: Pick<DocsEmulator, 'url'>, token: string | undefined): docs_v1.Docs {
  const oauth = new auth.OAuth2();
  if (token !== undefined) oauth.setCredentials({ access_token: token });
  // retry: false so injected 429s and 5xx reach the test instead of gaxios' own retries.
  return docs({ version: 'v1', auth: token === undefined ? undefined : oauth, rootUrl: emulator.url, retry: false });
}

export async function startHarness(options: DocsEmulatorOptions = {}): Promise<Harness> {
  const emulator = await startDocsEmulator(options);
  return { emulator, client: clientFor(emulator, 'test-token'), clientWith: (token) => clientFor(emulator, token) };
}

/** The error a client call rejected with: status and Google's message (GaxiosError). */
export async function failure(promise: Promise<unknown>): Promise<{ status: number; message: string; body: unknown }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { status?: number; response?: { status?: number; data?: unknown }; message: string };
    return { status: e.status ?? e.response?.status ?? 0, message: e.message, body: e.response?.data };
  }
  throw new Error('expected the call to fail');
}

/** Batch helper: one batchUpdate through the client, returning its data. */
export async function batch(
  client: docs_v1.Docs,
  documentId: string,
  requests: docs_v1.Schema$Request[],
  writeControl?: docs_v1.Schema$WriteControl,
): Promise<docs_v1.Schema$BatchUpdateDocumentResponse> {
  const res = await client.documents.batchUpdate({ documentId, requestBody: { requests, writeControl } });
  return res.data;
}
