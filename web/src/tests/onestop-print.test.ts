import { describe, expect, it } from 'vitest';
import qrcode from 'qrcode-generator';
import { qrShape } from '../features/onestop/qr';
import { absoluteUrl, codeFromLocation } from '../features/onestop/lookup';
import { bodyName, controlRows, formsFor, registerLines } from '../features/onestop/print';
import type { DossierDetail, DossierEvent, RegisterRow } from '../features/onestop/types';

/** Paints the path back into a grid of dark modules. */
function paint(shape: { size: number; path: string }): boolean[][] {
  const grid = Array.from({ length: shape.size }, () => Array<boolean>(shape.size).fill(false));
  for (const m of shape.path.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)) {
    const [x, y, w, w2] = m.slice(1).map(Number);
    expect(w2).toBe(w);
    for (let i = 0; i < w; i++) grid[y][x + i] = true;
  }
  return grid;
}

describe('receipt QR code', () => {
  const url = absoluteUrl('https://motcua.binhluong.gov.vn/', '/tra-cuu/UBND-261126-0007');

  it('links to the public lookup the server names', () => {
    expect(url).toBe('https://motcua.binhluong.gov.vn/tra-cuu/UBND-261126-0007');
    expect(absoluteUrl('http://127.0.0.1:8080', 'tra-cuu/A%20B')).toBe('http://127.0.0.1:8080/tra-cuu/A%20B');
  });

  it('reads the code back from either lookup address', () => {
    expect(codeFromLocation('/tra-cuu/UBND-261126-0007', '')).toBe('UBND-261126-0007');
    expect(codeFromLocation('/tra-cuu/A%20B/', '')).toBe('A B');
    expect(codeFromLocation('/tra-cuu', '?ma=UBND-261126-0001')).toBe('UBND-261126-0001');
    expect(codeFromLocation('/tra-cuu', '')).toBe('');
    expect(codeFromLocation('/tra-cuu/%E0%A4%A', '')).toBe('');
  });

  it('draws exactly the modules the encoder sets, inside a 4-module quiet zone', () => {
    const shape = qrShape(url);
    const qr = qrcode(0, 'M');
    qr.addData(url, 'Byte');
    qr.make();
    const n = qr.getModuleCount();
    expect(shape.size).toBe(n + 8);
    const grid = paint(shape);
    for (let r = 0; r < shape.size; r++) {
      for (let c = 0; c < shape.size; c++) {
        const inside = r >= 4 && c >= 4 && r < n + 4 && c < n + 4;
        expect(grid[r][c], `${r},${c}`).toBe(inside ? qr.isDark(r - 4, c - 4) : false);
      }
    }
  });

  it('has the three finder patterns of a QR code', () => {
    const grid = paint(qrShape(url));
    const n = grid.length - 8;
    for (const [r0, c0] of [[4, 4], [4, n - 3], [n - 3, 4]]) {
      // Outer ring dark, next ring light, 3×3 centre dark.
      for (let i = 0; i < 7; i++) {
        expect(grid[r0][c0 + i]).toBe(true);
        expect(grid[r0 + 6][c0 + i]).toBe(true);
      }
      for (let i = 1; i < 6; i++) expect(grid[r0 + 1][c0 + i]).toBe(false);
      for (let i = 2; i < 5; i++) expect(grid[r0 + 3][c0 + i]).toBe(true);
    }
  });

  it('encodes non-ASCII text as UTF-8 (longer than its characters)', () => {
    const ascii = qrShape('a'.repeat(40));
    const viet = qrShape('ữ'.repeat(40));
    expect(viet.size).toBeGreaterThan(ascii.size);
  });
});

let nextId = 1;
const ev = (action: string, at: string, to: number, extra: Partial<DossierEvent> = {}): DossierEvent => ({
  id: nextId++,
  action,
  at,
  to_status: to,
  user_name: 'Lê Thị Một Cửa',
  unit_name: 'UBND xã',
  note_hidden: false,
  ...extra,
});

