import nlp from 'compromise';

/**
 * Language analysis for template mode (no AI model), on compromise (English part-of-speech tagging): sentences,
 * noun phrases and a keyword ranking. Titles made from it are whole noun phrases, never cut sentences.
 */

/** The longest title template mode proposes, in words. */
export const MAX_TITLE_WORDS = 8;
const MAX_TITLE_CHARS = 70;

// Noun phrases: up to two modifiers and up to three nouns, optionally "… of …" (the grief of losing patients).
const NOUN_PHRASE = '(#Adjective|#Hyphenated|#Possessive){0,2} #Noun{1,3}';
const OF_PHRASE = `${NOUN_PHRASE} of (#Determiner|#Possessive)? (#Adjective|#Gerund){0,2} (#Noun|#Gerund){1,2}`;
// Words that name the book's own machinery or say nothing on their own; they never make a title.
const GENERIC = new Set([
  'answer', 'answers', 'author', 'authors', 'book', 'books', 'chapter', 'chapters', 'question', 'questions', 'reader',
  'readers', 'thing', 'things', 'way', 'ways', 'part', 'parts', 'lot', 'kind', 'sort', 'bit', 'one', 'nobody', 'somebody',
  'someone', 'everyone', 'everybody', 'anyone', 'something', 'anything', 'everything', 'nothing', 'other', 'others',
  'people', 'person', 'time', 'times', 'today', 'page', 'pages', 'story', 'stories', 'example', 'examples', 'end', 'start',
]);

const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
const normalise = (text: string) => text.normalize('NFC').toLocaleLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
const wordCount = (text: string) => text.split(/\s+/u).filter(Boolean).length;

/** Whether a normalised sentence names `head` (singular) as a whole word, singular or plural. */
function mentionsHead(sentenceKey: string, head: string): boolean {
  const padded = ` ${sentenceKey} `;
  return [head, `${head}s`, `${head}es`].some((form) => padded.includes(` ${form} `));
}

/** The sentences of a text (compromise's tokenizer: English sentence rules, which also split on !, ? and CJK stops). */
export function splitSentences(text: string): string[] {
  // Tokenizing without tagging is several times faster than a full parse, and splits sentences the same way.
  return (nlp.tokenize(text.replace(/\s+/gu, ' ').trim()).json() as Array<{ text: string }>)
    .flatMap(({ text: sentence }) => sentence.split(/(?<=[。！？])/u))
    .map((sentence) => sentence.trim())
    .filter(Boolean);
}

/** A key phrase: its surface text, how it is matched (its head noun), and where it first appears. */
export interface KeyPhrase {
  title: string;
  head: string;
  score: number;
  firstSeen: number;
  sentence: string;
}

// compromise's own noun inflection (nlp.methods() is its documented door to it): tagging already happened in context,
// so only the word is turned singular here, without another parse.
const inflect = (nlp.methods() as { two: { transform: { noun: { toSingular(word: string, model: object): string } } } }).two.transform.noun;
const singularOf = (word: string) => inflect.toSingular(word, nlp.model());

/** A candidate phrase; `modified` when an adjective, a hyphenated word or "of …" makes it more specific. */
type Candidate = { text: string; head: string; modified: boolean; sentence: number };
type TermJson = { text: string; normal?: string; tags?: string[]; index?: [number, number] };
const MODIFIER_TAGS = ['Adjective', 'Hyphenated', 'Possessive'];

/**
 * The noun phrases of one parsed text, each with the number of its sentence. The whole text is matched at once and
 * read back as plain JSON: matching sentence by sentence, or walking views, costs tens of times more.
 */
