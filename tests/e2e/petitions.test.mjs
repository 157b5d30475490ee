// Petitions and reception through the browser: a village head files a villager's petition on a
// phone (through the offline outbox), the chairman accepts and assigns it, the handler investigates,
// concludes (a required field checked first) and publishes, and prints the acceptance notice; the
// citizen looks it up. The identity dialog (only the assigned handler gets the button, a reason is
// required); the reception page's compliance strip and a visit that opens a petition; the
// register; /phan-anh with a photo the staff then see; the public list of answered feedback.
// Screenshots at 360 and 1280 px of every page.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PASSWORD, PHONE, launch, login, makePng, open, snap, uniq, expectCount } from './lib.mjs';

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
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

async function token(username) {
  const r = await api('POST', '/auth/login', null, { username, password: PASSWORD });
  assert.equal(r.status, 200, `login ${username}`);
  return { token: r.body.access_token, user: r.body.user };
}

async function noOverflow(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
}

/** Opens an action's dialog on the petition page, lets `fill` fill it, confirms, waits for the status. */
async function act(page, action, status, fill) {
  await page.locator(`[data-testid="petition-actions"] button[data-action="${action}"]`).click();
  const form = page.locator(`[data-testid="action-form"][data-action="${action}"]`);
  await form.waitFor();
  if (fill) await fill(form);
  await form.locator('[data-testid="action-confirm"]').click();
  await page.locator(`[data-testid="petition-status"][data-status="${status}"]`).waitFor();
}

