//! The delivery task: every `webhook_poll_ms` it claims due deliveries (one instance per
//! row), posts each signed, and records the answer. Runs in every server process; the
//! claims make "several instances" safe.

use std::time::{Duration, Instant};

use futures_util::future::join_all;

use super::model::{Claimed, Outcome, SIGNATURE_HEADER};
use super::service::{self, RetryPolicy};
use super::target::{self, PublicOnly};
use crate::config::IntegrationConfig;
use crate::db::DbPool;

/// Deliveries sent per round.
const BATCH: i64 = 20;

pub fn policy(c: &IntegrationConfig) -> RetryPolicy {
    RetryPolicy {
        base_secs: c.webhook_retry_base_secs.max(1),
        max_failures: c.webhook_max_failures.max(1),
        give_up_hours: c.webhook_give_up_hours.max(1),
        allow_private_targets: c.webhook_allow_private_targets,
    }
}

/// Posts one delivery: JSON body, `X-ThanThien-Signature: t=…,v1=…`, the event, the
/// delivery's event id and the key's prefix. Redirects are not followed. The URL is judged
/// again as it is sent (a stored one may predate a rule), and a name is resolved to public
/// addresses only (the client's [`PublicOnly`] resolver) unless private targets are allowed.
async fn send(client: &reqwest::Client, c: &Claimed, allow_private: bool) -> Outcome {
    if let Err(r) = target::parse(&c.url, allow_private) {
        return Outcome { status_code: None, error: Some(r.code.to_string()), duration_ms: 0 };
    }
    let started = Instant::now();
    let t = chrono::Utc::now().timestamp();
    let signature = match service::signature(&c.secret, t, &c.delivery.payload) {
        Ok(s) => s,
        Err(e) => return Outcome { status_code: None, error: Some(e.to_string()), duration_ms: 0 },
    };
    let res = client
        .post(&c.url)
        .header("content-type", "application/json")
        .header("user-agent", "ThanThien-Webhooks/1")
        .header(SIGNATURE_HEADER, signature)
        .header("X-ThanThien-Event", c.delivery.event.as_str())
        .header("X-ThanThien-Delivery", c.delivery.event_id.as_str())
        .header("X-ThanThien-Key", c.key_prefix.as_str())
        .body(c.delivery.payload.clone())
        .send()
        .await;
    let duration_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
    match res {
        Ok(r) => Outcome { status_code: Some(r.status().as_u16()), error: None, duration_ms },
        Err(e) => {
            // Codes the web app words in the reader's language (`Delivery::last_error`).
            let why = if e.is_timeout() {
                "timeout".to_string()
            } else if e.is_connect() {
                "unreachable".to_string()
            } else {
                e.to_string().chars().take(300).collect()
            };
            Outcome { status_code: None, error: Some(why), duration_ms }
        }
    }
}

/// One round: claim, send concurrently, record. Returns how many were sent.
pub async fn round(pool: &DbPool, client: &reqwest::Client, me: &str, config: &IntegrationConfig) -> usize {
    let lease = chrono::Duration::seconds(i64::try_from(config.webhook_timeout_secs).unwrap_or(60) + 30);
    let (p, id) = (pool.clone(), me.to_string());
    let claimed = actix_web::web::block(move || -> Result<Vec<Claimed>, String> {
        let mut c = p.get().map_err(|e| e.to_string())?;
        service::claim_due(&mut c, &id, lease, BATCH).map_err(|e| e.to_string())
    })
    .await;
    let claimed = match claimed {
        Ok(Ok(c)) => c,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "webhook claim failed");
            return 0;
        }
        Err(e) => {
            tracing::warn!(error = %e, "webhook claim task failed");
            return 0;
        }
    };
    let outcomes = join_all(claimed.iter().map(|c| send(client, c, config.webhook_allow_private_targets))).await;
    let n = claimed.len();
    let policy = policy(config);
    let p = pool.clone();
    let recorded = actix_web::web::block(move || -> Result<(), String> {
        let mut conn = p.get().map_err(|e| e.to_string())?;
        for (c, o) in claimed.iter().zip(&outcomes) {
            service::record(&mut conn, c, o, &policy).map_err(|e| e.to_string())?;
        }
        Ok(())
    })
    .await;
    match recorded {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "webhook result not recorded"),
        Err(e) => tracing::warn!(error = %e, "webhook record task failed"),
    }
    n
}

/// Starts the delivery task on the server's runtime (nothing when `webhook_poll_ms` is 0).
pub fn spawn(pool: DbPool, config: IntegrationConfig) {
    if config.webhook_poll_ms == 0 {
        return;
    }
    let mut builder = reqwest::Client::builder()
        .timeout(Duration::from_secs(config.webhook_timeout_secs.max(1)))
        .redirect(reqwest::redirect::Policy::none());
    if !config.webhook_allow_private_targets {
        builder = builder.dns_resolver(std::sync::Arc::new(PublicOnly));
    }
    let client = match builder.build() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "webhook client cannot start: no deliveries");
            return;
        }
    };
    let me = format!("worker-{}", uuid::Uuid::new_v4().simple());
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(Duration::from_millis(config.webhook_poll_ms));
        loop {
            tick.tick().await;
            // Drain what is due before waiting again.
            while round(&pool, &client, &me, &config).await as i64 == BATCH {}
        }
    });
}
