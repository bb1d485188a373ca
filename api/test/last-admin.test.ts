import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const me = async (token: string) => (await t.as(token, { method: 'GET', url: '/v1/me' })).json<{ id: string; version: number }>();
const patchUser = (token: string, userId: string, payload: Record<string, unknown>) =>
  t.as(token, { method: 'PATCH', url: `/v1/admin/users/${userId}`, payload });

describe('the last active administrator', () => {
  it('cannot be demoted or disabled; once there is another, they can', async () => {
    const first = await me(ADMIN_TOKEN);
    for (const payload of [{ role: 'author' }, { disabled: true }, { role: 'author', disabled: true }]) {
      const refused = await patchUser(ADMIN_TOKEN, first.id, payload);
      expect(refused.statusCode, JSON.stringify(payload)).toBe(409);
      expect(errorOf(refused)).toMatchObject({ code: 'CONFLICT' });
      expect(errorOf(refused).message).toContain('last active administrator');
    }
    expect((await t.as(ADMIN_TOKEN, { method: 'GET', url: '/v1/me' })).json()).toMatchObject({ role: 'admin', disabled: false });

    // A disabled admin does not count as a way back in.
    const disabled = await t.newUser('admin');
    expect((await patchUser(ADMIN_TOKEN, disabled.id, { disabled: true })).statusCode).toBe(200);
    expect((await patchUser(ADMIN_TOKEN, first.id, { role: 'author' })).statusCode).toBe(409);

    const second = await t.newUser('admin');
    const demoted = await patchUser(second.token, first.id, { role: 'author' });
    expect(demoted.statusCode, demoted.body).toBe(200);
    const selfDemote = await patchUser(second.token, second.id, { role: 'author' });
    expect(selfDemote.statusCode).toBe(409);
    // Other changes to the last admin (a name, quotas) are fine.
    expect((await patchUser(second.token, second.id, { name: 'Still in charge' })).statusCode).toBe(200);
  });
});
