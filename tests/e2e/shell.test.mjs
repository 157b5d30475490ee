// The shell: guards, language, sign-out, demo badge, phone layout, session restore, server contract.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, launch, login, open, signedIn, snap } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('app shell', () => {
  it('shows the demo badge on the login page', async () => {
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await page.goto(`${BASE}/`);
      await page.waitForURL(/\/login/);
      await page.locator('#login-username').waitFor();
      assert.equal((await page.locator('[data-testid="demo-badge"]').textContent())?.trim(), 'Dữ liệu mẫu');
      await snap(page, 'login-360x740');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('a wrong password gets a Vietnamese message', async () => {
    const { context, page } = await open(browser, PHONE);
    try {
      await page.goto(`${BASE}/login`);
      await page.locator('#login-username').fill('thon2');
      await page.locator('#login-password').fill('khong-dung-mat-khau');
      await page.locator('form button[type="submit"]').click();
      const alert = page.locator('.login [role="alert"]');
      await alert.waitFor();
      assert.equal((await alert.textContent())?.trim(), 'Tên đăng nhập hoặc mật khẩu không đúng.');
    } finally {
      await context.close();
    }
  });

  for (const [name, viewport] of [
    ['360x740', PHONE],
    ['1280x800', DESKTOP],
  ]) {
    it(`thon1 sees no admin navigation and is refused /admin/users (${name})`, async () => {
      const { context, page, problems } = await open(browser, viewport);
      try {
        await login(page, 'thon1');
        assert.equal(await page.locator('[data-testid="admin-nav"]').count(), 0);
        assert.equal(await page.locator('a[href^="/admin/"]').count(), 0);
        await page.goto(`${BASE}/admin/users`);
        await page.locator('[data-testid="error-forbidden"], [data-testid="error-notfound"]').first().waitFor();
        await snap(page, `thon1-admin-users-${name}`);
        // The server refuses too, whatever the UI shows.
        const status = await page.evaluate(async () => (await fetch('/api/v1/users')).status);
        assert.equal(status, 401, 'GET /api/v1/users without a token');
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  it('the language switch changes visible text and is remembered', async () => {
    const { context, page, problems } = await open(browser, DESKTOP);
    try {
      const me = await login(page, 'mttq');
      const greeting = page.locator('[data-testid="greeting"]');
      assert.equal((await greeting.textContent())?.trim(), `Xin chào, ${me.user.full_name}!`);
      await page.getByRole('button', { name: 'EN' }).click();
      // English is fetched on first use (its own chunk), so wait for it.
      await page.getByText(`Hello, ${me.user.full_name}!`).waitFor();
      assert.equal((await greeting.textContent())?.trim(), `Hello, ${me.user.full_name}!`);
      // The switch waits for every part of the dictionary (the shell's and the home page's are
      // chunks of their own), so the page turns English all at once: the role is English too.
      const role = page.locator('[data-testid="user-role"]');
      assert.equal((await role.textContent())?.trim(), 'Fatherland Front & unions');
      // Who they are, each part set off by " · " (no part glued to the dot before it).
      const who = ((await page.locator('.lead.who').textContent()) ?? '').replace(/\s+/g, ' ').trim();
      assert.match(who, /^Fatherland Front & unions( · [^·\s][^·]*[^·\s])+$/);
      assert.equal((await page.locator('[data-testid="demo-badge"]').textContent())?.trim(), 'Demo data');
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      await snap(page, 'mttq-en-1280x800');

      // A reload restores the session from the refresh cookie, and English stays.
      await page.reload();
      await greeting.waitFor();
      assert.equal((await greeting.textContent())?.trim(), `Hello, ${me.user.full_name}!`);
      await page.getByRole('button', { name: 'VI' }).click();
      assert.equal((await greeting.textContent())?.trim(), `Xin chào, ${me.user.full_name}!`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('logout returns to the login page and ends the session', async () => {
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await login(page, 'ubnd');
      const menuButton = page.locator('[data-testid="user-menu-button"]');
      // Escape closes the menu and gives focus back to its button.
      await menuButton.click();
      assert.equal(await menuButton.getAttribute('aria-expanded'), 'true');
      await page.keyboard.press('Escape');
      assert.equal(await page.locator('#user-menu-list').count(), 0);
      assert.equal(await menuButton.evaluate((el) => el === document.activeElement), true);
      await menuButton.click();
      await page.locator('[data-testid="logout"]').click();
      await page.waitForURL(/\/login$/);
      await page.locator('#login-username').waitFor();
      // The refresh cookie is revoked: the server refuses it, with the browser's own cookies.
      const refused = await page.request.post(`${BASE}/api/v1/auth/refresh`);
      assert.equal(refused.status(), 401);
      // Reloading a private page lands on login again, and the app no longer tries the refresh it
      // knows is gone (the browser logged that 401 as an error on every signed-out page).
      const refreshes = [];
      page.on('request', (r) => {
        if (r.url().endsWith('/api/v1/auth/refresh')) refreshes.push(r.url());
      });
      await page.goto(`${BASE}/account`);
      await page.waitForURL(/\/login\?next=%2Faccount$/);
      await page.locator('#login-username').waitFor();
      assert.deepEqual(refreshes, []);
      // Signing in again works as before, and a reload then restores the session from the cookie.
      await login(page, 'ubnd');
      await page.reload();
      await page.locator('[data-testid="user-menu-button"]').waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('on a phone the navigation folds behind a menu button and every target is ≥ 44 px', async () => {
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await login(page, 'admin');
      const nav = page.locator('#main-nav');
      assert.equal(await nav.isVisible(), false, 'nav hidden until opened');
      const toggle = page.getByRole('button', { name: 'Mở trình đơn' });
      await toggle.click();
      assert.equal(await nav.isVisible(), true, 'nav opens');
      await snap(page, 'admin-nav-open-360x740', false);
      const small = await page.evaluate(() =>
        [...document.querySelectorAll('.topbar a, .topbar button, #main-nav a, #main-nav button, .main a.button, .main button')]
          .filter((el) => el.getClientRects().length > 0)
          .map((el) => ({ el, r: el.getBoundingClientRect() }))
          .filter(({ el, r }) => r.height < 44 && !el.classList.contains('small') && !el.classList.contains('link-button'))
          .map(({ el, r }) => `${el.tagName} "${el.textContent?.trim()}" ${Math.round(r.width)}×${Math.round(r.height)}`),
      );
      assert.deepEqual(small, []);
      await page.locator('#main-nav a[href="/account"]').click();
      await page.getByRole('heading', { level: 1, name: 'Tài khoản của tôi' }).waitFor();
      assert.equal(await nav.isVisible(), false, 'nav closes after navigating');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('unknown pages get the 404 page', async () => {
    const { context, page } = await open(browser, DESKTOP);
    try {
      await login(page, 'tinh');
      await page.goto(`${BASE}/khong-co-trang-nay`);
      await page.locator('[data-testid="error-notfound"]').waitFor();
    } finally {
      await context.close();
    }
  });

  it("the province's account meets the no-access page on a commune's own records, and a missing dossier is a 404 page", async () => {
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await login(page, 'tinh');
      // It holds read_statistics and read_dossiers, but surveys and single dossiers are a commune's
      // staff's: the page says so at once, with no call the server would refuse.
      const refused = [];
      page.on('response', (r) => {
        if (r.url().includes('/api/v1/') && r.status() === 403) refused.push(r.url());
      });
      for (const path of ['/surveys', '/surveys/1', '/onestop/dossiers/1']) {
        await page.goto(`${BASE}${path}`);
        await page.locator('[data-testid="error-forbidden"] h1').waitFor();
      }
      await snap(page, 'shell-tinh-dossier-forbidden-360x740');
      assert.deepEqual(refused, []);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
    await signedIn(browser, DESKTOP, 'ubnd', '/onestop/dossiers/99999999', async (page) => {
      await page.locator('[data-testid="error-notfound"] h1').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Thử lại' }).count(), 0, 'no retry for what is not there');
    });
  });

  it('the server sends the SPA with a CSP, and unknown API paths are JSON 404s, not the SPA', async () => {
    const html = await fetch(`${BASE}/admin/users`);
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type') ?? '', /text\/html/);
    assert.match(html.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.doesNotMatch(await html.text(), /<script>(?!\s*<\/script>)/, 'no inline script');

    const api = await fetch(`${BASE}/api/v1/no-such-thing`);
    assert.equal(api.status, 404);
    assert.match(api.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal((await api.json()).code, 'not_found');
  });
});
