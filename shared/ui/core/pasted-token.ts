/** The `token` of a link's fragment (`#token=…`, other parameters beside it allowed), or null. */
export function tokenInFragment(fragment: string): string | null {
  return new URLSearchParams(fragment.replace(/^#/, '')).get('token')?.trim() || null;
}

/** The token in what the author pasted: the token itself, or an administrator's `<server>/app#token=…` link (and its server). */
export function tokenFromPaste(pasted: string): { token: string; origin: string | null } | null {
  const text = pasted.trim();
  if (!text) return null;
  const hash = text.indexOf('#');
  if (hash < 0) return { token: text, origin: null };
  const token = tokenInFragment(text.slice(hash + 1));
  if (!token) return { token: text, origin: null };
  let origin: string | null = null;
  try {
    origin = new URL(text).origin;
  } catch {
    // Only the fragment was pasted.
  }
  return { token, origin: origin && origin !== 'null' ? origin : null };
}
