import { afterEach, describe, expect, it } from 'vitest';
import { i18n, registerLang } from '../../i18n/index.svelte';
import type { DisclosureAlert, DisclosureWarning } from '../../lib/api/schema';
import { en } from './i18n/en';
import { vi } from './i18n/vi';
import { alertText, periodOf, warningText } from './words';

registerLang('vi', vi);
registerLang('en', en);

const alert = (a: Partial<DisclosureAlert> & Pick<DisclosureAlert, 'kind'>): DisclosureAlert =>
  ({ due_on: '2026-09-08', subject: 'Mức thu phí chợ', message: '', ...a }) as DisclosureAlert;

describe('alerts and warnings in the reader’s language', () => {
  afterEach(() => {
    i18n.lang = 'vi';
  });

  it('says in Vietnamese what the server says (democracy/disclosures/service.rs, rules.rs)', () => {
    expect(alertText(alert({ kind: 'relay_overdue', unit_name: 'Thôn 4' }))).toBe(
      'Thôn 4 chưa xác nhận thông báo “Mức thu phí chợ” (hạn 08/09/2026).',
    );
    expect(alertText(alert({ kind: 'periodic_missing', period: '2025-H2', due_on: '2026-01-30', subject: 'Dự toán ngân sách xã' }))).toBe(
      'Chưa công khai “Dự toán ngân sách xã” – 6 tháng cuối năm 2025 (hạn 30/01/2026).',
    );
    expect(alertText(alert({ kind: 'expires_before_minimum', last_day: '2026-09-20', min_days: 30 }))).toBe(
      '“Mức thu phí chợ” kết thúc ngày 20/09/2026, trước khi đủ 30 ngày công khai.',
    );
    const w: DisclosureWarning = { code: 'taken_down_before_minimum', days: 12, min_days: 30, message: '' };
    expect(warningText(w)).toBe('Đã gỡ niêm yết sau 12 ngày, ít hơn tối thiểu 30 ngày.');
  });

  it('reads English in English; an unknown warning keeps the server’s words', () => {
    i18n.lang = 'en';
    expect(alertText(alert({ kind: 'relay_overdue', unit_name: 'Thôn 4' }))).toBe(
      'Thôn 4 has not confirmed announcing “Mức thu phí chợ” (due 08/09/2026).',
    );
    expect(warningText({ code: 'loudspeaker_too_short', days: 1, min_days: 3, message: 'x' })).toBe(
      'On the loudspeaker for 1 day in a row, less than the minimum of 3 days.',
    );
    expect(warningText({ code: 'new_rule', days: 0, min_days: 0, message: 'Lời của máy chủ.' })).toBe('Lời của máy chủ.');
    expect(alertText(alert({ kind: 'periodic_missing', period: '2026-Q3', due_on: '2026-10-30' }))).toBe(
      'Not disclosed: “Mức thu phí chợ” – Q3 2026 (due 30/10/2026).',
    );
  });

  it('says every period code the server makes in words (disclosures/rules.rs: yyyy, yyyy-Hn, yyyy-Qn), and a month', () => {
    const vi = ['2026', '2026-H1', '2026-H2', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4', '2026-03', '2026-11'].map(periodOf);
    expect(vi).toEqual([
      'Năm 2026',
      '6 tháng đầu năm 2026',
      '6 tháng cuối năm 2026',
      'Quý I/2026',
      'Quý II/2026',
      'Quý III/2026',
      'Quý IV/2026',
      'Tháng 3/2026',
      'Tháng 11/2026',
    ]);
    i18n.lang = 'en';
    expect(['2026', '2026-H1', '2026-H2', '2026-Q3', '2026-03'].map(periodOf)).toEqual([
      'Year 2026',
      'first half of 2026',
      'second half of 2026',
      'Q3 2026',
      'Month 3/2026',
    ]);
    // Nothing, and what is not a period code, are left as they are.
    expect(periodOf(null)).toBe('');
    expect(periodOf('2026-Q5')).toBe('2026-Q5');
    expect(periodOf('2026-H3')).toBe('2026-H3');
    expect(periodOf('2026-13')).toBe('2026-13');
    expect(periodOf('đợt 2')).toBe('đợt 2');
  });
});
