//! What every request passes before a handler sees it: NUL characters refused, and a body
//! that arrives too slowly cut off with 408.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::HttpMessage as _;
use actix_web::dev::{Payload, ServiceRequest};
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::rt::time::{Instant, Sleep, sleep, sleep_until};
use actix_web::web::{self, Bytes};
use futures_util::Stream;
use serde_json::Value;

use crate::error::{AppError, FieldError};

/// How long a client may take to send a request body (from configuration).
#[derive(Debug, Clone, Copy)]
pub struct BodyTimeouts {
    /// No byte for this long ends the request.
    pub idle: Duration,
    /// The whole body must have arrived by then.
    pub total: Duration,
    /// After the first `idle` period the body must keep at least this average rate, so a
    /// client trickling a byte every few seconds is cut off early (0 = no rate check).
    pub min_bytes_per_sec: u64,
}

const NUL_MESSAGE: &str = "Không được chứa ký tự NUL.";

/// The field error for a NUL character in the path or the query string, if there is one.
/// PostgreSQL refuses NUL in text, so it must never reach a query.
pub fn nul_in_url(req: &ServiceRequest) -> Option<AppError> {
    if has_encoded_nul(req.uri().path()) {
        return Some(AppError::Validation(vec![FieldError::new("path", "invalid_format", NUL_MESSAGE)]));
    }
    let query = req.query_string();
    if !has_encoded_nul(query) {
        return None;
    }
    let field = web::Query::<Vec<(String, String)>>::from_query(query)
        .ok()
        .and_then(|pairs| pairs.0.into_iter().find(|(k, v)| v.contains('\0') && !k.contains('\0')).map(|(k, _)| k))
        .unwrap_or_else(|| "query".into());
    Some(AppError::Validation(vec![FieldError::new(field, "invalid_format", NUL_MESSAGE)]))
}

/// `%00` anywhere (a raw NUL cannot travel in an HTTP request line).
fn has_encoded_nul(s: &str) -> bool {
    s.as_bytes().windows(3).any(|w| w == b"%00")
}

/// Whether JSON text holds a `\u0000` escape inside a string (a raw NUL is not valid JSON).
fn json_has_nul(body: &[u8]) -> bool {
    let mut i = 0;
    while i < body.len() {
        if body[i] == b'\\' {
            if body.get(i + 1) == Some(&b'u') && body.get(i + 2..i + 6) == Some(b"0000".as_slice()) {
                return true;
            }
            // Skip the escaped character, so `\\u0000` (a backslash, then text) is not a NUL.
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// The dotted path of the first string (key or value) holding a NUL.
fn nul_path(v: &Value, path: &str) -> Option<String> {
    let join = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    match v {
        Value::String(s) if s.contains('\0') => Some(if path.is_empty() { "body".into() } else { path.into() }),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, x)| nul_path(x, &format!("{path}[{i}]"))),
        Value::Object(map) => map
            .iter()
            .find_map(|(k, x)| if k.contains('\0') { Some(join(&k.replace('\0', ""))) } else { nul_path(x, &join(k)) }),
        _ => None,
    }
}

/// The field error for a JSON body with a NUL in any string, naming the field.
pub fn nul_in_json(body: &[u8]) -> Option<AppError> {
    if !json_has_nul(body) {
        return None;
    }
    let field =
        serde_json::from_slice::<Value>(body).ok().and_then(|v| nul_path(&v, "")).unwrap_or_else(|| "body".into());
    Some(AppError::Validation(vec![FieldError::new(field, "invalid_format", NUL_MESSAGE)]))
}

/// Wraps the request's body so a slow sender is cut off; the returned flag is set when that
/// happened, so the answer can become 408 whatever the handler made of the broken body.
pub fn time_body(req: &mut ServiceRequest, limits: BodyTimeouts) -> Option<Arc<AtomicBool>> {
    let has_body = req.headers().get(header::CONTENT_LENGTH).is_some_and(|v| v.as_bytes() != b"0")
        || req.headers().contains_key(header::TRANSFER_ENCODING);
    if !has_body {
        return None;
    }
    let expired = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let timed = TimedBody {
        inner: req.take_payload(),
        limits,
        start,
        received: 0,
        idle: Box::pin(sleep(limits.idle)),
        total: Box::pin(sleep_until(start + limits.total)),
        expired: expired.clone(),
        done: false,
    };
    req.set_payload(Payload::Stream { payload: Box::pin(timed) });
    Some(expired)
}

struct TimedBody {
    inner: Payload,
    limits: BodyTimeouts,
    start: Instant,
    received: u64,
    idle: Pin<Box<Sleep>>,
    total: Pin<Box<Sleep>>,
    expired: Arc<AtomicBool>,
    done: bool,
}

impl TimedBody {
    fn cut(&mut self, why: &str) -> Poll<Option<Result<Bytes, PayloadError>>> {
        self.done = true;
        self.expired.store(true, Ordering::Relaxed);
        tracing::info!(reason = why, received = self.received, "request body too slow: cut off");
        Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(std::io::ErrorKind::TimedOut, why.to_string())))))
    }

    /// The client is past its first idle period and sends slower than the configured rate.
    fn too_slow(&self) -> bool {
        let elapsed = self.start.elapsed();
        self.limits.min_bytes_per_sec > 0
            && elapsed > self.limits.idle
            && (self.received as f64) < elapsed.as_secs_f64() * self.limits.min_bytes_per_sec as f64
    }
}

impl Stream for TimedBody {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.received += chunk.len() as u64;
                if this.too_slow() {
                    return this.cut("below the minimum rate");
                }
                let next = Instant::now() + this.limits.idle;
                this.idle.as_mut().reset(next);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(other) => {
                if other.is_none() {
                    this.done = true;
                }
                Poll::Ready(other)
            }
            Poll::Pending => {
                if this.total.as_mut().poll(cx).is_ready() {
                    this.cut("total time")
                } else if this.idle.as_mut().poll(cx).is_ready() {
                    this.cut("idle")
                } else {
                    Poll::Pending
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nul_escapes_in_json_strings_only() {
        assert!(json_has_nul(br#"{"q":"a\u0000b"}"#));
        assert!(!json_has_nul(br#"{"q":"a\\u0000b"}"#), "an escaped backslash, then text");
        assert!(json_has_nul(br#"{"q":"a\\\u0000b"}"#));
        assert!(json_has_nul(br#"{"q":"\u00001"}"#));
        assert!(!json_has_nul(br#"{"q":"plain"}"#));
    }

    #[test]
    fn names_the_field_holding_a_nul() {
        let field = |b: &str| match nul_in_json(b.as_bytes()) {
            Some(AppError::Validation(e)) => e[0].field.clone(),
            other => panic!("expected a field error, got {other:?}"),
        };
        assert_eq!(field(r#"{"username":"ad\u0000min","password":"x"}"#), "username");
        assert_eq!(field(r#"{"a":{"b":["ok","x\u0000"]}}"#), "a.b[1]");
        assert_eq!(field(r#""\u0000""#), "body");
        assert_eq!(field(r#"{"k\u0000":1}"#), "k");
        assert!(nul_in_json(br#"{"username":"admin"}"#).is_none());
    }

    #[test]
    fn sees_encoded_nul_in_urls() {
        assert!(has_encoded_nul("/api/v1/plans/1/tasks?q=a%00b"));
        assert!(!has_encoded_nul("/api/v1/plans/1/tasks?q=a%20b"));
    }
}
