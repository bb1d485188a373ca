import { describe, expect, it } from 'vitest';
import { HostError } from '../../shared/ui/panel-host.js';
import { scriptFailure } from './script-failure.js';

describe('scriptFailure', () => {
  it("words Apps Script's known failures for the author, with what to do", () => {
    const cases: Array<[string, RegExp]> = [
      ['Exception: Authorization is required to perform that action.', /signed in to more than one Google account/u],
      ['ScriptError: PERMISSION_DENIED', /signed in to more than one Google account/u],
      ['NetworkError: Connection failure due to HTTP 0', /lost its connection to Google Docs/u],
      ['Exceeded maximum execution time', /stopped the add-on before it finished/u],
      ["We're sorry, a server error occurred. Please wait a bit and try again.", /could not do this just now/u],
      ['Exception: Service Documents failed while accessing document with id 1abc.', /could not do this just now/u],
    ];
    for (const [raw, words] of cases) {
      const failure = scriptFailure(raw);
      expect(failure).toBeInstanceOf(HostError);
      expect(failure.message).toMatch(words);
      expect(failure.message).not.toMatch(/Exception|Error:|HTTP/u);
    }
  });

  it("gives any other failure Google's reason without its prefix, and what to do", () => {
    expect(scriptFailure('Exception: The value of aa.apiUrl is too large to keep (9 KB at most)').message)
      .toBe('Google Docs could not do this: The value of aa.apiUrl is too large to keep (9 KB at most). Try again; if it keeps happening, close the sidebar and open it again.');
  });
});
