// Form fields: a control whose field shows an error is marked invalid (aria-invalid) and points
// at that error, and at its hint (aria-describedby); the error is announced (role=alert); a
// checkbox group points its fieldset at its error. Every form is opened and submitted with
// mistakes at 360 × 740 and at 1280 × 800, fits the phone, and is photographed both ways
// (artifacts/forms-<form>-<open|errors>-<size>.png).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, apiCall, apiToken, launch, open, screenshotPath, snap, uniq, signedIn } from './lib.mjs';

let browser;
let keyId = 0;
let relayId = 0;
before(async () => {
  browser = await launch();
  // A key for the subscriptions page, and a disclosure Thôn 1 must relay.
  const admin = await apiToken('admin');
  keyId = (await apiCall(admin, 'POST', '/api-keys', { name: `Khóa biểu mẫu ${uniq()}`, owner: 'Sở TT&TT', kind: 'live', scopes: ['receive_webhooks'] })).key.id;
  const bdh = await apiToken('bdh');
  const item = (await apiCall(bdh, 'GET', '/disclosure-items')).find((i) => i.code === 'D11-05');
  const thon1 = (await apiCall(bdh, 'GET', '/units?kind=village&per_page=200')).items.find((u) => u.name === 'Thôn 1');
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
  const made = await apiCall(bdh, 'POST', '/disclosures', {
    item_id: item.id,
    title: `Thông báo lịch họp thôn (${uniq()})`,
    content: '',
    channels: ['village_meeting'],
    other_channel: null,
    for_comment: false,
    period: null,
    posted_from: day,
    posted_to: day,
    loudspeaker_days: null,
    evidence_note: '',
    responsible_name: '',
    village_ids: [thon1.id],
  });
  relayId = made.disclosure.id;
});
after(async () => {
  await browser?.close();
});

const SIZES = [
  [PHONE, '360x740'],
  [DESKTOP, '1280x800'],
];

/**
 * Each control (by id) is invalid and described by its error "<id>-error" (and its hint when it has
 * one); the error is shown and announced.
 */
async function linked(page, ids) {
  for (const id of ids) {
    const error = page.locator(`[id="${id}-error"]`);
    await error.waitFor();
    assert.equal(await error.getAttribute('role'), 'alert', `${id}: error announced`);
    assert.notEqual(((await error.textContent()) ?? '').trim(), '', `${id}: error has words`);
    const control = page.locator(`[id="${id}"]`);
    assert.equal(await control.getAttribute('aria-invalid'), 'true', `${id}: aria-invalid`);
    const described = ((await control.getAttribute('aria-describedby')) ?? '').split(' ');
    assert.ok(described.includes(`${id}-error`), `${id}: described by its error (${described.join(' ')})`);
    for (const other of described) assert.equal(await page.locator(`[id="${other}"]`).count(), 1, `${id}: ${other} exists`);
  }
}

/** A checkbox group (fieldset) points at its error. */
async function groupLinked(page, errorId) {
  const error = page.locator(`[id="${errorId}"]`);
  await error.waitFor();
  assert.equal(await error.getAttribute('role'), 'alert');
  assert.equal(await page.locator(`fieldset[aria-describedby="${errorId}"]`).count(), 1, `fieldset described by ${errorId}`);
}

async function fits(page, viewport) {
  if (viewport !== PHONE) return;
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `page width ${width}`);
}

/** A form on its page: the whole page. A form in a dialog: the screen, scrolled to `at`. */
async function shot(page, name, at) {
  if (!at) return snap(page, name);
  await at.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath(name) });
}

/** Submits `form` and waits for the refusal of `method url` (a regular expression). */
async function refused(page, form, method, url) {
  const res = page.waitForResponse((r) => url.test(r.url()) && r.request().method() === method);
  await form.locator('button[type="submit"]').first().click();
  assert.equal((await res).status(), 422);
}

