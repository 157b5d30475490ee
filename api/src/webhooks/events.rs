//! The signed events other modules announce through one call each (petitions accepted and
//! concluded), and the scheduler's scan for the time-based ones (dossier late, petition and
//! task overdue): each subject is announced once, whatever the number of instances scanning
//! and restarts (`webhook_event_marks`, written in the transaction that queues the event).

use chrono::{Duration, NaiveDateTime};
use serde_json::json;

use super::model::*;
use super::repo;
use super::service::enqueue;
use crate::db::{DbConnection, write_tx};
use crate::error::AppResult;
use crate::petitions::lifecycle;
use crate::petitions::model::PetitionRow;
use crate::plans::model::TaskStatus;
use crate::time::{local_date, rfc};

/// How far back the scan looks: a subject that went late longer ago than this (for instance
/// while no instance ran, or before anyone subscribed) is not announced.
pub const LOOKBACK_DAYS: i64 = 30;
/// Subjects announced per event and scan at most (the next scan takes the rest).
const BATCH: i64 = 500;

/// Called in the transaction of a petition's action: `petition.accepted` when it became
/// accepted, `petition.concluded` when it got its conclusion. Denunciations never produce an
/// event (as for `petition.received` and `petition.answered`); no petitioner, no content.
pub fn petition_acted(conn: &mut DbConnection, from_status: &str, row: &PetitionRow) -> diesel::QueryResult<usize> {
    if row.kind == "denunciation" || row.status == from_status {
        return Ok(0);
    }
    let (event, data) = match row.status.as_str() {
        lifecycle::ACCEPTED => (
            PETITION_ACCEPTED,
            json!({ "code": row.code, "kind": row.kind, "channel": row.channel, "status": row.status,
                "accepted_at": row.accepted_at.map(rfc), "due_at": row.due_at.map(rfc) }),
        ),
        lifecycle::CONCLUDED => (
            PETITION_CONCLUDED,
            json!({ "code": row.code, "kind": row.kind, "status": row.status,
                "concluded_at": row.concluded_at.map(rfc), "on_time": row.on_time }),
        ),
        _ => return Ok(0),
    };
    enqueue(conn, row.commune_id, event, data)
}

/// Queues `event` for a subject unless it was announced already (the mark and the deliveries
/// in one transaction).
fn announce_once(
    conn: &mut DbConnection,
    event: &str,
    subject_id: i64,
    commune_id: i64,
    now: NaiveDateTime,
    data: serde_json::Value,
) -> AppResult<usize> {
    write_tx(conn, |c| -> AppResult<usize> {
        if !repo::mark(c, event, subject_id, commune_id, now)? {
            return Ok(0);
        }
        Ok(enqueue(c, commune_id, event, data)?)
    })
}

/// The scheduler's job: dossiers that went late, petitions and tasks that went overdue since
/// the last scan (within [`LOOKBACK_DAYS`]), each announced once. An event nobody subscribes
/// to is not looked for.
pub fn scan_overdue(conn: &mut DbConnection, now: NaiveDateTime) -> AppResult<OverdueScan> {
    let mut s = OverdueScan::default();
    let since = now - Duration::days(LOOKBACK_DAYS);
    if repo::anyone_wants(conn, DOSSIER_LATE, now)? {
        for d in repo::late_dossiers(conn, since, now, BATCH)? {
            let data = json!({ "code": d.code, "procedure_code": d.procedure_code, "channel": d.channel,
                "status": d.status, "received_at": rfc(d.received_at), "due_at": rfc(d.due_at) });
            let n = announce_once(conn, DOSSIER_LATE, d.id, d.commune_id, now, data)?;
            s.dossiers_late += 1;
            s.deliveries += n;
        }
    }
    if repo::anyone_wants(conn, PETITION_OVERDUE, now)? {
        let open: Vec<&str> = lifecycle::STATUSES.into_iter().filter(|st| lifecycle::is_open(st)).collect();
        for p in repo::overdue_petitions(conn, &open, since, now, BATCH)? {
            let data = json!({ "code": p.code, "kind": p.kind, "channel": p.channel, "status": p.status,
                "received_at": rfc(p.received_at), "due_at": rfc(p.due_at) });
            let n = announce_once(conn, PETITION_OVERDUE, p.id, p.commune_id, now, data)?;
            s.petitions_overdue += 1;
            s.deliveries += n;
        }
    }
    if repo::anyone_wants(conn, TASK_OVERDUE, now)? {
        let today = local_date(now);
        let open = [TaskStatus::NotStarted.as_str(), TaskStatus::InProgress.as_str()];
        for t in repo::overdue_tasks(conn, &open, today - Duration::days(LOOKBACK_DAYS), today, BATCH)? {
            let data = json!({ "task_id": t.id, "plan_id": t.plan_id, "title": t.title, "status": t.status,
                "progress": t.progress, "due_date": t.due_date });
            let n = announce_once(conn, TASK_OVERDUE, t.id, t.commune_id, now, data)?;
            s.tasks_overdue += 1;
            s.deliveries += n;
        }
    }
    Ok(s)
}
