// In-memory Document: cursor and selection, ranges, named ranges that follow their content (a range whose
// elements were all removed disappears, as in Docs), and a DocumentApp with its enums and a recording Ui.
import type {
  GasDocument, GasDocumentApp, GasElement, GasHtmlOutput, GasMenu, GasNamedRange, GasPosition, GasRange, GasRangeBuilder,
  GasRangeElement, GasText, GasUi,
} from '../src/apps-script-slices.js';
import {
  ElementType, FakeBody, FakeElement, FakeListItem, FakeParagraphBase, FakeScriptError, FakeText, GlyphType, ParagraphHeading,
} from './fake-elements.js';

export class FakePosition implements GasPosition {
  constructor(readonly element: FakeElement, readonly offset: number) {}
  getElement() {
    return this.element;
  }
  getOffset() {
    return this.offset;
  }
}

class FakeRangeElement implements GasRangeElement {
  constructor(readonly element: FakeElement, readonly start: number, readonly endInclusive: number, readonly partial: boolean) {}
  getElement() {
    return this.element;
  }
  isPartial() {
    return this.partial;
  }
  getStartOffset() {
    return this.partial ? this.start : -1;
  }
  getEndOffsetInclusive() {
    return this.partial ? this.endInclusive : -1;
  }
}

export class FakeRange implements GasRange {
  constructor(private readonly elements: FakeRangeElement[]) {}
  /** Elements still in the document; a partial text element shrinks with its text. */
  getRangeElements(): GasRangeElement[] {
    return this.elements.flatMap((e) => {
      if (!e.element.body()) return [];
      if (!e.partial) return [e];
      const length = (e.element as FakeText).text.length;
      if (e.start >= length) return [];
      return [new FakeRangeElement(e.element, e.start, Math.min(e.endInclusive, length - 1), true)];
    });
  }
}

function topLevel(element: FakeElement): FakeElement {
  let current = element;
  while (current.parent && !(current.parent instanceof FakeBody)) current = current.parent;
  return current;
}

class FakeRangeBuilder implements GasRangeBuilder {
  private readonly elements: FakeRangeElement[] = [];
  constructor(private readonly body: FakeBody) {}
  private attached(element: GasElement): FakeElement {
    if (!(element instanceof FakeElement) || element.body() !== this.body) throw new FakeScriptError('Element must be part of the document.');
    return element;
  }
  addElement(element: GasElement) {
    this.elements.push(new FakeRangeElement(this.attached(element), -1, -1, false));
    return this;
  }
  addElementsBetween(startText: GasText, startOffset: number, endTextInclusive: GasText, endOffsetInclusive: number) {
    const start = this.attached(startText);
    const end = this.attached(endTextInclusive);
    if (!(start instanceof FakeText) || !(end instanceof FakeText)) throw new FakeScriptError('Offsets need Text elements.');
    if (startOffset < 0 || startOffset >= Math.max(1, start.text.length) || endOffsetInclusive < 0 || endOffsetInclusive >= Math.max(1, end.text.length)) {
      throw new FakeScriptError('Offset out of range.');
    }
    const part = (text: FakeText, from: number, to: number) => new FakeRangeElement(text, from, to, !(from === 0 && to === text.text.length - 1));
    const first = this.body.getChildIndex(topLevel(start));
    const last = this.body.getChildIndex(topLevel(end));
    if (first > last || (first === last && startOffset > endOffsetInclusive)) throw new FakeScriptError('The start must come before the end.');
    if (first === last) return this.push(part(start, startOffset, endOffsetInclusive));
    this.push(part(start, startOffset, start.text.length - 1));
    for (let i = first + 1; i < last; i++) this.push(new FakeRangeElement(this.body.children[i]!, -1, -1, false));
    return this.push(part(end, 0, endOffsetInclusive));
  }
  private push(element: FakeRangeElement) {
    this.elements.push(element);
    return this;
  }
  build() {
    return new FakeRange([...this.elements]);
  }
}

let nextNamedRangeId = 1;

