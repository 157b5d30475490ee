//! The procedure catalogue: procedures with their legal time limits, fees and online level
//! history, the CSV import, and the public list citizens read.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use serde_json::json;

use super::repo;
use crate::audit::{self, Actor, Change};
use crate::calendar::model::{hhmm, parse_hhmm};
use crate::calendar::service as cal;
use crate::db::{DbConnection, fold_search, write_tx};
use crate::error::{AppError, AppResult, Validator};
use crate::http::Paging;
use crate::onestop::model::*;
use crate::org::repo as org_repo;
use crate::tabular;
use crate::time::today_local;

// ---------------------------------------------------------------- procedures

pub fn level_history(conn: &mut DbConnection, ids: &[i64]) -> AppResult<HashMap<i64, Vec<OnlineLevelEntry>>> {
    let mut map: HashMap<i64, Vec<OnlineLevelEntry>> = HashMap::new();
    for (id, level, from) in repo::online_levels(conn, ids)? {
        map.entry(id).or_default().push(OnlineLevelEntry {
            level: OnlineLevel::parse(&level).unwrap_or(OnlineLevel::None),
            effective_from: from,
        });
    }
    Ok(map)
}

/// The level in force on `day` (none before the first entry).
pub fn level_on(history: &[OnlineLevelEntry], day: NaiveDate) -> OnlineLevel {
    history.iter().rev().find(|e| e.effective_from <= day).map(|e| e.level).unwrap_or(OnlineLevel::None)
}

fn procedure_api(r: ProcedureRow, history: Vec<OnlineLevelEntry>, today: NaiveDate) -> Procedure {
    Procedure {
        id: r.id,
        code: r.code,
        name: r.name,
        field: r.field,
        limit_amount: r.limit_amount,
        limit_unit: LimitUnit::parse(&r.limit_unit).unwrap_or(LimitUnit::WorkingDays),
        cutoff: hhmm(r.cutoff_minutes),
        fee_vnd: r.fee_vnd,
        fee_note: r.fee_note,
        online_level: level_on(&history, today),
        online_level_history: history,
        online_payment: r.online_payment,
        result_kind: ResultKind::parse(&r.result_kind).unwrap_or(ResultKind::Paper),
        posted_on: r.posted_on,
        posting_complete: r.posting_complete,
        active: r.active,
        demo: r.demo,
    }
}

/// Rows → API procedures with their level history.
pub fn procedures_api(conn: &mut DbConnection, rows: Vec<ProcedureRow>) -> AppResult<Vec<Procedure>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut levels = level_history(conn, &ids)?;
    let today = today_local();
    Ok(rows
        .into_iter()
        .map(|r| {
            let h = levels.remove(&r.id).unwrap_or_default();
            procedure_api(r, h, today)
        })
        .collect())
}

pub fn list_procedures(
    conn: &mut DbConnection,
    commune_id: i64,
    f: &ProcedureFilter,
    paging: Paging,
) -> AppResult<(Vec<Procedure>, i64)> {
    let (rows, total) = repo::list_procedures(conn, commune_id, f, paging)?;
    Ok((procedures_api(conn, rows)?, total))
}

pub fn get_procedure(conn: &mut DbConnection, commune_id: i64, id: i64) -> AppResult<Procedure> {
    let row = repo::get_procedure(conn, commune_id, id)?;
    procedures_api(conn, vec![row])?.pop().ok_or(AppError::NotFound)
}

/// A procedure's fields after validation, with its online level.
struct CheckedProcedure {
    values: ProcedureValues,
    level: Option<(OnlineLevel, NaiveDate)>,
}

fn check_code(v: &mut Validator, field: &str, code: &str) {
    let ok = !code.is_empty()
        && code.len() <= 30
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if !ok {
        v.add(field, "invalid_format", "Mã thủ tục gồm 1–30 chữ, số, '.', '-' hoặc '_'.");
    }
}

