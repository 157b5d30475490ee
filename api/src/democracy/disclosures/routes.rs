//! `/api/v1/disclosure-items…`, `/disclosures…`, `/democracy/files/{id}`, and the public
//! `/public/communes/{code}/disclosures`, `/public/disclosure-files/{id}`.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, put, web};

use super::model::*;
use super::service;
use crate::auth::{Allowed, can};
use crate::db::run;
use crate::error::AppResult;
use crate::http::files::{read_form, send_stored, take_client_id, upload_budget};
use crate::http::idempotency::{IdempotencyKey, once};
use crate::http::{JsonBody, Page, Paging, Path, Query, json_response};
use crate::plans::storage as blob;
use crate::state::AppState;

/// Art. 11 items the commune uses.
#[utoipa::path(
    tag = "democracy",
    responses((status = 200, description = "The items", body = Vec<DisclosureItem>))
)]
#[get("/disclosure-items")]
pub async fn list_items(user: Allowed<can::ReadDemocracy>) -> AppResult<web::Json<Vec<DisclosureItem>>> {
    Ok(web::Json(user.in_commune(service::list_items).await?))
}

/// Adds an item of the commune's own.
#[utoipa::path(
    tag = "democracy",
    request_body = CreateDisclosureItem,
    responses((status = 201, description = "Created", body = DisclosureItem))
)]
#[post("/disclosure-items")]
pub async fn create_item(
    user: Allowed<can::ManageSettings>,
    body: JsonBody<CreateDisclosureItem>,
) -> AppResult<HttpResponse> {
    let actor = user.actor();
    let item = user.in_commune(move |c, commune| service::create_item(c, &actor, commune, body.0)).await?;
    Ok(HttpResponse::Created().json(item))
}

/// Edits an item; editing a shipped item gives the commune its own copy (answered).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Item id")),
    request_body = UpdateDisclosureItem,
    responses((status = 200, description = "The item as the commune now uses it", body = DisclosureItem))
)]
#[patch("/disclosure-items/{id}")]
pub async fn update_item(
    user: Allowed<can::ManageSettings>,
    id: Path<i64>,
    body: JsonBody<UpdateDisclosureItem>,
) -> AppResult<web::Json<DisclosureItem>> {
    let (actor, id) = (user.actor(), id.into_inner());
    Ok(web::Json(user.in_commune(move |c, commune| service::update_item(c, &actor, commune, id, body.0)).await?))
}

/// Disclosures of the commune, newest posting first.
#[utoipa::path(
    tag = "democracy",
    params(DisclosureFilter),
    responses((status = 200, description = "A page of disclosures", body = Page<DisclosureSummary>))
)]
#[get("/disclosures")]
pub async fn list_disclosures(
    user: Allowed<can::ReadDemocracy>,
    q: Query<DisclosureFilter>,
) -> AppResult<HttpResponse> {
    let paging = Paging::new(q.page, q.per_page)?;
    let (caller, cache) = (user.caller.clone(), user.state.reads.clone());
    let f = q.into_inner();
    let json = user.run(move |c| service::list_disclosures_json(c, &cache, &caller, f, paging)).await?;
    Ok(json_response(json))
}

/// Records a disclosure; rules it breaks (minimum days) come back as `warnings`.
#[utoipa::path(
    tag = "democracy",
    request_body = CreateDisclosure,
    responses((status = 201, description = "Recorded, with warnings", body = DisclosureSaved))
)]
#[post("/disclosures")]
pub async fn create_disclosure(
    user: Allowed<can::ManageDisclosures>,
    body: JsonBody<CreateDisclosure>,
) -> AppResult<HttpResponse> {
    let saved = user.act(move |c, caller| service::create_disclosure(c, caller, body.0)).await?;
    Ok(HttpResponse::Created().json(saved))
}

/// What needs acting on: postings ending before their minimum, late village relays, periodic
/// items missing a period (a village head: their village's late relays).
#[utoipa::path(
    tag = "democracy",
    responses((status = 200, description = "Alerts", body = Vec<DisclosureAlert>))
)]
#[get("/disclosures/alerts")]
pub async fn alerts(user: Allowed<can::ReadDemocracy>) -> AppResult<web::Json<Vec<DisclosureAlert>>> {
    Ok(web::Json(user.act(service::alerts).await?))
}

