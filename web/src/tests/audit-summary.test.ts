import { describe, expect, it } from 'vitest';
import { summaryText, type CountOf, type SummaryWords } from '../features/audit/summary';
import { vi as auditVi } from '../features/audit/i18n/vi';
import { en as auditEn } from '../features/audit/i18n/en';
import { vi as shellVi } from '../i18n/vi';
import { en as shellEn } from '../i18n/en';
import { interpolate } from '../i18n/interpolate';

const UNITS = new Map([
  [12, 'Thôn 1'],
  [13, 'Thôn 2'],
  [3, 'Hội Phụ nữ'],
]);
const USERS = new Map([[7, 'chutich']]);
const PLANS = new Map([[2, '125/KH-UBND']]);

/** The page's words, from the real dictionaries (as AdminAudit.svelte builds them). */
function wordsIn(lang: 'vi' | 'en'): SummaryWords {
  const dict: Record<string, string> = lang === 'vi' ? { ...shellVi, ...auditVi } : { ...shellEn, ...auditEn };
  const say = (key: string, params?: Record<string, string | number>) => (key in dict ? interpolate(dict[key], params) : undefined);
  return {
    lang,
    field: (code) => say(`audit.key.${code}`) ?? code,
    word: (vocab, code) => say(vocab === 'role' ? `role.${code}` : `audit.val.${vocab}.${code}`),
    limit: (n, unit) => say(`audit.limit.${unit}`, { n }) ?? `${n} ${unit}`,
    count: (n, of: CountOf = 'items') => say(n === 1 ? `audit.count.${of}_one` : `audit.count.${of}`, { n }) ?? String(n),
    unit: (id) => UNITS.get(id),
    user: (id) => USERS.get(id),
    plan: (id) => PLANS.get(id),
    yes: dict['common.yes'],
    no: dict['common.no'],
    changed: dict['audit.changed'],
  };
}
const vi = wordsIn('vi');
const en = wordsIn('en');

