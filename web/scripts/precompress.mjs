#!/usr/bin/env node
// Writes a brotli (quality 11) and a gzip (level 9) copy next to every text file of dist/
// (`app-1a2b.js` → `app-1a2b.js.br`, `app-1a2b.js.gz`). The server (api/src/http/spa.rs) sends
// the best one the browser accepts, so a phone downloads the smallest form without the server
// compressing anything per request. Node's own zlib: nothing to download.
// A variant that is not smaller than the file is not written.
import { readdirSync, readFileSync, writeFileSync, statSync, unlinkSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = process.argv[2] ?? join(root, 'dist');
const TEXT = /\.(js|mjs|css|html|svg|json|webmanifest|txt)$/;

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== '.vite') yield* walk(path);
    } else {
      yield path;
    }
  }
}

let files = 0;
let raw = 0;
let br = 0;
let gz = 0;
for (const path of walk(dist)) {
  if (path.endsWith('.br') || path.endsWith('.gz')) {
    unlinkSync(path); // a variant left by an earlier build of a file that may have changed
    continue;
  }
}
for (const path of walk(dist)) {
  if (!TEXT.test(path)) continue;
  const data = readFileSync(path);
  const b = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
  const g = gzipSync(data, { level: constants.Z_BEST_COMPRESSION });
  if (b.length < data.length) writeFileSync(`${path}.br`, b);
  if (g.length < data.length) writeFileSync(`${path}.gz`, g);
  files += 1;
  raw += data.length;
  br += Math.min(b.length, data.length);
  gz += Math.min(g.length, data.length);
  if (process.env.PRECOMPRESS_VERBOSE) console.log(relative(dist, path), data.length, g.length, b.length);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`precompress: ${files} files, ${kb(raw)} raw → ${kb(gz)} gzip -9, ${kb(br)} brotli`);
