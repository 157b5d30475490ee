import { describe, expect, it } from 'vitest';
import {
  captureDetail,
  choices,
  fromAnswers,
  isPicked,
  keyedChoices,
  keyValue,
  missingRequired,
  newQuestion,
  nextOptionId,
  tallyCounts,
  tallyProblems,
  tallyDiff,
  tallySums,
  toAnswers,
  withKind,
} from '../features/surveys/entry';
import { todayLocal } from '../features/surveys/display';
import { mean, percent, type Question } from '../features/surveys/api';

const likert: Question = { id: 'overall', kind: 'likert5', text: 'Chung', required: true };
const single: Question = { id: 'gender', kind: 'single', text: 'Giới tính', required: false, options: [{ id: 'female', text: 'Nữ' }, { id: 'male', text: 'Nam' }] };
const multi: Question = { id: 'ch', kind: 'multi', text: 'Kênh', required: false, options: [{ id: 'a', text: 'Loa' }, { id: 'b', text: 'Họp' }, { id: 'c', text: 'Zalo' }] };
const text: Question = { id: 'note', kind: 'text', text: 'Góp ý', required: false };

describe('keyboard entry', () => {
  it('a digit answers a five-point question and moves on; 6–9 are not levels', () => {
    expect(keyValue(likert, null, '4')).toEqual({ value: 4, next: true });
    expect(keyValue(likert, 4, '1')).toEqual({ value: 1, next: true });
    expect(keyValue(likert, null, '6')).toBeNull();
    expect(keyValue(likert, 3, '0')).toEqual({ value: null, next: false });
    expect(keyValue(likert, null, 'a')).toBeNull();
  });
  it('a digit picks the option of that number; several choices toggle and stay', () => {
    expect(keyValue(single, null, '2')).toEqual({ value: 'male', next: true });
    expect(keyValue(single, null, '3')).toBeNull();
    const one = keyValue(multi, null, '3');
    expect(one).toEqual({ value: ['c'], next: false });
    expect(keyValue(multi, ['c'], '1')?.value).toEqual(['c', 'a']);
    expect(keyValue(multi, ['c', 'a'], '3')?.value).toEqual(['a']);
    expect(keyValue(text, null, '3')).toBeNull();
  });
  it('each choice shows the digit that picks it, and whether it is picked', () => {
    expect(keyedChoices(likert).map((c) => c.key)).toEqual([1, 2, 3, 4, 5]);
    expect(keyedChoices(likert, true).map((c) => c.id)).toEqual(['5', '4', '3', '2', '1']);
    expect(keyedChoices(single)).toEqual([
      { key: 1, id: 'female', text: 'Nữ' },
      { key: 2, id: 'male', text: 'Nam' },
    ]);
    for (const c of keyedChoices(multi)) expect(keyValue(multi, null, String(c.key))?.value).toEqual([c.id]);
    expect(isPicked(likert, 4, '4')).toBe(true);
    expect(isPicked(likert, null, '4')).toBe(false);
    expect(isPicked(single, 'male', 'male')).toBe(true);
    expect(isPicked(multi, ['a', 'c'], 'c')).toBe(true);
    expect(isPicked(multi, ['a'], 'b')).toBe(false);
  });
  it('answers keep the form order, skip blanks, trim text; required ones are checked', () => {
    const qs = [likert, single, multi, text];
    const values = { note: '  tốt  ', ch: [], overall: 5, gender: null };
    expect(toAnswers(qs, values)).toEqual([
      { question_id: 'overall', value: 5 },
      { question_id: 'note', value: 'tốt' },
    ]);
    expect(toAnswers(qs, { note: '   ' })).toEqual([]);
    expect(missingRequired(qs, { gender: 'male' })).toEqual(['overall']);
    expect(missingRequired(qs, { overall: 3 })).toEqual([]);
    expect(fromAnswers([{ question_id: 'ch', value: ['a'] as never }])).toEqual({ ch: ['a'] });
  });
});

describe('tallies add up', () => {
  const qs = [likert, single, multi, text];
  it('counts a one-answer question against the forms and reports the blanks', () => {
    const counts = { overall: { '5': 8, '4': 6, '1': null }, gender: { female: 3 } };
    expect(tallySums(qs, 20, counts)).toEqual({ overall: { counted: 14, blank: 6 }, gender: { counted: 3, blank: 17 }, ch: { counted: 0, blank: 0 } });
    expect(tallyProblems(qs, 20, counts)).toEqual([]);
  });
  it('refuses more answers than forms, an option above the forms, negatives, fractions', () => {
    expect(tallyProblems(qs, 10, { overall: { '5': 8, '4': 3 } })).toEqual([{ question: 'overall', code: 'exceeds_forms' }]);
    // Several choices may add up to more than the forms, but no option above them.
    expect(tallyProblems(qs, 10, { ch: { a: 9, b: 8 } })).toEqual([]);
    expect(tallyProblems(qs, 10, { ch: { a: 11 } })).toEqual([{ question: 'ch', code: 'option_exceeds' }]);
    expect(tallyProblems(qs, 10, { gender: { male: -1 } })).toEqual([{ question: 'gender', code: 'negative' }]);
    expect(tallyProblems(qs, 10, { gender: { male: 1.5 } })).toEqual([{ question: 'gender', code: 'not_integer' }]);
  });
  it('sends only positive counts', () => {
    expect(tallyCounts({ overall: { '5': 2, '4': 0, '3': null }, gender: { female: 0 } })).toEqual({ overall: { '5': 2 } });
  });
  it('lists a five-point question from 5 down to 1', () => {
    expect(choices(likert).map((c) => c.id)).toEqual(['5', '4', '3', '2', '1']);
    expect(choices(single).map((c) => c.id)).toEqual(['female', 'male']);
  });
});

