// createNamedRange, deleteNamedRange, replaceNamedRangeContent and replaceAllText.
import { deleteRange, fault, insertText, stripForInsert } from './edits.js';
import { allTabs, layout, newKixId, paragraphText, type DocModel, type NamedRange, type Tab } from './model.js';
import { checkStyleRange } from './styles.js';

interface TabsCriteria { tabIds?: unknown }

/** The tabs a request's tabsCriteria selects (all tabs when absent). */
function tabsFor(doc: DocModel, criteria: TabsCriteria | undefined): Tab[] {
  const tabs = allTabs(doc);
  if (!criteria?.tabIds) return tabs;
  if (!Array.isArray(criteria.tabIds)) return fault('tabsCriteria.tabIds must be a list of tab IDs.');
  return criteria.tabIds.map((id) => tabs.find((t) => t.tabId === id) ?? fault(`The tab with ID '${String(id)}' was not found.`));
}

function findById(doc: DocModel, id: string, tabs = allTabs(doc)): { tab: Tab; nr: NamedRange } | undefined {
  for (const tab of tabs) {
    const nr = tab.namedRanges.find((n) => n.namedRangeId === id);
    if (nr) return { tab, nr };
  }
  return undefined;
}

export function createNamedRange(doc: DocModel, tab: Tab, name: unknown, start: number, end: number): string {
  if (typeof name !== 'string' || name.length < 1 || name.length > 256) {
    fault('The name must be between 1 and 256 UTF-16 code units long.');
  }
  checkStyleRange(tab, start, end);
  let namedRangeId = newKixId();
  while (findById(doc, namedRangeId)) namedRangeId = newKixId();
  tab.namedRanges.push({ namedRangeId, name: name as string, ranges: [{ start, end }] });
  return namedRangeId;
}

interface ByIdOrName { namedRangeId?: unknown; name?: unknown; namedRangeName?: unknown; tabsCriteria?: TabsCriteria }

function targets(doc: DocModel, req: ByIdOrName, nameKey: 'name' | 'namedRangeName'): { tab: Tab; nr: NamedRange }[] {
  const id = req.namedRangeId;
  const name = req[nameKey];
  if ((id === undefined) === (name === undefined)) fault(`Exactly one of namedRangeId or ${nameKey} must be set.`);
  const tabs = tabsFor(doc, req.tabsCriteria);
  if (id !== undefined) {
    const hit = findById(doc, String(id), tabs);
    return hit ? [hit] : fault(`The named range with ID '${String(id)}' was not found.`);
  }
  return tabs.flatMap((tab) => tab.namedRanges.filter((nr) => nr.name === name).map((nr) => ({ tab, nr })));
}

export function deleteNamedRange(doc: DocModel, req: ByIdOrName): void {
  for (const { tab, nr } of targets(doc, req, 'name')) tab.namedRanges = tab.namedRanges.filter((n) => n !== nr);
}

/** Plain text replaces the first range; the others are deleted; the named range then spans the new text. */
export function replaceNamedRangeContent(doc: DocModel, req: ByIdOrName & { text?: unknown }): void {
  if (req.text !== undefined && typeof req.text !== 'string') fault('text must be a string.');
  const text = stripForInsert(String(req.text ?? ''));
  const hits = targets(doc, req, 'namedRangeName').sort((a, b) => (b.nr.ranges[0]?.start ?? 0) - (a.nr.ranges[0]?.start ?? 0));
  for (const { tab, nr } of hits) {
    const position = tab.namedRanges.indexOf(nr);
    tab.namedRanges.splice(position, 1);
    const [first, ...others] = nr.ranges;
    const clear = (r: { start: number; end: number }) => {
      const end = Math.min(r.end, layout(tab).end - 1); // the segment's last newline always stays
      if (end > r.start) deleteRange(tab, r.start, end);
    };
    // A probe range rides along while the other ranges go, so it ends up at the first range's new place.
    const probe: NamedRange = { namedRangeId: '', name: '', ranges: first ? [{ ...first }] : [] };
    tab.namedRanges.push(probe);
    for (const r of [...others].sort((a, b) => b.start - a.start)) clear(r);
    tab.namedRanges = tab.namedRanges.filter((n) => n !== probe);
    const target = probe.ranges[0];
    if (!target) continue;
    const at = target.start;
    clear(target);
    const inserted = text ? insertText(tab, at, text) : 0;
    if (inserted) tab.namedRanges.splice(position, 0, { ...nr, ranges: [{ start: at, end: at + inserted }] });
  }
}

/** Replaces every match inside paragraphs (matchCase false by default) and counts them. */
export function replaceAllText(doc: DocModel, req: { containsText?: { text?: unknown; matchCase?: unknown; searchByRegex?: unknown }; replaceText?: unknown; tabsCriteria?: TabsCriteria }): number {
  const needle = req.containsText?.text;
  if (typeof needle !== 'string' || needle === '') return fault('containsText.text must not be empty.');
  if (req.containsText?.searchByRegex) fault('searchByRegex is not supported by the Docs emulator.');
  const matchCase = req.containsText?.matchCase === true;
  const replacement = typeof req.replaceText === 'string' ? req.replaceText : '';
  let count = 0;
  for (const tab of tabsFor(doc, req.tabsCriteria)) {
    const { starts } = layout(tab);
    const hits: number[] = [];
    tab.content.forEach((node, i) => {
      if (node.kind !== 'paragraph') return;
      const hay = matchCase ? paragraphText(node) : paragraphText(node).toLowerCase();
      const find = matchCase ? needle : needle.toLowerCase();
      for (let at = hay.indexOf(find); at >= 0; at = hay.indexOf(find, at + find.length)) hits.push(starts[i]! + at);
    });
    const segEnd = layout(tab).end;
    for (const at of hits.filter((h) => h + needle.length < segEnd).reverse()) {
      deleteRange(tab, at, at + needle.length);
      if (replacement) insertText(tab, at, replacement);
      count++;
    }
  }
  return count;
}
