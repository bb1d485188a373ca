// Google's JSON error shape: {"error": {"code", "message", "status"}}.

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export const statusName = (code: number) => STATUS_NAMES[code] ?? (code >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');

export const DEFAULT_MESSAGES: Record<number, string> = {
  401:
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid ' +
    'authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
  403: 'The caller does not have permission',
  404: 'Requested entity was not found.',
  429:
    "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user' of service " +
    "'docs.googleapis.com' for consumer 'project_number:000000000000'.",
  500: 'Internal error encountered.',
  503: 'The service is currently unavailable.',
};

export class DocsApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly status: string = statusName(code),
  ) {
    super(message);
    this.name = 'DocsApiError';
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, status: this.status } };
  }
}

/** 400 for one request of a batch, worded like Google: `Invalid requests[3].insertText: …`. */
export function invalidRequest(index: number, kind: string, message: string): DocsApiError {
  return new DocsApiError(400, `Invalid requests[${index}].${kind}: ${message}`);
}