fn check_procedure(v: &mut Validator, prefix: &str, p: &CreateProcedure) -> Option<CheckedProcedure> {
    let f = |name: &str| format!("{prefix}{name}");
    let code = p.code.trim();
    check_code(v, &f("code"), code);
    v.text(&f("name"), &p.name, 1, 300);
    v.text(&f("field"), &p.field, 1, 100);
    cal::check_amount(v, &f("limit_amount"), i64::from(p.limit_amount), p.limit_unit);
    let cutoff = match p.cutoff.as_deref() {
        None => cal::DEFAULT_CUTOFF,
        Some(s) => parse_hhmm(s).unwrap_or_else(|| {
            v.add(&f("cutoff"), "invalid_format", "Giờ theo dạng HH:MM.");
            0
        }),
    };
    if p.fee_vnd.is_some_and(|x| !(0..=1_000_000_000).contains(&x)) {
        v.add(&f("fee_vnd"), "invalid_value", "Lệ phí từ 0 đến 1.000.000.000 đồng.");
    }
    if let Some(n) = &p.fee_note {
        v.text(&f("fee_note"), n, 0, 300);
    }
    if !v.is_empty() {
        return None;
    }
    let name = p.name.trim().to_string();
    Some(CheckedProcedure {
        values: ProcedureValues {
            code: code.to_string(),
            name_search: fold_search(&name),
            name,
            field: p.field.trim().to_string(),
            limit_amount: p.limit_amount,
            limit_unit: p.limit_unit.as_str().into(),
            cutoff_minutes: cutoff,
            fee_vnd: p.fee_vnd,
            fee_note: p.fee_note.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string),
            online_payment: p.online_payment,
            result_kind: p.result_kind.unwrap_or(ResultKind::Paper).as_str().into(),
            posted_on: p.posted_on,
            posting_complete: p.posting_complete,
            active: p.active.unwrap_or(true),
            updated_at: Utc::now().naive_utc(),
        },
        level: Some((p.online_level, p.online_level_from.unwrap_or_else(today_local))),
    })
}

fn insert_checked(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    c: &CheckedProcedure,
    demo: bool,
) -> AppResult<ProcedureRow> {
    let now = Utc::now().naive_utc();
    let row = repo::insert_procedure(conn, commune_id, &c.values, demo, now)?;
    if let Some((level, from)) = c.level {
        repo::set_online_level(conn, row.id, level.as_str(), from, now)?;
    }
    audit::repo::record_entity(
        conn,
        actor,
        commune_id,
        "create",
        "procedure",
        row.id,
        json!({ "code": row.code, "name": row.name, "limit": [row.limit_amount, row.limit_unit], "demo": demo }),
    )?;
    Ok(row)
}

/// Adds a procedure to the catalogue.
pub fn create_procedure(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    input: CreateProcedure,
) -> AppResult<ProcedureRow> {
    let mut v = Validator::new();
    let checked = check_procedure(&mut v, "", &input);
    v.finish()?;
    let checked = checked.ok_or_else(|| AppError::Internal("unchecked procedure".into()))?;
    write_tx(conn, |conn| {
        if repo::find_procedure_by_code(conn, commune_id, &checked.values.code)?.is_some() {
            return Err(AppError::field("code", "already_exists", "Mã thủ tục đã có trong danh mục."));
        }
        insert_checked(conn, actor, commune_id, &checked, false)
    })
}

/// Seeds a demo procedure (marked `demo`).
pub fn seed_procedure(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    input: CreateProcedure,
) -> AppResult<()> {
    let mut v = Validator::new();
    let checked = check_procedure(&mut v, "", &input);
    v.finish()?;
    let checked = checked.ok_or_else(|| AppError::Internal("unchecked procedure".into()))?;
    insert_checked(conn, actor, commune_id, &checked, true).map(|_| ())
}