describe('question editor', () => {
  it('new questions get unused ids; choices get two options; kinds switch cleanly', () => {
    const q = newQuestion([{ id: 'q1' }, { id: 'q2' }]);
    expect(q.id).toBe('q3');
    expect(newQuestion([{ id: 'q2' }]).id).toBe('q3');
    expect(newQuestion([], 'multi').options).toHaveLength(2);
    const s = withKind({ ...likert, overall: true }, 'single');
    expect(s.options).toHaveLength(2);
    expect(s.overall).toBeUndefined();
    expect(withKind(single, 'text').options).toBeUndefined();
    expect(nextOptionId([{ id: 'a' }, { id: 'c' }])).toBe('b');
  });
  it('today is the commune’s (UTC+7)', () => {
    expect(todayLocal(Date.UTC(2026, 11, 2, 17, 30))).toBe('2026-12-03');
    expect(todayLocal(Date.UTC(2026, 11, 2, 16, 59))).toBe('2026-12-02');
  });
});

describe('tally history', () => {
  it('a correction lists forms, date, note and every changed count in form order', () => {
    const before = { forms: 20, collected_on: '2024-12-15', note: '', counts: { overall: { '5': 8, '4': 6 }, gender: { female: 3 } } };
    const after = { forms: 22, collected_on: '2024-12-16', note: 'Thêm 2 phiếu', counts: { overall: { '5': 12, '4': 6, '2': 1 }, gender: { female: 3, male: 2 } } };
    expect(tallyDiff([likert, single], before, after)).toEqual([
      { kind: 'forms', before: '20', after: '22' },
      { kind: 'collected_on', before: '2024-12-15', after: '2024-12-16' },
      { kind: 'note', before: '', after: 'Thêm 2 phiếu' },
      { kind: 'count', question: 'overall', answer: '5', before: 8, after: 12 },
      { kind: 'count', question: 'overall', answer: '2', before: 0, after: 1 },
      { kind: 'count', question: 'gender', answer: 'male', before: 0, after: 2 },
    ]);
  });
  it('a count dropped is a change to 0; unchanged tallies and unknown questions', () => {
    expect(tallyDiff([likert], { forms: 5, counts: { overall: { '5': 5 } } }, { forms: 5, counts: {} })).toEqual([
      { kind: 'count', question: 'overall', answer: '5', before: 5, after: 0 },
    ]);
    expect(tallyDiff([likert], { forms: 5, counts: { overall: { '5': 5 } } }, { forms: 5, counts: { overall: { '5': 5 } } })).toEqual([]);
    expect(tallyDiff([], { forms: 1, counts: { old: { x: 1 } } }, { forms: 1, counts: {} })).toEqual([
      { kind: 'count', question: 'old', answer: 'x', before: 1, after: 0 },
    ]);
    // Entries written before the note was recorded: no note change is made up.
    expect(tallyDiff([likert], { forms: 1 }, { forms: 1, note: 'x' })).toEqual([]);
  });
});

describe('results in the reader\'s language', () => {
  it('writes the index and the mean with the language\'s decimal mark', () => {
    expect(percent(0.8523, 'Chưa đủ mẫu')).toBe('85,2%');
    expect(percent(0.8523, 'Too few', 'en')).toBe('85.2%');
    expect(percent(null, 'Too few', 'en')).toBe('Too few');
    expect(mean(4.236, 'vi')).toBe('4,24');
    expect(mean(4.236, 'en')).toBe('4.24');
    expect(mean(null, 'en')).toBe('–');
  });
});

describe('the outbox line of an answer captured in a village', () => {
  const answered = (n: number) => `${n} câu đã trả lời`;
  const q = (id: string): Question => ({ id, kind: 'likert5', text: `Câu ${id}`, required: true });
  const age: Question = {
    id: 'age',
    kind: 'single',
    text: 'Nhóm tuổi',
    required: false,
    options: [{ id: '30_49', text: 'Từ 30 đến 49' }],
  };
  const education: Question = {
    id: 'education',
    kind: 'single',
    text: 'Trình độ học vấn',
    required: false,
    options: [{ id: 'secondary', text: 'Trung học cơ sở, trung học phổ thông' }],
  };

  it('never shows the questions’ codes: the day and how many were answered', () => {
    const form = ['attitude', 'listen', 'info', 'dialogue', 'overall'].map(q);
    const answers = toAnswers(form, { attitude: 2, listen: 2, info: 2, dialogue: 2, overall: 2 });
    const line = captureDetail(form, answers, '07/12/2026', answered);
    expect(line).toBe('07/12/2026 · 5 câu đã trả lời');
    expect(line).not.toMatch(/attitude|listen|info|dialogue|overall/);
  });

  it('adds the person’s own choices (two at most, shortened) and the start of their comment', () => {
    const form = [q('polite'), text, single, age, education];
    const answers = toAnswers(form, {
      polite: 4,
      note: 'Đường liên thôn cần được sửa trước mùa mưa năm nay',
      gender: 'female',
      age: '30_49',
      education: 'secondary',
    });
    expect(captureDetail(form, answers, '07/12/2026', answered)).toBe(
      '07/12/2026 · 5 câu đã trả lời · Nữ · Từ 30 đến 49 · “Đường liên thôn cần được…”',
    );
    const one = toAnswers([education], { education: 'secondary' });
    expect(captureDetail([education], one, '07/12/2026', answered)).toBe('07/12/2026 · 1 câu đã trả lời · Trung học cơ sở, trung…');
  });
});
