// What a blank Google Doc carries besides its body: the section break, document style and named styles.
import type { Block, Json } from './model.js';

export const sectionBreak = (): Block => ({
  kind: 'block',
  type: 'sectionBreak',
  length: 1,
  json: { sectionStyle: { columnSeparatorStyle: 'NONE', contentDirection: 'LEFT_TO_RIGHT', sectionType: 'CONTINUOUS' } },
});

const pt = (magnitude: number) => ({ magnitude, unit: 'PT' });

export const defaultDocumentStyle = (): Json => ({
  background: { color: {} },
  pageNumberStart: 1,
  marginTop: pt(72),
  marginBottom: pt(72),
  marginRight: pt(72),
  marginLeft: pt(72),
  pageSize: { height: pt(792), width: pt(612) },
  marginHeader: pt(36),
  marginFooter: pt(36),
  useCustomHeaderFooterMargins: true,
});

const named = (namedStyleType: string, fontSize: number, spaceAbove: number, spaceBelow: number, extra: Json = {}) => ({
  namedStyleType,
  textStyle: { fontSize: pt(fontSize), ...extra },
  paragraphStyle: { namedStyleType, direction: 'LEFT_TO_RIGHT', spaceAbove: pt(spaceAbove), spaceBelow: pt(spaceBelow), keepLinesTogether: true, keepWithNext: true },
});

export const defaultNamedStyles = (): Json => ({
  styles: [
    {
      namedStyleType: 'NORMAL_TEXT',
      textStyle: {
        bold: false, italic: false, underline: false, strikethrough: false, smallCaps: false, backgroundColor: {},
        foregroundColor: { color: { rgbColor: {} } }, fontSize: pt(11), weightedFontFamily: { fontFamily: 'Arial', weight: 400 },
        baselineOffset: 'NONE',
      },
      paragraphStyle: {
        namedStyleType: 'NORMAL_TEXT', alignment: 'START', lineSpacing: 115, direction: 'LEFT_TO_RIGHT',
        spacingMode: 'COLLAPSE_LISTS', spaceAbove: { unit: 'PT' }, spaceBelow: { unit: 'PT' }, indentFirstLine: { unit: 'PT' },
        indentStart: { unit: 'PT' }, indentEnd: { unit: 'PT' }, keepLinesTogether: false, keepWithNext: false,
        avoidWidowAndOrphan: true,
      },
    },
    named('HEADING_1', 20, 20, 6),
    named('HEADING_2', 16, 18, 6),
    named('HEADING_3', 14, 16, 4, { foregroundColor: { color: { rgbColor: { red: 0.2627451, green: 0.2627451, blue: 0.2627451 } } } }),
    named('HEADING_4', 12, 14, 4, { foregroundColor: { color: { rgbColor: { red: 0.4, green: 0.4, blue: 0.4 } } } }),
    named('HEADING_5', 11, 12, 4, { foregroundColor: { color: { rgbColor: { red: 0.4, green: 0.4, blue: 0.4 } } } }),
    named('HEADING_6', 11, 12, 4, { italic: true, foregroundColor: { color: { rgbColor: { red: 0.4, green: 0.4, blue: 0.4 } } } }),
    named('TITLE', 26, 0, 3),
    named('SUBTITLE', 15, 0, 16, { foregroundColor: { color: { rgbColor: { red: 0.4, green: 0.4, blue: 0.4 } } } }),
  ],
});
