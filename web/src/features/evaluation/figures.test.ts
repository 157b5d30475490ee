import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { i18n, registerLang } from '../../i18n/index.svelte';
import type { SourceFigure } from '../../lib/api/schema';
import { figureLine, shippedWords } from './figures';
import { en } from './i18n/en';
import { vi } from './i18n/vi';

registerLang('vi', vi);
registerLang('en', en);

const base = { read_from: 'x', from: '2023-01-01', to: '2023-12-31', text: '' };
const fig = (f: Partial<SourceFigure> & Pick<SourceFigure, 'source'>): SourceFigure =>
  ({ numerator: null, denominator: null, value: null, ...base, ...f }) as SourceFigure;

describe('figureLine', () => {
  afterEach(() => {
    i18n.lang = 'vi';
  });

  it('says in Vietnamese what the server writes into the snapshot', () => {
    i18n.lang = 'vi';
    // The server's words for the same figures (evaluation/compute.rs).
    expect(figureLine(fig({ source: 'onestop_on_time', numerator: 45, denominator: 50, value: 0.9 }))).toBe('45/50 hồ sơ kết thúc xử lý (90%)');
    expect(figureLine(fig({ source: 'tasks_on_time', numerator: 0, denominator: 0 }))).toBe('Không có nhiệm vụ đến hạn trong kỳ');
    expect(figureLine(fig({ source: 'plan_progress', numerator: 62.5, denominator: 100, value: 0.625 }))).toBe('Tiến độ chung 62,5%');
    expect(figureLine(fig({ source: 'satisfaction', numerator: 15, denominator: 16, value: 0.9375 }))).toBe(
      '15 câu trả lời hài lòng / 16 (93,8%)',
    );
    expect(figureLine(fig({ source: 'satisfaction', numerator: 2, denominator: 3 }))).toBe('Chưa đủ mẫu (3 câu trả lời)');
  });

  it('reads in English when English is the language', () => {
    i18n.lang = 'en';
    expect(figureLine(fig({ source: 'onestop_on_time', numerator: 45, denominator: 50, value: 0.9 }))).toBe('45/50 dossiers ended (90%)');
    expect(figureLine(fig({ source: 'reception_sessions', numerator: 50, denominator: 52, value: 50 / 52 }))).toBe('50/52 weeks (96.2%)');
    expect(figureLine(fig({ source: 'activities_held' }))).toBe('No months with activities in the period');
    expect(figureLine(fig({ source: 'index766', numerator: 14.5, denominator: 18, value: 14.5 / 18 }))).toBe('14.5 / 18 points (80.6%)');
    expect(figureLine(fig({ source: 'index766' }))).toBe('No measurable indicator in the period');
    expect(figureLine(fig({ source: 'plan_progress', numerator: 100, denominator: 100, value: 1 }))).toBe('Overall progress 100%');
  });
});

describe('shippedWords', () => {
  afterEach(() => {
    i18n.lang = 'vi';
  });

  it('holds the server’s shipped words exactly, so a shipped set is recognised', () => {
    // The Vietnamese of each shipped entry is the text of api/src/evaluation/criteria.rs (a
    // string continued over lines there reads as one line).
    const rust = readFileSync(resolve(process.cwd(), '../api/src/evaluation/criteria.rs'), 'utf8').replace(
      /\\\n\s*/g,
      '',
    );
    const shipped = Object.entries(vi).filter(([k]) => k.startsWith('evaluation.shipped.'));
    expect(shipped.length).toBe(1 + 11 * 2 + 4);
    for (const [key, words] of shipped) expect(rust.includes(`"${words}"`), key).toBe(true);
  });

  it('translates a shipped criterion, keeps a board’s own words', () => {
    i18n.lang = 'en';
    expect(shippedWords('evaluation.shipped.name.c6', 'Mức độ hài lòng của Nhân dân')).toBe('Citizen satisfaction');
    expect(shippedWords('evaluation.shipped.rating.excellent', 'Hoàn thành xuất sắc')).toBe('Excellent');
    expect(shippedWords('evaluation.shipped.name.c6', 'Hài lòng của người dân (bộ của xã)')).toBe('Hài lòng của người dân (bộ của xã)');
    expect(shippedWords('evaluation.shipped.name.c99', 'Tiêu chí riêng')).toBe('Tiêu chí riêng');
    i18n.lang = 'vi';
    expect(shippedWords('evaluation.shipped.name.c6', 'Mức độ hài lòng của Nhân dân')).toBe('Mức độ hài lòng của Nhân dân');
  });
});
