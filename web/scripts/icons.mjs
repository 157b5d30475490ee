#!/usr/bin/env node
// Draws the app's icons (the favicon's "TT" on the blue tile) as PNG with Node alone — no image
// library, nothing downloaded — into public/icons/. Run once after changing the design; the
// PNGs are committed. `any` icons have rounded corners on a transparent ground; `maskable`
// ones fill the square and keep the letters inside the 80 % safe zone.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
mkdirSync(out, { recursive: true });
const BLUE = [0x0b, 0x4f, 0x8a, 255];
const WHITE = [255, 255, 255, 255];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) row.set(pixel(x + 0.5, y + 0.5), 1 + x * 4);
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** "TT" as rectangles in a 64-unit square, like favicon.svg. */
const LETTERS = [
  [12, 18, 20, 6], [19, 18, 6, 28], // first T: bar, stem
  [34, 18, 20, 6], [41, 18, 6, 28], // second T
];
function inLetters(u, v, scale, offset) {
  const x = (u - offset) / scale;
  const y = (v - offset) / scale;
  return LETTERS.some(([lx, ly, w, h]) => x >= lx && x < lx + w && y >= ly && y < ly + h);
}
function inRounded(x, y, size, r) {
  const cx = Math.min(Math.max(x, r), size - r);
  const cy = Math.min(Math.max(y, r), size - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

for (const size of [192, 512, 180]) {
  const name = size === 180 ? 'apple-touch-icon.png' : `icon-${size}.png`;
  // The Apple icon is square (iOS rounds it itself).
  const radius = size === 180 ? 0 : (size * 14) / 64;
  const data = png(size, (x, y) => {
    if (radius && !inRounded(x, y, size, radius)) return [0, 0, 0, 0];
    return inLetters(x, y, size / 64, 0) ? WHITE : BLUE;
  });
  writeFileSync(join(out, name), data);
}
{
  const size = 512;
  // Letters scaled to 70 % around the centre: inside the maskable safe zone.
  const scale = (size * 0.7) / 64;
  const offset = (size - 64 * scale) / 2;
  writeFileSync(join(out, 'maskable-512.png'), png(size, (x, y) => (inLetters(x, y, scale, offset) ? WHITE : BLUE)));
}
console.log(`icons: written to ${out}`);
