//! HTTP plumbing shared by every module: request context, security headers, JSON bodies
//! with field-level errors, pagination, the SPA and the problem+json fallbacks.

pub mod edge;
pub mod files;
pub mod idempotency;
pub mod spa;

use std::net::IpAddr;
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError, web};
use futures_util::StreamExt as _;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, FieldError};

/// Who sent a request, from where, under which id. Set by [`request_context`].
#[derive(Debug, Clone)]
pub struct RequestMeta {
    pub request_id: String,
    pub ip: String,
    pub user_agent: Option<String>,
    /// The client reached us over HTTPS (directly or through a trusted proxy).
    pub secure: bool,
}

impl FromRequest for RequestMeta {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            req.extensions()
                .get::<RequestMeta>()
                .cloned()
                .ok_or_else(|| AppError::Internal("request context missing".into())),
        )
    }
}

/// Proxies whose forwarding headers we believe.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub Vec<IpAddr>);

fn client_ip(req: &ServiceRequest, trusted: &TrustedProxies) -> (String, bool) {
    let peer = req.peer_addr().map(|a| a.ip());
    let direct_https = req.connection_info().scheme() == "https" && peer.is_some_and(|p| trusted.0.contains(&p));
    match peer {
        Some(p) if trusted.0.contains(&p) => {
            let forwarded = req
                .headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').map(str::trim).find_map(|s| s.parse::<IpAddr>().ok()));
            let proto_https = req.headers().get("x-forwarded-proto").is_some_and(|v| v.as_bytes() == b"https");
            (forwarded.unwrap_or(p).to_string(), proto_https || direct_https)
        }
        Some(p) => (p.to_string(), false),
        None => ("unknown".into(), false),
    }
}

fn valid_request_id(v: &HeaderValue) -> Option<String> {
    let s = v.to_str().ok()?;
    (!s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| s.to_string())
}

/// HSTS for answers to requests that reached us over HTTPS (through a trusted proxy): a year,
/// subdomains included. Never sent over plain HTTP, where a browser ignores it anyway.
const HSTS: &str = "max-age=31536000; includeSubDomains";

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; \
base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Assigns a request id, resolves the client address, logs the request (method, path, status,
/// time; never headers or bodies) and adds security headers. Error responses under `/api`
/// that did not come from [`AppError`] are rewritten to problem+json.
pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let start = Instant::now();
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(valid_request_id)
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    let trusted = req.app_data::<web::Data<TrustedProxies>>().map(|t| t.get_ref().clone()).unwrap_or_default();
    let (ip, secure) = client_ip(&req, &trusted);
    let user_agent =
        req.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(|s| s.chars().take(256).collect());
    req.extensions_mut().insert(RequestMeta { request_id: request_id.clone(), ip, user_agent, secure });
    let method = req.method().clone();
    let path = req.path().to_string();
    let is_api = path.starts_with("/api/");
    let timeouts = req.app_data::<web::Data<edge::BodyTimeouts>>().map(|t| *t.get_ref());
    let mut req = req;
    let body_expired = timeouts.and_then(|t| edge::time_body(&mut req, t));

    // Holding a clone of the request while inner services run would make their
    // `extensions_mut()` panic, so the request is only borrowed back from the response.
    let mut res = match edge::nul_in_url(&req).filter(|_| is_api) {
        Some(refused) => req.into_response(refused.error_response()),
        None => next.call(req).await?.map_into_boxed_body(),
    };
    if body_expired.is_some_and(|e| e.load(std::sync::atomic::Ordering::Relaxed)) {
        res = res.into_response(AppError::RequestTimeout.error_response());
    }

    let status = res.status();
    if is_api && status.as_u16() >= 400 && !is_problem(res.headers()) {
        let problem = problem_for_status(status.as_u16());
        res = res.into_response(problem.error_response());
    }
    let headers = res.headers_mut();
    if status == actix_web::http::StatusCode::SERVICE_UNAVAILABLE && !headers.contains_key(header::RETRY_AFTER) {
        set(headers, "retry-after", &crate::error::UNAVAILABLE_RETRY_AFTER_SECS.to_string());
    }
    if secure {
        set(headers, "strict-transport-security", HSTS);
    }
    set(headers, "x-request-id", &request_id);
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "referrer-policy", "no-referrer");
    set(headers, "x-frame-options", "DENY");
    set(headers, "cross-origin-opener-policy", "same-origin");
    set(headers, "permissions-policy", "camera=(self), geolocation=(), microphone=()");
    if !path.starts_with("/api/docs") {
        set(headers, "content-security-policy", CSP);
    } else {
        // Swagger UI styles itself inline; still no inline or foreign scripts.
        set(
            headers,
            "content-security-policy",
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
        );
    }
    if is_api && !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, "cache-control", "no-store");
    }
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    if status.is_server_error() {
        tracing::error!(request_id = %request_id, %method, %path, status = status.as_u16(), ms, "request");
    } else {
        tracing::info!(request_id = %request_id, %method, %path, status = status.as_u16(), ms, "request");
    }
    Ok(res)
}

