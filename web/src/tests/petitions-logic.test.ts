import { describe, expect, it } from 'vitest';
import {
  actionBody,
  actionFields,
  documentsFor,
  eventNote,
  filterSearch,
  localToRfc3339,
  missingField,
  petitionProblems,
  phoneWritten,
  rfc3339ToLocal,
  shiftDay,
  todayLocal,
  weekState,
} from '../features/petitions/logic';
import { navFor } from '../lib/nav';
import { matchRoute } from '../lib/router/match';
import { routes } from '../routes';

describe('petition action dialogs', () => {
  it('asks each action for what the server needs', () => {
    expect(actionFields('refuse')).toEqual([{ field: 'reason', required: true }]);
    // A petition accepted on paper earlier is entered with that day (empty: today).
    expect(actionFields('accept')).toContainEqual({ field: 'decision_date', required: false });
    expect(actionFields('extend').filter((f) => f.required).map((f) => f.field)).toEqual(['decision_date', 'days', 'document_ref']);
    expect(actionFields('conclude').map((f) => f.field)).toEqual(['outcome', 'conclusion', 'document_ref']);
    expect(actionFields('close')).toEqual([{ field: 'note', required: false }]);
  });

  it('names the first required field left empty (blank counts as empty)', () => {
    expect(missingField('refuse', {})).toBe('reason');
    expect(missingField('refuse', { reason: '   ' })).toBe('reason');
    expect(missingField('refuse', { reason: 'Không thuộc thẩm quyền' })).toBeNull();
    expect(missingField('conclude', { outcome: 'upheld', conclusion: 'x' })).toBe('document_ref');
    expect(missingField('accept', {})).toBeNull();
  });

  it('builds the body: numbers as numbers, trimmed text, empty optional fields left out', () => {
    expect(actionBody('assign', { handler_id: '12', note: '' })).toEqual({ action: 'assign', handler_id: 12 });
    expect(actionBody('extend', { decision_date: '2026-12-01', days: '30', document_ref: ' QĐ 5 ' })).toEqual({
      action: 'extend',
      decision_date: '2026-12-01',
      days: 30,
      document_ref: 'QĐ 5',
    });
    expect(actionBody('publish', { answer: 'Đã sửa', public: false })).toEqual({ action: 'publish', answer: 'Đã sửa', public: false });
    expect(actionBody('accept', { complexity: '2' })).toEqual({ action: 'accept', complexity: 2 });
  });

  it('offers the printed documents of the steps taken', () => {
    expect(documentsFor([{ action: 'receive' }])).toEqual([]);
    expect(documentsFor([{ action: 'receive' }, { action: 'accept' }, { action: 'extend' }])).toEqual(['acceptance', 'extension']);
    expect(documentsFor([{ action: 'refuse' }, { action: 'forward' }])).toEqual(['refusal', 'forwarding']);
  });
});

describe('compliance weeks and dates', () => {
  const week = { week_start: '2026-06-01', held: true, delegated: false, unlawful_delegation: false, adhoc_sessions: 0, visits: 0 };
  it('reads a week as held, delegated, unlawfully delegated or missed', () => {
    expect(weekState(week)).toBe('held');
    expect(weekState({ ...week, delegated: true })).toBe('delegated');
    expect(weekState({ ...week, delegated: true, unlawful_delegation: true })).toBe('unlawful');
    expect(weekState({ ...week, held: false, delegated: true })).toBe('missed');
  });

  it('counts days in the commune (UTC+7)', () => {
    expect(shiftDay('2026-12-31', 1)).toBe('2027-01-01');
    expect(shiftDay('2026-03-01', -1)).toBe('2026-02-28');
    expect(todayLocal(new Date('2026-12-02T17:30:00Z'))).toBe('2026-12-03');
    expect(todayLocal(new Date('2026-12-02T16:59:00Z'))).toBe('2026-12-02');
    expect(localToRfc3339('2026-12-03T07:30')).toBe('2026-12-03T07:30:00+07:00');
  });
});

