//! Import of dossiers exported by the province's one-stop system (CSV, XLSX) — see
//! `docs/onestop-import.md`. The file is read and every row checked first; one bad row and
//! the answer lists every bad row and nothing is written. A good file is applied in one write
//! transaction: new codes are inserted, codes imported before are updated (or left alone when
//! nothing changed), each with events synthesized from its dates, in batched statements.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::model::{IMPORT_USER_NAME, ImportEvent, NewImported};
use super::repo;
use crate::audit::{self, Change};
use crate::auth::Caller;
use crate::calendar::engine::WorkCalendar;
use crate::calendar::service as cal;
use crate::db::{DbConnection, fold_search, write_tx};
use crate::error::{AppError, AppResult, FieldError};
use crate::onestop::dossiers::lifecycle::{self, Step};
use crate::onestop::model::DossierValues;
use crate::tabular::{self, CsvError, XlsxError};
use crate::time::to_utc;

/// Largest file accepted (a 100,000-row export is about 20 MB).
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;
/// Most data rows in one file.
pub const MAX_IMPORT_ROWS: usize = 200_000;
/// Most row errors listed in a 422 answer; the rest are counted in a last entry.
pub const MAX_LISTED_ERRORS: usize = 1000;
/// `dossiers.source` of imported dossiers.
pub const SOURCE_IMPORT: &str = "import";

/// Rows per multi-row INSERT: SQLite binds at most 32,766 parameters per statement.
const DOSSIER_BATCH: usize = 1000;
const EVENT_BATCH: usize = 2500;

/// Answer of a successful import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportSummary {
    /// Data rows in the file.
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// Already imported with exactly these values.
    pub unchanged: usize,
}

/// The columns read, by their national field names (matched case-insensitively).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    MaHoSo,
    MaTthc,
    TenTthc,
    KenhThucHien,
    NgayTiepNhan,
    NgayHenTra,
    NgayKetThucXuLy,
    NgayTra,
    TrangThaiHoSo,
    DuocThanhToanTrucTuyen,
    HoSoCoThanhPhanSoHoa,
    ChuHoSo,
    SoDienThoai,
    SoDinhDanh,
    DiaChi,
    KetQuaDienTu,
    SoLanYeuCauBoSung,
    DuocLayTuKhoDMQG,
    QuaTrinhXuLy,
}

const COLUMNS: [(Col, &str); 19] = [
    (Col::MaHoSo, "MaHoSo"),
    (Col::MaTthc, "MaTTHC"),
    (Col::TenTthc, "TenTTHC"),
    (Col::KenhThucHien, "KenhThucHien"),
    (Col::NgayTiepNhan, "NgayTiepNhan"),
    (Col::NgayHenTra, "NgayHenTra"),
    (Col::NgayKetThucXuLy, "NgayKetThucXuLy"),
    (Col::NgayTra, "NgayTra"),
    (Col::TrangThaiHoSo, "TrangThaiHoSo"),
    (Col::DuocThanhToanTrucTuyen, "DuocThanhToanTrucTuyen"),
    (Col::HoSoCoThanhPhanSoHoa, "HoSoCoThanhPhanSoHoa"),
    (Col::ChuHoSo, "ChuHoSo"),
    (Col::SoDienThoai, "SoDienThoai"),
    (Col::SoDinhDanh, "SoDinhDanh"),
    (Col::DiaChi, "DiaChi"),
    (Col::KetQuaDienTu, "KetQuaDienTu"),
    (Col::SoLanYeuCauBoSung, "SoLanYeuCauBoSung"),
    // Components taken from the citizen's national data store (766 row 4.4); optional.
    (Col::DuocLayTuKhoDMQG, "DuocLayTuKhoDMQG"),
    // The processing steps as JSON (what `GET /onestop/national-export` writes); optional.
    // When present the clock is replayed from them (pauses, an apology's new date).
    (Col::QuaTrinhXuLy, "QuaTrinhXuLy"),
];

const REQUIRED_COLUMNS: [Col; 5] = [Col::MaHoSo, Col::MaTthc, Col::NgayTiepNhan, Col::NgayHenTra, Col::TrangThaiHoSo];

impl Col {
    fn name(self) -> &'static str {
        COLUMNS[self as usize].1
    }
}

/// Where each column sits in a row.
struct Header([Option<usize>; COLUMNS.len()]);

impl Header {
    fn read(cells: &[String]) -> Result<Header, Vec<FieldError>> {
        let mut at = [None; COLUMNS.len()];
        let mut errors = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            let name = cell.trim().trim_start_matches('\u{feff}');
            if let Some((col, canonical)) = COLUMNS.iter().find(|(_, n)| n.eq_ignore_ascii_case(name)) {
                if at[*col as usize].is_some() {
                    errors.push(FieldError::new(
                        format!("header.{canonical}"),
                        "already_exists",
                        format!("Cột {canonical} xuất hiện hai lần."),
                    ));
                }
                at[*col as usize] = Some(i);
            }
        }
        for col in REQUIRED_COLUMNS {
            if at[col as usize].is_none() {
                errors.push(FieldError::new(
                    format!("header.{}", col.name()),
                    "required",
                    format!("Thiếu cột bắt buộc {}.", col.name()),
                ));
            }
        }
        if errors.is_empty() { Ok(Header(at)) } else { Err(errors) }
    }

    fn get<'a>(&self, row: &'a [String], col: Col) -> &'a str {
        self.0[col as usize].and_then(|i| row.get(i)).map(|s| s.trim()).unwrap_or("")
    }
}

/// How the file was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx { date1904: bool },
}

impl Format {
    fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx { .. } => "xlsx",
        }
    }
}

fn file_error(code: &str, message: &str) -> AppError {
    AppError::field("file", code, message)
}

/// A row of the file with its 1-based line (CSV) or sheet row (XLSX).
pub type NumberedRow = (usize, Vec<String>);