/// The commune's disclosure settings.
#[utoipa::path(
    operation_id = "get_disclosure_settings",
    tag = "democracy",
    responses((status = 200, description = "Settings", body = DemocracySettings))
)]
#[get("/disclosures/settings")]
pub async fn get_settings(user: Allowed<can::ReadDemocracy>) -> AppResult<web::Json<DemocracySettings>> {
    Ok(web::Json(user.in_commune(service::settings).await?))
}

/// Sets the days allowed for village relays and for periodic items.
#[utoipa::path(
    operation_id = "put_disclosure_settings",
    tag = "democracy",
    request_body = DemocracySettings,
    responses((status = 200, description = "Saved", body = DemocracySettings))
)]
#[put("/disclosures/settings")]
pub async fn put_settings(
    user: Allowed<can::ManageSettings>,
    body: JsonBody<DemocracySettings>,
) -> AppResult<web::Json<DemocracySettings>> {
    let actor = user.actor();
    Ok(web::Json(user.in_commune(move |c, commune| service::save_settings(c, &actor, commune, body.0)).await?))
}

/// One disclosure: its villages, each with its relay or none yet, files and warnings.
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Disclosure id")),
    responses((status = 200, description = "The disclosure", body = Disclosure))
)]
#[get("/disclosures/{id}")]
pub async fn get_disclosure(user: Allowed<can::ReadDemocracy>, id: Path<i64>) -> AppResult<web::Json<Disclosure>> {
    Ok(web::Json(user.in_commune(move |c, commune| service::get_disclosure(c, commune, id.into_inner())).await?))
}

/// Edits a disclosure (e.g. the day it was taken down); warnings as on create.
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Disclosure id")),
    request_body = UpdateDisclosure,
    responses((status = 200, description = "Saved, with warnings", body = DisclosureSaved))
)]
#[patch("/disclosures/{id}")]
pub async fn update_disclosure(
    user: Allowed<can::ManageDisclosures>,
    id: Path<i64>,
    body: JsonBody<UpdateDisclosure>,
) -> AppResult<web::Json<DisclosureSaved>> {
    Ok(web::Json(user.act(move |c, caller| service::update_disclosure(c, caller, id.into_inner(), body.0)).await?))
}

/// Attaches the disclosed document (`kind=document`, public) or evidence of the posting
/// (`kind=evidence`): multipart, JPEG, PNG, WebP or PDF checked by content.
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Disclosure id")),
    request_body(content = inline(DisclosureFilesForm), content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored", body = Vec<DemocracyFile>),
        (status = 413, description = "A file exceeds the upload limit", body = crate::error::Problem),
        (status = 415, description = "A file is not JPEG, PNG, WebP or PDF", body = crate::error::Problem),
    )
)]
#[post("/disclosures/{id}/files")]
pub async fn add_files(
    user: Allowed<can::ManageDisclosures>,
    id: Path<i64>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    let cap = user.state.config.server.max_upload_bytes;
    let budget = upload_budget(cap, blob::MAX_FILES_PER_REPORT);
    let parts = read_form(form, &user.state.spool, |n| service::part_limit(n, cap), budget).await?;
    let input = service::check_files_form(parts)?;
    let store = user.state.blobs.clone();
    let files = user.act(move |c, caller| service::add_files(c, caller, store, id.into_inner(), input)).await?;
    Ok(HttpResponse::Created().json(files))
}

