import { describe, expect, it } from 'vitest';
import {
  dayLabel,
  defaultPeriod,
  exportName,
  formatCount,
  formatDecimal,
  formatPercent,
  isDay,
  limitRatio,
  monthLabel,
  monthRange,
  parsePercent,
  percentInput,
  periodRange,
  switchKind,
  targetProgress,
  viewFromQuery,
  viewToQuery,
  worstFirst,
  type Period,
} from '../features/onestop/dashboard/logic';
import {
  EMPTY_SEARCH,
  dossierLink,
  dossierQuery,
  drillLink,
  searchFromQuery,
  searchToQuery,
} from '../features/onestop/logic';
import { errorKeys, importErrors, isImportFile } from '../features/onestop/importing';
import { dispositionFileName } from '../lib/api/files';

const TODAY = '2026-11-26';
const p = (kind: Period['kind'], year: number, n = 1, from = '', to = ''): Period => ({ kind, year, n, from, to });

describe('period presets', () => {
  it('opens on the current year to date', () => {
    expect(periodRange(defaultPeriod(TODAY), TODAY)).toEqual({ from: '2026-01-01', to: '2026-11-26' });
  });

  it('gives a past year, quarter or month whole', () => {
    expect(periodRange(p('year', 2025), TODAY)).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(periodRange(p('quarter', 2026, 3), TODAY)).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    expect(periodRange(p('quarter', 2026, 1), TODAY)).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(periodRange(p('month', 2024, 2), TODAY)).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(periodRange(p('month', 2026, 2), TODAY)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
  });

  it('stops the running quarter and month at today', () => {
    expect(periodRange(p('quarter', 2026, 4), TODAY)).toEqual({ from: '2026-10-01', to: '2026-11-26' });
    expect(periodRange(p('month', 2026, 11), TODAY)).toEqual({ from: '2026-11-01', to: '2026-11-26' });
    // On the first day of a month, the month to date is that one day.
    expect(periodRange(p('month', 2026, 12), '2026-12-01')).toEqual({ from: '2026-12-01', to: '2026-12-01' });
    // A month wholly in the future is shown whole (empty, but honest about its dates).
    expect(periodRange(p('month', 2027, 1), TODAY)).toEqual({ from: '2027-01-01', to: '2027-01-31' });
  });

  it('keeps a custom range as typed, in order', () => {
    expect(periodRange(p('custom', 2026, 1, '2026-03-05', '2026-04-10'), TODAY)).toEqual({ from: '2026-03-05', to: '2026-04-10' });
    expect(periodRange(p('custom', 2026, 1, '2026-04-10', '2026-03-05'), TODAY)).toEqual({ from: '2026-03-05', to: '2026-04-10' });
  });

  it('switches the kind around the same time', () => {
    const year = defaultPeriod(TODAY);
    expect(switchKind(year, 'quarter', TODAY)).toMatchObject({ kind: 'quarter', year: 2026, n: 4 });
    expect(switchKind(year, 'month', TODAY)).toMatchObject({ kind: 'month', year: 2026, n: 11 });
    expect(switchKind(year, 'custom', TODAY)).toMatchObject({ kind: 'custom', from: '2026-01-01', to: '2026-11-26' });
    // From a past quarter, the month is that quarter's last.
    expect(switchKind(p('quarter', 2025, 2), 'month', TODAY)).toMatchObject({ kind: 'month', year: 2025, n: 6 });
  });

  it('knows real days and month bounds', () => {
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('26-02-2026')).toBe(false);
    expect(monthRange('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(dayLabel('2026-03-05')).toBe('05/03/2026');
    expect(monthLabel('2026-03')).toBe('03/2026');
  });
});

describe('dashboard view in the address bar', () => {
  const round = (qs: string) => viewToQuery(viewFromQuery(new URLSearchParams(qs), TODAY));

  it('reads and writes each kind of period and the commune', () => {
    expect(viewFromQuery(new URLSearchParams('period=quarter&year=2025&n=3&commune=7'), TODAY)).toEqual({
      period: { kind: 'quarter', year: 2025, n: 3, from: '', to: '' },
      commune: 7,
    });
    expect(round('period=quarter&year=2025&n=3&commune=7')).toBe('?period=quarter&year=2025&n=3&commune=7');
    expect(round('period=month&year=2026&n=11')).toBe('?period=month&year=2026&n=11');
    expect(round('period=year&year=2024')).toBe('?period=year&year=2024');
    expect(round('period=custom&from=2026-01-15&to=2026-02-15')).toBe('?period=custom&from=2026-01-15&to=2026-02-15');
  });

  it('falls back to the current year to date for anything mangled', () => {
    const fallback = { period: defaultPeriod(TODAY), commune: null };
    expect(viewFromQuery(new URLSearchParams(''), TODAY)).toEqual(fallback);
    expect(viewFromQuery(new URLSearchParams('period=quarter&year=2026&n=5'), TODAY)).toEqual(fallback);
    expect(viewFromQuery(new URLSearchParams('period=custom&from=2026-02-30&to=2026-03-01'), TODAY)).toEqual(fallback);
    expect(viewFromQuery(new URLSearchParams('period=week'), TODAY)).toEqual(fallback);
    expect(viewFromQuery(new URLSearchParams('commune=abc'), TODAY).commune).toBeNull();
    // A swapped custom range is put in order.
    expect(viewFromQuery(new URLSearchParams('period=custom&from=2026-03-01&to=2026-01-01'), TODAY).period).toMatchObject({
      from: '2026-01-01',
      to: '2026-03-01',
    });
  });
});

describe('procedures worst first', () => {
  const row = (label: string, mean: number | null, limit: number | null, late = 0, received = 0) => ({
    label,
    limit_days: limit,
    processing_days: { count: mean === null ? 0 : 1, mean, median: mean, p90: mean },
    late,
    received,
  });

  it('uses mean over limit, null without a limit or a finished dossier', () => {
    expect(limitRatio(row('a', 2.4, 3))).toBeCloseTo(0.8);
    expect(limitRatio(row('a', 1.5, 1))).toBeCloseTo(1.5);
    expect(limitRatio(row('a', null, 3))).toBeNull();
    expect(limitRatio(row('a', 2, null))).toBeNull();
    expect(limitRatio(row('a', 2, 0))).toBeNull();
  });

  it('orders by the share of the limit used, then late dossiers, and puts unknown ratios last', () => {
    const rows = [
      row('Chứng thực', 0.2, 1, 0, 50),
      row('Kết hôn', 1.3, 1, 4, 10),
      row('Hộ nghèo', null, 15, 0, 3),
      row('Khai sinh', 0.5, 1, 2, 30),
      row('Tình trạng hôn nhân', 1.5, 3, 5, 8),
      row('Giám hộ', null, 3, 0, 9),
      row('Khai tử', 0.5, 1, 0, 12),
    ];
    expect(worstFirst(rows).map((r) => r.label)).toEqual([
      'Kết hôn',
      // Three at half their limit: the one with more late dossiers first.
      'Tình trạng hôn nhân',
      'Khai sinh',
      'Khai tử',
      'Chứng thực',
      'Giám hộ',
      'Hộ nghèo',
    ]);
    // The input is left as it was.
    expect(rows[0].label).toBe('Chứng thực');
  });
});

describe('target progress', () => {
  it('measures the online share against the year’s target', () => {
    expect(targetProgress(0.45, { year: 2026, online_share: 0.6 })).toEqual({ progress: 0.75, reached: false, gapPoints: 15 });
    expect(targetProgress(0.6, { year: 2026, online_share: 0.6 })).toEqual({ progress: 1, reached: true, gapPoints: 0 });
    expect(targetProgress(0.9, { year: 2026, online_share: 0.6 })?.progress).toBe(1);
    expect(targetProgress(0.333, { year: 2026, online_share: 0.5 })?.gapPoints).toBe(16.7);
    expect(targetProgress(0.5, null)).toBeNull();
    expect(targetProgress(0.5, { year: 2026, online_share: 0 })).toBeNull();
  });

  it('reads percentages as people type them', () => {
    expect(parsePercent('60')).toBe(0.6);
    expect(parsePercent('62,5')).toBe(0.625);
    expect(parsePercent(' 62.5 % ')).toBe(0.625);
    expect(parsePercent('100')).toBe(1);
    expect(parsePercent('')).toBeUndefined();
    expect(parsePercent('101')).toBeNull();
    expect(parsePercent('-5')).toBeNull();
    expect(parsePercent('sáu mươi')).toBeNull();
    expect(percentInput(0.625)).toBe('62.5');
    expect(percentInput(0.6)).toBe('60');
    expect(percentInput(null)).toBe('');
  });
});

describe('number formatting', () => {
  it('writes percentages, counts and days in each language’s style', () => {
    expect(formatPercent(0.8523, 'vi')).toBe('85,2%');
    expect(formatPercent(0.8523, 'en')).toBe('85.2%');
    expect(formatPercent(0.8523, 'vi', 0)).toBe('85%');
    expect(formatPercent(1, 'vi')).toBe('100%');
    expect(formatPercent(null, 'vi')).toBe('—');
    expect(formatPercent(Number.NaN, 'en')).toBe('—');
    expect(formatCount(12345, 'vi')).toBe('12.345');
    expect(formatCount(12345, 'en')).toBe('12,345');
    expect(formatDecimal(2.35, 'vi')).toBe('2,4');
    expect(formatDecimal(3, 'vi')).toBe('3');
    expect(formatDecimal(undefined, 'vi')).toBe('—');
    expect(exportName('chi-so-766', { from: '2026-01-01', to: '2026-11-26' }, 'xlsx')).toBe('chi-so-766_2026-01-01_2026-11-26.xlsx');
  });
});

describe('dossier list filters in the address bar', () => {
  it('round-trips every filter a dashboard number can carry', () => {
    const s = {
      ...EMPTY_SEARCH,
      view: 'all' as const,
      status: 9,
      procedure_id: 12,
      channel: 2,
      timeliness: 'late' as const,
      from: '2026-01-01',
      to: '2026-03-31',
      finished_from: '2026-02-01',
      finished_to: '2026-02-28',
      open_at: '2026-03-31',
      page: 3,
    };
    const qs = searchToQuery(s);
    expect(qs).toBe(
      '?view=all&status=9&procedure_id=12&channel=2&timeliness=late&received_from=2026-01-01&received_to=2026-03-31' +
        '&finished_from=2026-02-01&finished_to=2026-02-28&open_at=2026-03-31&page=3',
    );
    expect(searchFromQuery(new URLSearchParams(qs))).toEqual(s);
    expect(dossierQuery(s)).toMatchObject({ finished_from: '2026-02-01', finished_to: '2026-02-28', open_at: '2026-03-31', received_from: '2026-01-01' });
  });

  it('lists every day when a link carries filters, today’s queue otherwise', () => {
    expect(searchFromQuery(new URLSearchParams('')).view).toBe('today');
    expect(searchToQuery(EMPTY_SEARCH)).toBe('');
    expect(searchFromQuery(new URLSearchParams('timeliness=open_overdue&open_at=2026-11-26')).view).toBe('all');
    expect(searchFromQuery(new URLSearchParams('view=overdue')).view).toBe('overdue');
  });

  it('opens the lists the desk card of the home links to, and asks the server for them', () => {
    for (const view of ['due_today', 'apology_due'] as const) {
      const s = searchFromQuery(new URLSearchParams(`view=${view}`));
      expect(s.view).toBe(view);
      expect(searchToQuery(s)).toBe(`?view=${view}`);
      expect(dossierQuery(s)).toEqual({ page: 1, per_page: 50, view });
    }
    expect(searchFromQuery(new URLSearchParams('view=late_today')).view).toBe('today');
  });

  it('drops values that do not parse', () => {
    const s = searchFromQuery(new URLSearchParams('status=11&channel=x&timeliness=soon&received_from=2026-13-01&procedure_id=-3&page=0'));
    expect(s).toEqual(EMPTY_SEARCH);
    for (const bad of ['0', '-4', 'x', '3.5', '']) expect(searchFromQuery(new URLSearchParams(`commune_id=${bad}`)).commune_id).toBe('');
  });

  it('round-trips the commune an oversight user looks into, and sends it to the API', () => {
    const s = { ...EMPTY_SEARCH, commune_id: 7, view: 'all' as const, timeliness: 'open_overdue' as const, open_at: '2026-03-31', page: 2 };
    const qs = searchToQuery(s);
    expect(qs).toBe('?commune_id=7&view=all&timeliness=open_overdue&open_at=2026-03-31&page=2');
    expect(searchFromQuery(new URLSearchParams(qs))).toEqual(s);
    expect(dossierQuery(s)).toEqual({ page: 2, per_page: 50, commune_id: 7, timeliness: 'open_overdue', open_at: '2026-03-31' });
    // The commune alone is whose list, not a filter: today's queue of that commune.
    const plain = searchFromQuery(new URLSearchParams('commune_id=7'));
    expect(plain).toEqual({ ...EMPTY_SEARCH, commune_id: 7 });
    expect(dossierQuery(plain)).toEqual({ page: 1, per_page: 50, commune_id: 7, view: 'today' });
    // Staff send none (the server lists their own commune).
    expect(dossierQuery({ ...EMPTY_SEARCH, view: 'all' })).not.toHaveProperty('commune_id');
  });

  it('links a dashboard number to one commune’s list only', () => {
    const f = { from: '2026-01-01', to: '2026-03-31' };
    // Staff: their own commune's list, whatever the dashboard view says.
    expect(drillLink(f, { own: true, commune: null })).toBe('/onestop?view=all&received_from=2026-01-01&received_to=2026-03-31');
    expect(drillLink(f, { own: true, commune: 9 })).toBe('/onestop?view=all&received_from=2026-01-01&received_to=2026-03-31');
    // Oversight with one commune picked: that commune's list.
    const one = drillLink({ ...f, procedure_id: 4 }, { own: false, commune: 9 });
    expect(one).toBe('/onestop?commune_id=9&view=all&procedure_id=4&received_from=2026-01-01&received_to=2026-03-31');
    expect(searchFromQuery(new URLSearchParams(one!.split('?')[1])).commune_id).toBe(9);
    // Oversight over every commune summed: no single list, so no link.
    expect(drillLink(f, { own: false, commune: null })).toBeNull();
    expect(drillLink({ open_at: '2026-03-31', timeliness: 'open_overdue' }, { own: false, commune: null })).toBeNull();
  });

  it('links a number to its dossiers', () => {
    expect(dossierLink({ from: '2026-01-01', to: '2026-11-26', channel: 2 })).toBe(
      '/onestop?view=all&channel=2&received_from=2026-01-01&received_to=2026-11-26',
    );
    expect(dossierLink({ open_at: '2026-11-26', timeliness: 'open_overdue', procedure_id: 4 })).toBe(
      '/onestop?view=all&procedure_id=4&timeliness=open_overdue&open_at=2026-11-26',
    );
  });
});

describe('import errors', () => {
  it('accepts CSV and XLSX by name', () => {
    expect(isImportFile('hoso-2026.csv')).toBe(true);
    expect(isImportFile('HoSo.XLSX')).toBe(true);
    expect(isImportFile('hoso.xls')).toBe(false);
    expect(isImportFile('hoso.csv.exe')).toBe(false);
  });

  it('turns rows[N].Column errors into a table in file order', () => {
    const { errors, more } = importErrors([
      { field: 'rows[7].TrangThaiHoSo', code: 'invalid_status', message: 'Trạng thái không hợp lệ.' },
      { field: 'rows[3].NgayTiepNhan', code: 'invalid_date', message: 'Sai ngày.' },
      { field: 'rows[3].MaTTHC', code: 'unknown_procedure', message: 'Không có thủ tục.' },
      { field: 'rows[12]', code: 'invalid_format', message: 'Dấu ngoặc kép không đóng.' },
      { field: 'header.NgayHenTra', code: 'required', message: 'Thiếu cột bắt buộc NgayHenTra.' },
      { field: 'file', code: 'invalid_encoding', message: 'Tệp CSV phải mã hóa UTF-8.' },
      { field: 'rows', code: 'more_errors', message: 'Còn 1234 lỗi khác không liệt kê.' },
    ]);
    expect(errors.map((e) => [e.scope, e.row, e.column, e.code])).toEqual([
      ['file', null, null, 'invalid_encoding'],
      ['header', 1, 'NgayHenTra', 'required'],
      ['row', 3, 'MaTTHC', 'unknown_procedure'],
      ['row', 3, 'NgayTiepNhan', 'invalid_date'],
      ['row', 7, 'TrangThaiHoSo', 'invalid_status'],
      ['row', 12, null, 'invalid_format'],
    ]);
    expect(more).toBe(1234);
  });

  it('picks the most specific sentence for each error', () => {
    const [file, header, , date] = importErrors([
      { field: 'file', code: 'required', message: 'Tệp trống.' },
      { field: 'header.MaHoSo', code: 'required', message: 'Thiếu cột.' },
      { field: 'rows[2].MaTTHC', code: 'unknown_procedure', message: '…' },
      { field: 'rows[2].NgayTiepNhan', code: 'invalid_date', message: '…' },
    ]).errors;
    expect(errorKeys(file)).toEqual(['field.required.file', 'field.required']);
    expect(errorKeys(header)).toEqual(['field.missing_column']);
    expect(errorKeys(date)).toEqual(['field.invalid_date.NgayTiepNhan', 'field.invalid_date']);
  });
});

describe('download names', () => {
  it('takes the server’s file name from Content-Disposition', () => {
    expect(dispositionFileName('attachment; filename="chi-so-766-20260101-20261126.csv"')).toBe('chi-so-766-20260101-20261126.csv');
    expect(dispositionFileName("attachment; filename*=UTF-8''s%E1%BB%95-theo-d%C3%B5i.xlsx; filename=\"so.xlsx\"")).toBe('sổ-theo-dõi.xlsx');
    expect(dispositionFileName('attachment; filename=plain.csv')).toBe('plain.csv');
    expect(dispositionFileName('attachment')).toBeNull();
    expect(dispositionFileName(null)).toBeNull();
  });
});