fn set(headers: &mut header::HeaderMap, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        headers.insert(HeaderName::from_static(name), v);
    }
}

fn is_problem(headers: &header::HeaderMap) -> bool {
    headers.get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"))
}

fn problem_for_status(status: u16) -> AppError {
    match status {
        401 => AppError::Unauthenticated,
        403 => AppError::Forbidden,
        404 => AppError::NotFound,
        405 => AppError::MethodNotAllowed,
        408 => AppError::RequestTimeout,
        413 => AppError::PayloadTooLarge,
        415 => AppError::UnsupportedMediaType,
        429 => AppError::RateLimited { retry_after_secs: 60 },
        400..=499 => AppError::MalformedBody("Yêu cầu không hợp lệ.".into()),
        503 => AppError::Unavailable("unavailable".into()),
        507 => AppError::StorageFull("insufficient storage".into()),
        _ => AppError::Internal(format!("status {status} without a problem body")),
    }
}

/// The API's path templates and their methods, taken from the OpenAPI document, so an
/// unmatched request can tell "no such path" (404) from "not with this method" (405).
#[derive(Debug, Clone, Default)]
pub struct KnownRoutes(Vec<(Vec<String>, Vec<&'static str>)>);

impl KnownRoutes {
    pub fn from_spec(spec: &utoipa::openapi::OpenApi) -> KnownRoutes {
        let mut routes = Vec::new();
        for (path, item) in &spec.paths.paths {
            let segments = path.trim_matches('/').split('/').map(str::to_string).collect();
            let mut methods = Vec::new();
            for (m, present) in [
                ("GET", item.get.is_some()),
                ("POST", item.post.is_some()),
                ("PUT", item.put.is_some()),
                ("PATCH", item.patch.is_some()),
                ("DELETE", item.delete.is_some()),
            ] {
                if present {
                    methods.push(m);
                }
            }
            routes.push((segments, methods));
        }
        KnownRoutes(routes)
    }

    /// The methods a concrete path allows, if it matches a template.
    pub fn allowed(&self, path: &str) -> Option<Vec<&'static str>> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let mut found: Option<Vec<&'static str>> = None;
        for (segments, methods) in &self.0 {
            let matches = segments.len() == parts.len()
                && segments.iter().zip(&parts).all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p);
            if matches {
                found.get_or_insert_with(Vec::new).extend(methods.iter().copied());
            }
        }
        found
    }
}

/// Answers every unmatched `/api/…` request with problem+json (never the SPA): 405 with
/// `Allow` when the path exists under other methods, else 404.
pub async fn api_not_found(req: HttpRequest) -> HttpResponse {
    let allowed = req.app_data::<web::Data<KnownRoutes>>().and_then(|k| k.allowed(req.path()));
    match allowed {
        Some(methods) if !methods.contains(&req.method().as_str()) => {
            let mut res = AppError::MethodNotAllowed.error_response();
            if let Ok(v) = HeaderValue::from_str(&methods.join(", ")) {
                res.headers_mut().insert(header::ALLOW, v);
            }
            res
        }
        _ => AppError::NotFound.error_response(),
    }
}

/// A JSON request body checked for media type and size, whose parse errors become
/// field-level `validation_failed` (wrong type, unknown or missing field) or
/// `malformed_body` (not JSON at all).
pub struct JsonBody<T>(pub T);

