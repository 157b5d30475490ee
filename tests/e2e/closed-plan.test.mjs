// A closed plan is read-only: the plan page and the task page say why and offer no change (no
// edit link, no report, no comment); the board reopens the plan and the actions come back. The
// plan is made here over the API, so the shared demo plan stays as other tests expect it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, apiCall, apiToken, launch, login, open, snap, uniq } from './lib.mjs';

let browser;
const state = { plan: 0, task: 0 };
before(async () => {
  browser = await launch();
  const tok = await apiToken('bdh');
  const plan = await apiCall(tok, 'POST', '/plans', { number: `KT-${uniq()}/KH-BĐH`, title: 'Kế hoạch đã kết thúc (kiểm thử)', year: 2025, status: 'active' });
  const area = await apiCall(tok, 'POST', `/plans/${plan.id}/areas`, { title: 'Tuyên truyền' });
  const units = await apiCall(tok, 'GET', '/units');
  const lead = (units.items ?? units).find((u) => u.code === 'BDH').id;
  const task = await apiCall(tok, 'POST', `/plans/${plan.id}/tasks`, {
    content_area_id: area.id, title: 'Họp dân phổ biến mô hình', lead_unit_id: lead, start_date: '2025-02-03', due_date: '2025-06-30',
  });
  await apiCall(tok, 'PATCH', `/plans/${plan.id}`, { status: 'closed' });
  Object.assign(state, { plan: plan.id, task: task.id });
});
after(async () => {
  await browser?.close();
});

describe('closed plan', () => {
  it('shows a closed plan and its task read-only, and the board reopens it', async () => {
    const { context, page, problems } = await open(browser, DESKTOP);
    try {
      await login(page, 'bdh');
      await page.goto(`${BASE}/tasks/${state.task}`);
      await page.locator('[data-testid="plan-closed-note"]').waitFor();
      assert.equal(await page.locator('[data-testid="report-button"]').count(), 0, 'no report');
      assert.equal(await page.locator('#comment-text').count(), 0, 'no comment');
      await snap(page, 'closed-plan-task-1280');
      await page.goto(`${BASE}/plans/${state.plan}`);
      await page.locator('[data-testid="plan-closed-note"]').waitFor();
      assert.equal(await page.locator(`a[href="/plans/${state.plan}/edit"]`).count(), 0, 'no edit link');
      await snap(page, 'closed-plan-1280');
      await page.locator('[data-testid="plan-reopen"]').click();
      await page.locator(`a[href="/plans/${state.plan}/edit"]`).waitFor();
      assert.equal(await page.locator('[data-testid="plan-closed-note"]').count(), 0);
      await page.goto(`${BASE}/tasks/${state.task}`);
      await page.locator('[data-testid="report-button"]').waitFor();
      assert.equal(await page.locator('[data-testid="plan-closed-note"]').count(), 0);
      await apiCall(await apiToken('bdh'), 'PATCH', `/plans/${state.plan}`, { status: 'closed' });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('reads on a 360 px phone', async () => {
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await login(page, 'bdh');
      await page.goto(`${BASE}/tasks/${state.task}`);
      await page.locator('[data-testid="plan-closed-note"]').waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= PHONE.width, `no sideways scroll (${width} px wide)`);
      await snap(page, 'closed-plan-task-360');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