/// Changes a procedure; a new online level is added to its history.
pub fn update_procedure(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    id: i64,
    input: UpdateProcedure,
) -> AppResult<ProcedureRow> {
    write_tx(conn, |conn| {
        let before = repo::get_procedure(conn, commune_id, id)?;
        let merged = CreateProcedure {
            code: input.code.clone().unwrap_or_else(|| before.code.clone()),
            name: input.name.clone().unwrap_or_else(|| before.name.clone()),
            field: input.field.clone().unwrap_or_else(|| before.field.clone()),
            limit_amount: input.limit_amount.unwrap_or(before.limit_amount),
            limit_unit: input
                .limit_unit
                .unwrap_or_else(|| LimitUnit::parse(&before.limit_unit).unwrap_or(LimitUnit::WorkingDays)),
            cutoff: Some(input.cutoff.clone().unwrap_or_else(|| hhmm(before.cutoff_minutes))),
            fee_vnd: input.fee_vnd.unwrap_or(before.fee_vnd),
            fee_note: input.fee_note.clone().unwrap_or_else(|| before.fee_note.clone()),
            online_level: input.online_level.unwrap_or(OnlineLevel::None),
            online_level_from: input.online_level_from,
            online_payment: input.online_payment.unwrap_or(before.online_payment),
            result_kind: Some(
                input
                    .result_kind
                    .unwrap_or_else(|| ResultKind::parse(&before.result_kind).unwrap_or(ResultKind::Paper)),
            ),
            posted_on: input.posted_on.unwrap_or(before.posted_on),
            posting_complete: input.posting_complete.unwrap_or(before.posting_complete),
            active: Some(input.active.unwrap_or(before.active)),
        };
        let mut v = Validator::new();
        let checked = check_procedure(&mut v, "", &merged);
        v.finish()?;
        let mut checked = checked.ok_or_else(|| AppError::Internal("unchecked procedure".into()))?;
        if checked.values.code != before.code
            && repo::find_procedure_by_code(conn, commune_id, &checked.values.code)?.is_some()
        {
            return Err(AppError::field("code", "already_exists", "Mã thủ tục đã có trong danh mục."));
        }
        if input.online_level.is_none() {
            checked.level = None;
        }
        let row = repo::update_procedure(conn, id, &checked.values)?;
        if let Some((level, from)) = checked.level {
            repo::set_online_level(conn, id, level.as_str(), from, Utc::now().naive_utc())?;
        }
        let mut diff = serde_json::Map::new();
        for (k, a, b) in [
            ("code", json!(before.code), json!(row.code)),
            ("name", json!(before.name), json!(row.name)),
            ("field", json!(before.field), json!(row.field)),
            ("limit", json!([before.limit_amount, before.limit_unit]), json!([row.limit_amount, row.limit_unit])),
            ("cutoff", json!(before.cutoff_minutes), json!(row.cutoff_minutes)),
            ("fee_vnd", json!(before.fee_vnd), json!(row.fee_vnd)),
            ("online_payment", json!(before.online_payment), json!(row.online_payment)),
            ("result_kind", json!(before.result_kind), json!(row.result_kind)),
            ("posted_on", json!(before.posted_on), json!(row.posted_on)),
            ("posting_complete", json!(before.posting_complete), json!(row.posting_complete)),
            ("active", json!(before.active), json!(row.active)),
        ] {
            if a != b {
                diff.insert(k.into(), json!([a, b]));
            }
        }
        if let Some((level, from)) = checked.level {
            diff.insert("online_level".into(), json!({ "level": level.as_str(), "from": from }));
        }
        audit::repo::record_entity(conn, actor, commune_id, "update", "procedure", id, diff.into())?;
        Ok(row)
    })
}

/// The non-blank records of a CSV text (`tabular::parse_csv`: quoting, BOM, `,` or `;`).
fn csv_rows(text: &str) -> AppResult<Vec<Vec<String>>> {
    let rows = tabular::parse_csv(text).map_err(|e| match e {
        tabular::CsvError::UnclosedQuote { line } => {
            AppError::field("csv", "invalid_format", &format!("Dấu ngoặc kép mở ở dòng {line} chưa được đóng."))
        }
        tabular::CsvError::Limit(l) => AppError::field("csv", tabular::LimitExceeded::CODE, &l.message()),
    })?;
    Ok(rows.into_iter().filter(|r| r.iter().any(|c| !c.trim().is_empty())).collect())
}

const CSV_COLUMNS: [&str; 13] = [
    "code",
    "name",
    "field",
    "limit_amount",
    "limit_unit",
    "cutoff",
    "fee_vnd",
    "fee_note",
    "online_level",
    "online_payment",
    "result_kind",
    "posted_on",
    "posting_complete",
];

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "" | "0" | "false" | "no" | "không" | "khong" => Some(false),
        "1" | "true" | "yes" | "có" | "co" | "x" => Some(true),
        _ => None,
    }
}

