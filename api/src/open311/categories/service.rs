//! The rules of feedback categories: a commune's first change copies the defaults into its
//! own rows; codes are unique in the commune and never change once a request used them;
//! every write audited.

use serde_json::json;

use super::model::*;
use super::repo;
use crate::audit::{self, Change};
use crate::auth::Caller;
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult, Validator};
use crate::open311::model::CategoryRow;

const KINDS: [&str; 2] = ["feedback", "recommendation"];

fn view(r: CategoryRow, used: &[String]) -> FeedbackCategory {
    FeedbackCategory {
        used: used.contains(&r.code),
        inherited: r.commune_id.is_none(),
        id: r.id,
        code: r.code,
        name: r.name,
        description: r.description,
        kind: r.kind,
        grouping: r.grouping,
        keywords: r.keywords,
        position: r.position,
        active: r.active,
    }
}

/// The commune's categories: its own rows, or the defaults while it has none.
pub fn list(conn: &mut DbConnection, caller: &Caller) -> AppResult<Vec<FeedbackCategory>> {
    let commune = caller.commune()?;
    let own = repo::rows_of(conn, Some(commune))?;
    let rows = if own.is_empty() { repo::rows_of(conn, None)? } else { own };
    let used = repo::used_codes(conn, commune)?;
    Ok(rows.into_iter().map(|r| view(r, &used)).collect())
}

/// The commune's own rows, copying the defaults in first when it has none.
fn own_rows(conn: &mut DbConnection, commune: i64) -> AppResult<Vec<CategoryRow>> {
    let own = repo::rows_of(conn, Some(commune))?;
    if !own.is_empty() {
        return Ok(own);
    }
    let mut copied = Vec::new();
    for d in repo::rows_of(conn, None)? {
        copied.push(repo::insert(
            conn,
            &NewCategory {
                commune_id: Some(commune),
                code: d.code,
                name: d.name,
                description: d.description,
                kind: d.kind,
                grouping: d.grouping,
                keywords: d.keywords,
                position: d.position,
                active: d.active,
            },
        )?);
    }
    Ok(copied)
}

fn check(v: &mut Validator, r: &CategoryRow) {
    let code_ok = (1..=40).contains(&r.code.len())
        && r.code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !r.code.starts_with('-');
    if !code_ok {
        v.add(
            "code",
            "invalid_format",
            "Mã gồm 1–40 chữ thường không dấu, chữ số hoặc dấu gạch ngang (ví dụ: den-duong).",
        );
    }
    if r.name.trim().is_empty() || r.name.chars().count() > 120 {
        v.add("name", "invalid_length", "Tên từ 1 đến 120 ký tự.");
    }
    if r.description.chars().count() > 500 {
        v.add("description", "invalid_length", "Mô tả tối đa 500 ký tự.");
    }
    if !KINDS.contains(&r.kind.as_str()) {
        v.add("kind", "invalid_value", "Loại là phản ánh (feedback) hoặc kiến nghị (recommendation).");
    }
    if r.grouping.chars().count() > 80 {
        v.add("grouping", "invalid_length", "Nhóm tối đa 80 ký tự.");
    }
    if r.keywords.chars().count() > 300 {
        v.add("keywords", "invalid_length", "Từ khóa tối đa 300 ký tự.");
    }
    if !(0..=10_000).contains(&r.position) {
        v.add("position", "out_of_range", "Thứ tự từ 0 đến 10000.");
    }
}

fn record(conn: &mut DbConnection, caller: &Caller, action: &'static str, r: &CategoryRow) -> AppResult<()> {
    audit::repo::record(
        conn,
        &caller.actor(),
        Change {
            commune_id: r.commune_id,
            action,
            entity: "feedback_category",
            entity_id: Some(r.id.to_string()),
            summary: json!({ "code": r.code, "name": r.name, "kind": r.kind, "active": r.active }),
        },
    )?;
    Ok(())
}

