//! Community boards: their supervisions and recommendations, and the commune's responses.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use serde_json::json;

use super::model::*;
use super::repo;
use crate::auth::Caller;
use crate::db::{DbConnection, write_tx};
use crate::democracy::common;
use crate::democracy::disclosures::model::{FileOwner, Upload};
use crate::error::{AppError, AppResult, Validator};
use crate::http::Paging;
use crate::org::model::{UnitFilter, UnitKind};
use crate::org::repo as org_repo;
use crate::plans::storage::Storage;
use crate::time::today_local;

const BOARD_KINDS: [UnitKind; 2] = [UnitKind::InspectionBoard, UnitKind::InvestmentSupervisionBoard];

/// The commune's boards: (id, name, kind).
fn board_units(conn: &mut DbConnection, commune_id: i64) -> AppResult<Vec<(i64, String, String)>> {
    let mut out = Vec::new();
    for kind in BOARD_KINDS {
        let f = UnitFilter { q: None, kind: Some(kind), active: None, page: None, per_page: None };
        let (rows, _) = org_repo::list_units(conn, commune_id, &f, Paging { page: 1, per_page: Paging::MAX_PER_PAGE })?;
        out.extend(rows.into_iter().map(|u| (u.id, u.name, u.kind)));
    }
    Ok(out)
}

pub fn boards(conn: &mut DbConnection, caller: &Caller) -> AppResult<Vec<Board>> {
    let commune_id = caller.commune()?;
    let units = board_units(conn, commune_id)?;
    let sup: HashMap<i64, i64> = repo::supervision_counts(conn, commune_id)?.into_iter().collect();
    let recs = repo::recommendation_counts(conn, commune_id)?;
    Ok(units
        .into_iter()
        .map(|(id, name, kind)| Board {
            unit_id: id,
            name,
            kind,
            supervisions: sup.get(&id).copied().unwrap_or(0),
            recommendations: recs.iter().filter(|(b, _, _)| *b == id).map(|(_, _, n)| n).sum(),
            pending: recs
                .iter()
                .filter(|(b, st, _)| *b == id && st == ResponseStatus::Pending.as_str())
                .map(|(_, _, n)| n)
                .sum(),
        })
        .collect())
}

fn recommendation_api(
    r: RecommendationRow,
    board_unit_id: i64,
    units: &HashMap<i64, common::UnitInfo>,
) -> Recommendation {
    Recommendation {
        id: r.id,
        supervision_id: r.supervision_id,
        board_unit_id,
        addressed_unit_name: r.addressed_unit_id.and_then(|u| units.get(&u).map(|i| i.name.clone())),
        addressed_unit_id: r.addressed_unit_id,
        status: ResponseStatus::parse(&r.status).unwrap_or(ResponseStatus::Pending),
        text: r.text,
        answer: r.answer,
        answered_on: r.answered_on,
    }
}

fn supervisions_api(
    conn: &mut DbConnection,
    commune_id: i64,
    rows: Vec<SupervisionRow>,
) -> AppResult<Vec<Supervision>> {
    let units = common::units(conn, commune_id)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut recs: HashMap<i64, Vec<RecommendationRow>> = HashMap::new();
    for r in repo::recommendations_of(conn, &ids)? {
        recs.entry(r.supervision_id).or_default().push(r);
    }
    let mut files = common::files_by_owner(conn, FileOwner::Supervision, &ids)?;
    Ok(rows
        .into_iter()
        .map(|s| Supervision {
            id: s.id,
            board_unit_id: s.board_unit_id,
            board_name: units.get(&s.board_unit_id).map(|u| u.name.clone()).unwrap_or_default(),
            held_on: s.held_on,
            subject: s.subject,
            findings: s.findings,
            recommendations: recs
                .remove(&s.id)
                .unwrap_or_default()
                .into_iter()
                .map(|r| recommendation_api(r, s.board_unit_id, &units))
                .collect(),
            files: files.remove(&s.id).unwrap_or_default(),
        })
        .collect())
}

pub fn list_supervisions(
    conn: &mut DbConnection,
    caller: &Caller,
    f: &SupervisionFilter,
    paging: Paging,
) -> AppResult<(Vec<Supervision>, i64)> {
    common::check_year_filter(f.year)?;
    let commune_id = caller.commune()?;
    let (rows, total) = repo::list_supervisions(conn, commune_id, f, paging)?;
    Ok((supervisions_api(conn, commune_id, rows)?, total))
}

