//! One-stop rules: the procedure catalogue (with CSV import) and dossiers (intake, lifecycle,
//! views, forms, public lookup). Every write runs in one transaction with its audit entry.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError, http::header};
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use serde_json::json;

use super::lifecycle::{self, Step};
use super::model::*;
use super::repo;
use crate::audit::{self, Actor, Change};
use crate::calendar::model::{hhmm, parse_hhmm};
use crate::calendar::{rfc, service as cal, to_local, to_utc};
use crate::db::{DbConnection, fold_search, write_tx};
use crate::error::{AppError, AppResult, Problem, Validator};
use crate::http::Paging;
use crate::tabular;

/// A business rule that refuses an action (409 with a stable code).
#[derive(Debug)]
pub struct RuleError {
    pub code: &'static str,
    pub detail: String,
}

impl std::fmt::Display for RuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.detail)
    }
}

/// Either a general error or a refused rule.
#[derive(Debug)]
pub enum OneStopError {
    App(AppError),
    Rule(RuleError),
}

impl std::fmt::Display for OneStopError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OneStopError::App(e) => write!(f, "{e}"),
            OneStopError::Rule(r) => write!(f, "{r}"),
        }
    }
}

impl From<AppError> for OneStopError {
    fn from(e: AppError) -> Self {
        OneStopError::App(e)
    }
}

impl ResponseError for OneStopError {
    fn status_code(&self) -> StatusCode {
        match self {
            OneStopError::App(e) => e.status_code(),
            OneStopError::Rule(_) => StatusCode::CONFLICT,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            OneStopError::App(e) => e.error_response(),
            OneStopError::Rule(r) => {
                let p = Problem {
                    kind: format!("urn:thanthien:problem:{}", r.code),
                    title: "Không thực hiện được thao tác".into(),
                    status: 409,
                    detail: r.detail.clone(),
                    code: r.code.into(),
                    errors: Vec::new(),
                };
                HttpResponse::Conflict()
                    .insert_header((header::CONTENT_TYPE, "application/problem+json"))
                    .body(serde_json::to_string(&p).unwrap_or_default())
            }
        }
    }
}

fn rule<T>(code: &'static str, detail: &str) -> AppResult<Result<T, RuleError>> {
    Ok(Err(RuleError { code, detail: detail.into() }))
}

fn today_local() -> NaiveDate {
    to_local(Utc::now().naive_utc()).date()
}

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
    audit::repo::record(
        conn,
        actor,
        Change {
            commune_id: Some(commune_id),
            action: "create",
            entity: "procedure",
            entity_id: Some(row.id.to_string()),
            summary: json!({ "code": row.code, "name": row.name, "limit": [row.limit_amount, row.limit_unit], "demo": demo }),
        },
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
        audit::repo::record(
            conn,
            actor,
            Change {
                commune_id: Some(commune_id),
                action: "update",
                entity: "procedure",
                entity_id: Some(id.to_string()),
                summary: diff.into(),
            },
        )?;
        Ok(row)
    })
}

