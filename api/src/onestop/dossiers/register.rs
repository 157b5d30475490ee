//! Exports of the one-stop register (form 07) as tables for `crate::tabular`'s CSV and XLSX
//! writers. Applicant name, phone and address only for roles that read personal data.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Utc};

use super::{lifecycle, repo};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, Validator};
use crate::tabular::Cell;
use crate::time::{to_local, to_utc};

/// Most dossiers in one register export.
pub const MAX_REGISTER_ROWS: i64 = 200_000;

/// Column headings of the register export (form 07 plus the applicant's phone).
pub const REGISTER_HEADERS: [&str; 17] = [
    "STT",
    "Mã hồ sơ",
    "Mã thủ tục",
    "Tên thủ tục",
    "Lĩnh vực",
    "Người nộp",
    "Số điện thoại",
    "Địa chỉ",
    "Hình thức nộp",
    "Ngày nhận",
    "Hẹn trả",
    "Giải quyết xong",
    "Ngày trả kết quả",
    "Tình trạng",
    "Kết quả giải quyết",
    "Số lần yêu cầu bổ sung",
    "Quá hạn không xin lỗi đúng hạn",
];

fn channel_name(c: i32) -> &'static str {
    match c {
        1 => "Trực tiếp",
        2 => "Trực tuyến",
        3 => "Bưu chính công ích",
        _ => "",
    }
}

fn timeliness_name(t: crate::onestop::model::Timeliness) -> &'static str {
    use crate::onestop::model::Timeliness::*;
    match t {
        Early => "Trước hạn",
        OnTime => "Đúng hạn",
        Late => "Quá hạn",
        OpenNotDue => "Đang giải quyết, chưa đến hạn",
        OpenOverdue => "Đang giải quyết, đã quá hạn",
    }
}

/// A stored UTC time as the commune's local moment: a date to a spreadsheet, `dd/MM/yyyy HH:mm`
/// in CSV.
fn local_moment(at: NaiveDateTime) -> Cell {
    let local = to_local(at);
    Cell::moment(local, local.format("%d/%m/%Y %H:%M").to_string())
}

/// Checks a register period: `to` not before `from`, at most a year.
pub fn check_period(from: NaiveDate, to: NaiveDate) -> AppResult<()> {
    let mut v = Validator::new();
    if to < from {
        v.add("to", "invalid_value", "Ngày kết thúc trước ngày bắt đầu.");
    } else if (to - from).num_days() > 366 {
        v.add("to", "invalid_value", "Tối đa một năm mỗi sổ.");
    }
    v.finish()
}

/// The register of dossiers received in `[from, to]` (local dates), oldest first, as a
/// table with a header row. Personal data is masked unless `personal`.
pub fn register_table(
    conn: &mut DbConnection,
    commune_id: i64,
    personal: bool,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<Vec<Cell>>> {
    check_period(from, to)?;
    let end = to.succ_opt().ok_or_else(|| AppError::field("to", "invalid_value", "Ngày không hợp lệ."))?;
    let rows = repo::received_between(
        conn,
        commune_id,
        to_utc(from.and_time(NaiveTime::MIN)),
        to_utc(end.and_time(NaiveTime::MIN)),
        MAX_REGISTER_ROWS + 1,
    )?;
    if rows.len() as i64 > MAX_REGISTER_ROWS {
        return Err(AppError::field(
            "to",
            "too_long",
            &format!("Kỳ này có hơn {MAX_REGISTER_ROWS} hồ sơ: hãy chọn kỳ ngắn hơn."),
        ));
    }
    let now = Utc::now().naive_utc();
    let mut table = Vec::with_capacity(rows.len() + 1);
    table.push(REGISTER_HEADERS.iter().map(|h| Cell::from(*h)).collect());
    for (i, (d, p)) in rows.into_iter().enumerate() {
        let timeliness = lifecycle::timeliness_of(&d.values, now);
        let (name, phone, address) = if personal {
            (d.values.applicant_name, d.values.applicant_phone, d.values.applicant_address)
        } else {
            let phone = if d.values.phone_digits.is_empty() {
                String::new()
            } else {
                lifecycle::mask_tail(&d.values.phone_digits, 3)
            };
            let address = if d.values.applicant_address.is_empty() { String::new() } else { "***".to_string() };
            (lifecycle::mask_name(&d.values.applicant_name), phone, address)
        };
        table.push(vec![
            Cell::from(i as i64 + 1),
            Cell::from(d.code),
            Cell::from(p.code),
            Cell::from(p.name),
            Cell::from(p.field),
            Cell::from(name),
            Cell::from(phone),
            Cell::from(address),
            Cell::from(channel_name(d.values.channel)),
            local_moment(d.values.received_at),
            local_moment(d.values.due_at),
            d.values.finished_at.map_or_else(|| Cell::from(""), local_moment),
            d.values.returned_at.map_or_else(|| Cell::from(""), local_moment),
            Cell::from(lifecycle::status_name(d.values.status)),
            Cell::from(timeliness_name(timeliness)),
            Cell::from(d.values.supplement_requests),
            Cell::from(if lifecycle::late_without_apology(timeliness, d.apology_timely) { "Có" } else { "" }),
        ]);
    }
    Ok(table)
}

/// The download name of a register: `so-theo-doi-ho-so_2026-01-01_2026-03-31.csv`.
pub fn register_file_name(from: NaiveDate, to: NaiveDate, ext: &str) -> String {
    format!("so-theo-doi-ho-so_{from}_{to}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_and_names() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(check_period(d("2026-01-01"), d("2026-12-31")).is_ok());
        assert!(check_period(d("2026-02-01"), d("2026-01-31")).is_err());
        assert!(check_period(d("2025-01-01"), d("2026-12-31")).is_err());
        assert_eq!(
            register_file_name(d("2026-01-01"), d("2026-03-31"), "xlsx"),
            "so-theo-doi-ho-so_2026-01-01_2026-03-31.xlsx"
        );
        assert_eq!(local_moment(d("2026-01-01").and_hms_opt(2, 5, 0).unwrap()).text(), "01/01/2026 09:05");
    }
}