describe('audit summaries', () => {
  it('names the fields and the role, and keeps a code it has no name for', () => {
    expect(summaryText({ username: 'thon9', role: 'village' }, 'create', vi)).toBe('Tên đăng nhập: thon9, Vai trò: Trưởng thôn');
    expect(summaryText({ username: 'thon9', role: 'village' }, 'create', en)).toBe('Username: thon9, Role: Village head');
    expect(summaryText({ zzz: 1 }, 'create', vi)).toBe('zzz: 1');
  });

  it("shows an update's changed fields as before → after, with dates as dd/mm/yyyy", () => {
    expect(summaryText({ held_on: ['2023-01-09', '2023-02-01'], active: [true, false] }, 'update', vi)).toBe(
      'Ngày tổ chức: 09/01/2023 → 01/02/2023, Đang hoạt động: Có → Không',
    );
    expect(summaryText({ held_on: ['2023-01-09', '2023-02-01'], active: [true, false] }, 'update', en)).toBe(
      'Held on: 09/01/2023 → 01/02/2023, Active: Yes → No',
    );
    // A pair of time limits: each in words; one time limit (not an update) in words.
    expect(summaryText({ limit: [[5, 'working_days'], [0, 'same_day']] }, 'update', vi)).toBe('Thời hạn giải quyết: 5 ngày làm việc → trong ngày');
    expect(summaryText({ limit: [5, 'working_days'], note: null }, 'create', en)).toBe('Time limit: 5 working days, Note: –');
  });

  it('writes instants in the commune time zone, text as it is, and cuts long values', () => {
    expect(summaryText({ from: '2025-12-31T17:30:00Z' }, 'generate', vi)).toBe('Từ: 01/01/2026 00:30');
    // A stored time written without its zone is UTC (a dossier due at 09:00 in the commune).
    expect(summaryText({ due_at: '2026-12-09T02:00:00' }, 'create', vi)).toBe('Hạn: 09/12/2026 09:00');
    expect(summaryText({ due_at: '2026-12-09T09:00:00+07:00' }, 'create', en)).toBe('Due: 09/12/2026 09:00');
    expect(summaryText('đăng nhập', 'login', vi)).toBe('đăng nhập');
    expect(summaryText(null, 'login', vi)).toBe('');
    expect(summaryText({ user_agent: 'Mozilla/5.0 (X11; Linux x86_64)' }, 'login', vi, 12)).toBe('Trình duyệt: Mozilla/5.0…');
    // A pair is cut side by side: the new value is never the part cut off.
    expect(summaryText({ title: ['Kế hoạch cũ rất dài', 'Kế hoạch mới'] }, 'update', en, 12)).toBe('Title: Kế hoạch cũ… → Kế hoạch mới');
  });

  // Rule 2: every field the server records has a name (the whole list: audit-inventory.test.ts).
  it('names the fields the reviewer found as codes', () => {
    const s = { commune_id: 1, factor: 'totp', recovery_codes: 10, taken_down_on: '2026-03-01', group_size: 3 };
    expect(summaryText(s, 'create', vi)).toBe('Xã số: 1, Cách xác thực: Mã 6 số trên ứng dụng, Số mã khôi phục: 10, Ngày gỡ niêm yết: 01/03/2026, Số người trong đoàn: 3');
    expect(summaryText(s, 'create', en)).toBe('Commune no.: 1, Factor: Authenticator app code, Recovery codes: 10, Taken down on: 01/03/2026, Group size: 3');
  });

  // Rule 3: codes read as words, by field and kind of record.
  it('says a dossier status change (numbers) in words, as one pair', () => {
    const s = { code: '000.00.31.H56-260301-0001', from: 4, to: 5, due_at: null, new_due_at: null };
    expect(summaryText(s, { action: 'request_supplement', entity: 'dossier' }, vi)).toBe(
      'Trạng thái: Đang xử lý → Yêu cầu bổ sung giấy tờ, Mã: 000.00.31.H56-260301-0001, Hạn: –, Hạn mới: –',
    );
    expect(summaryText(s, { action: 'request_supplement', entity: 'dossier' }, en)).toBe(
      'Status: In progress → Documents requested, Code: 000.00.31.H56-260301-0001, Due: –, New due: –',
    );
    expect(summaryText({ channel: 2 }, { action: 'create', entity: 'dossier' }, en)).toBe('Channel: Online');
  });

  it('says the same code by its record: a status, a kind, a channel', () => {
    const of = (entity: string, action = 'create') => ({ action, entity });
    expect(summaryText({ status: ['not_started', 'in_progress'], progress: [0, 50] }, of('task', 'report'), vi)).toBe(
      'Trạng thái: Chưa bắt đầu → Đang thực hiện, Tiến độ (%): 0 → 50',
    );
    expect(summaryText({ status: ['open', 'done'] }, of('commitment', 'report'), en)).toBe('Status: Open → Done');
    expect(summaryText({ code: 'D1', from: 'received', to: 'accepted' }, of('petition', 'accept'), vi)).toBe('Trạng thái: Đã tiếp nhận → Đã thụ lý, Mã: D1');
    expect(summaryText({ kind: 'complaint', channel: 'desk' }, of('petition'), en)).toBe('Kind: Complaint, Channel: At the one-stop shop');
    expect(summaryText({ kind: 'adhoc', status: 'planned' }, of('reception_session'), vi)).toBe('Loại: Đột xuất, Trạng thái: Dự kiến');
    expect(summaryText({ kind: 'union' }, of('unit'), vi)).toBe('Loại: Đoàn thể');
    expect(summaryText({ kind: ['xa', 'phuong'] }, of('commune', 'update'), en)).toBe('Kind: Commune → Ward');
    expect(summaryText({ kind: 'working_day', level: 'commune' }, of('calendar_override'), vi)).toBe('Loại: Ngày làm việc (làm bù), Mức: Xã');
    expect(summaryText({ rating: [null, 'like'] }, of('petition', 'record_rating'), en)).toBe('Rating: – → Satisfied');
    expect(summaryText({ kind: 'live', scopes: 'read_aggregates,receive_webhooks' }, of('api_key'), vi)).toBe(
      'Loại: Chính thức (tt_live_), Quyền: Đọc số liệu tổng hợp, Nhận sự kiện (webhook)',
    );
    expect(summaryText({ events: ['petition.received', 'task.overdue'] }, of('webhook_subscription'), en)).toBe(
      'Events: Petition received, Task overdue',
    );
    expect(summaryText({ modes: { task_due: 'immediate', dossier_overdue: 'off' }, email_enabled: false }, of('notification_preferences', 'update'), vi)).toBe(
      'Cách nhận thông báo: Nhiệm vụ sắp đến hạn: Gửi ngay; Hồ sơ quá hạn: Tắt, Gửi thư điện tử: Không',
    );
    // As the server records it now: only what changed, each `[before, after]`.
    expect(summaryText({ modes: { task_due: ['digest', 'immediate'] }, email_enabled: [false, true] }, of('notification_preferences', 'update'), vi)).toBe(
      'Cách nhận thông báo: Nhiệm vụ sắp đến hạn: Bản tin hằng ngày → Gửi ngay, Gửi thư điện tử: Không → Có',
    );
    expect(summaryText({ reporting_cadence: [null, 'monthly'], periodicity: ['none', 'yearly'] }, of('task', 'update'), en)).toBe(
      'Reporting cadence: – → Monthly, Periodicity: Not periodic → Yearly',
    );
    expect(summaryText({ result_kind: ['paper', 'both'], online_level: { level: 'full', from: '2026-03-01' } }, of('procedure', 'update'), vi)).toBe(
      'Hình thức kết quả: Bản giấy → Bản giấy và bản điện tử, Mức độ trực tuyến: Toàn trình (trước đây mức độ 4) (01/03/2026)',
    );
    expect(summaryText({ kind: 'refusal', channel: 1 }, of('counter_record'), en)).toBe('Kind: Refusal to receive, Channel: In person');
    expect(summaryText({ factor: 'recovery_code' }, of('user', 'mfa_disable'), en)).toBe('Factor: Recovery code');
    expect(summaryText({ kind: 'meeting_minutes', files: 2 }, of('meeting', 'attach'), vi)).toBe('Loại: Biên bản giao ban, Tệp: 2');
    expect(summaryText({ due_from: ['period_end', 'period_start'] }, of('disclosure_item', 'update'), en)).toBe('Due counted from: End of the period → Start of the period');
  });

  it('writes a cut-off as a time, a fee as money and a share as percent', () => {
    expect(summaryText({ cutoff: [null, 900], fee_vnd: [0, 50000] }, 'update', vi)).toBe('Giờ chốt nhận trong ngày: – → 15:00, Lệ phí: 0 đ → 50.000 đ');
    expect(summaryText({ fee_vnd: 50000 }, 'create', en)).toBe('Fee: 50,000 đ');
    expect(summaryText({ year: 2026, online_share: 0.8, full_share: 0.625 }, { action: 'update', entity: 'onestop_target' }, vi)).toBe(
      'Năm: 2026, Tỷ lệ trực tuyến: 80%, Tỷ lệ toàn trình: 62,5%',
    );
    expect(summaryText({ board_target: [null, 0.9] }, { action: 'update', entity: 'survey' }, en)).toBe('Board target: – → 90%');
  });

  it('says lists of codes, as an array or as one comma-joined text, in words', () => {
    const of = { action: 'create', entity: 'disclosure' };
    expect(summaryText({ channels: 'office,village_meeting,loudspeaker' }, of, vi)).toBe('Kênh: Niêm yết tại trụ sở UBND, Hội nghị thôn, Loa truyền thanh');
    expect(summaryText({ channels: 'office,village_meeting,loudspeaker' }, of, en)).toBe('Channels: Posted at the commune office, Village meetings, Loudspeaker');
    expect(summaryText({ channels: ['link', 'paper'] }, { action: 'create', entity: 'survey' }, en)).toBe('Channels: Open link / kiosk, Paper form');
    // An update keeps them as text pairs.
    expect(summaryText({ channels: ['link', 'link,paper'] }, { action: 'update', entity: 'survey' }, vi)).toBe(
      'Kênh: Đường dẫn mở / ki-ốt → Đường dẫn mở / ki-ốt, Phiếu giấy',
    );
  });

  it('names units, people and plans by their ids, and falls back to #id', () => {
    const of = { action: 'create', entity: 'task' };
    expect(summaryText({ lead_unit_id: 3, supporting_unit_ids: [12, 13, 99] }, of, vi)).toBe('Đơn vị chủ trì: Hội Phụ nữ, Đơn vị phối hợp: Thôn 1, Thôn 2, #99');
    expect(summaryText({ lead_unit_id: 3, supporting_unit_ids: [12, 13, 99] }, of, en)).toBe('Lead unit: Hội Phụ nữ, Supporting units: Thôn 1, Thôn 2, #99');
    expect(summaryText({ handler_id: [null, 7] }, { action: 'assign', entity: 'petition' }, vi)).toBe('Người xử lý: – → chutich');
    expect(summaryText({ handler_id: [7, 8] }, { action: 'assign', entity: 'petition' }, en)).toBe('Handler: chutich → #8');
    // A plan by its number (an id is not the plan's "số"); other ids stay numbers, labelled.
    expect(summaryText({ plan_id: 2, title: 'Tuyên truyền' }, of, vi)).toBe('Kế hoạch số: 125/KH-UBND, Tiêu đề: Tuyên truyền');
    expect(summaryText({ from_plan_id: 1234 }, { action: 'rollover', entity: 'plan' }, vi)).toBe('Từ kế hoạch số: #1234');
    expect(summaryText({ criteria_set_id: 5 }, { action: 'create', entity: 'evaluation' }, en)).toMatch(/: 5$/);
  });

  it('shows {before, after} objects per field, only the fields that differ', () => {
    // A reception session: each field its own {before, after}.
    const session = {
      kind: { before: 'regular', after: 'adhoc' },
      status: 'planned',
      starts_at: { before: '2026-03-02T01:00:00', after: '2026-03-02T01:00:00' },
      ends_at: { before: null, after: null },
    };
    expect(summaryText(session, { action: 'update', entity: 'reception_session' }, vi)).toBe('Loại: Định kỳ → Đột xuất, Trạng thái: Dự kiến');
    expect(summaryText(session, { action: 'update', entity: 'reception_session' }, en)).toBe('Kind: Regular → Ad hoc, Status: Planned');
    // A reception visit: the whole record before and after.
    const visit = {
      before: { session_id: 4, group_size: 1, handling: 'guided', content: 'Hỏi đất' },
      after: { session_id: 4, group_size: 3, handling: 'answered', content: 'Hỏi đất' },
      citizen_names_changed: false,
    };
    expect(summaryText(visit, { action: 'update', entity: 'reception_visit' }, vi)).toBe(
      'Số người trong đoàn: 1 → 3, Hướng xử lý: Hướng dẫn → Trả lời trực tiếp, Đã sửa tên công dân: Không',
    );
    expect(summaryText(visit, { action: 'update', entity: 'reception_visit' }, en)).toBe(
      'Group size: 1 → 3, Handling: Guided → Answered on the spot, Citizen names changed: No',
    );
    // A calendar day changed: `before` holds what it was, the fields what it is.
    const day = { date: '2026-04-30', level: 'commune', kind: 'working_day', name: 'Làm bù', before: { kind: 'day_off', name: 'Làm bù' } };
    expect(summaryText(day, { action: 'update', entity: 'calendar_override' }, en)).toBe('Date: 30/04/2026, Level: Commune, Kind: A day off → A working day (swap)');
    // Working hours, and {from, to} (the commune's two-factor policy).
    const hours = { effective_from: '2026-05-01', before: { morning: ['07:30', '11:30'], afternoon: ['13:30', '17:00'] }, after: { morning: ['07:00', '11:30'], afternoon: ['13:30', '17:00'] } };
    expect(summaryText(hours, { action: 'update', entity: 'calendar_hours' }, vi)).toBe('Buổi sáng: 07:30–11:30 → 07:00–11:30, Áp dụng từ ngày: 01/05/2026');
    expect(summaryText({ morning: ['07:30', '11:30'] }, { action: 'update', entity: 'calendar_hours' }, en)).toBe('Morning: 07:30–11:30');
    expect(summaryText({ mfa_required: { from: false, to: true } }, { action: 'update', entity: 'commune_security' }, vi)).toBe('Bắt buộc xác thực hai lớp: Không → Có');
    // A deleted visit: what it was.
    expect(summaryText({ before: { group_size: 2, handling: 'guided' } }, { action: 'delete', entity: 'reception_visit' }, en)).toBe('Group size: 2, Handling: Guided');
  });

  it('counts nested data instead of dumping it, and never names its keys', () => {
    const tally = { survey_id: 3, forms: 12, counts: { q1: { '4': 6, '5': 6 }, channel: { '1': 12 } }, village_id: 12 };
    expect(summaryText(tally, { action: 'create', entity: 'survey_tally' }, vi)).toBe('Khảo sát số: 3, Mẫu phiếu: 12, Số lượng: 2 câu hỏi, Thôn: Thôn 1');
    expect(summaryText(tally, { action: 'create', entity: 'survey_tally' }, en)).toBe('Survey no.: 3, Forms: 12, Counts: 2 questions, Village: Thôn 1');
    const answers = [{ question: 'q1', value: 5 }, { question: 'q2', value: 'Tốt' }];
    expect(summaryText({ survey_id: 3, channel: 'paper', answers }, { action: 'enter', entity: 'survey_response' }, vi)).toBe(
      'Khảo sát số: 3, Kênh: Phiếu giấy, Câu trả lời: 2 câu trả lời',
    );
    expect(summaryText({ answers: [answers[0]] }, { action: 'enter', entity: 'survey_response' }, en)).toBe('Answers: 1 answer');
    // A corrected response: the answers before and after, counted; the same count reads "changed".
    expect(summaryText({ before: answers, after: [answers[0]] }, { action: 'correct', entity: 'survey_response' }, en)).toBe('Answers: 2 answers → 1 answer');
    expect(summaryText({ before: answers, after: [answers[1], answers[0]] }, { action: 'correct', entity: 'survey_response' }, vi)).toBe('Câu trả lời: đã sửa');
    // A corrected tally: its fields before → after, the counts counted.
    const corrected = { before: { forms: 12, counts: { q1: { '4': 12 } }, note: null }, after: { forms: 13, counts: { q1: { '4': 13 } }, note: null } };
    expect(summaryText(corrected, { action: 'correct', entity: 'survey_tally' }, vi)).toBe('Mẫu phiếu: 12 → 13, Số lượng: đã sửa');
    // Text the server marks as changed without recording it.
    expect(summaryText({ description: 'changed' }, 'update', en)).toBe('Description: changed');
  });

  // Rule 4: pairs are before → after wherever the server records them; lists stay lists.
  it('reads [before, after] in every action that records pairs, and keeps two-item lists as lists', () => {
    expect(summaryText({ status: ['pending', 'accepted'], answered_on: '2026-03-03' }, { action: 'respond', entity: 'recommendation' }, en)).toBe(
      'Status: Not answered → Accepted, Answered on: 03/03/2026',
    );
    expect(summaryText({ status: ['open', 'in_progress'] }, { action: 'report', entity: 'decision' }, vi)).toBe('Trạng thái: Chưa thực hiện → Đang thực hiện');
    expect(summaryText({ title: ['A', 'B'], version: [1, 2], new_version: true }, { action: 'update', entity: 'survey_form' }, en)).toBe(
      'Title: A → B, Version: 1 → 2, New version: Yes',
    );
    // A dialogue's villages before and after: each a list of names.
    expect(summaryText({ village_ids: [[12], [12, 13]] }, { action: 'update', entity: 'dialogue' }, vi)).toBe('Thôn: Thôn 1 → Thôn 1, Thôn 2');
    // Two villages, two channels, two titles: lists, never "12 → 13".
    expect(summaryText({ villages: [12, 13], warnings: 0 }, { action: 'update', entity: 'disclosure' }, en)).toBe('Villages: Thôn 1, Thôn 2, Warnings: 0');
    expect(summaryText({ units: [12, 13] }, { action: 'create', entity: 'activity' }, vi)).toBe('Đơn vị: Thôn 1, Thôn 2');
    expect(summaryText({ surveys: ['Quý I', 'Quý II'] }, { action: 'seed', entity: 'survey' }, en)).toBe('Surveys: Quý I, Quý II');
  });

  it('leaves out a pair whose two sides read the same', () => {
    const s = { due_date: ['2026-12-03', '2026-12-03'], active: [true, true], note: [null, null], title: ['A', 'B'] };
    expect(summaryText(s, 'update', vi)).toBe('Tiêu đề: A → B');
    expect(summaryText(s, 'update', en)).toBe('Title: A → B');
    expect(summaryText({ kind: { before: 'regular', after: 'regular' } }, { action: 'update', entity: 'reception_session' }, en)).toBe('');
  });

  // Rule 5: English counts are singular for one.
  it('says one item, two items', () => {
    expect(summaryText({ carried_over: [4] }, 'roll_over', en)).toBe('Carried over: 1 item');
    expect(summaryText({ carried_over: [4, 12] }, 'roll_over', en)).toBe('Carried over: 2 items');
    expect(summaryText({ carried_over: [[4, 5], [4]] }, 'update', en)).toBe('Carried over: 2 items → 1 item');
    expect(summaryText({ carried_over: [4, 12] }, 'roll_over', vi)).toBe('Nhiệm vụ chuyển tiếp: 2 mục');
    expect(summaryText({ judged: ['c1', 'c2', 'c3'], sections: true }, { action: 'update', entity: 'evaluation' }, vi)).toBe(
      'Tiêu chí đã chấm: 3 mục, Đã sửa phần báo cáo: Có',
    );
  });
});
