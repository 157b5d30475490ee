import { describe, expect, it, beforeEach } from 'vitest';
import { vi as viDict, viParts, enParts } from '../i18n/all';
import { en } from '../i18n/all';
import { routes } from '../routes';
import { i18n, interpolate, LANG_STORAGE_KEY, setLang, t, translate } from '../i18n/index.svelte';
import { vi as shellVi } from '../i18n/vi';
import { en as shellEn } from '../i18n/en';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message dictionaries', () => {
  it('have exactly the same keys in vi and en', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(viDict).sort());
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(viDict) as Array<keyof typeof viDict>) {
      expect(placeholders(en[key]), key).toEqual(placeholders(viDict[key]));
    }
  });

  it('have no empty messages', () => {
    for (const [key, value] of [...Object.entries(viDict), ...Object.entries(en)]) {
      expect(value.trim(), key).not.toBe('');
    }
  });

  it('writes Vietnamese with its diacritics (NFC) for the role labels', () => {
    expect(viDict['role.admin']).toBe('Quản trị viên');
    expect(viDict['role.board']).toBe('Ban điều hành');
    expect(viDict['role.village']).toBe('Trưởng thôn');
    expect(viDict['kind.investment_supervision_board']).toBe('Ban Giám sát đầu tư cộng đồng');
    for (const [key, value] of Object.entries(viDict)) expect(value, key).toBe(value.normalize('NFC'));
  });
});

describe('dictionary parts', () => {
  it('define each key in exactly one part (shell or one feature), in both languages', () => {
    for (const [name, all, shell, parts] of [
      ['vi', viDict, shellVi, viParts],
      ['en', en, shellEn, enParts],
    ] as const) {
      const sizes = [shell, ...Object.values(parts)].map((p) => Object.keys(p).length);
      expect(sizes.reduce((a, b) => a + b, 0), name).toBe(Object.keys(all).length);
    }
    expect(Object.keys(enParts).sort()).toEqual(Object.keys(viParts).sort());
  });

  // The shell (App.svelte, lib/) renders before any feature's messages have arrived: every key it
  // names must be in the shell's part (./i18n/vi.ts), which ships with the first load.
  it('give the shell every key it names', () => {
    const src = join(dirname(fileURLToPath(import.meta.url)), '..');
    const files = [join(src, 'App.svelte')];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|svelte)$/.test(f) && !f.endsWith('.d.ts')) files.push(p);
      }
    };
    walk(join(src, 'lib'));
    const featureKeys = new Set(Object.keys(viDict).filter((k) => !Object.hasOwn(shellVi, k)));
    const prefixes = new Set([...featureKeys].map((k) => k.slice(0, k.indexOf('.') + 1)));
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/['"`]([a-z0-9_]+\.[A-Za-z0-9_.]*)(?:['"]|`|\$\{)/g)) {
        expect(featureKeys.has(m[1]), `${file}: ${m[1]}`).toBe(false);
        // A key built at run time (`role.${…}`) must not reach into a feature's prefix either, but
        // for `field.` and `error.` (lib/errors.ts): it tries a feature's sentence with
        // isMessageKey (a refusal its pages meet) and falls back to the shell's generic one.
        const prefix = m[1].endsWith('.') ? m[1] : `${m[1]}.`;
        if (m[0].endsWith('${') && prefix !== 'field.' && prefix !== 'error.') expect(prefixes.has(prefix), `${file}: ${m[1]}`).toBe(false);
      }
    }
  });
});

// Each page loads its own feature's part only (its `import './i18n'`): every key a feature names
// must be the shell's, its own, or in a part its i18n/index.ts imports.
describe('feature parts', () => {
  const src = join(dirname(fileURLToPath(import.meta.url)), '..');
  const features = Object.keys(viParts) as Array<keyof typeof viParts>;
  const ownerOf = (key: string) => features.find((f) => Object.hasOwn(viParts[f], key));

  it('are loaded by every page of their feature', () => {
    const routesSrc = readFileSync(join(src, 'routes.ts'), 'utf8');
    const pages = [...routesSrc.matchAll(/import\('\.\/(features\/[^']+\.svelte)'\)/g)].map((m) => m[1]);
    expect(pages).toHaveLength(routes.length);
    for (const page of pages) {
      expect(readFileSync(join(src, page), 'utf8'), page).toMatch(/^\s*import '\.\/i18n';$/m);
    }
  });

  it('cover every key their feature names', () => {
    for (const feature of features) {
      const dir = join(src, 'features', feature);
      const deps = [...readFileSync(join(dir, 'i18n', 'index.ts'), 'utf8').matchAll(/import '\.\.\/\.\.\/(\w+)\/i18n';/g)].map((m) => m[1]);
      const allowed = new Set([feature, ...deps]);
      const files: string[] = [];
      const walk = (d: string) => {
        for (const f of readdirSync(d)) {
          const p = join(d, f);
          if (statSync(p).isDirectory()) {
            if (f !== 'i18n') walk(p);
          } else if (/\.(ts|svelte)$/.test(f)) files.push(p);
        }
      };
      walk(dir);
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/['"`]([a-z0-9_]+\.[A-Za-z0-9_.]*)(?:['"]|`)/g)) {
          const owner = ownerOf(m[1]);
          if (owner) expect(allowed.has(owner), `${file}: ${m[1]} is ${owner}'s`).toBe(true);
        }
        // A key built at run time must have keys of its prefix in the shell or an allowed part.
        for (const m of text.matchAll(/`([a-z0-9_]+\.[A-Za-z0-9_.]*)\$\{/g)) {
          const prefix = m[1];
          // Not a message at all (a field path such as `applicant.${…}`).
          if (!Object.keys(viDict).some((k) => k.startsWith(prefix.slice(0, prefix.indexOf('.') + 1)))) continue;
          const found =
            Object.keys(shellVi).some((k) => k.startsWith(prefix)) ||
            [...allowed].some((f) => Object.keys(viParts[f as keyof typeof viParts]).some((k) => k.startsWith(prefix)));
          expect(found, `${file}: ${prefix}…`).toBe(true);
        }
      }
    }
  });
});

describe('t()', () => {
  beforeEach(() => {
    localStorage.clear();
    setLang('vi');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(interpolate('Xin chào, {name}!', { name: 'Lan' })).toBe('Xin chào, Lan!');
    expect(interpolate('{a} và {b}', { a: 1 })).toBe('1 và {b}');
    expect(interpolate('{n} item{n|s}', { n: 1 })).toBe('1 item');
    expect(interpolate('{n} item{n|s}', { n: 0 })).toBe('0 items');
    expect(interpolate('{n} item{n|s}', { n: 12 })).toBe('12 items');
    expect(interpolate('{n} item{m|s}', { n: 2 })).toBe('2 item{m|s}');
  });

  it('follows the language store and persists the choice', () => {
    expect(t('home.greeting', { name: 'Hoa' })).toBe('Xin chào, Hoa!');
    setLang('en');
    expect(i18n.lang).toBe('en');
    expect(t('home.greeting', { name: 'Hoa' })).toBe('Hello, Hoa!');
    expect(localStorage.getItem(LANG_STORAGE_KEY)).toBe('en');
    expect(document.documentElement.lang).toBe('en');
  });

  it('translates for an explicit language', () => {
    expect(translate('vi', 'nav.logout')).toBe('Đăng xuất');
    expect(translate('en', 'nav.logout')).toBe('Sign out');
  });
});
