//! HTTP handlers of `/open311/v2` (GeoReport v2): every document as `.json` or `.xml`, the
//! spec's error lists, form-encoded (or multipart, with a `media` photo) posts with `api_key`.

use std::time::Instant;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, get, post, web};
use serde::Serialize;

use super::model::*;
use super::service;
use crate::db::{DbConnection, run};
use crate::error::AppError;
use crate::http::files::read_form;
use crate::http::{Path, Query, RequestMeta};
use crate::integration::gate;
use crate::integration::service as keys;
use crate::state::AppState;

/// The answer in the asked format: JSON as is, XML with the spec's element names.
fn answer<T: Serialize>(status: StatusCode, format: Format, root: &str, body: &T) -> HttpResponse {
    let text = match format {
        Format::Json => serde_json::to_string(body),
        Format::Xml => serde_json::to_value(body).map(|v| to_xml(root, &v)),
    };
    match text {
        Ok(t) => HttpResponse::build(status).content_type(format.content_type()).body(t),
        Err(e) => failure(format, AppError::Internal(format!("open311 encoding: {e}"))),
    }
}

/// An error as the spec writes it: `[{"code": 400, "description": "…"}]` / `<errors>`.
fn failure(format: Format, e: AppError) -> HttpResponse {
    let (status, descriptions) = match &e {
        AppError::Validation(errs) => {
            (StatusCode::BAD_REQUEST, errs.iter().map(|f| format!("{}: {}", f.field, f.message)).collect())
        }
        AppError::Rule { detail, .. } => (StatusCode::BAD_REQUEST, vec![detail.clone()]),
        AppError::MalformedBody(d) => (StatusCode::BAD_REQUEST, vec![d.clone()]),
        AppError::NotFound => (StatusCode::NOT_FOUND, vec!["Not found in this jurisdiction.".to_string()]),
        AppError::Unauthenticated | AppError::Forbidden => {
            (StatusCode::FORBIDDEN, vec!["api_key is missing, invalid, or may not submit here.".to_string()])
        }
        AppError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, vec!["Too many requests.".to_string()]),
        AppError::Internal(detail) => {
            tracing::error!(error = %detail, "open311 failed");
            (StatusCode::INTERNAL_SERVER_ERROR, vec!["Internal error.".to_string()])
        }
        other => (other.status_code(), vec![other.to_string()]),
    };
    let list: Vec<Open311Error> =
        descriptions.into_iter().map(|d| Open311Error { code: status.as_u16(), description: d }).collect();
    let mut res = answer(status, format, "errors", &list);
    if let AppError::RateLimited { retry_after_secs } = e
        && let Ok(v) = actix_web::http::header::HeaderValue::from_str(&retry_after_secs.to_string())
    {
        res.headers_mut().insert(actix_web::http::header::RETRY_AFTER, v);
    }
    res
}

/// A path whose extension is neither `json` nor `xml`.
fn not_a_format() -> HttpResponse {
    failure(Format::Json, AppError::NotFound)
}

/// A read of the spec's GET documents: in the format the path's extension names, from the
/// commune `jurisdiction_id` names; `root` is the XML document's element.
async fn read_in_jurisdiction<T, F>(
    state: &AppState,
    ext: &str,
    jurisdiction: Option<String>,
    root: &str,
    read: F,
) -> HttpResponse
where
    T: Serialize + Send + 'static,
    F: FnOnce(&mut DbConnection, i64) -> Result<T, AppError> + Send + 'static,
{
    let Some(format) = Format::parse(ext) else {
        return not_a_format();
    };
    match run(&state.pool, move |c| {
        let (commune, _) = service::commune(c, jurisdiction.as_deref())?;
        read(c, commune)
    })
    .await
    {
        Ok(found) => answer(StatusCode::OK, format, root, &found),
        Err(e) => failure(format, e),
    }
}

/// Where the service is (`discovery.json` / `.xml`).
#[utoipa::path(
    tag = "open311",
    params(("format" = String, Path, description = "json or xml")),
    responses(
        (status = 200, description = "The discovery document", content((Discovery = "application/json"), (String = "text/xml"))),
        (status = 404, description = "Neither .json nor .xml", body = Vec<Open311Error>)
    )
)]
#[get("/discovery.{format}")]
pub async fn open311_discovery(req: HttpRequest, format: Path<String>) -> HttpResponse {
    let Some(format) = Format::parse(&format) else {
        return not_a_format();
    };
    let info = req.connection_info();
    let base = format!("{}://{}", info.scheme(), info.host());
    answer(StatusCode::OK, format, "discovery", &service::discovery(&base))
}

