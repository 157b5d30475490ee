import { describe, expect, it } from 'vitest';
import {
  areaNumbers,
  clampPercent,
  dayNumber,
  dueState,
  EMPTY_FILTERS,
  filtersToSearch,
  fitWithin,
  formatBytes,
  formatDay,
  ganttBar,
  ganttScale,
  wrapLabel,
  involvesUnit,
  issueDateLine,
  jpegName,
  lines,
  parseFilters,
  placeName,
  progressTone,
  romanNumeral,
  statusChoices,
  taskQuery,
  todayInCommune,
} from '../features/plans/logic';

describe('photo downscale sizing', () => {
  it('brings the long side of a landscape photo down to 1600 px, keeping the ratio', () => {
    expect(fitWithin(4000, 3000)).toEqual({ width: 1600, height: 1200, scaled: true });
  });

  it('does the same for a portrait photo', () => {
    expect(fitWithin(3024, 4032)).toEqual({ width: 1200, height: 1600, scaled: true });
  });

  it('never enlarges a small photo', () => {
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600, scaled: false });
    expect(fitWithin(1600, 900)).toEqual({ width: 1600, height: 900, scaled: false });
  });

  it('keeps a very thin panorama at least one pixel high', () => {
    const r = fitWithin(20000, 3);
    expect(r.width).toBe(1600);
    expect(r.height).toBe(1);
  });

  it('honours another maximum and rejects empty sizes', () => {
    expect(fitWithin(1000, 500, 400)).toEqual({ width: 400, height: 200, scaled: true });
    expect(fitWithin(0, 100)).toEqual({ width: 0, height: 0, scaled: false });
    expect(fitWithin(Number.NaN, 100).width).toBe(0);
  });

  it('names the re-encoded file .jpg', () => {
    expect(jpegName('IMG_0001.HEIC')).toBe('IMG_0001.jpg');
    expect(jpegName('anh.thon.png')).toBe('anh.thon.jpg');
    expect(jpegName('noext')).toBe('noext.jpg');
  });

  it('prints sizes with a Vietnamese decimal comma', () => {
    expect(formatBytes(1536, 'vi')).toBe('1,5 KB');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(formatBytes(300)).toBe('300 B');
    expect(formatBytes(250 * 1024 * 1024, 'en')).toBe('250 MB');
  });
});

describe('roll-up display helpers', () => {
  it('clamps and rounds percentages', () => {
    expect(clampPercent(33.4)).toBe(33);
    expect(clampPercent(66.6)).toBe(67);
    expect(clampPercent(-5)).toBe(0);
    expect(clampPercent(140)).toBe(100);
    expect(clampPercent(undefined)).toBe(0);
    expect(clampPercent(Number.NaN)).toBe(0);
  });

  it('picks the bar colour from progress and lateness', () => {
    expect(progressTone(100, true)).toBe('done');
    expect(progressTone(40, true)).toBe('late');
    expect(progressTone(40)).toBe('good');
    expect(progressTone(0)).toBe('idle');
  });

  it('places a task against its due date in the commune time zone', () => {
    const today = '2023-05-10';
    expect(dueState({ status: 'in_progress', due_date: '2023-05-09' }, today)).toBe('overdue');
    expect(dueState({ status: 'in_progress', due_date: '2023-05-10' }, today)).toBe('due_soon');
    expect(dueState({ status: 'in_progress', due_date: '2023-05-17' }, today)).toBe('due_soon');
    expect(dueState({ status: 'in_progress', due_date: '2023-05-18' }, today)).toBe('open');
    expect(dueState({ status: 'done', due_date: '2023-01-01' }, today)).toBe('done');
    expect(dueState({ status: 'cancelled', due_date: '2023-01-01' }, today)).toBe('cancelled');
    // The server's flag wins (it knows the commune's calendar).
    expect(dueState({ status: 'not_started', due_date: '2023-06-01', overdue: true }, today)).toBe('overdue');
  });

  it('knows today in Vietnam even when it is still yesterday in UTC', () => {
    expect(todayInCommune(new Date('2023-05-09T18:30:00Z'))).toBe('2023-05-10');
    expect(todayInCommune(new Date('2023-05-09T16:59:00Z'))).toBe('2023-05-09');
  });

  it('formats dates dd/mm/yyyy without shifting the day', () => {
    expect(formatDay('2023-04-24')).toBe('24/04/2023');
    expect(formatDay('2023-12-31T23:00:00Z')).toBe('31/12/2023');
    expect(formatDay(null)).toBe('');
    expect(formatDay('24/04/2023')).toBe('');
  });

  it('tells whether a task involves a unit', () => {
    const task = { lead_unit_id: 3, supporting_unit_ids: [7, 9] };
    expect(involvesUnit(task, 3)).toBe(true);
    expect(involvesUnit(task, 9)).toBe(true);
    expect(involvesUnit(task, 4)).toBe(false);
  });
});

