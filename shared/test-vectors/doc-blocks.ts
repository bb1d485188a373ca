import type { Block } from '../blocks.js';
import type { PlannedParagraph } from '../doc-plan.js';

const src = [{ questionId: 'q_01JTESTVECTOR0000000000000', answerVersion: 1 }];

/**
 * Shared test vectors: chapters whose text stresses UTF-16 indexing (emoji and other astral characters,
 * CJK, combining marks, U+202F) with every block type. Both writers must produce `expected` from them.
 */
export const DOC_BLOCK_VECTORS: Array<{ name: string; title: string; blocks: Block[]; expected: PlannedParagraph[] }> = [
  {
    name: 'emoji, CJK, combining marks and narrow no-break spaces',
    title: 'Chapitre 1\u202F: les débuts 🚀',
    blocks: [
      { type: 'paragraph', text: 'Family 👨‍👩‍👧 and flags 🇫🇷 count as several UTF-16 units.', sources: src, unsupported: false },
      { type: 'heading', level: 2, text: '日本語の見出し' },
      { type: 'paragraph', text: 'Cafe\u0301 and Zoë: combining marks (e\u0301) stay as written; « guillemets\u202F».', sources: src, unsupported: false },
      { type: 'list', ordered: false, items: ['𝔘𝔫𝔦𝔠𝔬𝔡𝔢 item', '中文条目', 'last item 😀'], sources: src, unsupported: false },
      { type: 'quote', text: '“Write what should not be forgotten.” — Isabel Allende', sources: [], unsupported: true },
      { type: 'heading', level: 3, text: 'Sous-partie\u202F3' },
      { type: 'list', ordered: true, items: ['Premier', 'Deuxième'], sources: src, unsupported: false },
    ],
    expected: [
      { text: 'Chapitre 1\u202F: les débuts 🚀', style: 'HEADING_1', bullet: null, quote: false },
      { text: 'Family 👨‍👩‍👧 and flags 🇫🇷 count as several UTF-16 units.', style: 'NORMAL_TEXT', bullet: null, quote: false },
      { text: '日本語の見出し', style: 'HEADING_2', bullet: null, quote: false },
      { text: 'Café and Zoë: combining marks (é) stay as written; « guillemets\u202F».', style: 'NORMAL_TEXT', bullet: null, quote: false },
      { text: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 item', style: 'NORMAL_TEXT', bullet: 'unordered', quote: false },
      { text: '中文条目', style: 'NORMAL_TEXT', bullet: 'unordered', quote: false },
      { text: 'last item 😀', style: 'NORMAL_TEXT', bullet: 'unordered', quote: false },
      { text: '“Write what should not be forgotten.” — Isabel Allende', style: 'NORMAL_TEXT', bullet: null, quote: true },
      { text: 'Sous-partie\u202F3', style: 'HEADING_3', bullet: null, quote: false },
      { text: 'Premier', style: 'NORMAL_TEXT', bullet: 'ordered', quote: false },
      { text: 'Deuxième', style: 'NORMAL_TEXT', bullet: 'ordered', quote: false },
    ],
  },
  {
    name: 'control characters and raw newlines are cleaned',
    title: 'Line\nbreak\u0007 title',
    blocks: [{ type: 'paragraph', text: 'One\r\ntwo\u000Bthree\uE000', sources: src, unsupported: false }],
    expected: [
      { text: 'Line break title', style: 'HEADING_1', bullet: null, quote: false },
      { text: 'One two three', style: 'NORMAL_TEXT', bullet: null, quote: false },
    ],
  },
];