/// The commune's services: its feedback categories.
#[utoipa::path(
    tag = "open311",
    params(("format" = String, Path, description = "json or xml"), JurisdictionQuery),
    responses(
        (status = 200, description = "Services", content((Vec<Service> = "application/json"), (String = "text/xml"))),
        (status = 400, description = "jurisdiction_id missing", body = Vec<Open311Error>),
        (status = 404, description = "Unknown jurisdiction", body = Vec<Open311Error>)
    )
)]
#[get("/services.{format}")]
pub async fn open311_services(
    state: web::Data<AppState>,
    format: Path<String>,
    q: Query<JurisdictionQuery>,
) -> HttpResponse {
    read_in_jurisdiction(&state, &format, q.into_inner().jurisdiction_id, "services", service::services).await
}

/// A service's definition: its attributes (the village).
#[utoipa::path(
    tag = "open311",
    params(("service_code" = String, Path, description = "A service code"), ("format" = String, Path, description = "json or xml"), JurisdictionQuery),
    responses(
        (status = 200, description = "Definition", content((ServiceDefinition = "application/json"), (String = "text/xml"))),
        (status = 400, description = "jurisdiction_id missing", body = Vec<Open311Error>),
        (status = 404, description = "Unknown service or jurisdiction", body = Vec<Open311Error>)
    )
)]
#[get("/services/{service_code}.{format}")]
pub async fn open311_service_definition(
    state: web::Data<AppState>,
    path: Path<(String, String)>,
    q: Query<JurisdictionQuery>,
) -> HttpResponse {
    let (code, ext) = path.into_inner();
    let read = move |c: &mut DbConnection, commune| service::definition(c, commune, &code);
    read_in_jurisdiction(&state, &ext, q.into_inner().jurisdiction_id, "service_definition", read).await
}

/// `api_key` from the form, the query string (as some clients send it) or `X-API-Key`.
fn presented_key(req: &HttpRequest, form: &RequestForm) -> Option<String> {
    if let Some(k) = form.api_key.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        return Some(k.to_string());
    }
    let from_query = web::Query::<RequestForm>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.into_inner().api_key)
        .filter(|k| !k.trim().is_empty());
    from_query.or_else(|| gate::presented_key(req))
}

/// The post's form and photo: form-encoded as the spec says, or multipart with a `media` file.
async fn read_post(
    req: &HttpRequest,
    state: &AppState,
    payload: web::Payload,
) -> Result<(RequestForm, Option<crate::petitions::public::PhotoUpload>), AppError> {
    let multipart = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.trim_start().to_ascii_lowercase().starts_with("multipart/form-data"));
    if multipart {
        let cap = state.config.server.max_upload_bytes;
        let form = Multipart::new(req.headers(), payload.into_inner());
        let parts = read_form(form, &state.spool, |n| service::part_limit(n, cap), cap + 256 * 1024).await?;
        return service::form_from_parts(parts);
    }
    match web::Form::<RequestForm>::from_request(req, &mut payload.into_inner()).await {
        Ok(f) => Ok((f.into_inner(), None)),
        Err(e) => Err(AppError::MalformedBody(format!("form: {e}"))),
    }
}

/// Posts a request: form-encoded (or multipart with one `media` photo, FixMyStreet's
/// extension), `api_key` an integration key with the `submit_feedback` scope for this commune.
/// It becomes a petition (feedback or recommendation) with its legal clock, the photo kept with
/// it for the staff; the answer is its id and a token.
#[utoipa::path(
    tag = "open311",
    params(("format" = String, Path, description = "json or xml")),
    request_body(content(
        (RequestForm = "application/x-www-form-urlencoded"),
        (inline(RequestMultipart) = "multipart/form-data")
    )),
    responses(
        (status = 201, description = "Received", content((Vec<CreatedRequest> = "application/json"), (String = "text/xml"))),
        (status = 400, description = "A field is missing or invalid", body = Vec<Open311Error>),
        (status = 403, description = "api_key missing, invalid, without submit_feedback, or for another commune", body = Vec<Open311Error>),
        (status = 404, description = "Neither .json nor .xml, or an unknown jurisdiction", body = Vec<Open311Error>),
        (status = 413, description = "The media file exceeds the upload limit", body = Vec<Open311Error>),
        (status = 415, description = "The media file is not JPEG, PNG or WebP", body = Vec<Open311Error>),
        (status = 429, description = "The key's rate is spent (Retry-After)", body = Vec<Open311Error>)
    )
)]
#[post("/requests.{format}")]
pub async fn open311_post_request(
    req: HttpRequest,
    meta: RequestMeta,
    state: web::Data<AppState>,
    ext: Path<String>,
    payload: web::Payload,
) -> HttpResponse {
    let Some(format) = Format::parse(&ext) else {
        return not_a_format();
    };
    let (form, media) = match read_post(&req, &state, payload).await {
        Ok(read) => read,
        Err(e) => return failure(format, e),
    };
    let Some(key) = presented_key(&req, &form) else {
        return failure(format, AppError::Forbidden);
    };
    let identity = state.identity.clone();
    let store = state.blobs.clone();
    let endpoint = format!("POST /open311/v2/requests.{ext}");
    let result = run(&state.pool, move |c| {
        let now = chrono::Utc::now().naive_utc();
        let target = service::commune(c, form.jurisdiction_id.as_deref());
        let auth = match keys::authenticate(c, &key, &meta.ip, &meta.request_id, now)? {
            Ok(a) => a,
            Err(refusal) => {
                keys::audit_refusal(c, &refusal, &endpoint, &meta.request_id, &meta.ip)?;
                return Err(AppError::Forbidden);
            }
        };
        // A key for one commune may leave jurisdiction_id out.
        let commune_id = match (target, auth.key.commune_id) {
            (Ok((id, _)), _) => id,
            (Err(AppError::Validation(_)), Some(own)) => own,
            (Err(e), _) => return Err(e),
        };
        if let Err(refusal) = service::key_may_submit(c, &auth, commune_id)? {
            keys::audit_refusal(c, &refusal, &endpoint, &meta.request_id, &meta.ip)?;
            return Err(AppError::Forbidden);
        }
        gate::take(&auth.key.prefix, auth.key.rate_per_minute, Instant::now())
            .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;
        let media = media.map(|m| (store.as_ref(), m));
        let created = service::submit(c, &auth, &identity, commune_id, form, media)?;
        keys::count_use(c, auth.key.id, &endpoint, chrono::Utc::now().naive_utc())?;
        Ok(vec![created])
    })
    .await;
    match result {
        Ok(list) => answer(StatusCode::CREATED, format, "service_requests", &list),
        Err(e) => failure(format, e),
    }
}

