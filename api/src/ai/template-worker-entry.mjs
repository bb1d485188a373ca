// The template pool's worker file. Plain JavaScript on purpose: a worker thread starts without the parent's TypeScript
// loader when the parent has none of its own (vitest transforms its modules in-process), so this file loads the
// TypeScript worker through tsx's scoped import, which works whether or not tsx is already registered.
import { tsImport } from 'tsx/esm/api';

const { default: answerTemplate } = await tsImport('./template-worker.ts', import.meta.url);

export default answerTemplate;
