//! `/api/v1/public/dossiers/{code}` behind the guard, and the desk's view of a code's lock.

use actix_web::{delete, get, web};

use super::{LookupLock, PublicLookupQuery};
use crate::auth::{Allowed, can};
use crate::db::run;
use crate::error::AppResult;
use crate::http::{Path, Query, RequestMeta};
use crate::onestop::model::PublicDossier;
use crate::state::AppState;

/// Public lookup (no sign-in): by the token of the receipt's link (`t`), or by code and the
/// last four digits of the applicant's phone. Unknown code, wrong digits and wrong token answer
/// the same 404; limited per address (an IPv6 client per /64) and per code (10 wrong tries in
/// an hour or 30 in a day lock the code's lookup).
#[utoipa::path(
    tag = "onestop",
    params(("code" = String, Path, description = "Dossier code"), PublicLookupQuery),
    responses(
        (status = 200, description = "Status of the dossier (no personal data)", body = PublicDossier),
        (status = 404, description = "No such dossier with these digits or this token", body = crate::error::Problem),
        (status = 429, description = "Too many lookups from this address, or the code's lookup is locked (`rate_limited`, see Retry-After)", body = crate::error::Problem)
    )
)]
#[get("/public/dossiers/{code}")]
pub async fn public_lookup(
    meta: RequestMeta,
    state: web::Data<AppState>,
    code: Path<String>,
    q: Query<PublicLookupQuery>,
) -> AppResult<web::Json<PublicDossier>> {
    let q = q.into_inner();
    let ip = meta.ip;
    Ok(web::Json(
        run(&state.pool, move |c| {
            super::public_lookup(c, &ip, &code.into_inner(), q.phone_last4.as_deref(), q.t.as_deref())
        })
        .await?,
    ))
}

/// Whether wrong tries have locked the public lookup of a dossier.
#[utoipa::path(
    tag = "onestop",
    params(("id" = i64, Path, description = "Dossier id")),
    responses((status = 200, description = "The lock state", body = LookupLock))
)]
#[get("/dossiers/{id}/lookup-lock")]
pub async fn get_lookup_lock(user: Allowed<can::ProcessDossiers>, id: Path<i64>) -> AppResult<web::Json<LookupLock>> {
    Ok(web::Json(user.in_commune(move |c, commune| super::lock_state(c, commune, id.into_inner())).await?))
}

/// Lifts the lock on a dossier's public lookup (the citizen came to the desk). Audited.
#[utoipa::path(
    tag = "onestop",
    params(("id" = i64, Path, description = "Dossier id")),
    responses((status = 200, description = "The lock state afterwards", body = LookupLock))
)]
#[delete("/dossiers/{id}/lookup-lock")]
pub async fn delete_lookup_lock(
    user: Allowed<can::ProcessDossiers>,
    id: Path<i64>,
) -> AppResult<web::Json<LookupLock>> {
    let (actor, id) = (user.actor(), id.into_inner());
    Ok(web::Json(user.in_commune(move |c, commune| super::unlock(c, &actor, commune, id)).await?))
}
