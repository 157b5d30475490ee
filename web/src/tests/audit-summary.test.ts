import { describe, expect, it } from 'vitest';
import { summaryText, type SummaryWords } from '../features/audit/summary';

const words: SummaryWords = {
  field: (code) => ({ username: 'Tên đăng nhập', role: 'Vai trò', active: 'Đang hoạt động', held_on: 'Ngày tổ chức' })[code] ?? code,
  role: (code) => ({ village: 'Trưởng thôn' })[code] ?? code,
  limit: (n, unit) => (unit === 'same_day' ? 'trong ngày' : unit === 'working_days' ? `${n} ngày làm việc` : `${n} ${unit}`),
  count: (n) => `${n} mục`,
  yes: 'Có',
  no: 'Không',
};

describe('audit summaries', () => {
  it('names the fields and the role, and keeps a code it has no name for', () => {
    expect(summaryText({ username: 'thon9', role: 'village' }, 'create', words)).toBe('Tên đăng nhập: thon9, Vai trò: Trưởng thôn');
    expect(summaryText({ changes: { active: false } }, 'create', words)).toBe('changes: {Đang hoạt động: Không}');
  });

  it("shows an update's changed fields as before → after, with dates as dd/mm/yyyy", () => {
    expect(summaryText({ held_on: ['2023-01-09', '2023-02-01'], active: [true, false] }, 'update', words)).toBe(
      'Ngày tổ chức: 09/01/2023 → 01/02/2023, Đang hoạt động: Có → Không',
    );
    // A pair of time limits: each in words.
    expect(summaryText({ limit: [[5, 'working_days'], [0, 'same_day']] }, 'update', words)).toBe(
      'limit: 5 ngày làm việc → trong ngày',
    );
    // A petition's new handler and a corrected rating are pairs too.
    expect(summaryText({ handler_id: [null, 7] }, 'assign', words)).toBe('handler_id: – → 7');
    // Not an update: one time limit, in words; any other two-item list is a list.
    expect(summaryText({ limit: [5, 'working_days'], note: null }, 'create', words)).toBe('limit: 5 ngày làm việc, note: –');
    expect(summaryText({ tags: ['a', 'b'] }, 'create', words)).toBe('tags: [a, b]');
    // A list of record ids is said as how many.
    expect(summaryText({ carried_over: [4, 12, 45], village_ids: [1, 2] }, 'roll_over', words)).toBe('carried_over: 3 mục, village_ids: 2 mục');
  });

  it('writes instants in the commune time zone, text as it is, and cuts long values', () => {
    expect(summaryText({ from: '2025-12-31T17:30:00Z' }, 'generate', words)).toBe('from: 01/01/2026 00:30');
    // A stored time written without its zone is UTC (a dossier due at 09:00 in the commune).
    expect(summaryText({ due_at: '2026-12-09T02:00:00' }, 'create', words)).toBe('due_at: 09/12/2026 09:00');
    expect(summaryText({ due_at: '2026-12-09T09:00:00+07:00' }, 'create', words)).toBe('due_at: 09/12/2026 09:00');
    expect(summaryText('đăng nhập', 'login', words)).toBe('đăng nhập');
    expect(summaryText(null, 'login', words)).toBe('');
    expect(summaryText({ user_agent: 'Mozilla/5.0 (X11; Linux x86_64)' }, 'login', words, 12)).toBe('user_agent: Mozilla/5.0…');
  });
});
