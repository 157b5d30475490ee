// Grassroots democracy: the board records a disclosure for two villages; Thôn 1's head, on a
// 360 px phone, confirms the announcement with a photo; the board sees Thôn 1 turn green; a
// citizen opens the commune's public disclosure page (no account).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, launch, login, open, pngFile, snap, uniq, signedIn } from './lib.mjs';

let browser;
let photoPath;
before(async () => {
  browser = await launch();
  photoPath = pngFile('hop-thon-1.png', 800, 600);
});
after(async () => {
  await browser?.close();
});

function isoDay(offset) {
  const d = new Date(Date.now() + 7 * 3600 * 1000 + offset * 86400 * 1000);
  return d.toISOString().slice(0, 10);
}

describe('disclosures and village relay', () => {
  const title = `Thông báo phương án bồi thường đường thôn (${uniq()})`;
  const state = { id: 0, publicHref: '' };

  it('the board records a disclosure that Thôn 1 and Thôn 2 must relay', async () => {
    await signedIn(browser, DESKTOP, 'bdh', '/disclosures', async (page) => {
      await page.locator('[data-testid="disclosures-title"]').waitFor();
      await page.locator('[data-testid="disclosures"]').waitFor();
      state.publicHref = (await page.locator('[data-testid="public-link"]').getAttribute('href')) ?? '';
      await snap(page, 'democracy-list-bdh-1280x800');
      await page.locator('[data-testid="new-disclosure"]').click();
      const form = page.locator('[data-testid="disclosure-form"]');
      await form.waitFor();
      const value = await page.locator('#dn-item option', { hasText: 'D11-05' }).first().getAttribute('value');
      await page.locator('#dn-item').selectOption(value ?? '');
      await page.locator('#dn-title').fill(title);
      await page.locator('#dn-content').fill('Phương án bồi thường, hỗ trợ giải phóng mặt bằng đường liên thôn.');
      await form.getByLabel('Hội nghị thôn').check();
      await form.getByLabel('Thôn 1', { exact: true }).check();
      await form.getByLabel('Thôn 2', { exact: true }).check();
      await page.locator('#dn-to').fill(isoDay(30));
      await snap(page, 'democracy-new-bdh-1280x800');
      await form.locator('button[type="submit"]').click();
      await page.locator('[data-testid="disclosure-title"]').filter({ hasText: title }).waitFor();
      state.id = Number(new URL(page.url()).pathname.split('/').pop());
      assert.ok(state.id > 0);
      const rows = page.locator('[data-testid="village-relays"] li');
      assert.equal(await rows.count(), 2);
      assert.equal(await rows.first().getAttribute('data-state'), 'waiting');
      await snap(page, 'democracy-detail-before-bdh-1280x800');
    });
  });

  it('Thôn 1 confirms the announcement with a photo from a 360 px phone', async () => {
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await login(page, 'thon1');
      await page.goto(`${BASE}/disclosures`);
      // A village head opens on what the village still has to announce.
      assert.equal(await page.locator('[data-testid="to-relay"]').isChecked(), true);
      const card = page.locator('[data-testid="disclosures"] li').filter({ hasText: title });
      await card.waitFor();
      await snap(page, 'democracy-list-thon1-360x740');
      // No signal at the village meeting: the notice, never opened before, opens from the copy
      // the list kept, and the confirmation waits in the phone's outbox.
      await page.locator('[data-testid="offline-kept"][data-done="true"]').waitFor({ state: 'attached', timeout: 60_000 });
      await context.setOffline(true);
      await card.locator('a').first().click();
      const form = page.locator('[data-testid="relay-form"]');
      await form.waitFor();
      await page.locator('[data-testid="synced-at"]').waitFor();
      await page.locator('#dc-note').fill('Đã thông báo tại họp thôn tối thứ Bảy, 45 hộ dự.');
      await page.locator('[data-testid="relay-photo"]').setInputFiles(photoPath);
      const submit = page.locator('[data-testid="relay-submit"]');
      const box = await submit.boundingBox();
      assert.ok(box && box.height >= 44 && box.x + box.width <= 360, `thumb-sized, within the phone: ${JSON.stringify(box)}`);
      await snap(page, 'democracy-relay-form-thon1-360x740');
      await submit.click();
      await page.locator('[data-testid="relay-queued"]').waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="outbox-badge"]')?.textContent?.trim() === 'Chưa gửi (1)');
      assert.equal(await form.count(), 0, 'the form gives way to "waiting to be sent"');
      await snap(page, 'democracy-relay-queued-thon1-360x740', false);
      // Back online: the outbox sends it with its Idempotency-Key, and the page shows it relayed.
      const posted = page.waitForResponse((r) => r.url().endsWith(`/api/v1/disclosures/${state.id}/relays`), { timeout: 60_000 });
      await context.setOffline(false);
      const answer = await posted;
      assert.equal(answer.status(), 201);
      assert.ok(answer.request().headers()['idempotency-key'], 'sent with its idempotency key');
      const mine = page.locator('[data-testid="village-relays"] li[data-state="relayed"]');
      await mine.waitFor({ timeout: 60_000 });
      assert.match((await mine.textContent()) ?? '', /Thôn 1/);
      await page.waitForFunction(() => !document.querySelector('[data-testid="outbox-badge"]'));
      await page.locator('[data-testid="village-relays"] img').first().waitFor();
      assert.equal(await form.count(), 0, 'the form is gone once confirmed');
      await snap(page, 'democracy-relayed-thon1-360x740');
      // The page fits the phone: nothing wider than the screen.
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `page width ${width}`);
      // Requests that failed while the network was off (a bell's poll, say) are expected; nothing else.
      assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p)), []);
    } finally {
      await context.close();
    }
  });

  it('the board sees Thôn 1 turn green, Thôn 2 still waiting', async () => {
    await signedIn(browser, DESKTOP, 'bdh', `/disclosures/${state.id}`, async (page) => {
      const t1 = page.locator('[data-testid="village-relays"] li').filter({ hasText: 'Thôn 1' });
      const t2 = page.locator('[data-testid="village-relays"] li').filter({ hasText: 'Thôn 2' });
      await t1.waitFor();
      assert.equal(await t1.getAttribute('data-state'), 'relayed');
      assert.equal(await t2.getAttribute('data-state'), 'waiting');
      const green = await t1.evaluate((el) => getComputedStyle(el).borderLeftColor);
      assert.equal(green, 'rgb(26, 127, 55)');
      await t1.locator('img').waitFor();
      await snap(page, 'democracy-detail-after-bdh-1280x800');
    });
  });

  for (const [viewport, size] of [
    [PHONE, '360x740'],
    [DESKTOP, '1280x800'],
  ]) {
    it(`a citizen opens the public disclosure page (${size})`, async () => {
      const { context, page, problems } = await open(browser, viewport);
      try {
        assert.match(state.publicHref, /^\/cong-khai\/.+/);
        await page.goto(`${BASE}${state.publicHref}`);
        await page.locator('[data-testid="public-disclosures-title"]').filter({ hasText: 'Bình Lương' }).waitFor();
        const current = page.locator('[data-testid="public-current"] li').filter({ hasText: title });
        await current.waitFor();
        assert.equal(await page.locator('[data-testid="public-past"] li').count() > 0, true, 'past disclosures listed');
        // Periods in words ("Quý III/2026"), never the server's codes ("2026-Q3").
        const metas = await page.locator('[data-testid="public-current"] .pd-meta, [data-testid="public-past"] .pd-meta').allTextContents();
        assert.ok(metas.some((m) => /· Quý (I|II|III|IV)\/\d{4}$/.test(m.trim())), `a quarter in words: ${JSON.stringify(metas)}`);
        assert.deepEqual(metas.filter((m) => /\d{4}-[HQ]\d/.test(m)), [], 'no raw period code');
        if (viewport === PHONE) {
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(width <= 360, `page width ${width}`);
        }
        await snap(page, `democracy-public-${size}`);
        // On an installation of one commune, /cong-khai alone is that commune's page.
        await page.goto(`${BASE}/cong-khai`);
        await page.locator('[data-testid="public-disclosures-title"]').filter({ hasText: 'Bình Lương' }).waitFor();
        await page.locator('[data-testid="public-current"] li').filter({ hasText: title }).waitFor();
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  for (const [user, viewport, size] of [
    ['thon5', PHONE, '360x740'],
    ['bdh', DESKTOP, '1280x800'],
  ]) {
    it(`${user} reads the dialogues and the overdue commitments (${size})`, async () => {
      await signedIn(browser, viewport, user, '/dialogues', async (page) => {
        await page.locator('[data-testid="dialogues"] li').first().waitFor();
        // Thôn 5 took part in both demo dialogues.
        assert.equal(await page.locator('[data-testid="dialogues"] li').count(), 2);
        await page.locator('[data-testid="commitments-overdue"] li').first().waitFor();
        if (viewport === PHONE) {
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(width <= 360, `page width ${width}`);
        }
        await snap(page, `democracy-dialogues-${user}-${size}`);
      });
    });
  }

  for (const [user, viewport, size] of [
    ['ubnd', PHONE, '360x740'],
    ['bdh', DESKTOP, '1280x800'],
  ]) {
    it(`${user} corrects a dialogue's place and sees it after a reload (${size})`, async () => {
      await signedIn(browser, viewport, user, '/dialogues', async (page) => {
        const first = page.locator('[data-testid="dialogues"] li a').first();
        await first.waitFor();
        await first.click();
        await page.locator('[data-testid="dialogue-title"]').waitFor();
        const edit = page.locator('[data-testid="dialogue-edit"]');
        await edit.click();
        const form = page.locator('[data-testid="dialogue-form"]');
        await form.waitFor();
        // The form opens filled with what was recorded.
        assert.notEqual(await page.locator('#dg-place').inputValue(), '');
        assert.notEqual(await page.locator('#dg-leaders').inputValue(), '');
        if (viewport === PHONE) {
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(width <= 360, `page width ${width}`);
          const save = await form.locator('button[type="submit"]').boundingBox();
          assert.ok(save && save.height >= 44, `save button ${save?.height}px`);
        }
        await snap(page, `democracy-dialogue-edit-${user}-${size}`);
        const place = `Nhà văn hóa thôn 5 (${uniq()})`;
        await page.locator('#dg-place').fill(place);
        const saved = page.waitForResponse((r) => /\/api\/v1\/dialogues\/\d+$/.test(r.url()) && r.request().method() === 'PUT');
        await form.locator('button[type="submit"]').click();
        assert.equal((await saved).status(), 200);
        await form.waitFor({ state: 'detached' });
        await page.reload();
        await page.locator('[data-testid="dialogue-title"]', { hasText: place }).waitFor();
        await snap(page, `democracy-dialogue-edited-${user}-${size}`);
        // A commitment's wording and due day, corrected in place.
        const item = page.locator('[data-testid="commitments"] [data-status="open"]').first();
        await item.locator('[data-testid="tracked-edit"]').click();
        const cf = item.locator('[data-testid="tracked-edit-form"]');
        const wording = `Niêm yết đủ thủ tục (${uniq()})`;
        await cf.locator('textarea').fill(wording);
        await snap(page, `democracy-commitment-edit-${user}-${size}`);
        const patched = page.waitForResponse((r) => /\/api\/v1\/commitments\/\d+$/.test(r.url()) && r.request().method() === 'PATCH');
        await cf.locator('button[type="submit"]').click();
        assert.equal((await patched).status(), 200);
        await page.locator('[data-testid="commitments"] .dc-tracked-text', { hasText: wording }).waitFor();
      });
    });
  }

  for (const [user, viewport, size] of [
    ['thon1', PHONE, '360x740'],
    ['bdh', DESKTOP, '1280x800'],
    ['bdh', PHONE, '360x740'],
  ]) {
    it(`${user} reads the awareness activities, the coordination meetings and the boards (${size})`, async () => {
      const { context, page, problems } = await open(browser, viewport);
      const fits = async () => {
        if (viewport !== PHONE) return;
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 360, `page width ${width}`);
      };
      try {
        await login(page, user);
        // Activities: the demo's monthly sessions (a village head: those that reached Thôn 1).
        await page.goto(`${BASE}/activities`);
        await page.locator('[data-testid="activities"] li').first().waitFor();
        const n = await page.locator('[data-testid="activities"] li').count();
        assert.ok(user === 'thon1' ? n >= 1 && n < 12 : n >= 12, `${n} activities`);
        await fits();
        await snap(page, `democracy-activities-${user}-${size}`);
        // Meetings: the quarterly giao ban with its decisions.
        await page.goto(`${BASE}/meetings`);
        await page.locator('[data-testid="meetings-title"]').waitFor();
        if (user !== 'thon1') {
          await page.locator('[data-testid="meetings"] li').first().waitFor();
          assert.equal(await page.locator('[data-testid="meetings"] li').count(), 4);
          await page.locator('[data-testid="decisions-overdue"] li').first().waitFor();
          await fits();
          await snap(page, `democracy-meetings-${user}-${size}`);
          await page.locator('[data-testid="meetings"] li a').nth(1).click();
          await page.locator('[data-testid="decisions"] > li').first().waitFor();
          assert.equal(await page.locator('[data-testid="decisions"] > li').count(), 3);
          await fits();
          await snap(page, `democracy-meeting-${user}-${size}`);
        }
        // Boards: the People's Inspection Board's recommendations and the commune's answers.
        await page.goto(`${BASE}/community-boards`);
        await page.locator('[data-testid="supervisions"] li[data-supervision-id]').first().waitFor();
        assert.ok((await page.locator('[data-recommendation-id][data-status="pending"]').count()) >= 1);
        assert.ok((await page.locator('[data-recommendation-id][data-status="resolved"]').count()) >= 2);
        await fits();
        await snap(page, `democracy-boards-${user}-${size}`);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  let activityPath = '';
  const activityName = `Tuyên truyền chuyển đổi số (${uniq()})`;
  it('the board records an activity with a photo, and answers a recommendation (1280)', async () => {
    await signedIn(browser, DESKTOP, 'bdh', '/activities/new', async (page) => {
      const form = page.locator('[data-testid="activity-form"]');
      await form.waitFor();
      const name = activityName;
      await page.locator('#ac-title').fill(name);
      await page.locator('#ac-place').fill('Nhà văn hóa thôn 2');
      await page.locator('#ac-n').fill('64');
      await page.locator('#ac-groups').fill('đoàn viên thanh niên');
      await form.getByLabel('Thôn 2', { exact: true }).check();
      // The task it carries out is picked by name from the plan's tasks, grouped by content area.
      const task = page.locator('#ac-task');
      await task.locator('optgroup option').first().waitFor({ state: 'attached' });
      assert.ok((await task.locator('optgroup').count()) > 1, 'the tasks under their content areas');
      const group = task.locator('optgroup').first();
      const [areaTitle, taskTitle] = [await group.getAttribute('label'), (await group.locator('option').first().textContent()).trim()];
      await task.selectOption({ label: taskTitle });
      await snap(page, 'democracy-activity-new-bdh-1280x800');
      await page.locator('[data-testid="activity-save"]').click();
      await page.locator('[data-testid="activity-photos"]').waitFor();
      // Saved with the task's content area, and the task named, not numbered.
      await form.getByRole('link', { name: taskTitle }).waitFor();
      await page.locator('#ac-task optgroup').first().waitFor({ state: 'attached' });
      assert.equal(await page.locator('#ac-area option:checked').textContent(), areaTitle);
      const uploaded = page.waitForResponse((r) => /\/api\/v1\/activities\/\d+\/photos$/.test(r.url()));
      await page.locator('[data-testid="activity-photos"]').setInputFiles(photoPath);
      assert.equal((await uploaded).status(), 201);
      await page.locator('#ac-ph').filter({ hasText: '(1)' }).waitFor();
      await snap(page, 'democracy-activity-saved-bdh-1280x800');
      activityPath = new URL(page.url()).pathname;
      // Answer the pending recommendation.
      await page.goto(`${BASE}/community-boards`);
      const pending = page.locator('[data-recommendation-id][data-status="pending"]').first();
      await pending.waitFor();
      const id = await pending.getAttribute('data-recommendation-id');
      await pending.getByRole('button').click();
      const rf = page.locator('[data-testid="response-form"]');
      await rf.locator('select').selectOption('resolved');
      await rf.locator('textarea').fill('Đã bổ sung đủ chứng từ, công khai tại họp thôn.');
      await rf.locator('button[type="submit"]').click();
      await page.locator(`[data-recommendation-id="${id}"][data-status="resolved"]`).waitFor();
      await snap(page, 'democracy-boards-answered-bdh-1280x800');
    });
    // The head of the village it reached reads it: a record, not a form to edit.
    assert.match(activityPath, /^\/activities\/\d+$/);
    await signedIn(browser, PHONE, 'thon2', activityPath, async (page) => {
      await page.locator('[data-testid="activity-form-title"]', { hasText: 'Chi tiết hoạt động' }).waitFor();
      assert.equal(await page.locator('[data-testid="activity-save"]').count(), 0);
      assert.equal(await page.locator('[data-testid="activity-form"]').count(), 0);
      const record = page.locator('[data-testid="activity-record"]');
      await record.waitFor();
      // Every word of it, wrapped at 360 px: the title and the place whole, nothing cut by a box.
      assert.ok(((await record.textContent()) ?? '').includes(activityName));
      assert.match((await record.textContent()) ?? '', /Nhà văn hóa thôn 2/);
      assert.equal(await record.evaluate((el) => el.scrollWidth <= el.clientWidth), true);
      // The evidence opens: it is fetched with the session and handed to the phone.
      const file = page.locator('[data-testid="activity-file"]').first();
      const download = page.waitForEvent('download');
      await file.click();
      assert.ok((await download).suggestedFilename().length > 0);
      await snap(page, 'democracy-activity-read-thon2-360x740');
    });
  });
});
