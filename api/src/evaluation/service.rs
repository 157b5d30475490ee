//! Criteria sets and evaluations: drafts computed live, publication freezing a snapshot,
//! re-evaluations as new versions, the report and its annexes.

use std::collections::BTreeMap;

use chrono::{NaiveDateTime, Utc};
use serde_json::json;

use super::compute::{self, period_view};
use super::criteria;
use super::model::*;
use super::{annexes, repo, report};
use crate::audit::{self, Actor};
use crate::auth::{Caller, Permission};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult, Validator};
use crate::time::{to_local, today_local};

fn json_text<T: serde::Serialize>(v: &T) -> AppResult<String> {
    serde_json::to_string(v).map_err(|e| AppError::Internal(format!("JSON: {e}")))
}

fn parse_or_internal<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> AppResult<T> {
    serde_json::from_str(s).map_err(|e| AppError::Internal(format!("stored {what}: {e}")))
}

// ---------------------------------------------------------------- criteria sets

fn set_view(r: CriteriaSetRow) -> AppResult<CriteriaSet> {
    Ok(CriteriaSet {
        id: r.id,
        year: r.year,
        version: r.version,
        name: r.name,
        criteria: parse_or_internal(&r.criteria, "criteria")?,
        thresholds: parse_or_internal(&r.thresholds, "thresholds")?,
        note: r.note,
        created_by_name: r.created_by_name,
        created_at: r.created_at.and_utc(),
    })
}

pub fn list_criteria_sets(
    conn: &mut DbConnection,
    commune_id: i64,
    f: &CriteriaSetFilter,
) -> AppResult<Vec<CriteriaSet>> {
    repo::criteria_sets(conn, commune_id, f.year)?.into_iter().map(set_view).collect()
}

pub fn get_criteria_set(conn: &mut DbConnection, commune_id: i64, id: i64) -> AppResult<CriteriaSet> {
    set_view(repo::get_criteria_set(conn, commune_id, id)?)
}

/// Stores a new version of the commune's set for a year (inside the caller's transaction).
fn insert_set(
    conn: &mut DbConnection,
    actor: &Actor,
    commune_id: i64,
    by: &str,
    body: &CreateCriteriaSet,
) -> AppResult<CriteriaSetRow> {
    let version = repo::last_set_version(conn, commune_id, body.year)? + 1;
    let row = repo::insert_criteria_set(
        conn,
        &NewCriteriaSet {
            commune_id,
            year: body.year,
            version,
            name: body.name.trim().to_string(),
            criteria: json_text(&body.criteria)?,
            thresholds: json_text(&body.thresholds)?,
            note: body.note.trim().to_string(),
            created_by_name: by.to_string(),
            created_at: Utc::now().naive_utc(),
        },
    )?;
    audit::repo::record_entity(
        conn,
        actor,
        commune_id,
        "create",
        "criteria_set",
        row.id,
        json!({ "year": row.year, "version": row.version, "name": row.name, "criteria": body.criteria.len() }),
    )?;
    Ok(row)
}

/// `POST /criteria-sets`: a new version for the year.
pub fn create_criteria_set(
    conn: &mut DbConnection,
    caller: &Caller,
    body: CreateCriteriaSet,
) -> AppResult<CriteriaSet> {
    let commune = caller.commune()?;
    criteria::check_set(&body.name, body.year, &body.criteria, &body.thresholds)?;
    if body.note.chars().count() > 4000 {
        return Err(AppError::field("note", "too_long", "Ghi chú tối đa 4000 ký tự."));
    }
    let row = write_tx(conn, |c| insert_set(c, &caller.actor(), commune, &caller.full_name, &body))?;
    set_view(row)
}

/// The shipped set, stored for the commune and year (first use).
pub fn default_set_body(year: i32) -> CreateCriteriaSet {
    CreateCriteriaSet {
        year,
        name: criteria::DEFAULT_SET_NAME.into(),
        criteria: criteria::default_criteria(),
        thresholds: criteria::default_thresholds(),
        note: "Bộ tiêu chí mặc định của hệ thống.".into(),
    }
}

// ---------------------------------------------------------------- evaluations

fn status_of(r: &EvaluationRow) -> EvaluationStatus {
    EvaluationStatus::parse(&r.status).unwrap_or(EvaluationStatus::Draft)
}

