// Plans and tasks: a village head reports progress with a photo from a 360 px phone,
// the board sees the task's and its content area's progress move, and another village cannot
// open that task.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { BASE, DESKTOP, PHONE, apiCall, apiToken, launch, login, open, pngFile, snap, uniq, expectCount } from './lib.mjs';

let browser;
let photoPath;
before(async () => {
  browser = await launch();
  photoPath = pngFile('hop-thon-1.png', 2400, 1200);
});
after(async () => {
  await browser?.close();
});

/** Opens the overview of the demo's 2023 plan from the plan list; returns its id and detail body. */
async function openPlan(page) {
  await page.goto(`${BASE}/plans`);
  const link = page.locator('[data-testid="plans-table"] a').filter({ hasText: '2023' }).first();
  await link.waitFor();
  const href = await link.getAttribute('href');
  const planId = Number(href?.split('/').pop());
  const detail = page.waitForResponse((r) => r.url().endsWith(`/api/v1/plans/${planId}`) && r.request().method() === 'GET');
  await link.click();
  const body = await (await detail).json();
  await page.locator('[data-testid="areas"]').waitFor();
  return { planId, body };
}

async function areaShown(page, areaId) {
  const bar = page.locator(`[data-testid="areas"] li[data-area-id="${areaId}"] [role="progressbar"]`);
  return Number(await bar.getAttribute('aria-valuenow'));
}