describe('Gantt scale', () => {
  const steps = [
    { start: null, due: '2023-04-24' },
    { start: '2023-04-26', due: '2023-04-26' },
    { start: '2023-05-01', due: '2023-12-31' },
  ];

  it('spans the earliest to the latest date, padded, and maps it onto the width', () => {
    const s = ganttScale(steps, '2023-06-15', 1000, 3);
    expect(s.today).toBe('in');
    expect(s.from).toBe(dayNumber('2023-04-24') - 3);
    expect(s.to).toBe(dayNumber('2023-12-31') + 3);
    expect(s.x('2023-04-21')).toBe(0);
    // The day after the last shown day ends exactly at the right edge.
    expect(s.x('2024-01-04')).toBeCloseTo(1000, 6);
    const mid = s.x('2023-08-15');
    expect(mid).toBeGreaterThan(0);
    expect(mid).toBeLessThan(1000);
  });

  it('widens the range to include today when it is near the plan', () => {
    const s = ganttScale(steps, '2024-01-20', 600, 0);
    expect(s.today).toBe('in');
    expect(s.to).toBe(dayNumber('2024-01-20'));
    expect(s.x('2024-01-21')).toBeCloseTo(600, 6);
  });

  it('keeps the plan range and flags today as off the end when the plan is long past or far ahead', () => {
    const past = ganttScale(steps, '2026-11-26', 600, 0);
    expect(past.today).toBe('after');
    expect(past.to).toBe(dayNumber('2023-12-31'));
    const ahead = ganttScale(steps, '2021-01-01', 600, 0);
    expect(ahead.today).toBe('before');
    expect(ahead.from).toBe(dayNumber('2023-04-24'));
    expect(ganttScale([], '2023-05-05', 100, 0).today).toBe('in');
  });

  it('lists month starts inside the range with their labels', () => {
    const s = ganttScale([{ start: '2023-04-10', due: '2023-06-20' }], '2023-05-01', 700, 0);
    expect(s.months.map((m) => m.label)).toEqual(['05/2023', '06/2023']);
    expect(s.months[0].x).toBeCloseTo(s.x('2023-05-01'), 6);
    const across = ganttScale([{ start: '2023-11-20', due: '2024-01-05' }], '2023-12-01', 700, 0);
    expect(across.months.map((m) => m.label)).toEqual(['12/2023', '01/2024']);
  });

  it('draws a bar from start to the end of the due day, or a one-day stub without a start', () => {
    const s = ganttScale([{ start: '2023-01-01', due: '2023-01-10' }], '2023-01-05', 100, 0);
    // 10 days over 100 px: 10 px a day.
    expect(ganttBar(s, { start: '2023-01-01', due: '2023-01-10' })).toEqual({ x: 0, w: 100 });
    expect(ganttBar(s, { start: null, due: '2023-01-05' })).toEqual({ x: 40, w: 10 });
    expect(ganttBar(s, { start: null, due: null })).toBeNull();
    // Never thinner than 4 px, so a one-day step stays visible on a long plan.
    const long = ganttScale([{ start: '2023-01-01', due: '2023-12-31' }], '2023-06-01', 100, 0);
    expect(ganttBar(long, { start: '2023-03-01', due: '2023-03-01' })?.w).toBe(4);
  });
});