/// The rows of the file: (1-based line or sheet row, cells), the header first. XLSX is
/// recognised by its ZIP signature; anything else must be UTF-8 text (a BOM is allowed).
pub fn read_rows(bytes: &[u8]) -> AppResult<(Format, Vec<NumberedRow>)> {
    let blank = |b: &[u8]| b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b).iter().all(u8::is_ascii_whitespace);
    if blank(bytes) {
        return Err(file_error("required", "Tệp trống."));
    }
    if tabular::is_zip(bytes) {
        let sheet = tabular::read_xlsx_sheet(bytes).map_err(|e| match e {
            XlsxError::Limit(l) => l.into(),
            XlsxError::NoWorksheet | XlsxError::NotZip(_) | XlsxError::Malformed(_) => {
                file_error("invalid_format", "Không đọc được tệp XLSX (tệp hỏng hoặc không phải bảng tính).")
            }
        })?;
        let rows = sheet.rows.into_iter().enumerate().map(|(i, r)| (i + 1, r)).collect();
        return Ok((Format::Xlsx { date1904: sheet.date1904 }, rows));
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(file_error(
            "unsupported_format",
            "Tệp Excel 97–2003 (.xls) không được hỗ trợ: hãy lưu thành .xlsx hoặc CSV UTF-8.",
        ));
    }
    let not_utf8 = || {
        file_error(
            "invalid_encoding",
            "Tệp CSV phải mã hóa UTF-8 (có hoặc không có BOM): hãy lưu lại dưới dạng “CSV UTF-8”.",
        )
    };
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") || bytes.contains(&0) {
        return Err(not_utf8());
    }
    let text = std::str::from_utf8(bytes).map_err(|_| not_utf8())?;
    let mut rows = Vec::new();
    for rec in tabular::csv_records(text) {
        match rec {
            Ok(r) => rows.push(r),
            Err(CsvError::Limit(l)) => return Err(l.into()),
            Err(CsvError::UnclosedQuote { line }) => {
                return Err(AppError::field(
                    &format!("rows[{line}]"),
                    "invalid_format",
                    "Dấu ngoặc kép mở ở dòng này không được đóng.",
                ));
            }
        }
    }
    Ok((Format::Csv, rows))
}

/// A checked row (local times).
#[derive(Debug, Clone, PartialEq)]
struct Row {
    line: usize,
    code: String,
    procedure_id: i64,
    channel: i32,
    received: NaiveDateTime,
    appointed: Option<NaiveDateTime>,
    finished: Option<NaiveDateTime>,
    returned: Option<NaiveDateTime>,
    status: i32,
    paid_online: bool,
    digitised: bool,
    electronic_result: bool,
    from_data_store: bool,
    supplements: i32,
    name: String,
    phone: String,
    id_number: String,
    address: String,
    /// The steps after receipt from `QuaTrinhXuLy`: (action, from, to, local time, new due).
    steps: Option<Vec<ImportedStep>>,
}

/// One step read from `QuaTrinhXuLy` (local times).
type ImportedStep = (&'static str, i32, i32, NaiveDateTime, Option<NaiveDateTime>);

/// Reads `QuaTrinhXuLy`: a JSON list of steps (`ThoiDiemXuLy`, `HanhDong`, `TrangThai`,
/// optional `TuTrangThai`, `HanMoi`), in time order; the receipt step is left out (the row's
/// `NgayTiepNhan` is the receipt).
fn parse_steps(text: &str, format: Format) -> Result<Option<Vec<ImportedStep>>, &'static str> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let list: Vec<crate::onestop::national_export::model::QuaTrinhXuLy> =
        serde_json::from_str(text).map_err(|_| "QuaTrinhXuLy là danh sách JSON các bước xử lý.")?;
    if list.len() > 200 {
        return Err("Tối đa 200 bước xử lý mỗi hồ sơ.");
    }
    let mut out = Vec::new();
    let mut last: Option<NaiveDateTime> = None;
    for step in list {
        let at = parse_date(&step.thoi_diem_xu_ly, format)
            .ok()
            .flatten()
            .ok_or("ThoiDiemXuLy của một bước không đọc được.")?;
        if last.is_some_and(|l| at < l) {
            return Err("Các bước xử lý phải theo thứ tự thời gian.");
        }
        last = Some(at);
        if !(1..=10).contains(&step.trang_thai) || step.tu_trang_thai.is_some_and(|t| !(1..=10).contains(&t)) {
            return Err("TrangThai của một bước là số từ 1 đến 10.");
        }
        if step.hanh_dong == lifecycle::RECEIVE {
            continue;
        }
        let action = crate::onestop::model::Action::parse(&step.hanh_dong)
            .ok_or("HanhDong của một bước không phải thao tác đã biết.")?
            .as_str();
        let new_due = match step.han_moi.as_deref() {
            None | Some("") => None,
            Some(t) => Some(parse_date(t, format).ok().flatten().ok_or("HanMoi không đọc được.")?),
        };
        let from = step.tu_trang_thai.unwrap_or(step.trang_thai);
        out.push((action, from, step.trang_thai, at, new_due));
    }
    Ok(Some(out))
}

/// Parses a date-time of the formats the province's systems write (local time):
/// `yyyyMMddHHmmss`, `dd/MM/yyyy[ HH:mm[:ss]]`, ISO `yyyy-MM-dd[( |T)HH:mm[:ss]]`, and in XLSX
/// files a date serial. `Ok(None)` when empty; `Err` when unreadable or outside 2000–2100.
fn parse_date(s: &str, format: Format) -> Result<Option<NaiveDateTime>, ()> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0);
    let parsed = if s.len() == 14 && s.bytes().all(|b| b.is_ascii_digit()) {
        NaiveDateTime::parse_from_str(s, "%Y%m%d%H%M%S").ok()
    } else if s.contains('/') {
        NaiveDateTime::parse_from_str(s, "%d/%m/%Y %H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(s, "%d/%m/%Y %H:%M"))
            .ok()
            .or_else(|| NaiveDate::parse_from_str(s, "%d/%m/%Y").ok().and_then(midnight))
    } else if s.len() >= 10 && s.as_bytes()[4] == b'-' {
        let t = s.replacen('T', " ", 1);
        let t = t.split('.').next().unwrap_or(&t);
        NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M"))
            .ok()
            .or_else(|| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok().and_then(midnight))
    } else if let Format::Xlsx { date1904 } = format {
        s.parse::<f64>().ok().and_then(|n| tabular::excel_serial_to_datetime(n, date1904))
    } else {
        None
    };
    match parsed {
        Some(t) if (2000..=2100).contains(&chrono::Datelike::year(&t)) => Ok(Some(t)),
        _ => Err(()),
    }
}

