//! Idempotent field writes: a phone that sends the same write twice (it queued it offline, the
//! answer was lost on a weak line, the outbox retried) gets the first answer back and nothing
//! is created twice. See docs/offline.md.
//!
//! A handler takes an [`IdempotencyKey`] (the `Idempotency-Key` header, absent is fine), may
//! fall back to a client id from its body, and wraps its write in [`once`]:
//!
//! ```ignore
//! let key = key.or_client_id(client_id_from_body)?;
//! once(&state.pool, user.id, key, &req, StatusCode::CREATED, async move { /* the write */ }).await
//! ```
//!
//! The same key from the same user returns the first status and JSON body (with
//! `Idempotent-Replayed: true`), also when both requests arrive together: the second waits for
//! the first. A write that fails lets its key go, so the client may retry with it. Keys are
//! kept [`KEY_TTL_HOURS`] hours from their first use.

use std::future::Future;
use std::time::Duration;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::Serialize;

use crate::db::idempotency::{self as store, Claim};
use crate::db::{DbPool, run};
use crate::error::{AppError, AppResult};

/// How long a key is remembered after its first use: a week, longer than a phone stays
/// offline with work in its outbox in practice.
pub const KEY_TTL_HOURS: i64 = 24 * 7;
/// How long a request waits for a concurrent one holding the same key before answering 409.
const WAIT_FOR_OWNER: Duration = Duration::from_secs(30);
/// A key still pending after this long belongs to a request that died; the next one takes over.
const STALE_AFTER_SECS: i64 = 300;
/// Longest key accepted (a UUID is 36).
const MAX_KEY_LEN: usize = 100;

/// The request's `Idempotency-Key` header, if any. A malformed key is 422.
#[derive(Debug, Clone, Default)]
pub struct IdempotencyKey(pub Option<String>);

impl IdempotencyKey {
    /// The header's key, or else a client id the handler read from its body.
    pub fn or_client_id(self, client_id: Option<String>) -> AppResult<Option<String>> {
        match (self.0, client_id) {
            (Some(k), _) => Ok(Some(k)),
            (None, Some(c)) => check(&c, "client_id").map(Some),
            (None, None) => Ok(None),
        }
    }
}

fn check(key: &str, field: &str) -> AppResult<String> {
    let ok = !key.is_empty()
        && key.len() <= MAX_KEY_LEN
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'));
    if ok {
        Ok(key.to_string())
    } else {
        Err(AppError::field(field, "invalid_format", "Mã chống gửi trùng không hợp lệ (1–100 ký tự chữ, số, - _ : .)."))
    }
}

impl FromRequest for IdempotencyKey {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let found = req.headers().get("idempotency-key").map(|v| {
            v.to_str()
                .map_err(|_| AppError::field("Idempotency-Key", "invalid_format", "Mã chống gửi trùng không hợp lệ."))
                .and_then(|s| check(s.trim(), "Idempotency-Key"))
        });
        std::future::ready(match found {
            None => Ok(IdempotencyKey(None)),
            Some(Ok(k)) => Ok(IdempotencyKey(Some(k))),
            Some(Err(e)) => Err(e),
        })
    }
}

/// Runs `write` at most once per (user, key) and answers `status` with its JSON; without a key
/// it simply runs it. `req` names the request the key is bound to (method and path): the same
/// key on another request is refused (`idempotency_key_reused`, 409).
pub async fn once<T, F>(
    pool: &DbPool,
    user_id: i64,
    key: Option<String>,
    req: &HttpRequest,
    status: StatusCode,
    write: F,
) -> AppResult<HttpResponse>
where
    T: Serialize + 'static,
    F: Future<Output = AppResult<T>> + 'static,
{
    let Some(key) = key else {
        let value = write.await?;
        return Ok(HttpResponse::build(status).json(value));
    };
    let request = format!("{} {}", req.method(), req.path());
    let started = std::time::Instant::now();
    loop {
        let (k, r) = (key.clone(), request.clone());
        let claim = run(pool, move |c| {
            let now = Utc::now().naive_utc();
            Ok(store::claim(c, user_id, &k, &r, now, now - chrono::Duration::hours(KEY_TTL_HOURS))?)
        })
        .await?;
        match claim {
            Claim::Owned => break,
            Claim::Replay { status, body } => return Ok(replay(status, body)),
            Claim::Mismatch => {
                return Err(AppError::rule(
                    "idempotency_key_reused",
                    "Mã chống gửi trùng này đã được dùng cho một thao tác khác.",
                ));
            }
            Claim::Pending { since } => {
                let now = Utc::now().naive_utc();
                if now - since > chrono::Duration::seconds(STALE_AFTER_SECS) {
                    let k = key.clone();
                    let took = run(pool, move |c| {
                        let now = Utc::now().naive_utc();
                        Ok(store::take_over(c, user_id, &k, now, now - chrono::Duration::seconds(STALE_AFTER_SECS))?)
                    })
                    .await?;
                    if took {
                        break;
                    }
                } else if started.elapsed() > WAIT_FOR_OWNER {
                    return Err(AppError::rule(
                        "idempotency_in_progress",
                        "Yêu cầu này đang được xử lý, vui lòng thử lại sau ít phút.",
                    ));
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    // The write and the storing of its answer run as their own task: a phone that drops the
    // connection mid-request (weak 3G) drops this handler, and the answer must still be stored
    // for its retry to find.
    let pool = pool.clone();
    let finished = actix_web::rt::spawn(async move {
        match write.await {
            Ok(value) => {
                let body = serde_json::to_string(&value).map_err(|e| AppError::Internal(format!("json: {e}")))?;
                let (k, b) = (key.clone(), body.clone());
                let stored = run(&pool, move |c| {
                    Ok(store::complete(c, user_id, &k, status.as_u16(), &b, Utc::now().naive_utc())?)
                })
                .await;
                // The write is done: its answer goes back even if remembering it failed (a
                // retry then finds the key pending and, once stale, does the write again).
                if let Err(e) = stored {
                    tracing::error!(error = %e, "cannot store an idempotent result");
                }
                Ok(body)
            }
            Err(e) => {
                let k = key.clone();
                if let Err(release) = run(&pool, move |c| Ok(store::release(c, user_id, &k)?)).await {
                    tracing::error!(error = %release, "cannot release an idempotency key");
                }
                Err(e)
            }
        }
    });
    let body = finished.await.map_err(|e| AppError::Internal(format!("idempotent write task: {e}")))??;
    Ok(HttpResponse::build(status).content_type("application/json").body(body))
}

fn replay(status: u16, body: String) -> HttpResponse {
    HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::OK))
        .content_type("application/json")
        .insert_header(("idempotent-replayed", "true"))
        .body(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_short_and_plain() {
        assert!(check("0b9d2c1e-8a7f-4c39-9f1e-3f1f1f1f1f1f", "k").is_ok());
        assert!(check("outbox:42.1", "k").is_ok());
        for bad in ["", "a b", "ý", &"x".repeat(101)] {
            assert!(check(bad, "k").is_err(), "{bad}");
        }
        let k = IdempotencyKey(None).or_client_id(Some("abc".into())).unwrap();
        assert_eq!(k.as_deref(), Some("abc"));
        let k = IdempotencyKey(Some("hdr".into())).or_client_id(Some("abc".into())).unwrap();
        assert_eq!(k.as_deref(), Some("hdr"));
        assert!(IdempotencyKey(None).or_client_id(Some("a b".into())).is_err());
    }
}
