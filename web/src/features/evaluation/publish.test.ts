import { describe, expect, it } from 'vitest';
import { publishGaps } from './publish';

const full = {
  results: 'Kết quả', shortcomings: 'Tồn tại', causes: 'Nguyên nhân', lessons: 'Bài học', directions: 'Phương hướng',
  recipients: 'UBND huyện', signer_title: 'CHỦ TỊCH', signer_name: 'Lò Văn Hùng',
};

describe('what a report would be published without', () => {
  it('names nothing for a finished report of a past year', () => {
    expect(publishGaps(full, '15/BC-UBND', 2025, '2026-01-10')).toEqual([]);
  });

  it('names the open year, the missing number, each empty section and the signer', () => {
    expect(publishGaps({ ...full, causes: ' ', lessons: '', signer_name: '' }, '…/BC-UBND', 2026, '2026-12-07')).toEqual([
      { kind: 'year_open', year: 2026 },
      { kind: 'number' },
      { kind: 'section', key: 'causes' },
      { kind: 'section', key: 'lessons' },
      { kind: 'signer' },
    ]);
    // The last day of the year is still a day of it.
    expect(publishGaps(full, '15/BC-UBND', 2026, '2026-12-31')).toEqual([]);
    expect(publishGaps(full, '', 2026, '2027-01-02')).toEqual([{ kind: 'number' }]);
  });
});
