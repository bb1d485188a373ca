/**
 * Long English material for template mode (a book summary or an answer near its 20,000-character limit): varied
 * sentences, so compromise's tagger and the key-phrase ranking do the work a real author's text makes them do.
 * Deterministic for a given `seed`; the seed also appears in the text, so two seeds never share a cache entry.
 */
const PEOPLE = ['Ana', 'Marcus', 'the night nurse', 'a new ward manager', 'the finance officer', 'Dr Okafor', 'the matron', 'a junior doctor'];
const THINGS = [
  'the weekly rota', 'difficult conversations with families', 'the ward budget', 'the grief of losing patients', 'staff shortages',
  'handover notes', 'the quality of patient care', 'a team that trusts each other', 'sickness absence', 'the first month in charge',
  'bed management meetings', 'the infection control audit', 'training plans for new starters', 'complaints from relatives',
];
const PLACES = ['on the 28-bed ward', 'in the staff room', 'at the bedside', 'in the hospital corridor', 'during the night shift', 'in Leeds'];
const VERBS = ['struggled with', 'learned to plan', 'talked openly about', 'rebuilt', 'wrote down', 'argued about', 'kept a close eye on'];
const CLOSINGS = [
  'and nobody had taught her how to do it.', 'which changed how the whole team worked.', 'because the old way had failed twice.',
  'so that every shift started calmly.', 'even when the ward was short of staff for months.', 'by 2019, after 34 years in nursing.',
];

/** A small deterministic random source (mulberry32) seeded from the text of `seed`. */
function randomFrom(seed: string): () => number {
  let state = [...seed].reduce((hash, char) => Math.imul(hash ^ char.charCodeAt(0), 16_777_619), 2_166_136_261);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** At most `chars` characters of such sentences (just the opening one when `chars` is smaller). */
export function longMaterial(chars: number, seed = 'a'): string {
  const random = randomFrom(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const sentences: string[] = [`This book (${seed}) follows one ward through a year of change.`];
  let length = sentences[0]!.length;
  for (;;) {
    const sentence = `${random() < 0.3 ? 'Later, ' : ''}${pick(PEOPLE)} ${pick(VERBS)} ${pick(THINGS)} ${pick(PLACES)}, ${pick(CLOSINGS)}`;
    const text = sentence.charAt(0).toUpperCase() + sentence.slice(1);
    if (length + 1 + text.length > chars) break;
    sentences.push(text);
    length += 1 + text.length;
  }
  return sentences.join(' ');
}
