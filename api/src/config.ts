import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { originRuleProblem, serviceUrl } from './lib/config-rules.js';
import { readGoogleOAuthClientFile } from './lib/google-oauth-client-file.js';
import { createTokenCipher, parseEncryptionKey } from './lib/token-crypto.js';

const bool = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const list = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean));

/** proxy-addr's names for address ranges, accepted by Fastify's `trustProxy`. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address, an address/prefix (CIDR) or a range name, as Fastify's `trustProxy` takes them. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * Fastify's `trustProxy` forms: `true`/`false`, a hop count (trust that many proxies in front of the server), or
 * the proxies' addresses/CIDRs. Only a hop count or addresses make the client address the one the trusted proxy
 * saw; `true` takes the left-most X-Forwarded-For, which the client writes itself.
 */
const trustProxy = z.string().transform((text, ctx): boolean | number | string[] => {
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^\d+$/.test(text)) return Number(text);
  const entries = text.split(',').map((entry) => entry.trim()).filter(Boolean);
  const bad = entries.filter((entry) => !isProxyAddress(entry));
  if (entries.length > 0 && bad.length === 0) return entries;
  ctx.addIssue({
    code: 'custom',
    message: `must be true, false, a hop count or proxy addresses/CIDRs (${bad.length > 0 ? `"${bad.join('", "')}" is not one` : 'empty'})`,
  });
  return z.NEVER;
});

/** A 32-byte base64 key; the problem (never the value) is listed when it is not one. */
const encryptionKey = z.string().transform((text, ctx) => {
  const parsed = parseEncryptionKey(text);
  if (parsed.ok) return parsed.key;
  ctx.addIssue({ code: 'custom', message: parsed.problem });
  return z.NEVER;
});

const PricesSchema = z.record(z.string(), z.object({ input: z.number().min(0), output: z.number().min(0) }));

const EnvSchema = z
  .object({
    PORT: int(0, 65_535).default(8787),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_URL: z.url().optional(),
    TRUST_PROXY: trustProxy.default(false),
    BODY_LIMIT_BYTES: int(1_024, 50 * 1024 * 1024).default(1024 * 1024),
    DATA_DIR: z.string().min(1).default('./data'),
    STORE: z.enum(['sqlite', 'mongodb']).default('sqlite'),
    MONGODB_URI: z.string().optional(),
    MONGODB_DB: z.string().min(1).default('auto_author'),
    MONGODB_MAX_POOL_SIZE: int(1, 1_000).default(20),
    MONGODB_MIN_POOL_SIZE: int(0, 1_000).default(0),
    MONGODB_MAX_IDLE_TIME_MS: int(0, 3_600_000).default(60_000),
    MONGODB_SERVER_SELECTION_TIMEOUT_MS: int(100, 120_000).default(5_000),
    MONGODB_CONNECT_TIMEOUT_MS: int(100, 120_000).default(10_000),
    MONGODB_SOCKET_TIMEOUT_MS: int(0, 600_000).default(30_000),
    MONGODB_RETRY_WRITES: bool.default(true),
    REDIS_URL: z.string().optional(),
    AI_PROVIDER: z.enum(['openai', 'offline']).optional(),
    OPENAI_API_KEY: z.string().optional(),
    OPENAI_BASE_URL: serviceUrl.optional(),
    AI_MODELS: list.default(['gpt-4o-mini']),
    AI_TIMEOUT_MS: int(100, 600_000).default(60_000),
    AI_MAX_RETRIES: int(0, 10).default(2),
    AI_PRICES: z
      .string()
      .transform((text, ctx) => {
        try {
          return PricesSchema.parse(JSON.parse(text));
        } catch {
          ctx.addIssue({ code: 'custom', message: 'AI_PRICES must be JSON: {"model": {"input": usdPerMTok, "output": usdPerMTok}}' });
          return z.NEVER;
        }
      })
      .optional(),
    AI_CACHE_MAX_MB: int(1, 10_000).default(64),
    AI_CACHE_TTL_S: int(1, 365 * 86_400).default(30 * 86_400),
    TEMPLATE_THREADS: int(0, 64).optional(),
    QUOTA_DAILY_TOKENS: int(0, 1e12).default(200_000),
    QUOTA_MONTHLY_TOKENS: int(0, 1e13).default(3_000_000),
    JOBS_CONCURRENCY: int(1, 64).default(4),
    JOB_TIMEOUT_S: int(5, 3_600).default(600),
    JOB_LEASE_MS: int(50, 3_600_000).default(30_000),
    JOB_HEARTBEAT_MS: int(10, 600_000).default(10_000),
    RATE_LIMIT_DEFAULT_PER_MIN: int(1, 1_000_000).default(300),
    RATE_LIMIT_AI_PER_MIN: int(1, 1_000_000).default(20),
    RATE_LIMIT_AUTH_PER_MIN: int(1, 1_000_000).default(10),
    RATE_LIMIT_EXPORTS_PER_HOUR: int(1, 1_000_000).default(10),
    CORS_ORIGINS: list.default([]),
    ADMIN_TOKEN: z.string().min(20, 'ADMIN_TOKEN must be at least 20 characters').optional(),
    GOOGLE_CLIENT_IDS: list.default([]),
    GOOGLE_ALLOWED_DOMAINS: list.default([]),
    GOOGLE_DOCS_ROOT_URL: serviceUrl.transform((value) => `${new URL(value).origin}/`).optional(),
    GOOGLE_OAUTH_CLIENT_FILE: z
      .string()
      .transform((file, ctx) => {
        try {
          return readGoogleOAuthClientFile(file);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      })
      .optional(),
    TOKEN_ENCRYPTION_KEY: encryptionKey.optional(),
    TOKEN_ENCRYPTION_KEYS_OLD: list
      .transform((texts, ctx) =>
        texts.map((text, index) => {
          const parsed = parseEncryptionKey(text);
          if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `key ${index + 1} of ${texts.length} ${parsed.problem}` });
          return parsed.ok ? parsed.key : Buffer.alloc(0);
        }),
      )
      .default([]),
    AUDIT_RETENTION_DAYS: int(1, 3_650).default(365),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  });

