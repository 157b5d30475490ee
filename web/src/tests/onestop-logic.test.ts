import { describe, expect, it } from 'vitest';
import {
  EMPTY_SEARCH,
  apologyOffered,
  dossierQuery,
  intakeBody,
  isDueSoon,
  isOverdue,
  legalActions,
  normalizeSearch,
  previewBody,
  procedureMatches,
} from '../features/onestop/logic';
import { appointmentPhrase, formatFee, localInputToRfc3339 } from '../features/onestop/format';
import { localDay, nextDay } from '../lib/days';

describe('legal actions per status', () => {
  it('offers intake-stage actions on a received dossier: no supplement request (processing only), no refusal (not received only)', () => {
    expect(legalActions(2)).toEqual(['start_processing', 'request_payment', 'withdraw', 'stop', 'resolve']);
  });

  it('offers only refusal or withdrawal on a dossier not yet received', () => {
    expect(legalActions(1)).toEqual(['refuse', 'withdraw']);
  });

  it('no longer offers refusal once processing started', () => {
    expect(legalActions(4)).toEqual(['request_supplement', 'request_payment', 'withdraw', 'stop', 'resolve']);
  });

  it('offers only resuming (or ending) while the clock is paused', () => {
    expect(legalActions(5)).toEqual(['receive_supplement', 'withdraw', 'stop']);
    expect(legalActions(6)).toEqual(['confirm_payment', 'withdraw', 'stop']);
  });

  it('lets a resolved dossier only be returned', () => {
    expect(legalActions(9)).toEqual(['return_result']);
  });

  it('offers nothing on closed dossiers or unknown codes', () => {
    for (const s of [3, 7, 8, 10, 0, 11, 99]) expect(legalActions(s, { needsApology: true }), String(s)).toEqual([]);
  });

  it('adds the apology (form 04) only to an open dossier that needs one, and never holds back resolving', () => {
    expect(legalActions(4, { needsApology: true })).toEqual(['request_supplement', 'request_payment', 'withdraw', 'stop', 'resolve', 'apologize_and_extend']);
    expect(legalActions(5, { needsApology: true })).toContain('apologize_and_extend');
    expect(legalActions(4, { needsApology: false })).not.toContain('apologize_and_extend');
    expect(legalActions(9, { needsApology: true })).toEqual(['return_result']);
  });

  it('defers to the server list when the dossier carries one, in our order', () => {
    expect(legalActions(4, { serverAllowed: ['resolve', 'request_supplement', 'bogus'] })).toEqual(['request_supplement', 'resolve']);
    expect(legalActions(4, { serverAllowed: [] })).toEqual([]);
    // The server allows an apology on any open dossier; the screen waits until it is late.
    expect(legalActions(4, { serverAllowed: ['resolve', 'apologize_and_extend'] })).toEqual(['resolve']);
    expect(legalActions(4, { serverAllowed: ['resolve', 'apologize_and_extend'], needsApology: true })).toEqual(['resolve', 'apologize_and_extend']);
    // After the one extension the server no longer lists it: nothing to offer even if still due.
    expect(legalActions(4, { serverAllowed: ['resolve'], needsApology: true })).toEqual(['resolve']);
  });
});

describe('overdue and due soon', () => {
  const now = new Date('2026-11-26T10:00:00+07:00');
  it('is overdue when an open dossier is past its due time', () => {
    expect(isOverdue({ status: 4, due_at: '2026-11-26T09:59:00+07:00' }, now)).toBe(true);
    expect(isOverdue({ status: 4, due_at: '2026-11-26T10:01:00+07:00' }, now)).toBe(false);
  });
  it('is never overdue once finished, resolved or paused', () => {
    for (const s of [3, 5, 6, 7, 8, 9, 10]) expect(isOverdue({ status: s, due_at: '2026-11-20T09:00:00+07:00' }, now), String(s)).toBe(false);
  });
  it('is due soon within a day, not when overdue', () => {
    expect(isDueSoon({ status: 2, due_at: '2026-11-27T09:00:00+07:00' }, now)).toBe(true);
    expect(isDueSoon({ status: 2, due_at: '2026-11-28T11:00:00+07:00' }, now)).toBe(false);
    expect(isDueSoon({ status: 2, due_at: '2026-11-26T09:00:00+07:00' }, now)).toBe(false);
  });
});

describe('search query building', () => {
  it('turns a phone typed with separators into its digits', () => {
    expect(normalizeSearch(' 0912 345.678 ')).toBe('0912345678');
    expect(normalizeSearch('+84 912 345 678')).toBe('0912345678');
    expect(normalizeSearch('5678')).toBe('5678');
  });

  it('upper-cases a dossier code and keeps names as typed', () => {
    expect(normalizeSearch('ubnd-261126-0001')).toBe('UBND-261126-0001');
    expect(normalizeSearch('  nguyễn   văn an ')).toBe('nguyễn văn an');
    expect(normalizeSearch('nguyen van an')).toBe('nguyen van an');
    expect(normalizeSearch('   ')).toBe('');
  });

  it("asks the server for the day's queue and the due-soon and overdue views", () => {
    expect(dossierQuery({ ...EMPTY_SEARCH })).toEqual({ page: 1, per_page: 50, view: 'today' });
    expect(dossierQuery({ ...EMPTY_SEARCH, view: 'overdue', page: 3 })).toEqual({ page: 3, per_page: 50, view: 'overdue' });
    expect(dossierQuery({ ...EMPTY_SEARCH, view: 'due_soon' }).view).toBe('due_soon');
    expect(dossierQuery({ ...EMPTY_SEARCH, view: 'all' })).toEqual({ page: 1, per_page: 50 });
  });

  it('searches every day when text is typed, with filters and local-day bounds', () => {
    const q = dossierQuery({
      ...EMPTY_SEARCH,
      q: '0912 345 678',
      status: 5,
      channel: 2,
      procedure_id: 7,
      timeliness: 'late',
      from: '2026-11-01',
      to: '2026-11-30',
    });
    expect(q).toEqual({
      page: 1,
      per_page: 50,
      q: '0912345678',
      status: 5,
      channel: 2,
      procedure_id: 7,
      timeliness: 'late',
      received_from: '2026-11-01',
      received_to: '2026-11-30',
    });
  });

  it('keeps the overdue view while searching in it', () => {
    expect(dossierQuery({ ...EMPTY_SEARCH, view: 'overdue', q: 'lan' })).toEqual({ page: 1, per_page: 50, q: 'lan', view: 'overdue' });
  });
});

