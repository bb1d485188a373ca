import type { TocInput, TocOutput } from '../tasks/toc-task.js';
import { asTitle, comparable, rankKeyPhrases, rankRecurringWords } from './key-phrases.js';

/** Topic chapters template mode proposes at most, between the opening and closing chapters. */
const MAX_TOPIC_CHAPTERS = 8;
const MAX_DESCRIPTION_CHARS = 300;
const OPENING = 'Introduction';
const CLOSING = 'Putting it together';

const isEnglish = (language: string | null) => !language || /^(en\b|en[-_]|english)/iu.test(language.trim());

/**
 * Template mode's TOC from the summary and the interview answers: one chapter per key idea (the highest-ranked
 * noun phrases, one per sentence, in the order the material first mentions them), between an opening and a closing
 * chapter. Titles are short noun phrases and never repeat; each description is the sentence the idea was taken from,
 * so the author sees why the chapter is there.
 */
export function offlineTocOutline(input: TocInput): TocOutput {
  const material = [input.brief.summary, ...input.interview.map((qa) => qa.answer)];
  const ranked = isEnglish(input.brief.language) ? rankKeyPhrases(material) : rankRecurringWords(material);
  const taken = new Set([comparable(OPENING), comparable(CLOSING)]);
  // One chapter per sentence of material: chapters stand on different ideas and never share a description.
  const usedSentences = new Set<string>();
  const topics = [];
  for (const phrase of ranked) {
    const key = comparable(phrase.title);
    const sentence = comparable(phrase.sentence);
    if (taken.has(key) || usedSentences.has(sentence)) continue;
    taken.add(key);
    usedSentences.add(sentence);
    topics.push(phrase);
    if (topics.length === MAX_TOPIC_CHAPTERS) break;
  }
  topics.sort((a, b) => a.firstSeen - b.firstSeen);
  const chapter = (title: string, description: string) => ({ ref: null, title, description, sections: [] });
  return {
    chapters: [
      chapter(OPENING, `Sets out the problem, the reader and the promise of "${input.brief.title}".`),
      ...topics.map((topic) =>
        chapter(asTitle(topic.title), topic.sentence.length <= MAX_DESCRIPTION_CHARS ? topic.sentence : `What the summary and the interview say about ${topic.title}.`),
      ),
      chapter(CLOSING, 'Draws the threads together and leaves the reader with next steps.'),
    ],
  };
}
