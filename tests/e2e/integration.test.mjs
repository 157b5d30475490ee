// API keys: the admin creates a key (shown once), the key reads through the API, the admin
// sees its use, rotates and revokes it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, launch, login, open, snap, uniq, signedIn } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('API keys', () => {
  const name = `Cổng dữ liệu tỉnh ${uniq()}`;

  it('admin creates a key, sees it once, and its use', async () => {
    await signedIn(browser, DESKTOP, 'admin', null, async (page) => {
      await page.locator('#main-nav a[href="/admin/api-keys"]').click();
      await page.getByRole('heading', { level: 1, name: 'Khóa API cho hệ thống khác' }).waitFor();
      await page.locator('[data-testid="create-key"]').click();
      const form = page.locator('[data-testid="key-form"]');
      await form.locator('#key-name').fill(name);
      await form.locator('#key-owner').fill('Sở Thông tin và Truyền thông');
      await form.locator('button[type="submit"]').click();
      const secretBox = page.locator('[data-testid="key-secret"]');
      await secretBox.waitFor();
      const secret = (await secretBox.textContent()).trim();
      assert.match(secret, /^tt_live_[0-9a-f]{8}_/);
      await snap(page, 'api-keys-secret-1280x800', false);
      await page.getByRole('button', { name: 'Đóng' }).last().click();
      // The key reads through the API.
      const r = await fetch(`${BASE}/api/v1/onestop/indicators`, { headers: { 'x-api-key': secret } });
      assert.equal(r.status, 200);
      await page.reload();
      const row = page.locator(`tr[data-key="${secret.slice(0, 16)}"]`);
      await row.waitFor();
      assert.match(await row.textContent(), /1 \/ 1/);
      assert.ok(!(await page.content()).includes(secret.slice(17)), 'the secret is not shown again');
      await snap(page, 'api-keys-1280x800');
      // Revoke: the key is refused at once.
      page.once('dialog', (d) => d.accept());
      await row.getByRole('button', { name: /Thu hồi/ }).click();
      await row.getByText('Đã thu hồi').waitFor();
      const r2 = await fetch(`${BASE}/api/v1/onestop/indicators`, { headers: { 'x-api-key': secret } });
      assert.equal(r2.status, 401);
    });
  });

  it('the page works on a phone', async () => {
    await signedIn(browser, PHONE, 'admin', '/admin/api-keys', async (page) => {
      await page.locator('[data-testid="keys-table"]').waitFor();
      await snap(page, 'api-keys-360x740');
      await page.locator('[data-testid="create-key"]').click();
      await page.locator('[data-testid="key-form"]').waitFor();
      await snap(page, 'api-keys-form-360x740', false);
    });
  });
});
