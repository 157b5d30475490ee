// Draws the living demo's report photos: simple shapes and a Vietnamese caption, rendered by
// Chromium (Noto fonts) and saved as small JPEGs. They are illustrations, not photographs, and
// say so on their face. Run from the repository root:
//
//   node api/src/demo/photos/draw.mjs
//
// (playwright-core from tests/e2e/node_modules, Chromium at /usr/bin/chromium or CHROMIUM_PATH).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '../../../../tests/e2e/lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const W = 640;
const H = 420;

const person = (x, y, shirt, s = 1) =>
  `<g transform="translate(${x} ${y}) scale(${s})"><circle cx="0" cy="-58" r="15" fill="#e8c39e"/>` +
  `<path d="M-14 -70 q14 -14 28 0 v-4 q-14 -12 -28 0z" fill="#2b2b2b"/>` +
  `<rect x="-20" y="-42" width="40" height="52" rx="12" fill="${shirt}"/></g>`;

const scenes = {
  'hop-thon': {
    subject: 'Họp thôn lấy ý kiến nhân dân',
    svg: `<rect width="640" height="330" fill="#f3ead8"/>
      <rect x="0" y="250" width="640" height="80" fill="#c9b28b"/>
      <rect x="170" y="30" width="300" height="60" fill="#b3261e"/>
      <text x="320" y="68" font-size="22" fill="#ffd54f" text-anchor="middle" font-weight="700">HỘI NGHỊ THÔN</text>
      <rect x="240" y="150" width="160" height="50" fill="#8d6e63"/>
      ${person(280, 150, '#1565c0')}${person(360, 150, '#2e7d32')}
      ${[80, 150, 490, 560].map((x, i) => person(x, 290, ['#6d4c41', '#00838f', '#ad1457', '#5d4037'][i], 1.1)).join('')}
      ${[115, 525].map((x) => person(x, 315, '#455a64', 1.2)).join('')}`,
  },
  'niem-yet': {
    subject: 'Niêm yết công khai tại nhà văn hóa thôn',
    svg: `<rect width="640" height="330" fill="#dfeef7"/>
      <polygon points="120,120 320,30 520,120" fill="#b3261e"/>
      <rect x="140" y="120" width="360" height="210" fill="#fff3c4"/>
      <text x="320" y="150" font-size="18" fill="#5d4037" text-anchor="middle" font-weight="700">NHÀ VĂN HÓA</text>
      <rect x="190" y="170" width="260" height="130" fill="#6d4c41"/>
      ${[0, 1, 2].map((i) => `<rect x="${205 + i * 82}" y="182" width="70" height="100" fill="#fff"/>` +
        [0, 1, 2, 3, 4, 5].map((l) => `<rect x="${212 + i * 82}" y="${194 + l * 14}" width="${l % 2 ? 44 : 56}" height="5" fill="#90a4ae"/>`).join('')).join('')}
      ${person(560, 320, '#2e7d32', 1.2)}${person(80, 320, '#1565c0', 1.2)}`,
  },
  'mot-cua': {
    subject: 'Bộ phận Một cửa UBND xã',
    svg: `<rect width="640" height="330" fill="#eceff1"/>
      <rect x="60" y="30" width="520" height="50" fill="#1565c0"/>
      <text x="320" y="63" font-size="20" fill="#fff" text-anchor="middle" font-weight="700">BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ</text>
      ${person(200, 200, '#1565c0')}${person(440, 200, '#1565c0')}
      <rect x="60" y="200" width="520" height="70" fill="#90a4ae"/>
      <rect x="170" y="160" width="50" height="36" fill="#263238"/><rect x="410" y="160" width="50" height="36" fill="#263238"/>
      ${person(200, 330, '#ad1457', 1.2)}${person(440, 330, '#6d4c41', 1.2)}`,
  },
  've-sinh': {
    subject: 'Ra quân vệ sinh đường làng, ngõ xóm',
    svg: `<rect width="640" height="330" fill="#d7ecd9"/>
      <polygon points="250,330 390,330 345,110 295,110" fill="#bdbdbd"/>
      ${[60, 130, 510, 580].map((x) => `<rect x="${x - 6}" y="150" width="12" height="70" fill="#6d4c41"/><circle cx="${x}" cy="140" r="36" fill="#388e3c"/>`).join('')}
      ${person(230, 300, '#2e7d32', 1.1)}${person(410, 290, '#2e7d32', 1.1)}${person(470, 320, '#c62828', 1.2)}
      <line x1="245" y1="270" x2="275" y2="320" stroke="#5d4037" stroke-width="5"/>
      <rect x="130" y="270" width="40" height="50" rx="4" fill="#455a64"/>`,
  },
  'loa-truyen-thanh': {
    subject: 'Tuyên truyền trên loa truyền thanh thôn',
    svg: `<rect width="640" height="330" fill="#e3f2fd"/>
      <rect x="312" y="70" width="16" height="260" fill="#607d8b"/>
      <polygon points="320,80 250,50 250,130" fill="#9e9e9e"/><polygon points="320,80 390,50 390,130" fill="#9e9e9e"/>
      ${[1, 2, 3].map((i) => `<path d="M${395 + i * 22} 60 q14 30 0 60" stroke="#1565c0" stroke-width="5" fill="none"/>`).join('')}
      <rect x="40" y="220" width="160" height="110" fill="#fff3c4"/><polygon points="30,220 120,170 210,220" fill="#b3261e"/>
      ${person(480, 320, '#00838f', 1.2)}${person(560, 320, '#6d4c41', 1.1)}`,
  },
};

function html(svg, subject) {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    html,body{margin:0} body{width:${W}px;height:${H}px;font-family:'Noto Sans',sans-serif;background:#fff}
    .cap{height:90px;background:#263238;color:#fff;padding:10px 18px;box-sizing:border-box;text-align:center}
    .s{font-size:24px;font-weight:700;line-height:1.3} .d{font-size:17px;color:#ffd54f}
  </style></head><body>
    <svg width="${W}" height="330" viewBox="0 0 640 330" font-family="Noto Sans">${svg}</svg>
    <div class="cap"><div class="s">${subject}</div><div class="d">Ảnh minh họa – dữ liệu mẫu (demo)</div></div>
  </body></html>`;
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: W, height: H } });
for (const [name, { subject, svg }] of Object.entries(scenes)) {
  await page.setContent(html(svg, subject));
  const jpeg = await page.screenshot({ type: 'jpeg', quality: 70 });
  writeFileSync(join(here, `${name}.jpg`), jpeg);
  console.log(`${name}.jpg ${jpeg.length} bytes`);
}
await browser.close();