/// Maximum JSON body size, from configuration.
#[derive(Debug, Clone, Copy)]
pub struct JsonLimit(pub usize);

/// The verdict on the caller of a request whose handler names a permission
/// (`auth::Allowed`), for the input extractors that run beside it: an input that does not parse
/// is reported only once the caller is admitted, so a caller refused 401 or 403 is never told
/// what its input lacked. actix polls a handler's extractors together, so without it the
/// quicker one (a body that is not JSON) would answer first.
#[derive(Clone)]
pub struct CallerVerdict(pub futures_util::future::Shared<LocalBoxFuture<'static, Result<(), AppError>>>);

/// `read`, unless the caller is refused: then the refusal (only an input's error waits for it).
async fn once_the_caller_is_admitted<T, E: From<AppError>>(req: HttpRequest, read: Result<T, E>) -> Result<T, E> {
    if read.is_err() {
        let verdict = req.extensions().get::<CallerVerdict>().cloned();
        if let Some(verdict) = verdict {
            verdict.0.await.map_err(E::from)?;
        }
    }
    read
}

/// What an input extractor holds: `into_inner` and `Deref` to the value read, as actix's own.
macro_rules! read_input {
    ($name:ident) => {
        impl<T> $name<T> {
            pub fn into_inner(self) -> T {
                self.0
            }
        }

        impl<T> std::ops::Deref for $name<T> {
            type Target = T;
            fn deref(&self) -> &T {
                &self.0
            }
        }
    };
}

/// The parameters of a request's path, read as `web::Path` reads them (a mistake is answered by
/// [`path_error`]), but reported only once the caller is admitted: a caller without the
/// permission is refused 403 (anonymous 401) for `/plans/x` as for `/plans/1`.
pub struct Path<T>(pub T);
read_input!(Path);

impl<T: std::fmt::Display> std::fmt::Display for Path<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Path<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let read = web::Path::<T>::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let read = read.await.map(|path| Path(path.into_inner()));
            once_the_caller_is_admitted(req, read).await
        })
    }
}

impl<T: DeserializeOwned + utoipa::PartialSchema + 'static> FromRequest for JsonBody<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let limit = req.app_data::<web::Data<JsonLimit>>().map(|l| l.0).unwrap_or(256 * 1024);
        let essence = media_type(&req);
        let is_json = essence == "application/json" || essence.ends_with("+json");
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        let read = async move {
            if !is_json {
                return Err(AppError::UnsupportedMediaType);
            }
            if declared.is_some_and(|n| n > limit) {
                return Err(AppError::PayloadTooLarge);
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| AppError::MalformedBody(e.to_string()))?;
                if body.len() + chunk.len() > limit {
                    return Err(AppError::PayloadTooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            parse_json(&body).map(JsonBody).map_err(|e| every_missing_field::<T>(&body, e))
        };
        Box::pin(async move { once_the_caller_is_admitted(req, read.await).await })
    }
}

/// serde stops at the first missing field; a body missing several is refused on each of them
/// at once (the required fields its OpenAPI schema lists), so a client mends them in one try.
fn every_missing_field<T: utoipa::PartialSchema>(body: &[u8], err: AppError) -> AppError {
    use utoipa::openapi::{RefOr, schema::Schema};
    let AppError::Validation(errors) = &err else { return err };
    let [first] = errors.as_slice() else { return err };
    let RefOr::T(Schema::Object(schema)) = T::schema() else { return err };
    let Ok(serde_json::Value::Object(sent)) = serde_json::from_slice::<serde_json::Value>(body) else { return err };
    if first.code != "required" || !schema.required.contains(&first.field) {
        return err;
    }
    let missing: Vec<FieldError> = schema
        .required
        .iter()
        .filter(|name| !sent.contains_key(name.as_str()))
        .map(|name| FieldError::new(name.as_str(), "required", first.message.as_str()))
        .collect();
    if missing.is_empty() { err } else { AppError::Validation(missing) }
}

/// The request's media type, lower case, without parameters (`multipart/form-data`).
/// A 200 response with a JSON body already serialized (from the read cache).
pub fn json_response(json: actix_web::web::Bytes) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().content_type(actix_web::http::header::ContentType::json()).body(json)
}

