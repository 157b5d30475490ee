import { describe, expect, it } from 'vitest';
import { fold, matchesQuery } from '../lib/text';
import { dayBoundary, formatDate, formatDateTime, formatNumber } from '../lib/format';
import { whoParts } from '../lib/role-name';

describe('diacritic-insensitive search', () => {
  it('folds Vietnamese letters to plain ASCII', () => {
    expect(fold('Đồng Tâm')).toBe('dong tam');
    expect(fold('  Thôn   Bản  ')).toBe('thon ban');
    expect(fold('Nguyễn Thị Hường')).toBe('nguyen thi huong');
    // The look-alike Ð (U+00D0) of old fonts and copied text.
    expect(fold('\u00d0ăng ký')).toBe('dang ky');
    // Decomposed input (NFD, as some keyboards send) folds the same way.
    expect(fold('Đồng'.normalize('NFD'))).toBe('dong');
  });

  it('"dong" matches "Đồng" and "thon" matches "Thôn"', () => {
    expect(matchesQuery('dong', ['Xã Đồng Tâm'])).toBe(true);
    expect(matchesQuery('thon', ['Thôn 1'])).toBe(true);
    expect(matchesQuery('THÔN', ['thon 2'])).toBe(true);
    expect(matchesQuery('dông', ['Đồng'])).toBe(true);
  });

  it('needs every word, in any field', () => {
    expect(matchesQuery('thon lan', ['Nguyễn Thị Lan', 'Thôn 3'])).toBe(true);
    expect(matchesQuery('thon hoa', ['Nguyễn Thị Lan', 'Thôn 3'])).toBe(false);
    expect(matchesQuery('', ['x'])).toBe(true);
    expect(matchesQuery('x', [null, undefined])).toBe(false);
  });

  it('filters a list', () => {
    const units = [{ name: 'Thôn Đông' }, { name: 'Trạm y tế' }, { name: 'Thôn Tây' }];
    const found = (query: string) => units.filter((u) => matchesQuery(query, [u.name])).map((u) => u.name);
    expect(found('thon')).toEqual(['Thôn Đông', 'Thôn Tây']);
    expect(found('dong')).toEqual(['Thôn Đông']);
    expect(found('   ')).toHaveLength(3);
  });
});

describe('dates', () => {
  it('shows dd/mm/yyyy in Asia/Ho_Chi_Minh', () => {
    // 18:00 UTC on 31 Dec is already 1 Jan in Vietnam (UTC+7).
    expect(formatDate('2024-12-31T18:00:00Z')).toBe('01/01/2025');
    expect(formatDate('2024-03-05T01:00:00Z')).toBe('05/03/2024');
    expect(formatDateTime('2024-03-05T01:02:00Z')).toBe('05/03/2024 08:02');
    expect(formatDate(null)).toBe('');
    expect(formatDate('not a date')).toBe('');
  });

  it('turns a picked day into its bounds in Vietnam time', () => {
    expect(dayBoundary('2025-01-02')).toBe('2025-01-02T00:00:00+07:00');
    // `to` is exclusive on the server: the whole picked day is included by asking up to the next.
    expect(dayBoundary('2025-01-02', true)).toBe('2025-01-03T00:00:00+07:00');
    expect(dayBoundary('2024-12-31', true)).toBe('2025-01-01T00:00:00+07:00');
    expect(dayBoundary('2024-02-28', true)).toBe('2024-02-29T00:00:00+07:00');
  });
});

describe('figures', () => {
  it('writes numbers as Intl does in either language, with at most the decimals asked', () => {
    const values = [0, -0, 1, 12, 999, 1000, 1234.56, 12345, 123456789.95, 0.05, 1.05, 1.15, 2.25, -2.25, -1234.5, 99.95, -0.04, 0.5, 0.995, 33.333, 66.66666666666667, 98765432109876543, 1e21, 1e-7, NaN, Infinity];
    for (let i = 0; i < 2000; i++) values.push(Math.round((Math.random() - 0.3) * 10 ** (1 + (i % 8))) / 10 ** (i % 4));
    for (const [lang, locale] of [['vi', 'vi-VN'], ['en', 'en-GB']] as const) {
      for (const digits of [0, 1, 2]) {
        const intl = new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
        for (const v of values) expect(formatNumber(v, lang, digits), `${lang} ${digits} ${v}`).toBe(intl.format(v));
      }
    }
  });

  it('writes Vietnamese by default and English with the English separators', () => {
    expect(formatNumber(1234.56)).toBe('1.234,6');
    expect(formatNumber(1234.56, 'en')).toBe('1,234.6');
    expect(formatNumber(44.345, 'en', 2)).toBe('44.35');
    expect(formatNumber(44.345, 'vi', 2)).toBe('44,35');
  });
});

describe("the greeting's line", () => {
  it('names the place and the unit once', () => {
    expect(whoParts('Tỉnh Thanh Hóa', 'Thanh Hóa', null)).toEqual([]);
    expect(whoParts('UBND xã (một cửa)', 'Bình Lương', 'UBND xã Bình Lương')).toEqual(['UBND xã Bình Lương']);
    expect(whoParts('Trưởng thôn', 'Bình Lương', 'Thôn 1')).toEqual(['Bình Lương', 'Thôn 1']);
    expect(whoParts('Ban điều hành', 'Bình Lương', undefined)).toEqual(['Bình Lương']);
    expect(whoParts('Quản trị', null, null)).toEqual([]);
  });
});