fn parse_flag(s: &str, paid: bool) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" | "0" | "false" => Some(false),
        "1" | "true" => Some(true),
        // DuocThanhToanTrucTuyen: 2 and 3 are the portal's "not paid online" variants.
        "2" | "3" if paid => Some(false),
        _ => None,
    }
}

fn parse_int(s: &str) -> Option<i32> {
    let s = s.trim();
    s.parse::<i32>().ok().or_else(|| s.strip_suffix(".0").and_then(|t| t.parse().ok()))
}

/// Everything the row checks need besides the row.
struct RowContext<'a> {
    header: &'a Header,
    format: Format,
    procedures: &'a HashMap<String, i64>,
    /// XLSX cells typed as numbers lose trailing zeros (`1.001190` → `1.00119`).
    numeric_procedures: &'a [(f64, i64)],
    latest: NaiveDateTime,
    /// The codes of the commune's units: the agency part a dossier code of this commune has.
    agencies: &'a [String],
}

/// The agency part and the day of a code in the numbering format `{agency}-{yyMMdd}-{nnnn}`
/// (the day `None` when the six digits are not a date); `None` for a code in another format,
/// which cannot collide with the commune's own numbering.
fn sequence_code(code: &str) -> Option<(&str, Option<NaiveDate>)> {
    let (rest, seq) = code.rsplit_once('-')?;
    let (agency, day) = rest.rsplit_once('-')?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if agency.is_empty() || !digits(seq, 4) || !digits(day, 6) {
        return None;
    }
    let n = |i: usize| day[i..i + 2].parse::<u32>().unwrap_or(0);
    Some((agency, NaiveDate::from_ymd_opt(2000 + n(0) as i32, n(2), n(4))))
}

