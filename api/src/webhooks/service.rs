//! Signed events: subscriptions of keys holding `receive_webhooks`, events queued in the
//! same transaction as the change they announce, the queue claimed row by row, each attempt
//! recorded, exponential back-off, and a subscription turned off after repeated failures
//! (audited: the admin's notice).

use chrono::{Duration, NaiveDateTime, Utc};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use super::model::*;
use super::repo;
use crate::audit::{self, Actor, Change};
use crate::auth::Caller;
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult, Validator};
use crate::integration::model::{ApiKeyRow, KeyScope};
use crate::integration::service::scopes_of;

/// Why a pending delivery was given up without being sent.
const KEY_STOPPED: &str = "key_stopped";

/// How deliveries are retried (from `[integration]` in the configuration).
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// The first retry waits this long; each next one twice as long (at most six hours).
    pub base_secs: u64,
    /// Consecutive failed attempts after which a subscription is turned off.
    pub max_failures: i32,
    /// A delivery still failing this long after its event is given up.
    pub give_up_hours: i64,
    /// Whether targets on loopback or private networks are allowed.
    pub allow_private_targets: bool,
}

/// `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
pub fn signature(secret: &str, t: i64, body: &str) -> AppResult<String> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(|e| AppError::Internal(format!("hmac key: {e}")))?;
    mac.update(format!("{t}.{body}").as_bytes());
    Ok(format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes())))
}

fn view(s: SubscriptionRow) -> Subscription {
    Subscription {
        id: s.id,
        api_key_id: s.api_key_id,
        url: s.url,
        events: s.events.split(',').filter(|e| !e.is_empty()).map(str::to_string).collect(),
        active: s.active,
        consecutive_failures: s.consecutive_failures,
        disabled_at: s.disabled_at.map(|t| t.and_utc()),
        disabled_reason: s.disabled_reason,
        created_at: s.created_at.and_utc(),
    }
}

/// The URL's field error, if any ([`super::target::parse`]).
fn check_url(v: &mut Validator, url: &str, policy: &RetryPolicy) {
    if let Err(r) = super::target::parse(url, policy.allow_private_targets) {
        v.add("url", r.code, r.message);
    }
}

/// The key of a subscription, checked visible to the caller (404 otherwise).
fn visible_key(conn: &mut DbConnection, caller: &Caller, key_id: i64) -> AppResult<ApiKeyRow> {
    crate::integration::service::detail(conn, caller, key_id)?;
    crate::integration::repo::get_key(conn, key_id)?.ok_or(AppError::NotFound)
}

fn visible_subscription(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<SubscriptionRow> {
    let s = repo::get_subscription(conn, id)?.ok_or(AppError::NotFound)?;
    visible_key(conn, caller, s.api_key_id)?;
    Ok(s)
}

/// Subscribes a key (it must hold `receive_webhooks`): the answer holds the signing secret,
/// shown this once.
pub fn create(
    conn: &mut DbConnection,
    caller: &Caller,
    key_id: i64,
    body: CreateSubscription,
    policy: &RetryPolicy,
) -> AppResult<CreatedSubscription> {
    let key = visible_key(conn, caller, key_id)?;
    let mut v = Validator::new();
    let url = body.url.trim().to_string();
    check_url(&mut v, &url, policy);
    let mut events: Vec<String> = Vec::new();
    for e in &body.events {
        if !EVENTS.contains(&e.as_str()) {
            v.add("events", "invalid_value", &format!("Sự kiện không có: {e}. Chọn trong: {}.", EVENTS.join(", ")));
        } else if !events.contains(e) {
            events.push(e.clone());
        }
    }
    if body.events.is_empty() {
        v.add("events", "required", "Chọn ít nhất một sự kiện.");
    }
    v.finish()?;
    let scopes = scopes_of(&key.scopes);
    if !scopes.contains(&KeyScope::ReceiveWebhooks) {
        return Err(AppError::rule("scope_missing", "Khóa này không có quyền “Nhận sự kiện (webhook)”."));
    }
    // An event tells no more than its key may read.
    let mut v = Validator::new();
    for e in events.iter().filter(|e| !may_hear(&scopes, e)) {
        let names: Vec<&str> = event_scopes(e).iter().map(|s| s.label_vi()).collect();
        v.add(
            "events",
            "scope_missing",
            &format!("Sự kiện “{}” ({e}) cần quyền “{}” của khóa.", event_label(e), names.join("” hoặc “")),
        );
    }
    v.finish()?;
    if !crate::integration::service::acts(conn, &key, Utc::now().naive_utc())? {
        return Err(AppError::rule(
            "key_not_active",
            "Khóa đã bị thu hồi, hết hạn, hoặc người tạo không còn quyền quản lý khóa: không nhận được sự kiện.",
        ));
    }
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw).map_err(|e| AppError::Internal(format!("random: {e}")))?;
    let secret = format!("whsec_{}", hex::encode(raw));
    let now = Utc::now().naive_utc();
    write_tx(conn, |c| -> AppResult<CreatedSubscription> {
        let row = repo::insert_subscription(
            c,
            &NewSubscription {
                api_key_id: key.id,
                url: url.clone(),
                events: events.join(","),
                secret: secret.clone(),
                active: true,
                consecutive_failures: 0,
                created_by: caller.id,
                created_at: now,
                updated_at: now,
            },
        )?;
        audit::repo::record(
            c,
            &caller.actor(),
            Change {
                commune_id: key.commune_id,
                action: "create",
                entity: "webhook_subscription",
                entity_id: Some(row.id.to_string()),
                summary: json!({ "key": key.prefix, "url": url, "events": events }),
            },
        )?;
        Ok(CreatedSubscription { subscription: view(row), secret: secret.clone() })
    })
}

