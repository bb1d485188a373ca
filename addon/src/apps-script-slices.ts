/// <reference types="google-apps-script" />
// The slices of the real Apps Script interfaces (@types/google-apps-script) that the add-on uses. Each slice picks
// methods by name from the real interface, so a method Apps Script does not have fails `tsc`; a picked method whose
// result is itself an Apps Script object is narrowed to that object's slice, which is why the in-memory DocumentApp in
// addon/test-support can implement them. apps-script.ts hands the real globals over as these slices, so `tsc` also
// proves that the real services satisfy every narrowing.

/* eslint-disable @typescript-eslint/no-empty-object-type -- each slice is a named interface (not an alias of an
   intersection) so that it can extend several slices and refer to itself, and so errors name it */
import Doc = GoogleAppsScript.Document;

/**
 * The members `AsIs` of the Apps Script interface `Real` with their real signatures, plus the members `Narrowed`
 * declares with a narrower signature (results that are slices). `Narrowed` may only name members `Real` has.
 */
export type Slice<Real, AsIs extends keyof Real, Narrowed extends { [K in keyof Narrowed]: K extends keyof Real ? unknown : never } = object> =
  Pick<Real, Exclude<AsIs, keyof Narrowed>> & Narrowed;

/** An Apps Script enum member: compare by identity with the service's enum; `String(member)` gives its name. */
export interface GasEnum {
  toString(): string;
}

export type HeadingName = keyof typeof Doc.ParagraphHeading;
export type GlyphName = keyof typeof Doc.GlyphType;
export type ElementName = keyof typeof Doc.ElementType;

export interface GasElement extends Slice<Doc.Element, never, {
  getType(): GasEnum;
  getParent(): GasContainer | null;
  asText(): GasText;
  asParagraph(): GasParagraph;
  asListItem(): GasListItem;
  removeFromParent(): GasElement;
}> {}

export interface GasContainer extends GasElement, Slice<Doc.ContainerElement, 'getNumChildren' | 'getText', {
  getChild(childIndex: number): GasElement;
  getChildIndex(child: GasElement): number;
}> {}

export interface GasText extends GasElement, Slice<Doc.Text, 'getText', {
  /** Typed as a boolean in Apps Script's declarations, but null over text with mixed styles. */
  isItalic(): boolean | null;
  setText(text: string): GasText;
  setBold(bold: boolean): GasText;
  setItalic(italic: boolean): GasText;
  setUnderline(underline: boolean): GasText;
  setStrikethrough(strikethrough: boolean): GasText;
  setLinkUrl(url: string | null): GasText;
  deleteText(startOffset: number, endOffsetInclusive: number): GasText;
  insertText(offset: number, text: string): GasText;
  appendText(text: string): GasText;
}> {}

/** Paragraph and ListItem share these. */
export interface GasParagraphLike extends GasContainer, Slice<Doc.Paragraph, 'setText', {
  /** Typed as numbers in Apps Script's declarations, but null when the paragraph inherits its indent. */
  getIndentStart(): number | null;
  getIndentFirstLine(): number | null;
  editAsText(): GasText;
  getHeading(): GasEnum;
  setHeading(heading: GasEnum): GasParagraphLike;
  setIndentStart(points: number): GasParagraphLike;
  setIndentFirstLine(points: number): GasParagraphLike;
}> {}

export type GasParagraph = GasParagraphLike;

export interface GasListItem extends GasParagraphLike, Slice<Doc.ListItem, 'getNestingLevel' | 'getListId', {
  getGlyphType(): GasEnum;
  setGlyphType(glyph: GasEnum): GasListItem;
  setNestingLevel(level: number): GasListItem;
  setListId(listItem: GasListItem): GasListItem;
}> {}

export interface GasBody extends GasContainer, Slice<Doc.Body, never, {
  insertParagraph(childIndex: number, text: string): GasParagraph;
  insertListItem(childIndex: number, text: string): GasListItem;
  appendParagraph(text: string): GasParagraph;
  appendListItem(text: string): GasListItem;
  /** Every paragraph of the section, list items (and table cells' paragraphs) included. */
  getParagraphs(): GasParagraphLike[];
}> {}

export interface GasPosition extends Slice<Doc.Position, 'getOffset', { getElement(): GasElement }> {}

export interface GasRangeElement extends Slice<Doc.RangeElement, 'isPartial' | 'getStartOffset' | 'getEndOffsetInclusive', {
  getElement(): GasElement;
}> {}

export interface GasRange extends Slice<Doc.Range, never, { getRangeElements(): GasRangeElement[] }> {}

