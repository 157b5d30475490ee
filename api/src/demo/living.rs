//! The living demo of `serve --demo`: generated relative to the day
//! it starts, so a fresh demo always shows a commune in the middle of its year.
//!
//! - The 2023 plan becomes a finished year: progress reports through 2023, most tasks done, a
//!   few left unfinished (late), the way a real commune's year looks.
//! - The current year's plan is made from it by the roll-over action (the unfinished tasks
//!   carried over), issued, and reported on up to today: what fell due is mostly done (a few
//!   late), what is running is part-way, what starts later has not started.
//! - A year of one-stop dossiers up to today (`generate::seed_demo_commune_dossiers`).
//!
//! - A handful of those reports carry a photo (`photos/`: drawn illustrations captioned "Ảnh
//!   minh họa – dữ liệu mẫu", stored in the blob store and attached as an uploaded photo is),
//!   and so do the latest village relay of a disclosure and the latest awareness activity.
//!
//! Each part runs once: a 2023 plan already rolled over, or a commune with dossiers, is left
//! as it is. The ids and the shape of the 2023 plan stay as the seed made them.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde_json::json;

use super::generate::seed_demo_commune_dossiers;
use super::repo;
use crate::audit::{self, Actor, Change};
use crate::blobs::Storage;
use crate::db::{DbConnection, fold_search, write_tx};
use crate::democracy::disclosures::model::{FileOwner, NewFile};
use crate::democracy::disclosures::repo as democracy;
use crate::error::{AppError, AppResult};
use crate::plans::import::{PLAN_2023, parse_document};
use crate::plans::model::{NewAttachment, NewReport, PlanChanges, PlanStatus, TaskChanges, TaskRow, TaskStatus};
use crate::plans::repo as plans;
use crate::plans::rollover::model::RollOverPlan;
use crate::plans::rollover::{repo as rollover_repo, service as rollover};
use crate::plans::storage;
use crate::rng::Rng;
use crate::time::{local_date, to_utc};

/// Dossiers in the demo commune's year.
pub const DEMO_YEAR_DOSSIERS: usize = 520;

/// What the living demo added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Living {
    /// The 2023 plan finished and rolled over into this year's plan (its id).
    pub plan: Option<i64>,
    pub dossiers: usize,
    /// Photos added to a village relay and an activity.
    pub democracy_photos: usize,
}

const REPORT_TEXTS: [&str; 8] = [
    "Đã họp triển khai, phân công cán bộ phụ trách.",
    "Đã niêm yết tại nhà văn hóa thôn và thông báo trên loa truyền thanh.",
    "Tổ chức họp thôn, lấy ý kiến nhân dân; biên bản kèm theo.",
    "Đã rà soát, cập nhật số liệu và báo cáo Ban Điều hành.",
    "Kiểm tra thực tế tại bộ phận Một cửa, ghi nhận ý kiến người dân.",
    "Hoàn thành phần việc trong tháng, còn tồn tại nhỏ đã khắc phục.",
    "Phối hợp với Mặt trận và các đoàn thể tuyên truyền đến từng hộ.",
    "Đã tổng hợp kết quả, chuẩn bị báo cáo sơ kết.",
];

/// The demo's report photos (`photos/README.md`: how they were drawn) and the task each goes
/// to: in each plan, the first reported task whose folded title contains the words. The
/// village tasks come first so a village head's report carries one.
const PHOTOS: [(&str, &str, &[u8]); 5] = [
    ("thon 1:", "hop-thon.jpg", include_bytes!("photos/hop-thon.jpg")),
    ("thon 3:", "niem-yet.jpg", include_bytes!("photos/niem-yet.jpg")),
    ("bo phan tiep nhan va tra ket qua", "mot-cua.jpg", include_bytes!("photos/mot-cua.jpg")),
    ("tuyen truyen", "loa-truyen-thanh.jpg", include_bytes!("photos/loa-truyen-thanh.jpg")),
    ("phong trao", "ve-sinh.jpg", include_bytes!("photos/ve-sinh.jpg")),
];

/// A demo photo in the blob store: its key, display name, media type and size.
#[derive(Clone)]
struct StoredPhoto {
    key: String,
    file_name: String,
    content_type: &'static str,
    size: i64,
}

/// Puts the demo photos into the blob store (by content hash: stored once, whatever the runs),
/// checked and named as an upload is.
fn store_photos(blobs: &dyn Storage) -> AppResult<Vec<StoredPhoto>> {
    PHOTOS
        .iter()
        .map(|(_, name, bytes)| {
            let content_type = storage::sniff(bytes).ok_or_else(|| AppError::Internal(format!("demo photo {name}")))?;
            let (key, _) = blobs.put(bytes).map_err(|e| AppError::io("storage", e))?;
            Ok(StoredPhoto {
                key,
                file_name: storage::display_name(Some(name), content_type),
                content_type,
                size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            })
        })
        .collect()
}

