import { describe, expect, it } from 'vitest';
import { auditRecord, time, unique, useStore, type StoreFactory } from './fixtures.js';

export function auditContract(open: StoreFactory): void {
  describe('audit', () => {
    const store = useStore(open);

    it('appends events and lists them newest first with their details', async () => {
      const type = `test.${unique()}`;
      const first = auditRecord({ type, userId: 'usr_1', actorId: 'usr_2', ip: '203.0.113.9', details: { changed: ['name'], nested: { n: 1, ok: true, none: null } } });
      const second = auditRecord({ type });
      await store().audit.append(first);
      await store().audit.append(second);
      expect(await store().audit.list({ limit: 10, beforeId: null, type, userId: null })).toEqual([second, first]);
    });

    it('pages with beforeId and filters by type, user or both', async () => {
      const type = `test.${unique()}`;
      const otherType = `test.${unique()}`;
      const userId = `usr_${unique()}`;
      const a = auditRecord({ type, userId });
      const b = auditRecord({ type });
      const c = auditRecord({ type: otherType, userId });
      const d = auditRecord({ type, userId });
      for (const event of [a, b, c, d]) await store().audit.append(event);

      expect((await store().audit.list({ limit: 10, beforeId: null, type, userId: null })).map((e) => e.id)).toEqual([d.id, b.id, a.id]);
      expect((await store().audit.list({ limit: 10, beforeId: null, type: null, userId })).map((e) => e.id)).toEqual([d.id, c.id, a.id]);
      expect((await store().audit.list({ limit: 10, beforeId: null, type, userId })).map((e) => e.id)).toEqual([d.id, a.id]);
      expect((await store().audit.list({ limit: 1, beforeId: d.id, type, userId: null })).map((e) => e.id)).toEqual([b.id]);
      const newest = await store().audit.list({ limit: 2, beforeId: null, type: null, userId: null });
      expect(newest.map((e) => e.id)).toEqual([d.id, c.id]);
    });

    it('purges events created before a cutoff and counts them', async () => {
      const type = `test.${unique()}`;
      const old = [auditRecord({ type, createdAt: time(0, 2001) }), auditRecord({ type, createdAt: time(1, 2001) })];
      const recent = auditRecord({ type, createdAt: time(0, 2002) });
      for (const event of [...old, recent]) await store().audit.append(event);
      expect(await store().audit.purgeBefore(time(0, 2002))).toBe(2);
      expect(await store().audit.list({ limit: 10, beforeId: null, type, userId: null })).toEqual([recent]);
      expect(await store().audit.purgeBefore(time(0, 2002))).toBe(0);
    });
  });
}
