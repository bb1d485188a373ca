import { api } from './session.js';

/**
 * The id of a user the admin names by email (looked up) or by id (as typed); blank names no one. The dashboard shows
 * people by email, so filters take one.
 */
export async function userIdFrom(text: string): Promise<string> {
  const named = text.trim();
  if (!named.includes('@')) return named;
  const email = named.toLowerCase();
  const found = (await api.adminListUsers({ query: { q: email, limit: 100 } })).items.find((u) => u.email === email);
  if (!found) throw new Error(`No user with the email ${email}.`);
  return found.id;
}
