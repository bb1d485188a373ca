// The slice of the Apps Script API the add-on uses, typed structurally. The real services satisfy it at run time
// and the in-memory model in addon/test-support implements it, so the same modules run against both.

/** An Apps Script enum member: compare by identity with the service's enum; `String(member)` gives its name. */
export interface GasEnum {
  toString(): string;
}

export type HeadingName = 'NORMAL' | 'HEADING1' | 'HEADING2' | 'HEADING3' | 'HEADING4' | 'HEADING5' | 'HEADING6' | 'TITLE' | 'SUBTITLE';
export type GlyphName = 'BULLET' | 'HOLLOW_BULLET' | 'SQUARE_BULLET' | 'NUMBER' | 'LATIN_UPPER' | 'LATIN_LOWER' | 'ROMAN_UPPER' | 'ROMAN_LOWER';
export type ElementName = 'BODY_SECTION' | 'PARAGRAPH' | 'LIST_ITEM' | 'TEXT' | 'TABLE' | 'TABLE_ROW' | 'TABLE_CELL' | 'HEADER_SECTION' | 'FOOTER_SECTION' | 'UNSUPPORTED';

export interface GasElement {
  getType(): GasEnum;
  getParent(): GasContainer | null;
  asText(): GasText;
  asParagraph(): GasParagraph;
  asListItem(): GasListItem;
  removeFromParent(): GasElement;
}

export interface GasContainer extends GasElement {
  getNumChildren(): number;
  getChild(childIndex: number): GasElement;
  getChildIndex(child: GasElement): number;
  getText(): string;
}

export interface GasText extends GasElement {
  getText(): string;
  setText(text: string): GasText;
  setBold(bold: boolean): GasText;
  setItalic(italic: boolean): GasText;
  setUnderline(underline: boolean): GasText;
  setStrikethrough(strikethrough: boolean): GasText;
  setLinkUrl(url: string | null): GasText;
  isItalic(): boolean | null;
}

/** Paragraph and ListItem share these. */
export interface GasParagraphLike extends GasContainer {
  setText(text: string): void;
  editAsText(): GasText;
  getHeading(): GasEnum;
  setHeading(heading: GasEnum): GasParagraphLike;
  getIndentStart(): number | null;
  setIndentStart(points: number): GasParagraphLike;
  getIndentFirstLine(): number | null;
  setIndentFirstLine(points: number): GasParagraphLike;
}

export type GasParagraph = GasParagraphLike;

export interface GasListItem extends GasParagraphLike {
  getGlyphType(): GasEnum;
  setGlyphType(glyph: GasEnum): GasListItem;
  getNestingLevel(): number;
  setNestingLevel(level: number): GasListItem;
  getListId(): string;
  setListId(listItem: GasListItem): GasListItem;
}

export interface GasBody extends GasContainer {
  insertParagraph(childIndex: number, text: string): GasParagraph;
  insertListItem(childIndex: number, text: string): GasListItem;
  appendParagraph(text: string): GasParagraph;
  appendListItem(text: string): GasListItem;
  /** Every paragraph of the section, list items (and table cells' paragraphs) included. */
  getParagraphs(): GasParagraphLike[];
}

export interface GasPosition {
  getElement(): GasElement;
  getOffset(): number;
}

export interface GasRangeElement {
  getElement(): GasElement;
  isPartial(): boolean;
  getStartOffset(): number;
  getEndOffsetInclusive(): number;
}

export interface GasRange {
  getRangeElements(): GasRangeElement[];
}

export interface GasRangeBuilder {
  addElement(element: GasElement): GasRangeBuilder;
  addElementsBetween(startText: GasText, startOffset: number, endTextInclusive: GasText, endOffsetInclusive: number): GasRangeBuilder;
  build(): GasRange;
}

export interface GasNamedRange {
  getId(): string;
  getName(): string;
  getRange(): GasRange;
  remove(): void;
}

export interface GasDocument {
  getId(): string;
  getName(): string;
  getBody(): GasBody;
  getCursor(): GasPosition | null;
  getSelection(): GasRange | null;
  newRange(): GasRangeBuilder;
  addNamedRange(name: string, range: GasRange): GasNamedRange;
  getNamedRanges(name?: string): GasNamedRange[];
}

export interface GasMenu {
  addItem(caption: string, functionName: string): GasMenu;
  addSeparator(): GasMenu;
  addToUi(): void;
}

export interface GasHtmlOutput {
  setTitle(title: string): GasHtmlOutput;
}

export interface GasUi {
  createAddonMenu(): GasMenu;
  showSidebar(html: GasHtmlOutput): void;
  alert(prompt: string): unknown;
}

/** `DocumentApp`: the document of the editor the add-on runs in, its UI and the enums. */
export interface GasDocumentApp {
  getActiveDocument(): GasDocument;
  getUi(): GasUi;
  ParagraphHeading: Record<HeadingName, GasEnum>;
  GlyphType: Record<GlyphName, GasEnum>;
  ElementType: Record<ElementName, GasEnum>;
}

export interface GasProperties {
  getProperties(): Record<string, string>;
  getProperty(key: string): string | null;
  setProperty(key: string, value: string): GasProperties;
  deleteProperty(key: string): GasProperties;
}

export interface GasPropertiesService {
  getUserProperties(): GasProperties;
  /** Shared by every user of the add-on in this document (null outside a document). */
  getDocumentProperties(): GasProperties | null;
}

export interface GasScriptApp {
  AuthMode: Record<'NONE' | 'LIMITED' | 'CUSTOM_FUNCTION' | 'FULL', GasEnum>;
  getIdentityToken(): string | null;
}

export interface GasHtmlService {
  createHtmlOutputFromFile(filename: string): GasHtmlOutput;
}

export interface GasHttpResponse {
  getResponseCode(): number;
  getContentText(): string;
}

export interface GasUrlFetchApp {
  fetch(
    url: string,
    params: { method: 'get' | 'post'; contentType?: string; payload?: string; headers?: Record<string, string>; muteHttpExceptions: boolean },
  ): GasHttpResponse;
}

/** The Apps Script globals the add-on reads, looked up at call time (tests put stand-ins on the global object). */
export interface AppsScriptGlobals {
  DocumentApp: GasDocumentApp;
  ScriptApp: GasScriptApp;
  PropertiesService: GasPropertiesService;
  HtmlService: GasHtmlService;
  UrlFetchApp: GasUrlFetchApp;
}

/** The event simple triggers receive (`onOpen(e)`, `onInstall(e)`). */
export interface GasTriggerEvent {
  authMode?: GasEnum;
}
