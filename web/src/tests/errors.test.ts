import { describe, expect, it, beforeEach } from 'vitest';
import { ApiError, ERROR_CODES, codeForStatus, parseError } from '../lib/api/client';
import { errorMessage, fieldMessage, otherFieldMessages, hasFieldErrors, refusedHere } from '../lib/errors';
import { setLang } from '../i18n/index.svelte';
import { vi as viDict } from '../i18n/all';
import { en } from '../i18n/all';

const err = (code: string, extra: Partial<ConstructorParameters<typeof ApiError>[0]> = {}) =>
  new ApiError({ status: 400, code, ...extra });

describe('error code → sentence', () => {
  beforeEach(() => setLang('vi'));

  it('has a Vietnamese and an English sentence for every documented code', () => {
    for (const code of ERROR_CODES) {
      const key = `error.${code}` as keyof typeof viDict;
      expect(viDict[key], code).toBeTruthy();
      expect(en[key], code).toBeTruthy();
      const msg = errorMessage(err(code, { retryAfter: 5 }));
      expect(msg, code).not.toContain(code);
      expect(msg).not.toBe(viDict['error.unknown']);
    }
  });

  it("says, in Vietnamese, the server's sentence for a refusal without words of its own", () => {
    const fresh = err('brand_new_rule', { status: 409, detail: 'Quy tắc mới: không làm được.' });
    expect(errorMessage(fresh)).toBe('Quy tắc mới: không làm được.');
    setLang('en');
    expect(errorMessage(fresh)).toBe(en['error.unknown'].replace('{code}', 'brand_new_rule'));
  });

  it('maps specific codes to the right sentence', () => {
    expect(errorMessage(err('invalid_credentials'))).toBe('Tên đăng nhập hoặc mật khẩu không đúng.');
    expect(errorMessage(err('forbidden'))).toBe('Bạn không có quyền thực hiện thao tác này.');
    setLang('en');
    expect(errorMessage(err('invalid_credentials'))).toBe('Wrong username or password.');
  });

  it('says how long to wait when rate limited', () => {
    expect(errorMessage(err('rate_limited', { status: 429, retryAfter: 30 }))).toBe(
      'Bạn thao tác quá nhiều lần. Vui lòng thử lại sau 30 giây.',
    );
    expect(errorMessage(err('rate_limited', { status: 429 }))).toBe(viDict['error.rate_limited_soon']);
    // The server's login lockout answers Retry-After in the hundreds of seconds: say minutes.
    expect(errorMessage(err('rate_limited', { status: 429, retryAfter: 893 }))).toBe(
      'Bạn thao tác quá nhiều lần. Vui lòng thử lại sau khoảng 15 phút.',
    );
  });

  it('falls back to a generic sentence that names an unknown code', () => {
    expect(errorMessage(err('teapot_overflow'))).toBe('Đã có lỗi xảy ra (mã lỗi: teapot_overflow).');
    expect(errorMessage(new TypeError('x'))).toBe('Đã có lỗi xảy ra (mã lỗi: TypeError).');
  });

  it('explains network failures', () => {
    expect(errorMessage(new ApiError({ status: 0, code: 'network' }))).toBe(viDict['error.network']);
  });
});

