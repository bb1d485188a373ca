import { describe, expect, it } from 'vitest';
import { givenUser, time, unique, userRecord, useStore, type StoreFactory } from './fixtures.js';

export function usersContract(open: StoreFactory): void {
  describe('users', () => {
    const store = useStore(open);

    it('stores a user and reads it back by id and by email, booleans and nulls intact', async () => {
      const user = await givenUser(store(), { name: 'Ada', role: 'admin', disabled: true, quotaDailyTokens: 5_000 });
      expect(await store().users.get(user.id)).toEqual(user);
      expect(await store().users.getByEmail(user.email)).toEqual(user);
      expect(await store().users.get('usr_01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBeNull();
      expect(await store().users.getByEmail(`nobody-${unique()}@example.com`)).toBeNull();
    });

    it('refuses a second user with the same email (false, the first unchanged)', async () => {
      const first = await givenUser(store(), { name: 'First' });
      expect(await store().users.create(userRecord({ email: first.email, name: 'Second' }))).toBe(false);
      expect(await store().users.getByEmail(first.email)).toEqual(first);
    });

    it('keeps many users without a Google sub and finds one by its sub', async () => {
      const a = await givenUser(store());
      const b = await givenUser(store());
      const sub = `sub-${unique()}`;
      const bound = await store().users.update(b.id, { googleSub: sub }, b.version, time(10));
      expect(bound.ok).toBe(true);
      expect(await store().users.getByGoogleSub(sub)).toMatchObject({ id: b.id, googleSub: sub });
      expect(await store().users.getByGoogleSub(`sub-${unique()}`)).toBeNull();
      expect((await store().users.get(a.id))?.googleSub).toBeNull();
    });

    it('updates with a compare-and-swap on version', async () => {
      const user = await givenUser(store(), { name: 'Before' });
      const updated = await store().users.update(user.id, { name: 'After', disabled: true }, 1, time(60));
      expect(updated).toEqual({ ok: true, record: { ...user, name: 'After', disabled: true, version: 2, updatedAt: time(60) } });

      const stale = await store().users.update(user.id, { name: 'Stale' }, 1, time(61));
      expect(stale).toEqual({ ok: false, reason: 'conflict', current: { ...user, name: 'After', disabled: true, version: 2, updatedAt: time(60) } });

      const unchecked = await store().users.update(user.id, { quotaMonthlyTokens: 9 }, null, time(62));
      expect(unchecked.ok && unchecked.record).toMatchObject({ name: 'After', quotaMonthlyTokens: 9, version: 3 });
    });

    it('leaves fields absent from a patch unchanged and clears those set to null', async () => {
      const user = await givenUser(store(), { name: 'Named', quotaDailyTokens: 10 });
      const result = await store().users.update(user.id, { name: undefined, quotaDailyTokens: null }, null, time(5));
      expect(result.ok && result.record).toMatchObject({ name: 'Named', quotaDailyTokens: null, version: 2 });
    });

    it('reports a missing user', async () => {
      expect(await store().users.update('usr_01ARZ3NDEKTSV4RRFFQ69G5FAV', { name: 'x' }, null, time(1))).toEqual({ ok: false, reason: 'missing' });
      expect(await store().users.update('usr_01ARZ3NDEKTSV4RRFFQ69G5FAV', { name: 'x' }, 1, time(1))).toEqual({ ok: false, reason: 'missing' });
    });

    it('lists newest first, pages with beforeId and matches q in email or name, case-insensitively and literally', async () => {
      const tag = unique();
      const byEmail = await givenUser(store(), { email: `${tag}-one@example.com` });
      const byName = await givenUser(store(), { name: `Writer ${tag.toUpperCase()}` });
      const third = await givenUser(store(), { email: `${tag}-three@example.com` });
      await givenUser(store(), { email: `other-${unique()}@example.com` });

      const all = await store().users.list({ limit: 10, beforeId: null, q: tag.toUpperCase() });
      expect(all.map((u) => u.id)).toEqual([third.id, byName.id, byEmail.id]);
      expect(all[0]).toEqual(third);

      const page1 = await store().users.list({ limit: 2, beforeId: null, q: tag });
      const page2 = await store().users.list({ limit: 2, beforeId: page1[1]!.id, q: tag });
      expect([...page1, ...page2].map((u) => u.id)).toEqual([third.id, byName.id, byEmail.id]);

      // LIKE wildcards and regex metacharacters match only themselves.
      const literal = await givenUser(store(), { email: `${tag}_%.+x@example.com` });
      expect((await store().users.list({ limit: 10, beforeId: null, q: `${tag}_%.+` })).map((u) => u.id)).toEqual([literal.id]);
      expect(await store().users.list({ limit: 10, beforeId: null, q: `${tag}%one` })).toEqual([]);
      expect(await store().users.list({ limit: 10, beforeId: null, q: `${tag}.*` })).toEqual([]);

      const unfiltered = await store().users.list({ limit: 3, beforeId: null, q: null });
      expect(unfiltered).toHaveLength(3);
      expect(unfiltered.map((u) => u.id)).toEqual([...unfiltered.map((u) => u.id)].sort().reverse());
    });

    it('matches non-ASCII letters in q whatever their case', async () => {
      const tag = unique();
      const user = await givenUser(store(), { name: `Élodie Ørsted ${tag}` });
      expect((await store().users.list({ limit: 5, beforeId: null, q: `élodie øRSTED ${tag}` })).map((u) => u.id)).toEqual([user.id]);
    });

    it('counts users', async () => {
      const before = await store().users.count();
      await givenUser(store());
      await givenUser(store());
      expect(await store().users.count()).toBe(before + 2);
    });

    it('counts administrators who are not disabled', async () => {
      const before = await store().users.countActiveAdmins();
      await givenUser(store(), { role: 'admin' });
      await givenUser(store(), { role: 'admin', disabled: true });
      await givenUser(store());
      expect(await store().users.countActiveAdmins()).toBe(before + 1);
    });
  });
}
