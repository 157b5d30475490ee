// Citizen pages on an installation with several communes (docs/phone.md, "Citizens"): run by
// run.mjs against a server with the demo commune and two generated ones (Xuân Sơn, Thanh Hòa). A
// citizen page belongs to one commune, named by the address (/x/{commune}/thu-tuc) or chosen in a
// picker searched without diacritics; an unknown commune in the address says so in Vietnamese.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, apiCall, apiToken, launch, open, smallTargets, snap } from './lib.mjs';

let browser;
let communes;
before(async () => {
  browser = await launch();
  communes = (await (await fetch(`${BASE}/api/v1/public/communes`)).json()).items;
});
after(async () => {
  await browser?.close();
});

const GENERIC_ERROR = 'Đã có lỗi xảy ra';
const byName = (name) => communes.find((c) => c.name === name);

/** Waits for the header to name `name` (it does once the communes have arrived). */
async function header(page, name) {
  await page.locator('.brand-name', { hasText: new RegExp(`^${name}$`) }).waitFor();
}

/** The picker, searched for `query`: the names it lists once they settle to `expected`. */
async function search(page, query, expected) {
  await page.getByLabel('Tìm xã, phường').fill(query);
  const names = page.locator('[data-testid="commune-picker"] .pick strong');
  await page.waitForFunction(
    (want) => [...document.querySelectorAll('[data-testid="commune-picker"] .pick strong')].map((e) => e.textContent).join('|') === want,
    expected.join('|'),
  );
  return names.allTextContents();
}

describe('citizen pages with several communes', () => {
  it('serves several communes', () => {
    assert.ok(communes.length >= 3, `communes: ${communes.map((c) => c.name).join(', ')}`);
    assert.ok(byName('Bình Lương') && byName('Xuân Sơn'));
  });

  it('at 360 px: /thu-tuc asks for the commune, found without diacritics, then its procedures and a procedure', async () => {
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await page.goto(`${BASE}/thu-tuc`);
      const picker = page.locator('[data-testid="commune-picker"]');
      await picker.waitFor();
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Chọn xã, phường của bạn');
      assert.equal((await picker.locator('.pick').count()), communes.length, 'every commune is listed before a search');
      assert.equal(await page.locator('[role="alert"]').count(), 0, 'no error before anything is typed');
      await snap(page, 'communes-picker-360x740');
      assert.deepEqual(await smallTargets(page), [], 'tap targets of the picker');
      // Typed as on a phone keyboard without Vietnamese input: no diacritics.
      assert.deepEqual(await search(page, 'xuan son', ['Xuân Sơn']), ['Xuân Sơn']);
      assert.deepEqual(await search(page, 'zzz', []), []);
      assert.equal(await picker.locator('.empty').textContent(), 'Không có xã nào khớp.');
      assert.deepEqual(await search(page, 'binh luong', ['Bình Lương']), ['Bình Lương']);
      const bl = byName('Bình Lương');
      await picker.locator('.pick', { hasText: 'Bình Lương' }).click();
      await page.waitForURL(`${BASE}/x/${bl.code}/thu-tuc`);
      await page.locator('[data-testid="public-procedures"]').waitFor();
      await header(page, 'UBND xã Bình Lương');
      assert.equal(await page.locator('[data-testid="public-desk"]').textContent(), bl.onestop_name);
      // A generated commune's procedure opens to its own detail, named by that commune.
      const xs = byName('Xuân Sơn');
      await page.goto(`${BASE}/thu-tuc`);
      await search(page, 'xuân sơn', ['Xuân Sơn']);
      await picker.locator('.pick', { hasText: 'Xuân Sơn' }).click();
      await page.waitForURL(`${BASE}/x/${xs.code}/thu-tuc`);
      await header(page, 'UBND xã Xuân Sơn');
      await page.locator('[data-testid="procedure-link"]', { hasText: 'Đăng ký khai sinh' }).click();
      await page.waitForURL(`${BASE}/x/${xs.code}/thu-tuc/1.001193`);
      const detail = page.locator('[data-testid="procedure-detail"]');
      await detail.waitFor();
      assert.match(await detail.locator('[data-testid="proc-where"]').textContent(), /UBND xã Xuân Sơn/);
      assert.equal(await page.getByText(GENERIC_ERROR).count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('at 360 px: the lookup works without a commune, and a commune is picked for it from an unknown address', async () => {
    const ubnd = await apiToken('ubnd-1');
    const dossier = (await apiCall(ubnd, 'GET', '/dossiers?per_page=1')).items[0];
    const xs = byName('Xuân Sơn');
    const { context, page, problems } = await open(browser, PHONE);
    try {
      // The receipt's QR code leads to /tra-cuu, which needs no commune: the dossier's code finds it.
      await page.goto(`${BASE}/tra-cuu`);
      await page.locator('[data-testid="lookup-form"]').waitFor();
      assert.equal(await page.locator('[data-testid="commune-picker"]').count(), 0);
      // An address naming no known commune says so and offers the picker, keeping the page.
      await page.goto(`${BASE}/x/zzz/tra-cuu`);
      const picker = page.locator('[data-testid="commune-picker"]');
      await picker.waitFor();
      assert.equal(await picker.getByRole('alert').textContent(), 'Không tìm thấy xã trong địa chỉ này. Hãy chọn trong danh sách.');
      await search(page, 'xuan son', ['Xuân Sơn']);
      await picker.locator('.pick', { hasText: 'Xuân Sơn' }).click();
      await page.waitForURL(`${BASE}/x/${xs.code}/tra-cuu`);
      await header(page, 'UBND xã Xuân Sơn');
      await page.locator('#lk-code').fill(dossier.code);
      await page.locator('#lk-last4').fill(dossier.applicant.phone.slice(-4));
      await page.locator('[data-testid="lookup-form"] button[type="submit"]').click();
      const result = page.locator('[data-testid="lookup-result"]');
      await result.waitFor();
      assert.match(await result.textContent(), new RegExp(dossier.procedure_name));
      assert.equal(await page.getByText(GENERIC_ERROR).count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('at 360 px: an unknown commune in a procedures address is a clear message, not an error', async () => {
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await page.goto(`${BASE}/x/zzz/thu-tuc`);
      const picker = page.locator('[data-testid="commune-picker"]');
      await picker.waitFor();
      assert.equal(await picker.getByRole('alert').textContent(), 'Không tìm thấy xã trong địa chỉ này. Hãy chọn trong danh sách.');
      assert.equal(await page.getByText(GENERIC_ERROR).count(), 0);
      assert.equal(await page.locator('.brand-name').textContent(), 'Thân Thiện');
      await snap(page, 'communes-unknown-360x740');
      // In English too.
      await page.getByRole('button', { name: 'EN' }).click();
      await page.getByRole('heading', { level: 1, name: 'Choose your commune' }).waitFor();
      assert.equal(await picker.getByRole('alert').textContent(), 'No commune matches this address. Choose one from the list.');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('the picker at 1280 px', async () => {
    const { context, page, problems } = await open(browser, DESKTOP);
    try {
      await page.goto(`${BASE}/phan-anh`);
      await page.locator('[data-testid="commune-picker"]').waitFor();
      await snap(page, 'communes-picker-1280x800');
      const bl = byName('Bình Lương');
      await page.locator('[data-testid="commune-picker"] .pick', { hasText: 'Bình Lương' }).click();
      // The page asked for is kept: the feedback form of the chosen commune.
      await page.waitForURL(`${BASE}/x/${bl.code}/phan-anh`);
      await header(page, 'UBND xã Bình Lương');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
