// Satisfaction surveys: a citizen scans the QR "Quét để đánh giá" of a form 01 printed at the
// one-stop desk, answers on a 360 px phone, sees the thank-you page; the board sees the answer in
// the results. Screenshots of the public page, the staff list and the results.
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, apiCall, apiGet, apiToken, launch, login, notKept, open, receiveDossier, screenshotPath, snap, uniq } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// The API helpers of lib.mjs under this file's short names.
const token = apiToken;
const api = apiCall;

const state = { surveyUrl: '', surveyId: 0, before: 0 };

/** A day in the commune (UTC+7) `days` from today, as `YYYY-MM-DD`. */
const localDay = (days = 0) => new Date(Date.now() + 7 * 3600 * 1000 + days * 86400 * 1000).toISOString().slice(0, 10);
/** The commune's days from `start` (a `localDay`) to now: one, or two when local midnight passed. */
const daysSince = (start) => [...new Set([start, localDay(0)])];
/** The full name of a demo account (what a history shows, never the login). */
const fullName = async (username) => (await api(await token(username), 'GET', '/auth/me')).user.full_name;

describe('surveys', () => {
  it('form 01 carries the QR "Quét để đánh giá" of the dossier', async () => {
    const ubnd = await token('ubnd');
    const d = await receiveDossier(ubnd, '1.004873', { name: 'Lò Thị Khảo Sát', phone: '0912345678', id_number: '038190004321', address: 'Thôn 1' });
    const { context, page, problems } = await open(browser, DESKTOP);
    try {
      await login(page, 'ubnd');
      await page.goto(`${BASE}/onestop/dossiers/${d.id}/print/01`);
      const qr = page.locator('[data-testid="survey-qr"]');
      await qr.waitFor();
      state.surveyUrl = (await qr.getAttribute('data-url')) ?? '';
      assert.match(state.surveyUrl, /\/khao-sat\/[0-9a-f]{32}$/);
      assert.match((await page.locator('[data-testid="paper"]').textContent()) ?? '', /Quét để đánh giá/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
    const bdh = await token('bdh');
    const list = await api(bdh, 'GET', '/surveys');
    const s = list.items.find((x) => x.per_dossier && x.open);
    assert.ok(s, 'a running per-dossier survey');
    state.surveyId = s.id;
    state.before = (await api(bdh, 'GET', `/surveys/${s.id}/results`)).responses;
  });

  it('a citizen answers on a 360 px phone and sees the thank-you page', async () => {
    assert.ok(state.surveyUrl);
    for (const [viewport, name] of [[DESKTOP, 'surveys-public-1280'], [PHONE, 'surveys-public-360']]) {
      const { context, page } = await open(browser, viewport);
      try {
        await page.goto(state.surveyUrl.replace(/^https?:\/\/[^/]+/, BASE));
        await page.locator('[data-testid="survey-form"]').waitFor();
        assert.match((await page.locator('[data-testid="survey-notice"]').textContent()) ?? '', /13\/2023/);
        await snap(page, name);
      } finally {
        await context.close();
      }
    }
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await page.goto(state.surveyUrl.replace(/^https?:\/\/[^/]+/, BASE));
      const form = page.locator('[data-testid="survey-form"]');
      await form.waitFor();
      // Every radio keeps its 22 px beside the first line of its answer, a two-line one included
      // ("Trung học cơ sở, trung học phổ thông" squeezed it to 19 px, centred on both lines).
      const boxes = await form.locator('label.choice').evaluateAll((labels) =>
        labels.map((l) => {
          const input = l.querySelector('input').getBoundingClientRect();
          const range = document.createRange();
          range.selectNodeContents(l.querySelector('span'));
          const rects = [...range.getClientRects()];
          const first = rects[0];
          return {
            text: l.textContent.trim(),
            width: input.width,
            height: input.height,
            lines: new Set(rects.map((r) => Math.round(r.top))).size,
            offset: Math.abs(input.top + input.height / 2 - (first.top + first.height / 2)),
          };
        }),
      );
      const education = boxes.find((b) => b.text === 'Trung học cơ sở, trung học phổ thông');
      assert.ok(education, 'the one-stop form asks the education level');
      for (const b of boxes) {
        assert.ok(b.width >= 21.5 && b.height >= 21.5, `radio of “${b.text}” ${b.width}×${b.height}`);
        assert.ok(b.offset <= 3, `radio of “${b.text}” beside its first line (${b.offset}px off, ${b.lines} lines)`);
      }
      // Sending with nothing answered names the required questions.
      await page.locator('[data-testid="survey-submit"]').click();
      await page.locator('.field-error').first().waitFor();
      // Every five-point question: "Hài lòng" (the second label, 4), the overall one "Rất hài lòng".
      const likert = form.locator('fieldset:has(.likert)');
      const n = await likert.count();
      assert.ok(n >= 6, `${n} five-point questions`);
      for (let i = 0; i < n; i += 1) {
        const box = likert.nth(i).locator('label.choice');
        const height = (await box.first().boundingBox())?.height ?? 0;
        assert.ok(height >= 44, `touch target ${height}px`);
        await box.nth(i === n - 1 ? 0 : 1).click();
      }
      // No network when sending: the page says so (as /phan-anh does), not "an error occurred".
      await context.setOffline(true);
      await page.locator('[data-testid="survey-submit"]').click();
      await form.locator('.alert-error').filter({ hasText: 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.' }).waitFor();
      await snap(page, 'surveys-offline-360');
      await context.setOffline(false);
      const res = page.waitForResponse((r) => r.url().includes('/responses') && r.request().method() === 'POST');
      await page.locator('[data-testid="survey-submit"]').click();
      assert.equal((await res).status(), 201);
      await page.locator('[data-testid="survey-thanks"]').waitFor();
      await snap(page, 'surveys-thanks-360');
      // Opened again, the dossier's survey says it was rated, and thanks once.
      await page.reload();
      await page.locator('[data-testid="survey-thanks"]').waitFor();
      const again = (await page.locator('section.survey').textContent()) ?? '';
      assert.equal(again.match(/Cảm ơn/g)?.length, 1, again);
      assert.match(again, /đã được đánh giá/);
      await snap(page, 'surveys-answered-again-360');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `no sideways scroll (${width}px)`);
      // The refused first try (422) and the browser's own line for the request sent offline.
      assert.deepEqual(problems.filter((p) => !/422|ERR_INTERNET_DISCONNECTED/.test(p)), []);
    } finally {
      await context.close();
    }
  });

  it('the board sees the answer in the results', async () => {
    const bdh = await token('bdh');
    const r = await api(bdh, 'GET', `/surveys/${state.surveyId}/results`);
    assert.equal(r.responses, state.before + 1);
    for (const [viewport, suffix] of [[PHONE, '360'], [DESKTOP, '1280']]) {
      const { context, page } = await open(browser, viewport);
      try {
        await login(page, 'bdh');
        await page.goto(`${BASE}/surveys`);
        await page.locator('[data-testid="survey-list"]').waitFor();
        await snap(page, `surveys-list-${suffix}`);
        await page.goto(`${BASE}/surveys/${state.surveyId}`);
        const responses = page.locator('[data-testid="results-responses"] strong');
        await responses.waitFor();
        assert.equal(Number((await responses.textContent())?.trim()), state.before + 1);
        await page.locator('[data-testid="group-by"]').selectOption('month');
        await page.locator('[data-testid="results-groups"]').waitFor();
        await page.locator('figure.fig svg').first().waitFor();
        await snap(page, `surveys-results-${suffix}`);
        // The exports download with the session (a plain link went without its token: 401).
        for (const ext of ['csv', 'xlsx']) {
          const download = page.waitForEvent('download');
          await page.locator(`[data-testid="export-${ext}"]`).click();
          const file = await download;
          assert.match(file.suggestedFilename(), new RegExp(`\\.${ext}$`));
          const body = readFileSync(await file.path());
          if (ext === 'csv') assert.match(body.toString('utf8'), /\d/);
          else assert.equal(body.subarray(0, 2).toString('latin1'), 'PK');
        }
      } finally {
        await context.close();
      }
    }
  });

  // ---- staff: a campaign, paper forms by keyboard, a tally, village capture offline ----

  const camp = { id: 0, title: '' };

  it('the board creates a survey with paper, link and village channels; its poster QR', async () => {
    const bdh = await token('bdh');
    const forms = await api(bdh, 'GET', '/survey-forms');
    const form = forms.find((f) => f.code === 'than_thien');
    camp.title = `Khảo sát thôn e2e ${uniq()}`;
    for (const [viewport, suffix] of [[PHONE, '360'], [DESKTOP, '1280']]) {
      const { context, page, problems } = await open(browser, viewport);
      try {
        await login(page, 'bdh');
        await page.goto(`${BASE}/survey-forms`);
        await page.locator('[data-testid="form-list"] li').first().waitFor();
        await snap(page, `surveys-forms-${suffix}`);
        await page.goto(`${BASE}/surveys`);
        const create = page.locator('[data-testid="survey-create"]');
        await create.waitFor();
        if (suffix === '360') {
          await snap(page, 'surveys-create-360');
          // Refusals under their fields: an empty name (said by the page, no browser bubble), then
          // an end before the start (the server's words, not "invalid value").
          await create.locator('[data-testid="survey-create-submit"]').click();
          await create.locator('[id="sv-title-error"]').waitFor();
          assert.equal(await page.evaluate(() => document.activeElement?.id), 'sv-title');
          await page.locator('[data-testid="survey-title"]').fill(`Thử ngày sai ${camp.title}`);
          await create.locator('#sv-starts').fill(localDay(0));
          await create.locator('#sv-ends').fill(localDay(-5));
          await create.locator('[data-testid="survey-create-submit"]').click();
          const ends = create.locator('[id="sv-ends-error"]');
          await ends.waitFor();
          assert.equal((await ends.textContent())?.trim(), 'Ngày kết thúc không được trước ngày bắt đầu.');
          assert.equal(await create.locator('[id="sv-title-error"]').count(), 0);
          await snap(page, 'surveys-create-errors-360');
        } else {
          await page.locator('[data-testid="survey-title"]').fill(camp.title);
          await page.locator('[data-testid="survey-form"]').selectOption(String(form.id));
          // Opened a month ago: the paper collected since then can be dated.
          await create.getByLabel('Từ ngày').fill(localDay(-30));
          await create.locator('label.check', { hasText: 'Trưởng thôn thu hộ' }).click();
          // The board's target, typed as a percentage (a number field: it once broke the send).
          await create.locator('#sv-board-target').fill('80');
          await snap(page, 'surveys-create-1280');
          await page.locator('[data-testid="survey-create-submit"]').click();
          await page.waitForURL(/\/surveys\/\d+$/);
          camp.id = Number(new URL(page.url()).pathname.split('/').pop());
        }
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
    assert.ok(camp.id > 0);
    const s = await api(bdh, 'GET', `/surveys/${camp.id}`);
    assert.deepEqual([...s.channels].sort(), ['link', 'paper', 'village']);
    assert.equal(s.board_target, 0.8);
    for (const [viewport, suffix] of [[PHONE, '360'], [DESKTOP, '1280']]) {
      const { context, page } = await open(browser, viewport);
      try {
        await login(page, 'bdh');
        await page.goto(`${BASE}/surveys`);
        const card = page.locator(`[data-testid="survey-${camp.id}"]`);
        await card.locator('button', { hasText: 'Mã QR' }).click();
        const qr = card.locator('[data-testid="survey-qr"]');
        await qr.waitFor();
        assert.ok((await qr.getAttribute('data-url'))?.endsWith(s.public_path));
        await snap(page, `surveys-poster-qr-${suffix}`);
      } finally {
        await context.close();
      }
    }
  });

  it('the Front enters two paper forms by keyboard, corrects one, and enters a tally that adds up', async () => {
    assert.ok(camp.id);
    const { context, page, problems } = await open(browser, DESKTOP);
    try {
      await login(page, 'mttq');
      await page.goto(`${BASE}/surveys/${camp.id}/paper`);
      const box = page.locator('[data-testid="paper-entry"]');
      await box.waitFor();
      await page.locator('[data-testid="paper-mode"]').click();
      // Form 1: four levels, option 1 of the channels, ↓, overall 5, a comment, Enter.
      for (const k of ['4', '5', '3', '4', '1', 'ArrowDown', '5']) await page.keyboard.press(k);
      await page.locator('#answer-comment').pressSequentially('Cán bộ nhiệt tình');
      let saved = page.waitForResponse((r) => r.url().endsWith(`/surveys/${camp.id}/responses`) && r.request().method() === 'POST');
      await page.keyboard.press('Enter');
      assert.equal((await saved).status(), 201);
      await page.locator('[data-testid="paper-list"] tbody tr').first().waitFor();
      // Form 2: the next screen is empty and focused; Enter on the last question saves.
      assert.match((await page.locator('[data-testid="paper-mode"]').textContent()) ?? '', /2/);
      for (const k of ['2', '2', '3', '1', 'ArrowDown', '2']) await page.keyboard.press(k);
      saved = page.waitForResponse((r) => r.url().endsWith(`/surveys/${camp.id}/responses`) && r.request().method() === 'POST');
      await page.keyboard.press('Enter');
      assert.equal((await saved).status(), 201);
      await page.locator('[data-testid="paper-list"] tbody tr:nth-child(2)').waitFor();
      await snap(page, 'surveys-paper-1280');
      // Correct the newest form: attitude 2 → 5, Enter; its history shows the correction.
      await page.locator('[data-testid="paper-list"] tbody tr').first().locator('button', { hasText: 'Sửa' }).click();
      await page.locator('[data-testid="paper-mode"]').click();
      const put = page.waitForResponse((r) => r.request().method() === 'PUT');
      await page.keyboard.press('5');
      await page.keyboard.press('Enter');
      assert.equal((await put).status(), 200);
      await page.locator('[data-testid="paper-list"] tbody tr').first().locator('button', { hasText: 'Lịch sử' }).click();
      const history = page.locator('[data-testid="paper-history"]');
      await history.waitFor();
      assert.match((await history.textContent()) ?? '', /Sửa[\s\S]*Câu 1: 2 → 5/);
      await snap(page, 'surveys-paper-history-1280');

      // A tally of ten forms: a count above the forms is caught before sending.
      await page.goto(`${BASE}/surveys/${camp.id}/tallies`);
      await page.locator('[data-testid="tally-form"]').waitFor();
      await page.locator('[data-testid="tally-forms"]').fill('10');
      await page.locator('[data-testid="tally-overall-5"]').fill('8');
      await page.locator('[data-testid="tally-overall-4"]').fill('3');
      await page.locator('[data-testid="tally-q-overall"].bad').waitFor();
      assert.equal(await page.locator('[data-testid="tally-save"]').isDisabled(), true);
      await page.locator('[data-testid="tally-overall-4"]').fill('1');
      await page.locator('[data-testid="tally-attitude-5"]').fill('6');
      await page.locator('[data-testid="tally-attitude-4"]').fill('4');
      assert.match((await page.locator('[data-testid="tally-sum-overall"]').textContent()) ?? '', /9\/10.*1/);
      const tally = page.waitForResponse((r) => r.url().endsWith(`/surveys/${camp.id}/tallies`) && r.request().method() === 'POST');
      await page.locator('[data-testid="tally-save"]').click();
      assert.equal((await tally).status(), 201);
      await page.locator('[data-testid="tally-list"] tbody tr').first().waitFor();
      await snap(page, 'surveys-tally-1280');

      // Its history: the entry, by the Front member's name. Then a correction (attitude:
      // one "Hài lòng" was a "Bình thường"; the "listen" counts were forgotten) — the open
      // history refreshes with what changed, before → after, in the form's words.
      const row = page.locator('[data-testid="tally-list"] tbody tr').first();
      await row.locator('button', { hasText: 'Lịch sử' }).click();
      const th = page.locator('[data-testid="tally-history"]');
      await th.waitFor();
      const mttqName = await fullName('mttq');
      await th.locator('[data-testid="tally-history-entry"]').first().waitFor();
      let text = (await th.textContent()) ?? '';
      assert.match(text, /Nhập[\s\S]*10 phiếu, thu ngày/);
      assert.ok(text.includes(mttqName), `the history names ${mttqName}: ${text}`);
      assert.ok(!/\bmttq\b|system:/.test(text), `no login or system name: ${text}`);
      await row.locator('button', { hasText: 'Sửa' }).click();
      await page.locator('[data-testid="tally-attitude-4"]').fill('3');
      await page.locator('[data-testid="tally-attitude-3"]').fill('1');
      await page.locator('[data-testid="tally-listen-5"]').fill('6');
      const tallyPut = page.waitForResponse((r) => r.url().includes(`/surveys/${camp.id}/tallies/`) && r.request().method() === 'PUT');
      await page.locator('[data-testid="tally-save"]').click();
      assert.equal((await tallyPut).status(), 200);
      await th.locator('[data-testid="tally-history-entry"]').nth(1).waitFor();
      text = (await th.locator('[data-testid="tally-history-entry"]').first().textContent()) ?? '';
      assert.match(text, /^\s*Sửa/);
      assert.ok(text.includes(mttqName), text);
      // Per question (its number and text on the form), the answers whose count changed.
      const lines = await th.locator('[data-testid="tally-history-entry"]').first().locator('.changes li').allInnerTexts();
      assert.deepEqual(lines.map((l) => l.replace(/\s+/g, ' ').trim()), [
        '1. Cán bộ, công chức xã có thái độ thân thiện, gần gũi với người dân. Hài lòng: 4 → 3 phiếu; Bình thường: 0 → 1 phiếu',
        '2. Chính quyền xã lắng nghe và giải quyết ý kiến, kiến nghị của người dân. Rất hài lòng: 0 → 6 phiếu',
      ]);
      assert.ok(!/Số phiếu:/.test(text), 'the forms did not change');
      await snap(page, 'surveys-tally-history-1280');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
    for (const [path, name] of [['paper', 'surveys-paper-360'], ['tallies', 'surveys-tally-360']]) {
      const { context, page } = await open(browser, PHONE);
      try {
        await login(page, 'mttq');
        await page.goto(`${BASE}/surveys/${camp.id}/${path}`);
        await page.locator('[data-testid="paper-entry"], [data-testid="tally-form"]').first().waitFor();
        await snap(page, name);
        let width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 360, `${path}: no sideways scroll (${width}px)`);
        if (path === 'tallies') {
          const button = page.locator('[data-testid="tally-list"] tbody tr').first().locator('button', { hasText: 'Lịch sử' });
          const h = (await button.boundingBox())?.height ?? 0;
          assert.ok(h >= 44, `history button ${h}px`);
          await button.click();
          await page.locator('[data-testid="tally-history-entry"]').nth(1).waitFor();
          // The history as the phone shows it once opened (it scrolls into view), then the page.
          await page.screenshot({ path: screenshotPath('surveys-tally-history-360-view') });
          await snap(page, 'surveys-tally-history-360');
          width = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(width <= 360, `tally history: no sideways scroll (${width}px)`);
        }
      } finally {
        await context.close();
      }
    }
    const bdh = await token('bdh');
    const r = await api(bdh, 'GET', `/surveys/${camp.id}/results`);
    assert.equal(r.responses, 12, 'two paper forms and a tally of ten');
    const overall = r.questions.find((q) => q.id === 'overall');
    assert.deepEqual([overall.distribution['5'], overall.distribution['4'], overall.distribution['2']], [9, 1, 1]);
    const attitude = r.questions.find((q) => q.id === 'attitude');
    assert.equal(attitude.distribution['5'], 7, 'the corrected form counts as corrected');
    assert.equal(attitude.distribution['2'], 0);
    assert.deepEqual([attitude.distribution['4'], attitude.distribution['3']], [4, 1], 'the corrected tally counts as corrected');
    assert.equal(r.questions.find((q) => q.id === 'listen').distribution['5'], 7);
  });

  it('a village head captures an answer offline at 360 px; it arrives once when back online', async () => {
    assert.ok(camp.id);
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await login(page, 'thon1');
      await page.goto(`${BASE}/surveys`);
      const card = page.locator(`[data-testid="survey-${camp.id}"]`);
      await card.waitFor();
      await snap(page, 'surveys-village-list-360');
      // The list keeps each capturable survey's questions for offline use.
      const uid = (await apiGet(await apiToken('thon1'), '/auth/me')).user.id;
      assert.deepEqual(await notKept(page, [`survey:${uid}:${camp.id}`], 30_000), [], 'the survey is kept for offline use');
      // Visit the capture page once online (its code is then in the page), back to the list.
      await card.locator('[data-testid="capture-link"]').click();
      await page.locator('[data-testid="capture-form"]').waitFor();
      await page.locator('.capture a[href="/surveys"]').click();
      await card.waitFor();
      await context.setOffline(true);
      const opened = localDay(0);
      await card.locator('[data-testid="capture-link"]').click();
      const form = page.locator('[data-testid="capture-form"]');
      await form.waitFor();
      await page.locator('[data-testid="capture-synced"]').waitFor();
      // The form was filled in five days ago: the head picks that day (thumb-sized field).
      const date = page.locator('[data-testid="capture-date"]');
      assert.ok(daysSince(opened).includes(await date.inputValue()), 'today by default');
      assert.ok(daysSince(opened).includes(await date.getAttribute('max')), 'no later than today');
      const dh = (await date.boundingBox())?.height ?? 0;
      assert.ok(dh >= 44, `date field ${dh}px`);
      const past = localDay(-5);
      await date.fill(past);
      for (const q of ['attitude', 'listen', 'info', 'dialogue', 'overall']) {
        const b = page.locator(`[data-testid="cq-${q}"] button[data-value="4"]`);
        const h = (await b.boundingBox())?.height ?? 0;
        assert.ok(h >= 44, `touch target ${h}px`);
        await b.click();
      }
      await page.locator('[data-testid="cq-channels"] button').first().click();
      await snap(page, 'surveys-capture-offline-360');
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: screenshotPath('surveys-capture-date-360-view') });
      await page.locator('[data-testid="capture-send"]').click();
      await page.getByText('Đã lưu trên điện thoại').waitFor();
      assert.ok(daysSince(opened).includes(await date.inputValue()), 'back to today for the next form');
      // The queued item carries the day picked.
      const queued = await page.evaluate(async () => {
        const db = await new Promise((ok, ko) => {
          const r = indexedDB.open('thanthien-offline');
          r.onsuccess = () => ok(r.result);
          r.onerror = () => ko(r.error);
        });
        const items = await new Promise((ok) => {
          const tx = db.transaction('outbox').objectStore('outbox').getAll();
          tx.onsuccess = () => ok(tx.result);
        });
        db.close();
        return items.map((i) => ({ url: i.url, answered_on: i.json?.answered_on, detail: i.detail }));
      });
      const mine = queued.filter((i) => i.url === `/surveys/${camp.id}/responses`);
      assert.deepEqual(mine.map((i) => i.answered_on), [past]);
      // The outbox names it in words the village head reads (the day, how many answers), never by
      // the questions' codes ("attitude 4 · listen 4 …").
      assert.equal(mine[0].detail, `${past.split('-').reverse().join('/')} · 6 câu đã trả lời`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `no sideways scroll (${width}px)`);
      const bdh = await token('bdh');
      const before = (await api(bdh, 'GET', `/surveys/${camp.id}/responses`)).items.filter((x) => x.channel === 'village');
      assert.equal(before.length, 0, 'nothing arrived while offline');
      await context.setOffline(false);
      let village = [];
      for (let i = 0; i < 60 && village.length === 0; i += 1) {
        await new Promise((ok) => setTimeout(ok, 500));
        village = (await api(bdh, 'GET', `/surveys/${camp.id}/responses`)).items.filter((x) => x.channel === 'village');
      }
      assert.equal(village.length, 1, 'the captured answer arrived');
      assert.equal(village[0].answered_at.slice(0, 10), past, `stored with the day picked: ${village[0].answered_at}`);
      // A second sync (another "online", a reload) sends nothing again.
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await page.reload();
      await page.locator('[data-testid="capture-form"]').waitFor();
      const after = (await api(bdh, 'GET', `/surveys/${camp.id}/responses`)).items.filter((x) => x.channel === 'village');
      assert.equal(after.length, 1, 'stored once');
      const r = await api(bdh, 'GET', `/surveys/${camp.id}/results`);
      assert.equal(r.responses, 13);
      assert.deepEqual(problems.filter((p) => !/Failed to fetch|ERR_INTERNET_DISCONNECTED|net::/.test(p)), []);
    } finally {
      await context.close();
    }
    const { context: c2, page: p2 } = await open(browser, DESKTOP);
    try {
      await login(p2, 'thon1');
      await p2.goto(`${BASE}/surveys/${camp.id}/capture`);
      await p2.locator('[data-testid="capture-form"]').waitFor();
      await snap(p2, 'surveys-capture-1280');
    } finally {
      await c2.close();
    }
    // The results now count the paper forms, the tally and the capture.
    for (const [viewport, suffix] of [[PHONE, '360'], [DESKTOP, '1280']]) {
      const { context, page } = await open(browser, viewport);
      try {
        await login(page, 'bdh');
        await page.goto(`${BASE}/surveys/${camp.id}`);
        const responses = page.locator('[data-testid="results-responses"] strong');
        await responses.waitFor();
        assert.equal(Number((await responses.textContent())?.trim()), 13);
        await page.locator('[data-testid="group-by"]').selectOption('channel');
        await page.locator('[data-testid="results-groups"]').waitFor();
        await snap(page, `surveys-campaign-results-${suffix}`);
      } finally {
        await context.close();
      }
    }
  });
  it('the board ends a survey today; a second per-dossier survey is refused under its channels', async () => {
    const bdh = await token('bdh');
    const today = localDay(0);
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await login(page, 'bdh');
      await page.goto(`${BASE}/surveys`);
      const card = page.locator(`[data-testid="survey-${camp.id}"]`);
      await card.locator('[data-testid="end-survey"]').click();
      await card.locator('.end-confirm').waitFor();
      await snap(page, 'surveys-end-confirm-360');
      await card.locator('[data-testid="end-survey-confirm"]').click();
      // It takes forms to the end of today, then stands: the period shows its last day.
      await card.locator('[data-testid="end-survey"]').waitFor({ state: 'detached' });
      const ends = (await api(bdh, 'GET', `/surveys/${camp.id}`)).ends_on;
      assert.ok(daysSince(today).includes(ends), `ends ${ends}, today ${today}`);
      assert.match((await card.locator('.meta').first().textContent()) ?? '', new RegExp(`– ${ends.split('-').reverse().join('/')}`));
      // The one-stop desk's per-dossier survey is running: another one is refused, naming it.
      const running = (await api(bdh, 'GET', '/surveys?per_page=100')).items.find((x) => x.per_dossier && x.open);
      assert.ok(running, 'the demo has a running per-dossier survey');
      const create = page.locator('[data-testid="survey-create"]');
      await page.locator('[data-testid="survey-title"]').fill(`Theo hồ sơ thứ hai ${uniq()}`);
      await create.locator('label.check', { hasText: 'Theo hồ sơ' }).click();
      await create.locator('[data-testid="survey-create-submit"]').click();
      const said = create.locator('[id="sv-channels-error"]');
      await said.waitFor();
      assert.ok(((await said.textContent()) ?? '').includes(running.title), await said.textContent());
      await snap(page, 'surveys-dossier-taken-360');
      assert.deepEqual(problems.filter((p) => !/422/.test(p)), []);
    } finally {
      await context.close();
    }
  });
});
