import { parseArgs } from 'node:util';
import { authenticate } from '@google-cloud/local-auth';
import { ConfigError, loadConfig, loadDotEnv, type Config } from '../config.js';
import { systemClock } from '../services/clock.js';
import { createGoogleCredentialsService, GOOGLE_DOCS_SCOPE } from '../services/google-credentials-service.js';
import { openMongoStore } from '../stores/mongodb/mongo-store.js';
import { openSqliteStore } from '../stores/sqlite/sqlite-store.js';

/**
 * `npm run google:login -- --email <user email>`: signs in to Google in a browser (Desktop OAuth client, loopback
 * redirect) and stores that user's refresh token encrypted, so the Docs writer works without a per-request token.
 * Needs a desktop browser: it cannot run headless. The storing itself is `storeRefreshToken`, which tests cover.
 */
const { values } = parseArgs({ options: { email: { type: 'string' } } });
if (!values.email) {
  console.error('Usage: npm run google:login -- --email <user email>');
  process.exit(2);
}
loadDotEnv();
let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}
if (!config.tokenCipher) {
  console.error('google:login needs TOKEN_ENCRYPTION_KEY (32 bytes of base64: openssl rand -base64 32); refresh tokens are never stored in clear.');
  process.exit(2);
}
if (!config.googleOAuthClient) {
  console.error('google:login needs GOOGLE_OAUTH_CLIENT_FILE: the OAuth client JSON (Desktop app) downloaded from the Google Cloud console.');
  process.exit(2);
}
const log = (message: string) => console.error(message);
const store = config.store === 'mongodb' ? await openMongoStore(config.mongodb, log) : openSqliteStore(config.dataDir, log);
try {
  const email = values.email.trim().toLowerCase();
  // Fail before the browser opens when there is nobody to store the sign-in for.
  if (!(await store.users.getByEmail(email))) {
    console.error(`No user has the email ${email}; create the user first (POST /v1/admin/users).`);
    process.exitCode = 1;
  } else {
    console.error(`Opening a browser to sign in to Google with ${config.googleOAuthClient.file} …`);
    const signedIn = await authenticate({ keyfilePath: config.googleOAuthClient.file, scopes: [GOOGLE_DOCS_SCOPE] });
    // Only the refresh token is kept: local-auth's client comes from an older google-auth-library that
    // @googleapis/docs cannot use, so the server builds its own client from it.
    const refreshToken = signedIn.credentials.refresh_token;
    const scopes = signedIn.credentials.scope?.split(' ').filter(Boolean) ?? [GOOGLE_DOCS_SCOPE];
    if (!refreshToken) {
      console.error('Google sent no refresh token (it sends one only on first consent). Remove the app\'s access at '
        + 'https://myaccount.google.com/permissions and run this again.');
      process.exitCode = 1;
    } else if (!scopes.includes(GOOGLE_DOCS_SCOPE)) {
      console.error(`Google did not grant ${GOOGLE_DOCS_SCOPE}; run this again and allow editing your documents.`);
      process.exitCode = 1;
    } else {
      const stored = await createGoogleCredentialsService({
        store, cipher: config.tokenCipher, oauthClient: config.googleOAuthClient, clock: systemClock, log: { warn: () => {} },
      }).storeRefreshToken({ email, refreshToken, scopes });
      console.log(`Stored an encrypted Google refresh token for ${email} (user ${stored.userId}, key ${stored.keyId}, scopes ${scopes.join(' ')}).`);
      console.log('The Docs writer now works for this user without an x-google-access-token header.');
    }
  }
} finally {
  await store.close();
}