fn check_row(ctx: &RowContext<'_>, line: usize, cells: &[String], errors: &mut Vec<FieldError>) -> Option<Row> {
    let before = errors.len();
    let get = |c: Col| ctx.header.get(cells, c);
    let mut err = |c: Col, code: &str, msg: &str| {
        errors.push(FieldError::new(format!("rows[{line}].{}", c.name()), code, msg));
    };
    // MaHoSo
    let code = get(Col::MaHoSo).to_uppercase();
    if code.is_empty() {
        err(Col::MaHoSo, "required", "Thiếu mã hồ sơ.");
    } else if code.chars().count() > 40 || code.chars().any(|c| c.is_whitespace() || c.is_control()) {
        err(Col::MaHoSo, "invalid_format", "Mã hồ sơ tối đa 40 ký tự, không có khoảng trắng.");
    } else if let Some((agency, day)) = sequence_code(&code) {
        // A code in the numbering format `{agency}-{yyMMdd}-{nnnn}` must be one of this
        // commune's agencies, on a day that has come.
        if !ctx.agencies.iter().any(|a| a.eq_ignore_ascii_case(agency)) {
            err(
                Col::MaHoSo,
                "foreign_code",
                "Mã hồ sơ mang mã đơn vị không thuộc xã này: chỉ nhập hồ sơ của các bộ phận của xã.",
            );
        } else if day.is_none_or(|d| d > ctx.latest.date()) {
            err(Col::MaHoSo, "future_code", "Ngày trong mã hồ sơ không hợp lệ hoặc ở tương lai.");
        }
    }
    // MaTTHC
    let procedure_code = get(Col::MaTthc);
    let procedure_id = if procedure_code.is_empty() {
        err(Col::MaTthc, "required", "Thiếu mã thủ tục.");
        None
    } else {
        let found = ctx.procedures.get(procedure_code).copied().or_else(|| match ctx.format {
            Format::Xlsx { .. } => procedure_code
                .parse::<f64>()
                .ok()
                .and_then(|n| ctx.numeric_procedures.iter().find(|(v, _)| *v == n).map(|(_, id)| *id)),
            Format::Csv => None,
        });
        if found.is_none() {
            err(Col::MaTthc, "unknown_procedure", "Mã thủ tục không có trong danh mục thủ tục của xã.");
        }
        found
    };
    // KenhThucHien
    let channel = match get(Col::KenhThucHien) {
        "" => Some(1),
        s => parse_int(s).filter(|c| (1..=3).contains(c)),
    };
    if channel.is_none() {
        err(Col::KenhThucHien, "invalid_value", "Kênh: 1 trực tiếp, 2 trực tuyến, 3 bưu chính.");
    }
    // Dates
    let mut date = |c: Col| match parse_date(get(c), ctx.format) {
        Ok(d) => Some(d),
        Err(()) => {
            err(c, "invalid_date", "Ngày giờ không đọc được (yyyyMMddHHmmss, dd/MM/yyyy HH:mm hoặc yyyy-MM-dd HH:mm).");
            None
        }
    };
    let received = date(Col::NgayTiepNhan);
    let appointed = date(Col::NgayHenTra);
    let finished = date(Col::NgayKetThucXuLy);
    let returned = date(Col::NgayTra);
    // TrangThaiHoSo
    let status = match get(Col::TrangThaiHoSo) {
        "" => {
            err(Col::TrangThaiHoSo, "required", "Thiếu trạng thái hồ sơ.");
            None
        }
        s => {
            let st = parse_int(s).filter(|s| (1..=10).contains(s));
            if st.is_none() {
                err(Col::TrangThaiHoSo, "invalid_status", "Trạng thái hồ sơ là số từ 1 đến 10.");
            }
            st
        }
    };
    let mut flag = |c: Col, paid: bool| {
        parse_flag(get(c), paid).unwrap_or_else(|| {
            err(c, "invalid_value", "Giá trị 0 hoặc 1.");
            false
        })
    };
    let paid_online = flag(Col::DuocThanhToanTrucTuyen, true);
    let digitised = flag(Col::HoSoCoThanhPhanSoHoa, false);
    let electronic_result = flag(Col::KetQuaDienTu, false);
    let from_data_store = flag(Col::DuocLayTuKhoDMQG, false);
    let supplements = match get(Col::SoLanYeuCauBoSung) {
        "" => 0,
        s => parse_int(s).filter(|n| (0..=1000).contains(n)).unwrap_or_else(|| {
            err(Col::SoLanYeuCauBoSung, "invalid_value", "Số lần yêu cầu bổ sung là số nguyên không âm.");
            0
        }),
    };
    let mut text = |c: Col, max: usize| {
        let s = get(c);
        if s.chars().count() > max {
            err(c, "too_long", &format!("Tối đa {max} ký tự."));
        }
        s.to_string()
    };
    let name = text(Col::ChuHoSo, 200);
    let phone = text(Col::SoDienThoai, 30);
    let id_number = text(Col::SoDinhDanh, 30);
    let address = text(Col::DiaChi, 500);
    let steps = match parse_steps(get(Col::QuaTrinhXuLy), ctx.format) {
        Ok(s) => s,
        Err(msg) => {
            err(Col::QuaTrinhXuLy, "invalid_value", msg);
            None
        }
    };
    if !phone.chars().all(|c| c.is_ascii_digit() || " .+-()".contains(c)) {
        err(Col::SoDienThoai, "invalid_format", "Số điện thoại chỉ gồm chữ số.");
    }
    // Required dates and the order of events.
    match received {
        Some(None) => err(Col::NgayTiepNhan, "required", "Thiếu ngày tiếp nhận."),
        Some(Some(r)) if r > ctx.latest => err(Col::NgayTiepNhan, "invalid_date", "Ngày tiếp nhận ở tương lai."),
        _ => {}
    }
    let (r, a, f, t) = (received.flatten(), appointed.flatten(), finished.flatten(), returned.flatten());
    if let (Some(r), Some(a)) = (r, a)
        && a < r
    {
        err(Col::NgayHenTra, "impossible_sequence", "Ngày hẹn trả trước ngày tiếp nhận.");
    }
    if let (Some(r), Some(f)) = (r, f)
        && f < r
    {
        err(Col::NgayKetThucXuLy, "impossible_sequence", "Ngày kết thúc xử lý trước ngày tiếp nhận.");
    }
    if let Some(t) = t
        && (f.is_some_and(|f| t < f) || r.is_some_and(|r| t < r))
    {
        err(Col::NgayTra, "impossible_sequence", "Ngày trả kết quả trước ngày kết thúc xử lý hoặc ngày tiếp nhận.");
    }
    for (c, d) in [(Col::NgayKetThucXuLy, f), (Col::NgayTra, t)] {
        if d.is_some_and(|d| d > ctx.latest) {
            err(c, "invalid_date", "Ngày ở tương lai.");
        }
    }
    if let Some(status) = status {
        if appointed == Some(None) && status != lifecycle::REFUSED {
            err(Col::NgayHenTra, "required", "Thiếu ngày hẹn trả.");
        }
        let open = lifecycle::is_open(status);
        match status {
            _ if open && f.is_some() => {
                err(Col::NgayKetThucXuLy, "impossible_sequence", "Hồ sơ đang giải quyết không có ngày kết thúc xử lý.")
            }
            lifecycle::RESOLVED if finished == Some(None) => err(
                Col::NgayKetThucXuLy,
                "impossible_sequence",
                "Hồ sơ đã xử lý xong (trạng thái 9) cần ngày kết thúc xử lý.",
            ),
            lifecycle::WITHDRAWN | lifecycle::STOPPED if finished == Some(None) => {
                err(Col::NgayKetThucXuLy, "required", "Hồ sơ rút hoặc dừng xử lý cần ngày kết thúc xử lý.")
            }
            _ => {}
        }
        match status {
            _ if open && t.is_some() => {
                err(Col::NgayTra, "impossible_sequence", "Hồ sơ đang giải quyết không có ngày trả kết quả.")
            }
            lifecycle::RESOLVED if t.is_some() => err(
                Col::NgayTra,
                "impossible_sequence",
                "Hồ sơ chưa trả kết quả (trạng thái 9) nhưng có ngày trả kết quả.",
            ),
            lifecycle::RETURNED if returned == Some(None) => {
                err(Col::NgayTra, "impossible_sequence", "Hồ sơ đã trả kết quả (trạng thái 10) cần ngày trả kết quả.")
            }
            _ => {}
        }
    }
    if errors.len() > before {
        return None;
    }
    Some(Row {
        line,
        code,
        procedure_id: procedure_id?,
        channel: channel?,
        received: received.flatten()?,
        appointed: appointed.flatten(),
        finished: finished.flatten(),
        returned: returned.flatten(),
        status: status?,
        paid_online,
        digitised,
        electronic_result,
        from_data_store,
        supplements,
        name,
        phone,
        id_number,
        address,
        steps,
    })
}

/// The lifecycle steps of a row, as (action, from, to, local time, new due): those its
/// `QuaTrinhXuLy` lists, else those its dates and status imply.
fn steps_of(r: &Row) -> Vec<ImportedStep> {
    if let Some(steps) = &r.steps {
        return steps.clone();
    }
    implied_steps(r).into_iter().map(|(a, from, to, at)| (a, from, to, at, None)).collect()
}