for (const [viewport, size] of SIZES) {
  describe(`form fields at ${size}`, () => {
    it('sign-in: both fields point at their errors', async () => {
      const { context, page, problems } = await open(browser, viewport);
      try {
        await page.goto(`${BASE}/login`);
        const form = page.locator('form');
        await page.locator('#login-username').waitFor();
        await shot(page, `forms-login-open-${size}`);
        await refused(page, form, 'POST', /\/auth\/login$/);
        await linked(page, ['login-username', 'login-password']);
        await fits(page, viewport);
        await shot(page, `forms-login-errors-${size}`);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });

    it('account: the new passwords that differ, then a wrong current password', async () => {
      await signedIn(browser, viewport, 'thon2', '/account', async (page) => {
        const form = page.locator('form').filter({ has: page.locator('#pw-current') });
        await form.waitFor();
        await shot(page, `forms-account-open-${size}`);
        await page.locator('#pw-current').fill('khong-dung-mat-khau');
        await page.locator('#pw-new').fill('mat-khau-moi-2026');
        await page.locator('#pw-confirm').fill('mat-khau-khac-2026');
        await form.locator('button[type="submit"]').click();
        await linked(page, ['pw-confirm']);
        assert.equal(await page.locator('#pw-new').getAttribute('aria-describedby'), 'pw-new-hint');
        await page.locator('#pw-confirm').fill('mat-khau-moi-2026');
        const res = page.waitForResponse((r) => r.url().includes('/password') && r.request().method() !== 'GET');
        await form.locator('button[type="submit"]').click();
        assert.ok((await res).status() >= 400);
        await linked(page, ['pw-current']);
        await fits(page, viewport);
        await shot(page, `forms-account-errors-${size}`);
      });
    });

    it('dialogue: place, leaders and topics', async () => {
      await signedIn(browser, viewport, 'bdh', '/dialogues/new', async (page) => {
        const form = page.locator('[data-testid="dialogue-form"]');
        await form.waitFor();
        await shot(page, `forms-dialogue-open-${size}`);
        await refused(page, form, 'POST', /\/dialogues$/);
        await linked(page, ['dg-place', 'dg-leaders', 'dg-topics']);
        assert.equal(await page.locator('#dg-on').getAttribute('aria-invalid'), null, 'a good field stays valid');
        await fits(page, viewport);
        await shot(page, `forms-dialogue-errors-${size}`);
      });
    });

    // Two forms of the same build: fields marked one by one, then the group of units.
    for (const f of [
      { name: 'meeting', what: 'place, chair, agenda and the units present', path: '/meetings/new', post: /\/meetings$/, fields: ['mt-place', 'mt-chair', 'mt-agenda'], group: 'mt-units-error' },
      { name: 'activity', what: 'title, place and the units reached', path: '/activities/new', post: /\/activities$/, fields: ['ac-title', 'ac-place'], group: 'ac-units-error' },
    ]) {
      it(`${f.name}: ${f.what}`, async () => {
        await signedIn(browser, viewport, 'bdh', f.path, async (page) => {
          const form = page.locator(`[data-testid="${f.name}-form"]`);
          await form.waitFor();
          await shot(page, `forms-${f.name}-open-${size}`);
          await refused(page, form, 'POST', f.post);
          await linked(page, f.fields);
          await groupLinked(page, f.group);
          await fits(page, viewport);
          await shot(page, `forms-${f.name}-errors-${size}`);
        });
      });
    }

    it('disclosure: the item and the title; the period hint', async () => {
      await signedIn(browser, viewport, 'bdh', '/disclosures/new', async (page) => {
        const form = page.locator('[data-testid="disclosure-form"]');
        await form.waitFor();
        await shot(page, `forms-disclosure-open-${size}`);
        await refused(page, form, 'POST', /\/disclosures$/);
        await linked(page, ['dn-item', 'dn-title']);
        // A periodic item asks for its period, with a hint the field points at.
        const value = await page.locator('#dn-item option', { hasText: 'D11-01' }).first().getAttribute('value');
        await page.locator('#dn-item').selectOption(value ?? '');
        assert.equal(await page.locator('#dn-period').getAttribute('aria-describedby'), 'dn-period-hint');
        await page.locator('#dn-title').fill(`Kế hoạch năm (${uniq()})`);
        await refused(page, form, 'POST', /\/disclosures$/);
        await linked(page, ['dn-period']);
        assert.equal(await page.locator('#dn-period').getAttribute('aria-describedby'), 'dn-period-hint dn-period-error');
        await fits(page, viewport);
        await shot(page, `forms-disclosure-errors-${size}`);
      });
    });

    it('a disclosure to relay: the relay form', async () => {
      await signedIn(browser, viewport, 'thon1', `/disclosures/${relayId}`, async (page) => {
        const form = page.locator('[data-testid="relay-form"]');
        await form.waitFor();
        for (const id of ['dc-on', 'dc-note', 'dc-photo']) {
          assert.equal(await page.locator(`label[for="${id}"]`).count(), 1, `${id} labelled`);
        }
        await fits(page, viewport);
        await shot(page, `forms-relay-open-${size}`);
        // A cleared day is refused on the page, not sent (the server would take the day the
        // outbox sends it).
        let posted = 0;
        page.on('request', (r) => {
          if (r.method() === 'POST' && /\/relays$/.test(r.url())) posted += 1;
        });
        await page.locator('#dc-on').fill('');
        await page.locator('[data-testid="relay-submit"]').click();
        await linked(page, ['dc-on']);
        assert.match((await page.locator('[id="dc-on-error"]').textContent()) ?? '', /Chọn ngày đã thông báo|Choose the day/);
        assert.equal(posted, 0, 'nothing sent without a day');
        await shot(page, `forms-relay-no-day-${size}`, form);
      });
    });

    it("a dialogue's commitments: new, corrected, reported", async () => {
      await signedIn(browser, viewport, 'bdh', '/dialogues', async (page) => {
        await page.locator('[data-testid="dialogues"] li a').first().click();
        const add = page.locator('[data-testid="commitment-form"]');
        await add.waitFor();
        await shot(page, `forms-commitments-open-${size}`, add);
        await refused(page, add, 'POST', /\/dialogues\/\d+\/commitments$/);
        await linked(page, ['cm-due']);
        await shot(page, `forms-commitment-new-errors-${size}`, add);
        const item = page.locator('[data-testid="commitments"] [data-status="open"]').first();
        const itemId = await item.getAttribute('data-tracked-id');
        await item.locator('[data-testid="tracked-edit"]').click();
        const cf = item.locator('[data-testid="tracked-edit-form"]');
        await cf.locator('textarea').fill('');
        await refused(page, cf, 'PATCH', /\/commitments\/\d+$/);
        await linked(page, [`ce-commitment-${itemId}-text`]);
        await cf.locator('button.secondary').click();
        await item.locator('[data-testid="tracked-report"]').click();
        const rf = item.locator('form.dc-report-form');
        await refused(page, rf, 'POST', /\/commitments\/\d+\/reports$/);
        await linked(page, [`tr-commitment-${itemId}-text`]);
        await fits(page, viewport);
        await shot(page, `forms-commitment-report-errors-${size}`, rf);
      });
    });

    it('boards: a supervision, and an answer dated tomorrow', async () => {
      await signedIn(browser, viewport, 'bdh', '/community-boards', async (page) => {
        await page.locator('[data-testid="supervisions"] li[data-supervision-id]').first().waitFor();
        await page.locator('.page-head button').click();
        const form = page.locator('[data-testid="supervision-form"]');
        await form.waitFor();
        await shot(page, `forms-supervision-open-${size}`, form);
        await refused(page, form, 'POST', /\/supervisions$/);
        await linked(page, ['sv-board', 'sv-subj']);
        await fits(page, viewport);
        await shot(page, `forms-supervision-errors-${size}`, form);
        await form.locator('button.secondary').click();
        // Any recommendation can be answered again (another test may have answered the pending one).
        const rec = page.locator('[data-recommendation-id]').filter({ has: page.getByRole('button') }).first();
        const id = await rec.getAttribute('data-recommendation-id');
        await rec.getByRole('button').click();
        const rf = page.locator('[data-testid="response-form"]');
        await rf.locator(`#rs-an-${id}`).fill('');
        await rf.locator(`#rs-on-${id}`).fill('2099-01-01');
        await refused(page, rf, 'PUT', /\/recommendations\/\d+\/response$/);
        await linked(page, [`rs-an-${id}`, `rs-on-${id}`]);
        await fits(page, viewport);
        await shot(page, `forms-response-errors-${size}`, rf);
        await rf.locator('button.secondary').click();
      });
    });

    it('API keys: name, owner and the scopes', async () => {
      await signedIn(browser, viewport, 'admin', '/admin/api-keys', async (page) => {
        await page.locator('[data-testid="create-key"]').click();
        const form = page.locator('[data-testid="key-form"]');
        await form.waitFor();
        await shot(page, `forms-api-key-open-${size}`, form.locator('#key-name'));
        await form.getByLabel('Đọc số liệu tổng hợp').uncheck();
        await refused(page, form, 'POST', /\/api-keys$/);
        await linked(page, ['key-name', 'key-owner']);
        await groupLinked(page, 'key-scopes-error');
        await fits(page, viewport);
        await shot(page, `forms-api-key-errors-${size}`, form.locator('#key-name'));
        await shot(page, `forms-api-key-errors-end-${size}`, form.locator('#key-rate'));
      });
    });

    it('subscriptions: the address and the events', async () => {
      await signedIn(browser, viewport, 'admin', `/admin/api-keys/${keyId}/webhooks`, async (page) => {
        await page.locator('[data-testid="create-subscription"]').click();
        const form = page.locator('[data-testid="subscription-form"]');
        await form.waitFor();
        await refused(page, form, 'POST', /\/webhooks$/);
        await linked(page, ['hook-url']);
        await groupLinked(page, 'hook-events-error');
        await fits(page, viewport);
        await shot(page, `forms-subscription-errors-${size}`, form.locator('#hook-url'));
        await shot(page, `forms-subscription-errors-end-${size}`, page.locator('#hook-events-error'));
      });
    });

    it('feedback categories: code and name', async () => {
      await signedIn(browser, viewport, 'admin', '/admin/feedback-categories', async (page) => {
        await page.locator('[data-testid="create-category"]').click();
        const form = page.locator('[data-testid="category-form"]');
        await form.waitFor();
        await shot(page, `forms-category-open-${size}`, form.locator('#cat-code'));
        await refused(page, form, 'POST', /\/feedback-categories$/);
        await linked(page, ['cat-code', 'cat-name']);
        await fits(page, viewport);
        await shot(page, `forms-category-errors-${size}`, form.locator('#cat-code'));
        await shot(page, `forms-category-errors-end-${size}`, form.locator('#cat-position'));
      });
    });

    it('procedures: code, name and field', async () => {
      await signedIn(browser, viewport, 'ubnd', '/procedures', async (page) => {
        await page.locator('[data-testid="create-procedure"]').click();
        const form = page.locator('[data-testid="procedure-form"]');
        await form.waitFor();
        await shot(page, `forms-procedure-open-${size}`, form.locator('#p-code'));
        await refused(page, form, 'POST', /\/procedures$/);
        await linked(page, ['p-code', 'p-name', 'p-field']);
        assert.equal(await page.locator('#p-code').getAttribute('aria-describedby'), 'p-code-hint p-code-error');
        assert.equal(await page.locator('#p-field').getAttribute('list'), 'p-fields');
        await fits(page, viewport);
        await shot(page, `forms-procedure-errors-${size}`, form.locator('#p-code'));
        await shot(page, `forms-procedure-errors-end-${size}`, form.locator('#p-posted'));
      });
    });

    it('intake: the procedure, then the applicant', async () => {
      await signedIn(browser, viewport, 'ubnd', '/onestop/new', async (page) => {
        const form = page.locator('[data-testid="intake-form"]');
        await form.waitFor();
        await shot(page, `forms-intake-open-${size}`);
        await page.locator('[data-testid="intake-submit"]').click();
        await linked(page, ['proc-id']);
        await page.waitForFunction(() => document.querySelectorAll('#proc-id option:not([disabled])').length > 0);
        await page.locator('#proc-id').selectOption({ index: 1 });
        await page.locator('[data-testid="due-preview-value"]').waitFor();
        await refused(page, form, 'POST', /\/dossiers$/);
        await linked(page, ['a-name', 'a-phone']);
        assert.equal(await page.locator('#a-phone').getAttribute('aria-describedby'), 'a-phone-hint a-phone-error');
        await fits(page, viewport);
        await shot(page, `forms-intake-errors-${size}`);
      });
    });

    it('a petition action: the reason asked for, with its hint', async () => {
      await signedIn(browser, viewport, 'chutich', '/petitions/1', async (page) => {
        await page.locator('[data-testid="petition-actions"] button[data-action="refuse"]').click();
        const form = page.locator('[data-testid="action-form"][data-action="refuse"]');
        await form.waitFor();
        await shot(page, `forms-petition-action-open-${size}`, form);
        await form.locator('[data-testid="action-confirm"]').click();
        await linked(page, ['pa-reason']);
        assert.equal(await page.locator('#pa-reason').getAttribute('aria-describedby'), 'pa-reason-hint pa-reason-error');
        await fits(page, viewport);
        await shot(page, `forms-petition-action-errors-${size}`, form);
      });
    });
  });
}
