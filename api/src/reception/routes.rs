//! HTTP handlers: `/api/v1/reception/…` and the public reception schedule.

use actix_web::{HttpResponse, delete, get, patch, post, put, web};

use super::model::*;
use super::service;
use crate::auth::{Allowed, can};
use crate::db::run;
use crate::error::AppResult;
use crate::http::{JsonBody, Path, Query};
use crate::state::AppState;

/// Plans (or records) a reception session. A regular session delegated to a deputy on or
/// after 01/07/2026 answers 409 `not_delegable`.
#[utoipa::path(
    tag = "reception",
    request_body = CreateSession,
    responses(
        (status = 201, description = "Created", body = ReceptionSession),
        (status = 409, description = "`not_delegable`", body = crate::error::Problem)
    )
)]
#[post("/reception/sessions")]
pub async fn create_session(
    user: Allowed<can::ProcessPetitions>,
    body: JsonBody<CreateSession>,
) -> AppResult<HttpResponse> {
    user.commune()?;
    Ok(HttpResponse::Created().json(user.act(move |c, caller| service::create_session(c, caller, body.0)).await?))
}

/// Sessions of a period (default: a month back, two months ahead).
#[utoipa::path(
    tag = "reception",
    params(SessionQuery),
    responses((status = 200, description = "Sessions", body = Vec<ReceptionSession>))
)]
#[get("/reception/sessions")]
pub async fn list_sessions(
    user: Allowed<can::HandleReception>,
    q: Query<SessionQuery>,
) -> AppResult<web::Json<Vec<ReceptionSession>>> {
    Ok(web::Json(user.in_commune(move |c, commune| service::list_sessions(c, commune, &q.into_inner())).await?))
}

/// Corrects a session: held or cancelled, who led it, delegation, place, note, its hours (its
/// day too while its register is empty).
#[utoipa::path(
    tag = "reception",
    params(("id" = i64, Path, description = "Session id")),
    request_body = UpdateSession,
    responses(
        (status = 200, description = "Updated", body = ReceptionSession),
        (status = 409, description = "`not_delegable`, or `session_has_visits` (a new day for a session with visits)", body = crate::error::Problem)
    )
)]
#[patch("/reception/sessions/{id}")]
pub async fn update_session(
    user: Allowed<can::ProcessPetitions>,
    id: Path<i64>,
    body: JsonBody<UpdateSession>,
) -> AppResult<web::Json<ReceptionSession>> {
    user.commune()?;
    Ok(web::Json(user.act(move |c, caller| service::update_session(c, caller, id.into_inner(), body.0)).await?))
}

/// Removes a session entered by mistake (only while its register of visits is empty).
#[utoipa::path(
    tag = "reception",
    params(("id" = i64, Path, description = "Session id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 409, description = "`session_has_visits`", body = crate::error::Problem)
    )
)]
#[delete("/reception/sessions/{id}")]
pub async fn delete_session(user: Allowed<can::ProcessPetitions>, id: Path<i64>) -> AppResult<HttpResponse> {
    user.commune()?;
    user.act(move |c, caller| service::delete_session(c, caller, id.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Records a visit in the register (sổ tiếp công dân); `petition_opened` opens the petition in
/// the same step, linked both ways.
#[utoipa::path(
    tag = "reception",
    params(("id" = i64, Path, description = "Session id")),
    request_body = CreateVisit,
    responses((status = 201, description = "Recorded", body = Visit))
)]
#[post("/reception/sessions/{id}/visits")]
pub async fn create_visit(
    user: Allowed<can::ProcessPetitions>,
    id: Path<i64>,
    body: JsonBody<CreateVisit>,
) -> AppResult<HttpResponse> {
    user.commune()?;
    let key = user.state.identity.clone();
    Ok(HttpResponse::Created()
        .json(user.act(move |c, caller| service::create_visit(c, caller, &key, id.into_inner(), body.0)).await?))
}

/// The visits of a session.
#[utoipa::path(
    tag = "reception",
    params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, description = "Visits", body = Vec<Visit>))
)]
#[get("/reception/sessions/{id}/visits")]
pub async fn list_visits(user: Allowed<can::ProcessPetitions>, id: Path<i64>) -> AppResult<web::Json<Vec<Visit>>> {
    Ok(web::Json(user.in_commune(move |c, commune| service::list_visits(c, commune, id.into_inner())).await?))
}

