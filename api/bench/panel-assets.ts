import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

// What an extension page loads before its first render, read from the build output: the HTML's module scripts and
// modulepreload links, then every static `import … from "…"` / `export … from "…"` / `import "…"` of those chunks,
// transitively. Dynamic `import("…")` targets load later (on demand) and are listed apart.

export interface PageFile {
  /** Path relative to the output folder, with forward slashes. */
  file: string;
  rawBytes: number;
  /** gzip -9 (node:zlib), as a server or store would compress it at best. */
  gzipBytes: number;
  /** How the page reaches it: named in the HTML, or imported by another chunk. */
  via: string;
}

export interface PageAssets {
  /** The JS the page needs before it can render: the HTML's scripts and their static imports. */
  scripts: PageFile[];
  /** Chunks only reachable through dynamic import() (not loaded at first render). */
  lazy: PageFile[];
  /** Stylesheets linked from the HTML (not part of the JS figure). */
  styles: PageFile[];
}

export const KB = 1024;

const STATIC_IMPORT = /(?:^|[^.\w$])(?:import|export)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["']([^"']+\.m?js)["']/g;
const DYNAMIC_IMPORT = /(?:^|[^.\w$])import\s*\(\s*["']([^"']+\.m?js)["']\s*\)/g;

function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of tag.matchAll(/([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g)) {
    found.set(match[1]!.toLowerCase(), match[2] ?? match[3] ?? match[4] ?? '');
  }
  return found;
}

/** The output-relative file a page URL points at (`/chunks/a.js` from the root, `./a.js` from `fromFile`'s folder); null outside the package. */
function resolve(outDir: string, fromFile: string, url: string): string | null {
  if (/^[a-z][\w+.-]*:/i.test(url) || url.startsWith('//')) return null;
  const clean = url.split(/[?#]/)[0]!;
  const relative = clean.startsWith('/') ? path.posix.normalize(clean.slice(1)) : path.posix.join(path.posix.dirname(fromFile), clean);
  if (relative.startsWith('..')) return null;
  return existsSync(path.join(outDir, relative)) ? relative : null;
}

/** Raw and gzip -9 size of one output file. */
export function measureFile(outDir: string, file: string, via: string): PageFile {
  const content = readFileSync(path.join(outDir, file));
  return { file, rawBytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length, via };
}

/** The JS (and CSS) `htmlFile` loads, from the build in `outDir`. Throws when the HTML names a script that is not there. */
export function pageAssets(outDir: string, htmlFile: string): PageAssets {
  const html = readFileSync(path.join(outDir, htmlFile), 'utf8');
  const roots: string[] = [];
  const styles: PageFile[] = [];
  for (const match of html.matchAll(/<(script|link)\b[^>]*>/gi)) {
    const name = match[1]!.toLowerCase();
    const attrs = attributes(match[0]);
    const rel = (attrs.get('rel') ?? '').toLowerCase().split(/\s+/);
    const url = name === 'script' ? attrs.get('src') : rel.includes('modulepreload') || rel.includes('stylesheet') ? attrs.get('href') : undefined;
    if (!url) continue;
    const file = resolve(outDir, htmlFile, url);
    if (!file) throw new Error(`${htmlFile} loads ${url}, which is not a file of the build in ${outDir}`);
    if (rel.includes('stylesheet')) styles.push(measureFile(outDir, file, htmlFile));
    else if (!roots.includes(file)) roots.push(file);
  }
  if (roots.length === 0) throw new Error(`${htmlFile} loads no script`);

  const scripts = new Map<string, PageFile>();
  const dynamic = new Map<string, string>();
  const queue = roots.map((file) => ({ file, via: htmlFile }));
  while (queue.length > 0) {
    const { file, via } = queue.shift()!;
    if (scripts.has(file)) continue;
    scripts.set(file, measureFile(outDir, file, via));
    const code = readFileSync(path.join(outDir, file), 'utf8');
    for (const match of code.matchAll(STATIC_IMPORT)) {
      const target = resolve(outDir, file, match[1]!);
      if (target && !scripts.has(target)) queue.push({ file: target, via: file });
    }
    for (const match of code.matchAll(DYNAMIC_IMPORT)) {
      const target = resolve(outDir, file, match[1]!);
      if (target && !dynamic.has(target)) dynamic.set(target, file);
    }
  }
  const lazy = [...dynamic].filter(([file]) => !scripts.has(file)).map(([file, via]) => measureFile(outDir, file, via));
  return { scripts: [...scripts.values()], lazy, styles };
}

export const sum = (files: PageFile[], key: 'rawBytes' | 'gzipBytes') => files.reduce((total, f) => total + f[key], 0);

/** A plain text table: the first column left-aligned, the others right-aligned, a rule under the header. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  return rows
    .map((row, index) => {
      const line = row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
      return index === 0 ? `${line}\n${widths.map((width) => '-'.repeat(width)).join('  ')}` : line;
    })
    .join('\n');
}
