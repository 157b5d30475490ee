// The admin manages units and users through the UI.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, launch, login, open, snap, uniq, expectCount, signedIn } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('administration', () => {
  const suffix = uniq();
  const unitName = `Thôn Đồng Xanh ${suffix}`;
  const username = `e2e${suffix}`.toLowerCase().replace(/[^a-z0-9]/g, '');
  const fullName = `Trần Thị Kiểm Thử ${suffix}`;
  const password = 'mat-khau-e2e-123';
  const ownPassword = 'mat-khau-rieng-456';
  const resetPassword = 'mat-khau-dat-lai-789';

  it('a browser where nobody signed in does not try the refresh cookie; a signed-in one keeps its session over a reload', async () => {
    const { context, page, problems } = await open(browser, DESKTOP);
    try {
      const refreshes = [];
      page.on('request', (r) => {
        if (r.url().endsWith('/api/v1/auth/refresh')) refreshes.push(r.url());
      });
      await page.goto(`${BASE}/`);
      await page.locator('#login-username').waitFor();
      assert.equal(refreshes.length, 0, 'no refresh before anyone signed in');
      await login(page, 'admin');
      await page.reload();
      await page.locator('#main-nav a[href="/admin/units"]').waitFor();
      assert.ok(refreshes.length >= 1, 'the reload restored the session from the cookie');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('admin creates a unit', async () => {
    await signedIn(browser, DESKTOP, 'admin', null, async (page) => {
      await page.locator('#main-nav a[href="/admin/units"]').click();
      await page.getByRole('heading', { level: 1, name: 'Đơn vị' }).waitFor();
      await page.locator('[data-testid="units-table"]').waitFor();

      await page.locator('[data-testid="create-unit"]').click();
      const form = page.locator('[data-testid="unit-form"]');
      await form.locator('#unit-name').fill(unitName);
      await form.locator('#unit-kind').selectOption('village');
      await form.locator('button[type="submit"]').click();

      await page.getByText(`Đã tạo đơn vị ${unitName}.`).waitFor();
      await page.locator(`tr[data-unit="${unitName}"]`).waitFor();
      // Diacritic-insensitive search finds it.
      await page.locator('#unit-search').fill(`dong xanh ${suffix}`);
      await expectCount(page, '[data-testid="units-table"] tbody tr', 1);
      await snap(page, 'admin-units-1280x800');
    });
  });

  it('admin creates a user in that unit, who can then sign in', async () => {
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await login(page, 'admin');
      // On a phone the navigation sits behind the menu button.
      await page.getByRole('button', { name: 'Mở trình đơn' }).click();
      await page.locator('#main-nav a[href="/admin/users"]').click();
      await page.getByRole('heading', { level: 1, name: 'Người dùng' }).waitFor();
      await page.locator('[data-testid="users-table"]').waitFor();

      await page.locator('[data-testid="create-user"]').click();
      const form = page.locator('[data-testid="user-form"]');
      // Sent empty: every missing field is marked at once, not one a try.
      await form.locator('button[type="submit"]').click();
      await form.locator('#u-password[aria-invalid="true"]').waitFor();
      for (const id of ['u-username', 'u-full-name', 'u-unit']) {
        assert.equal(await form.locator(`#${id}`).getAttribute('aria-invalid'), 'true', id);
      }
      await form.locator('#u-username').fill(username);
      await form.locator('#u-full-name').fill(fullName);
      await form.locator('#u-phone').fill('0912345678');
      await form.locator('#u-role').selectOption('village');
      await form.locator('#u-unit').selectOption({ label: unitName });
      await form.locator('#u-password').fill(password);
      await form.locator('button[type="submit"]').click();

      await page.getByText(`Đã tạo người dùng ${username}.`).waitFor();
      const row = page.locator(`tr[data-username="${username}"]`);
      await row.waitFor();
      assert.match((await row.textContent()) ?? '', new RegExp(unitName));
      await snap(page, 'admin-users-360x740');

      // A duplicate username is refused with a message beside the field.
      await page.locator('[data-testid="create-user"]').click();
      await form.locator('#u-username').fill(username);
      await form.locator('#u-full-name').fill('Trùng Tên');
      await form.locator('#u-role').selectOption('village');
      await form.locator('#u-unit').selectOption({ label: unitName });
      await form.locator('#u-password').fill(password);
      await form.locator('button[type="submit"]').click();
      await form.locator('#u-username-error').waitFor();
      assert.equal((await form.locator('#u-username-error').textContent())?.trim(), 'Tên đăng nhập này đã có người dùng.');
      await form.getByRole('button', { name: 'Hủy' }).click();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }

    const second = await open(browser, DESKTOP);
    try {
      const me = await login(second.page, username, password);
      assert.equal(me.user.full_name, fullName);
      assert.equal(me.unit?.name, unitName);
      await second.page.getByText(unitName).first().waitFor();
    } finally {
      await second.context.close();
    }
  });

  it('the new user changes their own password on the account page', async () => {
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await login(page, username, password);
      await page.locator('[data-testid="user-menu-button"]').click();
      await page.locator('#user-menu-list a[href="/account"]').click();
      await page.getByRole('heading', { level: 1, name: 'Tài khoản của tôi' }).waitFor();
      await page.getByText(unitName).first().waitFor();

      await page.locator('#pw-current').fill('khong-phai-mat-khau');
      await page.locator('#pw-new').fill(ownPassword);
      await page.locator('#pw-confirm').fill(ownPassword);
      await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
      await page.locator('#pw-current-error').waitFor();
      assert.equal((await page.locator('#pw-current-error').textContent())?.trim(), 'Mật khẩu hiện tại không đúng.');

      await page.locator('#pw-current').fill(password);
      await page.locator('#pw-new').fill('ngan');
      await page.locator('#pw-confirm').fill('ngan');
      await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
      await page.locator('#pw-new-error').waitFor();
      assert.equal((await page.locator('#pw-new-error').textContent())?.trim(), 'Mật khẩu cần ít nhất 10 ký tự.');

      await page.locator('#pw-new').fill(ownPassword);
      await page.locator('#pw-confirm').fill(ownPassword);
      await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
      await page.getByText('Đã đổi mật khẩu.').waitFor();
      await snap(page, 'account-360x740');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
    const again = await open(browser, DESKTOP);
    try {
      await login(again.page, username, ownPassword);
    } finally {
      await again.context.close();
    }
  });

  it('admin resets the user’s password', async () => {
    await signedIn(browser, DESKTOP, 'admin', '/admin/users', async (page) => {
      await page.locator('#user-search').fill(fullName.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, ''));
      const row = page.locator(`tr[data-username="${username}"]`);
      await row.getByRole('button', { name: /^Đặt lại mật khẩu/ }).click();
      await page.locator('#reset-password').fill(resetPassword);
      await page.locator('dialog[open] button[type="submit"]').click();
      await page.getByText(`Đã đặt lại mật khẩu cho ${username}.`).waitFor();
    });
    const user = await open(browser, PHONE);
    try {
      await login(user.page, username, resetPassword);
    } finally {
      await user.context.close();
    }
  });

  it('admin edits the user and deactivates them', async () => {
    await signedIn(browser, DESKTOP, 'admin', '/admin/users', async (page) => {
      await page.locator('#user-search').fill(username);
      const row = page.locator(`tr[data-username="${username}"]`);
      await row.getByRole('button', { name: new RegExp(`^Sửa`) }).click();
      const form = page.locator('[data-testid="user-form"]');
      await form.locator('#u-role').selectOption('front');
      await form.locator('input[name="active"]').uncheck();
      await form.locator('button[type="submit"]').click();
      await page.getByText(`Đã lưu thay đổi của ${username}.`).waitFor();
      await row.getByText('Mặt trận & đoàn thể').waitFor();
      await row.getByText('Ngừng hoạt động').waitFor();
    });
    // A disabled account can no longer sign in.
    const user = await open(browser, PHONE);
    try {
      await user.page.goto(`${BASE}/login`);
      await user.page.locator('#login-username').fill(username);
      await user.page.locator('#login-password').fill(resetPassword);
      await user.page.locator('form button[type="submit"]').click();
      await user.page.locator('.login [role="alert"]').waitFor();
      assert.equal(new URL(user.page.url()).pathname, '/login');
    } finally {
      await user.context.close();
    }
  });

  it('the board reads the audit log, which shows the admin’s changes', async () => {
    await signedIn(browser, DESKTOP, 'bdh', null, async (page) => {
      await page.locator('#main-nav a[href="/admin/audit"]').click();
      await page.getByRole('heading', { level: 1, name: 'Nhật ký hệ thống' }).waitFor();
      await page.locator('[data-testid="audit-table"]').waitFor();
      assert.ok((await page.locator('[data-testid="audit-table"] tbody tr').count()) > 0);
      // The filters are lists of what the log holds, by name: no code or id typed by hand.
      await page.locator('#audit-user option', { hasText: 'admin' }).first().waitFor({ state: 'attached' });
      await page.locator('#audit-user').selectOption({ label: 'admin' });
      await page.locator('#audit-entity').selectOption({ label: 'Tài khoản' });
      await page.locator('form[role="search"] button[type="submit"]').click();
      const rows = page.locator('[data-testid="audit-table"] tbody tr');
      await page.waitForFunction(() => {
        const cells = [...document.querySelectorAll('[data-testid="audit-table"] tbody tr td:nth-child(5)')];
        return cells.length > 0 && cells.every((td) => td.textContent.includes('Tài khoản'));
      });
      const actions = await rows.locator('td:nth-child(4)').allTextContents();
      assert.ok(actions.every((a) => !/_/.test(a) && !['create', 'update', 'delete'].includes(a.trim())), `actions by name: ${actions.join(' | ')}`);
      assert.ok(actions.some((a) => a.trim() === 'Tạo mới'), actions.join(' | '));
      // What was recorded reads in words: the fields by name, the role by name, no code.
      const summaries = await rows.locator('td:nth-child(6)').allTextContents();
      assert.ok(summaries.some((s) => s.includes('Tên đăng nhập:')), summaries.join(' | '));
      assert.ok(summaries.every((s) => !/\busername:|\brole:/.test(s)), summaries.join(' | '));
      await snap(page, 'bdh-audit-1280x800', false);
      // The applied filters are in the address: a reload (or a link) opens the same filtered log.
      await page.waitForFunction(() => /entity=user/.test(location.search) && /user_id=\d+/.test(location.search));
      await page.reload();
      await page.locator('[data-testid="audit-table"] tbody tr').first().waitFor();
      assert.equal(await page.locator('#audit-entity').inputValue(), 'user');
      assert.notEqual(await page.locator('#audit-user').inputValue(), '');
      await page.waitForFunction(() => {
        const cells = [...document.querySelectorAll('[data-testid="audit-table"] tbody tr td:nth-child(5)')];
        return cells.length > 0 && cells.every((td) => td.textContent.includes('Tài khoản'));
      });
      // A range that ends before it starts is said under "Đến ngày", and nothing is applied.
      await page.locator('#audit-from').fill('2025-03-10');
      await page.locator('#audit-to').fill('2025-03-01');
      await page.locator('form[role="search"] button[type="submit"]').click();
      await page.locator('#audit-to-error', { hasText: 'Đến ngày' }).waitFor();
      assert.equal(await page.locator('#audit-to').getAttribute('aria-invalid'), 'true');
      assert.ok(!/from=/.test(new URL(page.url()).search), 'a refused range is not applied');
      // Reset empties the address again.
      await page.locator('form[role="search"] button[type="button"]').click();
      await page.waitForFunction(() => location.search === '');
      assert.equal(await page.locator('#audit-to-error').count(), 0);
    });
  });
});