function candidatesOf(doc: ReturnType<typeof nlp>): Candidate[] {
  const clauses = doc.splitAfter('@hasComma');
  const found: Candidate[] = [];
  const read = (matches: { json(options: object): unknown }, ofPhrase: boolean) => {
    for (const match of matches.json({ terms: { tags: true, normal: true } }) as Array<{ text: string; terms: TermJson[] }>) {
      const nouns = match.terms.filter((term) => term.tags?.includes('Noun'));
      const headTerm = ofPhrase ? nouns[0] : nouns.at(-1);
      const text = match.text.replace(EDGE_PUNCTUATION, '').replace(/\s+/gu, ' ');
      if (!headTerm || !text || headTerm.tags?.some((tag) => tag === 'Gerund' || tag === 'Pronoun')) continue;
      const word = normalise(headTerm.normal ?? headTerm.text);
      const head = headTerm.tags?.includes('Plural') ? singularOf(word) : word;
      // Noun-noun runs get no specificity bonus: they are where the tagger errs ("every shift feels like…").
      const modified = ofPhrase || match.terms.some((term) => term.tags?.some((tag) => MODIFIER_TAGS.includes(tag)));
      if (head && !GENERIC.has(head) && !GENERIC.has(normalise(text))) found.push({ text, head, modified, sentence: match.terms[0]?.index?.[0] ?? 0 });
    }
  };
  // Inside "… of …" a determiner belongs to the phrase; in a plain noun phrase it and pronouns are dropped.
  read(clauses.match(OF_PHRASE), true);
  read(clauses.match(NOUN_PHRASE).not('(#Pronoun|#Determiner|#Preposition)'), false);
  // Reading order, "… of …" phrases first within a sentence (a stable sort keeps the order they were found in).
  return found.sort((a, b) => a.sentence - b.sentence);
}

/**
 * Noun phrases of `texts` ranked as keywords: a phrase scores by how many sentences mention its head noun (how
 * central the idea is), with a bonus for material in the first text (the summary) and for several-word phrases made
 * specific by an adjective, a hyphenated word or "of …". One phrase per head; none longer than MAX_TITLE_WORDS, none
 * that is a whole sentence.
 */
export function rankKeyPhrases(texts: string[]): KeyPhrase[] {
  const parsed = texts.map((text) => {
    const doc = nlp(text.replace(/\s+/gu, ' ').trim());
    return { sentences: doc.sentences().out('array') as string[], candidates: candidatesOf(doc) };
  });
  const allKeys = parsed.flatMap((p) => p.sentences).map(normalise);
  const sentenceKeys = new Set(allKeys);
  const mentionsOf = new Map<string, number>();
  const byHead = new Map<string, KeyPhrase>();
  let offset = 0;
  parsed.forEach(({ sentences, candidates }, textIndex) => {
    for (const { text, head, modified, sentence } of candidates) {
      const words = wordCount(text);
      if (words > MAX_TITLE_WORDS || text.length > MAX_TITLE_CHARS || sentenceKeys.has(normalise(text))) continue;
      let mentions = mentionsOf.get(head);
      if (mentions === undefined) mentionsOf.set(head, (mentions = allKeys.filter((key) => mentionsHead(key, head)).length));
      const score = mentions + (textIndex === 0 ? 1 : 0) + (modified ? Math.min(words - 1, 2) * 0.5 : 0);
      const known = byHead.get(head);
      const where = sentences[sentence] ?? text;
      if (!known) byHead.set(head, { title: text, head, score, firstSeen: offset + sentence, sentence: where });
      else if (score > known.score) Object.assign(known, { title: text, score, sentence: where });
    }
    offset += sentences.length;
  });
  return [...byHead.values()].sort((a, b) => b.score - a.score || a.firstSeen - b.firstSeen);
}

/**
 * For books in other languages (compromise tags English only): the words that recur most, as one-word key phrases.
 * A word counts once per sentence; words shorter than five letters (mostly grammar words) are left out.
 */
export function rankRecurringWords(texts: string[]): KeyPhrase[] {
  const sentences = texts.flatMap(splitSentences);
  const sentenceKeys = new Set(sentences.map(normalise));
  const byWord = new Map<string, KeyPhrase>();
  sentences.forEach((sentence, position) => {
    for (const word of new Set(sentence.match(/\p{L}{5,}/gu) ?? [])) {
      const head = normalise(word);
      if (word.length > MAX_TITLE_CHARS || sentenceKeys.has(head)) continue;
      const known = byWord.get(head);
      if (known) known.score += 1;
      else byWord.set(head, { title: word, head, score: 1, firstSeen: position, sentence });
    }
  });
  return [...byWord.values()].sort((a, b) => b.score - a.score || a.firstSeen - b.firstSeen);
}

/** The first letter upper-cased, the rest as the author wrote it (names keep their capitals). */
export function asTitle(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** The key noun phrase of a passage as a heading, or null when it has none (never a cut sentence). */
export function headingFor(text: string, taken: Iterable<string>): string | null {
  const used = new Set([...taken].map(normalise));
  const best = rankKeyPhrases([text]).find((phrase) => !used.has(normalise(phrase.title)));
  return best ? asTitle(best.title) : null;
}

/** Text reduced for comparing (case, punctuation and spacing ignored). */
export const comparable = normalise;
