import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const fontFile = createRequire(import.meta.url);

/**
 * The fonts the PDF embeds (subset to the glyphs used). DejaVu (Latin, Greek, Cyrillic and many symbols) comes with
 * the npm package dejavu-fonts-ttf, so every install can print a PDF. The fallbacks are Debian's font packages, read
 * from the distribution's fixed paths and needed only by books that use them: Droid Sans Fallback
 * (fonts-droid-fallback: Chinese, Japanese, Korean; 4 MB, where Noto Sans CJK's collection is 19 MB to read and
 * parse, which kept a 150,000-word export above 150 MB of memory) and Symbola (fonts-symbola: emoji, in one colour).
 */
export const PDF_FONTS = {
  body: { file: fontFile.resolve('dejavu-fonts-ttf/ttf/DejaVuSerif.ttf'), package: 'dejavu-fonts-ttf' },
  heading: { file: fontFile.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'), package: 'dejavu-fonts-ttf' },
  cjk: { file: '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf', package: 'fonts-droid-fallback' },
  emoji: { file: '/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf', package: 'fonts-symbola' },
} as const;
export type PdfFontRole = keyof typeof PDF_FONTS;

/** The fonts this machine has (DejaVu always; a fallback only when its package is installed). */
export const availablePdfFonts = () => (Object.keys(PDF_FONTS) as PdfFontRole[]).filter((role) => existsSync(PDF_FONTS[role].file));

/**
 * The fallback fonts `texts` need that this machine lacks (the PDF writer refuses then: it would print empty boxes),
 * with what to say to the author.
 */
export function missingFallbacks(texts: Iterable<string>, exists: (file: string) => boolean = existsSync): { roles: PdfFontRole[]; message: string } | null {
  const needed = new Set<PdfFontRole>();
  for (const text of texts) {
    if (!NEEDS_FALLBACK.test(text)) continue;
    for (const run of fontRuns(text)) if (run.font !== 'base') needed.add(run.font);
  }
  const roles = [...needed].filter((role) => !exists(PDF_FONTS[role].file));
  if (roles.length === 0) return null;
  const what = roles.map((role) => (role === 'cjk' ? 'Chinese, Japanese or Korean text' : 'emoji')).join(' and ');
  const packages = roles.map((role) => PDF_FONTS[role].package).join(' and ');
  return {
    roles,
    message: `This book has ${what}, and this server lacks the font to print it in a PDF (its operator can install the Debian package ${packages}). Export it as DOCX, EPUB or Markdown meanwhile: they keep every character.`,
  };
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}\u3000-\u303F\uFF00-\uFFEF]/u;
// Pictographs, with the joiners and variation selectors that belong to an emoji sequence kept in its run.
const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200D|\uFE0F/u;
const NEEDS_FALLBACK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}\u3000-\u303F\uFF00-\uFFEF\p{Extended_Pictographic}]/u;

export interface FontRun {
  /** `base` is the role's own font (body or heading). */
  font: 'base' | 'cjk' | 'emoji';
  text: string;
}

/** Splits text into runs by the font that has its glyphs; most text is one `base` run (checked first, cheaply). */
export function fontRuns(text: string): FontRun[] {
  if (!NEEDS_FALLBACK.test(text)) return [{ font: 'base', text }];
  const runs: FontRun[] = [];
  for (const char of text) {
    const font: FontRun['font'] = CJK.test(char) ? 'cjk' : EMOJI.test(char) ? 'emoji' : 'base';
    const last = runs[runs.length - 1];
    if (last && last.font === font) last.text += char;
    else runs.push({ font, text: char });
  }
  return runs;
}
