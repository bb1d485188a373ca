import { LENSES } from '../../../../shared/schemas/authoring.js';

type Lens = (typeof LENSES)[number];
interface Template {
  text: string;
  helpText: string;
  suggestedWords: number;
}

// {t} is the chapter's title; {d} its purpose. Every lens has several templates so regeneration can vary.
const TEMPLATES: Record<Lens, Template[]> = {
  reader: [
    { text: 'What does your reader already believe about "{t}" before reading this chapter?', helpText: 'Describe the starting point, including misconceptions.', suggestedWords: 120 },
    { text: 'Which question will your reader bring to "{t}", in their own words?', helpText: 'Write it the way they would ask it.', suggestedWords: 80 },
    { text: 'What should your reader feel or decide at the end of "{t}"?', helpText: 'One concrete change in them is enough.', suggestedWords: 100 },
  ],
  sceptic: [
    { text: 'What is the strongest objection to the main point of "{t}", and how do you answer it?', helpText: 'State the objection fairly before you answer it.', suggestedWords: 180 },
    { text: 'Where could the advice in "{t}" go wrong, and for whom?', helpText: 'Limits and exceptions make the chapter credible.', suggestedWords: 150 },
    { text: 'What evidence would convince a doubtful reader of the claim in "{t}"?', helpText: 'Data, sources, results or a case that proves it.', suggestedWords: 150 },
  ],
  practitioner: [
    { text: 'Tell one concrete story or example that shows "{t}" in practice.', helpText: 'Who, where, what happened, what changed. Details make it real.', suggestedWords: 250 },
    { text: 'What steps would a reader take right after finishing "{t}"?', helpText: 'A short numbered list works well.', suggestedWords: 150 },
    { text: 'Which mistakes do people make most often with "{t}", and how do they avoid them?', helpText: 'Two or three common mistakes, each with its fix.', suggestedWords: 180 },
  ],
  editor: [
    { text: 'What is the one sentence "{t}" must leave the reader with?', helpText: 'If the reader forgets everything else, this remains.', suggestedWords: 40 },
    { text: 'How does "{t}" connect to the chapters before and after it?', helpText: 'What it builds on, and what it sets up.', suggestedWords: 100 },
    { text: 'What could be cut from "{t}" without losing its point?', helpText: 'Naming the non-essential keeps the chapter tight.', suggestedWords: 80 },
  ],
};

/** Deterministic chapter questions: lenses in rotation, skipping any text listed in `keep`. */
export function offlineChapterQuestions(input: {
  chapter: { title: string; description: string | null };
  keep: string[];
  count: number;
  lens: Lens | null;
  variant: number;
}) {
  // The whole title (at most 300 characters) fits every template within a question's 600; it is never cut.
  const title = input.chapter.title.trim();
  const keep = new Set(input.keep);
  const lenses = input.lens ? [input.lens] : [...LENSES];
  const candidates = [0, 1, 2].flatMap((round) => lenses.map((lens) => ({ lens, template: TEMPLATES[lens][(round + input.variant) % 3]! })));
  const out: Array<Template & { lens: Lens; helpText: string }> = [];
  for (const { lens, template } of candidates) {
    const text = template.text.replace('{t}', title);
    if (keep.has(text) || out.some((q) => q.text === text)) continue;
    out.push({ text, helpText: template.helpText, lens, suggestedWords: template.suggestedWords });
    if (out.length === input.count) break;
  }
  // Beyond the templates, ask for further examples rather than repeating one.
  for (let i = 1; out.length < input.count; i++) {
    out.push({ text: `Add example ${i} for "${title}": a moment, case or number that supports it.`, helpText: 'Short and specific.', lens: 'practitioner' as const, suggestedWords: 120 });
  }
  return out;
}