/// A key's subscriptions.
pub fn list(conn: &mut DbConnection, caller: &Caller, key_id: i64) -> AppResult<Vec<Subscription>> {
    visible_key(conn, caller, key_id)?;
    Ok(repo::subscriptions_of_key(conn, key_id)?.into_iter().map(view).collect())
}

/// Turns a subscription off, or on again (its failure count cleared).
pub fn update(conn: &mut DbConnection, caller: &Caller, id: i64, body: UpdateSubscription) -> AppResult<Subscription> {
    let s = visible_subscription(conn, caller, id)?;
    let key = visible_key(conn, caller, s.api_key_id)?;
    let now = Utc::now().naive_utc();
    write_tx(conn, |c| -> AppResult<Subscription> {
        let row = repo::set_active(c, id, body.active, now)?;
        audit::repo::record(
            c,
            &caller.actor(),
            Change {
                commune_id: key.commune_id,
                action: if body.active { "enable" } else { "disable" },
                entity: "webhook_subscription",
                entity_id: Some(id.to_string()),
                summary: json!({ "key": key.prefix }),
            },
        )?;
        Ok(view(row))
    })
}

/// Deletes a subscription for good, with its delivery log; nothing more is sent to its URL
/// (a delivery on its way when this commits is dropped by [`record`]).
pub fn delete(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<()> {
    let s = visible_subscription(conn, caller, id)?;
    let key = visible_key(conn, caller, s.api_key_id)?;
    write_tx(conn, |c| -> AppResult<()> {
        let deliveries = repo::delete_subscription(c, id)?;
        audit::repo::record(
            c,
            &caller.actor(),
            Change {
                commune_id: key.commune_id,
                action: "delete",
                entity: "webhook_subscription",
                entity_id: Some(id.to_string()),
                summary: json!({ "key": key.prefix, "url": s.url, "events": s.events, "deliveries": deliveries }),
            },
        )?;
        Ok(())
    })
}

fn delivery_view(d: DeliveryRow, log: Vec<Attempt>) -> Delivery {
    Delivery {
        next_attempt_at: (d.status == PENDING).then(|| d.next_attempt_at.and_utc()),
        id: d.id,
        event: d.event,
        event_id: d.event_id,
        status: d.status,
        attempts: d.attempts,
        last_status_code: d.last_status_code,
        last_error: d.last_error,
        created_at: d.created_at.and_utc(),
        delivered_at: d.delivered_at.map(|t| t.and_utc()),
        log,
    }
}

/// The delivery log of a subscription: its latest 100 deliveries with every attempt.
pub fn deliveries(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<Vec<Delivery>> {
    visible_subscription(conn, caller, id)?;
    let rows = repo::deliveries_of(conn, id, 100)?;
    let ids: Vec<i64> = rows.iter().map(|d| d.id).collect();
    let mut attempts = repo::attempts_of(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|d| {
            let (mine, rest): (Vec<_>, Vec<_>) = attempts.drain(..).partition(|a| a.delivery_id == d.id);
            attempts = rest;
            let log = mine
                .into_iter()
                .map(|a| Attempt {
                    attempt: a.attempt,
                    at: a.at.and_utc(),
                    status_code: a.status_code,
                    error: a.error,
                    duration_ms: a.duration_ms,
                })
                .collect();
            delivery_view(d, log)
        })
        .collect())
}

/// "Send again": queues a delivery for now, whatever became of it.
pub fn resend(conn: &mut DbConnection, caller: &Caller, delivery_id: i64) -> AppResult<()> {
    let d = repo::get_delivery(conn, delivery_id)?.ok_or(AppError::NotFound)?;
    let s = visible_subscription(conn, caller, d.subscription_id)?;
    let now = Utc::now().naive_utc();
    write_tx(conn, |c| -> AppResult<()> {
        repo::requeue(c, d.id, now)?;
        audit::repo::record_entity(
            c,
            &caller.actor(),
            d.commune_id,
            "resend",
            "webhook_delivery",
            d.id,
            json!({ "subscription": s.id, "event": d.event }),
        )?;
        Ok(())
    })
}

/// The scopes that let a key hear an event (any one of them): what the event says is what that
/// scope reads. `receive_webhooks` alone opens nothing.
pub fn event_scopes(event: &str) -> &'static [KeyScope] {
    match event.split('.').next() {
        Some("dossier") => &[KeyScope::ReadDossiersMasked],
        // A feedback integrator follows what it submitted; a province reads the figures.
        Some("petition") => &[KeyScope::SubmitFeedback, KeyScope::ReadAggregates],
        Some("task") => &[KeyScope::ReadPlans],
        _ => &[KeyScope::ReadAggregates, KeyScope::ReadPlans],
    }
}