/// A village head confirms "đã thông báo tại thôn" for their own village (multipart:
/// `relayed_on`, `note`, optional photos in `files`, optional `client_id`). Only villages the
/// disclosure asks; once. Idempotent: the phone's outbox sends an `Idempotency-Key` (or the
/// `client_id` part), and the same key again returns the first answer (docs/offline.md).
#[utoipa::path(
    tag = "democracy",
    params(
        ("id" = i64, Path, description = "Disclosure id"),
        ("Idempotency-Key" = Option<String>, Header, description = "The phone's id of this write (1–100 of A–Z a–z 0–9 - _ : .): the same key again returns the first answer and records nothing (docs/offline.md)"),
    ),
    request_body(content = inline(RelayForm), content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Relay recorded, or the first answer to this idempotency key again (header `Idempotent-Replayed: true`)", body = Relay),
        (status = 422, description = "Invalid field, or a malformed idempotency key", body = crate::error::Problem),
        (status = 409, description = "`village_not_asked`, `already_relayed` or `no_village`; `idempotency_key_reused`: the key belongs to another request; `idempotency_in_progress`: a request with this key is still working", body = crate::error::Problem),
        (status = 413, description = "A file exceeds the upload limit", body = crate::error::Problem),
        (status = 415, description = "A file is not JPEG, PNG, WebP or PDF", body = crate::error::Problem),
    )
)]
#[post("/disclosures/{id}/relays")]
pub async fn add_relay(
    user: Allowed<can::RelayDisclosures>,
    id: Path<i64>,
    key: IdempotencyKey,
    req: HttpRequest,
    form: Multipart,
) -> AppResult<HttpResponse> {
    let caller = user.caller.clone();
    let cap = user.state.config.server.max_upload_bytes;
    let budget = upload_budget(cap, blob::MAX_FILES_PER_REPORT);
    let parts = read_form(form, &user.state.spool, |n| service::part_limit(n, cap), budget).await?;
    let (client_id, parts) = take_client_id(parts)?;
    let key = key.or_client_id(client_id)?;
    let input = service::check_relay_form(parts)?;
    let store = user.state.blobs.clone();
    let pool = user.state.pool.clone();
    once(&user.state.pool, user.id, key, &req, StatusCode::CREATED, async move {
        run(&pool, move |c| service::add_relay(c, &caller, store, id.into_inner(), input)).await
    })
    .await
}

/// A file of a democracy record of the caller's commune.
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "File id")),
    responses((status = 200, description = "The file (JPEG, PNG, WebP or PDF)", content((Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "image/webp"), (Vec<u8> = "application/pdf"))))
)]
#[get("/democracy/files/{id}")]
pub async fn get_file(user: Allowed<can::ReadDemocracy>, id: Path<i64>, req: HttpRequest) -> AppResult<HttpResponse> {
    let row = user.in_commune(move |c, commune| service::file(c, commune, id.into_inner())).await?;
    send_stored(user.state.blobs.clone(), &row.sha256, &row.file_name, &row.content_type, &req, "private, no-cache")
        .await
}

/// The public disclosures of a commune (no sign-in): current and past, with documents. `code`
/// is the commune's administrative code, or its number when it has none.
#[utoipa::path(
    tag = "democracy",
    params(("code" = String, Path, description = "Commune code (or number)"), PublicDisclosureQuery),
    responses(
        (status = 200, description = "The commune's disclosures", body = PublicDisclosures),
        (status = 404, description = "No such commune", body = crate::error::Problem),
    )
)]
#[get("/public/communes/{code}/disclosures")]
pub async fn public_disclosures(
    state: web::Data<AppState>,
    code: Path<String>,
    q: Query<PublicDisclosureQuery>,
) -> AppResult<web::Json<PublicDisclosures>> {
    let year = q.year;
    Ok(web::Json(run(&state.pool, move |c| service::public_disclosures(c, &code.into_inner(), year)).await?))
}

/// A disclosed document (no sign-in).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "File id")),
    responses(
        (status = 200, description = "The document (JPEG, PNG, WebP or PDF)", content((Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "image/webp"), (Vec<u8> = "application/pdf"))),
        (status = 404, description = "No such public document", body = crate::error::Problem),
    )
)]
#[get("/public/disclosure-files/{id}")]
pub async fn public_file(state: web::Data<AppState>, id: Path<i64>, req: HttpRequest) -> AppResult<HttpResponse> {
    let row = run(&state.pool, move |c| service::public_file(c, id.into_inner())).await?;
    send_stored(state.blobs.clone(), &row.sha256, &row.file_name, &row.content_type, &req, "public, max-age=300").await
}

/// Registers the routes (fixed paths before `{id}`).
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_items)
        .service(create_item)
        .service(update_item)
        .service(list_disclosures)
        .service(create_disclosure)
        .service(alerts)
        .service(get_settings)
        .service(put_settings)
        .service(get_disclosure)
        .service(update_disclosure)
        .service(add_files)
        .service(add_relay)
        .service(get_file)
        .service(public_disclosures)
        .service(public_file);
}
