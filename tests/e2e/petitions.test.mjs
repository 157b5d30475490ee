// Petitions and reception: a village head files a villager's petition, the board accepts it, the
// handler concludes it, the citizen looks it up; a citizen sends feedback from /phan-anh on a
// phone; the reception schedule page at 360 px and 1280 px. The staff steps go through the API
// (the staff pages are not built yet); the citizen steps through the citizen pages.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PASSWORD, PHONE, launch, open, snap } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function api(method, path, token, body) {
  const res = await fetch(`${BASE}/api/v1${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function token(username) {
  const r = await api('POST', '/auth/login', null, { username, password: PASSWORD });
  assert.equal(r.status, 200, `login ${username}`);
  return { token: r.body.access_token, user: r.body.user };
}

describe('petitions', () => {
  it('a village head files, the board accepts, the handler concludes, the citizen looks it up', async () => {
    const thon1 = await token('thon1');
    const filed = await api('POST', '/petitions', thon1.token, {
      kind: 'feedback',
      channel: 'desk',
      subject: 'Cầu tràn thôn 1 bị sạt',
      content: 'Cầu tràn đầu thôn sạt lở sau mưa lớn, xe máy không qua được.',
      petitioner_name: 'Hà Văn Dân',
      phone: '0912 000 777',
    });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    assert.equal(filed.body.channel, 'village');
    const id = filed.body.id;
    const code = filed.body.code;
    const bdh = await token('bdh');
    const ubnd = await token('ubnd');
    for (const [who, body] of [
      [bdh, { action: 'accept' }],
      [bdh, { action: 'assign', handler_id: ubnd.user.id }],
      [ubnd, { action: 'start_investigation' }],
      [ubnd, { action: 'conclude', outcome: 'upheld', conclusion: 'Đã gia cố cầu tràn.', document_ref: 'CV 21/UBND' }],
      [ubnd, { action: 'publish', answer: 'UBND xã đã gia cố cầu tràn thôn 1.' }],
    ]) {
      const r = await api('POST', `/petitions/${id}/actions`, who.token, body);
      assert.equal(r.status, 200, `${body.action}: ${JSON.stringify(r.body)}`);
    }
    const look = await api('GET', `/public/petitions/${code}?phone_last4=0777`);
    assert.equal(look.status, 200);
    assert.equal(look.body.status, 'published');
    assert.equal(look.body.answer, 'UBND xã đã gia cố cầu tràn thôn 1.');
    assert.ok(!JSON.stringify(look.body).includes('Hà Văn Dân'), 'no personal data');
    // The citizen finds it on /tra-cuu on a phone, like a dossier.
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await page.goto(`${BASE}/tra-cuu`);
      await page.locator('#lk-code').fill(code);
      await page.locator('#lk-last4').fill('0777');
      await page.locator('[data-testid="lookup-form"] button[type=submit]').click();
      await page.locator('[data-testid="petition-result"]').waitFor();
      assert.equal(
        (await page.locator('[data-testid="petition-answer"]').textContent())?.trim(),
        'UBND xã đã gia cố cầu tràn thôn 1.',
      );
      await snap(page, 'tra-cuu-petition-360x740');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('a citizen sends feedback from /phan-anh on a phone and gets a tracking code', async () => {
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await page.goto(`${BASE}/phan-anh`);
      await page.getByRole('heading', { name: 'Gửi phản ánh, kiến nghị' }).waitFor();
      await snap(page, 'phan-anh-360x740');
      const inputs = page.locator('form input:not([type=radio])');
      await inputs.nth(0).fill('Rác thải ven đường thôn 2');
      await page.locator('form textarea').fill('Rác đổ ven đường liên thôn đã một tuần chưa thu gom.');
      await inputs.nth(1).fill('Lò Thị Dân');
      await inputs.nth(2).fill('0988 123 456');
      await page.locator('form button[type=submit]').click();
      const code = (await page.locator('[data-testid="tracking-code"]').textContent())?.trim();
      assert.match(code ?? '', /^DT-\d{6}-\d{4}$/);
      await snap(page, 'phan-anh-sent-360x740');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
      const look = await api('GET', `/public/petitions/${code}?phone_last4=3456`);
      assert.equal(look.status, 200);
      assert.equal(look.body.status, 'received');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  for (const [name, viewport] of [
    ['360x740', PHONE],
    ['1280x800', DESKTOP],
  ]) {
    it(`the reception schedule at ${name}`, async () => {
      const { context, page, problems } = await open(browser, viewport);
      try {
        await page.goto(`${BASE}/lich-tiep-cong-dan`);
        await page.getByRole('heading', { name: /Lịch tiếp công dân/ }).waitFor();
        assert.ok((await page.locator('.list li').count()) > 0, 'the demo schedule has sessions');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
        await snap(page, `lich-tiep-cong-dan-${name}`);
        await page.goto(`${BASE}/phan-anh`);
        await page.getByRole('heading', { name: 'Gửi phản ánh, kiến nghị' }).waitFor();
        if (viewport === DESKTOP) await snap(page, 'phan-anh-1280x800');
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});
