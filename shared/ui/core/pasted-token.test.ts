import { describe, expect, it } from 'vitest';
import { tokenFromPaste } from './pasted-token.js';

describe('tokenFromPaste', () => {
  it('takes a token as it is, trimmed', () => {
    expect(tokenFromPaste('  aa_0123456789abcdef \n')).toEqual({ token: 'aa_0123456789abcdef', origin: null });
    expect(tokenFromPaste('   ')).toBeNull();
  });

  it("takes the token and the server from the link an administrator sends, so the extension and the add-on accept it too", () => {
    expect(tokenFromPaste('https://books.example.com/app#token=aa_0123456789abcdef')).toEqual({ token: 'aa_0123456789abcdef', origin: 'https://books.example.com' });
    expect(tokenFromPaste('#token=aa_0123456789abcdef')).toEqual({ token: 'aa_0123456789abcdef', origin: null });
  });

  it('leaves anything else to the server to judge', () => {
    expect(tokenFromPaste('https://books.example.com/app#other=1')).toEqual({ token: 'https://books.example.com/app#other=1', origin: null });
  });
});
