// The procedure form: from a stored procedure to editable strings and back to a request body.
import type { OnlineLevel, Procedure, CreateProcedure, ResultKind, LimitUnit } from './types';

export const TIME_UNITS: readonly LimitUnit[] = ['working_days', 'working_hours', 'same_day', 'calendar_days'];
export const ONLINE_LEVELS: readonly OnlineLevel[] = ['full', 'partial', 'none'];
export const RESULT_KINDS: readonly ResultKind[] = ['paper', 'electronic', 'both'];

export interface ProcedureForm {
  code: string;
  name: string;
  field: string;
  limit_amount: string;
  limit_unit: LimitUnit;
  cutoff: string;
  fee_vnd: string;
  fee_note: string;
  online_level: OnlineLevel;
  online_level_from: string;
  online_payment: boolean;
  result_kind: ResultKind;
  posted_on: string;
  posting_complete: boolean;
  active: boolean;
}

export function procedureForm(p?: Procedure | null, today = ''): ProcedureForm {
  return {
    code: p?.code ?? '',
    name: p?.name ?? '',
    field: p?.field ?? '',
    limit_amount: p ? String(p.limit_amount) : '',
    limit_unit: p?.limit_unit ?? 'working_days',
    cutoff: p?.cutoff ?? '15:00',
    fee_vnd: p?.fee_vnd != null ? String(p.fee_vnd) : '',
    fee_note: p?.fee_note ?? '',
    online_level: p?.online_level ?? 'none',
    online_level_from: today,
    online_payment: p?.online_payment ?? false,
    result_kind: p?.result_kind ?? 'paper',
    posted_on: p?.posted_on ?? '',
    posting_complete: p?.posting_complete ?? false,
    active: p?.active ?? true,
  };
}

/** "50.000", "50 000", "50000đ" → 50000; '' → null; anything else → NaN (the server says why). */
export function parseMoney(s: string): number | null {
  const clean = s.replace(/[\s.,đ₫]/gi, '').replace(/vnd$/i, '');
  if (!clean) return null;
  return /^\d+$/.test(clean) ? Number(clean) : Number.NaN;
}

/** The body of POST /procedures (all fields). Same-day procedures count no amount: 0. */
export function procedureBody(f: ProcedureForm): CreateProcedure {
  const amount = f.limit_unit === 'same_day' ? 0 : Number(f.limit_amount.trim() || Number.NaN);
  return {
    code: f.code.trim(),
    name: f.name.replace(/\s+/g, ' ').trim().normalize('NFC'),
    field: f.field.replace(/\s+/g, ' ').trim().normalize('NFC'),
    limit_amount: Number.isFinite(amount) ? amount : -1,
    limit_unit: f.limit_unit,
    cutoff: f.limit_unit === 'same_day' ? f.cutoff || null : null,
    fee_vnd: parseMoney(f.fee_vnd),
    fee_note: f.fee_note.trim() || null,
    online_level: f.online_level,
    online_level_from: f.online_level_from || null,
    online_payment: f.online_payment,
    result_kind: f.result_kind,
    posted_on: f.posted_on || null,
    posting_complete: f.posting_complete,
    active: f.active,
  };
}

/**
 * The body of PATCH /procedures/{id}: only what changed. A new online level carries the date it
 * takes effect, which becomes a line of the procedure's online-level history.
 */
export function procedureChanges(original: Procedure, f: ProcedureForm): Partial<CreateProcedure> {
  const next = procedureBody(f);
  const before = procedureBody(procedureForm(original));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(next) as Array<keyof CreateProcedure>) {
    if (key === 'online_level_from') continue;
    if (JSON.stringify(next[key] ?? null) !== JSON.stringify(before[key] ?? null)) out[key] = next[key];
  }
  if ('online_level' in out && next.online_level_from) out.online_level_from = next.online_level_from;
  return out as Partial<CreateProcedure>;
}

/** The CSV columns the import understands, in order (a header line is required). */
export const CSV_COLUMNS = [
  'code',
  'name',
  'field',
  'limit_amount',
  'limit_unit',
  'cutoff',
  'fee_vnd',
  'fee_note',
  'online_level',
  'online_payment',
  'result_kind',
  'posted_on',
  'posting_complete',
] as const;

export const CSV_SAMPLE = `${CSV_COLUMNS.join(',')}
2.000815,"Chứng thực bản sao từ bản chính giấy tờ, văn bản",Chứng thực,0,same_day,15:00,2000,,partial,true,paper,2025-07-01,true`;
