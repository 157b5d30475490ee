import { describe, expect, it } from 'vitest';
import { hoursValid, monthGrid, monthRange, overridesByLevel, provisionalYears, shiftMonth } from '../features/calendar/calendar';
import type { CalendarDay, CalendarOverride } from '../features/calendar/types';
import { vi as viCalendar } from '../features/calendar/i18n/vi';
import { en as enCalendar } from '../features/calendar/i18n/en';
import { vi as viOnestop } from '../features/onestop/i18n/vi';
import { en as enOnestop } from '../features/onestop/i18n/en';
import { TIME_UNITS } from '../features/onestop/procedures';
import { parseMoney, procedureBody, procedureChanges, procedureForm } from '../features/onestop/procedures';
import type { Procedure } from '../features/onestop/types';
import { vi as viDict } from '../i18n/all';
import { vi as viPublic } from '../features/public/i18n/vi';
import { en } from '../i18n/all';
import { en as enPublic } from '../features/public/i18n/en';
import { cleanCode, isLast4 } from '../features/public/api';

const day = (date: string, provisional: boolean): CalendarDay => ({
  date,
  working: false,
  name: 'Tết Nguyên đán (mùng 1)',
  source: 'holiday',
  provisional,
  lunar: { year: 2028, month: 1, day: 1, leap_month: false },
});

describe('calendar levels and provisional years', () => {
  it('names the years whose Tết is not decided yet', () => {
    expect(provisionalYears([day('2027-02-06', false), day('2028-01-26', true), day('2028-01-27', true)])).toEqual([2028]);
    expect(provisionalYears([day('2026-02-17', false)])).toEqual([]);
  });

  it('lists overrides by date, the commune first, and marks which one applies', () => {
    const o = (date: string, level: CalendarOverride['level']): CalendarOverride => ({ date, level, kind: 'day_off', name: level, source: null });
    const rows = overridesByLevel([o('2027-03-02', 'national'), o('2027-03-01', 'national'), o('2027-03-02', 'commune'), o('2027-03-01', 'provincial')]);
    expect(rows.map((r) => [r.o.date, r.o.level, r.applies])).toEqual([
      ['2027-03-01', 'provincial', true],
      ['2027-03-01', 'national', false],
      ['2027-03-02', 'commune', true],
      ['2027-03-02', 'national', false],
    ]);
  });

  it('labels every level, source and unit in both languages', () => {
    for (const level of ['national', 'provincial', 'commune'] as const) {
      expect(viCalendar[`calendar.level_${level}`]).toBeTruthy();
      expect(enCalendar[`calendar.level_${level}`]).toBeTruthy();
    }
    expect(viCalendar['calendar.source_provincial']).toBe('quyết định của tỉnh');
    expect(enCalendar['calendar.provisional_note']).toContain('{years}');
    expect(TIME_UNITS).toContain('calendar_days');
    for (const u of TIME_UNITS) {
      expect(viOnestop[`procedures.unit_name_${u}`]).toBeTruthy();
      expect(enOnestop[`procedures.unit_name_${u}`]).toBeTruthy();
      expect(viPublic[`procedures.unit_${u}`]).toBeTruthy();
      expect(enPublic[`procedures.unit_${u}`]).toBeTruthy();
    }
  });
});

