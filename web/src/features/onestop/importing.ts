// Rules of the dossier import screen that need no DOM: the columns a province export carries,
// which files are accepted, and how the server's per-row errors become a table.
import type { FieldError } from '../../lib/api/types';

/**
 * The national field names the import reads (the header row names the columns, in any order,
 * any case), grouped as the screen explains them; `required` columns must be present.
 */
export const IMPORT_COLUMNS = [
  { key: 'MaHoSo', names: [['MaHoSo', true]] },
  { key: 'MaTTHC', names: [['MaTTHC', true], ['TenTTHC', false]] },
  { key: 'KenhThucHien', names: [['KenhThucHien', false]] },
  { key: 'dates', names: [['NgayTiepNhan', true], ['NgayHenTra', true], ['NgayKetThucXuLy', false], ['NgayTra', false]] },
  { key: 'TrangThaiHoSo', names: [['TrangThaiHoSo', true]] },
  { key: 'flags', names: [['DuocThanhToanTrucTuyen', false], ['HoSoCoThanhPhanSoHoa', false], ['KetQuaDienTu', false]] },
  { key: 'SoLanYeuCauBoSung', names: [['SoLanYeuCauBoSung', false]] },
  { key: 'applicant', names: [['ChuHoSo', false], ['SoDienThoai', false], ['SoDinhDanh', false], ['DiaChi', false]] },
] as const satisfies ReadonlyArray<{ key: string; names: ReadonlyArray<readonly [string, boolean]> }>;

/** Every column name, in the order the screen lists them. */
export const COLUMN_ORDER: readonly string[] = IMPORT_COLUMNS.flatMap((g) => g.names.map(([n]) => n));

/** Whether a chosen file is one the import takes: `.csv` or `.xlsx`, by its name. */
export function isImportFile(name: string): boolean {
  return /\.(csv|xlsx)$/i.test(name.trim());
}

/** One error of a rejected file. */
export interface RowError {
  /** `file`: the file as a whole; `header`: the header row; `row`: a data row. */
  scope: 'file' | 'header' | 'row';
  /** The line of the file (data rows and the header: the header is line 1). */
  row: number | null;
  /** A national column name; null for a whole row or the whole file. */
  column: string | null;
  code: string;
  message: string;
}

export interface ImportErrors {
  errors: RowError[];
  /** Errors the server counted but did not list (it lists the first thousand). */
  more: number;
}

const ROW_FIELD = /^rows\[(\d+)\](?:\.(.+))?$/;

/**
 * The server's field errors (`rows[12].NgayTiepNhan`, `rows[12]`, `header.MaHoSo`, `file`, and a
 * last `rows` / `more_errors` entry counting what was cut) as table rows in file order: the file,
 * then the header, then each line by the screen's column order.
 */
export function importErrors(list: readonly FieldError[]): ImportErrors {
  let more = 0;
  const errors: RowError[] = [];
  for (const e of list) {
    if (e.code === 'more_errors') {
      more += Number(/\d+/.exec(e.message)?.[0] ?? 0);
      continue;
    }
    const m = ROW_FIELD.exec(e.field);
    if (m) errors.push({ scope: 'row', row: Number(m[1]), column: m[2] ?? null, code: e.code, message: e.message });
    else if (e.field.startsWith('header.')) errors.push({ scope: 'header', row: 1, column: e.field.slice(7), code: e.code, message: e.message });
    else errors.push({ scope: 'file', row: null, column: null, code: e.code, message: e.message });
  }
  const rank = { file: 0, header: 1, row: 2 } as const;
  const col = (c: string | null) => {
    const i = c === null ? -1 : COLUMN_ORDER.indexOf(c);
    return i === -1 && c !== null ? COLUMN_ORDER.length : i;
  };
  errors.sort((a, b) => rank[a.scope] - rank[b.scope] || (a.row ?? 0) - (b.row ?? 0) || col(a.column) - col(b.column));
  return { errors, more };
}

/**
 * The message key of an error, most specific first: header problems have their own sentences,
 * then `field.<code>.<column or file>`, then `field.<code>`. The screen falls back to the
 * server's own (Vietnamese) sentence when none exists.
 */
export function errorKeys(e: RowError): string[] {
  if (e.scope === 'header') {
    if (e.code === 'required') return ['field.missing_column'];
    if (e.code === 'already_exists') return ['import.duplicate_column'];
  }
  const target = e.scope === 'file' ? 'file' : e.column;
  return [...(target ? [`field.${e.code}.${target}`] : []), `field.${e.code}`];
}