/// The non-blank records of a CSV text (`tabular::parse_csv`: quoting, BOM, `,` or `;`).
fn csv_rows(text: &str) -> AppResult<Vec<Vec<String>>> {
    let rows = tabular::parse_csv(text).map_err(|tabular::CsvError::UnclosedQuote { line }| {
        AppError::field("csv", "invalid_format", &format!("Dấu ngoặc kép mở ở dòng {line} chưa được đóng."))
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
            bad("limit_unit", "Đơn vị: working_days, working_hours hoặc same_day.");
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
            bad("online_level", "Mức: full, partial hoặc none (hoặc 4, 3, 2, 1).");
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
    use crate::db::schema::communes;
    use diesel::prelude::*;
    let commune: (i64, String) = match commune_id {
        Some(id) => communes::table.find(id).select((communes::id, communes::name)).first(conn)?,
        None => {
            let all: Vec<(i64, String)> =
                communes::table.order(communes::id).limit(2).select((communes::id, communes::name)).load(conn)?;
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

// ---------------------------------------------------------------- dossiers

/// Who acts on a dossier.
#[derive(Debug, Clone)]
pub struct Staff {
    pub actor: Actor,
    pub user_id: i64,
    pub full_name: String,
    pub unit_id: Option<i64>,
    pub commune_id: i64,
}

fn staff_unit(conn: &mut DbConnection, s: &Staff) -> AppResult<(i64, Option<String>, String)> {
    let unit_id = s.unit_id.ok_or(AppError::Forbidden)?;
    let unit = crate::org::repo::get_unit(conn, s.commune_id, unit_id)?;
    let code = unit.code.clone().unwrap_or_else(|| "HS".into());
    Ok((unit.id, Some(unit.name), code))
}

fn received_local(v: &mut Validator, at: Option<DateTime<FixedOffset>>, now: NaiveDateTime) -> NaiveDateTime {
    match at {
        None => to_local(now),
        Some(t) => {
            let utc = t.naive_utc();
            if utc > now + Duration::minutes(2) {
                v.add("received_at", "invalid_value", "Thời điểm tiếp nhận không được ở tương lai.");
            } else if utc < now - Duration::days(365) {
                v.add("received_at", "invalid_value", "Thời điểm tiếp nhận quá 365 ngày trước.");
            }
            to_local(utc)
        }
    }
}

fn appointment(
    conn: &mut DbConnection,
    commune_id: i64,
    p: &ProcedureRow,
    received: NaiveDateTime,
) -> AppResult<NaiveDateTime> {
    let c = cal::load_from(conn, Some(commune_id), received)?;
    let unit = LimitUnit::parse(&p.limit_unit).unwrap_or(LimitUnit::WorkingDays);
    cal::due_local(&c, received, i64::from(p.limit_amount), cal::unit_of(unit, p.cutoff_minutes))
}

fn active_procedure(conn: &mut DbConnection, commune_id: i64, id: i64) -> AppResult<ProcedureRow> {
    usable(repo::get_procedure(conn, commune_id, id))
}

/// A procedure looked up for a new dossier: missing or no longer applied is a field error.
fn usable(found: diesel::QueryResult<ProcedureRow>) -> AppResult<ProcedureRow> {
    match found {
        Ok(p) if p.active => Ok(p),
        Ok(_) => Err(AppError::field("procedure_id", "invalid_value", "Thủ tục đã ngừng áp dụng.")),
        Err(diesel::result::Error::NotFound) => {
            Err(AppError::field("procedure_id", "not_found", "Không có thủ tục này."))
        }
        Err(e) => Err(e.into()),
    }
}

/// The appointment a dossier received now (or at `received_at`) would get.
pub fn preview_due(conn: &mut DbConnection, commune_id: i64, body: PreviewDue) -> AppResult<DateTime<FixedOffset>> {
    let now = Utc::now().naive_utc();
    let mut v = Validator::new();
    let received = received_local(&mut v, body.received_at, now);
    v.finish()?;
    let p = active_procedure(conn, commune_id, body.procedure_id)?;
    Ok(rfc(to_utc(appointment(conn, commune_id, &p, received)?)))
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Orders this process's SQLite intake transactions first come, first served (see [`intake`]).
/// Fair: an unlock hands the lock to the longest waiter, where a plain mutex lets a newcomer
/// barge in ahead of woken waiters, and a few unlucky intakes then wait many turns.
static SQLITE_INTAKE: parking_lot::FairMutex<()> = parking_lot::const_fair_mutex(());

/// Receives a dossier: code from the unit's daily counter, appointment from the calendar.
/// Returns the stored row and its procedure.
pub fn intake(conn: &mut DbConnection, staff: &Staff, body: CreateDossier) -> AppResult<(DossierRow, ProcedureRow)> {
    let now = Utc::now().naive_utc();
    let mut v = Validator::new();
    if !(1..=3).contains(&body.channel) {
        v.add("channel", "invalid_value", "Kênh: 1 trực tiếp, 2 trực tuyến, 3 bưu chính.");
    }
    let a = &body.applicant;
    v.text("applicant.name", &a.name, 1, 120);
    v.text("applicant.address", &a.address, 1, 300);
    let phone = digits(&a.phone);
    if !(8..=15).contains(&phone.len()) || !a.phone.chars().all(|c| c.is_ascii_digit() || " .+-".contains(c)) {
        v.add("applicant.phone", "invalid_format", "Số điện thoại gồm 8–15 chữ số.");
    }
    let id_number = a.id_number.trim();
    if !(id_number.len() == 9 || id_number.len() == 12) || !id_number.bytes().all(|b| b.is_ascii_digit()) {
        v.add("applicant.id_number", "invalid_format", "Số CMND/CCCD gồm 9 hoặc 12 chữ số.");
    }
    let received = received_local(&mut v, body.received_at, now);
    v.finish()?;
    // The procedure and the staff member's unit in one statement.
    let (procedure, unit) =
        match repo::procedure_and_unit(conn, staff.commune_id, body.procedure_id, staff.unit_id.unwrap_or(-1)) {
            Ok((p, name, code)) => (Ok(p), (name, code)),
            Err(e) => (Err(e), (None, None)),
        };
    let procedure = usable(procedure)?;
    let (unit_name, unit_code) = unit;
    let appointed = to_utc(appointment(conn, staff.commune_id, &procedure, received)?);
    let unit_id = staff.unit_id.ok_or(AppError::Forbidden)?;
    let unit_name = Some(unit_name.ok_or(AppError::NotFound)?);
    let unit_code = unit_code.unwrap_or_else(|| "HS".into());
    let name = a.name.trim().to_string();
    // SQLite has one writer at a time: queue intakes of this process on a mutex rather than
    // on SQLite's busy handler, whose growing sleeps (up to 100 ms each) make the latency
    // tail. Correctness does not depend on it: the counter row is updated in the transaction.
    let _queue = matches!(conn, DbConnection::Sqlite(_)).then(|| SQLITE_INTAKE.lock());
    let day = received.date();
    // PostgreSQL: take the number before the intake transaction (see allocate_counter_pg), so
    // the counter row is not held through the commit's disk flush.
    let early_number = match conn {
        DbConnection::Postgresql(pg) => Some(repo::allocate_counter_pg(pg, unit_id, day)?),
        DbConnection::Sqlite(_) => None,
    };
    write_tx(conn, |conn| {
        let new = NewDossier {
            commune_id: staff.commune_id,
            procedure_id: procedure.id,
            unit_id,
            code: String::new(),
            channel: body.channel,
            status: lifecycle::RECEIVED,
            applicant_search: fold_search(&name),
            applicant_name: name.clone(),
            applicant_phone: a.phone.trim().to_string(),
            phone_digits: phone.clone(),
            applicant_id_number: id_number.to_string(),
            applicant_address: a.address.trim().to_string(),
            received_at: to_utc(received),
            appointed_at: appointed,
            deadline_at: appointed,
            due_at: appointed,
            paid_online: body.paid_online,
            digitised: body.digitised,
            electronic_result: false,
            created_by: Some(staff.user_id),
            created_at: now,
            updated_at: now,
        };
        let event = NewEvent {
            dossier_id: 0,
            action: lifecycle::RECEIVE.into(),
            from_status: None,
            to_status: lifecycle::RECEIVED,
            at: to_utc(received),
            user_id: Some(staff.user_id),
            user_name: staff.full_name.clone(),
            unit_id: Some(unit_id),
            unit_name: unit_name.clone(),
            note: None,
            new_due_at: None,
        };
        // Codes are unique across the database, but unit codes are unique only within a commune:
        // if another commune's unit with the same code took this number today, take the next.
        let mut n = match early_number {
            Some(n) => n,
            None => repo::next_counter(conn, unit_id, day)?,
        };
        let row = loop {
            if n > 9999 {
                return Err(AppError::Conflict("Đã hết số hồ sơ trong ngày (9999).".into()));
            }
            let code = format!("{}-{:02}{:02}{:02}-{:04}", unit_code, day.year() % 100, day.month(), day.day(), n);
            let attempt = NewDossier { code, ..new.clone() };
            let inserted = match conn {
                // PostgreSQL: the dossier and its first event in one statement.
                DbConnection::Postgresql(pg) => repo::insert_dossier_with_event_pg(pg, &attempt, &event)?,
                DbConnection::Sqlite(_) => match repo::insert_dossier_unless_taken(conn, &attempt)? {
                    Some(row) => {
                        repo::insert_event(conn, &NewEvent { dossier_id: row.id, ..event.clone() })?;
                        Some(row)
                    }
                    None => None,
                },
            };
            match inserted {
                Some(row) => break row,
                None => n = repo::next_counter(conn, unit_id, day)?,
            }
        };
        // No personal data in the audit summary.
        audit::repo::record(
            conn,
            &staff.actor,
            Change {
                commune_id: Some(staff.commune_id),
                action: "create",
                entity: "dossier",
                entity_id: Some(row.id.to_string()),
                summary: json!({ "code": row.code, "procedure_id": procedure.id, "channel": row.channel,
                    "received_at": row.received_at, "due_at": row.due_at }),
            },
        )?;
        Ok(row)
    })
    .map(|row| (row, procedure))
}

fn needs_note(a: Action) -> bool {
    matches!(a, Action::RequestSupplement | Action::Refuse | Action::Stop | Action::ApologizeAndExtend)
}

/// Applies one lifecycle action. Illegal transitions and refused rules are `Err(RuleError)`.
pub fn act(
    conn: &mut DbConnection,
    staff: &Staff,
    id: i64,
    body: ActionBody,
) -> AppResult<Result<DossierRow, RuleError>> {
    let now = Utc::now().naive_utc();
    let mut v = Validator::new();
    let note = body.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);
    if let Some(n) = &note {
        v.text("note", n, 0, 2000);
    }
    if needs_note(body.action) && note.is_none() {
        v.add("note", "required", "Cần ghi nội dung (lý do, giấy tờ cần bổ sung…).");
    }
    let new_due = body.new_due_at.map(|d| d.naive_utc());
    if body.action == Action::ApologizeAndExtend {
        match new_due {
            None => v.add("new_due_at", "required", "Cần hẹn ngày trả kết quả mới."),
            Some(d) if d <= now => v.add("new_due_at", "invalid_value", "Ngày hẹn mới phải sau thời điểm hiện tại."),
            Some(d) if d > now + Duration::days(365) => v.add("new_due_at", "invalid_value", "Ngày hẹn mới quá xa."),
            Some(_) => {}
        }
    } else if new_due.is_some() {
        v.add("new_due_at", "invalid_value", "Chỉ dùng khi xin lỗi và gia hạn.");
    }
    v.finish()?;
    let (unit_id, unit_name, _) = staff_unit(conn, staff)?;
    write_tx(conn, |conn| {
        let (d, _) = repo::get_dossier(conn, staff.commune_id, id)?;
        if d.source == "import" {
            // Its history lives in the province's system; a local event would be replayed
            // without the pauses and supplement requests that system recorded.
            return rule(
                "imported_dossier",
                "Hồ sơ nhập từ hệ thống một cửa của tỉnh: cập nhật bằng cách nhập lại tệp, không xử lý tại đây.",
            );
        }
        let Some(to) = lifecycle::transition(d.status, body.action) else {
            return rule(
                "invalid_transition",
                &format!(
                    "Không thể “{}” khi hồ sơ đang ở trạng thái “{}”.",
                    body.action.as_str(),
                    lifecycle::status_name(d.status)
                ),
            );
        };
        if body.action == Action::Resolve && now > d.due_at {
            return rule(
                "apology_required",
                "Hồ sơ đã quá hạn: cần văn bản xin lỗi và hẹn lại ngày trả kết quả (mẫu 04) trước.",
            );
        }
        if body.action == Action::ApologizeAndExtend && new_due.is_some_and(|nd| nd <= d.due_at) {
            return Ok(Err(RuleError {
                code: "invalid_new_due",
                detail: "Ngày hẹn mới phải sau ngày hẹn hiện tại.".into(),
            }));
        }
        repo::insert_event(
            conn,
            &NewEvent {
                dossier_id: d.id,
                action: body.action.as_str().into(),
                from_status: Some(d.status),
                to_status: to,
                at: now,
                user_id: Some(staff.user_id),
                user_name: staff.full_name.clone(),
                unit_id: Some(unit_id),
                unit_name: unit_name.clone(),
                note: note.clone(),
                new_due_at: new_due,
            },
        )?;
        let row = recompute(conn, &d, now)?;
        audit::repo::record(
            conn,
            &staff.actor,
            Change {
                commune_id: Some(staff.commune_id),
                action: body.action.as_str(),
                entity: "dossier",
                entity_id: Some(d.id.to_string()),
                summary: json!({ "code": d.code, "from": d.status, "to": to, "due_at": row.due_at, "new_due_at": new_due }),
            },
        )?;
        Ok(Ok(row))
    })
}

/// Recomputes the derived columns of a dossier from its events.
pub fn recompute(conn: &mut DbConnection, d: &DossierRow, now: NaiveDateTime) -> AppResult<DossierRow> {
    let events = repo::events(conn, d.id)?;
    let c = cal::load_from(conn, Some(d.commune_id), to_local(d.received_at))?;
    let steps: Vec<Step<'_>> = events
        .iter()
        .filter(|e| e.action != lifecycle::RECEIVE)
        .map(|e| Step { action: &e.action, to_status: e.to_status, at: e.at, new_due_at: e.new_due_at })
        .collect();
    let derived = lifecycle::replay(&c, d.received_at, d.appointed_at, &steps, now);
    Ok(repo::update_derived(conn, d.id, &derived)?)
}

/// Sets the flags of a dossier.
pub fn update_flags(conn: &mut DbConnection, staff: &Staff, id: i64, body: UpdateFlags) -> AppResult<()> {
    write_tx(conn, |conn| {
        let (d, _) = repo::get_dossier(conn, staff.commune_id, id)?;
        let flags = (
            body.paid_online.unwrap_or(d.paid_online),
            body.digitised.unwrap_or(d.digitised),
            body.electronic_result.unwrap_or(d.electronic_result),
        );
        if flags == (d.paid_online, d.digitised, d.electronic_result) {
            return Ok(());
        }
        repo::update_flags(conn, id, flags, Utc::now().naive_utc())?;
        audit::repo::record(
            conn,
            &staff.actor,
            Change {
                commune_id: Some(staff.commune_id),
                action: "update",
                entity: "dossier",
                entity_id: Some(id.to_string()),
                summary: json!({ "code": d.code, "paid_online": flags.0, "digitised": flags.1, "electronic_result": flags.2 }),
            },
        )?;
        Ok(())
    })
}

/// A stored dossier as the API shows it.
pub fn dossier_api(d: DossierRow, p: &ProcedureRow, personal: bool, now: NaiveDateTime) -> Dossier {
    let timeliness =
        lifecycle::timeliness(d.timeliness.as_deref(), d.deadline_at, d.paused_since, d.supplement_requests, now);
    let open = lifecycle::is_open(d.status);
    let applicant = if personal {
        Applicant {
            name: d.applicant_name,
            phone: d.applicant_phone,
            id_number: d.applicant_id_number,
            address: d.applicant_address,
        }
    } else {
        Applicant {
            name: lifecycle::mask_name(&d.applicant_name),
            phone: lifecycle::mask_tail(&d.phone_digits, 3),
            id_number: lifecycle::mask_tail(&d.applicant_id_number, 3),
            address: "***".into(),
        }
    };
    Dossier {
        id: d.id,
        code: d.code,
        source: d.source,
        procedure_id: p.id,
        procedure_code: p.code.clone(),
        procedure_name: p.name.clone(),
        channel: d.channel,
        status: d.status,
        status_name: lifecycle::status_name(d.status).into(),
        applicant,
        personal_data_masked: !personal,
        received_at: rfc(d.received_at),
        appointed_at: rfc(d.appointed_at),
        due_at: rfc(d.due_at),
        deadline_at: rfc(d.deadline_at),
        paused_since: d.paused_since.map(rfc),
        finished_at: d.finished_at.map(rfc),
        returned_at: d.returned_at.map(rfc),
        timeliness,
        supplement_requests: d.supplement_requests,
        flags: DossierFlags {
            paid_online: d.paid_online,
            digitised: d.digitised,
            electronic_result: d.electronic_result,
            needs_apology: open && d.paused_since.is_none() && now > d.due_at,
            paused: d.paused_since.is_some(),
            extended: d.extended,
        },
        unit_id: d.unit_id,
    }
}

fn event_api(e: EventRow) -> DossierEvent {
    DossierEvent {
        id: e.id,
        action: e.action,
        from_status: e.from_status,
        to_status: e.to_status,
        at: rfc(e.at),
        user_id: e.user_id,
        user_name: e.user_name,
        unit_id: e.unit_id,
        unit_name: e.unit_name,
        note: e.note,
        new_due_at: e.new_due_at.map(rfc),
    }
}

/// UTC instant of local midnight starting `d`.
fn local_midnight_utc(d: NaiveDate) -> NaiveDateTime {
    to_utc(d.and_time(chrono::NaiveTime::MIN))
}

/// Dossiers of the commune with the filters and views.
pub fn list_dossiers(
    conn: &mut DbConnection,
    commune_id: i64,
    personal: bool,
    f: &DossierFilter,
    paging: Paging,
) -> AppResult<(Vec<Dossier>, i64)> {
    let now = Utc::now().naive_utc();
    let local_now = to_local(now);
    let mut v = Validator::new();
    if let (Some(a), Some(b)) = (f.received_from, f.received_to)
        && b < a
    {
        v.add("received_to", "invalid_value", "Ngày kết thúc trước ngày bắt đầu.");
    }
    if let (Some(a), Some(b)) = (f.finished_from, f.finished_to)
        && b < a
    {
        v.add("finished_to", "invalid_value", "Ngày kết thúc trước ngày bắt đầu.");
    }
    if f.status.is_some_and(|s| !(1..=10).contains(&s)) {
        v.add("status", "invalid_value", "Trạng thái từ 1 đến 10.");
    }
    if f.channel.is_some_and(|c| !(1..=3).contains(&c)) {
        v.add("channel", "invalid_value", "Kênh từ 1 đến 3.");
    }
    v.finish()?;
    let due_soon_until = if f.view == Some(DossierView::DueSoon) {
        // Due by the close of the next working day.
        let c = cal::load_from(conn, Some(commune_id), local_now)?;
        let next = c.next_working_moment(local_now).unwrap_or(local_now);
        let until = c.add_working_days(next.date().and_time(chrono::NaiveTime::MIN), 2);
        to_utc(until.unwrap_or(local_now + Duration::days(2)))
    } else {
        now
    };
    let scope = repo::ListScope {
        commune_id,
        now,
        personal,
        received_from: f.received_from.map(local_midnight_utc),
        received_to: f.received_to.and_then(|d| d.succ_opt()).map(local_midnight_utc),
        finished_from: f.finished_from.map(local_midnight_utc),
        finished_to: f.finished_to.and_then(|d| d.succ_opt()).map(local_midnight_utc),
        open_at: f.open_at.and_then(|d| d.succ_opt()).map(local_midnight_utc).map(|t| t.min(now)),
        due_soon_until,
        today_from: local_midnight_utc(local_now.date()),
    };
    let (rows, total) = repo::list_dossiers(conn, &scope, f, paging)?;
    Ok((rows.into_iter().map(|(d, p)| dossier_api(d, &p, personal, now)).collect(), total))
}

/// One dossier with its events and allowed actions.
pub fn get_dossier(conn: &mut DbConnection, commune_id: i64, id: i64, personal: bool) -> AppResult<DossierDetail> {
    let now = Utc::now().naive_utc();
    let (d, p) = repo::get_dossier(conn, commune_id, id)?;
    let events = repo::events(conn, d.id)?.into_iter().map(event_api).collect();
    // Imported dossiers are updated by re-importing (see `act`).
    let allowed = if d.source == "import" { Vec::new() } else { lifecycle::allowed(d.status) };
    Ok(DossierDetail { dossier: dossier_api(d, &p, personal, now), events, allowed_actions: allowed })
}

fn header(commune_name: &str, at: NaiveDateTime) -> FormHeader {
    let local = to_local(at);
    FormHeader {
        issuer: format!("UBND XÃ {}", commune_name.to_uppercase()),
        issuer_unit: "BỘ PHẬN MỘT CỬA".into(),
        motto_line1: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(),
        motto_line2: "Độc lập - Tự do - Hạnh phúc".into(),
        place_date: format!("{}, ngày {} tháng {} năm {}", commune_name, local.day(), local.month(), local.year()),
    }
}

fn commune_name(conn: &mut DbConnection, commune_id: i64) -> AppResult<String> {
    use crate::db::schema::communes;
    use diesel::prelude::*;
    Ok(communes::table.find(commune_id).select(communes::name).first(conn)?)
}

/// Data of a printable form of one dossier.
pub fn form(conn: &mut DbConnection, commune_id: i64, id: i64, form: &str) -> AppResult<Result<FormData, RuleError>> {
    let now = Utc::now().naive_utc();
    let (title, action) = match form {
        "01" => ("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", Some(lifecycle::RECEIVE)),
        "02" => ("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", Some("request_supplement")),
        "03" => ("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", Some("refuse")),
        "04" => ("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", Some("apologize_and_extend")),
        "06" => ("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", None),
        _ => return Err(AppError::NotFound),
    };
    let (d, p) = repo::get_dossier(conn, commune_id, id)?;
    let events = repo::events(conn, d.id)?;
    let event = match action {
        Some(a) => match events.iter().rev().find(|e| e.action == a) {
            Some(e) => Some(e.clone()),
            None => return rule("form_not_applicable", "Hồ sơ chưa có sự kiện tương ứng với mẫu phiếu này."),
        },
        None => None,
    };
    let commune = commune_name(conn, commune_id)?;
    let procedure = procedures_api(conn, vec![p.clone()])?.pop().ok_or(AppError::NotFound)?;
    let lookup_path = format!("/tra-cuu/{}", d.code);
    let staff_name = event.as_ref().map(|e| e.user_name.clone()).unwrap_or_default();
    Ok(Ok(FormData {
        form: form.into(),
        title: title.into(),
        header: header(&commune, event.as_ref().map_or(now, |e| e.at)),
        commune_name: commune,
        dossier: dossier_api(d, &p, true, now),
        procedure,
        staff_name,
        note: event.as_ref().and_then(|e| e.note.clone()),
        new_due_at: event.as_ref().and_then(|e| e.new_due_at).map(rfc),
        lookup_path,
        events: if form == "06" { events.into_iter().map(event_api).collect() } else { Vec::new() },
    }))
}

/// Form 07: the register of dossiers received in `[from, to]` (local dates).
pub fn register(conn: &mut DbConnection, commune_id: i64, from: NaiveDate, to: NaiveDate) -> AppResult<RegisterData> {
    let mut v = Validator::new();
    if to < from {
        v.add("to", "invalid_value", "Ngày kết thúc trước ngày bắt đầu.");
    } else if (to - from).num_days() > 366 {
        v.add("to", "invalid_value", "Tối đa một năm mỗi sổ.");
    }
    v.finish()?;
    let now = Utc::now().naive_utc();
    let end = to.succ_opt().ok_or_else(|| AppError::field("to", "invalid_value", "Ngày không hợp lệ."))?;
    let rows = repo::register(conn, commune_id, local_midnight_utc(from), local_midnight_utc(end))?;
    let commune = commune_name(conn, commune_id)?;
    Ok(RegisterData {
        form: "07".into(),
        title: "SỔ THEO DÕI HỒ SƠ".into(),
        header: header(&commune, now),
        from,
        to,
        rows: rows
            .into_iter()
            .enumerate()
            .map(|(i, (d, p))| {
                let api = dossier_api(d, &p, true, now);
                RegisterRow {
                    no: i + 1,
                    code: api.code,
                    procedure_name: api.procedure_name,
                    applicant_name: api.applicant.name,
                    applicant_address: api.applicant.address,
                    channel: api.channel,
                    received_at: api.received_at,
                    due_at: api.due_at,
                    finished_at: api.finished_at,
                    returned_at: api.returned_at,
                    status: api.status,
                    status_name: api.status_name,
                    timeliness: api.timeliness,
                }
            })
            .collect(),
    })
}

/// Lookups allowed per address per window.
pub const LOOKUP_LIMIT: i64 = 20;
pub const LOOKUP_WINDOW_MINUTES: i64 = 10;

/// The public lookup: code and the last four digits of the applicant's phone. Unknown codes
/// and wrong digits are the same `NotFound`. Throttled per address in the database.
pub fn public_lookup(conn: &mut DbConnection, ip: &str, code: &str, last4: Option<&str>) -> AppResult<PublicDossier> {
    let now = Utc::now().naive_utc();
    write_tx(conn, |conn| {
        let since = now - Duration::minutes(LOOKUP_WINDOW_MINUTES);
        if repo::count_lookups(conn, ip, since)? >= LOOKUP_LIMIT {
            return Err(AppError::RateLimited { retry_after_secs: (LOOKUP_WINDOW_MINUTES * 60) as u64 });
        }
        repo::record_lookup(conn, ip, now, now - Duration::days(1))?;
        Ok(())
    })?;
    let last4 = last4.map(str::trim).filter(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()));
    let code = code.trim().to_uppercase();
    let (Some(last4), true) = (last4, code.len() <= 40) else {
        return Err(AppError::NotFound);
    };
    match repo::find_by_code(conn, &code)? {
        Some((d, procedure_name)) if d.phone_digits.ends_with(last4) => Ok(PublicDossier {
            code: d.code,
            procedure_name,
            status: d.status,
            status_name: lifecycle::status_name(d.status).into(),
            received_at: rfc(d.received_at),
            due_at: rfc(d.due_at),
            returned_at: d.returned_at.map(rfc),
        }),
        _ => Err(AppError::NotFound),
    }
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
