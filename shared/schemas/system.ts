import { z } from 'zod';

export const CheckSchema = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  details: z.record(z.string(), z.unknown()).nullable(),
});

export const ReadyResponseSchema = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  version: z.string(),
  uptimeS: z.number(),
  checks: z.record(z.string(), CheckSchema),
});

export const LiveResponseSchema = z.object({ status: z.literal('ok') });

export const MetaSchema = z.object({
  name: z.string(),
  version: z.string(),
  ai: z.object({ provider: z.string(), offline: z.boolean() }),
  googleSignIn: z.boolean(),
  limits: z.record(z.string(), z.number()),
  /** The address authors reach this server at (PUBLIC_URL), for links; null when it is the one the page came from. */
  publicUrl: z.string().nullable(),
});