export interface GasRangeBuilder extends Slice<Doc.RangeBuilder, never, {
  addElement(element: GasElement): GasRangeBuilder;
  addElementsBetween(startText: GasText, startOffset: number, endTextInclusive: GasText, endOffsetInclusive: number): GasRangeBuilder;
  build(): GasRange;
}> {}

export interface GasNamedRange extends Slice<Doc.NamedRange, 'getId' | 'getName' | 'remove', { getRange(): GasRange }> {}

export interface GasDocument extends Slice<Doc.Document, 'getId' | 'getName', {
  getBody(): GasBody;
  getCursor(): GasPosition | null;
  /** Typed as never null in Apps Script's declarations, but null when nothing is selected. */
  getSelection(): GasRange | null;
  newRange(): GasRangeBuilder;
  addNamedRange(name: string, range: GasRange): GasNamedRange;
  getNamedRanges(name?: string): GasNamedRange[];
}> {}

export interface GasMenu extends Slice<GoogleAppsScript.Base.Menu, 'addToUi', {
  addItem(caption: string, functionName: string): GasMenu;
  addSeparator(): GasMenu;
}> {}

export interface GasHtmlOutput extends Slice<GoogleAppsScript.HTML.HtmlOutput, never, { setTitle(title: string): GasHtmlOutput }> {}

export interface GasUi extends Slice<GoogleAppsScript.Base.Ui, never, {
  createAddonMenu(): GasMenu;
  showSidebar(html: GasHtmlOutput): void;
  alert(prompt: string): unknown;
}> {}

/** `DocumentApp`: the document of the editor the add-on runs in, its UI and the enums (members named as in Apps Script). */
export interface GasDocumentApp extends Slice<Doc.DocumentApp, never, {
  getActiveDocument(): GasDocument;
  getUi(): GasUi;
  ParagraphHeading: Record<HeadingName, GasEnum>;
  GlyphType: Record<GlyphName, GasEnum>;
  ElementType: Record<ElementName, GasEnum>;
}> {}

export interface GasProperties extends Slice<GoogleAppsScript.Properties.Properties, 'getProperty', {
  getProperties(): Record<string, string>;
  setProperty(key: string, value: string): GasProperties;
  deleteProperty(key: string): GasProperties;
}> {}

export interface GasPropertiesService extends Slice<GoogleAppsScript.Properties.PropertiesService, never, {
  getUserProperties(): GasProperties;
  /** Shared by every user of the add-on in this document (null outside a document). */
  getDocumentProperties(): GasProperties | null;
}> {}

export interface GasScriptApp extends Slice<GoogleAppsScript.Script.ScriptApp, never, {
  AuthMode: Record<keyof typeof GoogleAppsScript.Script.AuthMode, GasEnum>;
  /** Typed as a string in Apps Script's declarations, but null without the openid scope. */
  getIdentityToken(): string | null;
}> {}

export interface GasHtmlService extends Slice<GoogleAppsScript.HTML.HtmlService, never, {
  createHtmlOutputFromFile(filename: string): GasHtmlOutput;
}> {}

export interface GasHttpResponse extends Slice<GoogleAppsScript.URL_Fetch.HTTPResponse, 'getResponseCode', {
  getContentText(): string;
}> {}

/** The request options the add-on sends (a slice of `URLFetchRequestOptions`). */
export type GasFetchOptions = Required<Pick<GoogleAppsScript.URL_Fetch.URLFetchRequestOptions, 'muteHttpExceptions'>> &
  Pick<GoogleAppsScript.URL_Fetch.URLFetchRequestOptions, 'contentType' | 'headers'> & { method: 'get' | 'post'; payload?: string; headers?: Record<string, string> };

export interface GasUrlFetchApp extends Slice<GoogleAppsScript.URL_Fetch.UrlFetchApp, never, {
  fetch(url: string, params: GasFetchOptions): GasHttpResponse;
}> {}

/** The Apps Script globals the add-on reads, looked up at call time (tests put stand-ins on the global object). */
export interface AppsScriptGlobals {
  DocumentApp: GasDocumentApp;
  ScriptApp: GasScriptApp;
  PropertiesService: GasPropertiesService;
  HtmlService: GasHtmlService;
  UrlFetchApp: GasUrlFetchApp;
}

/** The event simple triggers receive (`onOpen(e)`, `onInstall(e)`). */
export type GasTriggerEvent = Partial<Slice<GoogleAppsScript.Events.DocsOnOpen, 'authMode', { authMode: GasEnum }>>;
