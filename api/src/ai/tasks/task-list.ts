import type { AiTask } from '../llm.js';
import { continuityCheckTask, continuityExtractTask } from './continuity-task.js';
import { draftSectionTask } from './draft-task.js';
import { followUpTask, interviewFollowUpTask } from './follow-up-task.js';
import { interviewTask } from './interview-task.js';
import { passageTask } from './passage-task.js';
import { questionsTask, regenerateQuestionTask } from './questions-task.js';
import { blockReworkTask, blocksRevisionTask, draftRevisionTask } from './revision-task.js';
import { tocTask } from './toc-task.js';

/**
 * Every prompt module, so that another thread can find one by its key: a task's `offline` answer is a function, which
 * cannot be sent to the template worker, so the worker looks the task up here instead.
 */
export const ALL_TASKS: ReadonlyArray<AiTask<unknown, unknown>> = [
  interviewTask, questionsTask, regenerateQuestionTask, tocTask, draftSectionTask, draftRevisionTask, blocksRevisionTask,
  blockReworkTask, followUpTask, interviewFollowUpTask, passageTask, continuityExtractTask, continuityCheckTask,
];

/** A task's key: its job kind and schema name, unique among ALL_TASKS (a test checks it). */
export const taskKey = (task: Pick<AiTask<never, unknown>, 'operation' | 'name'>) => `${task.operation}/${task.name}`;

const byKey = new Map(ALL_TASKS.map((task) => [taskKey(task), task]));

/** The listed task of that key, or undefined. */
export const taskByKey = (key: string) => byKey.get(key);