fn may_hear(scopes: &[KeyScope], event: &str) -> bool {
    scopes.contains(&KeyScope::ReceiveWebhooks) && event_scopes(event).iter().any(|s| scopes.contains(s))
}

/// Queues an event of a commune for every live subscription that asked for it (keys of the
/// commune, or of its province). Called inside the transaction of the change it announces,
/// so the event exists exactly when the change does. `data` carries no personal data.
pub fn enqueue(conn: &mut DbConnection, commune_id: i64, event: &str, data: Value) -> diesel::QueryResult<usize> {
    let now = Utc::now().naive_utc();
    let hearing: Vec<_> = repo::live_subscriptions(conn, now)?
        .into_iter()
        .filter(|(s, key)| s.events.split(',').any(|e| e == event) && may_hear(&scopes_of(&key.scopes), event))
        .collect();
    if hearing.is_empty() {
        return Ok(0);
    }
    // A key that would be refused on a request (its creator disabled or demoted, a test key out
    // of its sandbox) hears nothing either. Its creator is read once for all the keys.
    let keys: Vec<_> = hearing.iter().map(|(_, key)| key).collect();
    let acting = crate::integration::service::which_act(conn, &keys, now)?;
    let mut province: Option<Option<i64>> = None;
    let mut queued = 0;
    // One id for the change, whichever subscriptions hear it: a receiver with several (or a
    // province with several keys) drops the repeats by it.
    let event_id = uuid::Uuid::new_v4().to_string();
    for ((s, key), acts) in hearing.into_iter().zip(acting) {
        if !acts {
            continue;
        }
        let reaches = match (key.commune_id, key.authority_id) {
            (Some(c), _) => c == commune_id,
            (None, Some(a)) => {
                if province.is_none() {
                    province = Some(crate::org::repo::province_of_commune(conn, commune_id)?);
                }
                province.flatten() == Some(a)
            }
            (None, None) => false,
        };
        if !reaches {
            continue;
        }
        let payload = json!({
            "id": event_id,
            "event": event,
            "occurred_at": now.and_utc().to_rfc3339(),
            "commune_id": commune_id,
            "data": data,
        });
        repo::insert_delivery(
            conn,
            &NewDelivery {
                subscription_id: s.id,
                commune_id,
                event: event.to_string(),
                event_id: event_id.clone(),
                payload: payload.to_string(),
                status: PENDING.into(),
                attempts: 0,
                next_attempt_at: now,
                created_at: now,
            },
        )?;
        queued += 1;
    }
    Ok(queued)
}

/// Claims up to `limit` due deliveries for `lease` (compare-and-set per row: another instance
/// that read the same rows gets none of those this one took).
pub fn claim_due(conn: &mut DbConnection, me: &str, lease: Duration, limit: i64) -> AppResult<Vec<Claimed>> {
    let now = Utc::now().naive_utc();
    let mut out = Vec::new();
    for id in repo::due(conn, now, limit)? {
        if !repo::claim(conn, id, me, now + lease, now)? {
            continue;
        }
        let Some((delivery, sub, key)) = repo::delivery_to_send(conn, id)? else {
            continue; // its subscription was deleted since the claim
        };
        if !crate::integration::service::acts(conn, &key, now)? {
            // Since the event the key was revoked or expired, or its creator lost the right to
            // manage keys: nothing more is sent for it.
            let why = Some(KEY_STOPPED);
            repo::after_attempt(conn, id, FAILED, delivery.attempts, now, None, why, None)?;
            continue;
        }
        out.push(Claimed { delivery, url: sub.url, secret: sub.secret, key_prefix: key.issued.prefix });
    }
    Ok(out)
}

