import { z } from 'zod';
import { LIMITS } from './limits.js';
import { countCharacters, countWords } from './text-count.js';

/** Thresholds of the readiness rule; the panels show them as hints. */
export const READINESS = {
  summaryMinWords: 30,
  /** Characters as counted by `countCharacters` (code points after NFC and trimming). */
  summaryMinChars: 150,
  summaryGoodWords: 150,
} as const;

export const ReadinessCheckSchema = z.object({
  id: z.enum(['title', 'summaryPresent', 'summaryMinWords', 'summaryMinChars', 'summaryMaxChars']),
  ok: z.boolean(),
  message: z.string(),
});

export const ReadinessSchema = z.object({
  ready: z.boolean(),
  level: z.enum(['missing', 'too_short', 'ready', 'good']),
  words: z.number().int(),
  characters: z.number().int(),
  checks: z.array(ReadinessCheckSchema),
});
/** Whether a book brief is ready for AI work, with the counts and what is missing. */
export type Readiness = z.infer<typeof ReadinessSchema>;

/** The one readiness rule, deterministic and identical on server and clients. */
export function evaluateReadiness(input: { title: string; summary: string | null }): Readiness {
  const summary = input.summary ?? '';
  const words = countWords(summary);
  const characters = countCharacters(summary);
  const checks: Readiness['checks'] = [
    { id: 'title', ok: countCharacters(input.title) > 0, message: 'The book needs a title.' },
    { id: 'summaryPresent', ok: characters > 0, message: 'Write or paste a summary of the book.' },
    {
      id: 'summaryMinWords',
      ok: words >= READINESS.summaryMinWords,
      message: `The summary needs at least ${READINESS.summaryMinWords} words (it has ${words}).`,
    },
    {
      id: 'summaryMinChars',
      ok: characters >= READINESS.summaryMinChars,
      message: `The summary needs at least ${READINESS.summaryMinChars} characters (it has ${characters}).`,
    },
    {
      id: 'summaryMaxChars',
      ok: characters <= LIMITS.summaryMaxChars,
      message: `The summary may hold at most ${LIMITS.summaryMaxChars} characters (it has ${characters}).`,
    },
  ];
  const ready = checks.every((check) => check.ok);
  const level = characters === 0 ? 'missing' : !ready ? 'too_short' : words >= READINESS.summaryGoodWords ? 'good' : 'ready';
  return { ready, level, words, characters, checks };
}
