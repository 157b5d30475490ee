// Signed events and feedback categories: from the API keys page, the admin opens a key's
// subscriptions, subscribes (the signing secret shown once), reads the delivery log, sends a
// delivery again, turns the subscription off and deletes it; then manages the commune's feedback
// categories, which Open311's services.json reflects.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PASSWORD, PHONE, apiCall, launch, login, open, smallTargets, snap, uniq, signedIn } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function adminSession() {
  const res = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  assert.equal(res.status, 200);
  const body = await res.json();
  return { tok: body.access_token, commune: body.user.commune_id };
}

/** Waits (bounded) until `check` returns something truthy. */
async function until(what, check, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    assert.ok(Date.now() < end, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('signed events (webhooks)', () => {
  let keyId;
  let subId;

  it('admin subscribes a key, reads the log, sends again, turns it off', async () => {
    const { tok, commune } = await adminSession();
    const made = await apiCall(tok, 'POST', '/api-keys', {
      name: `Trục sự kiện ${uniq()}`,
      owner: 'Sở TT&TT',
      kind: 'live',
      scopes: ['receive_webhooks', 'read_dossiers_masked', 'submit_feedback'],
    });
    keyId = made.key.id;
    await signedIn(browser, DESKTOP, 'admin', '/admin/api-keys', async (page) => {
      const row = page.locator(`tr[data-key="${made.key.prefix}"]`);
      await row.locator('[data-testid="key-webhooks"]').click();
      await page.getByRole('heading', { level: 1, name: 'Sự kiện gửi cho hệ thống khác' }).waitFor();
      await page.getByText('Khóa này chưa đăng ký nhận sự kiện nào.').waitFor();
      await page.locator('[data-testid="create-subscription"]').click();
      const form = page.locator('[data-testid="subscription-form"]');
      // No event chosen: the server's field error.
      await form.locator('#hook-url').fill('http://hooks.example.org/thanthien');
      await form.locator('button[type="submit"]').click();
      await form.locator('fieldset .field-error').waitFor();
      await form.getByLabel('Đơn được tiếp nhận').check();
      await form.getByLabel('Hồ sơ quá hạn').check();
      await snap(page, 'webhooks-form-1280x800', false);
      await form.locator('button[type="submit"]').click();
      const secret = (await page.locator('[data-testid="hook-secret"]').textContent()).trim();
      assert.match(secret, /^whsec_[0-9a-f]{64}$/);
      await snap(page, 'webhooks-secret-1280x800', false);
      await page.getByRole('button', { name: 'Đóng' }).last().click();
      const card = page.locator('[data-testid="subscriptions"] li').first();
      await card.getByText('Đang gửi').waitFor();
      subId = Number(await card.getAttribute('data-subscription'));
      assert.ok(!(await page.content()).includes(secret), 'the secret is shown once');

      // An event: a citizen's feedback. The target is not reachable from here, so the log
      // shows a failed attempt and the next try.
      const r = await fetch(`${BASE}/api/v1/public/communes/${commune}/petitions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'feedback', subject: 'Đèn đường hỏng', content: 'Đèn đầu thôn không sáng.', name: 'Người dân', phone: '0912000111' }),
      });
      assert.equal(r.status, 201);
      // (A demo dossier may fall overdue meanwhile: its event is in the log too, so the
      // feedback's entry is looked for by its event, not by its place.)
      await until('a first attempt', async () => {
        const log = await apiCall(tok, 'GET', `/webhooks/${subId}/deliveries`);
        return log.find((d) => d.event === 'petition.received')?.attempts >= 1;
      });
      await card.getByRole('button', { name: 'Nhật ký gửi' }).click();
      const entry = card.locator('[data-testid="delivery-log"] tr[data-delivery]', { hasText: 'Đơn được tiếp nhận' }).first();
      await entry.waitFor();
      const text = await entry.textContent();
      assert.match(text, /Đơn được tiếp nhận/);
      assert.match(text, /Chờ gửi|Không gửi được|Đã gửi/);
      await snap(page, 'webhooks-log-1280x800');
      await entry.getByRole('button', { name: /Gửi lại/ }).click();
      await page.getByText('Đã xếp lịch gửi lại.').waitFor();
      await card.getByRole('button', { name: 'Tắt' }).click();
      await card.getByText('Đã tắt').waitFor();
      await card.getByRole('button', { name: 'Bật lại' }).waitFor();
    });
  });

  it('the subscriptions page works on a phone', async () => {
    await signedIn(browser, PHONE, 'admin', `/admin/api-keys/${keyId}/webhooks`, async (page) => {
      const card = page.locator(`[data-subscription="${subId}"]`);
      await card.getByRole('button', { name: 'Nhật ký gửi' }).click();
      await card.locator('[data-testid="delivery-log"] tr[data-delivery]').first().waitFor();
      await snap(page, 'webhooks-360x740');
      assert.deepEqual(await smallTargets(page), []);
      await page.locator('[data-testid="create-subscription"]').click();
      await page.locator('[data-testid="subscription-form"]').waitFor();
      await snap(page, 'webhooks-form-360x740', false);
    });
  });

  it('admin deletes the subscription with its log, after a second tap', async () => {
    const { tok } = await adminSession();
    await signedIn(browser, DESKTOP, 'admin', `/admin/api-keys/${keyId}/webhooks`, async (page) => {
      const card = page.locator(`[data-subscription="${subId}"]`);
      await card.locator('[data-testid="subscription-delete"]').click();
      await card.getByRole('alertdialog').getByText('Xóa hẳn đăng ký này cùng nhật ký gửi?').waitFor();
      await snap(page, 'webhooks-delete-1280x800');
      // Cancel keeps it.
      await card.getByRole('button', { name: 'Hủy' }).click();
      await card.locator('[data-testid="subscription-delete"]').waitFor();
      assert.equal(await card.getByRole('alertdialog').count(), 0);
    });
    await signedIn(browser, PHONE, 'admin', `/admin/api-keys/${keyId}/webhooks`, async (page) => {
      const card = page.locator(`[data-subscription="${subId}"]`);
      await card.locator('[data-testid="subscription-delete"]').click();
      await card.locator('[data-testid="subscription-delete-confirm"]').waitFor();
      await snap(page, 'webhooks-delete-360x740');
      assert.deepEqual(await smallTargets(page), []);
      await card.locator('[data-testid="subscription-delete-confirm"]').click();
      await page.getByText('Đã xóa đăng ký http://hooks.example.org/thanthien.').waitFor();
      await page.getByText('Khóa này chưa đăng ký nhận sự kiện nào.').waitFor();
    });
    const gone = await fetch(`${BASE}/api/v1/webhooks/${subId}/deliveries`, { headers: { authorization: `Bearer ${tok}` } });
    assert.equal(gone.status, 404, 'the delivery log went with it');
  });
});

describe('feedback categories', () => {
  it('admin adds and deactivates a category; services.json follows', async () => {
    const { commune } = await adminSession();
    const code = `den-${uniq().toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 40);
    const services = async () => {
      const r = await fetch(`${BASE}/open311/v2/services.json?jurisdiction_id=${commune}`);
      return (await r.json()).map((s) => s.service_code);
    };
    await signedIn(browser, DESKTOP, 'admin', null, async (page) => {
      await page.locator('#main-nav a[href="/admin/feedback-categories"]').click();
      await page.getByRole('heading', { level: 1, name: 'Loại phản ánh, kiến nghị' }).waitFor();
      await page.locator('[data-category="moi-truong"]').waitFor();
      await page.locator('[data-testid="create-category"]').click();
      const form = page.locator('[data-testid="category-form"]');
      await form.locator('#cat-code').fill('Sai Mã');
      await form.locator('#cat-name').fill('Đèn chiếu sáng công cộng');
      await form.locator('button[type="submit"]').click();
      await form.locator('#cat-code-error').waitFor();
      assert.equal(await form.locator('#cat-name-error').count(), 0, 'only the code is wrong');
      await form.locator('#cat-code').fill(code);
      await form.locator('#cat-grouping').fill('Hạ tầng');
      await form.locator('button[type="submit"]').click();
      const item = page.locator(`[data-category="${code}"]`);
      await item.waitFor();
      assert.ok((await services()).includes(code));
      await snap(page, 'feedback-categories-1280x800');
      await item.getByRole('button', { name: /Ngừng dùng/ }).click();
      await item.getByText('Đã ngừng').waitFor();
      assert.ok(!(await services()).includes(code));
    });
  });

  it('the categories page works on a phone', async () => {
    await signedIn(browser, PHONE, 'admin', '/admin/feedback-categories', async (page) => {
      await page.locator('[data-category="moi-truong"]').waitFor();
      await snap(page, 'feedback-categories-360x740');
      assert.deepEqual(await smallTargets(page), []);
      await page.locator('[data-testid="create-category"]').click();
      await page.locator('[data-testid="category-form"]').waitFor();
      await snap(page, 'feedback-categories-form-360x740', false);
    });
  });
});
