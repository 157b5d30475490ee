#!/usr/bin/env node
// Lighthouse (mobile preset: a mid-range phone on slow 4G, simulated throttling) on the
// phone pages, against a server binary started here on a loopback port with a fresh demo
// (`serve --demo`, as `make run` shows it), in Debian's chromium. A benchmark, not a test: it
// prints the scores against the budgets (performance ≥ 95, accessibility 100) and exits 0 even
// when one is missed, unless --strict is given. docs/phone.md says how to read the figures.
//
//   node bench/lighthouse/run.mjs [--bin target/release/thanthien] [--web-dir web/dist]
//                                 [--only sign-in,village-tasks,...] [--strict]
//
//   --bin       server binary (default target/release/thanthien, relative to the repo root);
//               the figures that count are the release build's
//   --web-dir   serve the SPA from this folder instead of the one embedded in the binary
//               (default: web/dist for a debug build, which reads its files from disk)
//   CHROME_PATH browser (default /usr/bin/chromium)
//
// JSON reports go to bench/lighthouse/results/<page>.json (gitignored), the scores to
// results/summary.json.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '../../tests/e2e/free-port.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const results = join(here, 'results');
const PASSWORD = 'thanthien-demo';
const BUDGET = { performance: 95, accessibility: 100 };

const { values: opts } = parseArgs({
  options: {
    bin: { type: 'string', default: 'target/release/thanthien' },
    'web-dir': { type: 'string' },
    only: { type: 'string' },
    strict: { type: 'boolean', default: false },
  },
});

const fromRepo = (p) => (isAbsolute(p) ? p : resolve(repo, p));
const bin = fromRepo(opts.bin);
const chrome = process.env.CHROME_PATH || '/usr/bin/chromium';
const lighthouseCli = join(here, 'node_modules', 'lighthouse', 'cli', 'index.js');
const debugBuild = /[/\\]debug[/\\]/.test(bin);
const webDir = opts['web-dir'] ? fromRepo(opts['web-dir']) : debugBuild ? join(repo, 'web', 'dist') : null;

function fail(message) {
  console.error(`lighthouse: ${message}`);
  process.exit(1);
}
if (!existsSync(bin)) fail(`server binary ${bin} not found (make release, or pass --bin)`);
if (!existsSync(chrome)) fail(`${chrome} not found (set CHROME_PATH)`);
if (!existsSync(lighthouseCli)) fail('lighthouse is not installed: run `npm ci` in bench/lighthouse');
if (webDir && !existsSync(join(webDir, 'index.html'))) fail(`${webDir}/index.html not found (run \`npm run build\` in web/)`);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the server --------------------------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'thanthien-lighthouse-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const logFd = openSync(join(work, 'server.log'), 'a');
const server = spawn(bin, ['serve', '--demo', '--port', String(port), '--database-url', `sqlite://${work}/lighthouse.db`], {
  cwd: repo,
  env: {
    ...process.env,
    THANTHIEN__SERVER__DATA_DIR: work,
    THANTHIEN__DEMO__ENABLED: 'true',
    ...(webDir ? { THANTHIEN__SERVER__WEB_DIR: webDir } : {}),
  },
  stdio: ['ignore', logFd, logFd],
});
let exited = null;
server.on('exit', (code, signal) => {
  exited = { code, signal };
});

async function stop(code) {
  if (!exited) {
    server.kill('SIGTERM');
    for (let i = 0; i < 50 && !exited; i++) await sleep(100);
    if (!exited) server.kill('SIGKILL');
  }
  if (code === 0) rmSync(work, { recursive: true, force: true });
  else console.error(`lighthouse: server log and database kept in ${work}`);
  process.exit(code);
}
process.on('SIGINT', () => void stop(130));
process.on('SIGTERM', () => void stop(143));

const deadline = Date.now() + 180_000;
for (;;) {
  if (exited) {
    console.error(readFileSync(join(work, 'server.log'), 'utf8').split('\n').slice(-30).join('\n'));
    console.error(`lighthouse: the server exited (${JSON.stringify(exited)})`);
    await stop(1);
  }
  try {
    if ((await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) })).ok) break;
  } catch {
    // not listening yet
  }
  if (Date.now() > deadline) {
    console.error('lighthouse: the server was not ready in 180 s');
    await stop(1);
  }
  await sleep(250);
}
console.log(`lighthouse: ${bin}${webDir ? ` (SPA from ${webDir})` : ''} at ${base}`);

// ---- sessions ----------------------------------------------------------------------------------

/**
 * Signs in over the API. The app keeps its access token in memory only and restores the session at
 * start from the HttpOnly refresh cookie (`tt_refresh`, web/src/lib/session.svelte.ts), so a page
 * opened with that cookie opens signed in. Each audited page gets a session of its own: the server
 * rotates the refresh token on use and ends a session whose token is presented twice.
 */
