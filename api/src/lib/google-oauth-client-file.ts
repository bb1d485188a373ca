import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Google Cloud console's downloaded OAuth client JSON: a Desktop (`installed`) or `web` client. */
const ClientSchema = z.object({
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  token_uri: z.url().optional(),
  redirect_uris: z.array(z.string()).optional(),
});
const FileSchema = z.union([z.object({ installed: ClientSchema }), z.object({ web: ClientSchema })]);

/** The OAuth client the server refreshes stored Google sign-ins with. `file` is what local-auth is given. */
export interface GoogleOAuthClient {
  file: string;
  clientId: string;
  clientSecret: string;
  /** Where refresh tokens are exchanged: the file's `token_uri` (a local fake in tests). */
  tokenUri: string;
}

/**
 * Reads and checks the OAuth client file; throws an Error whose message names the problem (never the secret).
 * The token endpoint must be https, or http on a loopback address: a refresh token and the client secret travel there.
 */
export function readGoogleOAuthClientFile(file: string): GoogleOAuthClient {
  const absolute = path.resolve(file);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(absolute, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not readable JSON';
    throw new Error(`${absolute}: ${reason}`, { cause: error });
  }
  const parsed = FileSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${absolute}: not a Google OAuth client file (needs "installed" or "web" with client_id and client_secret)`);
  }
  const client = 'installed' in parsed.data ? parsed.data.installed : parsed.data.web;
  const tokenUri = client.token_uri ?? GOOGLE_TOKEN_URI;
  const url = new URL(tokenUri);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw new Error(`${absolute}: token_uri must be https (or http on a loopback address)`);
  }
  return { file: absolute, clientId: client.client_id, clientSecret: client.client_secret, tokenUri };
}