fn view(r: &EvaluationRow, versions: &[EvaluationRow]) -> Evaluation {
    let superseded = versions
        .iter()
        .any(|v| v.plan_id == r.plan_id && v.version > r.version && v.status == EvaluationStatus::Published.as_str());
    Evaluation {
        id: r.id,
        commune_id: r.commune_id,
        plan_id: r.plan_id,
        year: r.year,
        version: r.version,
        criteria_set_id: r.criteria_set_id,
        status: status_of(r),
        reason: r.reason.clone(),
        number: r.number.clone(),
        previous_id: r.previous_id,
        superseded,
        created_by_name: r.created_by_name.clone(),
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
        published_by_name: r.published_by_name.clone(),
        published_at: r.published_at.map(|t| t.and_utc()),
    }
}

/// Communes whose evaluations the caller reads, and whether drafts are among them: the own
/// commune (drafts too), or for oversight the communes it oversees (published only).
fn reading_scope(conn: &mut DbConnection, caller: &Caller) -> AppResult<(Vec<i64>, bool)> {
    match caller.commune_id {
        Some(c) => Ok((vec![c], false)),
        None => {
            let ids = crate::org::repo::visible_communes(conn, None, caller.authority_id)?
                .into_iter()
                .map(|c| c.id)
                .collect();
            Ok((ids, true))
        }
    }
}