/// Hands each photo to the first task of a plan that asks for it.
struct PhotoPicker<'a> {
    photos: &'a [StoredPhoto],
    used: Vec<bool>,
}

impl<'a> PhotoPicker<'a> {
    fn new(photos: &'a [StoredPhoto]) -> Self {
        PhotoPicker { photos, used: vec![false; photos.len()] }
    }

    fn take(&mut self, t: &TaskRow) -> Option<&'a StoredPhoto> {
        let title = fold_search(&t.title);
        let i = (0..self.photos.len()).find(|&i| !self.used[i] && title.contains(PHOTOS[i].0))?;
        self.used[i] = true;
        Some(&self.photos[i])
    }
}

/// Who reports on a task: someone of its lead unit, else a board member.
fn author(users: &[(i64, String, Option<i64>, String)], unit: i64) -> Option<(i64, String)> {
    users
        .iter()
        .find(|u| u.2 == Some(unit) && u.3 != "admin")
        .or_else(|| users.iter().find(|u| u.3 == "board"))
        .map(|u| (u.0, u.1.clone()))
}

fn round5(x: f64) -> i32 {
    ((x / 5.0).round() * 5.0).clamp(0.0, 100.0) as i32
}

/// Reports a task to `progress` (status from it) with `n` reports spread over
/// `[from, until]`, at working hours; the last report carries `photo`.
#[allow(clippy::too_many_arguments)]
fn report_task(
    conn: &mut DbConnection,
    rng: &mut Rng,
    users: &[(i64, String, Option<i64>, String)],
    t: &TaskRow,
    photo: Option<&StoredPhoto>,
    progress: i32,
    n: u32,
    from: NaiveDate,
    until: NaiveDate,
) -> AppResult<()> {
    let Some((author_id, author_name)) = author(users, t.lead_unit_id) else { return Ok(()) };
    let until = until.max(from);
    let span = (until - from).num_days().max(0);
    let mut last = None;
    for j in 1..=n {
        let day = from + Duration::days(span * i64::from(j) / i64::from(n));
        let at = day
            .and_time(NaiveTime::from_hms_opt(8 + (rng.below(8) as u32), rng.below(60) as u32, 0).unwrap_or_default());
        let p = if j == n { progress } else { round5(f64::from(progress) * f64::from(j) / f64::from(n)) };
        let text = rng.pick(&REPORT_TEXTS).to_string();
        let report = plans::insert_report(
            conn,
            &NewReport {
                task_id: t.id,
                author_id,
                author_name: author_name.clone(),
                unit_id: Some(t.lead_unit_id),
                created_at: to_utc(at),
                text,
                progress: p,
            },
        )?;
        if let Some(p) = photo.filter(|_| j == n) {
            plans::insert_attachment(
                conn,
                &NewAttachment {
                    report_id: report.id,
                    task_id: t.id,
                    sha256: p.key.clone(),
                    file_name: p.file_name.clone(),
                    content_type: p.content_type.to_string(),
                    size: p.size,
                    created_at: report.created_at,
                },
            )?;
        }
        last = Some(to_utc(at));
    }
    let status = match progress {
        100 => TaskStatus::Done,
        0 => TaskStatus::NotStarted,
        _ => TaskStatus::InProgress,
    };
    plans::update_task(
        conn,
        t.id,
        &TaskChanges {
            status: Some(status.as_str().to_string()),
            progress: Some(progress),
            updated_at: last,
            ..TaskChanges::default()
        },
    )?;
    Ok(())
}

fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    commune: i64,
    (entity, id): (&'static str, i64),
    summary: serde_json::Value,
) -> AppResult<()> {
    audit::repo::record(
        conn,
        actor,
        Change { commune_id: Some(commune), action: "demo_progress", entity, entity_id: Some(id.to_string()), summary },
    )?;
    Ok(())
}