export class FakeNamedRange implements GasNamedRange {
  readonly id = `kix.nr${nextNamedRangeId++}`;
  removed = false;
  constructor(private readonly document: FakeDocument, readonly name: string, readonly range: FakeRange) {}
  getId() {
    return this.id;
  }
  getName() {
    return this.name;
  }
  getRange() {
    return this.range;
  }
  remove() {
    this.removed = true;
    this.document.namedRanges = this.document.namedRanges.filter((n) => n !== this);
  }
}

export class FakeDocument implements GasDocument {
  readonly body = new FakeBody();
  namedRanges: FakeNamedRange[] = [];
  cursor: FakePosition | null = null;
  selection: FakeRange | null = null;
  constructor(readonly id: string, public name: string) {
    // A new document has one empty paragraph.
    this.body.appendParagraph('');
  }
  getId() {
    return this.id;
  }
  getName() {
    return this.name;
  }
  getBody() {
    return this.body;
  }
  getCursor() {
    return this.cursor && this.cursor.element.body() ? this.cursor : null;
  }
  getSelection() {
    return this.selection && this.selection.getRangeElements().length > 0 ? this.selection : null;
  }
  setCursor(position: FakePosition) {
    this.cursor = position;
    this.selection = null;
    return this;
  }
  setSelection(range: FakeRange) {
    this.selection = range;
    this.cursor = null;
    return this;
  }
  newPosition(element: FakeElement, offset: number) {
    if (!element.body()) throw new FakeScriptError('Element must be part of the document.');
    return new FakePosition(element, offset);
  }
  newRange() {
    return new FakeRangeBuilder(this.body);
  }
  addNamedRange(name: string, range: GasRange) {
    if (name.length < 1 || name.length > 256) throw new FakeScriptError('Named range names must be 1 to 256 characters.');
    if (!(range instanceof FakeRange) || range.getRangeElements().length === 0) throw new FakeScriptError('Invalid range.');
    const named = new FakeNamedRange(this, name, range);
    this.namedRanges.push(named);
    return named;
  }
  /** Named ranges (of a name), in creation order; ranges whose content is gone no longer exist. */
  getNamedRanges(name?: string) {
    this.namedRanges = this.namedRanges.filter((n) => n.range.getRangeElements().length > 0);
    return this.namedRanges.filter((n) => name === undefined || n.name === name);
  }
}

/** What the add-on did to the editor's UI: menus added and sidebars shown. */
export interface UiRecord {
  menus: Array<{ items: Array<{ caption: string; functionName: string } | 'separator'> }>;
  sidebars: Array<{ title: string | null; file: string }>;
  alerts: string[];
}

/** The HtmlOutput HtmlService returns, recording its file and title. */
export class FakeHtmlOutput implements GasHtmlOutput {
  title: string | null = null;
  constructor(readonly file: string, readonly content: string) {}
  setTitle(title: string) {
    this.title = title;
    return this;
  }
}

function fakeUi(record: UiRecord): GasUi {
  return {
    createAddonMenu(): GasMenu {
      const items: UiRecord['menus'][number]['items'] = [];
      const menu: GasMenu = {
        addItem: (caption, functionName) => (items.push({ caption, functionName }), menu),
        addSeparator: () => (items.push('separator'), menu),
        addToUi: () => void record.menus.push({ items }),
      };
      return menu;
    },
    showSidebar(html) {
      if (!(html instanceof FakeHtmlOutput)) throw new FakeScriptError('showSidebar needs an HtmlOutput.');
      record.sidebars.push({ title: html.title, file: html.file });
    },
    alert(prompt) {
      record.alerts.push(prompt);
      return 'OK';
    },
  };
}

/** A DocumentApp over one in-memory document, with the real enums' names and a Ui that records what it shows. */
export function createFakeDocumentApp(document = new FakeDocument('doc-1', 'Untitled document')) {
  const ui: UiRecord = { menus: [], sidebars: [], alerts: [] };
  const app: GasDocumentApp = {
    getActiveDocument: () => document,
    getUi: () => fakeUi(ui),
    ParagraphHeading,
    GlyphType,
    ElementType,
  };
  return { app, document, ui };
}

export { FakeBody, FakeListItem, FakeParagraphBase, FakeText };
