import { describe, expect, it } from 'vitest';
import type { GoogleCredentialsRecord } from '../../../src/stores/engine-types.js';
import { givenUser, time, unique, useStore, type StoreFactory } from './fixtures.js';

const DOCS_SCOPE = 'https://www.googleapis.com/auth/documents';

function credentialsRecord(userId: string, overrides: Partial<GoogleCredentialsRecord> = {}): GoogleCredentialsRecord {
  return { userId, ciphertext: `v1.kid.iv.tag.${unique()}`, scopes: [DOCS_SCOPE], clientId: 'client-1.apps.googleusercontent.com', updatedAt: time(0), ...overrides };
}

export function googleCredentialsContract(open: StoreFactory): void {
  describe('google credentials', () => {
    const store = useStore(open);

    it('stores one record per user and replaces it on a new sign-in', async () => {
      const user = await givenUser(store());
      const other = await givenUser(store());
      expect(await store().googleCredentials.get(user.id)).toBeNull();
      const first = credentialsRecord(user.id, { scopes: [DOCS_SCOPE, 'openid'] });
      await store().googleCredentials.put(first);
      expect(await store().googleCredentials.get(user.id)).toEqual(first);
      const second = credentialsRecord(user.id, { clientId: 'client-2', updatedAt: time(60) });
      await store().googleCredentials.put(second);
      expect(await store().googleCredentials.get(user.id)).toEqual(second);
      expect(await store().googleCredentials.get(other.id)).toBeNull();
    });

    it('swaps the ciphertext only while it is still the expected one', async () => {
      const user = await givenUser(store());
      const record = credentialsRecord(user.id);
      await store().googleCredentials.put(record);
      expect(await store().googleCredentials.replaceCiphertext(user.id, 'v1.other', 'v1.next', time(5))).toBe(false);
      expect(await store().googleCredentials.get(user.id)).toEqual(record);
      expect(await store().googleCredentials.replaceCiphertext(user.id, record.ciphertext, 'v1.next', time(6))).toBe(true);
      expect(await store().googleCredentials.get(user.id)).toEqual({ ...record, ciphertext: 'v1.next', updatedAt: time(6) });
      expect(await store().googleCredentials.replaceCiphertext(user.id, record.ciphertext, 'v1.again', time(7))).toBe(false);
      expect(await store().googleCredentials.replaceCiphertext((await givenUser(store())).id, 'v1.next', 'v1.x', time(8))).toBe(false);
    });
  });
}
