// The one-stop shop end to end: ubnd receives a dossier, prints the receipt (form 01) with its QR
// code and appointment, starts processing, requests a supplement, resumes, resolves and returns
// it; at the counter, a refusal (form 03) and a guidance (form 02) are recorded and printed without
// changing any indicator; a citizen with no account looks a dossier up by code and the last four
// digits of the phone; the public procedure list; what a procedure's citizen page shows, written
// by the desk; the admin's working calendar.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { BASE, DESKTOP, PHONE, apiCall, apiGet, apiToken, communeDay, launch, login, open, screenshotPath, snap, uniq, expectCount, signedIn } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const suffix = uniq();
// Four random digits, so a rerun against the same database never collides on the lookup.
const last4 = String(1000 + Math.floor(Math.random() * 9000));
const phone = `0912 34${last4.slice(0, 1)} ${last4.slice(1)}`;
const phoneDigits = `091234${last4}`;
const applicant = `Nguyễn Thị Kiểm Thử ${suffix}`;
const state = { code: '', id: '' };

/** Opens the action dialog for `action`, fills the note when given, confirms, waits for the new status. */
const DIRECT = ['start_processing'];

async function act(page, action, status, note) {
  if (DIRECT.includes(action)) {
    // No confirmation for what is undone by the next step ("Chuyển xử lý"): one tap acts.
    const res = page.waitForResponse((r) => r.url().includes('/actions') && r.request().method() === 'POST');
    await page.locator(`[data-testid="dossier-actions"] [data-action="${action}"]`).click();
    assert.equal((await res).status(), 200, `POST ${action}`);
    await page.locator(`[data-testid="dossier-status"] [data-status="${status}"]`).waitFor();
    return;
  }
  await page.locator(`[data-testid="dossier-actions"] [data-action="${action}"]`).click();
  const form = page.locator('[data-testid="action-form"]');
  await form.waitFor();
  if (note) await form.locator('#act-note').fill(note);
  const res = page.waitForResponse((r) => r.url().includes('/actions') && r.request().method() === 'POST');
  await form.locator('[data-testid="action-confirm"]').click();
  assert.equal((await res).status(), 200, `POST ${action}`);
  await page.locator(`[data-testid="dossier-status"] [data-status="${status}"]`).waitFor();
}

/** Receives a dossier through the intake form; returns to its detail page. */
async function intake(page, { filter, name, phone: tel, receivedAt = '' }) {
  await page.goto(`${BASE}/onestop/new`);
  const form = page.locator('[data-testid="intake-form"]');
  await form.locator('#proc-filter').fill(filter);
  await page.waitForFunction(() => document.querySelectorAll('#proc-id option:not([disabled])').length > 0);
  await form.locator('#proc-id').selectOption({ index: 1 });
  if (receivedAt) await form.locator('#received-at').fill(receivedAt);
  await page.locator('[data-testid="due-preview-value"]').waitFor();
  await form.locator('#a-name').fill(name);
  await form.locator('#a-phone').fill(tel);
  await form.locator('#a-id').fill('001190054321');
  await form.locator('#a-address').fill('Thôn 5, xã Bình Lương');
  const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/dossiers') && r.request().method() === 'POST');
  await form.locator('[data-testid="intake-submit"]').click();
  const res = await created;
  assert.equal(res.status(), 201, `POST /dossiers: ${await res.text()}`);
  await page.waitForURL(/\/onestop\/dossiers\/\d+/);
  await page.locator('[data-testid="dossier-code"]').waitFor();
  return page.url().match(/dossiers\/(\d+)/)[1];
}

const actionsOf = (page) => page.locator('[data-testid="dossier-actions"] [data-action]').evaluateAll((els) => els.map((e) => e.dataset.action));

