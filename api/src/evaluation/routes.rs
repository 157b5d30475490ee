//! HTTP handlers: `/api/v1/criteria-sets` and `/api/v1/evaluations/…`.

use actix_web::{HttpResponse, get, patch, post, web};

use super::model::*;
use super::service;
use crate::auth::{Allowed, can};
use crate::error::AppResult;
use crate::http::files::download;
use crate::http::{JsonBody, Path, Query};
use crate::tabular::XLSX_CONTENT_TYPE;

const DOCX_CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The commune's criteria sets, newest year and version first.
#[utoipa::path(
    tag = "evaluation",
    params(CriteriaSetFilter),
    responses((status = 200, description = "Criteria sets", body = Vec<CriteriaSet>))
)]
#[get("/criteria-sets")]
pub async fn evaluation_list_criteria_sets(
    user: Allowed<can::Evaluate>,
    q: Query<CriteriaSetFilter>,
) -> AppResult<web::Json<Vec<CriteriaSet>>> {
    Ok(web::Json(user.in_commune(move |c, commune| service::list_criteria_sets(c, commune, &q.into_inner())).await?))
}

/// One criteria set.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Criteria set id")),
    responses(
        (status = 200, description = "The set", body = CriteriaSet),
        (status = 404, description = "No such set in the commune", body = crate::error::Problem)
    )
)]
#[get("/criteria-sets/{id}")]
pub async fn evaluation_get_criteria_set(
    user: Allowed<can::Evaluate>,
    id: Path<i64>,
) -> AppResult<web::Json<CriteriaSet>> {
    Ok(web::Json(user.in_commune(move |c, commune| service::get_criteria_set(c, commune, id.into_inner())).await?))
}

/// A new version of the commune's criteria set for a year (earlier versions stay, and the
/// evaluations made with them keep them).
#[utoipa::path(
    tag = "evaluation",
    request_body = CreateCriteriaSet,
    responses(
        (status = 201, description = "Created", body = CriteriaSet),
        (status = 422, description = "Invalid criteria or thresholds", body = crate::error::Problem)
    )
)]
#[post("/criteria-sets")]
pub async fn evaluation_create_criteria_set(
    user: Allowed<can::Evaluate>,
    body: JsonBody<CreateCriteriaSet>,
) -> AppResult<HttpResponse> {
    user.commune()?;
    Ok(HttpResponse::Created().json(user.act(move |c, caller| service::create_criteria_set(c, caller, body.0)).await?))
}

/// Evaluations: every version of the own commune's; for oversight the published ones of the
/// communes it oversees.
#[utoipa::path(
    tag = "evaluation",
    params(EvaluationFilter),
    responses((status = 200, description = "Evaluation versions", body = Vec<Evaluation>))
)]
#[get("/evaluations")]
pub async fn evaluation_list(
    user: Allowed<can::ReadEvaluations>,
    q: Query<EvaluationFilter>,
) -> AppResult<web::Json<Vec<Evaluation>>> {
    Ok(web::Json(user.act(move |c, caller| service::list_evaluations(c, caller, &q.into_inner())).await?))
}

/// The draft evaluation of a plan (its year), with the commune's criteria set for that year —
/// the shipped default set is stored for the commune on first use.
#[utoipa::path(
    tag = "evaluation",
    request_body = CreateEvaluation,
    responses(
        (status = 201, description = "Created", body = EvaluationDetail),
        (status = 404, description = "No such plan or set in the commune", body = crate::error::Problem),
        (status = 409, description = "`evaluation_exists`", body = crate::error::Problem)
    )
)]
#[post("/evaluations")]
pub async fn evaluation_create(
    user: Allowed<can::Evaluate>,
    body: JsonBody<CreateEvaluation>,
) -> AppResult<HttpResponse> {
    user.commune()?;
    Ok(HttpResponse::Created().json(user.act(move |c, caller| service::create(c, caller, body.0)).await?))
}

/// An evaluation version: a draft recomputed now, a published one as frozen.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Evaluation id")),
    responses(
        (status = 200, description = "The evaluation", body = EvaluationDetail),
        (status = 404, description = "Not found (a draft, for oversight)", body = crate::error::Problem)
    )
)]
#[get("/evaluations/{id}")]
pub async fn evaluation_get(
    user: Allowed<can::ReadEvaluations>,
    id: Path<i64>,
) -> AppResult<web::Json<EvaluationDetail>> {
    Ok(web::Json(user.act(move |c, caller| service::detail(c, caller, id.into_inner())).await?))
}

/// Judged scores, comments, evidence, the number and the text sections of a draft.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Evaluation id")),
    request_body = UpdateEvaluation,
    responses(
        (status = 200, description = "Updated", body = EvaluationDetail),
        (status = 409, description = "`published_is_frozen`", body = crate::error::Problem),
        (status = 422, description = "Unknown criterion, score out of range, text too long", body = crate::error::Problem)
    )
)]
#[patch("/evaluations/{id}")]
pub async fn evaluation_update(
    user: Allowed<can::Evaluate>,
    id: Path<i64>,
    body: JsonBody<UpdateEvaluation>,
) -> AppResult<web::Json<EvaluationDetail>> {
    user.commune()?;
    Ok(web::Json(user.act(move |c, caller| service::update(c, caller, id.into_inner(), body.0)).await?))
}

