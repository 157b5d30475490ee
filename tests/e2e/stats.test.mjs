// One-stop performance end to end: ubnd imports a province export (a bad file first,
// then the fixed one, then again unchanged) and finds the dossiers in the list; the board reads the
// dashboard on a phone and a desktop, checks its numbers against the API, sets the year's target,
// follows a number to the dossiers behind it and prints the page; oversight reads every commune
// summed, then one, and follows its number to that commune's dossiers (personal data masked).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { ARTIFACTS, BASE, DESKTOP, PHONE, apiGet, apiToken, communeDay, launch, login, open, receiveDossier, snap, uniq } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const suffix = uniq().toUpperCase();
const codes = [1, 2, 3, 4].map((n) => `E2E${suffix}-${n}`);

/** dd/mm/yyyy HH:mm of the commune's day `offset` days from today, as province exports write dates. */
const vnStamp = (offset, hhmm) => {
  const [y, m, d] = communeDay(offset).split('-');
  return `${d}/${m}/${y} ${hhmm}`;
};
const vi = (n) => new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 }).format(n);
const viPct = (v) => (v === null ? '—' : new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 1 }).format(v));

const HEADER = 'MaHoSo,MaTTHC,TenTTHC,KenhThucHien,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,NgayTra,TrangThaiHoSo,DuocThanhToanTrucTuyen';

/**
 * Four dossiers of the last weeks (this year's, unless today is early January): returned on time,
 * filed online and returned late, open and overdue, open and not yet due. `bad` spoils the first
 * row: a procedure code not in the catalogue and 31 February.
 */
function exportCsv(procs, bad) {
  const [a, b] = procs;
  const rows = [
    [codes[0], bad ? '9.999999' : a.code, a.name, 1, bad ? '31/02/2026 08:00' : vnStamp(-6, '08:00'), vnStamp(-3, '17:00'), vnStamp(-4, '10:00'), vnStamp(-3, '09:00'), 10, 0],
    [codes[1], b.code, b.name, 2, vnStamp(-6, '09:00'), vnStamp(-4, '17:00'), vnStamp(-2, '15:00'), vnStamp(-1, '08:30'), 10, 1],
    [codes[2], a.code, a.name, 1, vnStamp(-5, '08:30'), vnStamp(-3, '17:00'), '', '', 4, 0],
    [codes[3], b.code, b.name, 3, vnStamp(0, '07:30'), vnStamp(2, '17:00'), '', '', 2, 0],
  ];
  const cell = (v) => (typeof v === 'string' && /[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v));
  // A BOM, as the province system's "CSV UTF-8" has.
  return `\uFEFF${HEADER}\n${rows.map((r) => r.map(cell).join(',')).join('\n')}\n`;
}

