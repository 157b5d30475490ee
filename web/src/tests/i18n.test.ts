import { describe, expect, it, beforeEach } from 'vitest';
import { vi as viDict } from '../i18n/vi';
import { en } from '../i18n/en';
import { i18n, interpolate, LANG_STORAGE_KEY, setLang, t, translate } from '../i18n/index.svelte';

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

describe('t()', () => {
  beforeEach(() => {
    localStorage.clear();
    setLang('vi');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(interpolate('Xin chào, {name}!', { name: 'Lan' })).toBe('Xin chào, Lan!');
    expect(interpolate('{a} và {b}', { a: 1 })).toBe('1 và {b}');
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