describe('petitions', () => {
  it('a village head files on a phone, the chairman accepts and assigns, the handler concludes and publishes, the citizen looks it up', async () => {
    const tag = uniq();
    const subject = `Cầu tràn thôn 1 bị sạt ${tag}`;
    // 1. The village head, on a phone, through /petitions/new (the offline outbox's path).
    let code;
    {
      const { context, page, problems } = await open(browser, PHONE);
      try {
        await login(page, 'thon1');
        await page.goto(`${BASE}/petitions/new`);
        const form = page.locator('[data-testid="petition-form"]');
        await form.waitFor();
        await page.locator('#pn-kind').selectOption('feedback');
        // Sent empty: each required field is named, not only the first.
        await page.locator('[data-testid="petition-submit"]').click();
        await page.locator('#pn-name[aria-invalid="true"]').waitFor();
        assert.equal(await form.locator('[aria-invalid="true"]').count(), 3);
        // Too short for the server: the form says so under each field, in the server's rule,
        // before anything is sent or queued.
        await page.locator('#pn-subject').fill('ab');
        await page.locator('#pn-content').fill('cd');
        await page.locator('#pn-name').fill('Hà Văn Dân');
        await page.locator('[data-testid="petition-submit"]').click();
        await page.locator('#pn-content[aria-invalid="true"]').waitFor();
        assert.equal(await page.locator('#pn-subject + .field-error').textContent(), 'Tiêu đề cần ít nhất 3 ký tự.');
        assert.equal(await page.locator('#pn-content + .field-error').textContent(), 'Nội dung cần ít nhất 3 ký tự.');
        await page.locator('#pn-name').fill('');
        await page.locator('#pn-subject').fill(subject);
        await page.locator('#pn-content').fill('Cầu tràn đầu thôn sạt lở sau mưa lớn, xe máy không qua được.');
        await snap(page, 'petition-new-360x740');
        // A required field left empty is named before anything is sent.
        await page.locator('[data-testid="petition-submit"]').click();
        await page.getByText('Vui lòng nhập họ tên người gửi.').waitFor();
        await page.locator('#pn-name').fill('Hà Văn Dân');
        await page.locator('#pn-phone').fill('0912 000 777');
        const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/petitions') && r.method() === 'POST');
        await page.locator('[data-testid="petition-submit"]').click();
        const req = await sent;
        assert.match(req.headers()['idempotency-key'] ?? '', /^[A-Za-z0-9:._-]{8,100}$/, 'the outbox sends an Idempotency-Key');
        code = (await page.locator('[data-testid="petition-code"]').textContent())?.trim();
        assert.match(code ?? '', /^DT-\d{6}-\d{4}$/);
        await snap(page, 'petition-new-sent-360x740');
        await noOverflow(page);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
    const bdh = await token('bdh');
    const ubnd = await token('ubnd');
    const found = await api('GET', `/petitions?q=${encodeURIComponent(code)}`, bdh.token);
    assert.equal(found.body.total, 1);
    const id = found.body.items[0].id;
    assert.equal(found.body.items[0].channel, 'village');

    // 2. The chairman (the demo's chutich, a board account), on a computer: finds it in the list
    // (search without diacritics), accepts, assigns.
    const chairman = await token('chutich');
    {
      const { context, page, problems } = await open(browser, DESKTOP);
      try {
        await login(page, 'chutich');
        await page.goto(`${BASE}/petitions`);
        await page.locator('[data-testid="petitions"]').waitFor();
        await page.locator('#pt-q').fill(`cau tran thon 1 bi sat ${tag}`);
        // The search runs on the server without diacritics: only this petition is left.
        await page.locator('[data-testid="petitions-count"]', { hasText: /^1 đơn thư$/ }).waitFor();
        await page.locator(`[data-testid="petitions"] [data-code="${code}"]`).waitFor();
        assert.equal(await page.locator('[data-testid="petitions"] li').count(), 1);
        await snap(page, 'petitions-list-1280x800');
        // The overdue view: a fresh petition is not in it.
        const overdue = page.waitForResponse((r) => r.url().includes('/api/v1/petitions?') && r.url().includes('view=overdue') && r.url().includes(`q=${encodeURIComponent(code)}`));
        await page.locator('#pt-q').fill(code);
        await page.locator('#pt-view').selectOption('overdue');
        assert.equal((await (await overdue).json()).total, 0, 'a fresh petition is not overdue');
        await page.locator(`[data-testid="petitions"] [data-code="${code}"]`).waitFor({ state: 'detached' });
        await page.goto(`${BASE}/petitions/${id}`);
        await page.locator('[data-testid="petition-title"]').waitFor();
        // Every clock names its legal source.
        const sources = await page.locator('[data-testid="clock-source"]').allTextContents();
        assert.ok(sources.length >= 1 && sources.every((s) => s.length > 'Căn cứ: '.length), JSON.stringify(sources));
        assert.equal(await page.locator('[data-testid="identity-button"]').count(), 0, 'no identity for feedback');
        await act(page, 'accept', 'accepted');
        await act(page, 'assign', 'assigned', async (form) => {
          const select = form.locator('#pa-handler_id');
          await select.locator(`option[value="${ubnd.user.id}"]`).waitFor({ state: 'attached' });
          await select.selectOption(String(ubnd.user.id));
        });
        assert.equal((await page.locator('[data-testid="handler"]').textContent())?.trim(), ubnd.user.full_name);
        // The history names people, not accounts.
        const history = await page.locator('[data-testid="events"]').textContent();
        assert.ok(history?.includes(chairman.user.full_name), history ?? '');
        assert.ok(!history?.includes('system:'), history ?? '');
        await snap(page, 'petition-detail-1280x800');
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }

    // 3. The handler, on a phone: "assigned to me", investigates, concludes, publishes, prints.
    {
      const { context, page, problems } = await open(browser, PHONE);
      try {
        await login(page, 'ubnd');
        await page.goto(`${BASE}/petitions?view=mine`);
        await page.locator(`[data-testid="petitions"] [data-code="${code}"] a`).click();
        await page.locator('[data-testid="petition-title"]').waitFor();
        await act(page, 'start_investigation', 'investigating');
        // Conclude: the required fields are checked before sending.
        await page.locator('[data-testid="petition-actions"] button[data-action="conclude"]').click();
        const form = page.locator('[data-testid="action-form"][data-action="conclude"]');
        await form.locator('[data-testid="action-confirm"]').click();
        await form.getByText('Vui lòng chọn kết quả.').waitFor();
        await snap(page, 'petition-conclude-dialog-360x740', false);
        await form.locator('#pa-outcome').selectOption('upheld');
        await form.locator('#pa-conclusion').fill('Đã gia cố cầu tràn.');
        await form.locator('#pa-document_ref').fill('CV 21/UBND');
        await form.locator('[data-testid="action-confirm"]').click();
        await page.locator('[data-testid="petition-status"][data-status="concluded"]').waitFor();
        await act(page, 'publish', 'published', (f) => f.locator('#pa-answer').fill('UBND xã đã gia cố cầu tràn thôn 1.'));
        await snap(page, 'petition-detail-360x740');
        await noOverflow(page);
        // The acceptance notice, on A4 with the commune header.
        await page.locator('[data-testid="documents"] a[data-doc="acceptance"]').click();
        await page.locator('[data-testid="paper"]').waitFor();
        assert.match((await page.locator('[data-testid="paper"]').textContent()) ?? '', /BÌNH LƯƠNG/i);
        assert.equal((await page.locator('[data-testid="paper-petitioner"]').textContent())?.trim(), 'Hà Văn Dân');
        await snap(page, 'petition-print-acceptance-360x740');
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
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
      // The answer is on the public list of answered feedback, with no name or phone.
      await page.goto(`${BASE}/phan-anh?xem=da-tra-loi`);
      await page.getByRole('heading', { name: 'Phản ánh, kiến nghị đã được trả lời' }).waitFor();
      await page.locator('[data-testid="answered"] li').first().waitFor();
      let text = (await page.locator('[data-testid="answered"]').textContent()) ?? '';
      for (let i = 0; i < 10 && !text.includes(code); i++) {
        const more = page.getByRole('button', { name: 'Xem thêm' });
        if ((await more.count()) === 0) break;
        await more.click();
        await page.waitForFunction((n) => document.querySelectorAll('[data-testid="answered"] li').length > n, (i + 1) * 20 - 1);
        text = (await page.locator('[data-testid="answered"]').textContent()) ?? '';
      }
      assert.ok(text.includes(code), 'the published answer is listed');
      // Codes carry their day (DT-260912-0001): the phone's digits are looked for outside them.
      const shown = text.replace(/[A-Z]{2,}-\d{6}-\d{4}/g, '');
      assert.ok(!shown.includes('Hà Văn Dân') && !shown.includes('0912'), 'no personal data on the public list');
      await noOverflow(page);
      await snap(page, 'phan-anh-da-tra-loi-found-360x740', false);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it("a denouncer's identity: only the assigned handler and the chairman get the button, and a reason is required", async () => {
    const bdh = await token('bdh');
    const ubnd = await token('ubnd');
    const name = `Người Tố Cáo ${uniq()}`;
    const filed = await api('POST', '/petitions', bdh.token, {
      kind: 'denunciation',
      channel: 'post',
      subject: 'Tố cáo sai phạm trong xây dựng nhà văn hóa',
      content: 'Nội dung tố cáo việc sử dụng vật liệu kém chất lượng.',
      identity: { name, phone: '0987000111', address: 'Xóm Bí Mật' },
    });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    const id = filed.body.id;
    for (const body of [{ action: 'accept' }, { action: 'assign', handler_id: ubnd.user.id }]) {
      const r = await api('POST', `/petitions/${id}/actions`, bdh.token, body);
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    // The demo's chairman, not the handler, reads it (the button is there); the board member
    // (not the handler, not the chairman) sees no button and no name.
    {
      const { context, page, problems } = await open(browser, PHONE);
      try {
        await login(page, 'chutich');
        await page.goto(`${BASE}/petitions/${id}`);
        await page.locator('[data-testid="identity-button"]').click();
        await page.locator('#pi-reason').fill('Chủ tịch xem để chỉ đạo xác minh.');
        await page.locator('[data-testid="identity-submit"]').click();
        assert.equal((await page.locator('[data-testid="identity-name"]').textContent())?.trim(), name);
        await snap(page, 'petition-identity-chairman-360x740', false);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
    {
      const { context, page, problems } = await open(browser, DESKTOP);
      try {
        await login(page, 'bdh');
        await page.goto(`${BASE}/petitions/${id}`);
        await page.locator('[data-testid="petition-title"]').waitFor();
        assert.equal(await page.locator('[data-testid="identity-button"]').count(), 0);
        assert.equal((await page.locator('[data-testid="petitioner"]').textContent())?.trim(), '(được giữ bí mật)');
        assert.ok(!((await page.content()).includes(name)));
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
    for (const [vp, label] of [
      [PHONE, '360x740'],
      [DESKTOP, '1280x800'],
    ]) {
      const { context, page, problems } = await open(browser, vp);
      try {
        await login(page, 'ubnd');
        await page.goto(`${BASE}/petitions/${id}`);
        await page.locator('[data-testid="identity-button"]').click();
        await page.locator('[data-testid="identity-form"]').waitFor();
        // No reason: refused on the page, nothing read.
        const reads = [];
        page.on('request', (r) => r.url().includes('/identity') && reads.push(r.url()));
        await page.locator('[data-testid="identity-submit"]').click();
        await page.locator('[data-testid="identity-reason-error"]').waitFor();
        assert.deepEqual(reads, []);
        await snap(page, `petition-identity-reason-${label}`, false);
        await page.locator('#pi-reason').fill('Liên hệ người tố cáo để xác minh nội dung.');
        await page.locator('[data-testid="identity-submit"]').click();
        assert.equal((await page.locator('[data-testid="identity-name"]').textContent())?.trim(), name);
        assert.equal(reads.length, 1);
        await snap(page, `petition-identity-${label}`, false);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
    // Each read is in the audit log with its reason.
    const admin = await token('admin');
    const audit = await api('GET', `/audit?per_page=50`, admin.token);
    const text = JSON.stringify(audit.body);
    assert.ok(text.includes('Liên hệ người tố cáo để xác minh nội dung.'), 'the reason is audited');
    assert.ok(!text.includes(name), 'the audit log never holds the name');
  });

  for (const [label, viewport] of [
    ['360x740', PHONE],
    ['1280x800', DESKTOP],
  ]) {
    it(`reception at ${label}: the compliance strip, a session's register, a visit that opens a petition`, async () => {
      const { context, page, problems } = await open(browser, viewport);
      try {
        await login(page, 'bdh');
        await page.goto(`${BASE}/reception`);
        await page.locator('[data-testid="compliance-strip"] li').first().waitFor();
        const states = await page.locator('[data-testid="compliance-strip"] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
        assert.ok(states.length >= 52, `${states.length} weeks`);
        assert.ok(states.includes('missed'), 'the demo year has missed weeks, in red');
        assert.ok(states.includes('delegated'), 'delegated weeks are marked');
        const missed = page.locator('[data-testid="compliance-strip"] li[data-state="missed"]').first();
        assert.equal(await missed.evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(198, 40, 40)');
        assert.match((await missed.getAttribute('title')) ?? '', /không có buổi tiếp dân định kỳ/);
        await noOverflow(page);
        await snap(page, `reception-${label}`);
        // A new session sent with its texts empty: each required field is named at once.
        await page.locator('[data-testid="new-session"]').click();
        await page.locator('[data-testid="session-form"]').waitFor();
        await page.locator('#rs-title').fill('');
        await page.locator('[data-testid="session-save"]').click();
        await page.locator('#rs-place[aria-invalid="true"]').waitFor();
        assert.equal(await page.locator('[data-testid="session-form"] [aria-invalid="true"]').count(), 3);
        await page.keyboard.press('Escape');
        await page.locator('[data-testid="session-form"]').waitFor({ state: 'detached' });
        // A session's register: record a visit that opens a petition.
        // The latest session held (a visit is recorded on its session's day, never ahead of it).
        const first = page.locator('[data-testid="sessions"] li[data-session-id]').filter({ has: page.locator('.item-tag.held') }).locator('h2 a').first();
        await first.click();
        await page.locator('[data-testid="register-title"]').waitFor();
        await page.locator('[data-testid="open-petition"]').click();
        const form = page.locator('[data-testid="visit-form"]');
        await form.waitFor();
        const who = `Lò Văn Khách ${uniq()}`;
        await page.locator('#rv-citizens').fill(who);
        await page.locator('#rv-content').fill('Đề nghị sửa đường vào bản bị sạt lở.');
        await page.locator('#rv-class').selectOption('recommendation');
        await page.locator('#rv-subject').fill('Sửa đường vào bản');
        await page.locator('#rv-phone').fill('0911222444');
        await page.locator('[data-testid="visit-save"]').click();
        const card = page.locator('[data-testid="visits"] li', { hasText: who });
        await card.locator('[data-testid="visit-petition"]').waitFor();
        assert.match((await card.locator('[data-testid="visit-petition"]').textContent()) ?? '', /DT-\d{6}-\d{4}/);
        await noOverflow(page);
        await snap(page, `reception-register-${label}`);
        await card.locator('[data-testid="visit-petition"]').click();
        await page.locator('[data-testid="petition-title"]').waitFor();
        assert.match((await page.locator('[data-testid="petition-title"]').textContent()) ?? '', /Sửa đường vào bản/);
        // Where it came from, said once: at a reception session.
        assert.equal((await page.locator('[data-testid="petition-channel"]').textContent())?.trim(), 'Tại buổi tiếp công dân');
        assert.equal(await page.locator('.kv dt', { hasText: 'Nguồn đơn' }).count(), 1);
        // The register of petitions, on A4 landscape.
        await page.goto(`${BASE}/petitions/register`);
        await page.locator('[data-testid="register"] tbody tr').first().waitFor();
        await snap(page, `petitions-register-${label}`);
        if (viewport === PHONE) {
          await page.goto(`${BASE}/petitions`);
          await page.locator('[data-testid="petitions"] li').first().waitFor();
          await noOverflow(page);
          await snap(page, 'petitions-list-360x740');
        }
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  for (const [label, viewport] of [
    ['360x740', PHONE],
    ['1280x800', DESKTOP],
  ]) {
    it(`reception at ${label}: a visit corrected and deleted, the register of visits across sessions, the list's filters in the address`, async () => {
      const bdh = await token('bdh');
      const tag = uniq();
      // Yesterday in the commune (a visit is never in the future); the two viewports' sessions
      // start at the same time on purpose: the public schedule lists both.
      const day = new Date(Date.now() + 7 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
      const s = await api('POST', '/reception/sessions', bdh.token, {
        kind: 'adhoc',
        starts_at: `${day}T07:00:00+07:00`,
        place: `Nhà văn hóa thôn 3 ${tag}`,
        leader_name: 'Phó Chủ tịch UBND xã',
        leader_title: 'Phó Chủ tịch UBND xã',
        status: 'held',
      });
      assert.equal(s.status, 201, JSON.stringify(s.body));
      const visit = async (body) => {
        const r = await api('POST', `/reception/sessions/${s.body.id}/visits`, bdh.token, {
          at: `${day}T07:30:00+07:00`,
          receiver_name: 'Phó Chủ tịch UBND xã',
          ...body,
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body;
      };
      const wrong = await visit({ citizen_names: `Ông Đinh Văn Nhầm ${tag}`, content: 'Ghi nhầm lượt tiếp.', classification: 'other', handling: 'answered' });
      const fixme = await visit({ citizen_names: `Bà Hà Thị Sửa ${tag}`, content: 'Hỏi về hỗ trợ giống.', classification: 'feedback', handling: 'answered' });
      const linked = await visit({
        citizen_names: `Ông Lường Văn Đơn ${tag}`,
        content: 'Đề nghị làm lại rãnh thoát nước.',
        classification: 'recommendation',
        handling: 'petition_opened',
        petition: { subject: `Rãnh thoát nước ${tag}` },
      });
      const { context, page, problems } = await open(browser, viewport);
      try {
        await login(page, 'bdh');
        await page.goto(`${BASE}/reception/sessions/${s.body.id}`);
        const card = (v) => page.locator(`[data-testid="visits"] li[data-visit-id="${v.id}"]`);
        await card(fixme).waitFor();
        // Correct every field the register has.
        await card(fixme).locator('[data-testid="visit-edit"]').click();
        const form = page.locator('[data-testid="visit-form"]');
        await form.waitFor();
        assert.equal(await page.locator('#rv-at').inputValue(), `${day}T07:30`);
        assert.equal(await page.locator('#rv-citizens').inputValue(), `Bà Hà Thị Sửa ${tag}`);
        await page.locator('#rv-at').fill(`${day}T08:15`);
        await page.locator('#rv-citizens').fill(`Bà Hà Thị Sửa ${tag} và chồng`);
        await page.locator('#rv-size').fill('2');
        await page.locator('#rv-content').fill('Hỏi về hỗ trợ giống lúa vụ xuân.');
        await page.locator('#rv-class').selectOption('recommendation');
        await page.locator('#rv-handling').selectOption('forwarded');
        await page.locator('#rv-fwd').fill('Phòng Kinh tế');
        assert.equal(await page.locator('#rv-handling option[value="petition_opened"]').count(), 0, 'a correction opens no petition');
        await snap(page, `reception-visit-edit-${label}`, false);
        await page.locator('[data-testid="visit-save"]').click();
        await card(fixme).filter({ hasText: 'Hỏi về hỗ trợ giống lúa vụ xuân.' }).waitFor();
        const fixed = await card(fixme).textContent();
        assert.ok(fixed.includes('và chồng (2)') && fixed.includes('Phòng Kinh tế') && fixed.includes('08:15'), fixed);
        // The visit that opened a petition: no delete, and its classification and handling stay.
        assert.equal(await card(linked).locator('[data-testid="visit-delete"]').count(), 0);
        await card(linked).locator('[data-testid="visit-edit"]').click();
        await page.locator('[data-testid="visit-locked"]').waitFor();
        assert.ok(await page.locator('#rv-class').isDisabled());
        await page.keyboard.press('Escape');
        await form.waitFor({ state: 'detached' });
        // Delete, after the confirmation.
        await card(wrong).locator('[data-testid="visit-delete"]').click();
        const question = page.locator('[data-testid="delete-question"]');
        await question.waitFor();
        assert.ok(((await question.textContent()) ?? '').includes(`Ông Đinh Văn Nhầm ${tag}`));
        await snap(page, `reception-visit-delete-${label}`, false);
        await page.locator('[data-testid="visit-delete-confirm"]').click();
        await card(wrong).waitFor({ state: 'detached' });
        await noOverflow(page);
        await snap(page, `reception-session-after-${label}`);

        // The register of visits across sessions, searched without diacritics.
        await page.goto(`${BASE}/reception`);
        await page.locator('[data-testid="visit-register-link"]').click();
        await page.locator('[data-testid="visit-filters"]').waitFor();
        await page.locator('[data-testid="visit-search"]').fill(`luong van don ${tag}`);
        await page.locator('[data-testid="visit-show"]').click();
        const row = page.locator(`[data-testid="visit-register"] tr[data-visit-id="${linked.id}"]`);
        await row.waitFor();
        await expectCount(page, '[data-testid="visit-register"] tbody tr', 1);
        assert.match(page.url(), /q=luong\+van\+don/);
        assert.match((await row.locator('[data-testid="row-petition"]').textContent()) ?? '', /DT-\d{6}-\d{4}/);
        await page.locator('[data-testid="visit-search"]').fill(tag);
        await page.locator('[data-testid="visit-class"]').selectOption('recommendation');
        await page.locator('[data-testid="visit-show"]').click();
        await page.locator(`[data-testid="visit-register"] tr[data-visit-id="${fixme.id}"]`).waitFor();
        await expectCount(page, '[data-testid="visit-register"] tbody tr', 2);
        await snap(page, `reception-visits-register-${label}`);
        await row.locator('[data-testid="row-session"]').click();
        await page.locator(`[data-testid="visits"] li[data-visit-id="${linked.id}"]`).waitFor();

        // The petitions list honours ?view= (a home card's link) and keeps its filters in the address.
        await page.goto(`${BASE}/petitions?view=overdue`);
        await page.locator('[data-testid="petitions"] li').first().waitFor();
        assert.equal(await page.locator('[data-testid="petition-view"]').inputValue(), 'overdue');
        assert.ok((await page.locator('[data-testid="petitions"] li .overdue').count()) > 0, 'overdue petitions listed');
        await page.locator('[data-testid="petition-kind"]').selectOption('complaint');
        await page.waitForFunction(() => location.search.includes('kind=complaint') && location.search.includes('view=overdue'));
        await page.reload();
        await page.locator('[data-testid="petitions-title"]').waitFor();
        assert.equal(await page.locator('[data-testid="petition-view"]').inputValue(), 'overdue');
        assert.equal(await page.locator('[data-testid="petition-kind"]').inputValue(), 'complaint');
        await noOverflow(page);
        await snap(page, `petitions-list-overdue-${label}`);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  for (const [label, viewport] of [
    ['360x740', PHONE],
    ['1280x800', DESKTOP],
  ]) {
    it(`reception at ${label}: a session entered wrongly is corrected (kind, day, hours, place), one with no visits removed`, async () => {
      const bdh = await token('bdh');
      const tag = uniq();
      // Two working days in a row far ahead (no regular session of the demo there): a regular
      // session falls on a working day of the commune's calendar.
      const from = new Date(Date.now() + 7 * 3600_000 + 40 * 86_400_000).toISOString().slice(0, 10);
      const to = new Date(Date.now() + 7 * 3600_000 + 70 * 86_400_000).toISOString().slice(0, 10);
      const days = (await api('GET', `/calendar/days?from=${from}&to=${to}`, bdh.token)).body;
      const i = days.findIndex((d, k) => d.working && days[k + 1]?.working);
      assert.ok(i >= 0, 'two working days in a row');
      const [day, next] = [days[i].date, days[i + 1].date];
      const s = await api('POST', '/reception/sessions', bdh.token, {
        kind: 'adhoc',
        starts_at: `${day}T07:00:00+07:00`,
        place: `Nhà văn hóa thôn 4 ${tag}`,
        leader_name: 'Lò Văn Hùng',
        leader_title: 'Chủ tịch UBND xã',
      });
      assert.equal(s.status, 201, JSON.stringify(s.body));
      const { context, page, problems } = await open(browser, viewport);
      try {
        await login(page, 'bdh');
        await page.goto(`${BASE}/reception/sessions/${s.body.id}`);
        await page.locator('[data-testid="session-head"]', { hasText: tag }).waitFor();
        await page.locator('[data-testid="session-edit"]').click();
        await page.locator('[data-testid="session-form"]').waitFor();
        assert.equal(await page.locator('#se-start').inputValue(), `${day}T07:00`);
        assert.equal(await page.locator('#se-kind').inputValue(), 'adhoc');
        // An end before the start: the server's field error, next to the field.
        await page.locator('#se-end').fill(`${day}T06:00`);
        await page.locator('[data-testid="session-save"]').click();
        await page.locator('#se-end ~ .field-error', { hasText: 'Giờ kết thúc phải sau giờ bắt đầu.' }).waitFor();
        // The right kind (it was the regular session), day, hours and place.
        await page.locator('#se-kind').selectOption('regular');
        await page.locator('#se-kind').scrollIntoViewIfNeeded();
        await snap(page, `reception-session-edit-kind-${label}`, false);
        await page.locator('#se-start').fill(`${next}T13:30`);
        await page.locator('#se-end').fill(`${next}T16:00`);
        await page.locator('#se-place').fill(`Trụ sở UBND xã ${tag}`);
        await snap(page, `reception-session-edit-${label}`, false);
        await page.locator('[data-testid="session-save"]').click();
        await page.locator('[data-testid="session-head"]', { hasText: `Trụ sở UBND xã ${tag}` }).waitFor();
        const stored = (await api('GET', `/reception/sessions?from=${next}&to=${next}`, bdh.token)).body.find((x) => x.id === s.body.id);
        assert.equal(stored.starts_at, `${next}T13:30:00+07:00`);
        assert.equal(stored.ends_at, `${next}T16:00:00+07:00`);
        assert.equal(stored.kind, 'regular');
        // Its register is empty: it can be removed, after a confirmation, and the list follows.
        await page.locator('[data-testid="session-edit"]').click();
        await page.locator('[data-testid="session-delete"]').click();
        assert.match((await page.locator('[data-testid="session-delete-question"]').textContent()) ?? '', /Đã hủy/);
        await page.locator('[data-testid="session-delete-confirm"]').click();
        await page.locator('[data-testid="reception-title"]').waitFor();
        const left = (await api('GET', `/reception/sessions?from=${next}&to=${next}`, bdh.token)).body;
        assert.ok(!left.some((x) => x.id === s.body.id), 'the session is gone');
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  it('a citizen sends feedback with a photo from /phan-anh on a phone; the staff see the photo', async () => {
    const { context, page, problems } = await open(browser, PHONE);
    try {
      await page.goto(`${BASE}/phan-anh`);
      await page.getByRole('heading', { name: 'Gửi phản ánh, kiến nghị' }).waitFor();
      await snap(page, 'phan-anh-360x740');
      const inputs = page.locator('form input:not([type=radio]):not([type=file])');
      await inputs.nth(0).fill('Rác thải ven đường thôn 2');
      await page.locator('form textarea').fill('Rác đổ ven đường liên thôn đã một tuần chưa thu gom.');
      await inputs.nth(1).fill('Lò Thị Dân');
      // A phone number the server refuses is said under the phone, in words about the phone.
      await inputs.nth(2).fill('abc 12');
      await page.locator('form button[type=submit]').click();
      await page.locator('#fb-phone[aria-invalid="true"]').waitFor();
      assert.equal(await page.locator('#fb-phone + .err').textContent(), 'Số điện thoại gồm 9–12 chữ số.');
      assert.equal(await page.locator('#fb-subject[aria-invalid="true"]').count(), 0);
      await inputs.nth(2).fill('0988 123 456');
      // A file that is not a photo is not dropped silently: nothing goes until it is removed.
      const sends = [];
      page.on('request', (r) => {
        if (r.method() === 'POST' && /\/public\/communes\/[^/]+\/petitions/.test(r.url())) sends.push(r.url());
      });
      await page.locator('[data-testid="feedback-photo"]').setInputFiles({ name: 'don.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4') });
      await page.locator('#fb-photo-error').waitFor();
      await page.locator('form button[type=submit]').click();
      await page.locator('[data-testid="feedback-photo"]:focus').waitFor();
      assert.deepEqual(sends, []);
      await page.locator('[data-testid="feedback-photo-remove"]').click();
      assert.equal(await page.locator('#fb-photo-error').count(), 0);
      await page.locator('[data-testid="feedback-photo"]').setInputFiles({ name: 'rac-thai.png', mimeType: 'image/png', buffer: makePng(2400, 1800) });
      const upload = page.waitForRequest((r) => r.url().endsWith('/petitions/with-photo'));
      // Sent from the bottom of the form, as a thumb does.
      await page.locator('form button[type=submit]').scrollIntoViewIfNeeded();
      await page.locator('form button[type=submit]').click();
      await upload;
      const code = (await page.locator('[data-testid="tracking-code"]').textContent())?.trim();
      assert.match(code ?? '', /^DT-\d{6}-\d{4}$/);
      // The code is on the screen, below the sticky bar, not scrolled away above it.
      await page.waitForFunction(() => {
        const box = document.querySelector('[data-testid="tracking-code"]')?.getBoundingClientRect();
        const bar = document.querySelector('header')?.getBoundingClientRect().bottom ?? 0;
        return box !== undefined && box.top >= Math.max(0, bar) - 1 && box.bottom <= innerHeight;
      });
      await snap(page, 'phan-anh-sent-360x740');
      await noOverflow(page);
      const look = await api('GET', `/public/petitions/${code}?phone_last4=3456`);
      assert.equal(look.status, 200);
      assert.equal(look.body.status, 'received');
      // The staff see the photo on the petition's page.
      const bdh = await token('bdh');
      const list = await api('GET', `/petitions?q=${code}`, bdh.token);
      const id = list.body.items[0].id;
      const detail = await api('GET', `/petitions/${id}`, bdh.token);
      assert.equal(detail.body.photos.length, 1);
      // Shrunk on the phone: the 2400×1800 PNG went up as a JPEG (the server sniffs the bytes),
      // at most 1600 px wide (checked on the image below).
      assert.equal(detail.body.photos[0].content_type, 'image/jpeg');
      // The confirmation's link opens the lookup in feedback's words: a DT- code, no paper receipt.
      await page.locator('[data-testid="track-feedback"]').click();
      await page.getByRole('heading', { level: 1, name: 'Tra cứu phản ánh, kiến nghị' }).waitFor();
      const intro = (await page.locator('[data-testid="lookup-intro"]').textContent()) ?? '';
      assert.doesNotMatch(intro, /giấy tiếp nhận/, intro);
      assert.match(intro, /mã phản ánh/);
      assert.equal(await page.locator('#lk-code').inputValue(), code);
      await page.locator('#lk-last4').fill('3456');
      await page.locator('[data-testid="lookup-form"] button[type=submit]').click();
      await page.locator('[data-testid="petition-result"]').waitFor();
      await snap(page, 'tra-cuu-from-feedback-360x740');
      // Coming back to the page later (or a reload) still shows the code, to look it up with.
      await page.goto(`${BASE}/phan-anh`);
      await page.locator('[data-testid="recent-codes"]', { hasText: code }).waitFor();
      const photo = await fetch(`${BASE}${detail.body.photos[0].url}`, { headers: { Authorization: `Bearer ${bdh.token}` } });
      assert.equal(photo.status, 200);
      assert.equal(photo.headers.get('content-type'), 'image/jpeg');
      assert.equal((await fetch(`${BASE}${detail.body.photos[0].url}`)).status, 401, 'not public');
      assert.deepEqual(problems, []);
      const staff = await open(browser, DESKTOP);
      try {
        await login(staff.page, 'bdh');
        await staff.page.goto(`${BASE}/petitions/${id}`);
        const img = staff.page.locator('[data-testid="petition-photo"]');
        await img.waitFor();
        await staff.page.waitForFunction(() => {
          const i = document.querySelector('[data-testid="petition-photo"]');
          return i instanceof HTMLImageElement && i.complete && i.naturalWidth > 0;
        });
        assert.ok((await img.evaluate((i) => i.naturalWidth)) <= 1600);
        await snap(staff.page, 'petition-photo-1280x800');
        assert.deepEqual(staff.problems, []);
      } finally {
        await staff.context.close();
      }
    } finally {
      await context.close();
    }
  });

  for (const [name, viewport] of [
    ['360x740', PHONE],
    ['1280x800', DESKTOP],
  ]) {
    it(`the reception schedule and the answered feedback at ${name}`, async () => {
      const { context, page, problems } = await open(browser, viewport);
      try {
        await page.goto(`${BASE}/lich-tiep-cong-dan`);
        await page.getByRole('heading', { name: /Lịch tiếp công dân/ }).waitFor();
        assert.ok((await page.locator('.list li').count()) > 0, 'the demo schedule has sessions');
        await noOverflow(page);
        await snap(page, `lich-tiep-cong-dan-${name}`);
        await page.goto(`${BASE}/phan-anh`);
        await page.getByRole('heading', { name: 'Gửi phản ánh, kiến nghị' }).waitFor();
        if (viewport === DESKTOP) await snap(page, 'phan-anh-1280x800');
        await page.locator('[data-testid="answered-link"]').click();
        await page.locator('[data-testid="answered"] li').first().waitFor();
        await noOverflow(page);
        await snap(page, `phan-anh-da-tra-loi-${name}`);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});