/// Publishes a draft: the result is frozen as a snapshot and never changes afterwards.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Evaluation id")),
    responses(
        (status = 200, description = "Published", body = EvaluationDetail),
        (status = 409, description = "`published_is_frozen`, `unjudged_criteria`", body = crate::error::Problem)
    )
)]
#[post("/evaluations/{id}/publish")]
pub async fn evaluation_publish(user: Allowed<can::Evaluate>, id: Path<i64>) -> AppResult<web::Json<EvaluationDetail>> {
    user.commune()?;
    Ok(web::Json(user.act(move |c, caller| service::publish(c, caller, id.into_inner())).await?))
}

/// A re-evaluation: a new draft version of the newest published one, with its reason.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Evaluation id (the newest, published)")),
    request_body = ReEvaluate,
    responses(
        (status = 201, description = "The new draft version", body = EvaluationDetail),
        (status = 409, description = "`not_newest_version`, `draft_open`", body = crate::error::Problem),
        (status = 422, description = "Reason missing", body = crate::error::Problem)
    )
)]
#[post("/evaluations/{id}/re-evaluate")]
pub async fn evaluation_re_evaluate(
    user: Allowed<can::Evaluate>,
    id: Path<i64>,
    body: JsonBody<ReEvaluate>,
) -> AppResult<HttpResponse> {
    user.commune()?;
    Ok(HttpResponse::Created()
        .json(user.act(move |c, caller| service::re_evaluate(c, caller, id.into_inner(), body.0)).await?))
}

/// The frozen snapshot of a published version, byte for byte as stored.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Evaluation id")),
    responses(
        (status = 200, description = "The snapshot (JSON)", body = EvaluationResult),
        (status = 409, description = "`not_published`", body = crate::error::Problem)
    )
)]
#[get("/evaluations/{id}/snapshot.json")]
pub async fn evaluation_snapshot(user: Allowed<can::ReadEvaluations>, id: Path<i64>) -> AppResult<HttpResponse> {
    let text = user.act(move |c, caller| service::snapshot_json(c, caller, id.into_inner())).await?;
    Ok(HttpResponse::Ok().content_type("application/json").body(text))
}

/// What the print view shows: the report's result (frozen, live draft, or a period's progress).
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Evaluation id"), ReportQuery),
    responses((status = 200, description = "The report's content", body = ReportView))
)]
#[get("/evaluations/{id}/report")]
pub async fn evaluation_report_view(
    user: Allowed<can::ReadEvaluations>,
    id: Path<i64>,
    q: Query<ReportQuery>,
) -> AppResult<web::Json<ReportView>> {
    let period = q.period.unwrap_or(ReportPeriod::Year);
    Ok(web::Json(user.act(move |c, caller| service::report_view(c, caller, id.into_inner(), period)).await?))
}

/// The official report as DOCX (Nghị định 30/2020/NĐ-CP layout). A published version gives
/// the same bytes every time; a draft is watermarked "DỰ THẢO".
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Evaluation id"), ReportQuery),
    responses((status = 200, description = "The report (.docx)", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = Vec<u8>))
)]
#[get("/evaluations/{id}/report.docx")]
pub async fn evaluation_report_docx(
    user: Allowed<can::ReadEvaluations>,
    id: Path<i64>,
    q: Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    let period = q.period.unwrap_or(ReportPeriod::Year);
    let (name, bytes) = user.act(move |c, caller| service::report_docx(c, caller, id.into_inner(), period)).await?;
    Ok(download(DOCX_CONTENT_TYPE, &name, bytes))
}

/// The annexes as XLSX: tasks, one-stop and the 766 index, surveys and the criteria.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Evaluation id"), ReportQuery),
    responses((status = 200, description = "The annexes (.xlsx)", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>))
)]
#[get("/evaluations/{id}/annexes.xlsx")]
pub async fn evaluation_annexes_xlsx(
    user: Allowed<can::ReadEvaluations>,
    id: Path<i64>,
    q: Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    let period = q.period.unwrap_or(ReportPeriod::Year);
    let (name, bytes) = user.act(move |c, caller| service::annexes_xlsx(c, caller, id.into_inner(), period)).await?;
    Ok(download(XLSX_CONTENT_TYPE, &name, bytes))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(evaluation_list_criteria_sets)
        .service(evaluation_get_criteria_set)
        .service(evaluation_create_criteria_set)
        .service(evaluation_list)
        .service(evaluation_create)
        .service(evaluation_get)
        .service(evaluation_update)
        .service(evaluation_publish)
        .service(evaluation_re_evaluate)
        .service(evaluation_snapshot)
        .service(evaluation_report_view)
        .service(evaluation_report_docx)
        .service(evaluation_annexes_xlsx);
}
