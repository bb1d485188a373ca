/**
 * The words every surface uses for what the no-model provider made or would make: never "offline" (that is a lost
 * connection), never a model's name alone.
 */
export const TEMPLATE_MODE = 'template mode (no AI model)';
/** The same words opening a sentence. */
export const TEMPLATE_MODE_SENTENCE = 'Template mode (no AI model)';

/** The provider name of the ledger rows, quotes and records template mode made. */
export const TEMPLATE_PROVIDER = 'offline';
