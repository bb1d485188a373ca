import { describe, expect, it } from 'vitest';
import { givenUser, time, tokenRecord, unique, useStore, type StoreFactory } from './fixtures.js';
import { activeTokens } from '../../../src/services/token-rules.js';

export function tokensContract(open: StoreFactory): void {
  describe('tokens', () => {
    const store = useStore(open);

    it('stores a token and finds it by hash', async () => {
      const user = await givenUser(store());
      const token = tokenRecord(user.id, { label: 'laptop', source: 'google', clientId: 'client-1', expiresAt: time(3600) });
      expect(await store().tokens.create(token)).toBe(true);
      expect(await store().tokens.findByHash(token.hash)).toEqual(token);
      expect(await store().tokens.findByHash(`hash-${unique()}`)).toBeNull();
    });

    it('refuses a second token with the same hash (false), keeping the first', async () => {
      const user = await givenUser(store());
      const first = tokenRecord(user.id, { label: 'first' });
      expect(await store().tokens.create(first)).toBe(true);
      expect(await store().tokens.create({ ...tokenRecord(user.id, { label: 'second' }), hash: first.hash })).toBe(false);
      expect(await store().tokens.findByHash(first.hash)).toEqual(first);
    });

    it('lists the user’s active tokens newest first: neither revoked nor expired at `now`', async () => {
      const user = await givenUser(store());
      const other = await givenUser(store());
      const now = time(1000);
      const forever = tokenRecord(user.id);
      const expired = tokenRecord(user.id, { expiresAt: time(999) });
      const expiringNow = tokenRecord(user.id, { expiresAt: now });
      const revoked = tokenRecord(user.id, { revokedAt: time(500) });
      const later = tokenRecord(user.id, { expiresAt: time(1001) });
      for (const token of [forever, expired, expiringNow, revoked, later, tokenRecord(other.id)]) await store().tokens.create(token);
      expect(await activeTokens(store(), user.id, now)).toEqual([later, forever]);
    });

    it('revokes one of the user’s tokens once, and never another user’s', async () => {
      const user = await givenUser(store());
      const other = await givenUser(store());
      const token = tokenRecord(user.id);
      await store().tokens.create(token);
      expect(await store().tokens.revoke(other.id, token.id, time(5))).toBe(false);
      expect((await store().tokens.findByHash(token.hash))?.revokedAt).toBeNull();
      expect(await store().tokens.revoke(user.id, token.id, time(6))).toBe(true);
      expect(await store().tokens.revoke(user.id, token.id, time(7))).toBe(false);
      expect((await store().tokens.findByHash(token.hash))?.revokedAt).toBe(time(6));
      expect(await activeTokens(store(), user.id, time(8))).toEqual([]);
    });

    it('revokes all of a user’s live tokens and counts them', async () => {
      const user = await givenUser(store());
      const other = await givenUser(store());
      const already = tokenRecord(user.id, { revokedAt: time(1) });
      const live = [tokenRecord(user.id), tokenRecord(user.id, { expiresAt: time(10_000) })];
      const others = tokenRecord(other.id);
      for (const token of [already, ...live, others]) await store().tokens.create(token);
      expect(await store().tokens.revokeAll(user.id, time(20))).toBe(2);
      expect(await store().tokens.revokeAll(user.id, time(21))).toBe(0);
      expect((await store().tokens.findByHash(already.hash))?.revokedAt).toBe(time(1));
      expect((await store().tokens.findByHash(live[0]!.hash))?.revokedAt).toBe(time(20));
      expect(await activeTokens(store(), other.id, time(22))).toEqual([others]);
    });

    it('records when a token was last used', async () => {
      const user = await givenUser(store());
      const token = tokenRecord(user.id);
      await store().tokens.create(token);
      await store().tokens.touch(token.id, time(42));
      expect(await store().tokens.findByHash(token.hash)).toEqual({ ...token, lastUsedAt: time(42) });
    });

    it('claims an ID token once until it expires, once among concurrent claims', async () => {
      const hash = `idt-${unique()}`;
      const claims = await Promise.all([1, 2, 3, 4].map(() => store().tokens.claimIdToken(hash, time(100), time(1))));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await store().tokens.claimIdToken(hash, time(100), time(99))).toBe(false);
      expect(await store().tokens.claimIdToken(`idt-${unique()}`, time(100), time(2))).toBe(true);
      // Past its expiry the record is gone (the verifier refuses an expired ID token before it gets here anyway).
      expect(await store().tokens.claimIdToken(hash, time(300), time(100))).toBe(true);
    });
  });
}
