import { createApiClient, type ApiClient, type ApiClientOptions } from '../../shared/client/api-client.js';
import { tokenInFragment } from '../../shared/ui/core/pasted-token.js';

const TOKEN_KEY = 'auto-author.admin.token';

/** The admin token lives in sessionStorage only: it is gone when the tab closes. */
export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  save: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/**
 * Accepts `#token=…` (the link the server prints at first start), stores it, and removes it from the address bar
 * and history so it is not bookmarked, shared or left in the back stack.
 */
export function takeTokenFromUrl(): boolean {
  const token = tokenInFragment(window.location.hash);
  if (!token) return false;
  session.save(token);
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
  return true;
}

/** The typed client for this page: same origin, the session's token. */
export function adminClient(options: Partial<ApiClientOptions> = {}): ApiClient {
  return createApiClient({ baseUrl: '', getToken: session.token, maxRetries: 1, ...options });
}

export const api = adminClient();
