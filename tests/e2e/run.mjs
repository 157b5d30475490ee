#!/usr/bin/env node
// Browser end-to-end run: starts the real server binary with the demo commune on a port the system
// picks, with a fresh SQLite database, serving the built SPA from web/dist, then runs the
// *.test.mjs files here with node's test runner against it, and stops the server. The files in
// LIVING run against a server with the living demo (`serve --demo`), those in COMMUNES against one
// with several communes. Files run on E2E_WORKERS workers at once, each with servers of its own
// (see below).
//
//   E2E_WORKERS     files at once (default: one per core, at most 2)
//   THANTHIEN_BIN   server binary (default target/release/thanthien, relative to the repo root)
//   CHROMIUM_PATH   browser (default /usr/bin/chromium); when missing the run is skipped, exit 0
//   E2E_KEEP=1      keep the temporary directory (database, server log) after the run
//   E2E_DEMO_DOSSIERS  demo dossiers in two generated communes before the server starts (default 0)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

if (!existsSync(chromium)) {
  console.log(`e2e: SKIPPED — ${chromium} not found`);
  process.exit(0);
}

const binArg = process.env.THANTHIEN_BIN || 'target/release/thanthien';
const bin = isAbsolute(binArg) ? binArg : resolve(repo, binArg);
const webDist = resolve(repo, 'web', 'dist');

function fail(message) {
  console.error(`e2e: FAILED — ${message}`);
  process.exit(1);
}

if (!existsSync(bin)) fail(`server binary ${bin} not found (build it, or set THANTHIEN_BIN)`);
if (!existsSync(join(webDist, 'index.html'))) fail(`${webDist}/index.html not found (run \`npm ci && npm run build\` in web/)`);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Two demos. Most tests assert the fixed demo (the 2023 plan of Bình Lương as seeded, one commune):
// that server runs `serve` with the demo enabled. The living demo (`serve --demo`: the 2023 plan
// as a finished year, this year's plan rolled over from it and reported on up to today, a year of
// dossiers up to today — what `make run` shows) changes with the date, so only the files listed
// here run against it, on a server of their own.
const LIVING = new Set(['notifications.test.mjs']);
// An installation with several communes (the demo commune and two generated ones, a few dossiers
// each): the citizen pages pick their commune from the address or a picker.
const COMMUNES = new Set(['communes.test.mjs']);

// On request, demo dossiers in two more communes of the demo province, so the indicators have a
// year of data behind them and the province user sees several communes. Off by default: with more
// than one commune the citizen pages need a commune picked, which the public tests do not do.
const demoDossiers = Number(process.env.E2E_DEMO_DOSSIERS ?? 0);

const servers = [];

