//! When jobs are due, claiming them once across instances, running them, and the admin view.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use serde_json::json;

use super::model::*;
use super::repo;
use crate::config::{Config, SchedulerConfig};
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::notifications::mail::SmtpSettings;
use crate::notifications::service::{self as notifications, Mailer};
use crate::time::{local_date, to_local, to_utc};

/// How long a claimed job is held before another instance may take it over (a crashed
/// holder's job is run again by another instance after this).
pub const LEASE_MINUTES: i64 = 10;
/// A slot whose runs failed this many times is left until the next slot.
pub const MAX_ATTEMPTS: usize = 3;

fn from_secs(s: i64) -> NaiveDateTime {
    DateTime::from_timestamp(s, 0).unwrap_or_default().naive_utc()
}

/// The latest due time of `job` at or before `now` (UTC).
pub fn slot_of(job: JobName, cfg: &SchedulerConfig, now: NaiveDateTime) -> NaiveDateTime {
    match job {
        JobName::Reminders | JobName::Events => {
            let p = i64::from(every_minutes(job, cfg)) * 60;
            let s = now.and_utc().timestamp();
            from_secs(s - s.rem_euclid(p))
        }
        JobName::Digest => {
            let local = to_local(now);
            let at = local.date().and_hms_opt(cfg.digest_hour.min(23), 0, 0).unwrap_or(local);
            to_utc(if local < at { at - Duration::days(1) } else { at })
        }
    }
}

/// The period of a job run every few minutes.
fn every_minutes(job: JobName, cfg: &SchedulerConfig) -> u32 {
    match job {
        JobName::Events => cfg.events_every_minutes.max(1),
        _ => cfg.scan_every_minutes.max(1),
    }
}

/// The next due time of `job` after `now`.
pub fn next_slot(job: JobName, cfg: &SchedulerConfig, now: NaiveDateTime) -> NaiveDateTime {
    let s = slot_of(job, cfg, now);
    match job {
        JobName::Reminders | JobName::Events => s + Duration::minutes(i64::from(every_minutes(job, cfg))),
        JobName::Digest => s + Duration::days(1),
    }
}

/// The mailer configured in `[smtp]`, if a host is set.
pub fn mailer(config: &Config) -> Option<Mailer> {
    let s = &config.smtp;
    let host = s.host.clone().filter(|h| !h.trim().is_empty())?;
    Some(Mailer {
        settings: SmtpSettings {
            host,
            port: s.port,
            from: s.from.clone(),
            user: s.user.clone(),
            password: s.password.clone(),
            helo: "thanthien".into(),
            timeout: std::time::Duration::from_secs(s.timeout_secs.max(1)),
        },
        app_url: s.app_url.clone(),
    })
}

fn slot_settled(runs: &[RunRow], now: NaiveDateTime) -> bool {
    runs.iter().any(|r| r.ok == Some(true))
        || runs.len() >= MAX_ATTEMPTS
        // Still running under a live lease elsewhere.
        || runs.iter().any(|r| r.ok.is_none() && r.started_at > now - Duration::minutes(LEASE_MINUTES))
}

fn run_job(conn: &mut DbConnection, job: JobName, now: NaiveDateTime, mailer: Option<&Mailer>) -> AppResult<String> {
    match job {
        JobName::Reminders => {
            let s = notifications::scan(conn, now, mailer)?;
            Ok(json!(s).to_string())
        }
        JobName::Digest => {
            // Today's findings first, so the digest holds them.
            let scan = notifications::scan(conn, now, mailer)?;
            let d = notifications::digest(conn, local_date(now), mailer)?;
            Ok(json!({ "scan": scan, "digest": d }).to_string())
        }
        JobName::Events => Ok(json!(crate::webhooks::events::scan_overdue(conn, now)?).to_string()),
    }
}

/// What one tick did for one job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    pub job: JobName,
    pub slot: NaiveDateTime,
    pub ok: bool,
}

