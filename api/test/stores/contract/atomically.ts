import { describe, expect, it } from 'vitest';
import { bookRecord, givenBook, givenUser, time, useStore, type StoreFactory } from './fixtures.js';

export function atomicallyContract(open: StoreFactory): void {
  describe('atomically', () => {
    const store = useStore(open);

    it('keeps every write of the work, or none when it throws', async () => {
      const user = await givenUser(store());
      const kept = bookRecord(user.id);
      await store().atomically(async (tx) => {
        await tx.books.insert(kept);
        await tx.books.bumpTocVersion(kept.id, time(1));
      });
      expect(await store().books.get(user.id, kept.id)).toMatchObject({ tocVersion: 2 });

      const dropped = bookRecord(user.id);
      await expect(
        store().atomically(async (tx) => {
          await tx.books.insert(dropped);
          await tx.books.bumpTocVersion(kept.id, time(2));
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await store().books.get(user.id, dropped.id)).toBeNull();
      expect(await store().books.get(user.id, kept.id)).toMatchObject({ tocVersion: 2 });
    });

    it('neither takes in nor rolls back a write made outside it while it is open', async () => {
      const book = await givenBook(store());
      // Another request, started (from outside the work) while the work awaits between its statements.
      let startOutside = () => {};
      const outside = new Promise<void>((resolve) => (startOutside = resolve)).then(() =>
        store().books.update(book.userId, book.id, { title: 'Written outside' }, null, time(2)),
      );
      await expect(
        store().atomically(async (tx) => {
          await tx.books.bumpTocVersion(book.id, time(1));
          startOutside();
          await new Promise((resolve) => setTimeout(resolve, 5));
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      await outside;
      expect(await store().books.get(book.userId, book.id)).toMatchObject({ title: 'Written outside', tocVersion: 1 });
    });
  });
}
