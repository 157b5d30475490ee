//! Signed events: subscriptions, deliveries, attempts, what the API shows, request bodies.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The events a subscription may ask for.
pub const EVENTS: [&str; 13] = [
    "dossier.received",
    "dossier.status_changed",
    "dossier.finished",
    DOSSIER_RESOLVED,
    DOSSIER_RETURNED,
    DOSSIER_LATE,
    "petition.received",
    PETITION_ACCEPTED,
    PETITION_CONCLUDED,
    "petition.answered",
    PETITION_OVERDUE,
    TASK_OVERDUE,
    EVALUATION_PUBLISHED,
];

/// An event as a person reads it (the admin page's words).
pub fn event_label(event: &str) -> &str {
    match event {
        "dossier.received" => "Hồ sơ được tiếp nhận",
        "dossier.status_changed" => "Hồ sơ đổi trạng thái",
        "dossier.finished" => "Hồ sơ kết thúc xử lý",
        DOSSIER_RESOLVED => "Hồ sơ đã xử lý xong",
        DOSSIER_RETURNED => "Hồ sơ đã trả kết quả",
        DOSSIER_LATE => "Hồ sơ quá hạn",
        "petition.received" => "Đơn được tiếp nhận",
        PETITION_ACCEPTED => "Đơn được thụ lý",
        PETITION_CONCLUDED => "Đơn có kết luận",
        "petition.answered" => "Công khai trả lời đơn",
        PETITION_OVERDUE => "Đơn quá hạn giải quyết",
        TASK_OVERDUE => "Nhiệm vụ quá hạn",
        EVALUATION_PUBLISHED => "Ban hành kết quả đánh giá",
        other => other,
    }
}

/// A dossier reached status 9 (resolved, result ready).
pub const DOSSIER_RESOLVED: &str = "dossier.resolved";
/// A dossier reached status 10 (result returned to the applicant).
pub const DOSSIER_RETURNED: &str = "dossier.returned";
/// A dossier's due time passed while it was still being processed (found by the scheduler).
pub const DOSSIER_LATE: &str = "dossier.late";
/// A petition was accepted for handling.
pub const PETITION_ACCEPTED: &str = "petition.accepted";
/// A petition got its conclusion.
pub const PETITION_CONCLUDED: &str = "petition.concluded";
/// A petition's legal due time passed while it was open (found by the scheduler).
pub const PETITION_OVERDUE: &str = "petition.overdue";
/// A plan task's due date passed while it was open (found by the scheduler).
pub const TASK_OVERDUE: &str = "task.overdue";
/// A commune's evaluation (self-assessment) was published.
pub const EVALUATION_PUBLISHED: &str = "evaluation.published";

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
    /// Why it was turned off: its last failure, as the delivery log writes it (`timeout`,
    /// `unreachable`, `private_target`, `key_stopped` or `HTTP 503`), after
    /// `consecutive_failures` failures in a row.
    #[schema(example = "HTTP 503")]
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
    /// Why the last attempt failed without an answer: `timeout`, `unreachable`, `key_stopped`
    /// (the key was revoked or expired, or its creator lost the right to manage keys),
    /// `private_target` (the address is this machine or a private network), or the sender's
    /// own words for anything else.
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
    /// dossier.received, dossier.status_changed, dossier.finished, dossier.resolved,
    /// dossier.returned, dossier.late, petition.received, petition.accepted,
    /// petition.concluded, petition.answered, petition.overdue, task.overdue,
    /// evaluation.published.
    pub events: Vec<String>,
}

/// Body of `PATCH /webhooks/{id}`: turn a subscription off, or on again (which clears its
/// failure count).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSubscription {
    pub active: bool,
}

/// A dossier found late by the scan (no applicant columns).
#[derive(Debug, Clone, diesel::Queryable)]
pub struct LateDossier {
    pub id: i64,
    pub commune_id: i64,
    pub code: String,
    pub procedure_code: String,
    pub channel: i32,
    pub status: i32,
    pub received_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
}

/// A petition found overdue by the scan (no petitioner, no content).
#[derive(Debug, Clone, diesel::Queryable)]
pub struct OverduePetition {
    pub id: i64,
    pub commune_id: i64,
    pub code: String,
    pub kind: String,
    pub channel: String,
    pub status: String,
    pub received_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
}

/// A plan task found overdue by the scan.
#[derive(Debug, Clone, diesel::Queryable)]
pub struct OverdueTask {
    pub id: i64,
    pub commune_id: i64,
    pub plan_id: i64,
    pub title: String,
    pub status: String,
    pub progress: i32,
    pub due_date: NaiveDate,
}

/// What one scan for time-based events queued.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OverdueScan {
    pub dossiers_late: usize,
    pub petitions_overdue: usize,
    pub tasks_overdue: usize,
    pub deliveries: usize,
}