/// The lifecycle steps a row's dates and status imply, as (action, from, to, local time).
fn implied_steps(r: &Row) -> Vec<(&'static str, i32, i32, NaiveDateTime)> {
    let mut out = Vec::new();
    let first = if r.status == lifecycle::SUBMITTED { lifecycle::SUBMITTED } else { lifecycle::RECEIVED };
    let mut at_status = first;
    match r.status {
        lifecycle::RESOLVED | lifecycle::RETURNED => {
            if let Some(f) = r.finished {
                out.push(("resolve", at_status, lifecycle::RESOLVED, f));
                at_status = lifecycle::RESOLVED;
            }
            if r.status == lifecycle::RETURNED
                && let Some(t) = r.returned
            {
                out.push(("return_result", at_status, lifecycle::RETURNED, t));
            }
        }
        lifecycle::REFUSED => out.push(("refuse", at_status, lifecycle::REFUSED, r.finished.unwrap_or(r.received))),
        lifecycle::WITHDRAWN => {
            if let Some(f) = r.finished {
                out.push(("withdraw", at_status, lifecycle::WITHDRAWN, f));
            }
        }
        lifecycle::STOPPED => {
            if let Some(f) = r.finished {
                out.push(("stop", at_status, lifecycle::STOPPED, f));
            }
        }
        _ => {}
    }
    out
}

/// The stored columns of a row, derived as `lifecycle::replay` derives them from events.
fn derive(c: &WorkCalendar, r: &Row, now: NaiveDateTime) -> DossierValues {
    let received_at = to_utc(r.received);
    let appointed_at = to_utc(r.appointed.unwrap_or(r.received));
    let steps = steps_of(r);
    let replay_steps: Vec<Step<'_>> = steps
        .iter()
        .map(|(a, _, to, at, new_due)| Step {
            action: a,
            to_status: *to,
            at: to_utc(*at),
            new_due_at: new_due.map(to_utc),
        })
        .collect();
    let d = lifecycle::replay(c, received_at, appointed_at, &replay_steps, now);
    // The portal counts a second supplement request as late.
    let timeliness = match d.timeliness {
        Some(_) if r.supplements >= 2 => Some("late".to_string()),
        t => t,
    };
    DossierValues {
        procedure_id: r.procedure_id,
        channel: r.channel,
        status: r.status,
        applicant_search: fold_search(&r.name),
        applicant_name: r.name.clone(),
        applicant_phone: r.phone.clone(),
        phone_digits: r.phone.chars().filter(char::is_ascii_digit).collect(),
        applicant_id_number: r.id_number.clone(),
        applicant_address: r.address.clone(),
        received_at,
        appointed_at,
        deadline_at: d.deadline_at,
        due_at: d.due_at,
        paused_since: d.paused_since,
        finished_at: d.finished_at,
        returned_at: d.returned_at,
        supplement_requests: r.supplements,
        extended: d.extended,
        timeliness,
        paid_online: r.paid_online,
        digitised: r.digitised,
        electronic_result: r.electronic_result,
        processing_minutes: d.processing_minutes,
        from_data_store: r.from_data_store,
        apology_by: d.apology_by,
    }
}

fn events_of(r: &Row, dossier_id: i64, unit_id: i64, unit_name: &str) -> Vec<ImportEvent> {
    let first = if r.status == lifecycle::SUBMITTED { lifecycle::SUBMITTED } else { lifecycle::RECEIVED };
    let event = |action, from, to, at, new_due: Option<NaiveDateTime>| ImportEvent {
        dossier_id,
        action,
        from_status: from,
        to_status: to,
        at: to_utc(at),
        user_id: None,
        user_name: IMPORT_USER_NAME,
        unit_id: Some(unit_id),
        unit_name: Some(unit_name.to_string()),
        note: None,
        new_due_at: new_due.map(to_utc),
    };
    let mut out = vec![event(lifecycle::RECEIVE, None, first, r.received, None)];
    out.extend(steps_of(r).into_iter().map(|(a, from, to, at, new_due)| event(a, Some(from), to, at, new_due)));
    out
}

/// The unit imported dossiers belong to: the importing user's, else the commune's people's
/// committee (the one-stop shop sits under it).
fn import_unit(conn: &mut DbConnection, staff: &Caller) -> AppResult<(i64, String)> {
    let commune_id = staff.commune()?;
    if let Some(id) = staff.unit_id {
        let u = crate::org::repo::get_unit(conn, commune_id, id)?;
        return Ok((u.id, u.name));
    }
    repo::people_committee_unit(conn, commune_id)?
        .ok_or_else(|| AppError::Conflict("Xã chưa có đơn vị UBND để nhận hồ sơ nhập.".into()))
}

/// Sorts errors by line and caps the list, counting the rest in a last entry.
fn capped(mut errors: Vec<FieldError>) -> AppError {
    let line = |e: &FieldError| {
        e.field.strip_prefix("rows[").and_then(|s| s.split(']').next()).and_then(|n| n.parse::<usize>().ok())
    };
    errors.sort_by_key(|e| line(e).unwrap_or(0));
    if errors.len() > MAX_LISTED_ERRORS {
        let rest = errors.len() - MAX_LISTED_ERRORS;
        errors.truncate(MAX_LISTED_ERRORS);
        errors.push(FieldError::new("rows", "more_errors", format!("Còn {rest} lỗi khác không liệt kê.")));
    }
    AppError::Validation(errors)
}

