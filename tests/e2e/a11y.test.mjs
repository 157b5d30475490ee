// Accessibility: axe-core finds no WCAG 2.0/2.1 A or AA
// violation on the phone pages and the desk's pages, at 360 px and at 1280 px — sign-in, the
// village head's tasks, the citizen procedures (list and one procedure), the dossier lookup, a
// survey, a dossier and the one-stop dashboard. axe's own source is evaluated in the page
// (Runtime.evaluate, which the page's Content-Security-Policy does not govern).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BASE, DESKTOP, PHONE, apiCall, apiToken, launch, login, open, receiveDossier } from './lib.mjs';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** axe's violations of the WCAG A/AA rules on the page as it is now, one line per rule and node. */
async function violations(page) {
  await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ')}`) }));
  }, TAGS);
  return found.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n}`));
}

/** Waits for a page's content, then checks it at both widths. */
async function check(name, viewport, signIn, path, ready) {
  const { context, page, problems } = await open(browser, viewport);
  try {
    if (signIn) await login(page, signIn);
    if (path) await page.goto(`${BASE}${path}`);
    await page.locator(ready).first().waitFor();
    // Lists and charts that load after the first paint have settled.
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
    const found = await violations(page);
    assert.deepEqual(found, [], `${name} at ${viewport.width} px`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
}

const state = { surveyPath: '', dossierId: 0 };

describe('accessibility (axe-core, WCAG 2.1 A + AA)', () => {
  before(async () => {
    const bdh = await apiToken('bdh');
    const surveys = await apiCall(bdh, 'GET', '/surveys');
    const open = surveys.items.find((s) => s.open);
    assert.ok(open, 'an open survey in the demo');
    state.surveyPath = open.public_path;
    // The fixed demo has no dossiers: the desk receives one, as at the counter.
    const ubnd = await apiToken('ubnd');
    const dossier = await receiveDossier(ubnd, '1.001193', { name: 'Lò Thị Truy Cập', phone: '0912345678', id_number: '038190004322', address: 'Thôn 1' });
    state.dossierId = dossier.id;
  });

  for (const viewport of [PHONE, DESKTOP]) {
    const w = viewport.width;
    it(`sign-in at ${w} px`, () => check('sign-in', viewport, null, '/login', '#login-username'));
    it(`the village head’s tasks at ${w} px`, () => check('village tasks', viewport, 'thon1', null, '[data-testid="village-cards"]'));
    it(`citizen procedures at ${w} px`, () => check('/thu-tuc', viewport, null, '/thu-tuc', '[data-testid="procedure-link"]'));
    it(`a procedure at ${w} px`, () => check('/thu-tuc/1.001193', viewport, null, '/thu-tuc/1.001193', '[data-testid="proc-documents"]'));
    it(`dossier lookup at ${w} px`, () => check('/tra-cuu', viewport, null, '/tra-cuu', '[data-testid="lookup-form"]'));
    it(`a survey at ${w} px`, () => check('survey', viewport, null, state.surveyPath, '[data-testid="survey-form"]'));
    it(`a dossier at ${w} px`, () => check('dossier', viewport, 'ubnd', `/onestop/dossiers/${state.dossierId}`, '[data-testid="timeline"]'));
    it(`the one-stop dashboard at ${w} px`, () => check('dashboard', viewport, 'ubnd', '/onestop/dashboard', '[data-testid="index-table"]'));
  }
});
