//! HTTP handlers: `/api/v1/petitions`, the identity, documents, settings, the chairman flag,
//! and the citizen's public side.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::Duration;

use super::model::*;
use super::{documents, public, service};
use crate::auth::{Allowed, can};
use crate::db::run;
use crate::error::{AppError, AppResult};
use crate::http::files::read_form;
use crate::http::idempotency::{IdempotencyKey, once};
use crate::http::{JsonBody, Page, Paging, Path, Query, RequestMeta};
use crate::state::AppState;

/// Receives a petition. A village head files it on a villager's behalf (channel `village`,
/// their own village). A denunciation's identity is sealed apart and never returned.
/// Idempotent: the phone's outbox sends an `Idempotency-Key`, and the same key again returns
/// the first answer and files nothing (docs/offline.md).
#[utoipa::path(
    tag = "petitions",
    request_body = CreatePetition,
    params(("Idempotency-Key" = Option<String>, Header, description = "Sent by the offline outbox: the same key again returns the first answer and files nothing")),
    responses(
        (status = 201, description = "Received, or the first answer to this idempotency key again (header `Idempotent-Replayed: true`)", body = Petition),
        (status = 409, description = "`idempotency_key_reused`: the key belongs to another request; `idempotency_in_progress`: a request with this key is still working", body = crate::error::Problem),
        (status = 422, description = "Invalid field, or a malformed idempotency key", body = crate::error::Problem)
    )
)]
#[post("/petitions")]
pub async fn create_petition(
    user: Allowed<can::SubmitPetitions>,
    key: IdempotencyKey,
    req: HttpRequest,
    body: JsonBody<CreatePetition>,
) -> AppResult<HttpResponse> {
    let commune_id = user.commune()?;
    let s = user.caller.clone();
    let identity_key = user.state.identity.clone();
    let pool = user.state.pool.clone();
    once(&user.state.pool, user.id, key.0, &req, StatusCode::CREATED, async move {
        let row = run(&pool, move |c| {
            let intake = service::Intake { caller: Some(&s), commune_id, actor_name: s.full_name.clone() };
            service::create(c, &intake, &identity_key, body.0)
        })
        .await?;
        let sealed = row.kind == "denunciation";
        Ok(service::petition_api(row, sealed, chrono::Utc::now().naive_utc()))
    })
    .await
}

/// Petitions of the commune: filters, diacritic-insensitive search (never over a denouncer's
/// identity), and the `open`, `due_soon`, `overdue` and `mine` views.
#[utoipa::path(
    tag = "petitions",
    params(PetitionFilter),
    responses((status = 200, description = "A page of petitions", body = Page<Petition>))
)]
#[get("/petitions")]
pub async fn list_petitions(
    user: Allowed<can::ProcessPetitions>,
    q: Query<PetitionFilter>,
) -> AppResult<web::Json<Page<Petition>>> {
    user.commune()?;
    let paging = Paging::new(q.page, q.per_page)?;
    let f = q.into_inner();
    let (items, total) = user.act(move |c, caller| service::list(c, caller, &f, paging)).await?;
    Ok(web::Json(paging.wrap(items, total)))
}

/// The commune's summary of the last twelve months (counts only: the Front reads this).
#[utoipa::path(
    tag = "petitions",
    responses((status = 200, description = "Counts by kind and sessions", body = PetitionFigures))
)]
#[get("/petitions/summary")]
pub async fn summary(user: Allowed<can::HandleReception>) -> AppResult<web::Json<PetitionFigures>> {
    let to = crate::time::today_local();
    let from = to - Duration::days(364);
    Ok(web::Json(user.in_commune(move |c, commune| super::figures::over(c, &[commune], from, to)).await?))
}

/// Figures for the evaluation over a period: sessions held vs required, petitions received,
/// accepted, settled on time by kind, average days, overdue open. Oversight reads them across
/// the communes it oversees (or one), counts only.
#[utoipa::path(
    tag = "petitions",
    params(PeriodQuery),
    responses((status = 200, description = "The figures", body = PetitionFigures))
)]
#[get("/petitions/figures")]
pub async fn figures(
    user: Allowed<can::ReadStatistics>,
    q: Query<PeriodQuery>,
) -> AppResult<web::Json<PetitionFigures>> {
    let q = q.into_inner();
    Ok(web::Json(user.act(move |c, caller| super::figures::asked(c, caller, &q)).await?))
}