pub fn media_type(req: &HttpRequest) -> String {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Parses JSON into `T`, mapping errors to stable codes with the field's path.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::MalformedBody("Thiếu nội dung JSON.".into()));
    }
    if let Some(refused) = edge::nul_in_json(body) {
        return Err(refused);
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize::<_, T>(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if !inner.is_data() {
            return AppError::MalformedBody(format!("JSON không hợp lệ: {inner}"));
        }
        let missing = |_: &str| "Trường này là bắt buộc.".to_string();
        refusal_at(&path, &inner.to_string(), "body", missing, "Giá trị không hợp lệ.")
    })
}

/// The field error serde's `msg` makes at `path` (`.` for the top): an unknown field, a missing
/// one (said as `missing`), or a value that does not fit (`whole` when it is not one field's).
fn refusal_at(path: &str, msg: &str, whole: &str, missing: impl Fn(&str) -> String, invalid: &str) -> AppError {
    let prefix = if path == "." { String::new() } else { format!("{path}.") };
    let (field, code, text) = if let Some(name) = between_backticks(msg, "unknown field") {
        // The path already ends at the unknown key.
        let field = if path == "." { name.to_string() } else { path.to_string() };
        (field, "unknown_field", "Trường này không được phép gửi.".to_string())
    } else if let Some(name) = between_backticks(msg, "missing field") {
        (format!("{prefix}{name}"), "required", missing(name))
    } else {
        (if path == "." { whole.into() } else { path.to_string() }, "invalid_value", invalid.to_string())
    };
    AppError::Validation(vec![FieldError::new(field, code, text)])
}

/// A query string read into `T`, like `web::Query`, but a value that does not fit is refused on
/// the parameter that carries it (`?year=abc` → `year`), as a JSON body's field is.
pub struct Query<T>(pub T);
read_input!(Query);

impl<T: DeserializeOwned + 'static> FromRequest for Query<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let read = parse_query(req.query_string()).map(Query);
        Box::pin(once_the_caller_is_admitted(req.clone(), read))
    }
}

/// Parses a query string into `T`, naming the parameter of any error.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, AppError> {
    let de = serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize::<_, T>(de).map_err(|err| {
        let path = err.path().to_string();
        let msg = err.into_inner().to_string();
        let missing = |name: &str| format!("Thiếu tham số bắt buộc “{name}”.");
        refusal_at(&path, &msg, "query", missing, "Tham số truy vấn không hợp lệ.")
    })
}

fn between_backticks<'a>(msg: &'a str, lead: &str) -> Option<&'a str> {
    let rest = msg.strip_prefix(lead)?.trim_start();
    let rest = rest.strip_prefix('`')?;
    rest.split('`').next()
}

/// An id in the path that is not a number names nothing (404); a date or a year that is not one
/// is a mistake in what was asked, answered as a field error on that parameter.
pub fn path_error(_: actix_web::error::PathError, req: &HttpRequest) -> actix_web::Error {
    let wrong = req.match_info().iter().find_map(|(name, value)| match name {
        "date" if value.parse::<chrono::NaiveDate>().is_err() => {
            Some(FieldError::new(name, "invalid_format", "Ngày phải có dạng YYYY-MM-DD (ví dụ 2026-09-02)."))
        }
        "year" if value.parse::<i32>().is_err() => {
            Some(FieldError::new(name, "invalid_format", "Năm phải là một số (ví dụ 2026)."))
        }
        _ => None,
    });
    match wrong {
        Some(error) => AppError::Validation(vec![error]).into(),
        None => AppError::NotFound.into(),
    }
}

/// A page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    /// Number of rows matching the filters, over all pages.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Validated paging parameters.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub page: i64,
    pub per_page: i64,
}

impl Paging {
    pub const MAX_PER_PAGE: i64 = 200;

