//! API keys: stored rows, what the API shows, request bodies.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::permission::Permission;

crate::text_enum! {
    /// What a key may be used for. Each scope maps to permissions ([`KeyScope::permissions`]);
    /// a key holds the union of its scopes' permissions, bounded by its creator's role.
    pub enum KeyScope labels {
        /// One-stop statistics and indicators, the 766 index, procedures, communes and units.
        ReadAggregates = "read_aggregates" ("Đọc số liệu tổng hợp", "Read aggregates"),
        /// Dossier rows without personal data (never unmasked, whoever created the key).
        ReadDossiersMasked = "read_dossiers_masked" ("Đọc hồ sơ (đã che thông tin cá nhân)", "Read dossiers (masked)"),
        /// Plans and their tasks.
        ReadPlans = "read_plans" ("Đọc kế hoạch", "Read plans"),
        /// Submit feedback and recommendations (takes effect with the petitions module's
        /// Open311 door; grants nothing yet).
        SubmitFeedback = "submit_feedback" ("Gửi phản ánh, kiến nghị", "Submit feedback"),
        /// Receive signed events (webhooks; not built yet, grants nothing yet).
        ReceiveWebhooks = "receive_webhooks" ("Nhận sự kiện (webhook)", "Receive webhooks"),
    }
}

impl KeyScope {
    /// The permissions a scope grants.
    pub fn permissions(self) -> &'static [Permission] {
        match self {
            KeyScope::ReadAggregates => &[Permission::ReadStatistics, Permission::ReadCommunes, Permission::ReadUnits],
            KeyScope::ReadDossiersMasked => &[Permission::ReadDossiers],
            KeyScope::ReadPlans => &[Permission::ReadPlans],
            KeyScope::SubmitFeedback | KeyScope::ReceiveWebhooks => &[],
        }
    }
}

crate::text_enum! {
    /// `live` keys read real communes; `test` keys (`tt_test_…`) are bound to a sandbox
    /// commune — the demo commune the demo seed marks — and can reach nothing else.
    pub enum KeyKind labels {
        Test = "test" ("Thử nghiệm", "Test"),
        Live = "live" ("Chính thức", "Live"),
    }
}

/// A stored key (never its secret: only SHA-256 of the whole key).
#[derive(Debug, Clone, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = crate::db::schema::api_keys)]
pub struct ApiKeyRow {
    pub id: i64,
    pub revoked_at: Option<NaiveDateTime>,
    pub replaced_by: Option<i64>,
    pub last_used_at: Option<NaiveDateTime>,
    #[diesel(embed)]
    pub issued: NewApiKey,
}

crate::row_derefs_to!(ApiKeyRow, issued: NewApiKey);

/// A key to insert.
#[derive(Debug, Clone, diesel::Queryable, diesel::Selectable, diesel::Insertable)]
#[diesel(table_name = crate::db::schema::api_keys)]
pub struct NewApiKey {
    pub commune_id: Option<i64>,
    pub authority_id: Option<i64>,
    pub created_by: i64,
    pub name: String,
    pub owner: String,
    pub kind: String,
    pub prefix: String,
    pub secret_hash: String,
    pub scopes: String,
    pub ip_allow: String,
    pub rate_per_minute: i32,
    pub expires_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// What the request path needs of a key's creator.
#[derive(Debug, Clone, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = crate::db::schema::users)]
pub struct KeyCreator {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub commune_id: Option<i64>,
    pub authority_id: Option<i64>,
    pub active: bool,
}

/// Where a key stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeyState {
    Active,
    /// Rotated: still accepted until `expires_at` (the overlap), then expired.
    Rotating,
    Expired,
    Revoked,
    /// Its creator was disabled, demoted or moved: refused (and its webhooks silent) until the
    /// creator may manage keys for its commune or province again.
    Suspended,
}

/// Calls of one endpoint on one day.
#[derive(Debug, Clone, Serialize, ToSchema, diesel::Queryable)]
pub struct KeyUsage {
    /// UTC day.
    pub day: NaiveDate,
    /// `METHOD /path/{pattern}`.
    pub endpoint: String,
    pub calls: i64,
}

/// A key as admins see it (never its secret).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    /// Who runs the system that uses the key (an office, a vendor).
    pub owner: String,
    pub kind: KeyKind,
    /// The visible start of the key, to recognise it (`tt_live_1a2b3c4d`).
    pub prefix: String,
    pub scopes: Vec<KeyScope>,
    /// Networks the key may be used from (CIDR); empty = anywhere.
    pub ip_allow: Vec<String>,
    pub rate_per_minute: i32,
    /// The commune the key reads; `None` for a province-wide key.
    pub commune_id: Option<i64>,
    /// The province of an oversight user's key.
    pub authority_id: Option<i64>,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The key that replaced this one by rotation.
    pub replaced_by: Option<i64>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub state: KeyState,
    /// Calls today (UTC) and over the last 30 days.
    pub calls_today: i64,
    pub calls_30_days: i64,
}

/// One key with its daily use per endpoint (last 30 days).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiKeyDetail {
    pub key: ApiKey,
    pub usage: Vec<KeyUsage>,
}

/// A key just made: the only time its secret is shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IssuedKey {
    pub key: ApiKey,
    /// The whole key, to send as `Authorization: Bearer …` or `X-API-Key`. Shown once;
    /// the server keeps only its hash.
    pub secret: String,
}

/// Body of `POST /api-keys`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKey {
    pub name: String,
    pub owner: String,
    pub kind: KeyKind,
    pub scopes: Vec<KeyScope>,
    /// CIDR networks or single addresses; empty or absent = anywhere.
    #[serde(default)]
    pub ip_allow: Vec<String>,
    /// When the key stops working; absent = until revoked.
    pub expires_at: Option<DateTime<Utc>>,
    /// Requests per minute before 429 (default 600, at most 6000).
    pub rate_per_minute: Option<i32>,
    /// Oversight users: one commune of their province (required for a test key); absent =
    /// every commune of the province. Commune admins must leave it out.
    pub commune_id: Option<i64>,
}

/// Body of `POST /api-keys/{id}/rotate`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateApiKey {
    /// Until when the old key keeps working beside the new one (at most 30 days ahead;
    /// now = no overlap).
    pub old_valid_until: DateTime<Utc>,
}
