import { beforeEach, describe, expect, it } from 'vitest';
import { historyLines, periodsText } from '../features/plans/display';
import { setLang } from '../i18n/index.svelte';

const units = new Map([
  [8, 'Thôn 1'],
  [4, 'Hội Liên hiệp Phụ nữ xã'],
]);

describe('history and period sentences', () => {
  beforeEach(async () => {
    await setLang('vi');
  });

  it('writes a progress report entry in Vietnamese, with statuses and units by name', () => {
    expect(historyLines({ files: 1, progress: [0, 40], report_id: 3, status: ['not_started', 'in_progress'] }, units)).toEqual([
      'Số tệp minh chứng: 1',
      'Tiến độ: 0% → 40%',
      'Trạng thái: Chưa bắt đầu → Đang thực hiện',
    ]);
    expect(historyLines({ lead_unit_id: [8, 4], supporting_unit_ids: [4], due_date: ['2023-12-31', '2024-01-15'] }, units)).toEqual([
      'Đơn vị chủ trì: Thôn 1 → Hội Liên hiệp Phụ nữ xã',
      'Đơn vị phối hợp: Hội Liên hiệp Phụ nữ xã',
      'Hạn hoàn thành: 31/12/2023 → 15/01/2024',
    ]);
  });

  it('follows the language', async () => {
    await setLang('en');
    expect(historyLines({ progress: [10, 20], note: true }, units)).toEqual(['Progress: 10% → 20%', 'With a note: Yes']);
    expect(periodsText([{ label: '2023-Q2', start: '2023-04-01', end: '2023-06-30' }])).toBe('Q2/2023');
    await setLang('vi');
  });

  it('lists missing periods for people', () => {
    expect(
      periodsText([
        { label: '2023-05', start: '2023-05-01', end: '2023-05-31' },
        { label: '2023-W18', start: '2023-05-01', end: '2023-05-07' },
      ]),
    ).toBe('05/2023, Tuần 18/2023');
    expect(periodsText(null)).toBe('');
  });
});