/// Imports procedures from CSV (header row with the column names; `code`, `name`, `field`,
/// `limit_amount`, `limit_unit` required). Rows whose code exists are updated, others created.
/// All or nothing: any bad row rejects the file with field errors `row N: column`.
pub fn import_csv(conn: &mut DbConnection, actor: &Actor, commune_id: i64, text: &str) -> AppResult<ImportResult> {
    let rows = csv_rows(text)?;
    let Some((header, body)) = rows.split_first() else {
        return Err(AppError::field("csv", "required", "Tệp CSV trống."));
    };
    let cols: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let mut v = Validator::new();
    for c in &cols {
        if !CSV_COLUMNS.contains(&c.as_str()) {
            v.add(&format!("header: {c}"), "unknown_field", "Cột không được hỗ trợ.");
        }
    }
    for required in ["code", "name", "field", "limit_amount", "limit_unit"] {
        if !cols.iter().any(|c| c == required) {
            v.add(&format!("header: {required}"), "required", "Thiếu cột bắt buộc.");
        }
    }
    if body.len() > 2000 {
        v.add("csv", "too_long", "Tối đa 2000 dòng mỗi lần.");
    }
    v.finish()?;
    let mut checked = Vec::new();
    let mut v = Validator::new();
    for (i, rec) in body.iter().enumerate() {
        let line = i + 2;
        let get =
            |name: &str| cols.iter().position(|c| c == name).and_then(|p| rec.get(p)).map(|s| s.trim()).unwrap_or("");
        let prefix = format!("row {line}: ");
        let mut bad = |field: &str, msg: &str| v.add(&format!("{prefix}{field}"), "invalid_value", msg);
        let amount: i32 = get("limit_amount").parse().unwrap_or_else(|_| {
            bad("limit_amount", "Thời hạn phải là số.");
            0
        });
        let unit = LimitUnit::parse(get("limit_unit")).unwrap_or_else(|| {
            bad("limit_unit", "Đơn vị: working_days, working_hours, same_day hoặc calendar_days.");
            LimitUnit::WorkingDays
        });
        let fee = match get("fee_vnd") {
            "" => None,
            s => s.replace(['.', ' '], "").parse::<i64>().map(Some).unwrap_or_else(|_| {
                bad("fee_vnd", "Lệ phí phải là số.");
                None
            }),
        };
        let level = OnlineLevel::parse(get("online_level")).unwrap_or_else(|| {
            if get("online_level").trim().is_empty() {
                bad("online_level", "Thiếu mức độ trực tuyến: full (toàn trình), partial (một phần) hoặc none.");
            } else {
                bad("online_level", "Mức: full, partial hoặc none (hoặc 4, 3, 2, 1).");
            }
            OnlineLevel::None
        });
        let online_payment = parse_bool(get("online_payment")).unwrap_or_else(|| {
            bad("online_payment", "Giá trị có/không.");
            false
        });
        let posting_complete = parse_bool(get("posting_complete")).unwrap_or_else(|| {
            bad("posting_complete", "Giá trị có/không.");
            false
        });
        let result_kind = ResultKind::parse(get("result_kind")).unwrap_or_else(|| {
            bad("result_kind", "Kết quả: paper, electronic hoặc both.");
            ResultKind::Paper
        });
        let posted_on = match get("posted_on") {
            "" => None,
            s => NaiveDate::parse_from_str(s, "%Y-%m-%d").map(Some).unwrap_or_else(|_| {
                bad("posted_on", "Ngày theo dạng YYYY-MM-DD.");
                None
            }),
        };
        let input = CreateProcedure {
            code: get("code").to_string(),
            name: get("name").to_string(),
            field: get("field").to_string(),
            limit_amount: amount,
            limit_unit: unit,
            cutoff: Some(get("cutoff")).filter(|s| !s.is_empty()).map(str::to_string),
            fee_vnd: fee,
            fee_note: Some(get("fee_note").to_string()),
            online_level: level,
            online_level_from: None,
            online_payment,
            result_kind: Some(result_kind),
            posted_on,
            posting_complete,
            active: Some(true),
        };
        if let Some(c) = check_procedure(&mut v, &prefix, &input) {
            checked.push(c);
        }
    }
    let mut seen = std::collections::HashSet::new();
    for c in &checked {
        if !seen.insert(c.values.code.clone()) {
            v.add(&format!("code: {}", c.values.code), "already_exists", "Mã thủ tục lặp lại trong tệp.");
        }
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let (mut created, mut updated) = (0, 0);
        for c in &checked {
            match repo::find_procedure_by_code(conn, commune_id, &c.values.code)? {
                Some(existing) => {
                    repo::update_procedure(conn, existing.id, &c.values)?;
                    let history = level_history(conn, &[existing.id])?.remove(&existing.id).unwrap_or_default();
                    if let Some((level, from)) = c.level
                        && level_on(&history, from) != level
                    {
                        repo::set_online_level(conn, existing.id, level.as_str(), from, Utc::now().naive_utc())?;
                    }
                    updated += 1;
                }
                None => {
                    let now = Utc::now().naive_utc();
                    let row = repo::insert_procedure(conn, commune_id, &c.values, false, now)?;
                    if let Some((level, from)) = c.level {
                        repo::set_online_level(conn, row.id, level.as_str(), from, now)?;
                    }
                    created += 1;
                }
            }
        }
        audit::repo::record(
            conn,
            actor,
            Change {
                commune_id: Some(commune_id),
                action: "import",
                entity: "procedure",
                entity_id: None,
                summary: json!({ "created": created, "updated": updated }),
            },
        )?;
        Ok(ImportResult { created, updated })
    })
}

