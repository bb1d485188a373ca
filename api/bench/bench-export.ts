/**
 * bench:export — a 150,000-word book exported to DOCX and PDF by our writers, each in its own process, beside pandoc
 * converting the same book (as the Markdown our exporter writes) to DOCX and to PDF, in the same run. Prints wall
 * time and peak RSS (GNU time's maximum resident set size) of every process, and the verdicts against the targets:
 * at most 0.5× pandoc's time and at most 150 MB of RSS. Installs pandoc (and groff, pandoc's lightest PDF engine
 * here, via pdfroff) from Debian when they are missing and this runs as root; otherwise says how.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeMarkdown } from '../src/export/markdown-writer.js';
import { countWords } from '../../shared/text-count.js';
import { benchBook } from './export-book.js';
import { REPO_ROOT } from './processes.js';

const RUNS = Number(process.env.BENCH_EXPORT_RUNS ?? 3);
const TARGET_RATIO = 0.5;
const TARGET_RSS_MB = 150;

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/** pandoc and pdfroff from Debian, when missing and we may install; false when they are still missing. */
function ensurePandoc(): boolean {
  const missing = [has('pandoc') ? null : 'pandoc', has('pdfroff') ? null : 'groff'].filter((name): name is string => name !== null);
  if (missing.length === 0) return true;
  if (process.getuid?.() !== 0) {
    console.log(`pandoc columns skipped: install them with \`sudo apt-get install -y ${missing.join(' ')}\` and run again.`);
    return false;
  }
  console.log(`installing ${missing.join(' ')} from Debian…`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return has('pandoc') && has('pdfroff');
}

/**
 * The worker bundled to one ES module (packages stay external and resolve from the repository's node_modules), so
 * its process is plain Node: no TypeScript loader starting or held in memory in the figures.
 */
async function bundleWorker(): Promise<string> {
  const dir = path.join(REPO_ROOT, 'node_modules', '.cache', 'bench-export');
  mkdirSync(dir, { recursive: true });
  // Split at the writers' dynamic imports, so a worker loads only its format's library, as the server does.
  await build({
    entryPoints: [path.join(REPO_ROOT, 'api/bench/export-worker.ts')], bundle: true, splitting: true, platform: 'node', format: 'esm',
    packages: 'external', outdir: dir, outExtension: { '.js': '.mjs' }, logLevel: 'warning',
  });
  return path.join(dir, 'export-worker.mjs');
}

interface Run {
  wallMs: number;
  rssMb: number;
  /** Our writers only: the export's own time inside the process (without Node and tsx starting). */
  innerMs: number | null;
  bytes: number;
}

/** Runs a command under GNU time, returning its wall time and peak RSS. */
function timed(command: string[], output: string, inner = false): Run {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', ...command], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const stats = result.stderr.trim().split('\n').pop()!.split(' ');
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed:\n${result.stderr.slice(-2_000)}`);
  const innerMs = inner ? (JSON.parse(result.stdout.trim().split('\n').pop()!) as { ms: number }).ms : null;
  return { wallMs: Number(stats[0]) * 1000, rssMb: Number(stats[1]) / 1024, innerMs, bytes: statSync(output).size };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const summary = (runs: Run[]) => ({
  wallMs: median(runs.map((r) => r.wallMs)), rssMb: Math.max(...runs.map((r) => r.rssMb)),
  innerMs: runs[0]!.innerMs === null ? null : median(runs.map((r) => r.innerMs!)), bytes: runs[0]!.bytes,
});
const repeat = (make: () => Run) => summary(Array.from({ length: RUNS }, make));

async function main() {
  const work = mkdtempSync(path.join(tmpdir(), 'aa-bench-export-'));
  try {
    const book = benchBook(141_500);
    const words = book.chapters.reduce((sum, chapter) => sum + chapter.blocks.reduce((n, block) => n + countWords(block.type === 'list' ? block.items.join(' ') : block.text), 0), 0);
    const bookFile = path.join(work, 'book.json');
    const markdownFile = path.join(work, 'book.md');
    writeFileSync(bookFile, JSON.stringify(book));
    writeFileSync(markdownFile, await writeMarkdown(book, { pageSize: 'A4', tableOfContents: true }, async () => undefined));
    console.log(`bench:export — ${words.toLocaleString('en')} words in ${book.chapters.length} chapters; median of ${RUNS} runs, peak RSS the highest`);
    const pandoc = ensurePandoc();
    const worker = await bundleWorker();

    const ours = (format: 'docx' | 'pdf') => {
      const out = path.join(work, `ours.${format}`);
      return repeat(() => timed(['node', worker, format, bookFile, out], out, true));
    };
    const theirs = (format: 'docx' | 'pdf') => {
      const out = path.join(work, `pandoc.${format}`);
      const engine = format === 'pdf' ? ['--pdf-engine=pdfroff'] : [];
      return repeat(() => timed(['pandoc', markdownFile, '-f', 'commonmark', '--toc', ...engine, '-o', out], out));
    };

    const rows: string[][] = [];
    for (const format of ['docx', 'pdf'] as const) {
      const us = ours(format);
      const them = pandoc ? theirs(format) : null;
      const ratio = them ? us.wallMs / them.wallMs : null;
      rows.push([
        format.toUpperCase(), `${(us.wallMs / 1000).toFixed(2)} s (export ${(us.innerMs! / 1000).toFixed(2)} s)`, `${us.rssMb.toFixed(0)} MB`,
        `${(us.bytes / 1e6).toFixed(1)} MB`, them ? `${(them.wallMs / 1000).toFixed(2)} s` : 'n/a', them ? `${them.rssMb.toFixed(0)} MB` : 'n/a',
        ratio === null ? 'n/a' : `${ratio.toFixed(2)}× ${ratio <= TARGET_RATIO ? 'PASS' : 'MISS'}`, `${us.rssMb <= TARGET_RSS_MB ? 'PASS' : 'MISS'}`,
      ]);
    }
    const header = ['format', 'ours: process (export alone)', 'ours: peak RSS', 'file', 'pandoc: time', 'pandoc: peak RSS', `time vs pandoc (≤ ${TARGET_RATIO}×)`, `RSS ≤ ${TARGET_RSS_MB} MB`];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    for (const line of [header, widths.map((w) => '-'.repeat(w)), ...rows]) console.log(line.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
    console.log('pandoc reads the Markdown export of the same book (`-f commonmark --toc`); its PDF goes through groff (`--pdf-engine=pdfroff`).');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
