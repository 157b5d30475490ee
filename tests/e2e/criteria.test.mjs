// The criteria set editor: the board makes the next version of the demo commune's 2023 set
// from the evaluation page — a bad number comes back as the server's field error next to its
// field, the reason is required, then c1 is worth 25 points and c11 "activities held" is
// computed from its source. Screenshots at 1280 and 360 px.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, apiCall, apiToken, launch, login, open, smallTargets, snap } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const state = { setId: 0 };

describe('criteria set editor', () => {
  it('the board makes version 2 of the 2023 set, with field errors from the server', async () => {
    const { context, page, problems } = await open(browser, DESKTOP);
    try {
      await login(page, 'bdh');
      await page.goto(`${BASE}/evaluations`);
      await page.locator('[data-testid="evaluation-list"] a', { hasText: 'Năm 2023' }).first().click();
      await page.locator('[data-testid="edit-criteria"]').click();
      await page.locator('[data-testid="criteria-editor"]').waitFor();
      state.setId = Number(new URL(page.url()).pathname.split('/')[2]);
      assert.equal(await page.locator('[data-testid="criteria-rows"] > li').count(), 11);
      assert.equal(await page.locator('#cr-kind-10').inputValue(), 'judged', 'the demo set judges c11');

      // No reason: refused before sending.
      await page.locator('[data-testid="criteria-save"]').click();
      await page.locator('#cs-reason-error').waitFor();
      // Zero points: the server's 422 lands on that criterion's field.
      await page.locator('#cr-points-0').fill('0');
      await page.locator('#cs-reason').fill('Tính tự động tiêu chí hoạt động từ phân hệ dân chủ');
      const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/criteria-sets') && r.request().method() === 'POST');
      await page.locator('[data-testid="criteria-save"]').click();
      assert.equal((await refused).status(), 422);
      await page.locator('#cr-points-0-error').waitFor();
      await snap(page, 'criteria-editor-error-1280');

      await page.locator('#cr-points-0').fill('25');
      await page.locator('#cr-kind-10').selectOption('computed');
      await page.locator('#cr-source-10').selectOption('activities_held');
      await page.locator('#cr-target-10').fill('100');
      await page.locator('#cs-name').fill('Bộ tiêu chí 2023 (phiên bản 2)');
      await page.locator('[data-testid="criteria-save"]').click();
      await page.locator('[data-testid="criteria-open-saved"]').waitFor();
      assert.match((await page.locator('[role="status"], .alert').first().textContent()) ?? '', /phiên bản 2/);
      await snap(page, 'criteria-editor-saved-1280');

      const tok = await apiToken('bdh');
      const sets = await apiCall(tok, 'GET', '/criteria-sets?year=2023');
      const v2 = sets.find((s) => s.version === 2);
      assert.ok(v2, 'version 2 stored');
      assert.equal(v2.name, 'Bộ tiêu chí 2023 (phiên bản 2)');
      assert.equal(v2.note, 'Tính tự động tiêu chí hoạt động từ phân hệ dân chủ');
      assert.equal(v2.criteria[0].points, 25);
      const c11 = v2.criteria.find((c) => c.code === 'c11');
      assert.deepEqual([c11.kind, c11.source, c11.target], ['computed', 'activities_held', 1]);
      // Version 1 is unchanged.
      const v1 = sets.find((s) => s.version === 1);
      assert.equal(v1.criteria.find((c) => c.code === 'c11').kind, 'judged');
      assert.deepEqual(problems.filter((p) => !p.includes('422')), []);
    } finally {
      await context.close();
    }
  });

  it('edits on a 360 px phone', async () => {
    assert.ok(state.setId);
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await login(page, 'bdh');
      await page.goto(`${BASE}/criteria-sets/${state.setId}/next`);
      await page.locator('[data-testid="criteria-editor"]').waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= PHONE.width, `no sideways scroll (${width} px wide)`);
      assert.deepEqual(await smallTargets(page), []);
      await snap(page, 'criteria-editor-360');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