/// An evaluation the caller may read (a draft is `NotFound` for oversight).
fn readable(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<EvaluationRow> {
    let (communes, published_only) = reading_scope(conn, caller)?;
    let row = repo::get_evaluation(conn, &communes, id)?;
    if published_only && status_of(&row) != EvaluationStatus::Published {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

/// An evaluation of the caller's own commune, for a write.
fn own(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<EvaluationRow> {
    Ok(repo::get_evaluation(conn, &[caller.commune()?], id)?)
}

pub fn list_evaluations(conn: &mut DbConnection, caller: &Caller, f: &EvaluationFilter) -> AppResult<Vec<Evaluation>> {
    let (mut communes, published_only) = reading_scope(conn, caller)?;
    if let Some(c) = f.commune_id {
        if !communes.contains(&c) {
            return Err(AppError::NotFound);
        }
        communes = vec![c];
    }
    let rows = repo::evaluations(conn, &communes, f.year, f.plan_id, published_only)?;
    Ok(rows.iter().map(|r| view(r, &rows)).collect())
}

fn judged_of(r: &EvaluationRow) -> AppResult<BTreeMap<String, Judgement>> {
    parse_or_internal(&r.judged, "judgements")
}

fn sections_of(r: &EvaluationRow) -> AppResult<Sections> {
    parse_or_internal(&r.sections, "sections")
}

/// Computes the result of an evaluation over a period, now.
fn compute_result(conn: &mut DbConnection, r: &EvaluationRow, period: ReportPeriod) -> AppResult<EvaluationResult> {
    let plan = crate::plans::repo::get_plan(conn, r.commune_id, r.plan_id)?;
    let set = set_view(repo::get_criteria_set(conn, r.commune_id, r.criteria_set_id)?)?;
    let p = period_view(period, r.year);
    let now = compute::now();
    let computed = compute::compute(conn, &plan, &p, now)?;
    let judged = judged_of(r)?;
    let (results, unjudged) = criteria::score(&set.criteria, &computed.by_source, &judged);
    let (total, max, out_of, percent, rating) = criteria::totals(&results, &set.thresholds, &unjudged);
    Ok(EvaluationResult {
        commune_id: r.commune_id,
        commune_name: crate::org::repo::commune_name(conn, r.commune_id)?,
        year: r.year,
        period: p,
        criteria_set_id: set.id,
        criteria_set_name: set.name,
        criteria_set_version: set.version,
        criteria: results,
        total,
        max,
        out_of,
        percent,
        rating,
        unjudged,
        figures: computed.figures,
        number: r.number.clone(),
        sections: sections_of(r)?,
        computed_at: now.and_utc(),
        version: r.version,
        reason: r.reason.clone(),
        published_by_name: None,
        published_at: None,
        report_date: today_local(),
    })
}

/// The result of a version: frozen for a published one, computed now for a draft.
fn result_of(conn: &mut DbConnection, r: &EvaluationRow) -> AppResult<EvaluationResult> {
    match &r.snapshot {
        Some(s) if status_of(r) == EvaluationStatus::Published => parse_or_internal(s, "snapshot"),
        _ => compute_result(conn, r, ReportPeriod::Year),
    }
}

fn detail_of(
    conn: &mut DbConnection,
    caller: &Caller,
    r: EvaluationRow,
    published_only: bool,
) -> AppResult<EvaluationDetail> {
    let all = repo::versions(conn, r.plan_id)?;
    let versions: Vec<Evaluation> = all
        .iter()
        .filter(|v| !published_only || v.status == EvaluationStatus::Published.as_str())
        .map(|v| view(v, &all))
        .collect();
    Ok(EvaluationDetail {
        evaluation: view(&r, &all),
        judged: judged_of(&r)?,
        sections: sections_of(&r)?,
        result: result_of(conn, &r)?,
        versions,
        can_evaluate: caller.commune_id == Some(r.commune_id) && caller.may(Permission::Evaluate),
    })
}

pub fn detail(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<EvaluationDetail> {
    let r = readable(conn, caller, id)?;
    detail_of(conn, caller, r, caller.commune_id.is_none())
}

fn default_sections() -> Sections {
    Sections {
        recipients: "UBND tỉnh (để báo cáo);\nThường trực Đảng ủy, HĐND xã;\nỦy ban MTTQ Việt Nam xã;\nCác thành viên Ban điều hành;\nLưu: VT."
            .into(),
        signer_title: "CHỦ TỊCH".into(),
        ..Sections::default()
    }
}

/// `POST /evaluations`: the first draft of a plan's evaluation.
pub fn create(conn: &mut DbConnection, caller: &Caller, body: CreateEvaluation) -> AppResult<EvaluationDetail> {
    let commune = caller.commune()?;
    let plan = crate::plans::repo::get_plan(conn, commune, body.plan_id)?;
    let row = write_tx(conn, |c| {
        if !repo::versions(c, plan.id)?.is_empty() {
            return Err(AppError::rule(
                "evaluation_exists",
                "Kế hoạch này đã có bản đánh giá; mở bản đó hoặc đánh giá lại.",
            ));
        }
        let set = match body.criteria_set_id {
            Some(id) => repo::get_criteria_set(c, commune, id)?,
            None => match repo::criteria_set_for_year(c, commune, plan.year)? {
                Some(s) => s,
                None => insert_set(c, &caller.actor(), commune, "Hệ thống", &default_set_body(plan.year))?,
            },
        };
        let now = Utc::now().naive_utc();
        let row = repo::insert_evaluation(
            c,
            &NewEvaluation {
                commune_id: commune,
                plan_id: plan.id,
                year: plan.year,
                version: 1,
                criteria_set_id: set.id,
                status: EvaluationStatus::Draft.as_str().into(),
                reason: String::new(),
                number: String::new(),
                judged: "{}".into(),
                sections: json_text(&default_sections())?,
                previous_id: None,
                created_by_name: caller.full_name.clone(),
                created_at: now,
                updated_at: now,
            },
        )?;
        audit::repo::record_entity(
            c,
            &caller.actor(),
            commune,
            "create",
            "evaluation",
            row.id,
            json!({ "plan_id": plan.id, "year": plan.year, "version": 1, "criteria_set_id": set.id }),
        )?;
        Ok::<_, AppError>(row)
    })?;
    detail_of(conn, caller, row, false)
}

fn check_sections(s: &Sections) -> AppResult<()> {
    let mut v = Validator::new();
    for (name, text, max) in [
        ("results", &s.results, 20_000),
        ("shortcomings", &s.shortcomings, 20_000),
        ("causes", &s.causes, 20_000),
        ("lessons", &s.lessons, 20_000),
        ("directions", &s.directions, 20_000),
        ("recipients", &s.recipients, 2_000),
        ("signer_title", &s.signer_title, 200),
        ("signer_name", &s.signer_name, 200),
    ] {
        if text.chars().count() > max {
            v.add(&format!("sections.{name}"), "too_long", &format!("Tối đa {max} ký tự."));
        }
    }
    v.finish()
}

fn must_be_draft(r: &EvaluationRow) -> AppResult<()> {
    if status_of(r) != EvaluationStatus::Draft {
        return Err(AppError::rule(
            "published_is_frozen",
            "Bản đánh giá đã ban hành không sửa được; muốn thay đổi, hãy đánh giá lại (tạo phiên bản mới).",
        ));
    }
    Ok(())
}

/// `PATCH /evaluations/{id}`: judgements, comments, evidence, number and text sections.
pub fn update(
    conn: &mut DbConnection,
    caller: &Caller,
    id: i64,
    body: UpdateEvaluation,
) -> AppResult<EvaluationDetail> {
    let r = own(conn, caller, id)?;
    must_be_draft(&r)?;
    let set = set_view(repo::get_criteria_set(conn, r.commune_id, r.criteria_set_id)?)?;
    if let Some(n) = &body.number
        && n.chars().count() > 60
    {
        return Err(AppError::field("number", "too_long", "Số, ký hiệu tối đa 60 ký tự."));
    }
    let mut judged = judged_of(&r)?;
    if let Some(j) = &body.judged {
        criteria::check_judgements(&set.criteria, j)?;
        for (k, v) in j {
            judged.insert(k.clone(), v.clone());
        }
    }
    if let Some(s) = &body.sections {
        check_sections(s)?;
    }
    let row = write_tx(conn, |c| {
        let again = own(c, caller, id)?;
        must_be_draft(&again)?;
        let row = repo::update_evaluation(
            c,
            id,
            &EvaluationChanges {
                number: body.number.as_ref().map(|n| n.trim().to_string()),
                judged: body.judged.as_ref().map(|_| json_text(&judged)).transpose()?,
                sections: body.sections.as_ref().map(json_text).transpose()?,
                updated_at: Some(Utc::now().naive_utc()),
            },
        )?;
        audit::repo::record_entity(
            c,
            &caller.actor(),
            r.commune_id,
            "update",
            "evaluation",
            id,
            json!({
                "number": body.number,
                "judged": body.judged.as_ref().map(|j| j.keys().cloned().collect::<Vec<_>>()),
                "sections": body.sections.is_some(),
            }),
        )?;
        Ok::<_, AppError>(row)
    })?;
    detail_of(conn, caller, row, false)
}

/// `POST /evaluations/{id}/publish`: freezes the result — every number, every source figure
/// and its period, who and when — as the JSON text served from then on.
pub fn publish(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<EvaluationDetail> {
    let r = own(conn, caller, id)?;
    must_be_draft(&r)?;
    let row = write_tx(conn, |c| {
        let mut result = compute_result(c, &r, ReportPeriod::Year)?;
        if !result.unjudged.is_empty() {
            return Err(AppError::rule(
                "unjudged_criteria",
                format!("Còn tiêu chí chưa chấm điểm: {}.", result.unjudged.join(", ")),
            ));
        }
        let now: NaiveDateTime = Utc::now().naive_utc();
        result.published_by_name = Some(caller.full_name.clone());
        result.published_at = Some(now.and_utc());
        result.report_date = to_local(now).date();
        let snapshot = json_text(&result)?;
        let Some(row) = repo::publish(
            c,
            id,
            &Publication {
                status: EvaluationStatus::Published.as_str().into(),
                snapshot: Some(snapshot),
                published_by: Some(caller.id),
                published_by_name: Some(caller.full_name.clone()),
                published_at: Some(now),
                updated_at: now,
            },
        )?
        else {
            return Err(AppError::rule("published_is_frozen", "Bản đánh giá này vừa được ban hành."));
        };
        audit::repo::record_entity(
            c,
            &caller.actor(),
            r.commune_id,
            "publish",
            "evaluation",
            id,
            json!({ "version": r.version, "total": result.total, "max": result.max,
                    "rating": result.rating.as_ref().map(|x| x.code.clone()) }),
        )?;
        crate::webhooks::service::enqueue(
            c,
            r.commune_id,
            crate::webhooks::model::EVALUATION_PUBLISHED,
            json!({ "evaluation_id": id, "plan_id": r.plan_id, "year": r.year, "version": r.version,
                "total": result.total, "max": result.max, "rating": result.rating.as_ref().map(|x| x.code.clone()),
                "published_at": crate::time::rfc(now) }),
        )?;
        Ok::<_, AppError>(row)
    })?;
    detail_of(conn, caller, row, false)
}

/// `POST /evaluations/{id}/re-evaluate`: a new draft version of the newest published one,
/// with its reason; the published versions stay readable as they were.
pub fn re_evaluate(conn: &mut DbConnection, caller: &Caller, id: i64, body: ReEvaluate) -> AppResult<EvaluationDetail> {
    let reason = body.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(AppError::field("reason", "invalid_value", "Lý do đánh giá lại từ 1 đến 2000 ký tự."));
    }
    let r = own(conn, caller, id)?;
    let row = write_tx(conn, |c| {
        let versions = repo::versions(c, r.plan_id)?;
        let newest = versions.first().map_or(r.version, |v| v.version);
        if newest != r.version {
            return Err(AppError::rule("not_newest_version", "Chỉ đánh giá lại từ phiên bản mới nhất."));
        }
        if status_of(&r) != EvaluationStatus::Published {
            return Err(AppError::rule("draft_open", "Bản này còn là dự thảo: sửa trực tiếp rồi ban hành."));
        }
        let now = Utc::now().naive_utc();
        let row = repo::insert_evaluation(
            c,
            &NewEvaluation {
                commune_id: r.commune_id,
                plan_id: r.plan_id,
                year: r.year,
                version: r.version + 1,
                criteria_set_id: r.criteria_set_id,
                status: EvaluationStatus::Draft.as_str().into(),
                reason: reason.clone(),
                number: String::new(),
                judged: r.judged.clone(),
                sections: r.sections.clone(),
                previous_id: Some(r.id),
                created_by_name: caller.full_name.clone(),
                created_at: now,
                updated_at: now,
            },
        )?;
        audit::repo::record_entity(
            c,
            &caller.actor(),
            r.commune_id,
            "re_evaluate",
            "evaluation",
            row.id,
            json!({ "previous_id": r.id, "version": row.version, "reason": reason }),
        )?;
        Ok::<_, AppError>(row)
    })?;
    detail_of(conn, caller, row, false)
}

/// The frozen snapshot exactly as stored (published versions only).
pub fn snapshot_json(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<String> {
    let r = readable(conn, caller, id)?;
    match (status_of(&r), r.snapshot) {
        (EvaluationStatus::Published, Some(s)) => Ok(s),
        _ => Err(AppError::rule("not_published", "Bản đánh giá chưa ban hành nên chưa có bản chốt số liệu.")),
    }
}

/// What a report or annex is made from: the frozen result (published, year), the live one
/// (draft), or a live progress report (a quarter or half). (result, draft watermark).
fn report_source(
    conn: &mut DbConnection,
    caller: &Caller,
    id: i64,
    period: ReportPeriod,
) -> AppResult<(EvaluationResult, bool)> {
    let r = readable(conn, caller, id)?;
    if period != ReportPeriod::Year {
        return Ok((compute_result(conn, &r, period)?, false));
    }
    let draft = status_of(&r) == EvaluationStatus::Draft;
    Ok((result_of(conn, &r)?, draft))
}

fn file_stem(result: &EvaluationResult) -> String {
    let p = match result.period.period {
        ReportPeriod::Year => String::new(),
        other => format!("-{}", other.as_str()),
    };
    format!("bao-cao-danh-gia-{}{}-v{}", result.year, p, result.version)
}

/// The report as DOCX: (file name, bytes).
pub fn report_docx(
    conn: &mut DbConnection,
    caller: &Caller,
    id: i64,
    period: ReportPeriod,
) -> AppResult<(String, Vec<u8>)> {
    let (result, draft) = report_source(conn, caller, id, period)?;
    let name = format!("{}{}.docx", file_stem(&result), if draft { "-du-thao" } else { "" });
    Ok((name, report::docx(&result, draft)?))
}

/// The annexes as XLSX (tasks, one-stop, surveys): (file name, bytes).
pub fn annexes_xlsx(
    conn: &mut DbConnection,
    caller: &Caller,
    id: i64,
    period: ReportPeriod,
) -> AppResult<(String, Vec<u8>)> {
    let (result, _) = report_source(conn, caller, id, period)?;
    Ok((format!("{}-phu-luc.xlsx", file_stem(&result)), annexes::xlsx(&result)))
}

/// The result a print view shows (same sources as the report).
pub fn report_view(conn: &mut DbConnection, caller: &Caller, id: i64, period: ReportPeriod) -> AppResult<ReportView> {
    let (result, draft) = report_source(conn, caller, id, period)?;
    Ok(ReportView { draft, result })
}