describe('plans and tasks', () => {
  const note = `Đã họp thôn, phổ biến quy chế dân chủ cho 45 hộ (${uniq()})`;
  const state = { planId: 0, taskId: 0, areaId: 0, areaBefore: -1 };

  it('bdh sees the plan overview with areas, the step strip and its today line', async () => {
    const { context, page, problems } = await open(browser, DESKTOP);
    try {
      await login(page, 'bdh');
      const { planId, body } = await openPlan(page);
      state.planId = planId;
      // Section II's five content areas, then the tasks of sections III–IV (steps, unit duties).
      assert.equal(body.content_areas.length, 6);
      assert.deepEqual(body.content_areas.map((a) => a.section), ['content', 'content', 'content', 'content', 'content', 'implementation']);
      assert.equal(body.steps.length, 5);
      // Legal bases replaced since the plan was written are flagged with what replaced them.
      const replaced = page.locator('[data-testid="legal-bases"] [data-testid="replaced-by"]');
      assert.equal(await replaced.count(), 2);
      const replacedText = (await replaced.allTextContents()).join(' ');
      assert.match(replacedText, /145\/2020\/NĐ-CP/);
      assert.match(replacedText, /10\/2022\/QH15/);
      await page.locator('[data-testid="gantt"] svg').waitFor();
      assert.equal(await page.locator('[data-testid="gantt-today"]').count(), 1);
      // The village tasks sit in content area 3 (quy chế dân chủ ở cơ sở).
      const area = body.content_areas.find((a) => a.position === 3);
      assert.ok(area, 'content area 3');
      state.areaId = area.id;
      state.areaBefore = await areaShown(page, area.id);
      assert.equal(state.areaBefore, Math.round(area.progress));
      await snap(page, 'plans-overview-bdh-1280x800');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('thon1 on a 360 px phone reports progress with a photo on a village task', async () => {
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await login(page, 'thon1');
      // The village head lands on their village's tasks.
      await page.getByRole('heading', { level: 1, name: 'Việc của thôn tôi' }).waitFor();

      const card = page.locator('[data-testid="my-tasks"] li').filter({ hasText: 'Thôn 1:' }).first();
      await card.waitFor();
      state.taskId = Number(await card.getAttribute('data-task-id'));
      assert.ok(state.taskId > 0);
      // The village task is not in the plan's document: it says it was added for the demo.
      assert.equal((await card.locator('[data-testid="added-for-demo"]').textContent())?.trim(), 'Bổ sung cho bản demo');
      // Only Thôn 1's work is listed.
      await page.locator('[data-testid="my-tasks-drawn"][data-done="true"]').waitFor({ state: 'attached' });
      for (const text of await page.locator('[data-testid="my-tasks"] li h2').allTextContents()) {
        assert.doesNotMatch(text, /Thôn [2-6]:/);
      }

      // The report button is thumb-sized and fits the phone's width.
      const button = card.locator('[data-testid="report-button"]');
      const box = await button.boundingBox();
      assert.ok(box && box.height >= 44, `report button height ${box?.height}`);
      assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width, 'report button inside the screen');
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scrollWidth <= PHONE.width, `no sideways scrolling (${scrollWidth}px)`);
      await snap(page, 'plans-my-tasks-thon1-360x740');
      // A filter that matches nothing says so, not that the village has no tasks.
      await page.locator('#my-status').selectOption('cancelled');
      await page.locator('p.empty', { hasText: 'Không có nhiệm vụ nào phù hợp.' }).waitFor();
      await page.locator('#my-status').selectOption('');
      await card.waitFor();

      await button.click();
      const form = page.locator('[data-testid="report-form"]');
      await form.waitFor();
      await form.locator('textarea[name="text"]').fill(note);
      await form.locator('input[name="progress"]').fill('40');
      assert.equal((await form.locator('[data-testid="progress-value"]').textContent())?.trim(), '40%');
      // The camera input is what a phone opens; the test hands it a real photo.
      const camera = form.locator('[data-testid="report-photo"]');
      assert.equal(await camera.getAttribute('capture'), 'environment');
      assert.equal(await camera.getAttribute('accept'), 'image/*');
      await camera.setInputFiles(photoPath);
      // The client shrinks it to a JPEG before upload.
      await form.locator('[data-testid="report-files"] li').filter({ hasText: 'hop-thon-1.jpg' }).waitFor();
      await snap(page, 'plans-report-form-thon1-360x740', false);

      // Offline (weak 3G drops out): the report waits in the outbox, photo included, and goes by
      // itself once back online.
      await context.setOffline(true);
      await form.locator('[data-testid="report-submit"]').click();
      await page.getByText('đã được lưu trên điện thoại').waitFor();
      assert.equal((await page.locator('[data-testid="outbox-badge"]').textContent())?.trim(), 'Chưa gửi (1)');
      await snap(page, 'plans-report-offline-360x740', false);

      const posted = page.waitForResponse(
        (r) => r.url().endsWith(`/api/v1/tasks/${state.taskId}/reports`) && r.request().method() === 'POST',
      );
      await context.setOffline(false);
      const res = await posted;
      assert.equal(res.status(), 201);
      const report = await res.json();
      assert.equal(report.progress, 40);
      assert.equal(report.text, note);
      assert.equal(report.attachments.length, 1);
      assert.equal(report.attachments[0].content_type, 'image/jpeg');
      assert.ok(report.attachments[0].size < 400_000, `shrunk photo is ${report.attachments[0].size} bytes`);

      await page.locator('[data-testid="outbox-badge"]').waitFor({ state: 'detached' });
      const bar = card.locator('[role="progressbar"]');
      await page.waitForFunction((el) => el?.getAttribute('aria-valuenow') === '40', await bar.elementHandle());
      await snap(page, 'plans-my-tasks-after-report-360x740');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it("bdh sees the task's and its area's progress change, with the report and its photo", async () => {
    assert.ok(state.taskId > 0 && state.planId > 0, 'earlier steps ran');
    const { context, page, problems } = await open(browser, DESKTOP);
    try {
      await login(page, 'bdh');
      const { body } = await openPlan(page);
      const area = body.content_areas.find((a) => a.id === state.areaId);
      const shown = await areaShown(page, state.areaId);
      assert.equal(shown, Math.round(area.progress));
      assert.ok(shown > state.areaBefore, `area progress moved from ${state.areaBefore}% to ${shown}%`);
      await snap(page, 'plans-overview-after-report-1280x800');

      await page.goto(`${BASE}/tasks/${state.taskId}`);
      await page.locator('[data-testid="task-title"]').waitFor();
      const bar = page.locator('[data-testid="task-progress"] [role="progressbar"]');
      assert.equal(await bar.getAttribute('aria-valuenow'), '40');
      assert.equal((await page.locator('[data-testid="task-status"]').textContent())?.trim(), 'Đang thực hiện');
      await page.locator('[data-testid="reports"]').getByText(note).waitFor();
      // The evidence photo comes through the API with the token, as a blob: URL, at most 1600 px.
      const img = page.locator('[data-testid="evidence-image"]').first();
      await img.waitFor();
      assert.match((await img.getAttribute('src')) ?? '', /^blob:/);
      await page.waitForFunction((el) => el?.complete && el.naturalWidth > 0, await img.elementHandle());
      const size = await img.evaluate((el) => [el.naturalWidth, el.naturalHeight]);
      assert.deepEqual(size, [1600, 800]);
      await snap(page, 'plans-task-detail-bdh-1280x800');

      // Diacritic-insensitive search in the task list finds the village tasks.
      await page.goto(`${BASE}/plans/${state.planId}/tasks?q=${encodeURIComponent('quy che dan chu')}`);
      await page.locator('[data-testid="tasks-table"]').waitFor();
      assert.ok((await page.locator(`[data-testid="tasks-table"] tr[data-task-id="${state.taskId}"]`).count()) === 1);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('thon2 cannot open the Thôn 1 task: the not-found page', async () => {
    assert.ok(state.taskId > 0, 'earlier steps ran');
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await login(page, 'thon2');
      const res = page.waitForResponse((r) => r.url().endsWith(`/api/v1/tasks/${state.taskId}`));
      await page.goto(`${BASE}/tasks/${state.taskId}`);
      assert.equal((await res).status(), 404);
      await page.locator('[data-testid="error-notfound"]').waitFor();
      assert.match(await page.title(), /^Không tìm thấy trang/);
      assert.equal(await page.locator('[data-testid="task-title"]').count(), 0);
      assert.equal(await page.getByText(note).count(), 0);
      await snap(page, 'plans-thon2-notfound-360x740');

      // Nor is it in Thôn 2's own list.
      await page.goto(`${BASE}/my-tasks`);
      // Every card of the page drawn (the first ones come first, the rest when the phone is idle).
      await page.locator('[data-testid="my-tasks-drawn"][data-done="true"]').waitFor({ state: 'attached' });
      assert.equal(await page.locator(`[data-testid="my-tasks"] li[data-task-id="${state.taskId}"]`).count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('the tasks of every active plan: one list, each task naming its plan, at 1280 and 360 px', async () => {
    // A second active plan with a task of Thôn 1 overdue since yesterday, next to the demo's.
    const tok = await apiToken('bdh');
    const day = (offset) => new Date(Date.now() + 7 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
    const title = `Kế hoạch chuyển đổi số ${uniq()}`;
    const plan = await apiCall(tok, 'POST', '/plans', { number: `${uniq()}/KH`, title, year: Number(day(0).slice(0, 4)), status: 'active' });
    const area = await apiCall(tok, 'POST', `/plans/${plan.id}/areas`, { title: 'Tuyên truyền' });
    const t1 = (await apiCall(tok, 'GET', '/units?kind=village&per_page=200')).items.find((u) => u.name === 'Thôn 1');
    const task = await apiCall(tok, 'POST', `/plans/${plan.id}/tasks`, {
      content_area_id: area.id,
      title: 'Hướng dẫn người dân cài ứng dụng VNeID',
      lead_unit_id: t1.id,
      start_date: day(-20),
      due_date: day(-1),
    });
    const overdue = (await apiCall(tok, 'GET', '/tasks?overdue=true&per_page=1')).total;
    for (const [viewport, name] of [
      [DESKTOP, 'plans-active-tasks-1280x800'],
      [PHONE, 'plans-active-tasks-360x740'],
    ]) {
      const { context, page, problems } = await open(browser, viewport);
      try {
        await login(page, 'bdh');
        await page.goto(`${BASE}/tasks?overdue=true`);
        await page.getByRole('heading', { level: 1, name: 'Nhiệm vụ các kế hoạch đang thực hiện' }).waitFor();
        const row = page.locator(`tr[data-task-id="${task.id}"]`);
        await row.waitFor();
        await page.locator('[data-testid="task-count"]').filter({ hasText: new RegExp(`\\b${overdue}\\b`) }).waitFor();
        await row.locator('[data-testid="task-place"]').filter({ hasText: title }).waitFor();
        // No area or step filter across plans; the order is the nearest due date first.
        assert.equal(await page.locator('#tl-area').count(), 0);
        assert.equal(await page.locator('#tl-sort option').first().textContent(), 'Hạn gần nhất trước');
        if (viewport === PHONE) {
          const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(scrollWidth <= PHONE.width, `no sideways scrolling (${scrollWidth}px)`);
        }
        await snap(page, name);
        // The search finds it without diacritics, and the task opens from the list.
        await page.locator('[data-testid="task-search"]').fill('huong dan nguoi dan cai ung dung vneid');
        await page.locator('[data-testid="task-search"]').press('Enter');
        await page.waitForURL(/q=huong/);
        await expectCount(page, '[data-testid="tasks-table"] tbody tr', 1);
        await row.locator('a').first().click();
        await page.waitForURL(`${BASE}/tasks/${task.id}`);
        await page.getByRole('heading', { level: 1, name: 'Hướng dẫn người dân cài ứng dụng VNeID' }).waitFor();
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
  });

  it('the print view lays the plan out as an A4 administrative document', async () => {
    assert.ok(state.planId > 0, 'earlier steps ran');
    const { context, page, problems } = await open(browser, DESKTOP);
    try {
      await login(page, 'bdh');
      await page.goto(`${BASE}/plans/${state.planId}/print`);
      const doc = page.locator('[data-testid="plan-doc"]');
      await doc.waitFor();
      const text = (await doc.textContent()) ?? '';
      assert.match(text, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
      assert.match(text, /Độc lập - Tự do - Hạnh phúc/);
      assert.match(text, /KẾ HOẠCH/);
      assert.match(text, /93-KH\/BDVTU/);
      assert.equal(await doc.locator('[data-testid="doc-replaced"]').count(), 2);
      // The village tasks the demo added are not printed as the plan's own content, but apart.
      const annex = doc.locator('[data-testid="demo-annex"]');
      assert.match((await annex.textContent()) ?? '', /Thôn 1:/);
      const body = ((await doc.textContent()) ?? '').split('Nhiệm vụ bổ sung cho bản demo')[0];
      assert.doesNotMatch(body, /Thôn 1: họp thôn/);
      await snap(page, 'plans-print-1280x800');
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('.topbar').isVisible(), false);
      await snap(page, 'plans-print-media-1280x800');
      // In English the screen's own words change; the paper stays a Vietnamese document.
      await page.emulateMedia({ media: 'screen' });
      await page.getByRole('button', { name: 'EN' }).click();
      await page.getByRole('button', { name: 'Print (A4)' }).waitFor();
      const english = (await doc.textContent()) ?? '';
      assert.match(english, /Căn cứ/);
      assert.match(english, /MỤC ĐÍCH, YÊU CẦU/);
      assert.doesNotMatch(english, /Pursuant|Purposes|Recipients/);
      await page.getByRole('button', { name: 'VI' }).click();
      await page.getByRole('button', { name: 'In (khổ A4)' }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

/** An element's text with runs of white space folded to one space. */
async function textOf(locator) {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

describe('plan editor (board)', () => {
  const suffix = uniq();
  const title = `Kế hoạch chuyển đổi số ${suffix}`;
  const taskTitle = `Tuyên truyền chuyển đổi số tại Thôn 3 ${suffix}`;

  it('bdh creates a plan, adds and reorders areas, adds a step and a task for Thôn 3, exports and bulk-updates it', async () => {
    const { context, page, problems } = await open(browser, DESKTOP);
    try {
      await login(page, 'bdh');
      await page.goto(`${BASE}/plans`);
      await page.locator('[data-testid="create-plan"]').click();
      await page.locator('#np-number').fill(`07/KH-BĐH`);
      await page.locator('#np-title').fill(title);
      await page.locator('#np-year').fill('2026');
      await page.locator('dialog[open] button[type="submit"]').click();
      await page.waitForURL(/\/plans\/\d+\/edit$/);
      const planId = Number(new URL(page.url()).pathname.split('/')[2]);
      await page.locator('[data-testid="plan-form"]').waitFor();

      // Two content areas; the second is moved above the first.
      for (const name of ['Tuyên truyền chuyển đổi số', 'Hạ tầng số ở thôn']) {
        await page.locator('[data-testid="add-area"]').click();
        await page.locator('#af-title').fill(name);
        if (name === 'Hạ tầng số ở thôn') {
          // A weight typed with the Vietnamese comma is 1.5, never 15; a word is refused on the page.
          await page.locator('#af-weight').fill('một');
          await page.locator('dialog[open] button[type="submit"]').click();
          await page.locator('[id="af-weight-error"]').getByText('Trọng số là một số, ví dụ 1 hoặc 1,5.').waitFor();
          await page.locator('#af-weight').fill('1,5');
        }
        await page.locator('dialog[open] button[type="submit"]').click();
        await page.getByText('Đã lưu nội dung.').waitFor();
        await page.locator('dialog[open]').waitFor({ state: 'detached' }).catch(() => {});
      }
      await page.getByRole('button', { name: 'Chuyển lên: Hạ tầng số ở thôn' }).click();
      await page.getByText('Đã đổi thứ tự.').waitFor();
      const areaNames = await page.locator('#ed-areas ~ div strong, section:has(#ed-areas) .editor-list > li > .grow > strong').allTextContents();
      assert.match(areaNames[0], /^1\. Hạ tầng số ở thôn/);
      const areas = (await apiCall(await apiToken('bdh'), 'GET', `/plans/${planId}`)).content_areas;
      assert.deepEqual(areas.map((a) => a.weight), [1.5, 1]);
      assert.match(areaNames[1], /^2\. Tuyên truyền chuyển đổi số/);

      // A step with dates.
      await page.getByRole('button', { name: '+ Thêm bước' }).click();
      await page.locator('#sf-title').fill('Khảo sát hiện trạng');
      await page.locator('#sf-start').fill('05/01/2026');
      await page.locator('#sf-due').fill('31/03/2026');
      await page.locator('dialog[open] button[type="submit"]').click();
      await page.getByText('Đã lưu bước thực hiện.').waitFor();

      // A task led by Thôn 3, supported by the women's union, in the second area.
      const area2 = page.locator('section:has(#ed-areas) [data-area-id]').nth(1);
      await area2.getByRole('button', { name: '+ Thêm nhiệm vụ' }).click();
      const form = page.locator('[data-testid="task-form"]');
      await form.locator('#tf-title').fill(taskTitle);
      await form.locator('#tf-lead').selectOption({ label: 'Thôn 3' });
      await form.getByLabel('Hội Liên hiệp Phụ nữ xã').check();
      await form.locator('#tf-step').selectOption({ label: 'Bước 1: Khảo sát hiện trạng' });
      await form.locator('#tf-start').fill('10/01/2026');
      await form.locator('#tf-due').fill('28/02/2026');
      await form.locator('#tf-cadence').selectOption({ label: 'Hằng tháng' });
      await form.locator('button[type="submit"]').click();
      await page.getByText('Đã lưu nhiệm vụ.').waitFor();
      const row = page.locator('[data-task-id]').filter({ hasText: taskTitle });
      await row.waitFor();
      assert.match(await textOf(row), /Thôn 3 \+ Hội Liên hiệp Phụ nữ xã · 10\/01\/2026 – 28\/02\/2026/);
      const taskId = Number(await row.getAttribute('data-task-id'));
      await snap(page, 'plans-editor-1280x800');

      // CSV export carries the task.
      const download = page.waitForEvent('download');
      await page.locator('[data-testid="export-csv"]').click();
      const file = await (await download).path();
      const csv = readFileSync(file, 'utf8');
      assert.match(csv, /Mã nhiệm vụ/);
      assert.ok(csv.includes(taskTitle), 'the export lists the new task');

      // A bulk CSV with bad rows is refused whole, row by row.
      const bad = join(tmpdir(), `bulk-bad-${suffix}.csv`);
      writeFileSync(bad, `task_id,status,progress,note\n${taskId},in_progress,50,ok\n${taskId},xong-roi,140,\n`);
      await page.locator('#bulk-file').setInputFiles(bad);
      const errors = page.locator('[data-testid="bulk-errors"] tbody tr');
      await errors.first().waitFor();
      assert.equal(await errors.count(), 2);
      assert.match(await textOf(errors.nth(0)), /^3 ?Trạng thái/);
      assert.match(await textOf(errors.nth(1)), /^3 ?Tiến độ/);
      assert.match(await textOf(row), /Chưa bắt đầu 0%/);
      await snap(page, 'plans-bulk-errors-1280x800');

      // A good one applies.
      const good = join(tmpdir(), `bulk-good-${suffix}.csv`);
      writeFileSync(good, `${taskId},in_progress,50,Đã in tờ rơi\n`);
      await page.locator('#bulk-file').setInputFiles(good);
      await page.getByText('Đã cập nhật 1 nhiệm vụ.').waitFor();
      await page.waitForFunction((id) => document.querySelector(`[data-task-id="${id}"]`)?.textContent?.includes('Đang thực hiện 50%'), taskId);

      // The task list finds it without diacritics.
      await page.goto(`${BASE}/plans/${planId}/tasks`);
      await page.locator('[data-testid="task-search"]').fill('tuyen truyen chuyen doi so tai thon 3');
      await page.locator('[data-testid="task-search"]').press('Enter');
      await page.waitForURL(/q=tuyen/);
      await page.locator(`[data-testid="tasks-table"] tr[data-task-id="${taskId}"]`).waitFor();
      await expectCount(page, '[data-testid="tasks-table"] tbody tr', 1);
      await snap(page, 'plans-task-list-1280x800');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('bdh imports a plan from its JSON and lands on its overview', async () => {
    const { context, page, problems } = await open(browser, DESKTOP);
    try {
      await login(page, 'bdh');
      await page.goto(`${BASE}/plans`);
      await page.locator('[data-testid="plans-table"]').waitFor();
      const doc = JSON.parse(readFileSync(new URL('../../api/src/plans/seed/plan-2023.json', import.meta.url), 'utf8'));
      doc.plan.title = `Kế hoạch nhập thử ${suffix}`;
      const file = join(tmpdir(), `plan-import-${suffix}.json`);
      writeFileSync(file, JSON.stringify(doc));
      const imported = page.waitForResponse((r) => r.url().endsWith('/api/v1/plans/import') && r.request().method() === 'POST');
      await page.locator('#plan-import').setInputFiles(file);
      assert.equal((await imported).status(), 201);
      await page.waitForURL(/\/plans\/\d+$/);
      await page.getByRole('heading', { level: 1, name: doc.plan.title }).waitFor();
      assert.equal(await page.locator('[data-testid="areas"] > li').count(), 6);
      assert.equal(await page.locator('[data-testid="areas"] > li[data-section="content"]').count(), 5);
      assert.equal(await page.locator('[data-testid="gantt"] rect.bar-bg').count(), 5);

      // A file that is not JSON is refused on the phone's side, with its name.
      const junk = join(tmpdir(), `not-json-${suffix}.json`);
      writeFileSync(junk, 'Kế hoạch, không phải JSON');
      await page.goto(`${BASE}/plans`);
      await page.locator('#plan-import').setInputFiles(junk);
      await page.getByText(`Tệp not-json-${suffix}.json không phải JSON hợp lệ.`).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
