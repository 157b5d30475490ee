#!/usr/bin/env node
// Writes dist/sw.js from sw/sw.js: the list of files to keep for offline use (the shell
// index.html, the citizen entry public.html, every built chunk and stylesheet, the manifest and
// icons) and a version made from their contents, so a new build gets a new cache name and the
// old one is dropped once the new worker is active.
import { readdirSync, readFileSync, writeFileSync, statSync, existsSync } from 'node:fs';
import { join, dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = process.argv[2] ?? join(root, 'dist');
if (!existsSync(join(dist, 'index.html'))) {
  console.error(`pwa: ${dist}/index.html not found — run vite build first`);
  process.exit(2);
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

const files = [];
for (const path of walk(dist)) {
  const rel = relative(dist, path).split(sep).join('/');
  if (rel.startsWith('.vite/') || rel === 'sw.js' || rel.endsWith('.br') || rel.endsWith('.gz')) continue;
  if (/\.(js|css|html|svg|png|webmanifest|woff2)$/.test(rel)) files.push(rel);
}
files.sort();
const hash = createHash('sha256');
for (const f of files) hash.update(f).update(readFileSync(join(dist, f)));
const version = hash.digest('hex').slice(0, 12);
const precache = files.map((f) => `/${f}`);
const template = readFileSync(join(root, 'sw', 'sw.js'), 'utf8');
const out = template.replace("'__VERSION__'", JSON.stringify(version)).replace('__PRECACHE__', JSON.stringify(precache));
writeFileSync(join(dist, 'sw.js'), out);
const bytes = files.reduce((s, f) => s + statSync(join(dist, f)).size, 0);
console.log(`pwa: sw.js version ${version}, ${files.length} files to keep offline (${(bytes / 1024).toFixed(0)} KB)`);
