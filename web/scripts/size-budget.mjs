#!/usr/bin/env node
// Checks the JS budgets of DESIGN.md from dist/.vite/manifest.json:
//   first load of the staff shell (the entry chunk and everything it imports statically) ≤ 40 KB gz,
//   each lazy route chunk (with the static imports it adds beyond first load) ≤ 100 KB gz,
//   first load of the citizen pages (public.html, its own build: .vite/manifest.public.json) ≤ 25 KB gz,
//   everything a route loads in total — the first load, the route's chunks and the chunks it imports
//   lazily itself (the dashboard's charts) — ≤ 100 KB gz for the routes that lazy-load more code; the
//   one-stop dashboard must be among them.
// Exits 1 when a budget is exceeded, 2 when the build output is missing.
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants } from 'node:zlib';

const KB = 1024;
const FIRST_LOAD_BUDGET = 40 * KB;
const ROUTE_BUDGET = 100 * KB;
const PUBLIC_BUDGET = 25 * KB;
const ROUTE_TOTAL_BUDGET = 100 * KB;
/** Routes whose total must be checked, so the check cannot vanish with a rename. */
const REQUIRED_TOTALS = ['src/features/onestop/Dashboard.svelte'];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = process.argv[2] ?? join(root, 'dist');
const manifestPath = join(dist, '.vite', 'manifest.json');

if (!existsSync(manifestPath)) {
  console.error(`size-budget: ${manifestPath} not found — run \`vite build\` with build.manifest enabled first`);
  process.exit(2);
}

/** @type {Record<string, {file: string, src?: string, name?: string, isEntry?: boolean, isDynamicEntry?: boolean, imports?: string[], dynamicImports?: string[], css?: string[]}>} */
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));

const gzCache = new Map();
/** Gzipped size at level 9, roughly what a server's precompressed or gzip-encoded response weighs. */
function gz(file) {
  if (!gzCache.has(file)) {
    const buf = readFileSync(join(dist, file));
    gzCache.set(file, { raw: buf.length, gz: gzipSync(buf, { level: constants.Z_BEST_COMPRESSION }).length });
  }
  return gzCache.get(file);
}

/** The chunk keys loaded with `key`: itself and its static imports, transitively. */
function closure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key]?.imports ?? []) closure(dep, seen);
  return seen;
}

const isJs = (key) => manifest[key]?.file.endsWith('.js');
const sum = (keys) =>
  [...keys].filter(isJs).reduce(
    (acc, k) => {
      const s = gz(manifest[k].file);
      return { raw: acc.raw + s.raw, gz: acc.gz + s.gz };
    },
    { raw: 0, gz: 0 },
  );

const entries = Object.keys(manifest).filter((k) => manifest[k].isEntry);
if (entries.length === 0) {
  console.error('size-budget: no entry chunk in the manifest');
  process.exit(2);
}

const firstLoadKeys = new Set();
for (const e of entries) closure(e, firstLoadKeys);
const firstLoad = sum(firstLoadKeys);

const fmt = (n) => `${(n / KB).toFixed(2)} KB`;
const rows = [];
let failed = false;

const firstOk = firstLoad.gz <= FIRST_LOAD_BUDGET;
failed ||= !firstOk;
rows.push([
  `first load (${[...firstLoadKeys].filter(isJs).length} chunk${firstLoadKeys.size > 1 ? 's' : ''})`,
  fmt(firstLoad.raw),
  fmt(firstLoad.gz),
  fmt(FIRST_LOAD_BUDGET),
  firstOk ? 'ok' : 'OVER',
]);

const routeKeys = Object.keys(manifest)
  .filter((k) => manifest[k].isDynamicEntry && isJs(k))
  .sort();
for (const key of routeKeys) {
  // What visiting the route adds: its chunk plus shared chunks not already loaded by the shell.
  const extra = new Set([...closure(key)].filter((k) => !firstLoadKeys.has(k)));
  const size = sum(extra);
  const ok = size.gz <= ROUTE_BUDGET;
  failed ||= !ok;
  rows.push([`route ${manifest[key].src ?? key}`, fmt(size.raw), fmt(size.gz), fmt(ROUTE_BUDGET), ok ? 'ok' : 'OVER']);
}

// Routes that import more code lazily (the dashboard's chart chunk): the whole page's JS, first
// load included, as a phone that opens the page cold downloads it.
const totalChecked = [];
for (const key of routeKeys) {
  const lazy = (manifest[key].dynamicImports ?? []).filter(isJs);
  if (lazy.length === 0 && !REQUIRED_TOTALS.includes(manifest[key].src ?? key)) continue;
  const all = new Set(firstLoadKeys);
  closure(key, all);
  const pending = [...lazy];
  while (pending.length) {
    const k = pending.pop();
    if (all.has(k)) continue;
    closure(k, all);
    pending.push(...(manifest[k]?.dynamicImports ?? []).filter(isJs));
  }
  const size = sum(all);
  const ok = size.gz <= ROUTE_TOTAL_BUDGET;
  failed ||= !ok;
  totalChecked.push(manifest[key].src ?? key);
  rows.push([
    `total ${manifest[key].src ?? key} (first load + route + ${lazy.length} lazy)`,
    fmt(size.raw),
    fmt(size.gz),
    fmt(ROUTE_TOTAL_BUDGET),
    ok ? 'ok' : 'OVER',
  ]);
}
for (const src of REQUIRED_TOTALS) {
  if (!totalChecked.includes(src)) {
    console.error(`size-budget: ${src} is not a route chunk of the build; update REQUIRED_TOTALS`);
    process.exit(2);
  }
}

// The citizen pages' separate build, when present.
const publicManifestPath = join(dist, '.vite', 'manifest.public.json');
let publicFirst = null;
if (existsSync(publicManifestPath)) {
  const pub = JSON.parse(readFileSync(publicManifestPath, 'utf8'));
  const seen = new Set();
  const walk = (k) => {
    if (seen.has(k)) return;
    seen.add(k);
    for (const d of pub[k]?.imports ?? []) walk(d);
  };
  for (const k of Object.keys(pub).filter((k) => pub[k].isEntry)) walk(k);
  publicFirst = [...seen]
    .filter((k) => pub[k]?.file.endsWith('.js'))
    .reduce((acc, k) => {
      const s = gz(pub[k].file);
      return { raw: acc.raw + s.raw, gz: acc.gz + s.gz };
    }, { raw: 0, gz: 0 });
  const ok = publicFirst.gz <= PUBLIC_BUDGET;
  failed ||= !ok;
  rows.push(['public.html first load (citizen pages)', fmt(publicFirst.raw), fmt(publicFirst.gz), fmt(PUBLIC_BUDGET), ok ? 'ok' : 'OVER']);
}

const head = ['chunk', 'raw', 'gzip', 'budget', ''];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
console.log('');
console.log(`size-budget: first-load JS ${fmt(firstLoad.gz)} gz (budget ${fmt(FIRST_LOAD_BUDGET)}), ${routeKeys.length} route chunks`);

if (failed) {
  console.error('size-budget: FAILED — a JS budget is exceeded');
  process.exit(1);
}
