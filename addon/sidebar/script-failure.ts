import { HostError } from '../../shared/ui/panel-host.js';

/**
 * What a failed google.script.run call means to the author. Apps Script hands over Google's own text ("Exception:
 * Authorization is required to perform that action.", "NetworkError: Connection failure due to HTTP 0"), which names
 * neither the cause an author can act on nor what to do; the best known causes are worded here.
 */
const KNOWN: Array<{ match: RegExp; title: string; message: string }> = [
  {
    // Most often several Google accounts signed in at once: add-on sidebars run as the browser's default account.
    match: /authori[sz]ation is required|requires authori[sz]ation|PERMISSION_DENIED|do not have permission|insufficient permissions/iu,
    title: 'Google did not let Auto-Author in',
    message: 'If you are signed in to more than one Google account, open this document in a window signed in only to the account that ' +
      'added Auto-Author. Otherwise close this sidebar, open it again from Extensions › Auto-Author, and allow what Google asks.',
  },
  {
    match: /NetworkError|connection failure|network error|failed to fetch/iu,
    title: 'Google Docs did not answer',
    message: 'The sidebar lost its connection to Google Docs. Check your internet connection, then try again.',
  },
  {
    match: /exceeded maximum execution time|timed out/iu,
    title: 'Google Docs stopped it',
    message: 'Google Docs stopped the add-on before it finished. Try again; chapters are written one at a time, so those already written stay.',
  },
  {
    match: /service .*(failed|unavailable|error)|server error occurred|try again later|too many (times|requests)|internal error|backend error/iu,
    title: 'Google Docs had a problem',
    message: 'Google Docs could not do this just now (it happens from time to time). Try again in a moment.',
  },
];

/** The author's words for an Apps Script failure: a known cause and what to do, else Google's reason and what to do. */
export function scriptFailure(raw: string): HostError {
  const known = KNOWN.find((k) => k.match.test(raw));
  if (known) return new HostError(known.title, known.message);
  const reason = raw.replace(/^\s*(?:Script)?(?:Exception|Error):\s*/iu, '').trim();
  return new HostError('Google Docs could not do this',
    `${reason ? `Google Docs could not do this: ${reason.replace(/\.?$/u, '.')} ` : ''}Try again; if it keeps happening, close the sidebar and open it again.`);
}
