// In-memory model of the DocumentApp element tree the add-on uses: Body, Paragraph (with heading and indents),
// ListItem (with glyph, nesting and list id) and Text (with the attributes the writer sets). Enums are objects
// compared by identity, as in Apps Script, so code comparing with string literals fails here too.
import type {
  ElementName, GasBody, GasElement, GasEnum, GasListItem, GasParagraphLike, GasText, GlyphName, HeadingName,
} from '../src/apps-script-slices.js';

function enumOf<N extends string>(names: readonly N[]): Record<N, GasEnum> {
  return Object.freeze(Object.fromEntries(names.map((name) => [name, Object.freeze({ toString: () => name, toJSON: () => name })]))) as unknown as Record<N, GasEnum>;
}

export const ElementType = enumOf<ElementName>(['BODY_SECTION', 'PARAGRAPH', 'LIST_ITEM', 'TEXT', 'TABLE', 'TABLE_ROW', 'TABLE_CELL', 'HEADER_SECTION', 'FOOTER_SECTION', 'UNSUPPORTED']);
export const ParagraphHeading = enumOf<HeadingName>(['NORMAL', 'HEADING1', 'HEADING2', 'HEADING3', 'HEADING4', 'HEADING5', 'HEADING6', 'TITLE', 'SUBTITLE']);
export const GlyphType = enumOf<GlyphName>(['BULLET', 'HOLLOW_BULLET', 'SQUARE_BULLET', 'NUMBER', 'LATIN_UPPER', 'LATIN_LOWER', 'ROMAN_UPPER', 'ROMAN_LOWER']);

/** The error Apps Script throws, with its message. */
export class FakeScriptError extends Error {
  override name = 'Exception';
}

function member(values: Record<string, GasEnum>, value: GasEnum, what: string): GasEnum {
  if (!Object.values(values).includes(value)) throw new FakeScriptError(`Invalid argument: ${what}`);
  return value;
}

export abstract class FakeElement implements GasElement {
  parent: FakeContainer | null = null;
  abstract getType(): GasEnum;
  getParent(): FakeContainer | null {
    return this.parent;
  }
  asText(): GasText {
    if (!(this instanceof FakeText)) throw new FakeScriptError(`Cannot convert ${String(this.getType())} to Text.`);
    return this;
  }
  asParagraph(): GasParagraphLike {
    if (!(this instanceof FakeParagraph)) throw new FakeScriptError(`Cannot convert ${String(this.getType())} to Paragraph.`);
    return this;
  }
  asListItem(): GasListItem {
    if (!(this instanceof FakeListItem)) throw new FakeScriptError(`Cannot convert ${String(this.getType())} to ListItem.`);
    return this;
  }
  removeFromParent(): GasElement {
    if (!this.parent) throw new FakeScriptError('Element has no parent.');
    this.parent.removeChild(this);
    return this;
  }
  /** The body this element is in, or null once removed. */
  body(): FakeBody | null {
    if (this instanceof FakeBody) return this;
    return this.parent ? this.parent.body() : null;
  }
}

export class FakeText extends FakeElement implements GasText {
  bold: boolean | null = null;
  italic: boolean | null = null;
  underline: boolean | null = null;
  strikethrough: boolean | null = null;
  linkUrl: string | null = null;
  constructor(public text: string) {
    super();
  }
  getType() {
    return ElementType.TEXT;
  }
  getText() {
    return this.text;
  }
  setText(text: string) {
    this.text = text;
    return this;
  }
  private whole(args: unknown[]) {
    // Only the whole-element form is modelled (the writer styles whole paragraphs).
    if (args.length !== 1) throw new FakeScriptError('The model supports only whole-text styling.');
  }
  setBold(...args: [boolean]) {
    this.whole(args);
    this.bold = args[0];
    return this;
  }
  setItalic(...args: [boolean]) {
    this.whole(args);
    this.italic = args[0];
    return this;
  }
  setUnderline(...args: [boolean]) {
    this.whole(args);
    this.underline = args[0];
    return this;
  }
  setStrikethrough(...args: [boolean]) {
    this.whole(args);
    this.strikethrough = args[0];
    return this;
  }
  setLinkUrl(...args: [string | null]) {
    this.whole(args);
    this.linkUrl = args[0];
    return this;
  }
  isItalic() {
    return this.italic;
  }
  deleteText(startOffset: number, endOffsetInclusive: number) {
    if (!Number.isInteger(startOffset) || startOffset < 0 || endOffsetInclusive < startOffset || endOffsetInclusive >= this.text.length) {
      throw new FakeScriptError('Offset out of range.');
    }
    this.text = this.text.slice(0, startOffset) + this.text.slice(endOffsetInclusive + 1);
    return this;
  }
  insertText(offset: number, text: string) {
    // An offset at the very end is refused here (whether Docs accepts it is not documented): the add-on appends there.
    if (!Number.isInteger(offset) || offset < 0 || (offset >= this.text.length && this.text.length > 0)) throw new FakeScriptError('Offset out of range.');
    this.text = this.text.slice(0, offset) + text + this.text.slice(offset);
    return this;
  }
  appendText(text: string) {
    this.text += text;
    return this;
  }
}