describe('field errors', () => {
  beforeEach(() => setLang('vi'));
  const e = err('validation_failed', {
    status: 422,
    errors: [
      { field: 'username', code: 'already_exists', message: 'taken' },
      { field: 'password', code: 'too_short', message: 'short' },
      { field: 'phone', code: 'brand_new_code', message: '?' },
      { field: 'secret', code: 'required', message: '?' },
    ],
  });

  it('maps each field code to a sentence shown beside its field', () => {
    expect(fieldMessage(e, 'username')).toBe('Tên đăng nhập này đã có người dùng.');
    expect(fieldMessage(e, 'password')).toBe('Mật khẩu cần ít nhất 10 ký tự.');
    // A code without a sentence of its own for the field: in Vietnamese, the server's words for it.
    expect(fieldMessage(e, 'phone')).toBe('?');
    expect(fieldMessage(e, 'full_name')).toBe('');
    expect(fieldMessage(new Error('x'), 'username')).toBe('');
    expect(hasFieldErrors(e)).toBe(true);
    expect(hasFieldErrors(err('conflict'))).toBe(false);
  });

  it('refuses on the page as the server would: a field is required, a pair names its code', () => {
    const here = refusedHere(['title', ['weight', 'invalid_format']]);
    expect(here.status).toBe(422);
    expect(here.errors.map((x) => [x.field, x.code])).toEqual([['title', 'required'], ['weight', 'invalid_format']]);
    expect(fieldMessage(here, 'title')).toBe(viDict['field.required']);
  });

  it('lists errors for fields the form does not show', () => {
    expect(otherFieldMessages(e, ['username', 'password', 'phone'])).toEqual(['secret: ?']);
  });

  it("prefers, in Vietnamese, the server's sentence for a field to the general one for its code", () => {
    const said = err('validation_failed', {
      status: 422,
      errors: [
        { field: 'due_date', code: 'invalid_value', message: 'Hạn hoàn thành không được trước ngày bắt đầu.' },
        { field: 'progress', code: 'invalid_value', message: '' },
        { field: 'brand_new', code: 'brand_new_code', message: '' },
      ],
    });
    expect(fieldMessage(said, 'due_date')).toBe('Hạn hoàn thành không được trước ngày bắt đầu.');
    expect(fieldMessage(said, 'progress')).toBe(viDict['field.invalid_value']);
    expect(fieldMessage(said, 'brand_new')).toBe(viDict['field.unknown']);
    setLang('en');
    expect(fieldMessage(said, 'due_date')).toBe('Invalid value.');
    expect(fieldMessage(e, 'phone')).toBe('Invalid value.');
    setLang('vi');
  });

  it('falls back from a field-specific sentence to the general one for the code', () => {
    const dup = err('validation_failed', { status: 422, errors: [{ field: 'code', code: 'already_exists', message: '' }, { field: 'x', code: 'too_short', message: '' }] });
    expect(fieldMessage(dup, 'code')).toBe('Giá trị này đã được dùng.');
    expect(fieldMessage(dup, 'x')).toBe('Giá trị quá ngắn.');
    setLang('en');
    expect(fieldMessage(dup, 'code')).toBe('This value is already taken.');
  });
});

describe("a page's own field sentences (scope)", () => {
  beforeEach(() => setLang('vi'));
  const e = err('validation_failed', {
    status: 422,
    errors: [
      { field: 'criteria[3].points', code: 'invalid_value', message: 'Điểm lớn hơn 0 và không quá 1000.' },
      { field: 'year', code: 'invalid_value', message: 'Năm từ 1900 đến 2100.' },
      { field: 'criteria[3].name', code: 'brand_new_code', message: 'Mới.' },
    ],
  });

  it('tries `<scope>.<code>.<field>` first, any index written [], in both languages', () => {
    expect(fieldMessage(e, 'criteria[3].points', 'criteria.field')).toBe(viDict['criteria.field.invalid_value.criteria[].points']);
    setLang('en');
    expect(fieldMessage(e, 'criteria[3].points', 'criteria.field')).toBe(en['criteria.field.invalid_value.criteria[].points']);
    expect(otherFieldMessages(e, ['year', 'criteria[3].name'], 'criteria.field')).toEqual([
      `criteria[3].points: ${en['criteria.field.invalid_value.criteria[].points']}`,
    ]);
  });

  it('leaves other pages alone: without the scope a field keeps its general sentence', () => {
    // Another page's `year` (a dialogue's, 1900–2100) is not the criteria set's 2000–2100.
    expect(fieldMessage(e, 'year')).toBe('Năm từ 1900 đến 2100.');
    setLang('en');
    expect(fieldMessage(e, 'year')).toBe(en['field.invalid_value']);
    // A code the scope has no sentence for falls back as before.
    expect(fieldMessage(e, 'criteria[3].name', 'criteria.field')).toBe(en['field.unknown']);
  });
});

describe('parseError', () => {
  it('reads problem+json', async () => {
    const res = new Response(
      JSON.stringify({ type: 'about:blank', title: 'Unprocessable', status: 422, detail: 'bad', code: 'validation_failed', errors: [{ field: 'name', code: 'required', message: 'required' }] }),
      { status: 422, headers: { 'content-type': 'application/problem+json' } },
    );
    const e = await parseError(res);
    expect(e.code).toBe('validation_failed');
    expect(e.status).toBe(422);
    expect(e.detail).toBe('bad');
    expect(e.fieldError('name')?.code).toBe('required');
  });

  it('reads Retry-After and falls back to the status when the body is not JSON', async () => {
    const e = await parseError(new Response('<html>busy</html>', { status: 429, headers: { 'retry-after': '12', 'content-type': 'text/html' } }));
    expect(e.code).toBe('rate_limited');
    expect(e.retryAfter).toBe(12);
    expect(codeForStatus(502)).toBe('service_unavailable');
    expect(codeForStatus(507)).toBe('storage_full');
    expect(codeForStatus(408)).toBe('request_timeout');
    expect(codeForStatus(500)).toBe('internal_error');
    expect(codeForStatus(418)).toBe('http_418');
  });
});
