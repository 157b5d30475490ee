//! Scheduler rows and the admin view.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::scheduler_runs;

crate::text_enum! {
    /// The jobs the scheduler runs.
    pub enum JobName labels {
        /// Scan the modules for reminders (every `scheduler.scan_every_minutes`).
        Reminders = "reminders" ("Quét nhắc việc", "Reminder scan"),
        /// Send each user's daily digest (at `scheduler.digest_hour`, local time).
        Digest = "digest" ("Bản tin nhắc việc hằng ngày", "Daily digest"),
        /// Find dossiers gone late, petitions and tasks gone overdue, and queue their signed
        /// events (every `scheduler.events_every_minutes`).
        Events = "events" ("Sự kiện quá hạn gửi hệ thống khác", "Overdue events for other systems"),
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = scheduler_runs)]
pub struct RunRow {
    pub id: i64,
    pub job: String,
    pub slot: NaiveDateTime,
    pub holder: String,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub ok: Option<bool>,
    pub error: Option<String>,
    pub summary: String,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = scheduler_runs)]
pub struct NewRun {
    pub job: String,
    pub slot: NaiveDateTime,
    pub holder: String,
    pub started_at: NaiveDateTime,
    pub summary: String,
}

/// One run of a job.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SchedulerRun {
    pub id: i64,
    pub job: JobName,
    /// The due time this run served.
    pub slot: DateTime<Utc>,
    /// The instance that ran it.
    pub holder: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// `null` while running.
    pub ok: Option<bool>,
    pub error: Option<String>,
    /// What it did (JSON text).
    pub summary: String,
}

/// A job as the admin page shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SchedulerJob {
    pub job: JobName,
    pub label_vi: String,
    pub label_en: String,
    pub last_run: Option<SchedulerRun>,
    pub last_success_at: Option<DateTime<Utc>>,
    /// When it is next due.
    pub next_run_at: DateTime<Utc>,
    /// Failed runs in the last 7 days.
    pub failures_7d: i64,
    /// The instance holding the job's lease, while it is held.
    pub lease_holder: Option<String>,
    pub lease_until: Option<DateTime<Utc>>,
}

/// The scheduler's state.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SchedulerStatus {
    /// Whether this instance runs the scheduler (`scheduler.enabled`).
    pub enabled: bool,
    /// Whether e-mail is configured (`[smtp] host`).
    pub smtp_configured: bool,
    pub jobs: Vec<SchedulerJob>,
    /// The latest runs, newest first.
    pub recent_runs: Vec<SchedulerRun>,
}