/// The same figures for each commune apart (the province's table in one request), in the order
/// of `GET /communes`.
#[utoipa::path(
    tag = "petitions",
    params(PeriodQuery),
    responses((status = 200, description = "One line per commune", body = Vec<CommunePetitionFigures>))
)]
#[get("/petitions/figures/by-commune")]
pub async fn figures_by_commune(
    user: Allowed<can::ReadStatistics>,
    q: Query<PeriodQuery>,
) -> AppResult<web::Json<Vec<CommunePetitionFigures>>> {
    let q = q.into_inner();
    Ok(web::Json(user.act(move |c, caller| super::figures::asked_apart(c, caller, &q)).await?))
}

/// The register of petitions (sổ theo dõi đơn thư) of a period; a denouncer is never named.
#[utoipa::path(
    tag = "petitions",
    params(PeriodQuery),
    responses((status = 200, description = "The register", body = PetitionRegister))
)]
#[get("/petitions/register")]
pub async fn petition_register(
    user: Allowed<can::ProcessPetitions>,
    q: Query<PeriodQuery>,
) -> AppResult<web::Json<PetitionRegister>> {
    let (from, to) = q.period(31)?;
    Ok(web::Json(user.in_commune(move |c, commune| documents::register(c, commune, from, to)).await?))
}

/// Who a petition may be assigned to: the commune's active board and UBND accounts (names only).
#[utoipa::path(
    tag = "petitions",
    responses((status = 200, description = "The possible handlers", body = Vec<PetitionHandler>))
)]
#[get("/petitions/handlers")]
pub async fn petition_handlers(user: Allowed<can::ProcessPetitions>) -> AppResult<web::Json<Vec<PetitionHandler>>> {
    Ok(web::Json(user.in_commune(service::handlers).await?))
}

/// The commune's petition settings (the remote-area flag).
#[utoipa::path(
    operation_id = "get_petition_settings",
    tag = "petitions",
    responses((status = 200, description = "The settings", body = PetitionSettings))
)]
#[get("/petitions/settings")]
pub async fn get_settings(user: Allowed<can::ProcessPetitions>) -> AppResult<web::Json<PetitionSettings>> {
    Ok(web::Json(user.in_commune(service::settings).await?))
}

/// Sets whether the commune is in a remote, difficult area (complaints settle in 45/60 days).
#[utoipa::path(
    operation_id = "put_petition_settings",
    tag = "petitions",
    request_body = PetitionSettings,
    responses((status = 200, description = "Saved", body = PetitionSettings))
)]
#[put("/petitions/settings")]
pub async fn put_settings(
    user: Allowed<can::ManageSettings>,
    body: JsonBody<PetitionSettings>,
) -> AppResult<web::Json<PetitionSettings>> {
    user.commune()?;
    Ok(web::Json(user.act(move |c, caller| service::set_settings(c, caller, &body.0)).await?))
}

/// Sets or clears the chairman flag of a board member (who may read denouncers' identities).
#[utoipa::path(
    tag = "petitions",
    params(("id" = i64, Path, description = "User id")),
    request_body = ChairmanFlag,
    responses(
        (status = 200, description = "Saved", body = ChairmanFlag),
        (status = 409, description = "Only a board account can be the chairman (`not_board`)", body = crate::error::Problem)
    )
)]
#[put("/users/{id}/chairman")]
pub async fn put_chairman(
    user: Allowed<can::ManageUsers>,
    id: Path<i64>,
    body: JsonBody<ChairmanFlag>,
) -> AppResult<web::Json<ChairmanFlag>> {
    user.commune()?;
    Ok(web::Json(
        user.act(move |c, caller| service::set_chairman(c, caller, id.into_inner(), body.0.is_chairman)).await?,
    ))
}

/// One petition with every clock (and its legal source), its events and the actions allowed.
#[utoipa::path(
    tag = "petitions",
    params(("id" = i64, Path, description = "Petition id")),
    responses((status = 200, description = "The petition", body = PetitionDetail))
)]
#[get("/petitions/{id}")]
pub async fn get_petition(user: Allowed<can::ProcessPetitions>, id: Path<i64>) -> AppResult<web::Json<PetitionDetail>> {
    user.commune()?;
    Ok(web::Json(user.act(move |c, caller| service::detail(c, caller, id.into_inner())).await?))
}

