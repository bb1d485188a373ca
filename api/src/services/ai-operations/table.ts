import type { AiJobKind } from '../../../../shared/schemas/ai.js';
import { continuityExtract } from './continuity-extract.js';
import { draftGenerate } from './draft-generate.js';
import { draftRevise, draftRework } from './draft-revision.js';
import { interviewFollowUp } from './interview-followup.js';
import { interviewGenerate } from './interview-generate.js';
import type { AiOperation, OperationDeps } from './operation.js';
import { questionFollowUp } from './question-followup.js';
import { passageRework } from './passage-rework.js';
import { questionRegenerate } from './question-regenerate.js';
import { questionsGenerate } from './questions-generate.js';
import { tocGenerate } from './toc-generate.js';

/**
 * The AI operations: each job kind → how it is planned and run (its module). What each works on is the shared
 * `JOB_TARGETS`; starting a job, `POST /v1/quote` and the job runner all go through this table.
 */
export function createOperationTable(deps: OperationDeps): OperationTable {
  return {
    'interview.generate': interviewGenerate(deps),
    'toc.generate': tocGenerate(deps),
    'questions.generate': questionsGenerate(deps),
    'question.regenerate': questionRegenerate(deps),
    'draft.generate': draftGenerate(deps),
    'question.followup': questionFollowUp(deps),
    'interview.followup': interviewFollowUp(deps),
    'continuity.extract': continuityExtract(deps),
    'passage.rework': passageRework(deps),
    'draft.revise': draftRevise(deps),
    'draft.rework': draftRework(deps),
  };
}
export type OperationTable = Record<AiJobKind, AiOperation>;