/// Adds a category to the commune (its code unique there).
pub fn create(conn: &mut DbConnection, caller: &Caller, body: CreateCategory) -> AppResult<FeedbackCategory> {
    let commune = caller.commune()?;
    write_tx(conn, |c| -> AppResult<FeedbackCategory> {
        let own = own_rows(c, commune)?;
        let draft = CategoryRow {
            id: 0,
            commune_id: Some(commune),
            code: body.code.trim().to_string(),
            name: body.name.trim().to_string(),
            description: body.description.trim().to_string(),
            kind: body.kind.trim().to_string(),
            grouping: body.grouping.trim().to_string(),
            keywords: body.keywords.trim().to_string(),
            position: body.position.unwrap_or_else(|| own.iter().map(|r| r.position).max().unwrap_or(0) + 1),
            active: true,
        };
        let mut v = Validator::new();
        check(&mut v, &draft);
        if own.iter().any(|r| r.code == draft.code) {
            v.add("code", "duplicate", "Mã này đã có trong xã.");
        }
        v.finish()?;
        let row = repo::insert(
            c,
            &NewCategory {
                commune_id: draft.commune_id,
                code: draft.code,
                name: draft.name,
                description: draft.description,
                kind: draft.kind,
                grouping: draft.grouping,
                keywords: draft.keywords,
                position: draft.position,
                active: true,
            },
        )?;
        record(c, caller, "create", &row)?;
        let used = repo::used_codes(c, commune)?;
        Ok(view(row, &used))
    })
}

/// Changes a category (a default one is first copied into the commune's rows); a code used
/// by a request stays (409 `code_in_use`).
pub fn update(conn: &mut DbConnection, caller: &Caller, id: i64, body: UpdateCategory) -> AppResult<FeedbackCategory> {
    let commune = caller.commune()?;
    write_tx(conn, |c| -> AppResult<FeedbackCategory> {
        let target = repo::get(c, id)?.ok_or(AppError::NotFound)?;
        if target.commune_id.is_some_and(|x| x != commune) {
            return Err(AppError::NotFound);
        }
        let own = own_rows(c, commune)?;
        // A default row stands for the commune's copy with the same code.
        let mut row = own
            .iter()
            .find(|r| r.id == id || (target.commune_id.is_none() && r.code == target.code))
            .cloned()
            .ok_or(AppError::NotFound)?;
        let before = row.clone();
        if let Some(x) = body.code {
            row.code = x.trim().to_string();
        }
        if let Some(x) = body.name {
            row.name = x.trim().to_string();
        }
        if let Some(x) = body.description {
            row.description = x.trim().to_string();
        }
        if let Some(x) = body.kind {
            row.kind = x.trim().to_string();
        }
        if let Some(x) = body.grouping {
            row.grouping = x.trim().to_string();
        }
        if let Some(x) = body.keywords {
            row.keywords = x.trim().to_string();
        }
        if let Some(x) = body.position {
            row.position = x;
        }
        if let Some(x) = body.active {
            row.active = x;
        }
        let mut v = Validator::new();
        check(&mut v, &row);
        if row.code != before.code && own.iter().any(|r| r.id != row.id && r.code == row.code) {
            v.add("code", "duplicate", "Mã này đã có trong xã.");
        }
        v.finish()?;
        let used = repo::used_codes(c, commune)?;
        if row.code != before.code && used.contains(&before.code) {
            return Err(AppError::rule(
                "code_in_use",
                format!(
                    "Mã “{}” đã được dùng cho phản ánh gửi qua Open311: không đổi được (hệ thống khác đang dùng mã này).",
                    before.code
                ),
            ));
        }
        let saved = repo::save(c, &row)?;
        let action = match (before.active, saved.active) {
            (true, false) => "deactivate",
            (false, true) => "activate",
            _ => "update",
        };
        record(c, caller, action, &saved)?;
        Ok(view(saved, &used))
    })
}