/// The public catalogue: active procedures of a commune (the only one when not given).
pub fn public_catalogue(
    conn: &mut DbConnection,
    commune_id: Option<i64>,
    q: Option<&str>,
) -> AppResult<PublicCatalogue> {
    let commune: (i64, String) = match commune_id {
        Some(id) => (id, org_repo::commune_name(conn, id)?),
        None => {
            let all = org_repo::first_communes(conn, 2)?;
            match all.as_slice() {
                [one] => one.clone(),
                [] => return Err(AppError::NotFound),
                _ => return Err(AppError::field("commune_id", "required", "Cần chọn xã.")),
            }
        }
    };
    let rows = repo::active_procedures(conn, commune.0)?;
    let folded = q.map(fold_search).filter(|s| !s.is_empty());
    let procs = procedures_api(conn, rows)?;
    let items = procs
        .into_iter()
        .filter(|p| {
            folded.as_ref().is_none_or(|f| fold_search(&p.name).contains(f.as_str()) || p.code.contains(f.as_str()))
        })
        .map(|p| PublicProcedure {
            code: p.code,
            name: p.name,
            field: p.field,
            limit_amount: p.limit_amount,
            limit_unit: p.limit_unit,
            fee_vnd: p.fee_vnd,
            fee_note: p.fee_note,
            online_level: p.online_level,
            online_payment: p.online_payment,
            result_kind: p.result_kind,
        })
        .collect();
    Ok(PublicCatalogue { commune_id: commune.0, commune_name: commune.1, items })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_skip_blank_lines_and_report_an_open_quote() {
        let rows = csv_rows("\u{feff}code,name\r\n1.1,\"Cấp giấy, xác nhận \"\"mới\"\"\"\n\n2.2,Khai sinh").unwrap();
        assert_eq!(
            rows,
            vec![vec!["code", "name"], vec!["1.1", "Cấp giấy, xác nhận \"mới\""], vec!["2.2", "Khai sinh"]]
        );
        assert_eq!(csv_rows("code;name\n1.1;Chứng thực, bản sao\n").unwrap()[1], vec!["1.1", "Chứng thực, bản sao"]);
        assert!(csv_rows("  \n").unwrap().is_empty());
        assert!(csv_rows("code,name\n\"1.1,x\n").is_err());
    }

    #[test]
    fn online_levels_read_old_and_new_vocabulary() {
        assert_eq!(OnlineLevel::parse("4"), Some(OnlineLevel::Full));
        assert_eq!(OnlineLevel::parse("3"), Some(OnlineLevel::Partial));
        assert_eq!(OnlineLevel::parse("2"), Some(OnlineLevel::None));
        assert_eq!(OnlineLevel::parse("toàn trình"), Some(OnlineLevel::Full));
        assert_eq!(OnlineLevel::parse("5"), None);
        // A blank is not a level (an import row must say which), and the words are read in any
        // case, with or without diacritics or "mức độ".
        assert_eq!(OnlineLevel::parse(""), None);
        assert_eq!(OnlineLevel::parse("  "), None);
        assert_eq!(OnlineLevel::parse("Toan Trinh"), Some(OnlineLevel::Full));
        assert_eq!(OnlineLevel::parse("Mức độ 3"), Some(OnlineLevel::Partial));
        assert_eq!(OnlineLevel::Full.label_vi(), "Toàn trình (trước đây mức độ 4)");
        assert_eq!(OnlineLevel::Partial.label_vi(), "Một phần (trước đây mức độ 3)");
        let h = vec![
            OnlineLevelEntry {
                level: OnlineLevel::Partial,
                effective_from: NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
            },
            OnlineLevelEntry { level: OnlineLevel::Full, effective_from: NaiveDate::from_ymd_opt(2025, 7, 1).unwrap() },
        ];
        assert_eq!(level_on(&h, NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()), OnlineLevel::Partial);
        assert_eq!(level_on(&h, NaiveDate::from_ymd_opt(2025, 7, 1).unwrap()), OnlineLevel::Full);
        assert_eq!(level_on(&h, NaiveDate::from_ymd_opt(2022, 1, 1).unwrap()), OnlineLevel::None);
    }
}
