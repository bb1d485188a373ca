/** The token in what the author pasted: the token itself, or an administrator's `<server>/app#token=…` link (and its server). */
export function tokenFromPaste(pasted: string): { token: string; origin: string | null } | null {
  const text = pasted.trim();
  if (!text) return null;
  const hash = text.indexOf('#');
  if (hash < 0) return { token: text, origin: null };
  const token = new URLSearchParams(text.slice(hash + 1)).get('token')?.trim();
  if (!token) return { token: text, origin: null };
  let origin: string | null = null;
  try {
    origin = new URL(text).origin;
  } catch {
    // Only the fragment was pasted.
  }
  return { token, origin: origin && origin !== 'null' ? origin : null };
}
