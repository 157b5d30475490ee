// The province's communes overview end to end: `tinh` opens /oversight from its tab bar on a
// phone, reads each commune's satisfaction (with the answers flagged as repeats in words),
// petitions and democracy figures against the API for the same period, changes the period and the
// commune (kept in the address, through a reload), never meets a person's data, and reads it in
// English on a desktop; the counter list, which the server refuses it, does not open.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, apiGet, apiToken, communeDay, launch, signedIn, smallTargets, snap } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const vi = (n) => new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 }).format(n);
const viPct = (v) => `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(v * 100)}%`;
const sum = (kinds, k) => kinds.reduce((n, x) => n + x[k], 0);

describe('the communes overview (oversight)', () => {
  it('on a phone: from the tab bar, every figure as the API gives it, filters kept in the address', async () => {
    const tok = await apiToken('tinh');
    const to = communeDay(0);
    const from = `${to.slice(0, 4)}-01-01`;
    const communes = await apiGet(tok, '/communes');
    const surveys = await apiGet(tok, `/survey-aggregates?from=${from}&to=${to}`);
    const petitions = await apiGet(tok, `/petitions/figures?from=${from}&to=${to}`);
    const democracy = await apiGet(tok, `/democracy/oversight?from=${from}&to=${to}`);

    await signedIn(browser, PHONE, 'tinh', null, async (page) => {
      await page.locator('[data-testid="tabbar"] a[href="/oversight"]').click();
      await page.waitForURL((u) => u.pathname === '/oversight');
      await page.getByRole('heading', { level: 1, name: 'Tổng hợp các xã' }).waitFor();
      await page.locator('[data-testid="ov-satisfaction"] tbody tr').first().waitFor();

      // Satisfaction, commune by commune: the index (or why there is none) and the repeats in words.
      for (const c of surveys.communes) {
        const row = page.locator(`[data-testid="ov-satisfaction"] tbody tr[data-commune="${c.commune_id}"]`);
        const text = (await row.textContent()) ?? '';
        assert.match(text, new RegExp(vi(c.responses)));
        if (c.satisfaction_index === null || c.satisfaction_index === undefined) assert.match(text, /Chưa đủ số phiếu/);
        else assert.ok(text.includes(viPct(c.satisfaction_index)), `${c.name}: ${viPct(c.satisfaction_index)} in "${text}"`);
        if (typeof c.duplicates_flagged === 'number') assert.match(text, c.duplicates_flagged > 0 ? /gửi lặp/ : /không có phiếu nào bị đánh dấu gửi lặp/);
      }
      // Petitions and reception, in the summary; democracy per commune.
      const summary = (await page.locator('[data-testid="ov-summary"]').textContent()) ?? '';
      assert.ok(summary.includes(vi(sum(petitions.by_kind, 'received'))), summary);
      assert.ok(summary.includes(`${vi(petitions.sessions_held)} / ${vi(petitions.sessions_required)}`), summary);
      await page.waitForFunction(() => document.querySelector('[data-testid="ov-petitions"] tbody tr'));
      for (const d of democracy) {
        const row = page.locator(`[data-testid="ov-democracy"] tbody tr[data-commune="${d.commune_id}"]`);
        assert.match((await row.textContent()) ?? '', new RegExp(`${vi(d.activities)} \\(${vi(d.people_reached)}\\)`));
      }
      // Nothing wider than the phone, every control thumb-sized, no person's data.
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'the page does not scroll sideways');
      assert.deepEqual(await smallTargets(page), []);
      const main = (await page.locator('main').textContent()) ?? '';
      assert.doesNotMatch(main, /0\d{9}|@/);
      await snap(page, 'oversight-360x740');

      // Another period: the address keeps it, the calls follow it, a reload keeps it.
      const asked = page.waitForResponse((r) => r.url().includes('/api/v1/survey-aggregates?') && r.url().includes(`from=${to.slice(0, 4)}-02-01`));
      await page.locator('#ov-from').fill(`${to.slice(0, 4)}-02-01`);
      assert.equal((await asked).status(), 200);
      await page.waitForURL((u) => u.searchParams.get('from') === `${to.slice(0, 4)}-02-01`);
      const one = communes[0];
      const forOne = page.waitForResponse((r) => r.url().includes('/api/v1/survey-aggregates?') && r.url().includes(`commune_id=${one.id}`));
      await page.locator('#ov-commune').selectOption(String(one.id));
      assert.equal((await forOne).status(), 200);
      await page.waitForURL((u) => u.searchParams.get('commune') === String(one.id));
      await page.reload();
      await page.locator('[data-testid="ov-satisfaction"] tbody tr').first().waitFor();
      assert.equal(await page.locator('#ov-from').inputValue(), `${to.slice(0, 4)}-02-01`);
      assert.equal(await page.locator('#ov-commune').inputValue(), String(one.id));
      assert.equal(await page.locator('[data-testid="ov-satisfaction"] tbody tr').count(), 1);
      assert.equal(await page.locator('[data-testid="ov-onestop"]').getAttribute('href'), `/onestop/dashboard?commune=${one.id}`);
    });
  });

  it('on a desktop, in English; its "Indicators & statistics" card leads here; the counter list does not open', async () => {
    await signedIn(browser, DESKTOP, 'tinh', null, async (page) => {
      await page.evaluate(() => localStorage.setItem('thanthien.lang', 'en'));
      await page.reload();
      await page.locator('[data-module="statistics"]').waitFor();
      assert.equal(await page.locator('[data-module="statistics"]').getAttribute('href'), '/oversight');
      await page.locator('[data-module="statistics"]').click();
      await page.getByRole('heading', { level: 1, name: 'Communes overview' }).waitFor();
      await page.locator('[data-testid="ov-satisfaction"] tbody tr').first().waitFor();
      assert.match((await page.locator('[data-testid="ov-satisfaction"]').textContent()) ?? '', /Citizen satisfaction/);
      await snap(page, 'oversight-en-1280x800');

      // The server lists counter records for a commune's own staff only: no page that can only fail.
      const refused = [];
      page.on('response', (r) => {
        if (r.url().includes('/api/v1/onestop/counter-records')) refused.push(r.status());
      });
      await page.goto(page.url().replace(/\/oversight.*$/, '/onestop/counter'));
      await page.locator('[data-testid="error-forbidden"] h1').waitFor();
      assert.deepEqual(refused, []);
    });
  });
});