describe('one-stop shop', () => {
  it('ubnd receives a dossier with a live appointment preview', async () => {
    await signedIn(browser, DESKTOP, 'ubnd', null, async (page) => {
      await page.locator('#main-nav a[href="/onestop"]').click();
      await page.getByRole('heading', { level: 1, name: 'Hồ sơ một cửa' }).waitFor();
      await page.locator('[data-testid="new-dossier"]').click();
      await page.getByRole('heading', { level: 1, name: 'Tiếp nhận hồ sơ' }).waitFor();

      const form = page.locator('[data-testid="intake-form"]');
      // The procedure picker filters without diacritics.
      await form.locator('#proc-filter').fill('xac nhan tinh trang hon nhan');
      await page.waitForFunction(() => document.querySelectorAll('#proc-id option:not([disabled])').length > 0);
      const preview = page.waitForResponse((r) => r.url().endsWith('/dossiers/preview-due'));
      await form.locator('#proc-id').selectOption({ index: 1 });
      assert.equal((await preview).status(), 200, 'POST /dossiers/preview-due');
      const due = (await page.locator('[data-testid="due-preview-value"]').textContent())?.trim() ?? '';
      assert.match(due, /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/, 'appointment shown as dd/mm/yyyy HH:mm');
      assert.match((await page.locator('[data-testid="procedure-facts"]').textContent()) ?? '', /ngày làm việc/);

      await form.locator('#a-name').fill(applicant);
      await form.locator('#a-phone').fill(phone);
      await form.locator('#a-id').fill('001190012345');
      await form.locator('#a-address').fill('Thôn 3, xã Bình Lương');
      await snap(page, 'onestop-intake-1280x800');
      const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/dossiers') && r.request().method() === 'POST');
      await form.locator('[data-testid="intake-submit"]').click();
      const res = await created;
      assert.equal(res.status(), 201, 'POST /dossiers');
      const body = await res.json();
      assert.match(body.code, /^[A-Z0-9]+-\d{6}-\d{4}$/);
      assert.match(body.due_at, /\+07:00$/, 'due_at carries the commune offset');

      await page.waitForURL(/\/onestop\/dossiers\/\d+/);
      state.code = (await page.locator('[data-testid="dossier-code"]').textContent())?.trim() ?? '';
      state.id = page.url().match(/dossiers\/(\d+)/)[1];
      assert.equal(state.code, body.code);
      assert.equal((await page.locator('[data-testid="dossier-due"]').textContent())?.trim().slice(0, 16), due, 'the preview was the appointment given');
      assert.equal((await page.locator('[data-testid="applicant-name"]').textContent())?.trim(), applicant);
      await page.locator('[data-testid="dossier-status"] [data-status="2"]').waitFor();
      // A received dossier offers only its legal next steps: a supplement belongs to processing
      // (status 4), a refusal to a dossier not yet received (the counter refuses instead).
      const actions = await page.locator('[data-testid="dossier-actions"] [data-action]').evaluateAll((els) => els.map((e) => e.dataset.action));
      assert.ok(actions.includes('start_processing') && actions.includes('resolve'), actions.join());
      assert.ok(!actions.includes('request_supplement') && !actions.includes('refuse'), actions.join());
      assert.ok(!actions.includes('return_result') && !actions.includes('receive_supplement'), actions.join());
    });
  });

  it('prints the receipt (form 01) with the QR code and the appointment', async () => {
    assert.ok(state.id, 'a dossier was received');
    await signedIn(browser, DESKTOP, 'ubnd', `/onestop/dossiers/${state.id}`, async (page) => {
      await page.locator('[data-form="01"]').click();
      await page.waitForURL(/\/print\/01$/);
      const paper = page.locator('[data-testid="paper"]');
      await paper.waitFor();
      const text = (await paper.textContent()) ?? '';
      assert.match(text, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
      assert.match(text, /Độc lập - Tự do - Hạnh phúc/);
      assert.match(text, /GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ/);
      assert.ok(text.includes(state.code), 'the code is on the receipt');
      assert.ok(text.includes(applicant), 'the applicant is on the receipt');
      const appointment = (await page.locator('[data-testid="paper-appointment"]').textContent())?.trim() ?? '';
      assert.match(appointment, /^\d{2} giờ \d{2} phút, ngày \d{2}\/\d{2}\/\d{4}$/);

      const qr = page.locator('[data-testid="receipt-qr"]');
      await qr.waitFor();
      // The receipt's link carries the dossier's random lookup token (no phone digits needed,
      // and not guessable from the sequential code).
      const qrUrl = (await qr.getAttribute('data-url')) ?? '';
      assert.match(qrUrl, new RegExp(`^${BASE.replace(/[.]/g, '\\.')}/tra-cuu/${encodeURIComponent(state.code)}\\?t=[0-9a-f]{32}$`), qrUrl);
      const pathLength = await qr.locator('path').evaluate((p) => p.getAttribute('d')?.length ?? 0);
      assert.ok(pathLength > 500, `QR path drawn (${pathLength} chars)`);
      const box = await qr.boundingBox();
      assert.ok(box && box.width > 80 && Math.abs(box.width - box.height) < 1, 'square QR of a scannable size');
      await snap(page, 'onestop-form01-1280x800');

      // Print CSS: only the paper is printed.
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('.topbar').isVisible(), false, 'top bar hidden in print');
      assert.equal(await page.locator('.sidenav').isVisible(), false, 'navigation hidden in print');
      assert.equal(await page.locator('[data-testid="print-button"]').isVisible(), false, 'print bar hidden in print');
      assert.equal(await qr.isVisible(), true);
      await page.emulateMedia({ media: 'screen' });
    });
  });

  it('starts processing, requests a supplement (form 02), resumes, resolves and returns the result', async () => {
    assert.ok(state.id, 'a dossier was received');
    await signedIn(browser, PHONE, 'ubnd', `/onestop/dossiers/${state.id}`, async (page) => {
      await page.locator('[data-testid="dossier-code"]').waitFor();

      const missing = 'Bản sao giấy khai sinh có chứng thực';
      await act(page, 'start_processing', 4);
      // A supplement request needs to say what is missing.
      await page.locator('[data-testid="dossier-actions"] [data-action="request_supplement"]').click();
      await page.locator('[data-testid="action-confirm"]').click();
      await page.getByText('Vui lòng ghi rõ nội dung này.').waitFor();
      await page.getByRole('button', { name: 'Hủy' }).click();

      await act(page, 'request_supplement', 5, missing);
      await page.locator('[data-testid="notice-print"][href$="/print/02"]').waitFor();
      assert.equal(await page.locator('[data-testid="dossier-actions"] [data-action="resolve"]').count(), 0, 'no resolving while paused');
      await page.locator('[data-form="02"]').click();
      await page.locator('[data-testid="paper"]').waitFor();
      assert.equal((await page.locator('[data-testid="paper-reason"]').textContent())?.trim(), missing);
      // The clock pauses while the citizen completes the file (it does not start again).
      assert.match((await page.locator('[data-testid="paper-pause"]').textContent()) ?? '', /tạm dừng.*lùi tương ứng/);
      await snap(page, 'onestop-form02-360x740');
      await page.goBack();
      await page.locator('[data-testid="dossier-code"]').waitFor();

      await act(page, 'receive_supplement', 4);
      await act(page, 'resolve', 9);
      await act(page, 'return_result', 10);
      assert.equal(await page.locator('[data-testid="dossier-actions"]').count(), 0, 'a returned dossier has no action');
      const steps = await page.locator('[data-testid="timeline"] li').evaluateAll((els) => els.map((e) => e.dataset.action));
      assert.deepEqual(steps, ['receive', 'start_processing', 'request_supplement', 'receive_supplement', 'resolve', 'return_result']);
      await snap(page, 'onestop-dossier-returned-360x740');

      // The process-control sheet (06) lists the same steps.
      await page.goto(`${BASE}/onestop/dossiers/${state.id}/print/06`);
      await page.locator('[data-testid="control-table"]').waitFor();
      assert.equal(await page.locator('[data-testid="control-table"] tbody tr').count(), 6);
      assert.equal((await page.locator('[data-testid="form-ref"]').textContent())?.trim(), 'Mẫu số 06 — Thông tư 03/2025/TT-VPCP');
      await snap(page, 'onestop-form06-360x740');

      // The queue on a phone, each dossier a card: every day's, newest first (a run that crosses
      // local midnight has received this dossier yesterday; the day's view is the API tests').
      await page.goto(`${BASE}/onestop?view=all`);
      await page.locator(`tr[data-code="${state.code}"]`).waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `no horizontal scroll at 360 px (${width})`);
      await snap(page, 'onestop-queue-360x740');
    });
  });

  it('finds the dossier by name without diacritics, by phone and by code', async () => {
    assert.ok(state.code, 'a dossier was received');
    await signedIn(browser, DESKTOP, 'ubnd', '/onestop', async (page) => {
      for (const query of [`nguyen thi kiem thu ${suffix}`, phone, state.code.toLowerCase()]) {
        await page.locator('#dossier-search').fill(query);
        const res = page.waitForResponse((r) => r.url().includes('/api/v1/dossiers?') && r.url().includes('q='));
        await page.locator('[data-testid="dossier-search-submit"]').click();
        assert.equal((await res).status(), 200);
        await page.locator(`tr[data-code="${state.code}"]`).waitFor();
        await expectCount(page, '[data-testid="dossiers-table"] tbody tr', 1);
      }
      await snap(page, 'onestop-search-1280x800');
      // The day's queue and the two deadline lists answer.
      for (const view of ['today', 'due_soon', 'overdue']) {
        const res = page.waitForResponse((r) => r.url().includes('/api/v1/dossiers?') && r.url().includes(`view=${view}`));
        await page.locator('#dossier-search').fill('');
        await page.locator(`[data-testid="views"] [data-view="${view}"]`).click();
        assert.equal((await res).status(), 200, view);
      }
    });
  });

  it('a citizen looks the dossier up without signing in', async () => {
    assert.ok(state.code, 'a dossier was received');
    const { context, page, problems } = await open(browser, PHONE);
    try {
      // The address the receipt's QR code carries.
      await page.goto(`${BASE}/tra-cuu/${encodeURIComponent(state.code)}`);
      await page.getByRole('heading', { level: 1, name: 'Tra cứu hồ sơ' }).waitFor();
      assert.equal(await page.locator('#lk-code').inputValue(), state.code, 'the QR address fills the code');

      // Wrong digits and an unknown code answer the same way.
      await page.locator('#lk-last4').fill(last4 === '0000' ? '1111' : '0000');
      await page.getByRole('button', { name: 'Tra cứu' }).click();
      const error = page.locator('[data-testid="lookup-error"]');
      await error.waitFor();
      assert.match((await error.textContent()) ?? '', /Không tìm thấy hồ sơ/);

      await page.locator('#lk-last4').fill(last4);
      await page.getByRole('button', { name: 'Tra cứu' }).click();
      const result = page.locator('[data-testid="lookup-result"]');
      await result.waitFor();
      assert.equal((await page.locator('[data-testid="lookup-status"]').textContent())?.trim(), 'Đã trả kết quả');
      assert.match((await page.locator('[data-testid="lookup-due"]').textContent()) ?? '', /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
      const text = (await page.locator('main').textContent()) ?? '';
      assert.ok(!text.includes(applicant) && !text.includes(phoneDigits), 'no personal data on the public page');
      assert.equal(await page.locator('[data-testid="user-menu-button"]').count(), 0, 'no staff chrome');
      // 44 px targets on a phone.
      const button = await page.getByRole('button', { name: 'Tra cứu' }).boundingBox();
      assert.ok(button && button.height >= 44, 'lookup button is a 44 px target');
      await snap(page, 'onestop-public-lookup-360x740');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('the citizen entry (public.html) looks a dossier up with a small first load and no staff code', async () => {
    assert.ok(state.code, 'a dossier was received');
    const { context, page, problems } = await open(browser, PHONE);
    try {
      // Script bodies weighed gzipped at level 9, as web/scripts/size-budget.mjs weighs them (the
      // wire size depends on the server's compression level).
      const scripts = [];
      page.on('response', async (res) => {
        if (res.request().resourceType() !== 'script') return;
        const body = await res.body().catch(() => Buffer.alloc(0));
        scripts.push({ url: res.url(), bytes: gzipSync(body, { level: 9 }).length });
      });
      // The file the server answers /tra-cuu and /thu-tuc with, once it maps them.
      await page.goto(`${BASE}/public.html?ma=${encodeURIComponent(state.code)}`);
      await page.getByRole('heading', { level: 1, name: 'Tra cứu hồ sơ' }).waitFor();
      await page.locator('#lk-last4').fill(last4);
      await page.getByRole('button', { name: 'Tra cứu' }).click();
      await page.locator('[data-testid="lookup-result"]').waitFor();
      assert.equal((await page.locator('[data-testid="lookup-status"]').textContent())?.trim(), 'Đã trả kết quả');
      assert.ok(scripts.length > 0, 'scripts were loaded');
      assert.ok(!scripts.some((s) => /\/assets\/index-/.test(s.url)), `no staff-shell chunk: ${scripts.map((s) => s.url).join(', ')}`);
      const total = scripts.reduce((n, s) => n + s.bytes, 0);
      console.log(`# citizen entry: ${scripts.length} script(s), ${(total / 1024).toFixed(1)} KB gz`);
      assert.ok(total <= 25 * 1024, `citizen first load ${total} bytes gz ≤ 25 KB`);
      // English on demand, without the staff dictionary.
      await page.getByRole('button', { name: 'EN' }).click();
      await page.getByRole('heading', { level: 1, name: 'Track your application' }).waitFor();
      assert.equal((await page.locator('[data-testid="lookup-status"]').textContent())?.trim(), 'Result returned');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('anyone reads the public procedure list on a phone', async () => {
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await page.goto(`${BASE}/thu-tuc`);
      await page.getByRole('heading', { level: 1, name: 'Thủ tục hành chính cấp xã' }).waitFor();
      const list = page.locator('[data-testid="public-procedures"] > li');
      await list.first().waitFor();
      assert.ok((await list.count()) >= 15, 'the demo catalogue is listed');
      await page.locator('#pp-search').fill('khai sinh');
      const text = (await page.locator('[data-testid="public-procedures"]').textContent()) ?? '';
      assert.match(text, /khai sinh/i);
      assert.match(text, /Toàn trình \(trước đây mức độ 4\)|Một phần \(trước đây mức độ 3\)|Chưa trực tuyến/);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `no horizontal scroll at 360 px (${width})`);
      await snap(page, 'onestop-public-procedures-360x740');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('the admin sets a day off on the working calendar and removes it', async () => {
    await signedIn(browser, DESKTOP, 'admin', null, async (page) => {
      await page.locator('#main-nav a[href="/admin/calendar"]').click();
      await page.getByRole('heading', { level: 1, name: 'Lịch làm việc' }).waitFor();
      await page.locator('[data-testid="calendar-month"]').waitFor();
      // Next month, so that no dossier of today's tests moves; its first Wednesday.
      await page.getByRole('button', { name: 'Tháng sau' }).click();
      const day = page.locator('[data-testid="calendar-month"] tbody tr td:nth-child(3) button.day').nth(1);
      // Clickable once the month's days (with their lunar dates) have arrived.
      await day.locator('.lunar').waitFor();
      const date = await day.getAttribute('data-date');
      await day.click();
      const form = page.locator('[data-testid="override-form"]');
      await form.locator('#ov-kind').selectOption('day_off');
      await form.locator('#ov-name').fill(`Nghỉ kiểm thử ${suffix}`);
      await form.locator('button[type="submit"]').click();
      const cell = page.locator(`button.day[data-date="${date}"]`);
      await page.waitForFunction((d) => document.querySelector(`button.day[data-date="${d}"]`)?.classList.contains('off'), date);
      assert.match((await cell.textContent()) ?? '', new RegExp(`Nghỉ kiểm thử ${suffix}`));
      await snap(page, 'calendar-1280x800');

      await cell.click();
      await page.locator('[data-testid="override-remove"]').click();
      await page.waitForFunction((d) => !document.querySelector(`button.day[data-date="${d}"]`)?.classList.contains('off'), date);
      assert.match((await page.locator('[data-testid="hours-current"]').textContent()) ?? '', /\d{2}:\d{2}–\d{2}:\d{2}, \d{2}:\d{2}–\d{2}:\d{2}/);
    });
  });
  it('ubnd edits a procedure’s online level (with history) and imports one from CSV', async () => {
    await signedIn(browser, DESKTOP, 'ubnd', null, async (page) => {
      await page.locator('#main-nav a[href="/procedures"]').click();
      await page.getByRole('heading', { level: 1, name: 'Thủ tục hành chính' }).waitFor();
      await page.locator('[data-testid="procedures-table"]').waitFor();
      await page.locator('#proc-search').fill('dang ky ket hon');
      const row = page.locator('[data-testid="procedures-table"] tbody tr');
      assert.equal(await row.count(), 1, 'diacritic-insensitive filter');
      await row.getByRole('button', { name: /Sửa/ }).click();
      const form = page.locator('[data-testid="procedure-form"]');
      await form.locator('[data-testid="level-history"]').waitFor();
      const before = await form.locator('[data-testid="level-history"] li').count();
      await form.locator('#p-level').selectOption('full');
      // A date of its own for each run, so a rerun on the same database adds a line too.
      const from = `2027-${String(1 + Math.floor(Math.random() * 12)).padStart(2, '0')}-${String(10 + Math.floor(Math.random() * 18))}`;
      await form.locator('#p-level-from').fill(from);
      const saved = page.waitForResponse((r) => /\/procedures\/\d+$/.test(r.url()) && r.request().method() === 'PATCH');
      await form.locator('button[type="submit"]').click();
      assert.equal((await saved).status(), 200, 'PATCH /procedures/{id}');
      await page.getByText(/^Đã lưu thủ tục/).waitFor();
      await row.getByRole('button', { name: /Sửa/ }).click();
      await form.locator('[data-testid="level-history"]').waitFor();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="level-history"] li').length === n + 1, before);
      const shown = `${from.slice(8, 10)}/${from.slice(5, 7)}/${from.slice(0, 4)}`;
      assert.ok(((await form.locator('[data-testid="level-history"]').textContent()) ?? '').includes(`Từ ${shown}: Toàn trình`));
      await snap(page, 'procedures-edit-1280x800', false);
      await form.getByRole('button', { name: 'Hủy' }).click();

      const code = `9.${Date.now().toString().slice(-6)}`;
      await page.getByRole('button', { name: 'Nhập từ CSV' }).click();
      const imp = page.locator('[data-testid="import-form"]');
      await imp.locator('#imp-text').fill(
        `code,name,field,limit_amount,limit_unit,fee_vnd,online_level\n${code},"Thủ tục kiểm thử ${suffix}",Kiểm thử,2,working_days,5000,partial\n`,
      );
      await imp.getByRole('button', { name: 'Nhập' }).click();
      await imp.getByText('Đã thêm 1 và cập nhật 0 thủ tục.').waitFor();
      await imp.getByRole('button', { name: 'Đóng' }).click();
      await page.locator('#proc-search').fill(`kiem thu ${suffix}`);
      await page.locator(`tr[data-code="${code}"]`).waitFor();
      assert.match((await page.locator(`tr[data-code="${code}"]`).textContent()) ?? '', /2 ngày làm việc.*5\.000 đ.*Một phần/s);
    });
  });
  it('ubnd writes what a procedure’s citizen page shows, a citizen reads it, the board cannot', async () => {
    const code = '2.000815';
    const documents = [`Bản chính giấy tờ cần chứng thực (${suffix})`, 'Bản sao cần chứng thực'];
    const place = `Quầy số 3, tầng 1 (${suffix})`;
    // What the citizen page shows now: the editor opens with it.
    const before = await (await fetch(`${BASE}/api/v1/public/procedures/${code}`)).json();
    let citizen = '';
    await signedIn(browser, PHONE, 'ubnd', '/procedures', async (page) => {
      await page.locator('#proc-search').fill(code);
      const row = page.locator(`tr[data-code="${code}"]`);
      await row.locator('[data-testid="details-open"]').click();
      const form = page.locator('[data-testid="details-form"]');
      const docs = form.locator('#d-documents');
      await docs.waitFor();
      assert.equal(await docs.inputValue(), before.documents.join('\n'));
      assert.equal(await form.locator('#d-steps').inputValue(), before.steps.join('\n'));
      const placeBefore = await form.locator('#d-place').inputValue();
      assert.ok(before.where_to_submit.endsWith(placeBefore), `${before.where_to_submit} / ${placeBefore}`);
      assert.match((await form.textContent()) ?? '', /Mỗi dòng một giấy tờ/);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `no horizontal scroll at 360 px (${width})`);
      await snap(page, 'procedures-details-360x740', false);

      // A blank line and a typed bullet are left out.
      await docs.fill(`${documents[0]}\n\n- ${documents[1]}\n`);
      await form.locator('#d-place').fill(place);
      const saved = page.waitForResponse((r) => r.url().endsWith('/details') && r.request().method() === 'PUT');
      await form.locator('button[type="submit"]').click();
      assert.equal((await saved).status(), 200, 'PUT /procedures/{id}/details');
      await form.locator('[data-testid="details-saved"]').waitFor();
      assert.equal(await docs.inputValue(), documents.join('\n'));
      const link = form.locator('[data-testid="details-citizen-link"]');
      citizen = (await link.getAttribute('href')) ?? '';
      assert.match(citizen, new RegExp(`/thu-tuc/${code.replace('.', '\\.')}$`));
      // Thumb-sized: every button and link of the dialog, and the fields.
      const small = await page.evaluate(() =>
        [...document.querySelectorAll('dialog[open] :is(a[href], button, input, textarea)')]
          .map((el) => [el.textContent?.trim() || el.id || el.getAttribute('aria-label'), el.getBoundingClientRect()])
          .filter(([, r]) => r.width < 43.5 || r.height < 43.5)
          .map(([name, r]) => `${name} ${Math.round(r.width)}×${Math.round(r.height)}`),
      );
      assert.deepEqual(small, []);
      await snap(page, 'procedures-details-saved-360x740', false);
    });
    await signedIn(browser, DESKTOP, 'ubnd', '/procedures', async (page) => {
      await page.locator('#proc-search').fill(code);
      await page.locator(`tr[data-code="${code}"] [data-testid="details-open"]`).click();
      // Opened again, it shows what was saved.
      await page.waitForFunction((p) => document.querySelector('#d-place')?.value === p, place);
      assert.equal(await page.locator('#d-documents').inputValue(), documents.join('\n'));
      await snap(page, 'procedures-details-1280x800', false);
    });

    for (const [viewport, name] of [[PHONE, '360x740'], [DESKTOP, '1280x800']]) {
      const { context, page, problems } = await open(browser, viewport);
      try {
        await page.goto(`${BASE}${citizen}`);
        const list = page.locator('[data-testid="proc-documents"] li');
        await page.waitForFunction((d) => document.querySelector('[data-testid="proc-documents"]')?.textContent?.includes(d), documents[0]);
        assert.deepEqual(await list.allTextContents(), documents);
        assert.match((await page.locator('[data-testid="proc-where"]').textContent()) ?? '', new RegExp(`— ${place.replace(/[()]/g, '\\$&')}$`));
        await snap(page, `procedure-citizen-saved-${name}`);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }

    // The board may not: no screen, no action, and the server refuses.
    await signedIn(browser, PHONE, 'bdh', '/procedures', async (page) => {
      await page.locator('[data-testid="error-forbidden"]').waitFor();
      assert.equal(await page.locator('[data-testid="details-open"]').count(), 0);
      assert.equal(await page.locator('a[href="/procedures"]').count(), 0);
    });
    const procs = await apiGet(await apiToken('ubnd'), `/procedures?q=${code}`);
    const res = await fetch(`${BASE}/api/v1/procedures/${procs.items[0].id}/details`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await apiToken('bdh')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ documents: ['x'], steps: [] }),
    });
    assert.equal(res.status, 403);
  });
  it('a late dossier is flagged for the apology (form 04), given one new date, and resolving is never blocked', async () => {
    const { context, page, problems } = await open(browser, DESKTOP);
    try {
      await login(page, 'ubnd');
      // Received two weeks ago: 3 working days have long passed.
      const id = await intake(page, {
        filter: 'xac nhan tinh trang hon nhan',
        name: `Trần Văn Trễ Hạn ${suffix}`,
        phone: '0987 000 111',
        receivedAt: `${communeDay(-14)}T08:00`,
      });
      await page.locator('[data-testid="dossier-status"] [data-status="2"]').waitFor();
      let actions = await actionsOf(page);
      assert.ok(actions.includes('apologize_and_extend'), actions.join());
      assert.ok(actions.includes('resolve'), `resolving is never blocked: ${actions.join()}`);
      // Past its deadline with no apology: the breach badge, and form 04 marked as due.
      await page.locator('[data-testid="late-without-apology"]').waitFor();
      const code = (await page.locator('[data-testid="dossier-code"]').textContent())?.trim();
      // The desk's home counts it among the dossiers owing form 04, and the figure opens that list.
      await page.goto(`${BASE}/`);
      await page.locator('[data-card="desk"] [data-figure="apology_due"]').click();
      await page.waitForURL((u) => u.pathname === '/onestop' && u.searchParams.get('view') === 'apology_due');
      await page.locator('[data-testid="views"] [data-view="apology_due"][aria-pressed="true"]').waitFor();
      await page.locator(`tr[data-code="${code}"]`).waitFor();
      await page.goto(`${BASE}/onestop/dossiers/${id}`);
      await page.locator('[data-testid="late-without-apology"]').waitFor();

      await page.locator('[data-action="apologize_and_extend"]').click();
      const form = page.locator('[data-testid="action-form"]');
      // The new appointment is a time the desk is open: 22:00 is refused, in words; 10:00 of the
      // next working day (the calendar's own answer) is taken.
      const next = await apiCall(await apiToken('ubnd'), 'POST', '/calendar/due', {
        start: `${communeDay(1)}T07:00:00+07:00`,
        amount: 1,
        unit: 'working_days',
      });
      const workDay = next.due_at.slice(0, 10);
      await form.locator('#act-due').fill(`${workDay}T22:00`);
      await form.locator('#act-note').fill('Cần xác minh thêm thông tin tại nơi cư trú trước đây.');
      await form.locator('[data-testid="action-confirm"]').click();
      await form.getByText('Ngày hẹn mới phải trong giờ làm việc của một ngày làm việc.', { exact: false }).waitFor();
      await form.locator('#act-due').fill(`${workDay}T10:00`);
      await form.locator('#act-note').fill('Cần xác minh thêm thông tin tại nơi cư trú trước đây.');
      await form.locator('[data-testid="action-confirm"]').click();
      // The intake notice offered form 01; after the apology it offers form 04.
      await page.locator('[data-testid="notice-print"][href$="/print/04"]').waitFor();
      assert.match((await page.locator('[data-testid="dossier-due"]').textContent()) ?? '', /10:00/);
      actions = await actionsOf(page);
      // One extension only.
      assert.ok(actions.includes('resolve') && !actions.includes('apologize_and_extend'), actions.join());
      // The printed appointment and the legal due time are both shown once they differ; the
      // lateness is the deadline's, not the new appointment's (still ahead).
      await page.locator('[data-testid="dossier-deadline"]').waitFor();
      assert.match((await page.locator('[data-testid="dossier-deadline"]').textContent()) ?? '', /quá hạn/);
      assert.doesNotMatch((await page.locator('[data-testid="dossier-due"]').textContent()) ?? '', /quá hạn/);

      await page.locator('[data-testid="notice-print"][href$="/print/04"]').click();
      await page.waitForURL(/\/print\/04$/);
      const paper = (await page.locator('[data-testid="paper"]').textContent()) ?? '';
      assert.match(paper, /VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT/);
      assert.equal((await page.locator('[data-testid="form-ref"]').textContent())?.trim(), 'Mẫu số 04 — Thông tư 03/2025/TT-VPCP');
      assert.match(paper, /Cần xác minh thêm thông tin/);
      assert.match((await page.locator('[data-testid="paper-new-due"]').textContent()) ?? '', /^10 giờ 00 phút, ngày \d{2}\/\d{2}\/\d{4}$/);
      await snap(page, 'onestop-form04-1280x800');

      await page.goto(`${BASE}/onestop/dossiers/${id}`);
      await act(page, 'resolve', 9);
      // The overdue list no longer counts it once resolved; the detail says it was late.
      assert.equal((await page.locator('[data-testid="dossier-timeliness"]').textContent())?.trim(), 'Quá hạn');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('a counter refusal (form 03) and a counter guidance (form 02) are printed and change no indicator', async () => {
    const tok = await apiToken('ubnd');
    const year = communeDay(0).slice(0, 4);
    const period = `from=${year}-01-01&to=${communeDay(0)}`;
    const before = (await apiGet(tok, `/onestop/indicators?${period}`)).overall;
    const ixBefore = await apiGet(tok, `/onestop/index766?${period}`);
    const num = (s) => Number((s ?? '').replace(/\D/g, ''));

    // The dashboard as it stands (the year so far).
    const desk = await open(browser, DESKTOP);
    const kpis = async (page) => {
      await page.goto(`${BASE}/onestop/dashboard`);
      await page.locator('[data-testid="kpi-received"]').waitFor();
      await page.locator('[data-testid="index-summary"]').waitFor();
      const text = (id) => page.locator(`[data-testid="${id}"]`).textContent().then((t) => t?.trim() ?? '');
      return {
        received: await text('kpi-received'),
        inProgress: await text('kpi-in-progress'),
        onTimeRate: await text('kpi-on-time-rate'),
        summary: await text('index-summary'),
        band: await text('index-band'),
        guidance: num(await text('kpi-counter-guidance')),
        refusals: num(await text('kpi-counter-refusals')),
      };
    };
    const phoneCtx = await open(browser, PHONE);
    try {
      await login(desk.page, 'ubnd');
      const shown = await kpis(desk.page);

      // At the counter, on a phone: the papers are not within the commune's competence — refused.
      const { page } = phoneCtx;
      await login(page, 'ubnd');
      await page.goto(`${BASE}/onestop/new`);
      const form = page.locator('[data-testid="intake-form"]');
      await form.locator('#proc-filter').fill('chung thuc chu ky');
      await page.waitForFunction(() => document.querySelectorAll('#proc-id option:not([disabled])').length > 0);
      await form.locator('#proc-id').selectOption({ index: 1 });
      const refusedName = `Lê Thị Từ Chối ${suffix}`;
      await form.locator('#a-name').fill(refusedName);
      await form.locator('#a-phone').fill('0987 000 222');
      const refuse = page.locator('[data-testid="counter-actions"] [data-counter="refusal"]');
      const target = await refuse.boundingBox();
      assert.ok(target && target.height >= 44, `the counter action is a 44 px target (${target?.height})`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `no horizontal scroll at 360 px (${width})`);
      await page.locator('[data-testid="counter-actions"]').scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath('onestop-intake-counter-360x740') });
      await refuse.click();
      const dialog = page.locator('[data-testid="counter-form"]');
      await dialog.waitFor();
      // The reason is required: it is printed on the slip.
      await dialog.locator('[data-testid="counter-submit"]').click();
      await page.getByText('Vui lòng ghi rõ nội dung này; nội dung được in trên phiếu.').waitFor();
      const reason = 'Giấy tờ cần chứng thực chữ ký không thuộc thẩm quyền của UBND xã.';
      await dialog.locator('#counter-reason').fill(reason);
      await page.screenshot({ path: screenshotPath('onestop-intake-counter-dialog-360x740') });
      const posted = page.waitForResponse((r) => r.url().endsWith('/api/v1/onestop/counter-records') && r.request().method() === 'POST');
      await dialog.locator('[data-testid="counter-submit"]').click();
      const res = await posted;
      assert.equal(res.status(), 201, `POST /onestop/counter-records: ${await res.text()}`);
      const refusal = await res.json();
      assert.equal(refusal.kind, 'refusal');
      assert.equal(refusal.code, undefined, 'a counter refusal has no dossier code');
      await page.waitForURL(/\/onestop\/counter\/\d+\/print$/);
      await page.locator('[data-testid="paper"]').waitFor();
      assert.equal((await page.locator('[data-testid="paper-reason"]').textContent())?.trim(), reason);
      assert.equal((await page.locator('[data-testid="paper-applicant"]').textContent())?.trim(), refusedName);
      const paper03 = (await page.locator('[data-testid="paper"]').textContent()) ?? '';
      assert.match(paper03, /PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ/);
      assert.match(paper03, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
      assert.equal((await page.locator('[data-testid="form-ref"]').textContent())?.trim(), 'Mẫu số 03 — Thông tư 03/2025/TT-VPCP');
      await snap(page, 'onestop-counter-form03-360x740');

      // At the desk: papers missing — guidance to complete them, nothing received.
      await desk.page.goto(`${BASE}/onestop/new`);
      const dform = desk.page.locator('[data-testid="intake-form"]');
      await dform.locator('#proc-filter').fill('xac nhan tinh trang hon nhan');
      await desk.page.waitForFunction(() => document.querySelectorAll('#proc-id option:not([disabled])').length > 0);
      await dform.locator('#proc-id').selectOption({ index: 1 });
      const guidedName = `Phạm Văn Hướng Dẫn ${suffix}`;
      await dform.locator('#a-name').fill(guidedName);
      await desk.page.locator('[data-testid="counter-actions"]').scrollIntoViewIfNeeded();
      await desk.page.screenshot({ path: screenshotPath('onestop-intake-counter-1280x800'), fullPage: true });
      await desk.page.locator('[data-testid="counter-actions"] [data-counter="guidance"]').click();
      const missing = 'Tờ khai theo mẫu; bản sao giấy tờ chứng minh nơi cư trú.';
      await desk.page.locator('#counter-reason').fill(missing);
      const posted2 = desk.page.waitForResponse((r) => r.url().endsWith('/api/v1/onestop/counter-records') && r.request().method() === 'POST');
      await desk.page.locator('[data-testid="counter-submit"]').click();
      assert.equal((await posted2).status(), 201);
      await desk.page.waitForURL(/\/onestop\/counter\/\d+\/print$/);
      await desk.page.locator('[data-testid="paper"]').waitFor();
      assert.equal((await desk.page.locator('[data-testid="paper-reason"]').textContent())?.trim(), missing);
      assert.match((await desk.page.locator('[data-testid="paper"]').textContent()) ?? '', /PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ/);
      assert.equal((await desk.page.locator('[data-testid="form-ref"]').textContent())?.trim(), 'Mẫu số 02 — Thông tư 03/2025/TT-VPCP');
      await snap(desk.page, 'onestop-counter-form02-1280x800');

      // The desk's list of the day, with a reprint.
      await desk.page.goto(`${BASE}/onestop/counter`);
      await desk.page.locator('[data-testid="counter-list"]').waitFor();
      const listText = (await desk.page.locator('[data-testid="counter-list"]').textContent()) ?? '';
      assert.ok(listText.includes(refusedName) && listText.includes(guidedName), 'both counter records listed');
      await desk.page.locator(`[data-testid="counter-reprint"][href="/onestop/counter/${refusal.id}/print"]`).click();
      await desk.page.locator('[data-testid="paper-reason"]').waitFor();
      assert.equal((await desk.page.locator('[data-testid="paper-reason"]').textContent())?.trim(), reason);

      // Nothing was received: every figure is as it was; the counter lines moved by one each.
      const after = (await apiGet(tok, `/onestop/indicators?${period}`)).overall;
      const ixAfter = await apiGet(tok, `/onestop/index766?${period}`);
      for (const k of ['received', 'resolved', 'returned', 'in_progress', 'early', 'on_time', 'late', 'open_overdue', 'open_not_due', 'on_time_rate', 'online_share']) {
        assert.deepEqual(after[k], before[k], `indicator ${k} unchanged by the counter`);
      }
      assert.deepEqual(after.channels, before.channels, 'channel counts unchanged');
      assert.equal(after.counter_refusals, before.counter_refusals + 1, 'one more counter refusal');
      assert.equal(after.counter_guidance, before.counter_guidance + 1, 'one more counter guidance');
      assert.equal(ixAfter.total, ixBefore.total, '766 total unchanged');
      assert.equal(ixAfter.max, ixBefore.max, '766 measurable maximum unchanged');
      assert.deepEqual(
        ixAfter.indicators.map((i) => [i.code, i.numerator, i.denominator]),
        ixBefore.indicators.map((i) => [i.code, i.numerator, i.denominator]),
        'every 766 numerator and denominator unchanged',
      );

      const now = await kpis(desk.page);
      assert.equal(now.received, shown.received, 'received on the dashboard unchanged');
      assert.equal(now.inProgress, shown.inProgress, 'in progress on the dashboard unchanged');
      assert.equal(now.onTimeRate, shown.onTimeRate, 'on-time rate on the dashboard unchanged');
      assert.equal(now.summary, shown.summary, '766 score on the dashboard unchanged');
      assert.equal(now.band, shown.band, '766 band on the dashboard unchanged');
      assert.equal(now.refusals, shown.refusals + 1, 'the counter refusal line moved');
      assert.equal(now.guidance, shown.guidance + 1, 'the counter guidance line moved');
      console.log(`# 766: ${now.summary} — ${now.band}; counter lines ${now.guidance} guidance, ${now.refusals} refusals`);
      // Whole pages (an element shot would catch the sticky top bar over the card).
      await snap(desk.page, 'onestop-dashboard-766-1280x800');
      await kpis(page);
      await snap(page, 'onestop-dashboard-766-360x740');
      assert.deepEqual(phoneCtx.problems, []);
      assert.deepEqual(desk.problems, []);
    } finally {
      await phoneCtx.context.close();
      await desk.context.close();
    }
  });

  it('a village head sees the one-stop aggregates without any link to dossier rows', async () => {
    await signedIn(browser, PHONE, 'thon1', '/onestop/dashboard', async (page) => {
      await page.locator('[data-testid="kpi-received"]').waitFor();
      assert.equal(await page.locator('[data-testid="kpi-received"]').evaluate((e) => e.tagName), 'SPAN');
      assert.equal(await page.locator('a[href^="/onestop?"]').count(), 0, 'no link into the dossier list');
      assert.equal(await page.locator('#main-nav a[href="/onestop"]').count(), 0);
    });
  });

  it('the register (form 07) lists the day’s dossiers', async () => {
    await signedIn(browser, DESKTOP, 'ubnd', '/onestop/register', async (page) => {
      const table = page.locator('[data-testid="register-table"]');
      await table.waitFor();
      await page.waitForFunction((code) => document.querySelector('[data-testid="register-table"]')?.textContent?.includes(code), state.code);
      const text = (await page.locator('[data-testid="paper"]').textContent()) ?? '';
      assert.match(text, /SỔ THEO DÕI HỒ SƠ/);
      assert.match(text, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
      assert.ok(text.includes(applicant), 'the register names the applicant');
      await snap(page, 'onestop-form07-1280x800');
    });
  });
});