/** Checks across variables, run on the raw values so they are listed together with every field problem. */
function crossFieldProblems(env: Record<string, string>): string[] {
  const problems: string[] = [];
  if (env.STORE === 'mongodb' && !env.MONGODB_URI) problems.push('MONGODB_URI: STORE=mongodb needs MONGODB_URI');
  if (env.AI_PROVIDER === 'openai' && !env.OPENAI_API_KEY && !env.OPENAI_BASE_URL) {
    problems.push('OPENAI_API_KEY: AI_PROVIDER=openai needs OPENAI_API_KEY or OPENAI_BASE_URL');
  }
  if (Number(env.MONGODB_MIN_POOL_SIZE ?? 0) > Number(env.MONGODB_MAX_POOL_SIZE ?? 20)) {
    problems.push('MONGODB_MIN_POOL_SIZE: must not exceed MONGODB_MAX_POOL_SIZE');
  }
  if (env.TOKEN_ENCRYPTION_KEYS_OLD && !env.TOKEN_ENCRYPTION_KEY) {
    problems.push('TOKEN_ENCRYPTION_KEYS_OLD: old keys only decrypt; set TOKEN_ENCRYPTION_KEY to the current key');
  }
  if (Number(env.JOB_HEARTBEAT_MS ?? 10_000) * 2 > Number(env.JOB_LEASE_MS ?? 30_000)) {
    problems.push('JOB_HEARTBEAT_MS: must be at most half of JOB_LEASE_MS (a lease must survive one missed heartbeat)');
  }
  for (const origin of (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean)) {
    const problem = originRuleProblem(origin);
    if (problem) problems.push(`CORS_ORIGINS: ${problem}`);
  }
  return problems;
}

const DEFAULT_PRICES: z.infer<typeof PricesSchema> = {
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
};

/** The server's configuration, parsed once from the environment. */
export type Config = ReturnType<typeof toConfig>;