pub fn get_supervision(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<Supervision> {
    let commune_id = caller.commune()?;
    let row = repo::get_supervision(conn, commune_id, id)?;
    supervisions_api(conn, commune_id, vec![row])?.pop().ok_or(AppError::NotFound)
}

fn check_recommendation(
    v: &mut Validator,
    field: &str,
    r: &CreateRecommendation,
    units: &HashMap<i64, common::UnitInfo>,
) {
    v.text(&format!("{field}.text"), &r.text, 1, 2000);
    if r.addressed_unit_id.is_some_and(|u| !units.contains_key(&u)) {
        v.add(&format!("{field}.addressed_unit_id"), "not_found", "Không phải đơn vị của xã.");
    }
}

fn insert_recommendation(
    conn: &mut DbConnection,
    commune_id: i64,
    supervision_id: i64,
    r: &CreateRecommendation,
) -> AppResult<RecommendationRow> {
    let now = Utc::now().naive_utc();
    Ok(repo::insert_recommendation(
        conn,
        &NewRecommendation {
            commune_id,
            supervision_id,
            text: r.text.trim().into(),
            addressed_unit_id: r.addressed_unit_id,
            status: ResponseStatus::Pending.as_str().into(),
            answer: String::new(),
            created_at: now,
            updated_at: now,
        },
    )?)
}

/// The checks a supervision's own fields share between recording and editing.
fn check_supervision(
    v: &mut Validator,
    boards: &[(i64, String, String)],
    board_unit_id: i64,
    held_on: NaiveDate,
    subject: &str,
    findings: Option<&str>,
) {
    if !boards.iter().any(|(id, _, _)| *id == board_unit_id) {
        v.add(
            "board_unit_id",
            "not_found",
            "Không phải Ban Thanh tra nhân dân hay Ban Giám sát đầu tư của cộng đồng của xã.",
        );
    }
    v.text("subject", subject, 1, 1000);
    v.text("findings", findings.unwrap_or(""), 0, 20_000);
    if held_on > today_local() {
        v.add("held_on", "invalid_value", "Chỉ ghi nhận hoạt động đã diễn ra.");
    }
}

/// Replaces a supervision's board, day, subject and findings (its recommendations, their
/// responses and its files stay). The day may not move past a response already given.
pub fn update_supervision(
    conn: &mut DbConnection,
    caller: &Caller,
    id: i64,
    input: SupervisionInput,
) -> AppResult<Supervision> {
    let commune_id = caller.commune()?;
    repo::get_supervision(conn, commune_id, id)?;
    let boards = board_units(conn, commune_id)?;
    let mut v = Validator::new();
    check_supervision(&mut v, &boards, input.board_unit_id, input.held_on, &input.subject, input.findings.as_deref());
    v.finish()?;
    write_tx(conn, |conn| {
        let before = repo::get_supervision(conn, commune_id, id)?;
        let first_answer = repo::recommendations_of(conn, &[id])?.into_iter().filter_map(|r| r.answered_on).min();
        if first_answer.is_some_and(|d| input.held_on > d) {
            return Err(AppError::field(
                "held_on",
                "invalid_value",
                "Ngày giám sát không được sau ngày xã đã trả lời một kiến nghị.",
            ));
        }
        let row = repo::update_supervision(
            conn,
            id,
            &SupervisionChanges {
                board_unit_id: input.board_unit_id,
                held_on: input.held_on,
                subject: input.subject.trim().into(),
                findings: input.findings.as_deref().unwrap_or("").trim().into(),
                updated_at: Utc::now().naive_utc(),
            },
        )?;
        let changed = common::changed_fields(vec![
            ("board_unit_id", json!(before.board_unit_id), json!(row.board_unit_id)),
            ("held_on", json!(before.held_on), json!(row.held_on)),
            ("subject", json!(before.subject), json!(row.subject)),
            ("findings", json!(before.findings), json!(row.findings)),
        ]);
        common::record(conn, caller, "update", "supervision", id, changed)?;
        Ok::<_, AppError>(())
    })?;
    get_supervision(conn, caller, id)
}

pub fn create_supervision(
    conn: &mut DbConnection,
    caller: &Caller,
    input: CreateSupervision,
) -> AppResult<Supervision> {
    let commune_id = caller.commune()?;
    let units = common::units(conn, commune_id)?;
    let boards = board_units(conn, commune_id)?;
    let mut v = Validator::new();
    check_supervision(&mut v, &boards, input.board_unit_id, input.held_on, &input.subject, input.findings.as_deref());
    if input.recommendations.len() > 50 {
        v.add("recommendations", "too_long", "Tối đa 50 kiến nghị.");
    }
    for (i, r) in input.recommendations.iter().enumerate() {
        check_recommendation(&mut v, &format!("recommendations[{i}]"), r, &units);
    }
    v.finish()?;
    let id = write_tx(conn, |conn| {
        let now = Utc::now().naive_utc();
        let row = repo::insert_supervision(
            conn,
            &NewSupervision {
                commune_id,
                board_unit_id: input.board_unit_id,
                held_on: input.held_on,
                subject: input.subject.trim().into(),
                findings: input.findings.as_deref().unwrap_or("").trim().into(),
                created_by: caller.id,
                created_at: now,
                updated_at: now,
            },
        )?;
        for r in &input.recommendations {
            insert_recommendation(conn, commune_id, row.id, r)?;
        }
        common::record(
            conn,
            caller,
            "create",
            "supervision",
            row.id,
            json!({ "board_unit_id": row.board_unit_id, "held_on": row.held_on, "recommendations": input.recommendations.len() }),
        )?;
        Ok::<_, AppError>(row.id)
    })?;
    get_supervision(conn, caller, id)
}

pub fn add_recommendation(
    conn: &mut DbConnection,
    caller: &Caller,
    supervision_id: i64,
    input: CreateRecommendation,
) -> AppResult<Supervision> {
    let commune_id = caller.commune()?;
    let units = common::units(conn, commune_id)?;
    let mut v = Validator::new();
    v.text("text", &input.text, 1, 2000);
    if input.addressed_unit_id.is_some_and(|u| !units.contains_key(&u)) {
        v.add("addressed_unit_id", "not_found", "Không phải đơn vị của xã.");
    }
    v.finish()?;
    write_tx(conn, |conn| {
        repo::get_supervision(conn, commune_id, supervision_id)?;
        let row = insert_recommendation(conn, commune_id, supervision_id, &input)?;
        common::record(conn, caller, "create", "recommendation", row.id, json!({ "supervision_id": supervision_id }))?;
        Ok::<_, AppError>(())
    })?;
    get_supervision(conn, caller, supervision_id)
}

pub fn list_recommendations(
    conn: &mut DbConnection,
    caller: &Caller,
    f: &RecommendationFilter,
    paging: Paging,
) -> AppResult<(Vec<Recommendation>, i64)> {
    let commune_id = caller.commune()?;
    let (rows, total) = repo::list_recommendations(conn, commune_id, f, paging)?;
    let units = common::units(conn, commune_id)?;
    let mut sup_ids: Vec<i64> = rows.iter().map(|r| r.supervision_id).collect();
    sup_ids.sort_unstable();
    sup_ids.dedup();
    let boards: HashMap<i64, i64> = repo::boards_of(conn, &sup_ids)?.into_iter().collect();
    Ok((
        rows.into_iter()
            .map(|r| {
                let b = boards.get(&r.supervision_id).copied().unwrap_or_default();
                recommendation_api(r, b, &units)
            })
            .collect(),
        total,
    ))
}

/// Records (or changes) the commune's response to a recommendation.
pub fn respond(
    conn: &mut DbConnection,
    caller: &Caller,
    id: i64,
    input: RespondRecommendation,
) -> AppResult<Recommendation> {
    let commune_id = caller.commune()?;
    let before = repo::get_recommendation(conn, commune_id, id)?;
    let sup = repo::get_supervision(conn, commune_id, before.supervision_id)?;
    let answer = input.answer.as_deref().unwrap_or("").trim().to_string();
    let mut v = Validator::new();
    let pending = input.status == ResponseStatus::Pending;
    v.text("answer", &answer, if pending { 0 } else { 1 }, 10_000);
    let on = if pending { None } else { Some(input.answered_on.unwrap_or_else(today_local)) };
    if let Some(d) = on {
        if d > today_local() {
            v.add("answered_on", "invalid_value", "Ngày trả lời không được sau hôm nay.");
        } else if d < sup.held_on {
            v.add("answered_on", "invalid_value", "Ngày trả lời không được trước ngày giám sát.");
        }
    }
    v.finish()?;
    let row = write_tx(conn, |conn| {
        repo::get_recommendation(conn, commune_id, id)?;
        let row = repo::respond(
            conn,
            id,
            input.status.as_str(),
            &answer,
            on,
            (!pending).then_some(caller.id),
            Utc::now().naive_utc(),
        )?;
        common::record(
            conn,
            caller,
            "respond",
            "recommendation",
            id,
            json!({ "status": [before.status, input.status.as_str()], "answered_on": on }),
        )?;
        Ok::<_, AppError>(row)
    })?;
    let units = common::units(conn, commune_id)?;
    Ok(recommendation_api(row, sup.board_unit_id, &units))
}

/// Attaches minutes or photos of a supervision.
pub fn add_files(
    conn: &mut DbConnection,
    caller: &Caller,
    store: Arc<dyn Storage>,
    id: i64,
    files: Vec<Upload>,
) -> AppResult<Supervision> {
    let commune_id = caller.commune()?;
    repo::get_supervision(conn, commune_id, id)?;
    common::attach(conn, caller, store, FileOwner::Supervision, id, "supervision", &files)?;
    get_supervision(conn, caller, id)
}

/// (supervisions held in [from, to], their recommendations, answered, resolved).
pub fn figures(
    conn: &mut DbConnection,
    commune_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<(i64, i64, i64, i64)> {
    let (held, statuses) = repo::figures(conn, commune_id, from, to)?;
    let answered = statuses.iter().filter(|s| s.as_str() != ResponseStatus::Pending.as_str()).count() as i64;
    let resolved = statuses.iter().filter(|s| s.as_str() == ResponseStatus::Resolved.as_str()).count() as i64;
    Ok((held, statuses.len() as i64, answered, resolved))
}