/// Corrects a visit of the register (every field). A visit that opened a petition keeps its
/// classification and handling: 409 `visit_has_petition`.
#[utoipa::path(
    tag = "reception",
    params(("id" = i64, Path, description = "Visit id")),
    request_body = UpdateVisit,
    responses(
        (status = 200, description = "Corrected", body = Visit),
        (status = 409, description = "`visit_has_petition`", body = crate::error::Problem)
    )
)]
#[put("/reception/visits/{id}")]
pub async fn update_visit(
    user: Allowed<can::ProcessPetitions>,
    id: Path<i64>,
    body: JsonBody<UpdateVisit>,
) -> AppResult<web::Json<Visit>> {
    user.commune()?;
    Ok(web::Json(user.act(move |c, caller| service::update_visit(c, caller, id.into_inner(), body.0)).await?))
}

/// Removes a visit recorded by mistake. One that opened a petition stays: 409
/// `visit_has_petition`.
#[utoipa::path(
    tag = "reception",
    params(("id" = i64, Path, description = "Visit id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 409, description = "`visit_has_petition`", body = crate::error::Problem)
    )
)]
#[delete("/reception/visits/{id}")]
pub async fn delete_visit(user: Allowed<can::ProcessPetitions>, id: Path<i64>) -> AppResult<HttpResponse> {
    user.commune()?;
    user.act(move |c, caller| service::delete_visit(c, caller, id.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The register of visits (sổ tiếp công dân) across sessions: a period (default the last 90
/// days), a classification, a search that ignores diacritics; with the commune's header.
#[utoipa::path(
    tag = "reception",
    params(VisitQuery),
    responses((status = 200, description = "The register", body = VisitRegister))
)]
#[get("/reception/visits")]
pub async fn visit_register(
    user: Allowed<can::ProcessPetitions>,
    q: Query<VisitQuery>,
) -> AppResult<web::Json<VisitRegister>> {
    Ok(web::Json(user.in_commune(move |c, commune| service::visit_register(c, commune, &q.into_inner())).await?))
}

/// Compliance per week: whether the chairman's regular session was held, by whom, delegated.
#[utoipa::path(
    tag = "reception",
    params(SessionQuery),
    responses((status = 200, description = "Weeks", body = Compliance))
)]
#[get("/reception/compliance")]
pub async fn compliance(
    user: Allowed<can::HandleReception>,
    q: Query<SessionQuery>,
) -> AppResult<web::Json<Compliance>> {
    Ok(web::Json(user.in_commune(move |c, commune| service::compliance(c, commune, &q.into_inner())).await?))
}

/// The public reception schedule of a commune (no sign-in): who receives citizens, when, where.
#[utoipa::path(
    tag = "reception",
    params(("code" = String, Path, description = "Commune code or id")),
    responses((status = 200, description = "The schedule", body = PublicSchedule))
)]
#[get("/public/communes/{code}/reception-schedule")]
pub async fn public_schedule(state: web::Data<AppState>, code: Path<String>) -> AppResult<web::Json<PublicSchedule>> {
    Ok(web::Json(run(&state.pool, move |c| service::public_schedule(c, &code.into_inner())).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_session)
        .service(list_sessions)
        .service(update_session)
        .service(delete_session)
        .service(create_visit)
        .service(list_visits)
        .service(update_visit)
        .service(delete_visit)
        .service(visit_register)
        .service(compliance)
        .service(public_schedule);
}
