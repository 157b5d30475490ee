//! Signed events: subscriptions, deliveries, attempts, what the API shows, request bodies.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The events a subscription may ask for.
pub const EVENTS: [&str; 5] =
    ["dossier.received", "dossier.status_changed", "dossier.finished", "petition.received", "petition.answered"];

/// Delivery states.
pub const PENDING: &str = "pending";
pub const DELIVERED: &str = "delivered";
pub const FAILED: &str = "failed";

/// The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
pub const SIGNATURE_HEADER: &str = "X-ThanThien-Signature";

#[derive(Debug, Clone, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = crate::db::schema::webhook_subscriptions)]
pub struct SubscriptionRow {
    pub id: i64,
    pub api_key_id: i64,
    pub url: String,
    pub events: String,
    pub secret: String,
    pub active: bool,
    pub consecutive_failures: i32,
    pub disabled_at: Option<NaiveDateTime>,
    pub disabled_reason: Option<String>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, diesel::Insertable)]
#[diesel(table_name = crate::db::schema::webhook_subscriptions)]
pub struct NewSubscription {
    pub api_key_id: i64,
    pub url: String,
    pub events: String,
    pub secret: String,
    pub active: bool,
    pub consecutive_failures: i32,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = crate::db::schema::webhook_deliveries)]
pub struct DeliveryRow {
    pub id: i64,
    pub subscription_id: i64,
    pub commune_id: i64,
    pub event: String,
    pub event_id: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub claimed_until: Option<NaiveDateTime>,
    pub claimed_by: Option<String>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, diesel::Insertable)]
#[diesel(table_name = crate::db::schema::webhook_deliveries)]
pub struct NewDelivery {
    pub subscription_id: i64,
    pub commune_id: i64,
    pub event: String,
    pub event_id: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, diesel::Queryable, diesel::Selectable, diesel::Insertable)]
#[diesel(table_name = crate::db::schema::webhook_attempts)]
pub struct AttemptRow {
    pub delivery_id: i64,
    pub attempt: i32,
    pub at: NaiveDateTime,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i32,
}

/// A claimed delivery with what sending needs.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub delivery: DeliveryRow,
    pub url: String,
    pub secret: String,
    pub key_prefix: String,
}

/// What the receiver answered (or why there was no answer).
#[derive(Debug, Clone)]
pub struct Outcome {
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub duration_ms: i32,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        self.status_code.is_some_and(|s| (200..300).contains(&s))
    }
}

/// A subscription as the admin sees it (never its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct Subscription {
    pub id: i64,
    pub api_key_id: i64,
    pub url: String,
    pub events: Vec<String>,
    pub active: bool,
    pub consecutive_failures: i32,
    pub disabled_at: Option<DateTime<Utc>>,
    pub disabled_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The answer to a new subscription: the signing secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedSubscription {
    pub subscription: Subscription,
    /// Verify `X-ThanThien-Signature` with it: HMAC-SHA256 keyed with this text's UTF-8
    /// bytes over `"<t>.<body>"`.
    pub secret: String,
}

/// One attempt of a delivery.
#[derive(Debug, Serialize, ToSchema)]
pub struct Attempt {
    pub attempt: i32,
    pub at: DateTime<Utc>,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i32,
}

/// One delivery with its attempts (the log).
#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    pub id: i64,
    pub event: String,
    pub event_id: String,
    /// pending, delivered, failed.
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub log: Vec<Attempt>,
}

/// Body of `POST /api-keys/{id}/webhooks`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSubscription {
    /// `http://…` (TLS is not built in this version: see docs/integration.md).
    pub url: String,
    /// dossier.received, dossier.status_changed, dossier.finished, petition.received,
    /// petition.answered.
    pub events: Vec<String>,
}

/// Body of `PATCH /webhooks/{id}`: turn a subscription off, or on again (which clears its
/// failure count).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSubscription {
    pub active: bool,
}
