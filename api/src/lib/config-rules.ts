import { z } from 'zod';

/** Hosts that never leave this machine: plain http to them exposes nothing on a network. */
function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * The URL of a service the server sends secrets to (model API keys, Google access tokens): `https:`, or `http:` only
 * to a loopback address; credentials in the URL are refused rather than silently dropped or logged.
 */
export const serviceUrl = z.string().transform((text, ctx) => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a URL, e.g. https://api.example.com/v1' });
    return z.NEVER;
  }
  if (url.username || url.password) {
    ctx.addIssue({ code: 'custom', message: 'must not carry credentials (user:password@); put keys in their own variables' });
    return z.NEVER;
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return text;
  const reason = url.protocol === 'http:'
    ? 'plain http is only allowed to a loopback address (localhost, 127.0.0.1, [::1]); use https'
    : `the ${url.protocol} scheme is not allowed; use https`;
  ctx.addIssue({ code: 'custom', message: reason });
  return z.NEVER;
});

/** Origins a CORS regex must never admit: a rule that matches them admits any site. */
const FOREIGN_ORIGINS = ['https://attacker.invalid', 'http://attacker.invalid', 'null', 'https://docs.google.com.attacker.invalid'];

/**
 * Why a CORS_ORIGINS entry is unsafe or invalid, or null when it is fine: an exact origin, or a /regex/ anchored at
 * both ends (`^…$`) that does not admit arbitrary sites.
 */
export function originRuleProblem(rule: string): string | null {
  if (rule.startsWith('/') && rule.endsWith('/') && rule.length > 2) {
    const source = rule.slice(1, -1);
    let pattern: RegExp;
    try {
      pattern = new RegExp(source);
    } catch {
      return `"${rule}" is not a valid regular expression`;
    }
    if (!source.startsWith('^') || !source.endsWith('$')) return `"${rule}" must be anchored: start with ^ and end with $`;
    if (FOREIGN_ORIGINS.some((origin) => pattern.test(origin))) return `"${rule}" admits any site; list the origins it should allow`;
    return null;
  }
  try {
    const url = new URL(rule);
    // Non-web schemes (chrome-extension://<id>) have an opaque origin in the URL API: compare scheme and host.
    const origin = url.origin === 'null' ? `${url.protocol}//${url.host}` : url.origin;
    if (origin === rule && url.host !== '') return null;
  } catch {
    // Falls through to the problem below.
  }
  return `"${rule}" is neither an origin nor a /regex/`;
}