/** Starts a server: `living` = `serve --demo`; `communes` > 0 generates that many more communes with `dossiers` dossiers first. */
async function startServer(name, { living = false, communes = 0, dossiers = 0 } = {}) {
  const work = mkdtempSync(join(tmpdir(), `thanthien-e2e-${name}-`));
  const logPath = join(work, 'server.log');
  const logFd = openSync(logPath, 'a');
  if (communes > 0) {
    const gen = spawnSync(
      bin,
      ['gen-demo-dossiers', '--communes', String(communes), '--dossiers', String(dossiers), '--database-url', `sqlite://${work}/e2e.db`],
      { cwd: repo, env: { ...process.env, THANTHIEN__SERVER__DATA_DIR: work }, encoding: 'utf8', timeout: 120_000 },
    );
    if (gen.status !== 0) {
      console.error(gen.stdout, gen.stderr);
      console.error(`e2e: FAILED — gen-demo-dossiers exited with ${gen.status ?? gen.signal}`);
      // Another worker's servers may be running: stop them too.
      await cleanupAndExit(1);
    }
    console.log(`e2e: ${gen.stdout.trim().split('\n').find((l) => l.startsWith('generated')) ?? 'demo dossiers generated'}`);
  }
  // Port 0: the server binds a port the system picks and prints its address. A port picked free
  // here and bound by the server seconds later (after its migrations and demo seeding) could be
  // taken meanwhile by another worker's server, which would then answer this one's /readyz.
  const args = ['serve', ...(living ? ['--demo'] : []), '--port', '0', '--database-url', `sqlite://${work}/e2e.db`];
  const child = spawn(bin, args, {
    cwd: repo,
    env: {
      ...process.env,
      THANTHIEN__SERVER__DATA_DIR: work,
      THANTHIEN__SERVER__WEB_DIR: webDist,
      THANTHIEN__DEMO__ENABLED: 'true',
    },
    stdio: ['ignore', logFd, logFd],
    detached: false,
  });
  const srv = { name, work, logPath, base: '', child, exited: null };
  child.on('exit', (code, signal) => {
    srv.exited = { code, signal };
  });
  servers.push(srv);
  // Wait for readiness: migrations and demo seeding happen before /readyz answers 200.
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (srv.exited) break;
    srv.base ||= boundAddress(srv);
    if (!srv.base) {
      await sleep(250);
      continue;
    }
    try {
      const res = await fetch(`${srv.base}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) {
        console.log(`e2e: ${name} demo server ready at ${srv.base} (${bin})`);
        return srv;
      }
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  console.error(srv.exited ? `e2e: ${name} server exited early (${JSON.stringify(srv.exited)})` : `e2e: ${name} server not ready in time`);
  console.error(serverLog(srv));
  await cleanupAndExit(1);
}

/** The address the server printed once it bound its port (`… is running at http://…`), or ''. */
function boundAddress(srv) {
  try {
    return /is running at (http:\/\/127\.0\.0\.1:\d+)/.exec(readFileSync(srv.logPath, 'utf8'))?.[1] ?? '';
  } catch {
    return '';
  }
}

function serverLog(srv) {
  try {
    return readFileSync(srv.logPath, 'utf8').split('\n').slice(-60).join('\n');
  } catch {
    return '(no server log)';
  }
}

async function stopServers() {
  for (const srv of servers) {
    if (srv.exited) continue;
    srv.child.kill('SIGTERM');
    for (let i = 0; i < 50 && !srv.exited; i++) await sleep(100);
    if (!srv.exited) srv.child.kill('SIGKILL');
  }
}

async function cleanupAndExit(code) {
  await stopServers();
  for (const srv of servers) {
    if (code === 0 && !process.env.E2E_KEEP) rmSync(srv.work, { recursive: true, force: true });
    else console.log(`e2e: ${srv.name} server log and database kept in ${srv.work}`);
  }
  process.exit(code);
}

process.on('SIGINT', () => void cleanupAndExit(130));
process.on('SIGTERM', () => void cleanupAndExit(143));

const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });
// `node run.mjs offline.test.mjs plans.test.mjs` runs only those files.
const only = process.argv.slice(2);
const selected = readdirSync(here)
  .filter((f) => f.endsWith('.test.mjs') && (only.length === 0 || only.includes(f)))
  .sort();
const groups = {
  fixed: { communes: demoDossiers > 0 ? 2 : 0, dossiers: demoDossiers },
  living: { living: true },
  communes: { communes: 2, dossiers: 30 },
};
const groupOf = (f) => (LIVING.has(f) ? 'living' : COMMUNES.has(f) ? 'communes' : 'fixed');

// Files run one at a time on each of E2E_WORKERS workers (default: one per core, at most 2), each
// taking the next file from one queue. A worker has its own servers (a fresh database each), one
// per demo it has needed so far, so no two files ever run against one server at the same time, and
// a file sees only what the files before it on the same worker wrote (as when one worker runs
// them all in order). The files with a demo of their own go first: their servers take longest to
// start. A file's report is printed whole when it ends.
const workerCount = Math.max(1, Math.min(Number(process.env.E2E_WORKERS) || Math.min(2, availableParallelism()), selected.length));
const queue = [...selected.filter((f) => groupOf(f) !== 'fixed'), ...selected.filter((f) => groupOf(f) === 'fixed')];
const totals = { tests: 0, pass: 0, fail: 0 };
const failed = [];
const started = Date.now();

function runFile(file, srv) {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, ['--test', '--test-reporter=tap', join(here, file)], {
      cwd: here,
      env: { ...process.env, E2E_BASE_URL: srv.base, E2E_ARTIFACTS: artifacts, CHROMIUM_PATH: chromium },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (c, signal) => resolveRun({ code: c ?? (signal ? 1 : 0), out }));
  });
}

async function worker(n) {
  const mine = {};
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const group = groupOf(file);
    mine[group] ??= await startServer(`${group}-${n}`, groups[group]);
    const t0 = Date.now();
    const { code: c, out } = await runFile(file, mine[group]);
    const count = (key) => Number(out.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? 0);
    totals.tests += count('tests');
    totals.pass += count('pass');
    totals.fail += count('fail');
    process.stdout.write(`\n# ---- ${file} (worker ${n}, ${group} demo, ${((Date.now() - t0) / 1000).toFixed(1)} s)\n${out}`);
    if (c !== 0) {
      failed.push(file);
      console.error(`e2e: ${file} failed against the ${group} demo; last lines of its server log:`);
      console.error(serverLog(mine[group]));
    }
  }
}

await Promise.all(Array.from({ length: workerCount }, (_, i) => worker(i + 1)));
const seconds = ((Date.now() - started) / 1000).toFixed(0);
console.log(
  `\ne2e: ${totals.tests} tests in ${selected.length} files on ${workerCount} workers, ${seconds} s: ` +
    `${totals.pass} passed, ${totals.fail} failed${failed.length ? ` (${failed.join(', ')})` : ''}`,
);
await cleanupAndExit(failed.length > 0 ? 1 : 0);
