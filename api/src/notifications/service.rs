//! The inbox, preferences, the reminder scan and the daily digest.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};
use serde_json::json;

use super::mail::{self, Message, SmtpSettings};
use super::model::*;
use super::repo;
use crate::audit::{self, Actor, Change};
use crate::auth::permission::has_permission;
use crate::auth::{Caller, Permission};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult, Validator};
use crate::http::Paging;
use crate::org::model::Role;
use crate::time::{local_date, rfc, to_utc};

fn utc(t: NaiveDateTime) -> chrono::DateTime<Utc> {
    rfc(t).with_timezone(&Utc)
}

fn view(r: NotificationRow) -> Notification {
    Notification {
        id: r.id,
        kind: NotificationKind::parse(&r.kind).unwrap_or(NotificationKind::TaskDue),
        title_vi: r.title_vi,
        title_en: r.title_en,
        link: r.link,
        day: r.day,
        created_at: utc(r.created_at),
        read_at: r.read_at.map(utc),
    }
}

// ---- inbox ----

pub fn list(conn: &mut DbConnection, user_id: i64, f: &NotificationFilter) -> AppResult<NotificationPage> {
    let paging = Paging::new(f.page, f.per_page)?;
    let (rows, total) = repo::list(conn, user_id, f.unread.unwrap_or(false), paging.per_page, paging.offset())?;
    Ok(NotificationPage {
        items: rows.into_iter().map(view).collect(),
        total,
        unread: repo::unread_count(conn, user_id)?,
        page: paging.page,
        per_page: paging.per_page,
    })
}

pub fn unread(conn: &mut DbConnection, user_id: i64) -> AppResult<UnreadCount> {
    Ok(UnreadCount { unread: repo::unread_count(conn, user_id)? })
}

/// Marks the caller's notifications read (ids not theirs are ignored).
pub fn mark_read(
    conn: &mut DbConnection,
    actor: &Actor,
    user_id: i64,
    commune: Option<i64>,
    body: MarkRead,
) -> AppResult<Marked> {
    if !body.all && body.ids.is_empty() {
        return Err(AppError::field("ids", "required", "Chọn thông báo cần đánh dấu, hoặc đánh dấu tất cả."));
    }
    if body.ids.len() > 500 {
        return Err(AppError::field("ids", "too_many", "Tối đa 500 thông báo một lần."));
    }
    let now = Utc::now().naive_utc();
    let marked = write_tx(conn, |conn| {
        let n = if body.all {
            repo::mark_all_read(conn, user_id, now)?
        } else {
            repo::mark_read(conn, user_id, &body.ids, now)?
        };
        if n > 0 {
            audit::repo::record(
                conn,
                actor,
                Change {
                    commune_id: commune,
                    action: "read",
                    entity: "notification",
                    entity_id: None,
                    summary: json!({ "marked": n, "all": body.all }),
                },
            )?;
        }
        Ok::<_, AppError>(n)
    })?;
    Ok(Marked { marked, unread: repo::unread_count(conn, user_id)? })
}

// ---- preferences ----

fn modes_of(row: Option<&PreferenceRow>) -> BTreeMap<String, DeliveryMode> {
    let stored: BTreeMap<String, String> = row.and_then(|r| serde_json::from_str(&r.modes).ok()).unwrap_or_default();
    NotificationKind::ALL
        .iter()
        .map(|k| {
            let m = stored.get(k.as_str()).and_then(|m| DeliveryMode::parse(m)).unwrap_or(DeliveryMode::Digest);
            (k.as_str().to_string(), m)
        })
        .collect()
}

fn prefs_view(caller: &Caller, row: Option<&PreferenceRow>) -> Preferences {
    Preferences {
        kinds: NotificationKind::ALL.iter().copied().filter(|k| may_receive(*k, caller.role, caller.unit_id)).collect(),
        modes: modes_of(row),
        email_enabled: row.is_some_and(|r| r.email_enabled),
        email: row.and_then(|r| r.email.clone()),
        email_available: false,
    }
}

pub fn preferences(conn: &mut DbConnection, caller: &Caller) -> AppResult<Preferences> {
    Ok(prefs_view(caller, repo::preferences(conn, caller.id)?.as_ref()))
}

