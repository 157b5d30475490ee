//! `GET /api/v1/home`.

use actix_web::{get, put, web};

use super::model::*;
use super::service;
use crate::auth::{Allowed, AuthUser, can};
use crate::db::run;
use crate::error::AppResult;
use crate::http::{JsonBody, Path, Query};
use crate::state::AppState;

/// The signed-in user's home page: the cards of their role ("what needs me today"), each with
/// its figures, tone and the link to the filtered list behind it. Every signed-in user has a
/// home page, so no permission is required to ask; each card is given only to a caller whose
/// role may read the list it counts (the service checks that card by card).
#[utoipa::path(
    tag = "home",
    responses(
        (status = 200, description = "The cards of the caller's home page", body = Home),
        (status = 401, description = "Not signed in", body = crate::error::Problem)
    )
)]
#[get("/home")]
pub async fn home_cards(user: AuthUser) -> AppResult<web::Json<Home>> {
    Ok(web::Json(user.act(service::home).await?))
}

/// The communes this installation serves (no sign-in): the citizen pages' picker, and the
/// name of the commune and its one-stop centre in their header.
#[utoipa::path(tag = "home", responses((status = 200, description = "The communes", body = PublicCommunes)))]
#[get("/public/communes")]
pub async fn home_public_communes(state: web::Data<AppState>) -> AppResult<web::Json<PublicCommunes>> {
    Ok(web::Json(run(&state.pool, service::public_communes).await?))
}

/// One active procedure of a commune (no sign-in): documents, steps, time limit, fee, where to
/// submit, and the national portal's page when it can be done online.
#[utoipa::path(
    tag = "home",
    params(("code" = String, Path, description = "The procedure's national code"), PublicProcedureDetailQuery),
    responses(
        (status = 200, description = "The procedure", body = PublicProcedureDetail),
        (status = 404, description = "No such active procedure in the commune", body = crate::error::Problem),
        (status = 422, description = "`commune_id` is required on an installation with several communes", body = crate::error::Problem)
    )
)]
#[get("/public/procedures/{code}")]
pub async fn home_public_procedure(
    state: web::Data<AppState>,
    code: Path<String>,
    q: Query<PublicProcedureDetailQuery>,
) -> AppResult<web::Json<PublicProcedureDetail>> {
    let (code, commune) = (code.into_inner(), q.commune_id);
    Ok(web::Json(run(&state.pool, move |c| service::public_procedure(c, commune, &code)).await?))
}

/// The documents, steps and place of submission a procedure's citizen page shows, as stored
/// (what the editor starts from; inactive procedures too).
#[utoipa::path(
    tag = "home",
    params(("id" = i64, Path, description = "Procedure id")),
    responses(
        (status = 200, description = "As stored (empty before anything was written)", body = ProcedureDetailsInput),
        (status = 404, description = "Not a procedure of the commune", body = crate::error::Problem)
    )
)]
#[get("/procedures/{id}/details")]
pub async fn home_get_procedure_details(
    user: Allowed<can::ManageProcedures>,
    id: Path<i64>,
) -> AppResult<web::Json<ProcedureDetailsInput>> {
    Ok(web::Json(user.act(move |c, caller| service::procedure_details(c, caller, id.into_inner())).await?))
}

/// Sets the documents, steps and place of submission a procedure's citizen page shows.
#[utoipa::path(
    tag = "home",
    params(("id" = i64, Path, description = "Procedure id")),
    request_body = ProcedureDetailsInput,
    responses(
        (status = 200, description = "Saved (as stored: blank lines dropped)", body = ProcedureDetailsInput),
        (status = 404, description = "Not a procedure of the commune", body = crate::error::Problem),
        (status = 422, description = "Too many or too long lines", body = crate::error::Problem)
    )
)]
#[put("/procedures/{id}/details")]
pub async fn home_put_procedure_details(
    user: Allowed<can::ManageProcedures>,
    id: Path<i64>,
    body: JsonBody<ProcedureDetailsInput>,
) -> AppResult<web::Json<ProcedureDetailsInput>> {
    user.commune()?;
    Ok(web::Json(user.act(move |c, caller| service::put_procedure_details(c, caller, id.into_inner(), body.0)).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(home_cards)
        .service(home_public_communes)
        .service(home_public_procedure)
        .service(home_get_procedure_details)
        .service(home_put_procedure_details);
}
