// Offline on a village head's phone (docs/offline.md): with no signal, three progress reports
// (one with a photo) wait in the outbox, a reload opens the app from the service worker's cache
// with the task list from the last sync, a server error on sync keeps every item queued, and
// back online exactly three reports reach the server — one of them had already arrived once,
// so the idempotency key is what keeps it from being stored twice. A head who opened only the
// landing page while in signal finds the notices to relay and the surveys to capture with none.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, DESKTOP, PASSWORD, PHONE, apiCall, apiGet, apiToken, communeDay, launch, login, notKept, open, snap, uniq } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const PHOTO = readFileSync(resolve(here, '../../web/public/icons/icon-512.png'));

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The server's own count of a task's reports, asked over the API with a token of its own. */
async function serverReports(taskId) {
  const login = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: USER, password: PASSWORD }),
  });
  assert.equal(login.status, 200);
  const { access_token: token } = await login.json();
  const res = await fetch(`${BASE}/api/v1/tasks/${taskId}/reports`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  return res.json();
}

// Thôn 2's head: plans.test.mjs works on Thôn 1's task and reads its first photo.
const USER = 'thon2';
const badge = (page) => page.locator('[data-testid="outbox-badge"]');

describe('offline outbox', () => {
  it('keeps three reports made offline through a reload and a 5xx, and sends each exactly once', async () => {
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await login(page, USER);
      await page.getByRole('heading', { level: 1, name: 'Việc của thôn tôi' }).waitFor();
      // The service worker controls the page once it is active (it claims its clients).
      await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 30_000 });
      const tabbar = page.locator('[data-testid="tabbar"]');
      assert.equal(await tabbar.isVisible(), true, 'the tab bar on a phone');
      const card = page.locator('[data-testid="my-tasks"] li').filter({ has: page.locator('[data-testid="report-button"]') }).first();
      await card.waitFor();
      const taskId = Number(await card.getAttribute('data-task-id'));
      assert.ok(taskId > 0);
      await snap(page, 'offline-village-home-360x740');
      const before = (await serverReports(taskId)).length;

      // A draft survives cancel.
      await card.locator('[data-testid="report-button"]').click();
      let form = page.locator('[data-testid="report-form"]');
      await form.locator('textarea[name="text"]').fill('Bản nháp chưa xong');
      // Closing the dialog writes the draft at once (ReportForm's onDestroy).
      await form.getByRole('button', { name: 'Hủy' }).click();
      await card.locator('[data-testid="report-button"]').click();
      form = page.locator('[data-testid="report-form"]');
      await page.waitForFunction(
        () => document.querySelector('[data-testid="report-form"] textarea')?.value === 'Bản nháp chưa xong',
      );

      // No signal (once the list's tasks are kept for reading offline): three reports, the first with a photo.
      await page.locator('[data-testid="offline-kept"][data-done="true"]').waitFor({ state: 'attached', timeout: 60_000 });
      await context.setOffline(true);
      const tag = uniq();
      const texts = [`Ngoại tuyến 1 có ảnh (${tag})`, `Ngoại tuyến 2 (${tag})`, `Ngoại tuyến 3 (${tag})`];
      for (const [i, text] of texts.entries()) {
        if (i > 0) {
          await card.locator('[data-testid="report-button"]').click();
          form = page.locator('[data-testid="report-form"]');
        }
        await form.locator('textarea[name="text"]').fill(text);
        if (i === 0) {
          await form.locator('[data-testid="report-photo"]').setInputFiles({ name: 'anh-hop-thon.png', mimeType: 'image/png', buffer: PHOTO });
          await form.locator('[data-testid="report-files"] li').filter({ hasText: 'anh-hop-thon.jpg' }).waitFor();
        }
        await form.locator('[data-testid="report-submit"]').click();
        await page.getByText('đã được lưu trên điện thoại').waitFor();
        await page.waitForFunction((n) => document.querySelector('[data-testid="outbox-badge"]')?.textContent?.trim() === `Chưa gửi (${n})`, i + 1);
      }
      assert.equal((await card.locator('[data-testid="queued-tag"]').textContent())?.trim(), 'Có báo cáo chưa gửi');
      await snap(page, 'offline-outbox-badge-360x740', false);

      // A reload with no signal opens the app from the cache, with the list of the last sync.
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Việc của thôn tôi' }).waitFor();
      await page.locator('[data-testid="synced-at"]').waitFor();
      assert.match((await page.locator('[data-testid="synced-at"]').textContent()) ?? '', /đồng bộ lúc/);
      assert.equal((await badge(page).textContent())?.trim(), 'Chưa gửi (3)');
      // What else waits (the home's cards) cannot load: the page says there is no network and that
      // they come with it, not "reload the page", which cannot help without a signal.
      const cardsFailed = page.locator('[data-testid="home-cards-failed"]');
      await cardsFailed.waitFor();
      assert.equal((await cardsFailed.textContent())?.trim(), 'Chưa có mạng. Số liệu hôm nay sẽ tự tải khi có mạng trở lại.');
      await snap(page, 'offline-village-home-no-network-360x740');
      // The task's own page too, never opened before: kept whole at the last sync.
      await page.locator(`[data-testid="my-tasks"] li[data-task-id="${taskId}"] h2 a`).click();
      await page.locator('[data-testid="task-title"]').waitFor();
      await page.locator('[data-testid="synced-at"]').waitFor();
      await snap(page, 'offline-task-detail-360x740');
      // The tab says there is something to send, in the warning colour.
      const tab = page.locator('[data-testid="tab-outbox"]');
      assert.equal((await tab.textContent())?.trim(), 'Chưa gửi (3)');
      assert.equal(await tab.evaluate((el) => el.classList.contains('waiting')), true);
      await tab.click();
      await page.locator('[data-testid="outbox-list"] li').nth(2).waitFor();
      assert.equal(await page.locator('[data-testid="outbox-list"] li').count(), 3);
      await snap(page, 'offline-outbox-list-360x740');
      await page.setViewportSize(DESKTOP);
      await snap(page, 'offline-outbox-list-1280x800');
      await page.setViewportSize(PHONE);

      // Back online, but the server fails: the first report reaches it and the answer is lost
      // (502 from a proxy), the others get 503. All three stay queued.
      let posts = 0;
      const failing = async (route) => {
        if (route.request().method() !== 'POST') return route.continue();
        posts += 1;
        if (posts === 1) {
          const real = await route.fetch();
          assert.equal(real.status(), 201, 'the first report did reach the server');
          return route.fulfill({ status: 502, contentType: 'text/plain', body: 'Bad gateway' });
        }
        return route.fulfill({
          status: 503,
          contentType: 'application/problem+json',
          body: JSON.stringify({ type: 'about:blank', status: 503, code: 'unavailable', title: 'Unavailable', detail: 'Máy chủ đang bận.' }),
        });
      };
      await page.route('**/api/v1/tasks/*/reports', failing);
      await context.setOffline(false);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="outbox-list"] li[data-state="waiting"] .hint').length > 0);
      await page.waitForFunction(() => /Đã thử gửi 1 lần/.test(document.querySelector('[data-testid="outbox-list"]')?.textContent ?? ''));
      assert.ok(posts >= 3, `every item was tried (${posts})`);
      assert.equal((await badge(page).textContent())?.trim(), 'Chưa gửi (3)', 'a 5xx keeps the items queued');
      assert.equal((await serverReports(taskId)).length, before + 1, 'only the one whose answer was lost arrived');

      // The server is back: send them all. The first is answered from its idempotency key.
      await page.unroute('**/api/v1/tasks/*/reports', failing);
      await page.locator('[data-testid="outbox-send-all"]').click();
      await badge(page).waitFor({ state: 'detached' });
      await page.getByText('Mọi việc đã được gửi lên máy chủ.').waitFor();
      // Nothing waits: the tab says so, not "Chưa gửi".
      assert.equal((await page.locator('[data-testid="tab-outbox"]').textContent())?.trim(), 'Đã gửi hết');
      assert.equal(await page.locator('[data-testid="tab-outbox"].waiting').count(), 0);
      const reports = await serverReports(taskId);
      assert.equal(reports.length, before + 3, 'exactly three reports, nothing twice');
      const ours = reports.filter((r) => r.text.includes(tag));
      assert.deepEqual(ours.map((r) => r.text).sort(), [...texts].sort());
      const withPhoto = ours.find((r) => r.text === texts[0]);
      assert.equal(withPhoto.attachments.length, 1);
      assert.equal(withPhoto.attachments[0].content_type, 'image/jpeg');
      await snap(page, 'offline-outbox-empty-360x740');

      // Offline noise (failed loads while the network was off) is expected; nothing else.
      const real = problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource|Failed to fetch/.test(p));
      assert.deepEqual(real, []);
    } finally {
      await context.close();
    }
  });

  it("keeps each village head's unsent work to them on a shared phone", async () => {
    const { context, page, problems } = await open(browser, PHONE);
    const dialogs = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    const signOut = async () => {
      await page.locator('[data-testid="user-menu-button"]').click();
      await page.locator('[data-testid="logout"]').click();
      await page.waitForURL(/\/login$/);
    };
    const subject = `Đèn đường hỏng (${uniq()})`;
    try {
      // Thôn 3's head files a petition while the server cannot take it (503): it waits.
      const me3 = await login(page, 'thon3');
      await page.goto(`${BASE}/petitions/new`);
      await page.locator('[data-testid="petition-form"]').waitFor();
      const refuse = (route) =>
        route.request().method() === 'POST'
          ? route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ status: 503, code: 'unavailable', title: 'Unavailable', detail: 'Máy chủ đang bận.' }) })
          : route.continue();
      await page.route('**/api/v1/petitions', refuse);
      await page.locator('#pn-kind').selectOption('feedback');
      await page.locator('#pn-subject').fill(subject);
      await page.locator('#pn-content').fill('Đèn đường ở ngã ba thôn 3 không sáng đã một tuần.');
      await page.locator('#pn-name').fill('Lò Văn Sáng');
      await page.locator('[data-testid="petition-submit"]').click();
      await page.locator('[data-testid="petition-queued"]').waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="outbox-badge"]')?.textContent?.trim() === 'Chưa gửi (1)');
      // Signing out with unsent work asks first.
      await signOut();
      assert.equal(dialogs.length, 1);
      assert.match(dialogs[0], /Còn 1 việc chưa gửi/);
      // The sign-in page says something waits on this phone.
      await page.getByText('Điện thoại này còn 1 việc chưa gửi lên máy chủ.').waitFor();
      await page.unroute('**/api/v1/petitions', refuse);

      // Thôn 4's head on the same phone: no badge, no item, nothing sent under their name.
      const posts = [];
      page.on('request', (r) => {
        if (r.method() === 'POST' && r.url().endsWith('/api/v1/petitions')) posts.push(r.headers().authorization ?? '');
      });
      await login(page, 'thon4');
      await page.goto(`${BASE}/outbox`);
      await page.locator('[data-testid="outbox-empty"]').waitFor();
      await page.locator('[data-testid="outbox-others"]').waitFor();
      assert.doesNotMatch((await page.locator('main').textContent()) ?? '', /Đèn đường/, 'another head’s subject is not shown');
      assert.equal(await page.locator('[data-testid="outbox-badge"]').count(), 0);
      await snap(page, 'offline-outbox-shared-360x740');
      assert.deepEqual(posts, [], 'nothing of Thôn 3 was sent with Thôn 4’s session');
      await signOut();
      assert.equal(dialogs.length, 1, 'nothing of theirs waited: no question');

      // Thôn 3's head again: it is theirs, and it goes, filed for Thôn 3.
      await login(page, 'thon3');
      await page.waitForFunction(() => document.querySelector('[data-testid="outbox-badge"]') === null, null, { timeout: 30_000 });
      assert.equal(posts.length, 1);
      const bdh = await apiToken('bdh');
      const found = await apiGet(bdh, `/petitions?q=${encodeURIComponent(subject)}`);
      assert.equal(found.total, 1);
      assert.equal(found.items[0].village_unit_id, me3.user.unit_id);
      const real = problems.filter((p) => !/Failed to load resource/.test(p));
      assert.deepEqual(real, []);
    } finally {
      await context.close();
    }
  });

  it('keeps the notices to relay and the surveys to capture for a head who opened only the landing page', async () => {
    // The board asks Thôn 6 to relay a notice and opens a survey the village heads capture.
    const bdh = await apiToken('bdh');
    const head = await apiGet(await apiToken('thon6'), '/auth/me');
    const items = await apiGet(bdh, '/disclosure-items');
    const item = (Array.isArray(items) ? items : items.items).find((i) => i.code === 'D11-05');
    const tag = uniq();
    const notice = await apiCall(bdh, 'POST', '/disclosures', {
      item_id: item.id,
      title: `Lịch tiêm phòng gia súc thôn 6 (${tag})`,
      content: 'Tiêm phòng lở mồm long móng tại nhà văn hóa thôn.',
      channels: ['village_meeting'],
      posted_from: communeDay(0),
      posted_to: communeDay(30),
      village_ids: [head.user.unit_id],
    });
    const noticeId = notice.disclosure?.id ?? notice.id;
    const form = (await apiGet(bdh, '/survey-forms')).find((f) => f.code === 'than_thien');
    const survey = await apiCall(bdh, 'POST', '/surveys', {
      form_id: form.id,
      title: `Khảo sát thôn 6 (${tag})`,
      starts_on: communeDay(0),
      target: 'all',
      channels: ['village'],
    });
    assert.ok(noticeId > 0 && survey.id > 0);

    const { context, page, problems } = await open(browser, PHONE);
    try {
      await login(page, 'thon6');
      await page.getByRole('heading', { level: 1, name: 'Việc của thôn tôi' }).waitFor();
      await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 30_000 });
      // Only the landing page, online: the phone keeps the two lists and what they lead to, idle.
      const uid = head.user.id;
      const wanted = [
        `surveys:${uid}`,
        `survey:${uid}:${survey.id}`,
        `disclosures:${uid}:${JSON.stringify({ page: 1, per_page: 30, unrelayed: true })}`,
        `disclosure:${uid}:${noticeId}`,
      ];
      assert.deepEqual(await notKept(page, wanted, 60_000), [], 'kept while on the landing page');
      assert.equal(new URL(page.url()).pathname, '/', 'still on the landing page');

      // In the village, no signal: "Công khai", the notice, "Khảo sát hài lòng", the capture.
      await context.setOffline(true);
      const tabbar = page.locator('[data-testid="tabbar"]');
      await tabbar.locator('a[href="/disclosures"]').click();
      const row = page.locator(`[data-testid="disclosures"] li[data-disclosure-id="${noticeId}"]`);
      await row.waitFor({ timeout: 30_000 });
      await page.locator('[data-testid="synced-at"]').waitFor();
      await row.locator('h2 a').click();
      await page.locator('[data-testid="disclosure-title"]').filter({ hasText: tag }).waitFor({ timeout: 30_000 });
      await page.locator('[data-testid="synced-at"]').waitFor();
      await page.locator('[data-testid="relay-form"]').waitFor();
      await snap(page, 'offline-warm-notice-360x740');
      await tabbar.locator('a[href="/surveys"]').click();
      const card = page.locator(`[data-testid="survey-${survey.id}"]`);
      await card.waitFor({ timeout: 30_000 });
      await page.locator('[data-testid="surveys-synced"]').waitFor();
      await card.locator('[data-testid="capture-link"]').click();
      await page.locator('[data-testid="capture-form"]').waitFor({ timeout: 30_000 });
      await page.locator('[data-testid="capture-synced"]').waitFor();
      assert.equal((await page.locator('.capture .lead').textContent())?.trim(), `Khảo sát thôn 6 (${tag})`);
      await snap(page, 'offline-warm-capture-360x740');
      await context.setOffline(false);
      const real = problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource|Failed to fetch/.test(p));
      assert.deepEqual(real, []);
    } finally {
      await context.close();
    }
  });

  it('the village home and its tab bar at 1280 px: the side menu instead of tabs', async () => {
    const { context, page, problems } = await open(browser, DESKTOP);
    try {
      await login(page, 'thon1');
      await page.getByRole('heading', { level: 1, name: 'Việc của thôn tôi' }).waitFor();
      assert.equal(await page.locator('[data-testid="tabbar"]').isVisible(), false);
      assert.equal((await page.locator('#main-nav a[href="/"]').textContent())?.trim(), 'Việc của thôn tôi');
      assert.equal(await page.locator('#main-nav a[href="/my-tasks"]').count(), 0, 'one name, one place');
      await snap(page, 'offline-village-home-1280x800');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('precompressed assets', () => {
  it('serves the staff bundle as brotli or gzip by Accept-Encoding, immutable', async () => {
    const html = await (await fetch(`${BASE}/`)).text();
    const script = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    assert.ok(script, 'the entry script');
    for (const [accept, encoding] of [
      ['br, gzip', 'br'],
      ['gzip', 'gzip'],
    ]) {
      // node's fetch decodes the body itself; the header says what came on the wire.
      const res = await fetch(`${BASE}${script}`, { headers: { 'accept-encoding': accept } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-encoding'), encoding);
      assert.match(res.headers.get('vary') ?? '', /Accept-Encoding/i);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      // Encoded once: it decodes to the script itself.
      assert.match(await res.text(), /import|export|function/);
    }
    const manifest = await fetch(`${BASE}/manifest.webmanifest`);
    assert.equal(manifest.status, 200);
    const body = await manifest.json();
    assert.equal(body.short_name, 'Thân Thiện');
    const sw = await fetch(`${BASE}/sw.js`);
    assert.equal(sw.status, 200);
    assert.equal(sw.headers.get('cache-control'), 'no-cache');
  });
});