pub fn save_preferences(conn: &mut DbConnection, caller: &Caller, body: UpdatePreferences) -> AppResult<Preferences> {
    let user_id = caller.id;
    let mut v = Validator::new();
    for k in body.modes.keys() {
        if NotificationKind::parse(k).is_none() {
            v.add(&format!("modes.{k}"), "invalid_value", "Loại thông báo không có.");
        }
    }
    let email = match &body.email {
        Some(Some(e)) if !e.trim().is_empty() => {
            let e = e.trim().to_string();
            if !mail::valid_address(&e) {
                v.add("email", "invalid_format", "Sai định dạng địa chỉ thư điện tử.");
            }
            Some(Some(e))
        }
        Some(_) => Some(None),
        None => None,
    };
    v.finish()?;
    write_tx(conn, |conn| {
        let before = repo::preferences(conn, user_id)?;
        let mut modes = modes_of(before.as_ref());
        for (k, m) in &body.modes {
            modes.insert(k.clone(), *m);
        }
        let email = match email {
            Some(e) => e,
            None => before.as_ref().and_then(|b| b.email.clone()),
        };
        let email_enabled = body.email_enabled.unwrap_or(before.as_ref().is_some_and(|b| b.email_enabled));
        if email_enabled && email.is_none() {
            return Err(AppError::field("email", "required", "Vui lòng nhập địa chỉ thư điện tử để nhận thư."));
        }
        let stored: BTreeMap<&str, &str> = modes.iter().map(|(k, m)| (k.as_str(), m.as_str())).collect();
        let row = PreferenceRow {
            user_id,
            email,
            email_enabled,
            modes: serde_json::to_string(&stored).map_err(|e| AppError::Internal(e.to_string()))?,
            updated_at: Utc::now().naive_utc(),
        };
        repo::save_preferences(conn, &row)?;
        // What changed, as `[before, after]`: each kind whose mode changed, the e-mail switch.
        let was = modes_of(before.as_ref());
        let mut changed = serde_json::Map::new();
        for (k, m) in &modes {
            let old = was.get(k).map(|w| w.as_str());
            if old != Some(m.as_str()) {
                changed.insert(k.clone(), json!([old, m.as_str()]));
            }
        }
        let mut summary = serde_json::Map::new();
        if !changed.is_empty() {
            summary.insert("modes".into(), changed.into());
        }
        let was_enabled = before.as_ref().is_some_and(|b| b.email_enabled);
        if was_enabled != row.email_enabled {
            summary.insert("email_enabled".into(), json!([was_enabled, row.email_enabled]));
        }
        if before.as_ref().and_then(|b| b.email.as_ref()) != row.email.as_ref() {
            summary.insert("email".into(), json!([before.as_ref().and_then(|b| b.email.clone()), row.email.clone()]));
        }
        if !summary.is_empty() {
            audit::repo::record(
                conn,
                &caller.actor(),
                Change {
                    commune_id: caller.commune_id,
                    action: "update",
                    entity: "notification_preferences",
                    entity_id: Some(user_id.to_string()),
                    summary: summary.into(),
                },
            )?;
        }
        Ok(prefs_view(caller, Some(&row)))
    })
}

// ---- the scan ----

