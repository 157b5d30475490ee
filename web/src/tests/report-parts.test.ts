import { describe, expect, it } from 'vitest';
import { reportParts } from '../features/plans/api';

describe('a report kept in the outbox', () => {
  it('says when it was written, so the server dates it then', () => {
    const photo = new File([new Uint8Array([0xff, 0xd8, 0xff])], 'anh.jpg', { type: 'image/jpeg' });
    const written = new Date('2026-11-30T09:15:00+07:00');
    const parts = reportParts({ text: 'Đã họp dân', progress: 60, files: [photo] }, written);
    expect(parts.map((p) => p.name)).toEqual(['text', 'progress', 'written_at', 'files']);
    expect(parts.find((p) => p.name === 'written_at')).toMatchObject({ value: '2026-11-30T02:15:00.000Z' });
    // By default: now.
    const now = reportParts({ text: 'x', progress: 1, files: [] }).find((p) => p.name === 'written_at');
    const at = Date.parse((now as { value: string }).value);
    expect(Math.abs(at - Date.now())).toBeLessThan(60_000);
  });
});
