/**
 * Word and character counting shared by server and clients, so both always agree.
 * A word is a run of letters/digits (inner apostrophes and hyphens allowed); each CJK ideograph or kana is
 * one word; characters are Unicode code points after NFC and trimming. No Intl.Segmenter (its data differs
 * between runtimes) and no whitespace splitting (a CJK text would be one word).
 */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const INNER_JOINER = /['\u2019\u002D\u2010\u2011]/u;

/** Number of Unicode code points in the NFC-normalised, trimmed text. */
export function countCharacters(text: string): number {
  let count = 0;
  for (const _ of text.normalize('NFC').trim()) count++;
  return count;
}

/** Number of words by the shared rule above. */
export function countWords(text: string): number {
  const chars = Array.from(text.normalize('NFC'));
  let words = 0;
  let inWord = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (CJK.test(c)) {
      words++;
      inWord = false;
    } else if (WORD_CHAR.test(c)) {
      if (!inWord) words++;
      inWord = true;
    } else if (!(inWord && INNER_JOINER.test(c) && isPlainWordChar(chars[i + 1]))) {
      inWord = false;
    }
  }
  return words;
}

function isPlainWordChar(c: string | undefined): boolean {
  return c !== undefined && WORD_CHAR.test(c) && !CJK.test(c);
}