describe('intake form shaping', () => {
  const form = {
    procedure_id: 4,
    channel: 1,
    name: '  Nguyễn   Thị  Lan ',
    phone: '0912 345 678',
    id_number: '001 190 012345',
    address: ' Thôn 3,  xã Bình Lương ',
    received_at: '',
    paid_online: false,
    digitised: true,
  };

  it('builds the POST /dossiers body with cleaned fields and no time when receiving now', () => {
    expect(intakeBody(form)).toEqual({
      procedure_id: 4,
      channel: 1,
      applicant: { name: 'Nguyễn Thị Lan', phone: '0912345678', id_number: '001190012345', address: 'Thôn 3, xã Bình Lương' },
      paid_online: false,
      digitised: true,
    });
  });

  it('keeps what is not a separator, so a wrong number is said to be wrong, not missing', () => {
    const body = intakeBody({ ...form, phone: 'abc', id_number: '(001) 190.012-345' });
    expect(body?.applicant.phone).toBe('abc');
    expect(body?.applicant.id_number).toBe('001190012345');
  });

  it('sends a back-dated receipt in commune time', () => {
    expect(intakeBody({ ...form, received_at: '2026-11-23T16:45' })?.received_at).toBe('2026-11-23T16:45:00+07:00');
    expect(previewBody({ procedure_id: 4, received_at: '2026-11-23T16:45' })).toEqual({ procedure_id: 4, received_at: '2026-11-23T16:45:00+07:00' });
  });

  it('refuses to build a body without a procedure', () => {
    expect(intakeBody({ ...form, procedure_id: null })).toBeNull();
    expect(previewBody({ procedure_id: null, received_at: '' })).toBeNull();
  });

  it('normalises decomposed Vietnamese to NFC', () => {
    const decomposed = 'Nguyễn'.normalize('NFD');
    expect(intakeBody({ ...form, name: decomposed })?.applicant.name).toBe('Nguyễn');
  });

  it('filters procedures ignoring diacritics', () => {
    const p = { code: '1.001193', name: 'Đăng ký khai sinh', field: 'Hộ tịch' };
    expect(procedureMatches(p, 'dang ky khai sinh')).toBe(true);
    expect(procedureMatches(p, '1.001193')).toBe(true);
    expect(procedureMatches(p, 'ho tich')).toBe(true);
    expect(procedureMatches(p, 'khai tu')).toBe(false);
  });
});

describe('commune-time formatting', () => {
  it('shows times and days in Asia/Ho_Chi_Minh whatever the offset given', () => {
    expect(localDay('2026-11-26T18:30:00Z')).toBe('2026-11-27');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });

  it('writes the appointment phrase of the papers', () => {
    expect(appointmentPhrase('2026-11-05T02:30:00Z')).toBe('09 giờ 30 phút, ngày 05/11/2026');
    expect(appointmentPhrase(null)).toBe('');
  });

  it('reads datetime-local values as commune time in RFC 3339', () => {
    expect(localInputToRfc3339('2026-11-26T07:00')).toBe('2026-11-26T07:00:00+07:00');
    expect(localInputToRfc3339('')).toBe('');
    expect(localInputToRfc3339('26/11/2026')).toBe('');
  });

  it('groups fees the Vietnamese way', () => {
    expect(formatFee(50000, 'Miễn phí')).toBe('50.000 đ');
    expect(formatFee(1250000, 'Miễn phí')).toBe('1.250.000 đ');
    expect(formatFee(0, 'Miễn phí')).toBe('Miễn phí');
    expect(formatFee(null, 'Miễn phí')).toBe('Miễn phí');
    expect(formatFee(1250000, 'Free', 'en')).toBe('1,250,000 VND');
    expect(formatFee(0, 'Free', 'en')).toBe('Free');
  });
});

describe('apologyOffered', () => {
  const flags = { needs_apology: false, paused: false, extended: false };
  it('offers form 04 when it is due', () => {
    expect(apologyOffered({ flags: { ...flags, needs_apology: true }, apology_by: '2026-11-03T09:00:00+07:00', deadline_at: '2026-11-04T09:00:00+07:00' })).toBe(true);
    expect(apologyOffered({ flags, apology_by: '2026-11-03T09:00:00+07:00', deadline_at: '2026-11-04T09:00:00+07:00' })).toBe(false);
  });
  it('offers it before the deadline of a dossier given a day or less, while its clock runs and none was made', () => {
    const short = { apology_by: '2026-11-02T17:00:00+07:00', deadline_at: '2026-11-02T10:00:00Z' };
    expect(apologyOffered({ flags, ...short })).toBe(true);
    expect(apologyOffered({ flags: { ...flags, paused: true }, ...short })).toBe(false);
    expect(apologyOffered({ flags: { ...flags, extended: true }, ...short })).toBe(false);
    expect(apologyOffered({ flags: null, ...short })).toBe(false);
  });
});
