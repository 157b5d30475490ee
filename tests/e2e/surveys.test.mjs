// Satisfaction surveys: a citizen scans the QR "Quét để đánh giá" of a form 01 printed at the
// one-stop desk, answers on a 360 px phone, sees the thank-you page; the board sees the answer in
// the results. Screenshots of the public page, the staff list and the results.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PASSWORD, PHONE, launch, login, open, snap } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function token(username) {
  const res = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.equal(res.status, 200, `API login as ${username}`);
  return (await res.json()).access_token;
}

async function api(tok, method, path, body) {
  const res = await fetch(`${BASE}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.ok(res.status < 300, `${method} ${path}: ${res.status}`);
  return res.json();
}

const state = { surveyUrl: '', surveyId: 0, before: 0 };

describe('surveys', () => {
  it('form 01 carries the QR "Quét để đánh giá" of the dossier', async () => {
    const ubnd = await token('ubnd');
    const procs = await api(ubnd, 'GET', '/procedures?q=1.004873');
    const d = await api(ubnd, 'POST', '/dossiers', {
      procedure_id: procs.items[0].id,
      channel: 1,
      applicant: { name: 'Lò Thị Khảo Sát', phone: '0912345678', id_number: '038190004321', address: 'Thôn 1' },
    });
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
      const res = page.waitForResponse((r) => r.url().includes('/responses') && r.request().method() === 'POST');
      await page.locator('[data-testid="survey-submit"]').click();
      assert.equal((await res).status(), 201);
      await page.locator('[data-testid="survey-thanks"]').waitFor();
      await snap(page, 'surveys-thanks-360');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `no sideways scroll (${width}px)`);
      assert.deepEqual(problems.filter((p) => !/422/.test(p)), []);
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
      } finally {
        await context.close();
      }
    }
  });
});
