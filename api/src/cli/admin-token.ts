import { parseArgs } from 'node:util';
import { loadConfig, loadDotEnv } from '../config.js';
import { createAuditService } from '../services/audit-service.js';
import { systemClock } from '../services/clock.js';
import { createIdentityService } from '../services/identity-service.js';
import { openSqliteStore } from '../stores/sqlite/sqlite-store.js';

/** `npm run admin:token -- --email <e>`: issues a new admin token (creating or promoting that admin). */
const { values } = parseArgs({ options: { email: { type: 'string' } } });
if (!values.email) {
  console.error('Usage: npm run admin:token -- --email <admin email>');
  process.exit(2);
}
loadDotEnv();
const config = loadConfig();
if (config.store !== 'sqlite') {
  console.error('admin:token works on the SQLite store; with MongoDB use an existing admin token.');
  process.exit(2);
}
const store = openSqliteStore(config.dataDir);
const audit = createAuditService({ store, clock: systemClock, log: { error: (details: unknown, message?: string) => console.error(message, details) }, retentionDays: config.auditRetentionDays });
const identity = createIdentityService({ store, audit, clock: systemClock });
const email = values.email.trim().toLowerCase();
let user = await store.users.getByEmail(email);
if (!user) user = await identity.createUser({ email, role: 'admin' }, null);
else if (user.role !== 'admin' || user.disabled) user = await identity.updateUser(user.id, { role: 'admin', disabled: false }, user.id);
const issued = await identity.issueToken(user.id, { source: 'cli', label: 'admin:token' });
await audit.record('token.issued', { userId: user.id, details: { tokenId: issued.tokenId, via: 'cli' } });
await store.close();
console.log(issued.token);