const dossier: DossierDetail = {
  id: 1,
  code: 'UBND-261126-0001',
  source: 'local',
  procedure_id: 3,
  procedure_name: 'Đăng ký khai sinh',
  status: 4,
  channel: 1,
  applicant: { name: 'Nguyễn Văn An', phone: '0912345678', id_number: '001190012345', address: 'Thôn 2' },
  procedure_code: '1.001193',
  status_name: 'Đang xử lý',
  personal_data_masked: false,
  received_at: '2026-11-26T08:00:00+07:00',
  appointed_at: '2026-11-27T08:00:00+07:00',
  due_at: '2026-11-27T08:00:00+07:00',
  deadline_at: '2026-11-27T08:00:00+07:00',
  timeliness: 'open_not_due',
  supplement_requests: 1,
  flags: { paid_online: false, digitised: false, electronic_result: false, needs_apology: false, paused: false, extended: false, from_data_store: false, late_without_apology: false },
  unit_id: 2,
  survey: { url: '/khao-sat/abc', answered: false },
  allowed_actions: ['request_supplement', 'resolve'],
  events: [
    ev('receive_supplement', '2026-11-26T10:00:00+07:00', 4, { from_status: 5 }),
    ev('receive', '2026-11-26T08:00:00+07:00', 2),
    ev('request_supplement', '2026-11-26T09:00:00+07:00', 5, { from_status: 2, note: 'Thiếu giấy chứng sinh' }),
  ],
};

describe('printed forms', () => {
  it('names the body in running text from the commune', () => {
    expect(bodyName('xã Bình Lương')).toBe('Ủy ban nhân dân xã Bình Lương');
    expect(bodyName('')).toBe('Ủy ban nhân dân');
    expect(bodyName('Bình Lương')).toBe('Ủy ban nhân dân xã Bình Lương');
    expect(bodyName('Phường Đông Hải')).toBe('Ủy ban nhân dân Phường Đông Hải');
  });

  it('offers the forms whose event happened', () => {
    expect(formsFor(dossier)).toEqual(['01', '02', '06']);
    expect(formsFor({ status: 3, events: [] })).toEqual(['01', '03', '06']);
    expect(formsFor({ status: 4, events: [ev('apologize_and_extend', '2026-11-30T08:00:00+07:00', 4)] })).toEqual(['01', '04', '06']);
  });

  it('builds the control sheet (06) from the events in time order', () => {
    const rows = controlRows(dossier.events, (s) => s.slice(11, 16));
    expect(rows.map((r) => [r.n, r.step, r.at, r.status])).toEqual([
      [1, 'Tiếp nhận hồ sơ', '08:00', 'Được tiếp nhận'],
      [2, 'Yêu cầu bổ sung, hoàn thiện hồ sơ', '09:00', 'Yêu cầu bổ sung giấy tờ'],
      [3, 'Nhận hồ sơ bổ sung', '10:00', 'Đang xử lý'],
    ]);
    expect(rows[1].note).toBe('Thiếu giấy chứng sinh');
    expect(rows[0].who).toBe('Lê Thị Một Cửa – UBND xã');
  });

  it('builds the register (07) in receipt order with Vietnamese labels', () => {
    const row = (code: string, received_at: string, extra: Partial<RegisterRow> = {}): RegisterRow => ({
      no: 0,
      code,
      procedure_name: 'Đăng ký khai sinh',
      applicant_name: 'Nguyễn Văn An',
      applicant_address: 'Thôn 2',
      channel: 1,
      received_at,
      due_at: '2026-11-27T08:00:00+07:00',
      status: 4,
      status_name: 'Đang xử lý',
      timeliness: 'open_not_due',
      ...extra,
    });
    const lines = registerLines(
      [
        row('UBND-261126-0002', '2026-11-26T09:00:00+07:00', { channel: 2, status: 10, status_name: '', timeliness: 'early', returned_at: '2026-11-26T15:00:00+07:00' }),
        row('UBND-261126-0001', '2026-11-26T08:00:00+07:00'),
      ],
      (s) => s.slice(0, 10),
    );
    expect(lines.map((r) => r.code)).toEqual(['UBND-261126-0001', 'UBND-261126-0002']);
    expect(lines[1]).toMatchObject({ n: 2, channel: 'Trực tuyến', status: 'Đã trả kết quả', timeliness: 'Trước hạn', returned: '2026-11-26' });
    expect(lines[0]).toMatchObject({ n: 1, applicant: 'Nguyễn Văn An, Thôn 2', status: 'Đang xử lý', timeliness: 'Đang giải quyết, chưa đến hạn' });
  });
});
