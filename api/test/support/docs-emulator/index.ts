// Google Docs API v1 emulator for tests: see README.md.
export { DocsEmulator, startDocsEmulator } from './emulator.js';
export type { Counts, DocsEmulatorOptions, Fault, Hook, HookContext, Method, RequestRecord } from './emulator.js';
export { DocsApiError } from './errors.js';
export type { NamedRangeSummary, ParagraphSummary } from './inspect.js';
export type { BulletSpec, DocumentSpec, ParagraphSpec, TabSpec } from './seed.js';
export { BULLET_PRESETS } from './lists.js';
