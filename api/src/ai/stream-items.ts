import { JSONParser } from '@streamparser/json';
import type { AiTask, StreamItemListener } from './llm.js';

/**
 * Follows a JSON answer as it arrives and reports each completed item of the task's streamed list (`$.<key>.*`)
 * that fits the item schema. Output that stops parsing only stops the reports: the whole answer is judged at the end.
 */
export function streamItemReader(task: AiTask<unknown, unknown>, onItem: StreamItemListener) {
  const stream = task.stream!;
  const parser = new JSONParser({ paths: [`$.${stream.key}.*`], keepStack: false });
  let index = 0;
  let broken = false;
  parser.onValue = ({ value }) => {
    if (stream.item.safeParse(value).success) onItem(index++, value);
  };
  parser.onError = () => {
    broken = true;
  };
  return {
    write(text: string) {
      if (broken || text.length === 0) return;
      try {
        parser.write(text);
      } catch {
        broken = true;
      }
    },
  };
}

/** Reports the items of a finished answer (template mode, a cache hit) through the same listener. */
export function reportItems(task: AiTask<unknown, unknown>, output: unknown, onItem: StreamItemListener): void {
  const items = (output as Record<string, unknown> | null)?.[task.stream!.key];
  if (!Array.isArray(items)) return;
  let index = 0;
  for (const item of items) if (task.stream!.item.safeParse(item).success) onItem(index++, item);
}
