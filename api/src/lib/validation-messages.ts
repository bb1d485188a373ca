/** One refused field of a request, as it goes out in `details.issues`. */
export interface AuthorIssue {
  where: string;
  /** Dotted path inside `where` (`answers.0.text`); empty for the whole part. */
  path: string;
  /** A sentence for the author: what is wrong, with the limit and the count where there is one. */
  message: string;
  /** The bound that was passed (characters, items, or the number itself), when the rule has one. */
  limit?: number;
  /** What was sent, counted the way the limit counts it. */
  actual?: number;
}

/** A zod issue as fastify-type-provider-zod hands it over (the issue's own fields sit under `params`). */
export interface ValidationIssue {
  keyword: string;
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** How fields are named to authors, by the last key of their path (units for numbers). */
const FIELDS: Record<string, { subject: string; unit?: string }> = {
  title: { subject: 'The title' },
  subtitle: { subject: 'The subtitle' },
  description: { subject: 'The description' },
  audience: { subject: 'The audience' },
  genre: { subject: 'The genre' },
  language: { subject: 'The language' },
  targetWords: { subject: 'The target length', unit: 'words' },
  standingInstructions: { subject: 'The standing instructions' },
  summary: { subject: 'The summary' },
  text: { subject: 'An answer' },
  passage: { subject: 'The selected passage' },
  status: { subject: 'The answer status' },
  style: { subject: 'The style' },
  count: { subject: 'The number of questions', unit: 'questions' },
  answers: { subject: 'One save', unit: 'answers' },
  chapters: { subject: 'The table of contents', unit: 'chapters' },
  email: { subject: 'The email address' },
  name: { subject: 'The name' },
  label: { subject: 'The label' },
  limit: { subject: 'The page size' },
  documentId: { subject: 'The document id' },
  idToken: { subject: 'The Google sign-in' },
};

/** What a type check expected, in words. */
const EXPECTED: Record<string, string> = {
  int: 'a whole number', number: 'a number', string: 'text', boolean: 'yes or no', array: 'a list', object: 'a set of fields',
};

const number = (value: number) => value.toLocaleString('en-US');

/** "targetWords" → "Target words": a readable name for a field the table does not know. */
function humanize(key: string): string {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words ? `“${words[0]!.toUpperCase()}${words.slice(1)}”` : 'The request';
}

function valueAt(input: unknown, path: string[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A count in the unit zod's size checks use: UTF-16 units of a string, items of an array, the number itself. */
function measure(value: unknown): number | undefined {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Turns a schema issue into the author's words, with the limit and the actual count ("An answer can hold at most
 * 20,000 characters; this one has 21,600."), reading the count from the request part that was refused.
 */
export function authorIssue(issue: ValidationIssue, where: string, input: unknown): AuthorIssue {
  const keys = issue.instancePath.split('/').filter(Boolean);
  const key = [...keys].reverse().find((k) => !/^\d+$/.test(k)) ?? '';
  const field = FIELDS[key] ?? { subject: humanize(key) };
  const params = issue.params ?? {};
  const value = valueAt(input, keys);
  const actual = measure(value);
  const base = { where, path: keys.join('.') };
  const origin = params.origin;
  const bound = (params.maximum ?? params.minimum) as number | bigint | undefined;
  const limit = typeof bound === 'number' || typeof bound === 'bigint' ? Number(bound) : undefined;
  const unit = field.unit ? ` ${field.unit}` : '';

  if (issue.keyword === 'too_big' && limit !== undefined) {
    if (origin === 'string') return { ...base, limit, actual, message: `${field.subject} can hold at most ${number(limit)} characters; this one has ${number(actual ?? 0)}. Shorten it to save it.` };
    if (origin === 'array') return { ...base, limit, actual, message: `${field.subject} can hold at most ${number(limit)}${unit || ' items'}; this one has ${number(actual ?? 0)}.` };
    return { ...base, limit, actual, message: `${field.subject} can be at most ${number(limit)}${unit}${actual === undefined ? '' : ` (not ${number(actual)})`}.` };
  }
  if (issue.keyword === 'too_small' && limit !== undefined) {
    if (origin === 'string') return { ...base, limit, actual, message: limit <= 1 ? `${field.subject} cannot be empty.` : `${field.subject} needs at least ${number(limit)} characters; this one has ${number(actual ?? 0)}.` };
    if (origin === 'array') return { ...base, limit, actual, message: `${field.subject} needs at least ${number(limit)}${unit || ' items'}.` };
    return { ...base, limit, actual, message: `${field.subject} must be at least ${number(limit)}${unit}${actual === undefined ? '' : ` (not ${number(actual)})`}.` };
  }
  if (issue.keyword === 'invalid_type') {
    if (value === undefined) return { ...base, message: `${field.subject} is missing.` };
    const expected = EXPECTED[String(params.expected)] ?? `of type ${String(params.expected)}`;
    return { ...base, message: `${field.subject} must be ${expected}.` };
  }
  if (issue.keyword === 'invalid_value' && Array.isArray(params.values)) {
    return { ...base, message: `${field.subject} must be one of: ${params.values.map(String).join(', ')}.` };
  }
  if (issue.keyword === 'custom' && /visible character/.test(issue.message ?? '')) return { ...base, message: `${field.subject} cannot be empty.` };
  if (issue.keyword === 'unrecognized_keys' && Array.isArray(params.keys)) {
    return { ...base, message: `This request has fields the server does not know: ${params.keys.map(String).join(', ')}.` };
  }
  return { ...base, message: `${field.subject}: ${issue.message ?? 'not a valid value'}.` };
}