function toConfig(env: z.infer<typeof EnvSchema>) {
  return {
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL ?? null,
    trustProxy: env.TRUST_PROXY,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    dataDir: path.resolve(env.DATA_DIR),
    store: env.STORE,
    mongodb: {
      uri: env.MONGODB_URI ?? null,
      db: env.MONGODB_DB,
      maxPoolSize: env.MONGODB_MAX_POOL_SIZE,
      minPoolSize: env.MONGODB_MIN_POOL_SIZE,
      maxIdleTimeMS: env.MONGODB_MAX_IDLE_TIME_MS,
      serverSelectionTimeoutMS: env.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
      connectTimeoutMS: env.MONGODB_CONNECT_TIMEOUT_MS,
      socketTimeoutMS: env.MONGODB_SOCKET_TIMEOUT_MS,
      retryWrites: env.MONGODB_RETRY_WRITES,
    },
    redisUrl: env.REDIS_URL ?? null,
    ai: {
      provider: env.AI_PROVIDER ?? (env.OPENAI_API_KEY ? 'openai' : 'offline'),
      apiKey: env.OPENAI_API_KEY ?? null,
      baseUrl: env.OPENAI_BASE_URL ?? null,
      models: env.AI_MODELS,
      timeoutMs: env.AI_TIMEOUT_MS,
      maxRetries: env.AI_MAX_RETRIES,
      /** USD per million tokens, by model. */
      prices: env.AI_PRICES ?? DEFAULT_PRICES,
      cacheMaxBytes: env.AI_CACHE_MAX_MB * 1024 * 1024,
      cacheTtlS: env.AI_CACHE_TTL_S,
      /** Worker threads for template mode's language analysis (0: on the event loop); by default every core but one. */
      templateThreads: env.TEMPLATE_THREADS ?? Math.max(1, os.availableParallelism() - 1),
    },
    quota: { dailyTokens: env.QUOTA_DAILY_TOKENS, monthlyTokens: env.QUOTA_MONTHLY_TOKENS },
    jobs: { concurrency: env.JOBS_CONCURRENCY, timeoutS: env.JOB_TIMEOUT_S, leaseMs: env.JOB_LEASE_MS, heartbeatMs: env.JOB_HEARTBEAT_MS },
    rateLimit: {
      defaultPerMin: env.RATE_LIMIT_DEFAULT_PER_MIN,
      aiPerMin: env.RATE_LIMIT_AI_PER_MIN,
      authPerMin: env.RATE_LIMIT_AUTH_PER_MIN,
      /** Export jobs a user may start per format per hour. */
      exportsPerHour: env.RATE_LIMIT_EXPORTS_PER_HOUR,
    },
    corsOrigins: env.CORS_ORIGINS.map((rule) =>
      rule.startsWith('/') && rule.endsWith('/') ? new RegExp(rule.slice(1, -1)) : rule,
    ),
    adminToken: env.ADMIN_TOKEN ?? null,
    google: { clientIds: env.GOOGLE_CLIENT_IDS, allowedDomains: env.GOOGLE_ALLOWED_DOMAINS.map((d) => d.toLowerCase()) },
    /** Origin of the Docs API (a local emulator in tests); null means Google's. */
    googleDocsRootUrl: env.GOOGLE_DOCS_ROOT_URL ?? null,
    /** The OAuth client stored Google sign-ins are refreshed with (and `google:login` signs in with); null when unset. */
    googleOAuthClient: env.GOOGLE_OAUTH_CLIENT_FILE ?? null,
    /** Seals stored Google refresh tokens; null without TOKEN_ENCRYPTION_KEY. Keys stay inside (never enumerable). */
    tokenCipher: env.TOKEN_ENCRYPTION_KEY ? createTokenCipher({ key: env.TOKEN_ENCRYPTION_KEY, oldKeys: env.TOKEN_ENCRYPTION_KEYS_OLD }) : null,
    auditRetentionDays: env.AUDIT_RETENTION_DAYS,
    logLevel: env.LOG_LEVEL,
  };
}

/** Thrown when the environment is invalid; `problems` lists every issue, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment (empty strings count as unset) into a Config, or throws ConfigError. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== '')) as Record<string, string>;
  const parsed = EnvSchema.safeParse(cleaned);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'env'}: ${issue.message}`)),
    ...crossFieldProblems(cleaned),
  ];
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return toConfig(parsed.data);
}

/** Loads `.env` from the working directory when present (Node 20's --env-file fails on a missing file). */
export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

/** The product version, from package.json. */
export const APP_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
