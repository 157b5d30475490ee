import { describe, expect, it } from 'vitest';
import { dateWords, dmy, num, planSubject } from './api';

describe('evaluation formatting', () => {
  it('writes numbers and dates as a Vietnamese report does', () => {
    expect(num(87.5)).toBe('87,5');
    expect(num(20)).toBe('20');
    expect(num(null)).toBe('–');
    expect(dateWords('2024-01-05')).toBe('ngày 05 tháng 01 năm 2024');
    expect(dateWords('2023-12-15')).toBe('ngày 15 tháng 12 năm 2023');
    expect(dmy('2023-04-01')).toBe('01/04/2023');
    expect(planSubject('Kế hoạch xây dựng mô hình.')).toBe('về xây dựng mô hình');
  });
});