/// The 2023 plan finished, this year's plan made from it and reported on up to today.
fn living_plan(conn: &mut DbConnection, blobs: &dyn Storage, now: NaiveDateTime) -> AppResult<Option<i64>> {
    let today = local_date(now);
    if today.year() <= 2023 {
        return Ok(None);
    }
    let Some((commune, _)) = repo::commune_and_authority(conn, "Bình Lương")? else { return Ok(None) };
    let doc = parse_document(PLAN_2023.as_bytes())?;
    let Some(old) = plans::find_plan(conn, commune, doc.plan.title.trim(), doc.plan.year)? else { return Ok(None) };
    if rollover_repo::rolled_into(conn, old.id)?.is_some() {
        return Ok(None);
    }
    let users = repo::commune_users(conn, commune)?;
    let actor = Actor::system("seed-demo");
    let year_end = NaiveDate::from_ymd_opt(2023, 12, 29).unwrap_or(today);
    let mut rng = Rng::new(2023);
    let photos = store_photos(blobs)?;
    // 2023: a finished year, one task in eight left unfinished.
    let late = write_tx(conn, |conn| {
        let mut late = Vec::new();
        let mut pick = PhotoPicker::new(&photos);
        for (i, t) in plans::plan_tasks(conn, old.id)?.iter().enumerate() {
            if t.status != TaskStatus::NotStarted.as_str() || t.progress > 0 {
                continue;
            }
            let unfinished = i % 8 == 3;
            let progress = if unfinished { 40 + 5 * (rng.below(10) as i32) } else { 100 };
            let n = 1 + rng.below(3) as u32;
            let photo = pick.take(t);
            report_task(conn, &mut rng, &users, t, photo, progress, n, t.start_date, t.due_date.min(year_end))?;
            if unfinished {
                late.push(t.id);
            }
        }
        record(conn, &actor, commune, ("plan", old.id), json!({ "year": 2023, "unfinished": late.len() }))?;
        Ok::<_, AppError>(late)
    })?;
    // This year's plan, by the roll-over.
    let made = rollover::roll_over(
        conn,
        &actor,
        commune,
        old.id,
        RollOverPlan { year: Some(today.year()), carry_over_task_ids: late },
    )?;
    write_tx(conn, |conn| {
        plans::update_plan(
            conn,
            made.plan_id,
            &PlanChanges {
                status: Some(PlanStatus::Active.as_str().to_string()),
                issued_on: Some(NaiveDate::from_ymd_opt(today.year(), 1, 10)),
                ..PlanChanges::default()
            },
        )?;
        let yesterday = today - Duration::days(1);
        let mut counts = (0, 0, 0);
        let mut pick = PhotoPicker::new(&photos);
        for (i, t) in plans::plan_tasks(conn, made.plan_id)?.iter().enumerate() {
            if t.start_date > yesterday {
                continue;
            }
            let progress = if t.due_date < today {
                if i % 7 == 2 { 50 + 5 * (rng.below(8) as i32) } else { 100 }
            } else {
                let whole = (t.due_date - t.start_date).num_days().max(1) as f64;
                let done = (today - t.start_date).num_days() as f64 / whole;
                round5(done * 100.0 * rng.between(0.7, 1.1)).clamp(5, 95)
            };
            match progress {
                100 => counts.0 += 1,
                _ if t.due_date < today => counts.2 += 1,
                _ => counts.1 += 1,
            }
            let n = 1 + rng.below(3) as u32;
            let photo = pick.take(t);
            report_task(conn, &mut rng, &users, t, photo, progress, n, t.start_date, t.due_date.min(yesterday))?;
        }
        record(
            conn,
            &actor,
            commune,
            ("plan", made.plan_id),
            json!({ "as_of": today, "done": counts.0, "in_progress": counts.1, "late": counts.2 }),
        )
    })?;
    Ok(Some(made.plan_id))
}

/// A photo on the latest village relay (the village meeting) and on the latest awareness
/// activity (the loudspeaker), each only while it has no file.
fn democracy_photos(conn: &mut DbConnection, blobs: &dyn Storage, now: NaiveDateTime) -> AppResult<usize> {
    let Some((commune, _)) = repo::commune_and_authority(conn, "Bình Lương")? else { return Ok(0) };
    let photos = store_photos(blobs)?;
    let by_name = |name: &str| photos.iter().find(|p| p.file_name == name);
    let owners = [
        (FileOwner::Relay, repo::latest_relay(conn, commune)?, by_name("hop-thon.jpg")),
        (FileOwner::Activity, repo::latest_activity(conn, commune, local_date(now))?, by_name("loa-truyen-thanh.jpg")),
    ];
    let actor = Actor::system("seed-demo");
    write_tx(conn, |conn| {
        let mut added = 0;
        for (owner, found, photo) in &owners {
            let (Some((id, at)), Some(p)) = (found, photo) else { continue };
            if !democracy::files_of(conn, *owner, &[*id])?.is_empty() {
                continue;
            }
            let f = democracy::insert_file(
                conn,
                &NewFile {
                    commune_id: commune,
                    owner_kind: owner.as_str().into(),
                    owner_id: *id,
                    sha256: p.key.clone(),
                    file_name: p.file_name.clone(),
                    content_type: p.content_type.into(),
                    size: p.size,
                    created_at: *at,
                },
            )?;
            record(conn, &actor, commune, (owner.as_str(), *id), json!({ "file_id": f.id, "photo": p.file_name }))?;
            added += 1;
        }
        Ok(added)
    })
}

/// Makes the demo commune live as of `now` (UTC): see the module's comment. The photos go into
/// `blobs`, the installation's blob store.
pub fn seed(conn: &mut DbConnection, blobs: &dyn Storage, now: NaiveDateTime) -> AppResult<Living> {
    let plan = living_plan(conn, blobs, now)?;
    let dossiers = seed_demo_commune_dossiers(conn, now, DEMO_YEAR_DOSSIERS)?;
    let democracy_photos = democracy_photos(conn, blobs, now)?;
    Ok(Living { plan, dossiers, democracy_photos })
}
