// What the evaluation endpoints answer, cut down from the demo's (one computed and one judged
// criterion, one content area): the pages' tests build on it and change what they look at.
import type { CriteriaSet, EvaluationDetail, EvaluationResult, ReportView } from '../features/evaluation/api';

const criteria = (): EvaluationResult['criteria'] => [
  {
    code: 'c1',
    name: 'Tiến độ thực hiện Kế hoạch',
    how_measured: 'Tiến độ chung của kế hoạch (bình quân gia quyền các nội dung); đủ điểm khi đạt 100%.',
    points: 20,
    kind: 'computed',
    source: 'plan_progress',
    target: 1,
    applicable: true,
    score: 16.24,
    figure: {
      source: 'plan_progress',
      read_from: 'plans::service::plans_with_progress',
      numerator: 81.2,
      denominator: 100,
      value: 0.812,
      text: 'Tiến độ chung 81,2%',
      from: '2026-01-01',
      to: '2026-12-31',
    },
    comment: '',
    evidence: '',
  },
  {
    code: 'c11',
    name: 'Hoạt động tuyên truyền, sinh hoạt, hội nghị được tổ chức',
    how_measured: 'Ban điều hành chấm theo hồ sơ, biên bản các hoạt động đã tổ chức.',
    points: 5,
    kind: 'judged',
    applicable: true,
    score: null,
    comment: '',
    evidence: '',
  },
];

const sections = (): EvaluationResult['sections'] => ({
  results: '',
  shortcomings: '',
  causes: '',
  lessons: '',
  directions: '',
  recipients: 'UBND tỉnh (để báo cáo);\nLưu: VT.',
  signer_title: 'CHỦ TỊCH',
  signer_name: '',
});

export function evaluationResult(): EvaluationResult {
  return {
    commune_id: 1,
    commune_name: 'Bình Lương',
    year: 2026,
    period: { period: 'year', label: 'năm 2026', from: '2026-01-01', to: '2026-12-31' },
    criteria_set_id: 1,
    criteria_set_name: 'Bộ tiêu chí đánh giá mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ”',
    criteria_set_version: 1,
    criteria: criteria(),
    total: 16.24,
    max: 25,
    out_of: 25,
    percent: 64.96,
    rating: null,
    unjudged: ['c11'],
    figures: {
      plan: {
        plan_id: 2,
        number: '…/KH-BĐH',
        title: 'Kế hoạch xây dựng thực hiện mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ” năm 2026',
        issued_on: '2026-01-10',
        progress: 81.2,
        areas: [{ position: 1, title: 'Tuyên truyền, phổ biến giáo dục', weight: 1, progress: 85, tasks: 2, done: 0 }],
        tasks_due: 46,
        tasks_on_time: 6,
        tasks: [],
      },
      onestop: {
        overall: {
          label: 'Tổng số', received: 486, online: 92, resolved: 478, early: 129, on_time: 329, late: 28, in_progress: 2,
          on_time_rate: 0.9424, online_share: 0.1893,
        },
        by_field: [],
        index_total: 43.58,
        index_max: 72,
        index_percent: 60.53,
        index_summary: '43,58 / 72 điểm đo được (trên 100)',
        index_rows: [],
      },
      surveys: { responses: 90, satisfied: 402, likert_answers: 540, satisfaction_index: 0.7444, dossier_responses: 0, dossier_dislikes: 0 },
      reception: {
        sessions_required: 49,
        sessions_held: 46,
        petitions: [{ kind: 'complaint', label: 'Khiếu nại', received: 10, settled: 5, settled_on_time: 5, overdue_open: 1 }],
      },
      democracy: { disclosures: 20, relays_asked: 84, relays_on_time: 42, dialogues_held: 2, commitments_due: 5, commitments_kept: 1 },
    },
    number: '',
    sections: sections(),
    computed_at: '2026-12-07T04:44:44Z',
    version: 1,
    reason: '',
    published_by_name: null,
    published_at: null,
    report_date: '2026-12-07',
  } as EvaluationResult;
}

/** GET /evaluations/{id}/report of the demo's 2026 draft. */
export function reportView(): ReportView {
  return { draft: true, result: evaluationResult() };
}

/** GET /evaluations/{id}: the 2026 draft, or (status 'published') its published version 1. */
export function evaluationDetail(status: 'draft' | 'published' = 'draft'): EvaluationDetail {
  const version = {
    id: 2,
    commune_id: 1,
    plan_id: 2,
    year: 2026,
    version: 1,
    criteria_set_id: 1,
    status,
    reason: '',
    number: '',
    previous_id: null,
    superseded: false,
    created_by_name: 'Trưởng Ban điều hành (demo)',
    created_at: '2026-12-07T04:44:31Z',
    updated_at: '2026-12-07T04:44:31Z',
    published_by_name: status === 'published' ? 'Trưởng Ban điều hành (demo)' : null,
    published_at: status === 'published' ? '2026-12-07T05:00:00Z' : null,
  } as const;
  return {
    ...version,
    judged: {},
    sections: sections(),
    result: evaluationResult(),
    versions: [{ ...version }],
    can_evaluate: true,
  } as EvaluationDetail;
}

/** GET /criteria-sets/{id}: the shipped set cut to its first criterion and two bands. */
export function criteriaSet(): CriteriaSet {
  const c = criteria()[0];
  return {
    id: 1,
    commune_id: 1,
    year: 2026,
    version: 1,
    name: 'Bộ tiêu chí đánh giá mô hình',
    criteria: [{ code: c.code, name: c.name, how_measured: c.how_measured, points: c.points, kind: c.kind, source: c.source, target: c.target }],
    thresholds: [
      { code: 'done', label: 'Hoàn thành', min_percent: 50 },
      { code: 'not_done', label: 'Không hoàn thành', min_percent: 0 },
    ],
    note: '',
    created_by_name: 'Ban điều hành',
    created_at: '2026-01-01T00:00:00Z',
  } as CriteriaSet;
}

export const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

/** A 422 as the server writes it. */
export const refused = (errors: { field: string; code: string; message: string }[]) =>
  json(422, { type: 'urn:thanthien:problem:validation_failed', title: 'Dữ liệu chưa hợp lệ', status: 422, detail: `${errors.length} trường chưa hợp lệ.`, code: 'validation_failed', errors });
