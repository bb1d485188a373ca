import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { availablePdfFonts, missingFallbacks, PDF_FONTS } from '../src/export/pdf-fonts.js';

describe('the PDF fonts', () => {
  it('always has DejaVu, from its npm package', () => {
    expect(existsSync(PDF_FONTS.body.file) && existsSync(PDF_FONTS.heading.file)).toBe(true);
    expect(availablePdfFonts()).toEqual(expect.arrayContaining(['body', 'heading']));
  });

  it('needs a fallback only for the scripts a book uses, and says what to install when it is missing', () => {
    const none = () => false;
    expect(missingFallbacks(['Plain English and русский текст'], none)).toBeNull();
    expect(missingFallbacks(['日本語のテキスト'], none)).toEqual({
      roles: ['cjk'],
      message: expect.stringContaining('Chinese, Japanese or Korean text') as unknown,
    });
    const both = missingFallbacks(['A smile 🙂', '中文'], none)!;
    expect(both.roles.sort()).toEqual(['cjk', 'emoji']);
    expect(both.message).toContain('fonts-droid-fallback');
    expect(both.message).toContain('Export it as DOCX, EPUB or Markdown');
    expect(missingFallbacks(['中文 🙂'], () => true)).toBeNull();
  });
});
