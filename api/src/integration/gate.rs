//! Where a request's API key becomes a caller: which endpoints accept keys, the per-key rate
//! limit, the use counters, and the audit of refusals (bad, revoked or expired keys, refused
//! addresses, scopes that do not cover the endpoint).

use std::collections::HashMap;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, web};
use parking_lot::Mutex;

use super::service;
use crate::auth::caller::Caller;
use crate::db::run;
use crate::error::AppError;
use crate::state::AppState;

/// The endpoints a key may call (method, route pattern): reads of aggregates, masked
/// dossiers and plans. Everything else — account, sign-in, writes, personal data — answers
/// 403 to a key. The OpenAPI document lists the `api_key` scheme on exactly these.
pub const KEY_ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/v1/communes"),
    ("GET", "/api/v1/units"),
    ("GET", "/api/v1/units/{id}"),
    ("GET", "/api/v1/procedures"),
    ("GET", "/api/v1/procedures/{id}"),
    ("GET", "/api/v1/onestop/indicators"),
    ("GET", "/api/v1/onestop/indicators.csv"),
    ("GET", "/api/v1/onestop/indicators.xlsx"),
    ("GET", "/api/v1/onestop/index766"),
    ("GET", "/api/v1/onestop/index766.csv"),
    ("GET", "/api/v1/onestop/index766.xlsx"),
    ("GET", "/api/v1/onestop/online-levels"),
    ("GET", "/api/v1/onestop/online-levels.csv"),
    ("GET", "/api/v1/onestop/online-levels.xlsx"),
    ("GET", "/api/v1/dossiers"),
    ("GET", "/api/v1/dossiers/{id}"),
    ("GET", "/api/v1/plans"),
    ("GET", "/api/v1/plans/{id}"),
    ("GET", "/api/v1/plans/{id}/tasks"),
    ("GET", "/api/v1/plans/{id}/export.csv"),
    ("GET", "/api/v1/plans/{id}/export.xlsx"),
    ("GET", "/api/v1/tasks/{id}"),
    ("GET", "/api/v1/onestop/national-export"),
];

/// Whether an endpoint accepts keys.
pub fn accepts_keys(method: &str, pattern: &str) -> bool {
    KEY_ROUTES.iter().any(|(m, p)| *m == method && *p == pattern)
}

/// The API key a request presents, if any: `X-API-Key`, or a bearer credential that starts
/// with `tt_`.
pub fn presented_key(req: &HttpRequest) -> Option<String> {
    if let Some(v) = req.headers().get("x-api-key") {
        return Some(v.to_str().unwrap_or("").trim().to_string());
    }
    let value = req.headers().get(actix_web::http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && service::looks_like_key(token)).then(|| token.to_string())
}

/// A key's use in this request, kept in the request's extensions for [`after_key_use`].
#[derive(Debug, Clone)]
struct KeyUse {
    key: super::model::ApiKeyRow,
    endpoint: String,
    request_id: String,
    ip: String,
}

/// Requests per key in the current minute (this process; see `docs/integration.md`).
static WINDOWS: LazyLock<Mutex<HashMap<String, (Instant, u32)>>> = LazyLock::new(|| Mutex::new(HashMap::new()));
const WINDOW: Duration = Duration::from_secs(60);

/// Takes one request from a key's budget (by its prefix, unique and random); `Err(seconds)`
/// until the window ends when spent.
pub fn take(key: &str, per_minute: i32, now: Instant) -> Result<(), u64> {
    let mut w = WINDOWS.lock();
    let e = w.entry(key.to_string()).or_insert((now, 0));
    if now.duration_since(e.0) >= WINDOW {
        *e = (now, 0);
    }
    if e.1 >= u32::try_from(per_minute).unwrap_or(0) {
        let left = WINDOW.saturating_sub(now.duration_since(e.0));
        return Err(left.as_secs().max(1));
    }
    e.1 += 1;
    Ok(())
}

/// The caller a key stands for, or the error to answer: checks the key
/// ([`service::authenticate`]), that the endpoint accepts keys, the key's rate; audits
/// refusals. The use is counted once the handler answered ([`after_key_use`]).
pub async fn caller_for_key(
    req: &HttpRequest,
    key: String,
    request_id: String,
    ip: String,
) -> Result<Caller, AppError> {
    let state = req.app_data::<web::Data<AppState>>().cloned().ok_or_else(|| AppError::Internal("state".into()))?;
    let method = req.method().as_str().to_string();
    let pattern = req.match_pattern().unwrap_or_else(|| req.path().to_string());
    let endpoint = format!("{method} {pattern}");
    let open = accepts_keys(&method, &pattern);
    let (rid, addr, ep) = (request_id.clone(), ip.clone(), endpoint.clone());
    let found = run(&state.pool, move |c| {
        let now = chrono::Utc::now().naive_utc();
        let refused = match service::authenticate(c, &key, &addr, &rid, now)? {
            Ok(a) if !open => {
                service::Refusal { reason: "endpoint_closed_to_keys", prefix: a.key.prefix.clone(), key: Some(a.key) }
            }
            Ok(a) => {
                take(&a.key.prefix, a.key.rate_per_minute, Instant::now())
                    .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;
                return Ok(a);
            }
            Err(r) => r,
        };
        service::audit_refusal(c, &refused, &ep, &rid, &addr)?;
        Err(refused.error())
    })
    .await?;
    req.extensions_mut().insert(KeyUse { key: found.key, endpoint, request_id, ip });
    Ok(found.caller)
}

/// After a request made with a key: a 403 from the handler (the key's scopes, or its
/// creator's role, do not cover the operation) is audited; any other answer counts as a use
/// of the endpoint. Wraps the app; does nothing for requests without a key.
pub async fn after_key_use(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    let res = next.call(req).await?;
    let used = res.request().extensions().get::<KeyUse>().cloned();
    let state = res.request().app_data::<web::Data<AppState>>().cloned();
    if let (Some(u), Some(state)) = (used, state) {
        let denied = res.status() == actix_web::http::StatusCode::FORBIDDEN;
        let written = run(&state.pool, move |c| {
            if denied {
                let refusal =
                    service::Refusal { reason: "scope_denied", prefix: u.key.prefix.clone(), key: Some(u.key) };
                service::audit_refusal(c, &refusal, &u.endpoint, &u.request_id, &u.ip)
            } else {
                service::count_use(c, u.key.id, &u.endpoint, chrono::Utc::now().naive_utc())
            }
        })
        .await;
        if let Err(e) = written {
            tracing::error!(error = %e, "cannot record a key's use");
        }
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_budget_per_minute_then_a_retry_after() {
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(take("tt_test_ffffffff", 3, t0), Ok(()));
        }
        let wait = take("tt_test_ffffffff", 3, t0 + Duration::from_secs(20)).unwrap_err();
        assert!((39..=40).contains(&wait), "{wait}");
        assert_eq!(take("tt_test_ffffffff", 3, t0 + Duration::from_secs(61)), Ok(()));
    }

    #[test]
    fn only_listed_reads_accept_keys() {
        assert!(accepts_keys("GET", "/api/v1/dossiers"));
        assert!(!accepts_keys("POST", "/api/v1/dossiers"));
        assert!(!accepts_keys("GET", "/api/v1/auth/me"));
        assert!(!accepts_keys("GET", "/api/v1/onestop/register.csv"));
    }
}
