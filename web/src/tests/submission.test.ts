import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../lib/api/client';
import { errorMessage, fieldMessage } from '../lib/errors';
import { Submission } from '../lib/submission.svelte';
import { setLang } from '../i18n/index.svelte';
import { deferred } from './deferred';

describe('Submission', () => {
  beforeEach(() => setLang('vi'));

  it('ignores a second submit while the first is on its way', async () => {
    const s = new Submission();
    const d = deferred();
    let calls = 0;
    const first = s.run(() => {
      calls++;
      return d.promise;
    });
    expect(s.saving).toBe(true);
    const second = s.run(async () => {
      calls++;
    });
    await second;
    expect(calls).toBe(1);
    expect(s.saving).toBe(true);
    d.resolve();
    await first;
    expect(s.saving).toBe(false);
    // Once settled, the next submit runs.
    await s.run(async () => {
      calls++;
    });
    expect(calls).toBe(2);
  });

  it('keeps what the work throws as the error, for the error helpers to word', async () => {
    const s = new Submission();
    const thrown = new ApiError({
      status: 422,
      code: 'validation_failed',
      errors: [{ field: 'title', code: 'required', message: '' }],
    });
    await s.run(async () => {
      throw thrown;
    });
    expect(s.error).toBe(thrown);
    expect(errorMessage(s.error)).toBe(errorMessage(thrown));
    expect(errorMessage(s.error)).not.toBe('');
    expect(fieldMessage(s.error, 'title')).toBe(fieldMessage(thrown, 'title'));
    expect(fieldMessage(s.error, 'title')).not.toBe('');
    expect(s.saving).toBe(false);
  });

  it('clears the last error when a run starts, and leaves it null after a success', async () => {
    const s = new Submission();
    s.error = new ApiError({ status: 409, code: 'conflict' });
    const d = deferred();
    const run = s.run(() => d.promise);
    expect(s.error).toBeNull();
    d.resolve();
    await run;
    expect(s.error).toBeNull();
    expect(s.saving).toBe(false);
  });

  it('brings saving back down after a failure, so the form can be sent again', async () => {
    const s = new Submission();
    const d = deferred();
    const run = s.run(() => d.promise);
    expect(s.saving).toBe(true);
    d.reject(new ApiError({ status: 0, code: 'network' }));
    await run;
    expect(s.saving).toBe(false);
    expect(errorMessage(s.error)).toBe(errorMessage(new ApiError({ status: 0, code: 'network' })));
    let ran = false;
    await s.run(() => {
      ran = true;
    });
    expect(ran).toBe(true);
    expect(s.error).toBeNull();
  });
});
