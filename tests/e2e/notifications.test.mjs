// Reminders and the next year's plan on the living demo: the scheduler's start-up run has put
// notifications in the inbox; the bell shows the unread count, the inbox marks them read,
// preferences are saved; the administrator sees the background jobs; the board rolls this
// year's plan over with unfinished tasks carried over.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, launch, login, open, snap } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The bell's count once the start-up scan has run (the scheduler ticks at start). */
async function bellCount(page) {
  const bell = page.locator('[data-testid="bell"]');
  await bell.waitFor();
  for (let i = 0; i < 60; i++) {
    const n = Number(await bell.getAttribute('data-count'));
    if (n > 0) return n;
    await page.waitForTimeout(500);
    if (i % 10 === 9) await page.reload();
  }
  return Number(await bell.getAttribute('data-count'));
}

describe('notifications', () => {
  it('the board sees the unread count, reads the inbox and saves preferences', async () => {
    const { context, page, problems } = await open(browser, DESKTOP);
    try {
      await login(page, 'bdh');
      const unread = await bellCount(page);
      assert.ok(unread > 0, 'the living demo has overdue work for the board');
      await snap(page, 'notifications-bell-bdh-1280x800', false);
      await page.locator('[data-testid="bell"]').click();
      await page.locator('[data-testid="inbox-list"] li').first().waitFor();
      assert.match(await page.locator('[data-testid="inbox-unread"]').innerText(), new RegExp(`${unread} chưa đọc`));
      await snap(page, 'notifications-inbox-bdh-1280x800');
      // Mark one read: the count and the bell go down by one.
      await page.locator('[data-testid="inbox-list"] li.unread button').first().click();
      await page.locator('[data-testid="inbox-unread"]').filter({ hasText: `${unread - 1} chưa đọc` }).waitFor();
      assert.equal(Number(await page.locator('[data-testid="bell"]').getAttribute('data-count')), unread - 1);
      // Preferences: survey endings at once, by e-mail.
      await page.locator('[data-testid="inbox-preferences"]').click();
      await page.locator('[data-testid="prefs-form"]').waitFor();
      await page.locator('[data-testid="mode-survey_ending"]').selectOption('immediate');
      await page.locator('[data-testid="email-enabled"]').check();
      // This server has no mail relay: the page says mail would not go out yet.
      assert.match(await page.locator('[data-testid="email-unavailable"]').innerText(), /chưa được cấu hình gửi thư/);
      // Mail on without an address: said under the address, which takes the focus.
      await page.locator('[data-testid="prefs-save"]').click();
      await page.locator('[id="email-error"]').getByText('Nhập địa chỉ thư điện tử để nhận thư.').waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'email');
      await page.locator('[data-testid="email"]').fill('bdh@binhluong.gov.vn');
      await page.locator('[data-testid="prefs-save"]').click();
      await page.getByText('Đã lưu tùy chọn.').waitFor();
      await snap(page, 'notifications-preferences-bdh-1280x800');
      await page.reload();
      await page.locator('[data-testid="prefs-form"]').waitFor();
      assert.equal(await page.locator('[data-testid="mode-survey_ending"]').inputValue(), 'immediate');
      assert.equal(await page.locator('[data-testid="email"]').inputValue(), 'bdh@binhluong.gov.vn');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('a village head reads the inbox on a 360 px phone', async () => {
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await login(page, 'thon1');
      await bellCount(page);
      await snap(page, 'notifications-bell-thon1-360x740', false);
      await page.goto(`${BASE}/notifications`);
      await page.locator('[data-testid="inbox-title"]').waitFor();
      await page.locator('[data-testid="inbox-list"], [data-testid="inbox-empty"]').first().waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `no horizontal overflow (${width})`);
      await snap(page, 'notifications-inbox-thon1-360x740');
      await page.goto(`${BASE}/notifications/preferences`);
      await page.locator('[data-testid="prefs-form"]').waitFor();
      await snap(page, 'notifications-preferences-thon1-360x740');
      // Only what a village head can be sent: their tasks and relays, not dossiers or petitions.
      await page.locator('[data-testid="mode-relay_missing"]').waitFor();
      assert.equal(await page.locator('[data-testid="mode-task_due"]').count(), 1);
      assert.equal(await page.locator('[data-testid="mode-dossier_overdue"]').count(), 0);
      assert.equal(await page.locator('[data-testid="mode-petition_due"]').count(), 0);
      // The e-mail choice is a finger's height: its whole row is the label.
      const row = await page.locator('label:has([data-testid="email-enabled"])').boundingBox();
      assert.ok(row && row.height >= 43.5, `e-mail row ${row?.height} px tall`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('the administrator sees the background jobs', async () => {
    for (const [viewport, name] of [
      [DESKTOP, 'notifications-scheduler-admin-1280x800'],
      [PHONE, 'notifications-scheduler-admin-360x740'],
    ]) {
      const { context, page, problems } = await open(browser, viewport);
      try {
        await login(page, 'admin');
        await page.goto(`${BASE}/admin/scheduler`);
        await page.locator('[data-testid="scheduler-jobs"] [data-job="digest"]').waitFor();
        const digest = page.locator('[data-job="digest"]');
        assert.match(await digest.innerText(), /Thành công/);
        assert.ok((await page.locator('[data-testid="scheduler-runs"] tbody tr').count()) >= 2);
        await snap(page, name);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
  });
});

describe('the next year plan', () => {
  it('the 2023 plan says where it went; the board rolls this year over', async () => {
    const { context, page, problems } = await open(browser, DESKTOP);
    try {
      await login(page, 'bdh');
      const year = new Date(Date.now() + 7 * 3600 * 1000).getUTCFullYear();
      await page.goto(`${BASE}/plans`);
      await page.locator('[data-testid="plans-table"] a').filter({ hasText: '2023' }).first().click();
      await page.locator('[data-testid="rolled-into"]').waitFor();
      await snap(page, 'rollover-2023-closed-1280x800', false);
      await page.locator('[data-testid="rolled-into"] a').click();
      await page.locator('[data-testid="plan-title"]').filter({ hasText: String(year) }).waitFor();
      await page.locator('[data-testid="rolled-from"]').waitFor();
      await page.locator('[data-testid="rollover-open"]').click();
      await page.locator('[data-testid="rollover-tasks"] li').first().waitFor();
      const open = await page.locator('[data-testid="rollover-tasks"] li').count();
      assert.ok(open > 0, 'unfinished tasks to carry over');
      await page.locator('[data-testid="rollover-tasks"] input').first().check();
      // This year again: said in the page's words under the field, nothing sent.
      await page.locator('#rollover-year').fill(String(year));
      await page.locator('[data-testid="rollover-submit"]').click();
      const said = page.locator('#rollover-year-error');
      await said.waitFor();
      assert.equal((await said.textContent())?.trim(), `Năm của kế hoạch mới phải sau năm ${year} (đến 2100).`);
      await page.locator('#rollover-year').fill(String(year + 1));
      await snap(page, 'rollover-dialog-bdh-1280x800', false);
      await page.locator('[data-testid="rollover-submit"]').click();
      await page.locator('[data-testid="plan-title"]').filter({ hasText: String(year + 1) }).waitFor();
      await page.locator('[data-testid="rolled-from"]').waitFor();
      await snap(page, 'rollover-next-draft-1280x800', false);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('the dialog fits a 360 px phone', async () => {
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await login(page, 'bdh');
      await page.goto(`${BASE}/plans`);
      const year = new Date(Date.now() + 7 * 3600 * 1000).getUTCFullYear();
      await page.locator('[data-testid="plans-table"] a').filter({ hasText: String(year + 1) }).first().click();
      await page.locator('[data-testid="rollover-open"]').click();
      await page.locator('[data-testid="rollover-form"]').waitFor();
      await snap(page, 'rollover-dialog-bdh-360x740', false);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