async function signIn(username) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login as ${username}: ${res.status}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('tt_refresh='));
  if (!cookie) throw new Error(`login as ${username}: no tt_refresh cookie`);
  return { cookie: cookie.split(';')[0], token: (await res.json()).access_token };
}

async function surveyPath() {
  const { token } = await signIn('bdh');
  const res = await fetch(`${base}/api/v1/surveys`, { headers: { authorization: `Bearer ${token}` } });
  const open = (await res.json()).items.find((s) => s.open);
  if (!open) throw new Error('no open survey in the demo');
  return open.public_path;
}

// ---- the pages ---------------------------------------------------------------------------------

const PAGES = [
  { name: 'sign-in', path: '/login' },
  { name: 'village-tasks', path: '/', user: 'thon1' },
  { name: 'procedures', path: '/thu-tuc' },
  { name: 'lookup', path: '/tra-cuu' },
  { name: 'survey', path: null },
].filter((p) => !opts.only || opts.only.split(',').includes(p.name));

mkdirSync(results, { recursive: true });
const rows = [];
let code = 0;
try {
  for (const page of PAGES) {
    const path = page.path ?? (await surveyPath());
    const headers = page.user ? { Cookie: (await signIn(page.user)).cookie } : null;
    const out = join(results, `${page.name}.json`);
    const args = [
      lighthouseCli,
      `${base}${path}`,
      // No --preset: Lighthouse's default is the mobile one (Moto G Power, slow 4G, 4× CPU).
      '--only-categories=performance,accessibility',
      '--output=json',
      `--output-path=${out}`,
      `--chrome-path=${chrome}`,
      '--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync',
      '--quiet',
      ...(headers ? [`--extra-headers=${JSON.stringify(headers)}`] : []),
    ];
    const run = spawnSync(process.execPath, args, { cwd: here, encoding: 'utf8', timeout: 240_000, env: { ...process.env, CHROME_PATH: chrome } });
    if (run.status !== 0 || !existsSync(out)) {
      console.error(run.stdout, run.stderr);
      throw new Error(`lighthouse on ${path} exited with ${run.status ?? run.signal}`);
    }
    const report = JSON.parse(readFileSync(out, 'utf8'));
    if (report.runtimeError) throw new Error(`lighthouse on ${path}: ${report.runtimeError.code} ${report.runtimeError.message}`);
    // A session that did not take would measure the sign-in page under another name.
    if (page.user && new URL(report.finalDisplayedUrl).pathname === '/login') throw new Error(`${page.name}: not signed in (ended on /login)`);
    const score = (c) => Math.round((report.categories[c]?.score ?? 0) * 100);
    const audits = report.audits;
    const row = {
      page: page.name,
      url: path,
      // Lighthouse follows redirects and the app's own routing: where it ended.
      final_url: report.finalDisplayedUrl,
      performance: score('performance'),
      accessibility: score('accessibility'),
      fcp_ms: Math.round(audits['first-contentful-paint']?.numericValue ?? 0),
      lcp_ms: Math.round(audits['largest-contentful-paint']?.numericValue ?? 0),
      tbt_ms: Math.round(audits['total-blocking-time']?.numericValue ?? 0),
      cls: Number((audits['cumulative-layout-shift']?.numericValue ?? 0).toFixed(3)),
      // Accessibility audits that failed, by id, so a score under 100 says why.
      a11y_failed: Object.values(report.categories.accessibility.auditRefs)
        .map((r) => audits[r.id])
        .filter((a) => a && a.score === 0)
        .map((a) => a.id),
    };
    rows.push(row);
    console.log(`lighthouse: ${page.name} done (${row.performance} / ${row.accessibility})`);
  }
} catch (e) {
  console.error(`lighthouse: ${e.message}`);
  code = 1;
}

if (rows.length) {
  const meets = (r) => r.performance >= BUDGET.performance && r.accessibility >= BUDGET.accessibility;
  const table = rows.map((r) => ({
    page: r.page,
    path: r.url,
    performance: r.performance,
    accessibility: r.accessibility,
    'FCP ms': r.fcp_ms,
    'LCP ms': r.lcp_ms,
    'TBT ms': r.tbt_ms,
    CLS: r.cls,
    budget: meets(r) ? 'ok' : 'MISSED',
  }));
  console.table(table);
  for (const r of rows) if (r.a11y_failed.length) console.log(`  ${r.page}: accessibility audits failed: ${r.a11y_failed.join(', ')}`);
  console.log(`budgets: performance ≥ ${BUDGET.performance}, accessibility ${BUDGET.accessibility} (mobile preset)`);
  if (debugBuild) console.log('note: a debug build — its performance figures are not the product’s; run against target/release/thanthien');
  writeFileSync(
    join(results, 'summary.json'),
    `${JSON.stringify({ at: new Date().toISOString(), bin, debug_build: debugBuild, budget: BUDGET, pages: rows }, null, 2)}\n`,
  );
  if (opts.strict && !rows.every(meets)) code = code || 2;
}
await stop(code);