async function upload(page, name, csv) {
  await page.locator('#imp-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.locator('[data-testid="import-submit"]').click();
}

describe('one-stop indicators, import and dashboard', () => {
  it('ubnd imports a province export: row errors first, then the counts, then nothing changed', async () => {
    const tok = await apiToken('ubnd');
    const list = await apiGet(tok, '/procedures?per_page=100');
    const byCode = new Map(list.items.map((p) => [p.code, p]));
    // A 3-working-day procedure and a same-day one of the demo catalogue.
    const procs = [byCode.get('1.004873') ?? list.items[0], byCode.get('2.000815') ?? list.items[1]];

    const { context, page, problems } = await open(browser, DESKTOP);
    try {
      await login(page, 'ubnd');
      await page.locator('#main-nav a[href="/onestop"]').click();
      await page.getByRole('link', { name: 'Nhập hồ sơ từ tệp' }).click();
      await page.getByRole('heading', { level: 1, name: 'Nhập hồ sơ từ hệ thống một cửa của tỉnh' }).waitFor();
      assert.match((await page.locator('main').textContent()) ?? '', /MaHoSo.*NgayTiepNhan.*TrangThaiHoSo/s, 'the accepted columns are explained');

      // The bad file: nothing applied, every problem listed by line and column.
      let answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/onestop/import'));
      await upload(page, 'hoso-loi.csv', exportCsv(procs, true));
      assert.equal((await answer).status(), 422);
      const box = page.locator('[data-testid="import-errors"]');
      await box.waitFor();
      assert.match((await box.locator('h2').textContent()) ?? '', /^Tệp có \d+ lỗi nên chưa nhập dòng nào/);
      const bad = await box.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.dataset.row, tr.dataset.column, tr.dataset.code]));
      assert.ok(bad.some(([r, c, k]) => r === '2' && c === 'MaTTHC' && k === 'unknown_procedure'), JSON.stringify(bad));
      assert.ok(bad.some(([r, c, k]) => r === '2' && c === 'NgayTiepNhan' && k === 'invalid_date'), JSON.stringify(bad));
      assert.match((await box.textContent()) ?? '', /Mã thủ tục không có trong danh mục thủ tục của xã/);
      await snap(page, 'import-errors-1280x800');
      const none = await apiGet(tok, `/dossiers?q=${encodeURIComponent(codes[1])}`);
      assert.equal(none.total, 0, 'nothing of the rejected file was applied');

      // The fixed file, on a slow network: the answer arrives 2 s late, so the processing phase
      // (after the upload's own progress) shows. (Intercepting with page.route would hide the
      // upload progress events from the page.)
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 2000, downloadThroughput: -1, uploadThroughput: -1 });
      answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/onestop/import'));
      await upload(page, 'hoso.csv', exportCsv(procs, false));
      await page.locator('[data-testid="import-progress"][data-phase="processing"]').waitFor();
      assert.match((await page.locator('[data-testid="import-progress"]').textContent()) ?? '', /Đang xử lý… \d+ giây/);
      assert.equal((await answer).status(), 200);
      await page.locator('[data-testid="import-result"]').waitFor();
      const counts = async () =>
        Object.fromEntries(
          await Promise.all(['rows', 'created', 'updated', 'unchanged'].map(async (k) => [k, (await page.locator(`[data-testid="count-${k}"]`).textContent())?.trim()])),
        );
      assert.deepEqual(await counts(), { rows: '4', created: '4', updated: '0', unchanged: '0' });
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

      // The same file again: idempotent on MaHoSo.
      await upload(page, 'hoso.csv', exportCsv(procs, false));
      await page.waitForFunction(() => document.querySelector('[data-testid="count-unchanged"]')?.textContent?.trim() === '4');
      assert.deepEqual(await counts(), { rows: '4', created: '0', updated: '0', unchanged: '4' });

      // The imported dossiers are in the list.
      await page.getByRole('link', { name: 'Xem danh sách hồ sơ' }).click();
      await page.locator('#dossier-search').fill(codes[1]);
      await page.locator('[data-testid="dossier-search-submit"]').click();
      await page.locator(`tr[data-code="${codes[1]}"]`).waitFor();
      assert.match((await page.locator(`tr[data-code="${codes[1]}"]`).textContent()) ?? '', new RegExp(procs[1].name));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }

    // On a phone: the page and its error table fit 360 px (the table scrolls inside its box).
    const phone = await open(browser, PHONE);
    try {
      await login(phone.page, 'ubnd');
      await phone.page.goto(`${BASE}/onestop/import`);
      await upload(phone.page, 'hoso-loi.csv', exportCsv(procs, true));
      await phone.page.locator('[data-testid="import-errors"]').waitFor();
      const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `no horizontal scroll at 360 px (${width})`);
      await snap(phone.page, 'import-errors-360x740');
      assert.deepEqual(phone.problems, []);
    } finally {
      await phone.context.close();
    }
  });

  it('the board reads the dashboard, sets the target and follows a number to its dossiers', async () => {
    const tok = await apiToken('bdh');
    const to = communeDay(0);
    const year = to.slice(0, 4);
    const from = `${year}-01-01`;
    const api = await apiGet(tok, `/onestop/indicators?from=${from}&to=${to}&group_by=month`);
    const index = await apiGet(tok, `/onestop/index766?from=${from}&to=${to}`);

    const { context, page, problems } = await open(browser, DESKTOP);
    try {
      await login(page, 'bdh');
      await page.locator('#main-nav a[href="/onestop/dashboard"]').click();
      await page.getByRole('heading', { level: 1, name: 'Chỉ số một cửa' }).waitFor();
      await page.locator('[data-testid="kpi-received"]').waitFor();
      assert.match((await page.locator('[data-testid="dash-scope"]').textContent()) ?? '', new RegExp(`Năm ${year} \\(từ 01/01/${year} đến`));
      const o = api.overall;
      // The four imported dossiers were received 6, 6, 5 and 0 days ago: in the first days of
      // January some of them belong to last year.
      const imported = [-6, -6, -5, 0].filter((offset) => communeDay(offset).startsWith(year)).length;
      assert.ok(o.received >= imported, `the imported dossiers count (${o.received} of at least ${imported})`);
      const text = async (id) => (await page.locator(`[data-testid="${id}"]`).textContent())?.trim();
      assert.equal(await text('kpi-received'), vi(o.received));
      assert.equal(await text('kpi-resolved'), vi(o.resolved));
      assert.equal(await text('kpi-on-time-rate'), viPct(o.on_time_rate));
      assert.equal(await text('kpi-open-overdue'), vi(o.open_overdue));
      assert.equal(await text('kpi-online-share'), viPct(o.online_share));
      // The charts came as their own chunk and say their numbers.
      await page.locator('[data-testid="trend"] svg[role="img"]').waitFor();
      assert.match((await page.locator('[data-testid="trend"] svg[role="img"]').getAttribute('aria-label')) ?? '', /\d{2}\/\d{4}: /);
      assert.ok((await page.locator('svg[role="img"]').count()) >= 4, 'trend, procedures, channels and levels are drawn');
      // The 766 table: one row per indicator, what does not apply says so, and the band.
      assert.equal(await page.locator('[data-testid="index-table"] tbody tr').count(), index.indicators.length);
      assert.ok((await page.locator('[data-testid="na-reason"]').count()) >= 1, 'a "not applicable" indicator with its reason');
      assert.ok(((await text('index-band')) ?? '').length > 0);
      await snap(page, 'dashboard-1280x800');

      // The year's target: set, shown with the progress, kept after a reload.
      await page.locator('[data-testid="target-edit"]').click();
      await page.locator('#tg-online').fill('75');
      await page.locator('#tg-full').fill('30');
      await page.locator('#tg-note').fill(`Kế hoạch năm ${year} (kiểm thử ${suffix})`);
      const put = page.waitForResponse((r) => r.url().endsWith(`/api/v1/onestop/targets/${year}`) && r.request().method() === 'PUT');
      await page.locator('[data-testid="target-save"]').click();
      const putRes = await put;
      assert.equal(putRes.status(), 200);
      assert.deepEqual(JSON.parse(putRes.request().postData() ?? '{}').online_share, 0.75);
      await page.getByText(`Đã lưu mục tiêu năm ${year}.`).waitFor();
      assert.match((await text('target-value')) ?? '', /75% thủ tục trực tuyến; toàn trình 30%/);
      await page.reload();
      await page.locator('[data-testid="target-value"]').waitFor();
      assert.match((await text('target-value')) ?? '', /75%/);
      assert.match((await text('target-progress')) ?? '', /Tiến độ so với mục tiêu: \d+%/);
      const levels = await apiGet(tok, `/onestop/online-levels?year=${year}`);
      assert.equal(levels.target.online_share, 0.75, 'the target is stored');

      // Exports come through fetch with the token, saved under the server's file name.
      for (const [what, check] of [
        ['index766.csv', (buf) => assert.match(buf.toString('utf8'), /^\uFEFF?Mã[,;]Chỉ số/)],
        ['register.xlsx', (buf) => assert.equal(buf.subarray(0, 2).toString('latin1'), 'PK')],
        ['levels.csv', (buf) => assert.match(buf.toString('utf8'), /^\uFEFF?Tháng,Tính đến ngày,Tổng số TTHC/)],
      ]) {
        const download = page.waitForEvent('download');
        await page.locator(`[data-export="${what}"]`).click();
        const file = await download;
        const ext = what.split('.')[1];
        assert.match(file.suggestedFilename(), new RegExp(`\\.${ext}$`), file.suggestedFilename());
        const path = await file.path();
        check(readFileSync(path));
      }

      // Print view: no navigation or controls; the period and the commune in the heading.
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('.sidenav').isVisible(), false);
      assert.equal(await page.locator('[data-testid="period-picker"]').isVisible(), false);
      assert.equal(await page.locator('[data-testid="print-button"]').isVisible(), false);
      assert.equal(await page.locator('[data-testid="dash-scope"]').isVisible(), true);
      await page.pdf({ path: join(ARTIFACTS, 'dashboard-a4.pdf'), format: 'A4', printBackground: true });
      await page.emulateMedia({ media: 'screen' });

      // A number leads to the dossiers behind it: the list opens with the filter, same count.
      await page.locator('[data-testid="kpi-received"]').click();
      await page.waitForURL((u) => u.pathname === '/onestop' && u.searchParams.get('received_from') === from && u.searchParams.get('received_to') === to);
      await page.getByRole('heading', { level: 1, name: 'Hồ sơ một cửa' }).waitFor();
      await page.waitForFunction((n) => document.querySelector('.count')?.textContent?.includes(`${n} mục`), vi(o.received));
      assert.equal(await page.locator('#f-from').inputValue(), from, 'the filter is applied in the form');
      assert.equal(await page.locator('[data-testid="new-dossier"]').count(), 0, 'the board reads, does not receive');
      await snap(page, 'dashboard-drilldown-1280x800');
      await page.goBack();
      await page.locator('[data-testid="kpi-late"]').waitFor();
      if (o.open_overdue > 0) {
        await page.locator('[data-testid="kpi-open-overdue"]').click();
        await page.waitForURL((u) => u.searchParams.get('timeliness') === 'open_overdue' && u.searchParams.get('open_at') === to);
        await page.locator(`tr[data-code="${codes[2]}"]`).waitFor();
        assert.match((await page.locator('[data-testid="filter-chips"]').textContent()) ?? '', /Còn mở vào cuối ngày/);
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }

    // A phone: cards stacked, tables scroll inside their box, the page itself never sideways.
    const phone = await open(browser, PHONE);
    try {
      await login(phone.page, 'bdh');
      // Every script of a cold load of the page, weighed gzipped at level 9 as the size budget does.
      const scripts = [];
      phone.page.on('response', async (res) => {
        if (res.request().resourceType() !== 'script') return;
        const body = await res.body().catch(() => Buffer.alloc(0));
        scripts.push({ url: res.url(), bytes: gzipSync(body, { level: 9 }).length });
      });
      await phone.page.goto(`${BASE}/onestop/dashboard`);
      await phone.page.locator('[data-testid="kpi-received"]').waitFor();
      await phone.page.locator('[data-testid="procedures"] svg[role="img"]').waitFor();
      const total = scripts.reduce((n, s) => n + s.bytes, 0);
      console.log(`# dashboard cold load: ${scripts.length} script(s), ${(total / 1024).toFixed(1)} KB gz`);
      assert.ok(scripts.some((s) => /\/assets\/charts-/.test(s.url)), `the charts chunk was loaded: ${scripts.map((s) => s.url).join(', ')}`);
      assert.ok(total <= 100 * 1024, `dashboard JS ${total} bytes gz ≤ 100 KB`);
      const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `no horizontal scroll at 360 px (${width})`);
      const boxes = await phone.page.locator('[data-testid="kpis"] > li').evaluateAll((els) => els.slice(0, 2).map((e) => e.getBoundingClientRect().top));
      assert.ok(boxes[1] > boxes[0], 'headline cards are stacked');
      await snap(phone.page, 'dashboard-360x740');
      assert.deepEqual(phone.problems, []);
    } finally {
      await phone.context.close();
    }
  });

  it('oversight reads every commune summed, then one, and follows a number to its dossiers', async () => {
    // A dossier with a named applicant, whose name the oversight list must mask (the imported ones
    // carry no name, and other files may or may not have run before this one).
    await receiveDossier(await apiToken('ubnd'), '1.004873', { name: 'Lò Văn Thống Kê', phone: '0912345680', id_number: '038190004324', address: 'Thôn 4' });
    const tok = await apiToken('tinh');
    const to = communeDay(0);
    const from = `${to.slice(0, 4)}-01-01`;
    const all = await apiGet(tok, `/onestop/indicators?from=${from}&to=${to}&group_by=commune`);
    const communes = await apiGet(tok, '/communes');

    const { context, page, problems } = await open(browser, DESKTOP);
    try {
      await login(page, 'tinh');
      await page.locator('#main-nav a[href="/onestop/dashboard"]').click();
      await page.locator('[data-testid="kpi-received"]').waitFor();
      const picker = page.locator('[data-testid="commune-picker"]');
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="commune-picker"] option').length === n + 1, communes.length);
      assert.equal(await picker.inputValue(), '', 'all communes by default');
      assert.match((await page.locator('[data-testid="dash-scope"]').textContent()) ?? '', /Tất cả các xã \(cộng gộp\)/);
      assert.equal((await page.locator('[data-testid="kpi-received"]').textContent())?.trim(), vi(all.overall.received));
      assert.equal(await page.locator('[data-testid="kpis"] a').count(), 0, 'no links into one commune’s dossier list');
      if (all.groups.length > 1) {
        await page.locator('[data-testid="by-commune"]').waitFor();
        assert.equal(await page.locator('[data-testid="by-commune"] tbody tr').count(), all.groups.length);
      }
      await snap(page, 'dashboard-oversight-1280x800');

      const one = communes.find((c) => c.name === 'Bình Lương') ?? communes[0];
      const res = page.waitForResponse((r) => r.url().includes('/onestop/indicators?') && r.url().includes(`commune_id=${one.id}`));
      await picker.selectOption(String(one.id));
      assert.equal((await res).status(), 200);
      await page.waitForURL((u) => u.searchParams.get('commune') === String(one.id));
      await page.waitForFunction((name) => document.querySelector('[data-testid="dash-scope"]')?.textContent?.includes(name), one.name);
      const only = await apiGet(tok, `/onestop/indicators?from=${from}&to=${to}&commune_id=${one.id}`);
      await page.waitForFunction(
        (n) => document.querySelector('[data-testid="kpi-received"]')?.textContent?.trim() === n,
        vi(only.overall.received),
      );
      assert.ok(only.overall.received > 0, `the demo commune received dossiers this year (${only.overall.received})`);

      // One commune picked: its numbers lead to its dossier list, which carries the commune.
      const received = page.locator('[data-testid="kpi-received"]');
      assert.equal(await received.evaluate((e) => e.tagName), 'A', 'the number is a link once one commune is picked');
      const listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/dossiers');
      await received.click();
      await page.waitForURL(
        (u) =>
          u.pathname === '/onestop' &&
          u.searchParams.get('commune_id') === String(one.id) &&
          u.searchParams.get('received_from') === from &&
          u.searchParams.get('received_to') === to,
      );
      const answer = await listed;
      assert.equal(answer.status(), 200, 'oversight may list the commune it picked');
      assert.equal(new URL(answer.url()).searchParams.get('commune_id'), String(one.id), 'the list asks for that commune');
      await page.getByRole('heading', { level: 1, name: 'Hồ sơ một cửa' }).waitFor();
      // The list's total, as the page writes it ("{count} mục", the count unformatted), is the number.
      await page.waitForFunction((n) => document.querySelector('.count')?.textContent?.trim() === `${n} mục`, only.overall.received);
      // Which commune it is, by name.
      await page.waitForFunction(
        (name) => document.querySelector('[data-testid="list-commune"]')?.selectedOptions[0]?.textContent?.trim() === name,
        one.name,
      );
      assert.equal(await page.locator('#f-from').inputValue(), from);
      // Personal data masked: initials and starred digits, never the names the commune's staff read.
      const staff = await apiGet(await apiToken('ubnd'), `/dossiers?received_from=${from}&received_to=${to}&per_page=50`);
      const shown = await page.locator('[data-testid="dossiers-table"] tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({ code: tr.dataset.code, cell: tr.children[1]?.textContent?.trim() ?? '' })),
      );
      assert.ok(shown.length > 0, 'the list shows rows');
      const real = new Map(staff.items.map((d) => [d.code, d.applicant]));
      let compared = 0;
      for (const { code, cell } of shown) {
        const full = real.get(code);
        if (!full?.name || !/\s/.test(full.name.trim())) continue;
        compared++;
        assert.ok(!cell.includes(full.name), `${code}: the applicant's name is masked (${cell})`);
        if (full.phone) assert.ok(!cell.includes(full.phone), `${code}: the phone is masked (${cell})`);
        assert.match(cell, /^(\p{L}\. ?)+/u, `${code}: initials only (${cell})`);
      }
      assert.ok(compared > 0, 'at least one named applicant was compared');
      assert.equal(await page.locator('[data-testid="masked-note"]').count(), 1, 'the page says the data is masked');
      // A reader of statistics: no intake, no register, no way into one dossier (403 for oversight).
      assert.equal(await page.locator('[data-testid="new-dossier"]').count(), 0);
      assert.equal(await page.locator('a[href="/onestop/register"]').count(), 0);
      assert.equal(await page.locator('[data-testid="dossiers-table"] a').count(), 0, 'rows do not open a dossier');
      await snap(page, 'dossiers-oversight-1280x800');
      // Another filter: the commune stays.
      await page.locator('#f-channel').selectOption('2');
      await page.waitForURL((u) => u.searchParams.get('channel') === '2' && u.searchParams.get('commune_id') === String(one.id));
      await page.waitForFunction((n) => document.querySelector('.count')?.textContent?.trim() === `${n} mục`, only.overall.channels.online);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
