// Shared helpers of the e2e tests: the browser, contexts at the two target viewports, sign-in.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));

/** playwright-core from tests/e2e/node_modules, else from web/node_modules (both `npm ci`-able). */
function loadPlaywright() {
  for (const from of [join(here, 'package.json'), resolve(here, '../../web/package.json')]) {
    try {
      return createRequire(from)('playwright-core');
    } catch {
      // try the next place
    }
  }
  throw new Error('playwright-core is not installed: run `npm ci` in tests/e2e (or in web/)');
}

export const { chromium } = loadPlaywright();

export const BASE = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8080';
export const ARTIFACTS = process.env.E2E_ARTIFACTS ?? join(here, 'artifacts');
export const PASSWORD = 'thanthien-demo';

export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 800 };

/** Demo accounts and their roles, with the Vietnamese role label the UI must show. */
export const ACCOUNTS = [
  ['admin', 'admin'],
  ['bdh', 'board'],
  ['chutich', 'board'],
  ['ubnd', 'ubnd'],
  ['mttq', 'front'],
  ['thon1', 'village'],
  ['thon2', 'village'],
  ['thon3', 'village'],
  ['thon4', 'village'],
  ['thon5', 'village'],
  ['thon6', 'village'],
  ['tinh', 'oversight'],
];

export const ROLE_VI = {
  admin: 'Quản trị viên',
  board: 'Ban điều hành',
  ubnd: 'UBND xã (một cửa)',
  front: 'Mặt trận & đoàn thể',
  village: 'Trưởng thôn',
  oversight: 'Tỉnh Thanh Hóa',
};

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A fresh context (own cookies and storage) at a viewport. Every page's console errors and
 * uncaught exceptions are collected in `problems`, except the browser's own log line for an
 * HTTP error status, which the app handles (a 401 from the silent refresh, say).
 */
export async function open(browser, viewport) {
  const context = await browser.newContext({
    viewport,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    isMobile: viewport.width < 600,
    hasTouch: viewport.width < 600,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (/Failed to load resource: the server responded with a status of/.test(m.text())) return;
    problems.push(`console: ${m.text()}`);
  });
  return { context, page, problems };
}

/** Signs in through the login form; returns the /auth/me body the app received. */
export async function login(page, username, password = PASSWORD) {
  await page.goto(`${BASE}/login`);
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  const me = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/me') && r.request().method() === 'GET');
  await page.locator('form button[type="submit"]').click();
  const res = await me;
  assert.equal(res.status(), 200, `GET /auth/me after login as ${username}`);
  const body = await res.json();
  // A village head lands on their village's tasks; everyone else on the greeting.
  await page.locator('[data-testid="greeting"], [data-testid="my-tasks-title"]').first().waitFor();
  return body;
}

/**
 * One browser session of a test: a page at `viewport`, signed in as `username`, opened at `path`
 * (null: where the sign-in lands); runs `steps(page, context)`, then checks the page logged no
 * error, and closes it.
 */
