import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { DraftBlocks } from '../components/DraftBlocks.js';
import { writtenBlock, writtenChapter, writtenItems, writtenQuestion } from './written-items.js';

describe('items a job streams, read back for the panels', () => {
  it('reads streamed draft blocks as blocks without sources yet, and leaves out what is not one', () => {
    const streamed = [
      { type: 'heading', level: 3, text: 'Ask first', items: null },
      { type: 'paragraph', level: null, text: 'Maria listened.', items: null },
      { type: 'list', level: null, text: null, items: ['One', '', 'Two'] },
      { type: 'quote', level: null, text: 'What surprised you?', items: null },
      { type: 'paragraph', level: null, text: '   ', items: null },
      'not a block',
      null,
    ];
    expect(writtenItems(streamed, writtenBlock)).toEqual([
      { type: 'heading', level: 3, text: 'Ask first' },
      { type: 'paragraph', text: 'Maria listened.', sources: [], unsupported: false },
      { type: 'list', ordered: false, items: ['One', 'Two'], sources: [], unsupported: false },
      { type: 'quote', text: 'What surprised you?', sources: [], unsupported: false },
    ]);
  });

  it('reads questions and TOC chapters as the panels list them', () => {
    expect(writtenQuestion({ text: 'Who is it for?', helpText: null, lens: 'reader', suggestedWords: 60 })).toEqual({ text: 'Who is it for?', helpText: null, lens: 'reader' });
    expect(writtenQuestion({ helpText: 'x' })).toBeNull();
    expect(writtenChapter({ title: 'The first month', description: null, sections: ['Week one', 3] })).toEqual({ title: 'The first month', description: null, sections: ['Week one'] });
  });

  it('shows blocks being written as text, without the provenance a saved draft has', () => {
    const html = renderToStaticMarkup(<DraftBlocks blocks={writtenItems([{ type: 'paragraph', text: 'Maria listened.' }], writtenBlock)} questionText={new Map()} writing />);
    expect(html).toContain('Maria listened.');
    expect(html).not.toContain('Not backed');
    expect(html).not.toContain('role="button"');
  });
});
