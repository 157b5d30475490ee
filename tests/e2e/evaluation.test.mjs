// The evaluation of the model: the board opens the demo commune's 2023 evaluation (a draft
// recomputed live), publishes it after confirming, and downloads the official report — a DOCX
// (a ZIP whose word/document.xml carries the title). Screenshots of the evaluation page and the
// print view at 360 and 1280 px.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { BASE, DESKTOP, PHONE, apiCall, apiToken, launch, login, open, snap, uniq } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** One entry of a ZIP archive (stored or deflated), read through its central directory. */
function zipEntry(buf, name) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a ZIP archive');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const entry = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    if (entry === name) {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + size);
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    p += 46 + nameLen + extra + comment;
  }
  return null;
}

const TITLE = 'Kết quả thực hiện mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ” năm 2023';
const state = { id: 0 };

describe('evaluation', () => {
  it('the new-draft form starts on a plan that has no evaluation yet', async () => {
    const tok = await apiToken('bdh');
    const title = `Kế hoạch chưa đánh giá ${uniq()}`;
    const plan = await apiCall(tok, 'POST', '/plans', { number: `DG-${uniq()}/KH`, title, year: 2026, status: 'active' });
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await login(page, 'bdh');
      await page.goto(`${BASE}/evaluations`);
      const select = page.locator('[data-testid="evaluation-create"] select');
      await select.locator('option', { hasText: title }).waitFor({ state: 'attached' });
      // A choice is shown, not an empty box: the form's value is one of its plans.
      const value = await select.inputValue();
      assert.notEqual(value, '');
      assert.ok(await select.locator(`option[value="${value}"]`).count(), 'the value is one of the options');
      await select.selectOption(String(plan.id));
      assert.equal(await select.inputValue(), String(plan.id));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('the board publishes the 2023 evaluation and downloads the DOCX', async () => {
    const { context, page, problems } = await open(browser, DESKTOP);
    try {
      await login(page, 'bdh');
      await page.goto(`${BASE}/evaluations`);
      const item = page.locator('[data-testid="evaluation-list"] a', { hasText: 'Năm 2023' }).first();
      await item.waitFor();
      await item.click();
      await page.locator('[data-testid="evaluation"]').waitFor();
      state.id = Number(new URL(page.url()).pathname.split('/').pop());
      assert.equal((await page.locator('[data-testid="evaluation-status"]').textContent())?.trim(), 'Dự thảo');
      // Every criterion of the shipped set, the judged one scored by the demo board.
      assert.equal(await page.locator('[data-testid="criteria"] > li').count(), 11);
      // The judged score as Vietnamese writes it.
      assert.equal(await page.locator('[data-testid="judge-c11"]').inputValue(), '4,5');
      // Each computed figure names what it measures and its period as people read them, never the
      // server's function.
      const sources = await page.locator('[data-testid="criteria"] .source').allTextContents();
      assert.equal(sources.length, 10);
      for (const s of sources) assert.match(s.trim(), /^Nguồn: [^:]+, kỳ 01\/01\/2023 – 31\/12\/2023$/, s);
      assert.ok(sources.some((s) => s.includes('Tiến độ kế hoạch')), sources.join(' | '));
      await snap(page, 'evaluation-draft-1280');

      // Typed and not saved: the print view saves it first, so what it prints is what was typed.
      const shortcomings = page.getByLabel('Tồn tại, hạn chế');
      await shortcomings.fill(`${await shortcomings.inputValue()}\nMột số thôn chưa họp đủ.`.trim());
      await page.locator('[data-testid="unsaved"]').waitFor();
      // Saved, the form no longer says it has unsaved changes.
      await page.locator('[data-testid="evaluation-save"]').click();
      await page.locator('[data-testid="unsaved"]').waitFor({ state: 'detached' });
      await shortcomings.fill(`${await shortcomings.inputValue()} Hai thôn chưa nộp biên bản.`);
      await page.locator('[data-testid="unsaved"]').waitFor();
      await page.locator('[data-testid="open-print"]').click();
      await page.locator('[data-testid="report-doc"]').waitFor();
      assert.match((await page.locator('[data-testid="report-doc"]').textContent()) ?? '', /Hai thôn chưa nộp biên bản\./);
      await page.goBack();
      await page.locator('[data-testid="evaluation-summary"]').waitFor();
      assert.match(await page.getByLabel('Tồn tại, hạn chế').inputValue(), /Hai thôn chưa nộp biên bản\./);
      assert.equal(await page.locator('[data-testid="unsaved"]').count(), 0);

      // The confirmation names what the report would go out without: each empty section (the
      // year 2023 is over, so not the year).
      const labels = ['Kết quả nổi bật (ghi thêm vào phần I)', 'Tồn tại, hạn chế', 'Nguyên nhân', 'Bài học kinh nghiệm', 'Phương hướng, nhiệm vụ năm sau', 'Nơi nhận (mỗi dòng một nơi)'];
      const empty = [];
      for (const l of labels) {
        const field = page.getByLabel(l, { exact: true });
        if ((await field.count()) === 1 && (await field.inputValue()).trim() === '') empty.push(l);
      }
      await page.locator('[data-testid="publish"]').click();
      const gaps = await page.locator('[data-testid="publish-gaps"] li').allTextContents();
      assert.ok(!gaps.some((g) => /chưa kết thúc/.test(g)), gaps.join(' | '));
      for (const l of empty) assert.ok(gaps.some((g) => g.includes(`«${l}»`)), `${l}: ${gaps.join(' | ')}`);
      await page.locator('[data-testid="publish-confirm"]').click();
      await page.locator('[data-testid="evaluation-status"]', { hasText: 'Đã ban hành' }).waitFor();
      assert.match((await page.locator('.note.frozen').textContent()) ?? '', /số liệu đã chốt/);
      await snap(page, 'evaluation-published-1280');

      const download = page.waitForEvent('download');
      await page.locator('[data-testid="download-docx"]').click();
      const file = await (await download).path();
      const bytes = readFileSync(file);
      assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004', 'a ZIP archive');
      const doc = zipEntry(bytes, 'word/document.xml');
      assert.ok(doc, 'word/document.xml');
      assert.ok(doc.includes(TITLE), 'the title');
      assert.ok(doc.includes('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'));
      assert.ok(!(zipEntry(bytes, 'word/header1.xml') ?? '').includes('DỰ THẢO'), 'no "DỰ THẢO" watermark once published');

      await page.goto(`${BASE}/evaluations/${state.id}/print`);
      await page.locator('[data-testid="report-doc"]').waitFor();
      assert.match((await page.locator('.doc-title').textContent()) ?? '', /năm 2023/);
      await snap(page, 'evaluation-print-1280');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('reads on a 360 px phone', async () => {
    assert.ok(state.id);
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await login(page, 'bdh');
      await page.goto(`${BASE}/evaluations/${state.id}`);
      await page.locator('[data-testid="evaluation-summary"]').waitFor();
      // Mobile emulation widens the layout viewport to the content, so compare with 360 itself.
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= PHONE.width, `no sideways scroll (${width} px wide)`);
      await snap(page, 'evaluation-360');
      // In English the shipped criteria and the figures read English; the print view stays the
      // Vietnamese report.
      await page.getByRole('button', { name: 'EN' }).click();
      await page.getByText('Citizen satisfaction', { exact: true }).waitFor();
      const figures = await page.locator('p.figure').allTextContents();
      assert.ok(figures.length >= 10, `figures: ${figures.length}`);
      assert.ok(!figures.some((f) => /hồ sơ|nhiệm vụ|câu trả lời|Không có|Tiến độ/.test(f)), figures.join(' | '));
      assert.ok(figures.some((f) => /dossiers (settled|received)/.test(f)), figures.join(' | '));
      await snap(page, 'evaluation-en-360');
      await page.getByRole('button', { name: 'VI' }).click();
      await page.getByText('Mức độ hài lòng của Nhân dân', { exact: true }).waitFor();
      await page.goto(`${BASE}/evaluations/${state.id}/print`);
      await page.locator('[data-testid="report-doc"]').waitFor();
      await snap(page, 'evaluation-print-360');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
