// What the printed forms (Thông tư 03/2025/TT-VPCP, appendix I) say, shaped from the dossier and
// its events. Vietnamese only: these are administrative papers, not screens.
import type { DossierDetail, DossierEvent, RegisterRow } from './types';
import type { FormCode } from './logic';

/** Vietnamese status names as papers print them (national codes). */
export const STATUS_VI: Record<number, string> = {
  1: 'Mới đăng ký',
  2: 'Được tiếp nhận',
  3: 'Không được tiếp nhận',
  4: 'Đang xử lý',
  5: 'Yêu cầu bổ sung giấy tờ',
  6: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  7: 'Công dân yêu cầu rút hồ sơ',
  8: 'Dừng xử lý',
  9: 'Đã xử lý xong',
  10: 'Đã trả kết quả',
};

export const ACTION_VI: Record<string, string> = {
  receive: 'Tiếp nhận hồ sơ',
  start_processing: 'Chuyển xử lý',
  request_supplement: 'Yêu cầu bổ sung, hoàn thiện hồ sơ',
  receive_supplement: 'Nhận hồ sơ bổ sung',
  request_payment: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  confirm_payment: 'Xác nhận đã thực hiện nghĩa vụ tài chính',
  refuse: 'Từ chối tiếp nhận, giải quyết',
  withdraw: 'Công dân rút hồ sơ',
  stop: 'Dừng giải quyết',
  resolve: 'Giải quyết xong',
  return_result: 'Trả kết quả',
  apologize_and_extend: 'Xin lỗi và hẹn lại ngày trả kết quả',
};

export const TIMELINESS_VI: Record<string, string> = {
  early: 'Trước hạn',
  on_time: 'Đúng hạn',
  late: 'Quá hạn',
  open_not_due: 'Đang giải quyết, chưa đến hạn',
  open_overdue: 'Đang giải quyết, đã quá hạn',
};

export const CHANNEL_VI: Record<number, string> = {
  1: 'Trực tiếp',
  2: 'Trực tuyến',
  3: 'Bưu chính công ích',
};

/** The events of a dossier, oldest first. */
export function sortedEvents(events: readonly DossierEvent[] | null | undefined): DossierEvent[] {
  return [...(events ?? [])].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.id ?? 0) - (b.id ?? 0));
}

/**
 * The forms a dossier can print now, by their Thông tư 03/2025 number: the receipt and control
 * sheet always, the others once their event happened (05 once the dossier was stopped).
 */
export function formsFor(d: Pick<DossierDetail, 'status' | 'events'>): FormCode[] {
  const has = (a: string) => (d.events ?? []).some((e) => e.action === a);
  const out: FormCode[] = ['01'];
  if (has('request_supplement')) out.push('02');
  if (has('refuse') || d.status === 3) out.push('03');
  if (has('apologize_and_extend')) out.push('04');
  if (has('stop') || d.status === 8) out.push('05');
  out.push('06');
  return out;
}

/** Whether two RFC 3339 times name the same instant ("…+07:00" and "…Z" may spell one time). */
export function sameInstant(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return a === b;
  const x = Date.parse(a);
  const y = Date.parse(b);
  return Number.isNaN(x) || Number.isNaN(y) ? a === b : x === y;
}

/** "Mẫu số 06 — Thông tư 03/2025/TT-VPCP": the number and the set a form prints with. */
export function formLabel(formNumber: string, formSet: string): string {
  return formSet ? `Mẫu số ${formNumber} — ${formSet}` : `Mẫu số ${formNumber}`;
}

/** "Ủy ban nhân dân xã Bình Lương": the body in running text. */
export function bodyName(communeName: string | null | undefined): string {
  const name = (communeName ?? '').trim();
  if (!name) return 'Ủy ban nhân dân';
  return /^(xã|phường|thị trấn)\s/iu.test(name) ? `Ủy ban nhân dân ${name}` : `Ủy ban nhân dân xã ${name}`;
}

/** "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" → "Trung tâm phục vụ hành chính công": the desk in running text. */
export function deskName(issuerUnit: string | null | undefined): string {
  const u = (issuerUnit ?? '').trim().toLocaleLowerCase('vi');
  if (!u) return 'Bộ phận tiếp nhận và trả kết quả';
  return u.charAt(0).toLocaleUpperCase('vi') + u.slice(1);
}

/**
 * "UBND PHƯỜNG AN KHÁNH" → "Ủy ban nhân dân phường An Khánh": the issuing body of the header (which
 * the server words from the commune's kind) in running text; the commune's name otherwise.
 */
export function bodyFromIssuer(issuer: string | null | undefined, communeName: string | null | undefined): string {
  const m = /^(?:UBND|ỦY BAN NHÂN DÂN)\s+(XÃ|PHƯỜNG|ĐẶC KHU|THỊ TRẤN)\s+(.+)$/u.exec((issuer ?? '').trim());
  if (!m) return bodyName(communeName);
  const name = m[2]
    .toLocaleLowerCase('vi')
    .split(/\s+/)
    .map((w) => w.charAt(0).toLocaleUpperCase('vi') + w.slice(1))
    .join(' ');
  return `Ủy ban nhân dân ${m[1].toLocaleLowerCase('vi')} ${name}`;
}

export interface ControlRow {
  n: number;
  step: string;
  who: string;
  at: string;
  status: string;
  note: string;
}

/** Form 06: one row per event, in order. */
export function controlRows(events: readonly DossierEvent[] | null | undefined, fmt: (at: string) => string): ControlRow[] {
  return sortedEvents(events).map((e, i) => ({
    n: i + 1,
    step: ACTION_VI[e.action] ?? e.action,
    who: [e.user_name, e.unit_name].filter(Boolean).join(' – '),
    at: fmt(e.at),
    status: STATUS_VI[e.to_status] ?? String(e.to_status),
    note: [e.note ?? (e.note_hidden ? '(nội dung ẩn — chứa thông tin cá nhân)' : ''), e.new_due_at ? `Hẹn lại: ${fmt(e.new_due_at)}` : ''].filter(Boolean).join('. '),
  }));
}

export interface RegisterLine {
  n: number;
  code: string;
  applicant: string;
  procedure: string;
  channel: string;
  received: string;
  due: string;
  finished: string;
  returned: string;
  status: string;
  timeliness: string;
}

/** Form 07: the register's rows in receipt order, with Vietnamese labels. */
export function registerLines(rows: readonly RegisterRow[], fmt: (at: string) => string): RegisterLine[] {
  return [...rows]
    .sort((a, b) => Date.parse(a.received_at) - Date.parse(b.received_at) || a.code.localeCompare(b.code))
    .map((r, i) => ({
      n: i + 1,
      code: r.code,
      applicant: [r.applicant_name, r.applicant_address].filter(Boolean).join(', '),
      procedure: r.procedure_name,
      channel: CHANNEL_VI[r.channel] ?? String(r.channel),
      received: fmt(r.received_at),
      due: fmt(r.due_at),
      finished: r.finished_at ? fmt(r.finished_at) : '',
      returned: r.returned_at ? fmt(r.returned_at) : '',
      status: r.status_name || (STATUS_VI[r.status] ?? String(r.status)),
      timeliness: TIMELINESS_VI[r.timeliness] ?? r.timeliness,
    }));
}
