// Every demo account signs in on a phone (360×740) and on a desktop (1280×800) and sees who they are.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS, DESKTOP, PHONE, ROLE_VI, launch, login, open, snap } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const [viewportName, viewport] of [
  ['360x740', PHONE],
  ['1280x800', DESKTOP],
]) {
  describe(`demo accounts at ${viewportName}`, () => {
    for (const [username, role] of ACCOUNTS) {
      it(`${username} (${role}) signs in and sees their name and role`, async () => {
        const { context, page, problems } = await open(browser, viewport);
        try {
          const me = await login(page, username);
          assert.equal(me.user.username, username);
          assert.equal(me.user.role, role, 'role reported by /auth/me');

          if (role === 'village') {
            // A village head lands on their work, called as the menu calls it.
            const title = page.locator('[data-testid="my-tasks-title"]');
            assert.equal((await title.textContent())?.trim(), 'Việc của thôn tôi');
            assert.equal(await page.locator('#main-nav a[href="/"]').textContent().then((x) => x?.trim()), 'Việc của thôn tôi');
          } else {
            const greeting = page.locator('[data-testid="greeting"]');
            assert.equal((await greeting.textContent())?.trim(), `Xin chào, ${me.user.full_name}!`);
            assert.equal((await page.locator('[data-testid="user-role"]').textContent())?.trim(), ROLE_VI[role]);
          }
          assert.equal(await page.locator('[data-testid="demo-badge"]').isVisible(), true, 'demo badge');
          if (me.commune) {
            assert.equal(await page.getByText(me.commune.name).first().isVisible(), true, 'commune name shown');
          }

          // Admin links only with their permissions.
          const perms = new Set(me.permissions);
          const hrefs = await page.locator('#main-nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
          assert.equal(hrefs.includes('/admin/users'), perms.has('manage_users'), 'users link');
          assert.equal(hrefs.includes('/admin/units'), perms.has('manage_units'), 'units link');
          assert.equal(hrefs.includes('/admin/audit'), perms.has('read_audit'), 'audit link');

          // Nothing wider than the screen on a phone.
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);

          await snap(page, `${username}-${viewportName}`);
          // The bar stays one row of controls (plus the demo strip on a phone), even after resizing.
          const barHeight = await page.locator('.topbar').evaluate((el) => el.getBoundingClientRect().height);
          assert.ok(barHeight <= 96, `top bar is ${barHeight}px high`);
          assert.deepEqual(problems, []);
        } finally {
          await context.close();
        }
      });
    }
  });
}