describe('task list filters and query', () => {
  it('sends only what is set, with the search trimmed', () => {
    expect(taskQuery({ ...EMPTY_FILTERS, q: '  tuyen truyen ' }, 50)).toEqual({
      q: 'tuyen truyen',
      status: undefined,
      unit_id: undefined,
      overdue: undefined,
      step_id: undefined,
      content_area_id: undefined,
      sort: undefined,
      page: undefined,
      per_page: 50,
    });
    const q = taskQuery({ ...EMPTY_FILTERS, status: 'in_progress', unit_id: '12', overdue: true, page: 3, sort: '-progress' }, 20);
    expect(q).toMatchObject({ status: 'in_progress', unit_id: '12', overdue: true, page: 3, sort: '-progress', per_page: 20 });
  });

  it('round-trips the filters through the address', () => {
    const f = { ...EMPTY_FILTERS, q: 'Tuyên truyền', status: 'done', unit_id: '4', overdue: true, step_id: '2', content_area_id: '9', sort: 'due_date', page: 2 };
    const search = filtersToSearch(f);
    expect(search.startsWith('?')).toBe(true);
    expect(parseFilters(search)).toEqual(f);
    expect(filtersToSearch(EMPTY_FILTERS)).toBe('');
  });

  it('ignores malformed values in the address', () => {
    const f = parseFilters('?unit_id=abc&page=-2&overdue=yes&content_area_id=1%3B2&step_id=7');
    expect(f.unit_id).toBe('');
    expect(f.page).toBe(1);
    expect(f.overdue).toBe(false);
    expect(f.content_area_id).toBe('');
    expect(f.step_id).toBe('7');
  });
});

describe('editor and print helpers', () => {
  it('splits a textarea into non-empty lines', () => {
    expect(lines(' Một \r\n\n Hai\n')).toEqual(['Một', 'Hai']);
  });

  it('writes section numbers in Roman numerals', () => {
    expect([1, 2, 3, 4, 5, 9, 14].map(romanNumeral)).toEqual(['I', 'II', 'III', 'IV', 'V', 'IX', 'XIV']);
  });

  it('builds the date line of the document, leaving day and month blank without an issue date', () => {
    const tpl = '{place}, ngày {day} tháng {month} năm {year}';
    expect(issueDateLine('Bình Lương', '2023-04-20', 2023, tpl)).toBe('Bình Lương, ngày 20 tháng 4 năm 2023');
    const draft = issueDateLine('Bình Lương', null, 2023, tpl);
    expect(draft).toMatch(/^Bình Lương, ngày\s+tháng\s+năm 2023$/);
    expect(placeName('xã Bình Lương')).toBe('Bình Lương');
    expect(placeName('Xã Bình Lương')).toBe('Bình Lương');
    expect(placeName('Bình Lương')).toBe('Bình Lương');
  });
});

describe('bulk update error places', () => {
  it('reads the row and column of a server field error', async () => {
    const { bulkErrorPlace } = await import('../features/plans/logic');
    expect(bulkErrorPlace('rows[3].status')).toEqual({ row: 3, column: 'status' });
    expect(bulkErrorPlace('rows[12].task_id')).toEqual({ row: 12, column: 'task_id' });
    expect(bulkErrorPlace('rows[2]')).toEqual({ row: 2, column: 'row' });
    expect(bulkErrorPlace('file')).toEqual({ row: null, column: 'file' });
  });
});

describe('history entries', () => {
  it('turns an audit summary into before/after entries without internal ids', async () => {
    const { changeEntries } = await import('../features/plans/logic');
    expect(changeEntries({ files: 1, progress: [0, 40], report_id: 1, status: ['not_started', 'in_progress'] })).toEqual([
      { key: 'files', to: 1 },
      { key: 'progress', from: 0, to: 40 },
      { key: 'status', from: 'not_started', to: 'in_progress' },
    ]);
    expect(changeEntries({ lead_unit_id: 8, plan_id: 1, title: 'Thôn 1' })).toEqual([
      { key: 'lead_unit_id', to: 8 },
      { key: 'title', to: 'Thôn 1' },
    ]);
    expect(changeEntries({ supporting_unit_ids: [3, 4] })).toEqual([{ key: 'supporting_unit_ids', to: [3, 4] }]);
    // A report that kept the progress and the status changed neither: only its files are said.
    expect(changeEntries({ files: 0, progress: [65, 65], status: ['in_progress', 'in_progress'] })).toEqual([{ key: 'files', to: 0 }]);
    expect(changeEntries('text')).toEqual([]);
    expect(changeEntries(null)).toEqual([]);
  });

  it('formats reporting periods for people', async () => {
    const { formatPeriod } = await import('../features/plans/logic');
    const tpl = { week: 'Tuần {n}/{year}', quarter: 'Quý {n}/{year}' };
    expect(formatPeriod('2023-05', tpl)).toBe('05/2023');
    expect(formatPeriod('2023-W18', tpl)).toBe('Tuần 18/2023');
    expect(formatPeriod('2023-Q2', tpl)).toBe('Quý 2/2023');
    expect(formatPeriod('khác', tpl)).toBe('khác');
  });
});