/// The wait before attempt `n + 1` after `n` failed ones: base × 2^(n−1), at most six hours.
pub fn backoff(base_secs: u64, failed: i32) -> Duration {
    let exp = u32::try_from(failed.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    let secs = base_secs.saturating_mul(1u64 << exp).min(6 * 3600);
    Duration::seconds(i64::try_from(secs).unwrap_or(6 * 3600))
}

/// Records an attempt: delivered; or retried later; or given up after `give_up_hours`. A
/// subscription failing `max_failures` times in a row is turned off, audited in its key's
/// commune (the admin's notice).
pub fn record(conn: &mut DbConnection, c: &Claimed, outcome: &Outcome, policy: &RetryPolicy) -> AppResult<()> {
    let now = Utc::now().naive_utc();
    let d = &c.delivery;
    write_tx(conn, |tx| -> AppResult<()> {
        if repo::get_delivery(tx, d.id)?.is_none() {
            // Its subscription was deleted while this attempt was on its way.
            return Ok(());
        }
        let attempt = d.attempts + 1;
        let code = outcome.status_code.map(i32::from);
        repo::insert_attempt(
            tx,
            &AttemptRow {
                delivery_id: d.id,
                attempt,
                at: now,
                status_code: code,
                error: outcome.error.clone(),
                duration_ms: outcome.duration_ms,
            },
        )?;
        let sub = repo::get_subscription(tx, d.subscription_id)?.ok_or(AppError::NotFound)?;
        if outcome.ok() {
            repo::after_attempt(tx, d.id, DELIVERED, attempt, now, code, None, Some(now))?;
            repo::set_failures(tx, sub.id, 0, None)?;
            return Ok(());
        }
        let error = outcome.error.clone().or_else(|| code.map(|c| format!("HTTP {c}")));
        let give_up = now - d.created_at >= Duration::hours(policy.give_up_hours);
        let status = if give_up { FAILED } else { PENDING };
        let next: NaiveDateTime = now + backoff(policy.base_secs, attempt);
        repo::after_attempt(tx, d.id, status, attempt, next, code, error.as_deref(), None)?;
        let failures = sub.consecutive_failures.saturating_add(1);
        if failures >= policy.max_failures && sub.active {
            // The last failure as the delivery log writes it (`timeout`, `HTTP 503`): data, which
            // the page words in the reader's language beside `consecutive_failures`.
            let reason = error.unwrap_or_else(|| "unknown".into());
            repo::set_failures(tx, sub.id, failures, Some((now, &reason)))?;
            let key = crate::integration::repo::get_key(tx, sub.api_key_id)?;
            audit::repo::record(
                tx,
                &Actor::system("webhooks"),
                Change {
                    commune_id: key.as_ref().and_then(|k| k.commune_id),
                    action: "webhook_disabled",
                    entity: "webhook_subscription",
                    entity_id: Some(sub.id.to_string()),
                    summary: json!({ "url": sub.url, "failures": failures, "reason": reason }),
                },
            )?;
        } else {
            repo::set_failures(tx, sub.id, failures, None)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_hmac_sha256_over_timestamp_and_body() {
        // Worked with an independent HMAC: echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_x
        let s = signature("whsec_x", 1_700_000_000, "{\"a\":1}").unwrap();
        assert!(s.starts_with("t=1700000000,v1="), "{s}");
        assert_eq!(s.len(), "t=1700000000,v1=".len() + 64);
        assert_ne!(s, signature("whsec_y", 1_700_000_000, "{\"a\":1}").unwrap());
        assert_ne!(s, signature("whsec_x", 1_700_000_001, "{\"a\":1}").unwrap());
    }

    #[test]
    fn backoff_doubles_and_is_bounded() {
        assert_eq!(backoff(30, 1), Duration::seconds(30));
        assert_eq!(backoff(30, 2), Duration::seconds(60));
        assert_eq!(backoff(30, 4), Duration::seconds(240));
        assert_eq!(backoff(30, 40), Duration::seconds(6 * 3600));
    }

    #[test]
    fn urls_are_http_and_public_unless_allowed() {
        let strict = RetryPolicy { base_secs: 1, max_failures: 1, give_up_hours: 1, allow_private_targets: false };
        let check = |u: &str, p: &RetryPolicy| {
            let mut v = Validator::new();
            check_url(&mut v, u, p);
            v.finish().is_ok()
        };
        assert!(check("http://hooks.example.org/tt", &strict));
        assert!(check("http://203.0.113.7:8080/x", &strict));
        assert!(check("https://hooks.example.org/tt", &strict), "TLS targets (rustls)");
        for bad in [
            "ftp://x.org/",
            "file:///etc/passwd",
            "http://127.0.0.1:9/",
            "http://localhost/",
            "http://10.1.2.3/",
            "http://[::1]:80/",
            "http://user@x.org/",
            "https://10.0.0.1/",
            "http:// x.org",
        ] {
            assert!(!check(bad, &strict), "{bad}");
        }
        let open = RetryPolicy { allow_private_targets: true, ..strict };
        assert!(check("http://127.0.0.1:9/", &open));
    }
}
