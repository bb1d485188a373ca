import type { GeneratedBy } from '../../schemas/ai.js';
import { TEMPLATE_MODE } from '../../template-mode.js';

/**
 * Says "template mode (no AI model)" for records the no-model provider made (from `generatedBy`), never pretending a
 * model wrote them; a word of its own, never "offline" (that is a lost connection).
 */
export function OfflineBadge({ generatedBy }: { generatedBy: GeneratedBy | null | undefined }) {
  if (!generatedBy) return null;
  return generatedBy.offline
    ? <span className="aa-badge aa-offline" title="Made from templates and your own answers, not by an AI model">{TEMPLATE_MODE}</span>
    : <span className="aa-badge" title={`${generatedBy.provider} · prompt ${generatedBy.promptVersion}`}>{generatedBy.model}</span>;
}
