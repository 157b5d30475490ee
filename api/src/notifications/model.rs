//! Notification rows, kinds, preferences and API types.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::schema::{notification_digests, notification_preferences, notifications};

crate::text_enum! {
    /// What a notification is about.
    pub enum NotificationKind labels {
        TaskDue = "task_due" ("Nhiệm vụ sắp đến hạn", "Task due soon"),
        TaskOverdue = "task_overdue" ("Nhiệm vụ quá hạn", "Task overdue"),
        DossierDueToday = "dossier_due_today" ("Hồ sơ đến hạn hôm nay", "Dossier due today"),
        DossierApologyDue = "dossier_apology_due" ("Hồ sơ cần thư xin lỗi", "Dossier needs an apology"),
        DossierOverdue = "dossier_overdue" ("Hồ sơ quá hạn", "Dossier overdue"),
        PetitionDue = "petition_due" ("Đơn thư sắp đến hạn", "Petition due soon"),
        PetitionOverdue = "petition_overdue" ("Đơn thư quá hạn", "Petition overdue"),
        RelayMissing = "relay_missing" ("Chưa xác nhận thông báo ở thôn", "Village relay missing"),
        CommitmentDue = "commitment_due" ("Cam kết đối thoại đến hạn", "Dialogue commitment due"),
        SurveyEnding = "survey_ending" ("Đợt khảo sát sắp kết thúc", "Survey ending"),
    }
}

crate::text_enum! {
    /// How a user receives a kind: in the daily digest (default), at once, or not at all.
    pub enum DeliveryMode labels {
        Digest = "digest" ("Gộp vào bản tin hằng ngày", "Daily digest"),
        Immediate = "immediate" ("Gửi ngay", "Immediately"),
        Off = "off" ("Tắt", "Off"),
    }
}

/// Days before a deadline when a task, petition, commitment or survey starts reminding.
pub const DUE_SOON_DAYS: i64 = 3;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    pub id: i64,
    pub user_id: i64,
    pub commune_id: Option<i64>,
    pub kind: String,
    pub subject: String,
    pub day: NaiveDate,
    pub title_vi: String,
    pub title_en: String,
    pub link: String,
    pub created_at: NaiveDateTime,
    pub read_at: Option<NaiveDateTime>,
    pub mode: String,
    pub emailed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = notifications)]
pub struct NewNotification {
    pub user_id: i64,
    pub commune_id: Option<i64>,
    pub kind: String,
    pub subject: String,
    pub day: NaiveDate,
    pub title_vi: String,
    pub title_en: String,
    pub link: String,
    pub created_at: NaiveDateTime,
    pub mode: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = notification_preferences)]
pub struct PreferenceRow {
    pub user_id: i64,
    pub email: Option<String>,
    pub email_enabled: bool,
    /// JSON object kind → mode; kinds absent are `digest`.
    pub modes: String,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = notification_digests)]
pub struct NewDigest {
    pub user_id: i64,
    pub day: NaiveDate,
    pub items: i32,
    pub emailed: bool,
    pub error: Option<String>,
    pub created_at: NaiveDateTime,
}

/// A subject found by the scan that a user should hear about.
#[derive(Debug, Clone)]
pub struct Finding {
    pub user_id: i64,
    pub commune_id: i64,
    pub kind: NotificationKind,
    /// `task:12`, `dossier:7`…: one notification per user, kind, subject and day.
    pub subject: String,
    pub title_vi: String,
    pub title_en: String,
    pub link: String,
}

/// A user as the scan and the digest need them.
#[derive(Debug, Clone, Queryable)]
pub struct Recipient {
    pub id: i64,
    pub full_name: String,
    pub role: String,
    pub commune_id: Option<i64>,
    pub unit_id: Option<i64>,
}

// ---- API ----

/// An in-app notification.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Notification {
    pub id: i64,
    pub kind: NotificationKind,
    pub title_vi: String,
    pub title_en: String,
    /// Where the web app opens it (a task, a dossier, the relays of a disclosure…).
    pub link: String,
    /// The local day it is about.
    pub day: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// A page of the caller's notifications, newest first, with the unread count.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    pub total: i64,
    pub unread: i64,
    pub page: i64,
    pub per_page: i64,
}

/// The unread count alone (the bell polls it).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnreadCount {
    pub unread: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationFilter {
    /// Only unread ones.
    pub unread: Option<bool>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Marks notifications read: the listed ids, or all of the caller's.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkRead {
    #[serde(default)]
    pub ids: Vec<i64>,
    #[serde(default)]
    pub all: bool,
}

/// How many were marked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Marked {
    pub marked: usize,
    pub unread: i64,
}

/// The caller's notification preferences.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Preferences {
    /// The kinds the caller can be sent, in the order of `NotificationKind` (a village head is
    /// never sent a dossier's): the ones a settings page offers.
    pub kinds: Vec<NotificationKind>,
    /// Per kind (the texts of `NotificationKind`); every kind is listed (default `digest`).
    pub modes: BTreeMap<String, DeliveryMode>,
    /// Send the digest (and the immediate ones) by e-mail.
    pub email_enabled: bool,
    /// The address to send to.
    pub email: Option<String>,
    /// Whether this server can send e-mail (an SMTP relay is configured); without it nothing is
    /// sent whatever is chosen, and the settings page says so.
    pub email_available: bool,
}

/// Changes to the preferences: kinds not listed keep their mode.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePreferences {
    /// Kind (the texts of `NotificationKind`) → mode.
    #[serde(default)]
    pub modes: BTreeMap<String, DeliveryMode>,
    pub email_enabled: Option<bool>,
    /// `null` or `""` removes the address.
    #[serde(default, deserialize_with = "crate::notifications::model::double_option")]
    pub email: Option<Option<String>>,
}

/// `absent` → `None`, `null` → `Some(None)`, a value → `Some(Some(v))`.
pub fn double_option<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// What a scan or a digest did.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct ScanSummary {
    pub found: usize,
    pub created: usize,
    pub emailed: usize,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct DigestSummary {
    pub users: usize,
    pub emailed: usize,
    pub failed: usize,
}
