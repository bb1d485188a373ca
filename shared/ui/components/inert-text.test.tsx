import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { planChapter } from '../../doc-plan.js';
import { ConflictChooser } from './ConflictChooser.js';
import { DocPreviewView } from './DocPreviewView.js';
import { DraftBlocks } from './DraftBlocks.js';

// Author text is always rendered as text: markup in a title, an answer or a draft never becomes elements.
const PAYLOAD = '<img src=x onerror="alert(1)">';

describe('author text renders inert', () => {
  it('in the document preview, drafts and conflicts', () => {
    const blocks = [
      { type: 'heading' as const, level: 2 as const, text: PAYLOAD },
      { type: 'paragraph' as const, text: PAYLOAD, sources: [{ questionId: 'q_1', answerVersion: 1 }], unsupported: false },
      { type: 'list' as const, ordered: false, items: [PAYLOAD], sources: [], unsupported: true },
    ];
    const html = [
      renderToStaticMarkup(<DocPreviewView preview={{ chapters: [{ chapterId: 'ch_1', paragraphs: planChapter(PAYLOAD, blocks) }] }} />),
      renderToStaticMarkup(<DraftBlocks blocks={blocks} questionText={new Map([['q_1', PAYLOAD]])} />),
      renderToStaticMarkup(<ConflictChooser mine={PAYLOAD} theirs={PAYLOAD} onChoose={() => undefined} />),
    ].join('');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
  });
});