/// Applies a lifecycle action `{action, …}`. Illegal transitions answer 409
/// `invalid_transition`; extensions beyond the law answer 409 `extension_*`.
#[utoipa::path(
    tag = "petitions",
    params(("id" = i64, Path, description = "Petition id")),
    request_body = PetitionActionBody,
    responses(
        (status = 200, description = "Applied", body = PetitionDetail),
        (status = 409, description = "`invalid_transition`, `extension_not_allowed`, `extension_limit`, `extension_too_long` or `extension_over_total`", body = crate::error::Problem)
    )
)]
#[post("/petitions/{id}/actions")]
pub async fn act_on_petition(
    user: Allowed<can::ProcessPetitions>,
    id: Path<i64>,
    body: JsonBody<PetitionActionBody>,
) -> AppResult<web::Json<PetitionDetail>> {
    user.commune()?;
    let id = id.into_inner();
    Ok(web::Json(
        user.act(move |c, caller| {
            service::act(c, caller, id, body.0)?;
            service::detail(c, caller, id)
        })
        .await?,
    ))
}

/// The one way to read a denouncer's identity: only its assigned handler and the commune
/// chairman, with a reason; every read is audited. Anyone else: 404.
#[utoipa::path(
    tag = "petitions",
    params(("id" = i64, Path, description = "Petition id"), IdentityQuery),
    responses(
        (status = 200, description = "The identity", body = Identity),
        (status = 404, description = "No identity this caller may read", body = crate::error::Problem)
    )
)]
#[get("/petitions/{id}/identity")]
pub async fn read_identity(
    user: Allowed<can::ProcessPetitions>,
    id: Path<i64>,
    q: Query<IdentityQuery>,
) -> AppResult<HttpResponse> {
    user.commune()?;
    let key = user.state.identity.clone();
    let reason = q.into_inner().reason;
    let identity =
        user.act(move |c, caller| service::read_identity(c, caller, &key, id.into_inner(), reason.as_deref())).await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(identity))
}

/// Data of a printed document: `acceptance`, `refusal`, `forwarding` or `extension`.
#[utoipa::path(
    tag = "petitions",
    params(("id" = i64, Path, description = "Petition id"), ("document" = String, Path, description = "acceptance, refusal, forwarding, extension")),
    responses(
        (status = 200, description = "The document's data", body = PetitionDocument),
        (status = 409, description = "`document_not_applicable`", body = crate::error::Problem)
    )
)]
#[get("/petitions/{id}/documents/{document}")]
pub async fn document(
    user: Allowed<can::ProcessPetitions>,
    path: Path<(i64, String)>,
) -> AppResult<web::Json<PetitionDocument>> {
    let (id, doc) = path.into_inner();
    Ok(web::Json(user.in_commune(move |c, commune| documents::document(c, commune, id, &doc)).await?))
}

/// A citizen sends a recommendation or feedback (no sign-in); answers the tracking code.
/// Limited per address like the lookup.
#[utoipa::path(
    tag = "petitions",
    params(("code" = String, Path, description = "Commune code or id")),
    request_body = PublicSubmission,
    responses(
        (status = 201, description = "Received", body = PublicReceipt),
        (status = 429, description = "Too many requests from this address", body = crate::error::Problem)
    )
)]
#[post("/public/communes/{code}/petitions")]
pub async fn public_submit(
    meta: RequestMeta,
    state: web::Data<AppState>,
    code: Path<String>,
    body: JsonBody<PublicSubmission>,
) -> AppResult<HttpResponse> {
    let key = state.identity.clone();
    let ip = meta.ip;
    let receipt = run(&state.pool, move |c| public::submit(c, &ip, &key, &code.into_inner(), body.0)).await?;
    Ok(HttpResponse::Created().json(receipt))
}

/// The same as `POST /public/communes/{code}/petitions`, as a multipart form with one optional
/// `photo` (JPEG, PNG or WebP, checked by content; the page shrinks it on the phone first).
/// The photo is shown to the staff only.
#[utoipa::path(
    tag = "petitions",
    params(("code" = String, Path, description = "Commune code or id")),
    request_body(content = inline(PublicSubmissionForm), content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Received", body = PublicReceipt),
        (status = 413, description = "The photo exceeds the upload limit (`payload_too_large`)", body = crate::error::Problem),
        (status = 415, description = "The photo is not JPEG, PNG or WebP (`unsupported_media_type`)", body = crate::error::Problem),
        (status = 422, description = "Invalid field", body = crate::error::Problem),
        (status = 429, description = "Too many requests from this address", body = crate::error::Problem),
        (status = 503, description = "`uploads_busy`: the uploads in flight fill the server's budget; retry later", body = crate::error::Problem)
    )
)]
#[post("/public/communes/{code}/petitions/with-photo")]
pub async fn public_submit_with_photo(
    meta: RequestMeta,
    state: web::Data<AppState>,
    code: Path<String>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    let cap = state.config.server.max_upload_bytes;
    let budget = cap + 128 * 1024;
    let parts = read_form(form, &state.spool, |n| public::part_limit(n, cap), budget).await?;
    let (body, photo) = public::check_form(parts)?;
    let key = state.identity.clone();
    let ip = meta.ip;
    let store = state.blobs.clone();
    let receipt = run(&state.pool, move |c| {
        public::submit_with_photo(c, &ip, &key, &code.into_inner(), body, photo.map(|p| (store.as_ref(), p)))
    })
    .await?;
    Ok(HttpResponse::Created().json(receipt))
}