fn short(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() <= 100 { s.to_string() } else { format!("{}…", s.chars().take(99).collect::<String>()) }
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

struct People {
    by_commune: HashMap<i64, Vec<Recipient>>,
}

impl People {
    fn load(conn: &mut DbConnection) -> AppResult<People> {
        let mut by_commune: HashMap<i64, Vec<Recipient>> = HashMap::new();
        for r in repo::recipients(conn)? {
            if let Some(c) = r.commune_id {
                by_commune.entry(c).or_default().push(r);
            }
        }
        Ok(People { by_commune })
    }

    fn of(&self, commune: i64) -> &[Recipient] {
        self.by_commune.get(&commune).map_or(&[], Vec::as_slice)
    }

    /// Users of the commune who may be sent `kind` ([`may_receive`]).
    fn receiving(&self, commune: i64, kind: NotificationKind) -> Vec<i64> {
        self.of(commune).iter().filter(|r| r.receives(kind)).map(|r| r.id).collect()
    }

    /// Users of a unit of the commune who may be sent `kind`.
    fn of_unit(&self, commune: i64, unit: i64, kind: NotificationKind) -> Vec<i64> {
        self.of(commune).iter().filter(|r| r.unit_id == Some(unit) && r.receives(kind)).map(|r| r.id).collect()
    }

    fn with_role(&self, commune: i64, role: Role) -> Vec<i64> {
        self.of(commune).iter().filter(|r| r.role == role.as_str()).map(|r| r.id).collect()
    }
}

impl Recipient {
    fn receives(&self, kind: NotificationKind) -> bool {
        Role::parse(&self.role).is_some_and(|role| may_receive(kind, role, self.unit_id))
    }
}

/// Whether [`findings`] may name a user of `role` (in `unit`) for `kind`: of a task, the people
/// of its lead unit who report on tasks, and the board once it is overdue; of a dossier, the
/// one-stop staff; of a petition, those who handle petitions; of a relay, a village's people who
/// relay disclosures; of a dialogue commitment, its owner unit's people; of a survey, those who
/// run surveys. `findings` names no one else, and the preferences offer no other kind.
pub fn may_receive(kind: NotificationKind, role: Role, unit: Option<i64>) -> bool {
    use NotificationKind::*;
    let may = |p| has_permission(role, p);
    match kind {
        TaskDue => unit.is_some() && may(Permission::ReportTasks),
        TaskOverdue => (unit.is_some() && may(Permission::ReportTasks)) || role == Role::Board,
        DossierDueToday | DossierApologyDue | DossierOverdue => may(Permission::ProcessDossiers),
        PetitionDue | PetitionOverdue => may(Permission::ProcessPetitions),
        RelayMissing => unit.is_some() && may(Permission::RelayDisclosures),
        CommitmentDue => unit.is_some(),
        SurveyEnding => may(Permission::RunSurveys),
    }
}

#[allow(clippy::too_many_arguments)]
fn push(
    out: &mut Vec<Finding>,
    users: impl IntoIterator<Item = i64>,
    commune_id: i64,
    kind: NotificationKind,
    subject: String,
    title_vi: String,
    title_en: String,
    link: String,
) {
    let mut seen = HashSet::new();
    for user_id in users {
        if seen.insert(user_id) {
            out.push(Finding {
                user_id,
                commune_id,
                kind,
                subject: subject.clone(),
                title_vi: title_vi.clone(),
                title_en: title_en.clone(),
                link: link.clone(),
            });
        }
    }
}

/// What needs someone's attention on the local day of `now`, per user.
pub fn findings(conn: &mut DbConnection, now: NaiveDateTime) -> AppResult<Vec<Finding>> {
    let today = local_date(now);
    let soon = today + Duration::days(DUE_SOON_DAYS);
    let people = People::load(conn)?;
    let mut out = Vec::new();
    // Tasks: the lead unit's people; overdue ones the board too.
    for (id, commune, title, unit, due) in repo::open_tasks_due_by(conn, soon)? {
        let t = short(&title);
        let mut users = people.of_unit(commune, unit, NotificationKind::TaskDue);
        if due < today {
            users.extend(people.with_role(commune, Role::Board));
            push(
                &mut out,
                users,
                commune,
                NotificationKind::TaskOverdue,
                format!("task:{id}"),
                format!("Nhiệm vụ quá hạn (hạn {}): {t}", dmy(due)),
                format!("Task overdue (due {}): {t}", dmy(due)),
                format!("/tasks/{id}"),
            );
        } else {
            push(
                &mut out,
                users,
                commune,
                NotificationKind::TaskDue,
                format!("task:{id}"),
                format!("Nhiệm vụ đến hạn ngày {}: {t}", dmy(due)),
                format!("Task due on {}: {t}", dmy(due)),
                format!("/tasks/{id}"),
            );
        }
    }
    // Dossiers: the one-stop staff.
    let end_of_today = to_utc((today + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap_or_default());
    for (id, commune, code, due_at, paused, apology_by, apology_timely) in
        repo::open_dossiers_due_by(conn, end_of_today, now)?
    {
        let staff = people.receiving(commune, NotificationKind::DossierDueToday);
        let link = format!("/onestop/dossiers/{id}");
        if paused.is_none() && apology_timely.is_none() && apology_by.is_some_and(|by| by <= now) {
            push(
                &mut out,
                staff.clone(),
                commune,
                NotificationKind::DossierApologyDue,
                format!("dossier:{id}"),
                format!("Hồ sơ {code} cần gửi thư xin lỗi và hẹn lại (mẫu 04)"),
                format!("Dossier {code} needs an apology and a new date (form 04)"),
                link.clone(),
            );
        }
        if paused.is_some() {
            continue;
        }
        if due_at < now {
            push(
                &mut out,
                staff,
                commune,
                NotificationKind::DossierOverdue,
                format!("dossier:{id}"),
                format!("Hồ sơ {code} đã quá hạn giải quyết"),
                format!("Dossier {code} is overdue"),
                link,
            );
        } else if local_date(due_at) == today {
            push(
                &mut out,
                staff,
                commune,
                NotificationKind::DossierDueToday,
                format!("dossier:{id}"),
                format!("Hồ sơ {code} đến hạn trả kết quả hôm nay"),
                format!("Dossier {code} is due today"),
                link,
            );
        }
    }
    // Petitions: the handler while they still handle petitions; else everyone who does.
    for (id, commune, code, handler, due_at) in repo::open_petitions_due_by(conn, now + Duration::days(DUE_SOON_DAYS))?
    {
        let Some(due_at) = due_at else { continue };
        let staff = people.receiving(commune, NotificationKind::PetitionDue);
        let users = match handler.filter(|h| staff.contains(h)) {
            Some(h) => vec![h],
            None => staff,
        };
        let due = local_date(due_at);
        let (kind, vi, en) = if due_at < now {
            (
                NotificationKind::PetitionOverdue,
                format!("Đơn {code} đã quá hạn giải quyết (hạn {})", dmy(due)),
                format!("Petition {code} is overdue (due {})", dmy(due)),
            )
        } else {
            (
                NotificationKind::PetitionDue,
                format!("Đơn {code} đến hạn giải quyết ngày {}", dmy(due)),
                format!("Petition {code} falls due on {}", dmy(due)),
            )
        };
        push(&mut out, users, commune, kind, format!("petition:{id}"), vi, en, format!("/petitions/{id}"));
    }
    // Disclosure relays: village heads whose village has not confirmed past the relay deadline.
    let posted = repo::disclosures_posted_on(conn, today)?;
    if !posted.is_empty() {
        let ids: Vec<i64> = posted.iter().map(|p| p.0).collect();
        let villages = repo::disclosure_villages_of(conn, &ids)?;
        let relayed: HashSet<(i64, i64)> = repo::relayed_of(conn, &ids)?.into_iter().collect();
        let mut within: HashMap<i64, i32> = HashMap::new();
        for (id, commune, title, from) in &posted {
            let days = match within.get(commune) {
                Some(d) => *d,
                None => {
                    let d = crate::democracy::disclosures::service::settings(conn, *commune)?.relay_within_days;
                    within.insert(*commune, d);
                    d
                }
            };
            let due = crate::democracy::disclosures::rules::relay_due(*from, days);
            if today <= due {
                continue;
            }
            let t = short(title);
            for (_, unit) in villages.iter().filter(|(d, u)| d == id && !relayed.contains(&(*id, *u))) {
                push(
                    &mut out,
                    people.of_unit(*commune, *unit, NotificationKind::RelayMissing),
                    *commune,
                    NotificationKind::RelayMissing,
                    format!("relay:{id}:{unit}"),
                    format!("Thôn chưa xác nhận đã thông báo (hạn {}): {t}", dmy(due)),
                    format!("Village relay not confirmed (due {}): {t}", dmy(due)),
                    format!("/disclosures/{id}"),
                );
            }
        }
    }
    // Dialogue commitments: the owner unit's people.
    for (id, commune, text, unit, due) in repo::open_commitments_due_by(conn, soon)? {
        let t = short(&text);
        let (vi, en) = if due < today {
            (
                format!("Cam kết đối thoại quá hạn ({}): {t}", dmy(due)),
                format!("Dialogue commitment overdue ({}): {t}", dmy(due)),
            )
        } else {
            (
                format!("Cam kết đối thoại đến hạn ngày {}: {t}", dmy(due)),
                format!("Dialogue commitment due on {}: {t}", dmy(due)),
            )
        };
        push(
            &mut out,
            people.of_unit(commune, unit, NotificationKind::CommitmentDue),
            commune,
            NotificationKind::CommitmentDue,
            format!("commitment:{id}"),
            vi,
            en,
            "/dialogues".into(),
        );
    }
    // Survey campaigns ending: those who run surveys.
    for (id, commune, title, ends) in repo::surveys_ending_between(conn, today, soon)? {
        let t = short(&title);
        push(
            &mut out,
            people.receiving(commune, NotificationKind::SurveyEnding),
            commune,
            NotificationKind::SurveyEnding,
            format!("survey:{id}"),
            format!("Đợt khảo sát kết thúc ngày {}: {t}", dmy(ends)),
            format!("Survey ends on {}: {t}", dmy(ends)),
            format!("/surveys/{id}"),
        );
    }
    Ok(out)
}

struct UserPrefs {
    modes: BTreeMap<String, DeliveryMode>,
    email: Option<String>,
}

fn all_prefs(conn: &mut DbConnection) -> AppResult<HashMap<i64, UserPrefs>> {
    Ok(repo::all_preferences(conn)?
        .into_iter()
        .map(|r| {
            let email = r.email.clone().filter(|_| r.email_enabled);
            (r.user_id, UserPrefs { modes: modes_of(Some(&r)), email })
        })
        .collect())
}

/// Link as it goes into an e-mail.
fn full_link(app_url: Option<&str>, link: &str) -> String {
    match app_url {
        Some(base) => format!("{}{link}", base.trim_end_matches('/')),
        None => link.to_string(),
    }
}

/// The mail side of the scan and the digest.
pub struct Mailer {
    pub settings: SmtpSettings,
    pub app_url: Option<String>,
}

/// Scans the modules and records what is new today (one notification per user, kind,
/// subject and day); e-mails at once the new ones of kinds a user wants immediately.
pub fn scan(conn: &mut DbConnection, now: NaiveDateTime, mailer: Option<&Mailer>) -> AppResult<ScanSummary> {
    let today = local_date(now);
    let found = findings(conn, now)?;
    let prefs = all_prefs(conn)?;
    let actor = Actor::system("notifications");
    let (created, immediate) = write_tx(conn, |conn| {
        let mut created = 0;
        let mut immediate = Vec::new();
        for f in &found {
            let p = prefs.get(&f.user_id);
            let mode = p.and_then(|p| p.modes.get(f.kind.as_str()).copied()).unwrap_or(DeliveryMode::Digest);
            if mode == DeliveryMode::Off {
                continue;
            }
            let new = NewNotification {
                user_id: f.user_id,
                commune_id: Some(f.commune_id),
                kind: f.kind.as_str().to_string(),
                subject: f.subject.clone(),
                day: today,
                title_vi: f.title_vi.clone(),
                title_en: f.title_en.clone(),
                link: f.link.clone(),
                created_at: now,
                mode: mode.as_str().to_string(),
            };
            if let Some(id) = repo::insert_if_new(conn, &new)? {
                created += 1;
                if mode == DeliveryMode::Immediate
                    && let Some(to) = p.and_then(|p| p.email.clone())
                {
                    immediate.push((id, to, f.clone()));
                }
            }
        }
        if created > 0 {
            audit::repo::record(
                conn,
                &actor,
                Change {
                    commune_id: None,
                    action: "scan",
                    entity: "notification",
                    entity_id: None,
                    summary: json!({ "day": today, "found": found.len(), "created": created }),
                },
            )?;
        }
        Ok::<_, AppError>((created, immediate))
    })?;
    let mut emailed = 0;
    if let Some(m) = mailer
        && !immediate.is_empty()
    {
        let messages: Vec<Message> = immediate
            .iter()
            .map(|(_, to, f)| Message {
                to: to.clone(),
                subject: format!("[Thân Thiện] {}", f.kind.label_vi()),
                body: format!(
                    "{}\n\nXem: {}\n\n— Thân Thiện (thư tự động; đổi cách nhận trong mục Thông báo → Tùy chọn)\n",
                    f.title_vi,
                    full_link(m.app_url.as_deref(), &f.link)
                ),
            })
            .collect();
        match mail::send_all(&m.settings, &messages) {
            Ok(n) => {
                emailed = n;
                let ids: Vec<i64> = immediate.iter().map(|(id, _, _)| *id).collect();
                repo::set_emailed(conn, &ids, Utc::now().naive_utc())?;
            }
            Err(e) => return Err(AppError::Unavailable(e)),
        }
    }
    Ok(ScanSummary { found: found.len(), created, emailed })
}

/// The digest message of one user and day, in Vietnamese.
pub fn digest_message(
    name: &str,
    day: NaiveDate,
    items: &[NotificationRow],
    app_url: Option<&str>,
) -> (String, String) {
    let subject = format!("Bản tin nhắc việc ngày {} — {} việc cần chú ý", dmy(day), items.len());
    let mut body = format!("Kính gửi {name},\n\nHôm nay có {} việc cần anh/chị chú ý:\n", items.len());
    for kind in NotificationKind::ALL {
        let of_kind: Vec<&NotificationRow> = items.iter().filter(|r| r.kind == kind.as_str()).collect();
        if of_kind.is_empty() {
            continue;
        }
        body.push_str(&format!("\n{} ({}):\n", kind.label_vi(), of_kind.len()));
        for r in of_kind {
            body.push_str(&format!("  • {}\n    {}\n", r.title_vi, full_link(app_url, &r.link)));
        }
    }
    body.push_str(
        "\nXem và đánh dấu đã đọc trong ứng dụng Thân Thiện, mục Thông báo. \
         Đổi cách nhận (gộp hằng ngày, gửi ngay, tắt) tại Thông báo → Tùy chọn.\n\n— Thân Thiện (thư tự động)\n",
    );
    (subject, body)
}

/// Sends each user their digest of `day` once: a user's digest is claimed by inserting its
/// row (unique per user and day) before it is sent, so two instances never both send it. A
/// failed send is recorded on the row and not retried (at most once).
pub fn digest(conn: &mut DbConnection, day: NaiveDate, mailer: Option<&Mailer>) -> AppResult<DigestSummary> {
    let prefs = all_prefs(conn)?;
    let mut summary = DigestSummary::default();
    for user_id in repo::users_awaiting_digest(conn, day)? {
        let items = repo::digest_items(conn, user_id, day)?;
        if items.is_empty() {
            continue;
        }
        let claim = NewDigest {
            user_id,
            day,
            items: i32::try_from(items.len()).unwrap_or(i32::MAX),
            emailed: false,
            error: None,
            created_at: Utc::now().naive_utc(),
        };
        if !write_tx(conn, |c| repo::claim_digest(c, &claim))? {
            continue;
        }
        summary.users += 1;
        let to = prefs.get(&user_id).and_then(|p| p.email.clone());
        let (Some(m), Some(to)) = (mailer, to) else { continue };
        let who = repo::recipient(conn, user_id)?;
        let (subject, body) = digest_message(&who.full_name, day, &items, m.app_url.as_deref());
        let result = mail::send_all(&m.settings, &[Message { to, subject, body }]);
        let (ok, err) = match &result {
            Ok(n) => (*n == 1, None),
            Err(e) => (false, Some(e.as_str())),
        };
        write_tx(conn, |c| repo::finish_digest(c, user_id, day, ok, err))?;
        if ok {
            summary.emailed += 1;
        } else {
            summary.failed += 1;
        }
    }
    Ok(summary)
}

/// Digests made for `day` (tests, the admin view).
pub fn digests_of_day(conn: &mut DbConnection, day: NaiveDate) -> AppResult<i64> {
    Ok(repo::digests_of_day(conn, day)?)
}