describe('document subtitle', () => {
  it('drops the leading "Kế hoạch" the heading already says', async () => {
    const { docSubtitle } = await import('../features/plans/logic');
    expect(docSubtitle('Kế hoạch xây dựng thực hiện mô hình “Chính quyền thân thiện” năm 2023')).toBe(
      'Xây dựng thực hiện mô hình “Chính quyền thân thiện” năm 2023',
    );
    expect(docSubtitle('Triển khai chuyển đổi số')).toBe('Triển khai chuyển đổi số');
    expect(docSubtitle('Kế hoạch')).toBe('Kế hoạch');
  });
});

describe('typed dates', () => {
  it('reads dd/mm/yyyy (and ISO) into yyyy-mm-dd, refusing impossible days', async () => {
    const { parseDayInput } = await import('../features/plans/logic');
    expect(parseDayInput('05/01/2026')).toBe('2026-01-05');
    expect(parseDayInput('5/1/2026')).toBe('2026-01-05');
    expect(parseDayInput(' 29.02.2024 ')).toBe('2024-02-29');
    expect(parseDayInput('2026-01-05')).toBe('2026-01-05');
    expect(parseDayInput('')).toBe('');
    expect(parseDayInput('29/02/2023')).toBeNull();
    expect(parseDayInput('1/13/2026')).toBeNull();
    expect(parseDayInput('05/01/26')).toBeNull();
    expect(parseDayInput('hôm nay')).toBeNull();
  });
});

describe('task status choices', () => {
  it('offers cancel to the board only', () => {
    expect(statusChoices('in_progress', true)).toContain('cancelled');
    expect(statusChoices('in_progress', false)).toEqual(['not_started', 'in_progress', 'done']);
  });

  it('leaves a cancelled task cancelled for a village head (only the board reopens it)', () => {
    expect(statusChoices('cancelled', false)).toEqual(['cancelled']);
    expect(statusChoices('cancelled', true)).toEqual(['not_started', 'in_progress', 'done', 'cancelled']);
  });
});

describe('content area numbers', () => {
  it('numbers the content areas of section II and leaves the area of sections III–IV unnumbered', () => {
    const m = areaNumbers([
      { id: 10, section: 'content' },
      { id: 11, section: 'content' },
      { id: 12, section: 'implementation' },
    ]);
    expect([m.get(10), m.get(11), m.get(12)]).toEqual([1, 2, undefined]);
  });
});

describe('wrapLabel', () => {
  it('breaks at spaces within the width', () => {
    expect(wrapLabel('Bước 1: Xây dựng kế hoạch và triển khai', 16)).toEqual(['Bước 1: Xây dựng', 'kế hoạch và', 'triển khai']);
    expect(wrapLabel('  Ngắn  ', 16)).toEqual(['Ngắn']);
    for (const line of wrapLabel('Bước 2: Tổ chức tuyên truyền, phổ biến kế hoạch đến cán bộ và Nhân dân', 20)) {
      expect(line.length).toBeLessThanOrEqual(20);
    }
  });
  it('cuts a word longer than a line, and ends the last line in … past the limit', () => {
    expect(wrapLabel('abcdefghijklmnop q', 8)).toEqual(['abcdefg…', 'q']);
    const lines = wrapLabel('một hai ba bốn năm sáu bảy tám chín mười', 8, 2);
    expect(lines).toEqual(['một hai', 'ba bốn…']);
  });
});