/// The commune's requests received through Open311 (newest first, at most 1000): status,
/// the published answer, the legal due time; never personal data.
#[utoipa::path(
    tag = "open311",
    params(("format" = String, Path, description = "json or xml"), RequestFilter),
    responses(
        (status = 200, description = "Requests", content((Vec<ServiceRequest> = "application/json"), (String = "text/xml"))),
        (status = 400, description = "A filter is invalid", body = Vec<Open311Error>),
        (status = 404, description = "Unknown jurisdiction", body = Vec<Open311Error>)
    )
)]
#[get("/requests.{format}")]
pub async fn open311_requests(
    state: web::Data<AppState>,
    format: Path<String>,
    q: Query<RequestFilter>,
) -> HttpResponse {
    let f = q.into_inner();
    let jurisdiction = f.jurisdiction_id.clone();
    let read = move |c: &mut DbConnection, commune| service::list(c, commune, &f);
    read_in_jurisdiction(&state, &format, jurisdiction, "service_requests", read).await
}

/// One request (a list of one, as the spec answers).
#[utoipa::path(
    tag = "open311",
    params(("service_request_id" = String, Path, description = "The request id"), ("format" = String, Path, description = "json or xml"), JurisdictionQuery),
    responses(
        (status = 200, description = "The request", content((Vec<ServiceRequest> = "application/json"), (String = "text/xml"))),
        (status = 404, description = "Unknown request or jurisdiction", body = Vec<Open311Error>)
    )
)]
#[get("/requests/{service_request_id}.{format}")]
pub async fn open311_request(
    state: web::Data<AppState>,
    path: Path<(String, String)>,
    q: Query<JurisdictionQuery>,
) -> HttpResponse {
    let (id, ext) = path.into_inner();
    let read = move |c: &mut DbConnection, commune| service::one(c, commune, &id);
    read_in_jurisdiction(&state, &ext, q.into_inner().jurisdiction_id, "service_requests", read).await
}

/// The request id a token stands for.
#[utoipa::path(
    tag = "open311",
    params(("token" = String, Path, description = "The token POST requests answered"), ("format" = String, Path, description = "json or xml"), JurisdictionQuery),
    responses(
        (status = 200, description = "The request id", content((Vec<TokenAnswer> = "application/json"), (String = "text/xml"))),
        (status = 404, description = "Unknown token or jurisdiction", body = Vec<Open311Error>)
    )
)]
#[get("/tokens/{token}.{format}")]
pub async fn open311_token(
    state: web::Data<AppState>,
    path: Path<(String, String)>,
    q: Query<JurisdictionQuery>,
) -> HttpResponse {
    let (token, ext) = path.into_inner();
    let read = move |c: &mut DbConnection, commune| service::token(c, commune, &token);
    read_in_jurisdiction(&state, &ext, q.into_inner().jurisdiction_id, "service_requests", read).await
}

/// Registers the `/open311/v2` routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(open311_discovery)
        .service(open311_services)
        .service(open311_service_definition)
        .service(open311_post_request)
        .service(open311_requests)
        .service(open311_request)
        .service(open311_token);
}
