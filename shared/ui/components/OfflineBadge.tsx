import type { GeneratedBy } from '../../schemas/ai.js';

/** Says "offline" for records the offline provider made (from `generatedBy`), never pretending a model wrote them. */
export function OfflineBadge({ generatedBy }: { generatedBy: GeneratedBy | null | undefined }) {
  if (!generatedBy) return null;
  return generatedBy.offline
    ? <span className="aa-badge aa-offline" title="Made by the offline assistant from templates and your own answers, not by an AI model">offline</span>
    : <span className="aa-badge" title={`${generatedBy.provider} · prompt ${generatedBy.promptVersion}`}>{generatedBy.model}</span>;
}