export abstract class FakeContainer extends FakeElement {
  children: FakeElement[] = [];
  getNumChildren() {
    return this.children.length;
  }
  getChild(childIndex: number): FakeElement {
    const child = this.children[childIndex];
    if (!child) throw new FakeScriptError(`Child index (${childIndex}) must be less than the number of child elements (${this.children.length}).`);
    return child;
  }
  getChildIndex(child: GasElement) {
    const index = this.children.indexOf(child as FakeElement);
    if (index < 0) throw new FakeScriptError('Element does not contain the specified child element.');
    return index;
  }
  abstract getText(): string;
  removeChild(child: FakeElement) {
    this.children.splice(this.getChildIndex(child), 1);
    child.parent = null;
  }
  protected adopt<T extends FakeElement>(index: number, child: T): T {
    if (!Number.isInteger(index) || index < 0 || index > this.children.length) {
      throw new FakeScriptError(`Child index (${index}) must not be greater than the number of child elements (${this.children.length}).`);
    }
    child.parent = this;
    this.children.splice(index, 0, child);
    return child;
  }
}

/** Paragraph and ListItem: a text run (at most one Text child in this model), heading and indents. */
export abstract class FakeParagraphBase extends FakeContainer implements GasParagraphLike {
  heading: GasEnum = ParagraphHeading.NORMAL;
  indentStart: number | null = null;
  indentFirstLine: number | null = null;
  constructor(text: string) {
    super();
    if (text) this.adopt(0, new FakeText(text));
  }
  getText() {
    return this.children.map((child) => (child instanceof FakeText ? child.text : '')).join('');
  }
  setText(text: string) {
    // Like Docs, the new text keeps the attributes of the text it replaces.
    const old = this.children.find((child): child is FakeText => child instanceof FakeText);
    for (const child of this.children) child.parent = null;
    this.children = [];
    if (text) Object.assign(this.adopt(0, new FakeText(text)), old ? { bold: old.bold, italic: old.italic, underline: old.underline, strikethrough: old.strikethrough, linkUrl: old.linkUrl } : {});
  }
  editAsText(): GasText {
    const text = this.children.find((child): child is FakeText => child instanceof FakeText);
    return text ?? this.adopt(0, new FakeText(''));
  }
  getHeading() {
    return this.heading;
  }
  setHeading(heading: GasEnum) {
    this.heading = member(ParagraphHeading, heading, 'heading');
    return this;
  }
  getIndentStart() {
    return this.indentStart;
  }
  setIndentStart(points: number) {
    this.indentStart = points;
    return this;
  }
  getIndentFirstLine() {
    return this.indentFirstLine;
  }
  setIndentFirstLine(points: number) {
    this.indentFirstLine = points;
    return this;
  }
}

export class FakeParagraph extends FakeParagraphBase {
  getType() {
    return ElementType.PARAGRAPH;
  }
}

let nextListId = 1;

export class FakeListItem extends FakeParagraphBase implements GasListItem {
  glyph: GasEnum = GlyphType.BULLET;
  nestingLevel = 0;
  // appendListItem/insertListItem may start a new list: only setListId joins an existing one.
  listId = `kix.list${nextListId++}`;
  getType() {
    return ElementType.LIST_ITEM;
  }
  getGlyphType() {
    return this.glyph;
  }
  setGlyphType(glyph: GasEnum) {
    this.glyph = member(GlyphType, glyph, 'glyph type');
    return this;
  }
  getNestingLevel() {
    return this.nestingLevel;
  }
  setNestingLevel(level: number) {
    if (!Number.isInteger(level) || level < 0 || level > 8) throw new FakeScriptError('Invalid nesting level.');
    this.nestingLevel = level;
    return this;
  }
  getListId() {
    return this.listId;
  }
  setListId(listItem: GasListItem) {
    this.listId = listItem.getListId();
    return this;
  }
}

export class FakeBody extends FakeContainer implements GasBody {
  getType() {
    return ElementType.BODY_SECTION;
  }
  override getParent() {
    return null;
  }
  getText() {
    return this.children.map((child) => (child as FakeParagraphBase).getText()).join('\n');
  }
  getParagraphs() {
    return this.children.filter((child): child is FakeParagraphBase => child instanceof FakeParagraphBase);
  }
  insertParagraph(childIndex: number, text: string) {
    return this.adopt(childIndex, new FakeParagraph(text));
  }
  insertListItem(childIndex: number, text: string) {
    return this.adopt(childIndex, new FakeListItem(text));
  }
  appendParagraph(text: string) {
    return this.adopt(this.children.length, new FakeParagraph(text));
  }
  appendListItem(text: string) {
    return this.adopt(this.children.length, new FakeListItem(text));
  }
  override removeChild(child: FakeElement) {
    if (this.children[this.children.length - 1] === child) throw new FakeScriptError("Can't remove the last paragraph in a document section.");
    super.removeChild(child);
  }
}