/// A photo a citizen sent with a petition of the caller's commune.
#[utoipa::path(
    tag = "petitions",
    params(("id" = i64, Path, description = "Petition id"), ("photo_id" = i64, Path, description = "Photo id")),
    responses((status = 200, description = "The photo (JPEG, PNG or WebP)", content((Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "image/webp"))))
)]
#[get("/petitions/{id}/photos/{photo_id}")]
pub async fn petition_photo(user: Allowed<can::ProcessPetitions>, path: Path<(i64, i64)>) -> AppResult<HttpResponse> {
    user.commune()?;
    let (id, photo_id) = path.into_inner();
    let row = user.act(move |c, caller| service::photo(c, caller, id, photo_id)).await?;
    let store = user.state.blobs.clone();
    let key = row.sha256.clone();
    let bytes = web::block(move || store.get(&key)).await?.map_err(|e| AppError::io("storage", e))?;
    Ok(HttpResponse::Ok()
        .content_type(row.content_type.as_str())
        .insert_header(("Content-Disposition", "inline"))
        .insert_header(("Cache-Control", "private, no-store"))
        .body(bytes))
}

/// The answers a commune published to recommendations and feedback (no personal data).
#[utoipa::path(
    tag = "petitions",
    params(("code" = String, Path, description = "Commune code or id"), ("page" = Option<i64>, Query, description = "1-based page"), ("per_page" = Option<i64>, Query, description = "Rows per page")),
    responses((status = 200, description = "Answered feedback", body = Page<PublicAnswer>))
)]
#[get("/public/communes/{code}/petitions/answered")]
pub async fn public_answered(
    state: web::Data<AppState>,
    code: Path<String>,
    q: Query<PagingQuery>,
) -> AppResult<web::Json<Page<PublicAnswer>>> {
    let paging = Paging::new(q.page, q.per_page)?;
    let (items, total) = run(&state.pool, move |c| public::answered(c, &code.into_inner(), paging)).await?;
    Ok(web::Json(paging.wrap(items, total)))
}

/// `?page&per_page`.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PagingQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The citizen's lookup of a petition by code and the last four phone digits: status and the
/// published answer, never personal data. Guarded like the dossier lookup (per address, and
/// wrong tries per code lock it).
#[utoipa::path(
    tag = "petitions",
    params(("code" = String, Path, description = "Petition code"), ("phone_last4" = Option<String>, Query, description = "Last four digits of the petitioner's phone")),
    responses(
        (status = 200, description = "Status and answer", body = PublicPetition),
        (status = 404, description = "No such petition with these digits", body = crate::error::Problem),
        (status = 429, description = "Too many lookups (`rate_limited`, see Retry-After)", body = crate::error::Problem)
    )
)]
#[get("/public/petitions/{code}")]
pub async fn public_petition_lookup(
    meta: RequestMeta,
    state: web::Data<AppState>,
    code: Path<String>,
    q: Query<PublicLookupQuery>,
) -> AppResult<web::Json<PublicPetition>> {
    let last4 = q.into_inner().phone_last4;
    let ip = meta.ip;
    Ok(web::Json(run(&state.pool, move |c| public::lookup(c, &ip, &code.into_inner(), last4.as_deref())).await?))
}

/// `?phone_last4=`.
#[derive(Debug, serde::Deserialize)]
pub struct PublicLookupQuery {
    pub phone_last4: Option<String>,
}

/// Registers the routes (fixed paths before `{id}`).
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_petition)
        .service(list_petitions)
        .service(summary)
        .service(figures)
        .service(figures_by_commune)
        .service(petition_register)
        .service(petition_handlers)
        .service(get_settings)
        .service(put_settings)
        .service(put_chairman)
        .service(get_petition)
        .service(act_on_petition)
        .service(read_identity)
        .service(document)
        .service(public_submit)
        .service(public_submit_with_photo)
        .service(petition_photo)
        .service(public_answered)
        .service(public_petition_lookup);
}