describe('petition pages and links', () => {
  it('routes the fixed paths before a petition id', () => {
    expect(matchRoute(routes, '/petitions/new')?.route.path).toBe('/petitions/new');
    expect(matchRoute(routes, '/petitions/register')?.route.path).toBe('/petitions/register');
    expect(matchRoute(routes, '/petitions/7')?.params).toEqual({ id: '7' });
    expect(matchRoute(routes, '/petitions/7/print/acceptance')?.params).toEqual({ id: '7', doc: 'acceptance' });
    expect(matchRoute(routes, '/reception/sessions/3')?.params).toEqual({ id: '3' });
    expect(matchRoute(routes, '/reception/visits')?.route.path).toBe('/reception/visits');
    // A notification's link (`/petitions/{id}`) opens the petition page.
    expect(matchRoute(routes, '/petitions/42')?.route.path).toBe('/petitions/:id');
  });

  it("keeps the list's filters in the address, leaving out the empty ones and the first page", () => {
    expect(filterSearch({ view: 'overdue', kind: '', status: undefined, q: '  ', page: 1 })).toBe('?view=overdue');
    expect(filterSearch({ view: '', kind: 'complaint', q: ' cầu treo ', page: 3 })).toBe('?kind=complaint&q=c%E1%BA%A7u+treo&page=3');
    expect(filterSearch({ view: '', q: '' })).toBe('');
    const back = new URLSearchParams(filterSearch({ view: 'mine', q: 'Pù Quăn' }));
    expect([back.get('view'), back.get('q')]).toEqual(['mine', 'Pù Quăn']);
  });

  it('puts a visit time back in a datetime-local field in commune time', () => {
    expect(rfc3339ToLocal('2027-02-03T10:15:00+07:00')).toBe('2027-02-03T10:15');
    expect(rfc3339ToLocal('2027-02-03T20:30:00Z')).toBe('2027-02-04T03:30');
    expect(localToRfc3339(rfc3339ToLocal('2026-12-31T23:59:00+07:00'))).toBe('2026-12-31T23:59:00+07:00');
  });

  it('shows the petition list to those who handle petitions, the filing page to village heads', () => {
    const board = navFor(['process_petitions', 'submit_petitions', 'handle_reception']).map((l) => l.href);
    expect(board).toEqual(expect.arrayContaining(['/petitions', '/reception', '/petitions/new']));
    const village = navFor(['submit_petitions', 'handle_reception'], 'village').map((l) => l.href);
    expect(village).toContain('/petitions/new');
    expect(village).not.toContain('/petitions');
  });
});

describe('citizen petition texts', () => {
  it('has every text in both languages', async () => {
    const { petitionTexts } = await import('../features/public/petitionText');
    expect(Object.keys(petitionTexts.en).sort()).toEqual(Object.keys(petitionTexts.vi).sort());
    for (const v of Object.values(petitionTexts.en)) expect(v.length).toBeGreaterThan(0);
  });
});

describe('the current week', () => {
  it('is not a gap until it is over', () => {
    const w = { week_start: '2026-11-30', held: false, delegated: false, unlawful_delegation: false, adhoc_sessions: 0, visits: 0 };
    expect(weekState(w, '2026-12-02')).toBe('pending');
    expect(weekState(w, '2026-12-06')).toBe('pending');
    expect(weekState(w, '2026-12-07')).toBe('missed');
    expect(weekState({ ...w, held: true }, '2026-12-02')).toBe('held');
  });
});

describe('petition history', () => {
  const words = {
    assignedTo: (n: string) => `Giao cho: ${n}`,
    forwardedTo: (to: string) => `Chuyển đến: ${to}`,
    rating: (c: string) => ({ like: 'Hài lòng', dislike: 'Không hài lòng' })[c] ?? c,
  };
  it('says the data a line keeps in the reader’s words', () => {
    expect(eventNote('assign', 'Lê Văn Bình', words)).toBe('Giao cho: Lê Văn Bình');
    expect(eventNote('forward', 'Thanh tra huyện', words)).toBe('Chuyển đến: Thanh tra huyện');
    expect(eventNote('record_rating', 'like', words)).toBe('Hài lòng');
    expect(eventNote('record_rating', 'dislike → like', words)).toBe('Không hài lòng → Hài lòng');
    expect(eventNote('request_info', 'Bổ sung bản sao sổ đỏ.', words)).toBe('Bổ sung bản sao sổ đỏ.');
    expect(eventNote('assign', null, words)).toBe('');
  });
});

describe('what the server would refuse in a petition received by hand', () => {
  it('takes a phone as the server does: 8–15 digits, spaces and + . - ( ) between them', () => {
    for (const ok of ['', '  ', '0912 000 777', '+84 (912) 000.777', '0912-000-777', '12345678', '123456789012345']) {
      expect(phoneWritten(ok), ok).toBe(true);
    }
    for (const bad of ['1234567', '1234567890123456', '0912 000 77x', '0912/000/777', '09１2000777', '+84 (912) 000.777 ext 2']) {
      expect(phoneWritten(bad), bad).toBe(false);
    }
  });

  it('names the fields by the names the server gives them', () => {
    const fine = { subject: 'Đường hỏng', content: 'Đường liên thôn hỏng nặng.', name: 'Lò Văn A', phone: '0912 000 777' };
    expect(petitionProblems({ ...fine, denunciation: false })).toEqual([]);
    expect(petitionProblems({ ...fine, phone: '0912', denunciation: false })).toEqual([['phone', 'invalid_format']]);
    expect(petitionProblems({ ...fine, phone: '0912', denunciation: true })).toEqual([['identity.phone', 'invalid_format']]);
    expect(petitionProblems({ subject: 'Đg', content: 'ab', name: 'A', phone: '', denunciation: false })).toEqual([
      ['subject', 'too_short'],
      ['content', 'too_short'],
      ['petitioner_name', 'too_short'],
    ]);
    expect(petitionProblems({ ...fine, phone: `0912${' '.repeat(30)}000777`, denunciation: true })).toEqual([['identity.phone', 'too_long']]);
  });
});