    /// Checks `page` ≥ 1 and 1 ≤ `per_page` ≤ 200 (default 50).
    pub fn new(page: Option<i64>, per_page: Option<i64>) -> Result<Paging, AppError> {
        let mut errs = Vec::new();
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(50);
        if !(1..=1_000_000).contains(&page) {
            errs.push(FieldError::new("page", "invalid_value", "Trang phải từ 1."));
        }
        if !(1..=Self::MAX_PER_PAGE).contains(&per_page) {
            errs.push(FieldError::new("per_page", "invalid_value", "Số dòng mỗi trang từ 1 đến 200."));
        }
        if errs.is_empty() { Ok(Paging { page, per_page }) } else { Err(AppError::Validation(errs)) }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    pub fn wrap<T: ToSchema>(self, items: Vec<T>, total: i64) -> Page<T> {
        Page { items, total, page: self.page, per_page: self.per_page }
    }
}

/// `Option<Option<T>>` for PATCH bodies: absent = keep, `null` = clear, value = set.
pub mod double_option {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, T, D>(de: D) -> Result<Option<Option<T>>, D::Error>
    where
        T: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Option::<T>::deserialize(de).map(Some)
    }
}

/// Empty query for handlers without parameters (keeps strict checking uniform).
#[derive(Debug, Deserialize)]
pub struct NoQuery {}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Filter {
        year: i32,
        open: Option<bool>,
    }

    fn refused(query: &str) -> (String, String, String) {
        match parse_query::<Filter>(query) {
            Err(AppError::Validation(errors)) => {
                let e = &errors[0];
                (e.field.clone(), e.code.clone(), e.message.clone())
            }
            other => panic!("{query}: {other:?}"),
        }
    }

    #[test]
    fn a_query_refusal_names_its_parameter() {
        assert_eq!(
            parse_query::<Filter>("year=2026&open=true").map(|f| (f.year, f.open)).ok(),
            Some((2026, Some(true)))
        );
        assert_eq!(refused("year=abc").0, "year");
        assert_eq!(refused("year=2026&open=maybe").0, "open");
        let (field, code, message) = refused("open=true");
        assert_eq!((field.as_str(), code.as_str()), ("year", "required"));
        assert_eq!(message, "Thiếu tham số bắt buộc “year”.");
        let (field, code, _) = refused("year=2026&colour=red");
        assert_eq!((field.as_str(), code.as_str()), ("colour", "unknown_field"));
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        inner: Option<Inner>,
    }
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        n: i32,
    }

    fn field_err(body: &str) -> (String, String) {
        match parse_json::<Body>(body.as_bytes()) {
            Err(AppError::Validation(e)) => (e[0].field.clone(), e[0].code.clone()),
            other => panic!("expected validation error, got {other:?}"),
        }
    }

    #[test]
    fn json_errors_name_the_field() {
        assert_eq!(field_err(r#"{"name":"a","commune_id":3}"#), ("commune_id".into(), "unknown_field".into()));
        assert_eq!(field_err(r#"{}"#), ("name".into(), "required".into()));
        assert_eq!(field_err(r#"{"name":1}"#), ("name".into(), "invalid_value".into()));
        assert_eq!(field_err(r#"{"name":"a","inner":{"n":"x"}}"#), ("inner.n".into(), "invalid_value".into()));
        assert!(matches!(parse_json::<Body>(b"{\"name\":"), Err(AppError::MalformedBody(_))));
        assert!(matches!(parse_json::<Body>(b"  "), Err(AppError::MalformedBody(_))));
    }

    #[test]
    fn known_routes_match_templates() {
        let k = KnownRoutes(vec![
            (vec!["api".into(), "v1".into(), "units".into()], vec!["GET", "POST"]),
            (vec!["api".into(), "v1".into(), "units".into(), "{id}".into()], vec!["GET", "PATCH"]),
        ]);
        assert_eq!(k.allowed("/api/v1/units/7"), Some(vec!["GET", "PATCH"]));
        assert_eq!(k.allowed("/api/v1/units"), Some(vec!["GET", "POST"]));
        assert_eq!(k.allowed("/api/v1/units/7/x"), None);
        assert_eq!(k.allowed("/api/v1/users"), None);
    }

    #[test]
    fn paging_bounds() {
        assert!(Paging::new(Some(0), None).is_err());
        assert!(Paging::new(None, Some(201)).is_err());
        let p = Paging::new(Some(3), Some(20)).unwrap();
        assert_eq!(p.offset(), 40);
    }
}