describe('calendar month grid', () => {
  it('runs Monday to Sunday and pads with neighbouring days', () => {
    // November 2026 starts on a Sunday and ends on a Monday.
    const weeks = monthGrid(2026, 11, [{ date: '2026-11-02', working: true, source: 'weekly', provisional: false, lunar: { year: 2026, month: 9, day: 24, leap_month: false } }]);
    expect(weeks).toHaveLength(6);
    expect(weeks[0][0].date).toBe('2026-10-26');
    expect(weeks[0][6]).toMatchObject({ date: '2026-11-01', inMonth: true });
    expect(weeks[1][0].day?.working).toBe(true);
    expect(weeks[5][0]).toMatchObject({ date: '2026-11-30', inMonth: true });
    expect(weeks[5][6]).toMatchObject({ date: '2026-12-06', inMonth: false });
  });

  it('gives month bounds and moves across years', () => {
    expect(monthRange(2028, 2)).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(shiftMonth(2026, 1, -1)).toEqual({ year: 2025, month: 12 });
    expect(shiftMonth(2026, 12, 1)).toEqual({ year: 2027, month: 1 });
  });

  it('checks working hours are in order', () => {
    expect(hoursValid({ morning_start: '07:00', morning_end: '11:30', afternoon_start: '13:30', afternoon_end: '17:00' })).toBe(true);
    expect(hoursValid({ morning_start: '07:00', morning_end: '11:30', afternoon_start: '11:30', afternoon_end: '16:30' })).toBe(true);
    expect(hoursValid({ morning_start: '11:30', morning_end: '07:00', afternoon_start: '13:30', afternoon_end: '17:00' })).toBe(false);
    expect(hoursValid({ morning_start: '7:00', morning_end: '11:30', afternoon_start: '13:30', afternoon_end: '17:00' })).toBe(false);
  });
});

const proc: Procedure = {
  id: 9,
  code: '1.001193',
  name: 'Đăng ký khai sinh',
  field: 'Hộ tịch',
  limit_amount: 0,
  limit_unit: 'same_day',
  cutoff: '15:00',
  fee_vnd: null,
  online_level: 'partial',
  online_payment: false,
  result_kind: 'paper',
  posted_on: '2025-07-01',
  posting_complete: true,
  active: true,
  demo: false,
  online_level_history: [{ level: 'partial', effective_from: '2025-07-01' }],
};

describe('procedure form', () => {
  it('reads money the way people type it', () => {
    expect(parseMoney('50.000')).toBe(50000);
    expect(parseMoney('50 000 đ')).toBe(50000);
    expect(parseMoney('')).toBeNull();
    expect(parseMoney('năm mươi')).toBeNaN();
  });

  it('builds a full body for a new procedure', () => {
    const f = { ...procedureForm(null, '2026-11-26'), code: ' 2.000635 ', name: 'Xác nhận  tình trạng hôn nhân', field: 'Hộ tịch', limit_amount: '3', fee_vnd: '0' };
    expect(procedureBody(f)).toEqual({
      code: '2.000635',
      name: 'Xác nhận tình trạng hôn nhân',
      field: 'Hộ tịch',
      limit_amount: 3,
      limit_unit: 'working_days',
      cutoff: null,
      fee_vnd: 0,
      fee_note: null,
      online_level: 'none',
      online_level_from: '2026-11-26',
      online_payment: false,
      result_kind: 'paper',
      posted_on: null,
      posting_complete: false,
      active: true,
    });
  });

  it('patches only what changed, with the date a new online level takes effect', () => {
    expect(procedureChanges(proc, procedureForm(proc, '2026-11-26'))).toEqual({});
    const f = { ...procedureForm(proc, '2026-12-01'), online_level: 'full' as const, fee_vnd: '8.000' };
    expect(procedureChanges(proc, f)).toEqual({ online_level: 'full', online_level_from: '2026-12-01', fee_vnd: 8000 });
  });

  it('sends an invalid amount for the server to reject instead of guessing', () => {
    const f = { ...procedureForm(null), limit_unit: 'working_days' as const, limit_amount: '' };
    expect(procedureBody(f).limit_amount).toBe(-1);
  });
});

describe('public pages', () => {
  it('their messages are part of both full dictionaries', () => {
    expect(Object.keys(enPublic).sort()).toEqual(Object.keys(viPublic).sort());
    for (const k of Object.keys(viPublic) as Array<keyof typeof viPublic>) {
      expect(viDict[k]).toBe(viPublic[k]);
      expect(en[k]).toBe(enPublic[k]);
    }
    expect(viPublic['dossier.status_5']).toBe('Yêu cầu bổ sung giấy tờ');
  });

  it('cleans a typed code and checks the last four digits', () => {
    expect(cleanCode(' ubnd-261126 -0001 ')).toBe('UBND-261126-0001');
    expect(isLast4('5678')).toBe(true);
    expect(isLast4('567')).toBe(false);
    expect(isLast4('56a8')).toBe(false);
  });
});
