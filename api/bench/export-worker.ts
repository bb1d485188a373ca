import { readFileSync, writeFileSync } from 'node:fs';
import type { ExportFormat } from '../../shared/schemas/exports.js';
import type { ExportBook } from '../src/export/export-book.js';
import { EXPORT_WRITERS } from '../src/export/export-writers.js';

/**
 * One export in its own process (so its peak RSS is its own): `node export-worker.mjs <format> <book.json> <out>`.
 * Prints the milliseconds the export took inside the process, from reading the book to the file written.
 */
const [format, bookFile, outFile] = process.argv.slice(2) as [ExportFormat, string, string];
const started = performance.now();
const book = JSON.parse(readFileSync(bookFile, 'utf8')) as ExportBook;
const bytes = await EXPORT_WRITERS[format](book, { pageSize: 'A4', tableOfContents: true }, async () => undefined);
writeFileSync(outFile, bytes);
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, bytes: bytes.length })}\n`);
