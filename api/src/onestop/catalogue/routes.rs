//! HTTP handlers of the procedure catalogue.

use actix_web::{HttpResponse, get, patch, post, web};

use super::service;
use crate::auth::{Allowed, can};
use crate::db::run;
use crate::error::{AppError, AppResult};
use crate::http::{JsonBody, Page, Paging, Path, Query};
use crate::onestop::model::*;
use crate::state::AppState;

/// Procedures of the caller's commune.
#[utoipa::path(
    tag = "onestop",
    params(ProcedureFilter),
    responses((status = 200, description = "A page of procedures", body = Page<Procedure>))
)]
#[get("/procedures")]
pub async fn list_procedures(
    user: Allowed<can::ReadStatistics>,
    q: Query<ProcedureFilter>,
) -> AppResult<web::Json<Page<Procedure>>> {
    let paging = Paging::new(q.page, q.per_page)?;
    let f = q.into_inner();
    let (items, total) = user.in_commune(move |c, commune| service::list_procedures(c, commune, &f, paging)).await?;
    Ok(web::Json(paging.wrap(items, total)))
}

/// One procedure.
#[utoipa::path(
    tag = "onestop",
    params(("id" = i64, Path, description = "Procedure id")),
    responses((status = 200, description = "The procedure", body = Procedure))
)]
#[get("/procedures/{id}")]
pub async fn get_procedure(user: Allowed<can::ReadStatistics>, id: Path<i64>) -> AppResult<web::Json<Procedure>> {
    Ok(web::Json(user.in_commune(move |c, commune| service::get_procedure(c, commune, id.into_inner())).await?))
}

/// Adds a procedure to the catalogue.
#[utoipa::path(
    tag = "onestop",
    request_body = CreateProcedure,
    responses((status = 201, description = "Created", body = Procedure))
)]
#[post("/procedures")]
pub async fn create_procedure(
    user: Allowed<can::ManageProcedures>,
    body: JsonBody<CreateProcedure>,
) -> AppResult<HttpResponse> {
    let actor = user.actor();
    let p = user
        .in_commune(move |c, commune| {
            let row = service::create_procedure(c, &actor, commune, body.0)?;
            service::get_procedure(c, commune, row.id)
        })
        .await?;
    Ok(HttpResponse::Created().json(p))
}

/// Changes a procedure; a new `online_level` is added to its history from `online_level_from`.
#[utoipa::path(
    tag = "onestop",
    params(("id" = i64, Path, description = "Procedure id")),
    request_body = UpdateProcedure,
    responses((status = 200, description = "Updated", body = Procedure))
)]
#[patch("/procedures/{id}")]
pub async fn update_procedure(
    user: Allowed<can::ManageProcedures>,
    id: Path<i64>,
    body: JsonBody<UpdateProcedure>,
) -> AppResult<web::Json<Procedure>> {
    let (actor, id) = (user.actor(), id.into_inner());
    Ok(web::Json(
        user.in_commune(move |c, commune| {
            service::update_procedure(c, &actor, commune, id, body.0)?;
            service::get_procedure(c, commune, id)
        })
        .await?,
    ))
}

/// Imports procedures from CSV (UTF-8; header `code,name,field,limit_amount,limit_unit` and
/// optionally `cutoff,fee_vnd,fee_note,online_level,online_payment,result_kind,posted_on,
/// posting_complete`). Existing codes are updated. All or nothing.
#[utoipa::path(
    tag = "onestop",
    request_body(content = String, content_type = "text/csv", description = "The CSV file"),
    responses((status = 200, description = "Imported", body = ImportResult))
)]
#[post("/procedures/import")]
pub async fn import_procedures(
    user: Allowed<can::ManageProcedures>,
    body: web::Bytes,
) -> AppResult<web::Json<ImportResult>> {
    let text = String::from_utf8(body.to_vec())
        .map_err(|_| AppError::field("csv", "invalid_format", "Tệp CSV phải mã hóa UTF-8."))?;
    let actor = user.actor();
    Ok(web::Json(user.in_commune(move |c, commune| service::import_csv(c, &actor, commune, &text)).await?))
}

/// The public catalogue (no sign-in): active procedures with limits, fees and online level.
#[utoipa::path(
    tag = "onestop",
    params(PublicProcedureQuery),
    responses((status = 200, description = "The catalogue", body = PublicCatalogue))
)]
#[get("/public/procedures")]
pub async fn public_procedures(
    state: web::Data<AppState>,
    q: Query<PublicProcedureQuery>,
) -> AppResult<web::Json<PublicCatalogue>> {
    let q = q.into_inner();
    Ok(web::Json(run(&state.pool, move |c| service::public_catalogue(c, q.commune_id, q.q.as_deref())).await?))
}

/// Registers the routes (fixed paths before `{id}`).
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_procedures)
        .service(create_procedure)
        .service(import_procedures)
        .service(get_procedure)
        .service(update_procedure)
        .service(public_procedures);
}