/// Imports a file (see the module documentation). `file_name` is only recorded in the audit.
pub fn import(conn: &mut DbConnection, staff: &Caller, file_name: &str, bytes: &[u8]) -> AppResult<ImportSummary> {
    let commune_id = staff.commune()?;
    let now = Utc::now().naive_utc();
    let started = std::time::Instant::now();
    let (format, rows) = read_rows(bytes)?;
    let mut rows: Vec<NumberedRow> = rows.into_iter().filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty())).collect();
    // Exports often open with a title block: the header is the first row naming MaHoSo
    // (among the first 20), else the first row.
    let is_header =
        |r: &[String]| r.iter().any(|c| c.trim().trim_start_matches('\u{feff}').eq_ignore_ascii_case("MaHoSo"));
    let at = rows.iter().take(20).position(|(_, r)| is_header(r)).unwrap_or(0);
    let mut records = rows.drain(at..);
    let Some((_, header_cells)) = records.next() else {
        return Err(file_error("required", "Tệp trống."));
    };
    let header = Header::read(&header_cells).map_err(AppError::Validation)?;
    let catalogue = repo::procedure_codes(conn, commune_id)?;
    let numeric_procedures: Vec<(f64, i64)> =
        catalogue.iter().filter_map(|(c, id)| c.parse::<f64>().ok().map(|n| (n, *id))).collect();
    let procedures: HashMap<String, i64> = catalogue.into_iter().collect();
    let agencies = repo::unit_codes(conn, commune_id)?;
    let ctx = RowContext {
        header: &header,
        format,
        procedures: &procedures,
        numeric_procedures: &numeric_procedures,
        latest: crate::time::to_local(now) + Duration::days(1),
        agencies: &agencies,
    };
    let mut errors = Vec::new();
    let mut checked = Vec::new();
    let mut first_line: HashMap<String, usize> = HashMap::new();
    let mut count = 0usize;
    for (line, cells) in records {
        count += 1;
        if count > MAX_IMPORT_ROWS {
            return Err(file_error("too_long", &format!("Tối đa {MAX_IMPORT_ROWS} dòng mỗi tệp.")));
        }
        let Some(row) = check_row(&ctx, line, &cells, &mut errors) else { continue };
        if let Some(first) = first_line.get(&row.code) {
            errors.push(FieldError::new(
                format!("rows[{line}].MaHoSo"),
                "duplicate_in_file",
                format!("Mã hồ sơ đã có ở dòng {first}."),
            ));
            continue;
        }
        first_line.insert(row.code.clone(), line);
        checked.push(row);
    }
    if count == 0 {
        return Err(file_error("required", "Tệp không có dòng dữ liệu."));
    }
    // Codes are unique within a commune: codes of this commune received here are not the
    // import's to change. Another commune's codes are never looked at (nor revealed).
    let parsed_ms = started.elapsed().as_millis();
    let codes: Vec<&str> = checked.iter().map(|r| r.code.as_str()).collect();
    let stored = repo::dossiers_by_code(conn, commune_id, &codes)?;
    for r in &checked {
        if let Some(d) = stored.get(&r.code)
            && d.source != SOURCE_IMPORT
        {
            errors.push(FieldError::new(
                format!("rows[{}].MaHoSo", r.line),
                "code_taken",
                "Mã hồ sơ đã dùng cho một hồ sơ tiếp nhận tại xã.",
            ));
        }
    }
    let looked_up_ms = started.elapsed().as_millis();
    if !errors.is_empty() {
        return Err(capped(errors));
    }
    // One calendar for the whole file.
    let (first, last) = checked.iter().fold((None::<NaiveDate>, None::<NaiveDate>), |(lo, hi), r| {
        let dates = [Some(r.received), r.appointed, r.finished, r.returned];
        dates.into_iter().flatten().fold((lo, hi), |(lo, hi), d| {
            (Some(lo.map_or(d.date(), |l| l.min(d.date()))), Some(hi.map_or(d.date(), |h| h.max(d.date()))))
        })
    });
    let (Some(first), Some(last)) = (first, last) else {
        return Err(file_error("required", "Tệp không có dòng dữ liệu."));
    };
    let calendar = cal::load(conn, Some(commune_id), first - Duration::days(1), last + Duration::days(1))?;
    let (unit_id, unit_name) = import_unit(conn, staff)?;
    let mut created = Vec::new();
    let mut updated = Vec::new();
    let mut unchanged = 0usize;
    for r in &checked {
        let values = derive(&calendar, r, now);
        match stored.get(&r.code) {
            Some(d) if d.values == values => unchanged += 1,
            Some(d) => updated.push((d.id, r, values)),
            None => created.push((r, values)),
        }
    }
    let prepared_ms = started.elapsed().as_millis();
    let summary = ImportSummary { rows: checked.len(), created: created.len(), updated: updated.len(), unchanged };
    let sha256 = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(bytes))
    };
    repo::with_large_cache(conn, |conn| {
        write_tx(conn, |conn| {
            // New dossiers, then their events.
            let mut events = Vec::new();
            for chunk in created.chunks(DOSSIER_BATCH) {
                let rows: Vec<NewImported> = chunk
                    .iter()
                    .map(|(r, values)| NewImported {
                        commune_id,
                        unit_id,
                        code: r.code.clone(),
                        created_by: Some(staff.id),
                        created_at: now,
                        updated_at: now,
                        source: SOURCE_IMPORT,
                        values: values.clone(),
                    })
                    .collect();
                let ids = repo::insert_imported(conn, &rows)?;
                let ids: HashMap<String, i64> = ids.into_iter().map(|(id, code)| (code, id)).collect();
                for (r, _) in chunk {
                    let id =
                        ids.get(&r.code).copied().ok_or_else(|| AppError::Internal("inserted id missing".into()))?;
                    events.extend(events_of(r, id, unit_id, &unit_name));
                }
            }
            // Changed dossiers: new values, their synthesized events replaced.
            for (id, _, values) in &updated {
                repo::update_imported(conn, *id, values, now)?;
            }
            let updated_ids: Vec<i64> = updated.iter().map(|(id, _, _)| *id).collect();
            repo::delete_import_events(conn, &updated_ids)?;
            for (id, r, _) in &updated {
                events.extend(events_of(r, *id, unit_id, &unit_name));
            }
            for chunk in events.chunks(EVENT_BATCH) {
                repo::insert_events(conn, chunk)?;
            }
            audit::repo::record(
                conn,
                &staff.actor(),
                Change {
                    commune_id: Some(commune_id),
                    action: "import",
                    entity: "dossier",
                    entity_id: None,
                    summary: json!({
                        "file_name": file_name, "sha256": sha256, "format": format.as_str(), "bytes": bytes.len(),
                        "rows": summary.rows, "created": summary.created, "updated": summary.updated,
                        "unchanged": summary.unchanged,
                    }),
                },
            )?;
            Ok::<_, AppError>(())
        })
    })?;
    repo::refresh_statistics(conn, summary.created + summary.updated);
    tracing::info!(
        rows = summary.rows,
        created = summary.created,
        updated = summary.updated,
        unchanged = summary.unchanged,
        parsed_ms,
        looked_up_ms,
        prepared_ms,
        total_ms = started.elapsed().as_millis(),
        "one-stop dossiers imported"
    );
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn dates_in_every_accepted_format() {
        let csv = Format::Csv;
        assert_eq!(parse_date("20231106083005", csv), Ok(Some(t("2023-11-06 08:30:05"))));
        assert_eq!(parse_date("06/11/2023 08:30", csv), Ok(Some(t("2023-11-06 08:30:00"))));
        assert_eq!(parse_date("6/11/2023 08:30:15", csv), Ok(Some(t("2023-11-06 08:30:15"))));
        assert_eq!(parse_date("06/11/2023", csv), Ok(Some(t("2023-11-06 00:00:00"))));
        assert_eq!(parse_date("2023-11-06", csv), Ok(Some(t("2023-11-06 00:00:00"))));
        assert_eq!(parse_date("2023-11-06 08:30", csv), Ok(Some(t("2023-11-06 08:30:00"))));
        assert_eq!(parse_date("2023-11-06T08:30:05.250", csv), Ok(Some(t("2023-11-06 08:30:05"))));
        assert_eq!(parse_date("  ", csv), Ok(None));
        assert_eq!(parse_date("31/02/2023", csv), Err(()));
        assert_eq!(parse_date("11/06/1999", csv), Err(()));
        assert_eq!(parse_date("hôm qua", csv), Err(()));
        // A serial only means a date in a workbook.
        assert_eq!(parse_date("45236.375", csv), Err(()));
        let xlsx = Format::Xlsx { date1904: false };
        assert_eq!(parse_date("45236.375", xlsx), Ok(Some(t("2023-11-06 09:00:00"))));
        assert_eq!(parse_date("20231106083005", xlsx), Ok(Some(t("2023-11-06 08:30:05"))));
    }

    #[test]
    fn flags() {
        assert_eq!(parse_flag("TRUE", false), Some(true));
        assert_eq!(parse_flag("0", false), Some(false));
        assert_eq!(parse_flag("", false), Some(false));
        assert_eq!(parse_flag("2", true), Some(false));
        assert_eq!(parse_flag("3", true), Some(false));
        assert_eq!(parse_flag("2", false), None);
        assert_eq!(parse_int("10.0"), Some(10));
    }

    fn ctx_check(header: &str, line: &str) -> (Option<Row>, Vec<FieldError>) {
        let cells = |s: &str| s.split(',').map(str::to_string).collect::<Vec<_>>();
        let header = Header::read(&cells(header)).unwrap();
        let procedures: HashMap<String, i64> = [("1.001193".to_string(), 7)].into_iter().collect();
        let ctx = RowContext {
            header: &header,
            format: Format::Csv,
            procedures: &procedures,
            numeric_procedures: &[],
            latest: t("2030-01-01 00:00:00"),
            agencies: &["HS".to_string(), "UBND".to_string()],
        };
        let mut errors = Vec::new();
        let row = check_row(&ctx, 2, &cells(line), &mut errors);
        (row, errors)
    }

    const H: &str =
        "mahoso,MATTHC,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,NgayTra,TrangThaiHoSo,Khac,SoLanYeuCauBoSung";

    fn codes(errors: &[FieldError]) -> Vec<(String, String)> {
        errors.iter().map(|e| (e.field.clone(), e.code.clone())).collect()
    }

    #[test]
    fn codes_in_the_numbering_format_belong_to_the_commune_and_to_a_day_that_has_come() {
        let line = |code: &str| format!("{code},1.001193,20231106080000,20231106170000,,,4,x,0");
        assert!(ctx_check(H, &line("HS-231106-0001")).1.is_empty());
        assert!(ctx_check(H, &line("ubnd-231106-0002")).1.is_empty());
        // Another commune's agency (the attack that blocked another commune's intake).
        assert_eq!(
            codes(&ctx_check(H, &line("XA2-231106-0001")).1),
            [("rows[2].MaHoSo".into(), "foreign_code".into())]
        );
        // A day after `latest` (2030-01-01), or no day at all.
        assert_eq!(codes(&ctx_check(H, &line("HS-300105-0001")).1), [("rows[2].MaHoSo".into(), "future_code".into())]);
        assert_eq!(codes(&ctx_check(H, &line("HS-231340-0001")).1), [("rows[2].MaHoSo".into(), "future_code".into())]);
        // Codes in another format cannot collide with the numbering.
        assert!(ctx_check(H, &line("G22.28-ABC")).1.is_empty());
        assert_eq!(sequence_code("H56.1-HS-250101-0001"), Some(("H56.1-HS", NaiveDate::from_ymd_opt(2025, 1, 1))));
    }

    #[test]
    fn rows_are_checked_column_by_column() {
        let (row, errors) =
            ctx_check(H, "h-1,1.001193,20231106080000,20231106170000,20231106090000,20231106100000,10,x,2");
        assert!(errors.is_empty(), "{errors:?}");
        let row = row.unwrap();
        assert_eq!(row.code, "H-1");
        assert_eq!(row.procedure_id, 7);
        assert_eq!(row.channel, 1);
        assert_eq!(row.supplements, 2);
        let (_, errors) = ctx_check(H, ",9.9,hôm qua,,,,11,,");
        assert_eq!(
            codes(&errors),
            [
                ("rows[2].MaHoSo", "required"),
                ("rows[2].MaTTHC", "unknown_procedure"),
                ("rows[2].NgayTiepNhan", "invalid_date"),
                ("rows[2].TrangThaiHoSo", "invalid_status"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        let seq = |line: &str| codes(&ctx_check(H, line).1);
        let one = |f: &str, c: &str| vec![(format!("rows[2].{f}"), c.to_string())];
        assert_eq!(seq("A,1.001193,20231106080000,20231105170000,,,4,,"), one("NgayHenTra", "impossible_sequence"));
        assert_eq!(seq("A,1.001193,20231106080000,,,,4,,"), one("NgayHenTra", "required"));
        assert_eq!(seq("A,1.001193,20231106080000,,20231106090000,,3,,"), vec![]);
        assert_eq!(
            seq("A,1.001193,20231106080000,20231106170000,,,9,,"),
            one("NgayKetThucXuLy", "impossible_sequence")
        );
        assert_eq!(
            seq("A,1.001193,20231106080000,20231106170000,20231106090000,,10,,"),
            one("NgayTra", "impossible_sequence")
        );
        assert_eq!(
            seq("A,1.001193,20231106080000,20231106170000,20231106090000,,5,,"),
            one("NgayKetThucXuLy", "impossible_sequence")
        );
        assert_eq!(
            seq("A,1.001193,20231106080000,20231106170000,20231106090000,20231106085000,10,,"),
            one("NgayTra", "impossible_sequence")
        );
        assert_eq!(
            seq("A,1.001193,20231106080000,20231106170000,20231106070000,,9,,"),
            one("NgayKetThucXuLy", "impossible_sequence")
        );
        assert_eq!(seq("A,1.001193,20231106080000,20231106170000,,,7,,"), one("NgayKetThucXuLy", "required"));
        assert_eq!(seq("A,1.001193,20321106080000,20321106170000,,,2,,"), one("NgayTiepNhan", "invalid_date"));
        let missing = Header::read(&["MaHoSo".to_string(), "MaHoSo".into()]).err().unwrap();
        assert_eq!(missing[0].field, "header.MaHoSo");
        assert_eq!(missing[0].code, "already_exists");
        assert_eq!(missing.len(), 5);
    }

    #[test]
    fn derived_columns_follow_the_replay_rules() {
        let c = WorkCalendar::build(
            NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2023, 12, 31).unwrap(),
            &[],
            &[],
            &[],
        );
        // Monday 6/11/2023 08:00 → due Wednesday 8/11 17:00, resolved Tuesday 10:00.
        let mut r = Row {
            line: 2,
            code: "A".into(),
            procedure_id: 1,
            channel: 2,
            received: t("2023-11-06 08:00:00"),
            appointed: Some(t("2023-11-08 17:00:00")),
            finished: Some(t("2023-11-07 10:00:00")),
            returned: Some(t("2023-11-08 09:00:00")),
            status: 10,
            paid_online: true,
            digitised: false,
            electronic_result: true,
            from_data_store: false,
            supplements: 0,
            name: "Đỗ Thị Hằng".into(),
            phone: "0912.345.678".into(),
            id_number: String::new(),
            address: String::new(),
            steps: None,
        };
        let now = t("2024-01-01 00:00:00");
        let v = derive(&c, &r, now);
        assert_eq!(v.received_at, t("2023-11-06 01:00:00"));
        assert_eq!(v.due_at, t("2023-11-08 10:00:00"));
        assert_eq!(v.deadline_at, v.due_at);
        assert_eq!(v.finished_at, Some(t("2023-11-07 03:00:00")));
        assert_eq!(v.returned_at, Some(t("2023-11-08 02:00:00")));
        assert_eq!(v.timeliness.as_deref(), Some("early"));
        // Mon 08:00–11:30 + 13:30–17:00 = 420, Tue 07:00–10:00 = 180.
        assert_eq!(v.processing_minutes, Some(600));
        assert_eq!(v.phone_digits, "0912345678");
        assert_eq!(v.applicant_search, "do thi hang");
        let ev = events_of(&r, 9, 3, "UBND");
        let actions: Vec<_> = ev.iter().map(|e| (e.action, e.from_status, e.to_status)).collect();
        assert_eq!(actions, [("receive", None, 2), ("resolve", Some(2), 9), ("return_result", Some(9), 10)]);
        // A second supplement request makes it late.
        r.supplements = 2;
        assert_eq!(derive(&c, &r, now).timeliness.as_deref(), Some("late"));
        // Finished after the due time: late; on the due day before it: on time.
        r.supplements = 0;
        r.finished = Some(t("2023-11-08 17:00:01"));
        r.returned = Some(t("2023-11-09 08:00:00"));
        assert_eq!(derive(&c, &r, now).timeliness.as_deref(), Some("late"));
        r.finished = Some(t("2023-11-08 16:00:00"));
        assert_eq!(derive(&c, &r, now).timeliness.as_deref(), Some("on_time"));
        // Refused without an appointment: due at receipt, refused then.
        let refused = Row { status: 3, appointed: None, finished: None, returned: None, ..r.clone() };
        let v = derive(&c, &refused, now);
        assert_eq!(v.due_at, v.received_at);
        assert_eq!(v.finished_at, Some(v.received_at));
        assert_eq!(v.timeliness.as_deref(), Some("on_time"));
        let ev = events_of(&refused, 9, 3, "UBND");
        assert_eq!(ev.iter().map(|e| e.action).collect::<Vec<_>>(), ["receive", "refuse"]);
        // Open: no end, no timeliness.
        let open = Row { status: 4, finished: None, returned: None, ..r };
        let v = derive(&c, &open, now);
        assert_eq!((v.finished_at, v.timeliness, v.processing_minutes), (None, None, None));
    }
}