export async function signedIn(browser, viewport, username, path, steps) {
  const { context, page, problems } = await open(browser, viewport);
  try {
    await login(page, username);
    if (path !== null) await page.goto(`${BASE}${path}`);
    await steps(page, context);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
}

/** An access token for a demo account, signed in over the API (no browser). */
export async function apiToken(username, password = PASSWORD) {
  const res = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(res.status, 200, `API login as ${username}`);
  return (await res.json()).access_token;
}

/** A GET of the API with a bearer token; asserts a 200 answer and returns its body. */
export async function apiGet(tok, path) {
  const res = await fetch(`${BASE}/api/v1${path}`, { headers: { authorization: `Bearer ${tok}` } });
  assert.equal(res.status, 200, `GET ${path}: ${res.status}`);
  return res.json();
}

/** yyyy-mm-dd of the commune's day `offset` days from today (Asia/Ho_Chi_Minh). */
export function communeDay(offset = 0) {
  const d = new Date(Date.now() + offset * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** A JSON call to the API with a bearer token; asserts a 2xx answer and returns its body. */
export async function apiCall(tok, method, path, body) {
  const res = await fetch(`${BASE}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.ok(res.status < 300, `${method} ${path}: ${res.status}`);
  return res.json();
}

/** The desk receives a dossier at the counter (channel 1) for the procedure with this national code. */
export async function receiveDossier(tok, procedureCode, applicant) {
  const procs = await apiCall(tok, 'GET', `/procedures?q=${procedureCode}`);
  return apiCall(tok, 'POST', '/dossiers', { procedure_id: procs.items[0].id, channel: 1, applicant });
}

/** Visible buttons and links smaller than 44 × 44 px (text links inside a sentence excepted). */
export async function smallTargets(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('a[href], button, [role="button"], summary')) {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
      if (r.bottom < 0 || r.right < 0 || r.left >= innerWidth) continue;
      // A link that is part of running text (WCAG 2.5.8's inline exception).
      const parent = el.parentElement;
      const inline = el.tagName === 'A' && style.display === 'inline' && parent && /^(P|LI|SPAN|DD|TD)$/.test(parent.tagName)
        && (parent.textContent ?? '').trim().length > (el.textContent ?? '').trim().length + 10;
      if (inline) continue;
      if (r.width < 43.5 || r.height < 43.5) {
        out.push(`${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 30) || el.getAttribute('aria-label')}" ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
    return out;
  });
}

/**
 * Waits until exactly `n` elements match `selector` (a list re-drawn after a search may still show
 * the old rows for a moment: counting at once would race it), then returns. Fails after 30 s,
 * saying how many there were.
 */
export async function expectCount(page, selector, n) {
  try {
    await page.waitForFunction(([sel, want]) => document.querySelectorAll(sel).length === want, [selector, n], {
      timeout: 30_000,
    });
  } catch {
    const have = await page.locator(selector).count();
    throw new Error(`${selector}: expected ${n} elements, found ${have}`);
  }
}

/** A full-page screenshot from the top (a sticky bar would otherwise be drawn where the page was scrolled). */
export async function snap(page, name, fullPage = true) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: screenshotPath(name), fullPage });
}

export function screenshotPath(name) {
  return join(ARTIFACTS, `${name}.png`);
}

/** A suffix that keeps names created by different runs apart. */
export function uniq() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
}

// ---- PNG files, made here ----
const CRC_TABLE = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(buf) {
  let c = -1;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** A real PNG: a gradient with a few stripes (RGB, 8 bits), as a phone photo would be. */
export function makePng(width, height) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const i = row + 1 + x * 3;
      const stripe = Math.floor(x / 200) % 2 === 0;
      raw[i] = Math.floor((x / width) * 255);
      raw[i + 1] = stripe ? 160 : 60;
      raw[i + 2] = Math.floor((y / height) * 255);
    }
  }
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Writes a made PNG of `width`×`height` as `name` in a fresh temporary folder; returns its path. */
export function pngFile(name, width, height) {
  const dir = join(tmpdir(), `thanthien-e2e-photo-${uniq()}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, makePng(width, height));
  return path;
}

/**
 * Which of `keys` the phone's offline reads (IndexedDB `reads`) still lack after waiting up to
 * `ms` for them (read in the page every 250 ms; [] as soon as all are there). The database is
 * never created here: the app creates it with its stores.
 */
export function notKept(page, keys, ms) {
  return page.evaluate(
    async ({ keys, ms }) => {
      const readKeys = async () => {
        if (!(await indexedDB.databases()).some((d) => d.name === 'thanthien-offline')) return [];
        const db = await new Promise((ok, ko) => {
          const r = indexedDB.open('thanthien-offline');
          r.onsuccess = () => ok(r.result);
          r.onerror = () => ko(r.error);
        });
        try {
          if (!db.objectStoreNames.contains('reads')) return [];
          return await new Promise((ok, ko) => {
            const req = db.transaction('reads').objectStore('reads').getAllKeys();
            req.onsuccess = () => ok(req.result.map(String));
            req.onerror = () => ko(req.error);
          });
        } finally {
          db.close();
        }
      };
      const until = Date.now() + ms;
      for (;;) {
        const have = await readKeys();
        const missing = keys.filter((k) => !have.includes(k));
        if (missing.length === 0 || Date.now() > until) return missing;
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    { keys, ms },
  );
}