/// Runs every job whose current slot has not run yet, if this `holder` gets its lease. The
/// first tick after a start catches up: the latest slot that fell due while no instance ran
/// has no run, so it runs (once; older missed slots are not replayed one by one).
pub fn tick(
    conn: &mut DbConnection,
    cfg: &SchedulerConfig,
    holder: &str,
    now: NaiveDateTime,
    mailer: Option<&Mailer>,
) -> AppResult<Vec<Ran>> {
    let mut ran = Vec::new();
    for job in JobName::ALL {
        let slot = slot_of(job, cfg, now);
        if slot_settled(&repo::runs_of_slot(conn, job.as_str(), slot)?, now) {
            continue;
        }
        if !repo::claim_lease(conn, job.as_str(), holder, now, now + Duration::minutes(LEASE_MINUTES))? {
            continue;
        }
        // Another instance may have finished the slot between the look and the claim.
        if slot_settled(&repo::runs_of_slot(conn, job.as_str(), slot)?, now) {
            repo::release_lease(conn, job.as_str(), holder, now)?;
            continue;
        }
        let run = repo::insert_run(
            conn,
            &NewRun {
                job: job.as_str().to_string(),
                slot,
                holder: holder.to_string(),
                started_at: Utc::now().naive_utc(),
                summary: String::new(),
            },
        )?;
        let result = run_job(conn, job, now, mailer);
        let finished = Utc::now().naive_utc();
        match &result {
            Ok(summary) => repo::finish_run(conn, run.id, finished, true, None, summary)?,
            Err(e) => {
                tracing::warn!(job = job.as_str(), error = %e, "scheduled job failed");
                repo::finish_run(conn, run.id, finished, false, Some(&e.to_string()), "")?
            }
        };
        repo::release_lease(conn, job.as_str(), holder, finished)?;
        ran.push(Ran { job, slot, ok: result.is_ok() });
    }
    Ok(ran)
}

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

fn run_view(r: RunRow) -> SchedulerRun {
    SchedulerRun {
        id: r.id,
        job: JobName::parse(&r.job).unwrap_or(JobName::Reminders),
        slot: utc(r.slot),
        holder: r.holder,
        started_at: utc(r.started_at),
        finished_at: r.finished_at.map(utc),
        ok: r.ok,
        error: r.error,
        summary: r.summary,
    }
}

/// The admin view: each job's last and next run, failures, lease; the latest runs.
pub fn status(conn: &mut DbConnection, config: &Config, now: NaiveDateTime) -> AppResult<SchedulerStatus> {
    let cfg = &config.scheduler;
    let mut jobs = Vec::new();
    for job in JobName::ALL {
        let last = repo::last_run(conn, job.as_str())?;
        let slot = slot_of(job, cfg, now);
        let due_now = !slot_settled(&repo::runs_of_slot(conn, job.as_str(), slot)?, now);
        let lease = repo::lease(conn, job.as_str())?.filter(|(_, until)| *until > now);
        jobs.push(SchedulerJob {
            job,
            label_vi: job.label_vi().into(),
            label_en: job.label_en().into(),
            last_run: last.map(run_view),
            last_success_at: repo::last_success(conn, job.as_str())?.map(utc),
            next_run_at: utc(if due_now { slot } else { next_slot(job, cfg, now) }),
            failures_7d: repo::failures_since(conn, job.as_str(), now - Duration::days(7))?,
            lease_holder: lease.as_ref().map(|(h, _)| h.clone()),
            lease_until: lease.map(|(_, u)| utc(u)),
        });
    }
    Ok(SchedulerStatus {
        enabled: cfg.enabled,
        smtp_configured: config.smtp.configured(),
        jobs,
        recent_runs: repo::recent_runs(conn, 20)?.into_iter().map(run_view).collect(),
    })
}

/// How many runs a job has had (tests).
pub fn count_runs(conn: &mut DbConnection, job: JobName) -> AppResult<i64> {
    Ok(repo::count_runs(conn, job.as_str())?)
}
