import { existsSync } from 'node:fs';

/**
 * The fonts the PDF embeds (subset to the glyphs used), from Debian's font packages that `.ci/run` installs:
 * DejaVu (fonts-dejavu-core: Latin, Greek, Cyrillic and many symbols), Droid Sans Fallback (fonts-droid-fallback:
 * Chinese, Japanese, Korean; 4 MB, where Noto Sans CJK's collection is 19 MB to read and parse, which kept a
 * 150,000-word export above 150 MB of memory) and Symbola (fonts-symbola: emoji, in one colour). These are the
 * distribution's fixed paths.
 */
export const PDF_FONTS = {
  body: { file: '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf' },
  heading: { file: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf' },
  cjk: { file: '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf' },
  emoji: { file: '/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf' },
} as const;
export type PdfFontRole = keyof typeof PDF_FONTS;

/** The fonts missing on this machine (the PDF writer refuses to run without them: it would print empty boxes). */
export const missingPdfFonts = () => Object.values(PDF_FONTS).map((font) => font.file).filter((file) => !existsSync(file));

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
