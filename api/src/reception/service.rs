//! Reception rules: sessions (with the delegation rule), visits that open petitions, the
//! public schedule and compliance per week.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Utc};
use serde_json::json;

use super::model::*;
use super::repo;
use crate::audit;
use crate::auth::Caller;
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult, Validator};
use crate::petitions::identity::IdentityKey;
use crate::petitions::model::CreatePetition;
use crate::time::{rfc, to_local};

/// From this day the chairman receives citizens in person (Luật 136/2025/QH15 amending the
/// Luật Tiếp công dân 2013).
pub fn not_delegable_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, 1).unwrap_or(NaiveDate::MIN)
}

pub const LEGAL_BASIS: &str = "Luật Tiếp công dân 2013, Điều 15 (sửa đổi bởi Luật 136/2025/QH15): Chủ tịch UBND xã tiếp công dân ít nhất 01 ngày trong tuần.";

const KINDS: [&str; 2] = ["regular", "adhoc"];
const STATUSES: [&str; 3] = ["planned", "held", "cancelled"];
const HANDLINGS: [&str; 4] = ["answered", "guided", "petition_opened", "forwarded"];

fn check_delegation(kind: &str, delegated: bool, starts_at: NaiveDateTime) -> AppResult<()> {
    if kind == "regular" && delegated && to_local(starts_at).date() >= not_delegable_from() {
        return Err(AppError::rule(
            "not_delegable",
            "Từ 01/07/2026 Chủ tịch UBND xã trực tiếp tiếp công dân định kỳ, không ủy quyền cho cấp phó.",
        ));
    }
    Ok(())
}

/// A regular session led by a deputy chairman is a delegated one, whatever the box said.
fn led_by_deputy(leader_title: &str) -> bool {
    crate::db::fold_search(leader_title).contains("pho chu tich")
}

/// What a session's day and status must be: a regular session falls on a working day of the
/// commune's calendar (reception on a day off is an ad-hoc session), and a session that has not
/// begun cannot have been held.
fn check_schedule(
    conn: &mut DbConnection,
    v: &mut Validator,
    commune_id: i64,
    kind: &str,
    status: &str,
    starts_at: NaiveDateTime,
) -> AppResult<()> {
    let day = to_local(starts_at).date();
    if status == "held" && starts_at > Utc::now().naive_utc() {
        v.add("status", "in_future", "Buổi tiếp chưa diễn ra nên chưa thể ghi là đã tiếp.");
    }
    if kind == "regular" {
        let cal = crate::calendar::service::load(conn, Some(commune_id), day, day)?;
        if cal.day(day).is_some_and(|d| !d.working) {
            v.add(
                "starts_at",
                "day_off",
                &format!(
                    "Ngày {} là ngày nghỉ theo lịch làm việc của xã: buổi tiếp định kỳ vào ngày làm việc (tiếp dân vào ngày nghỉ là buổi tiếp đột xuất).",
                    day.format("%d/%m/%Y")
                ),
            );
        }
    }
    Ok(())
}

/// When a visit may be recorded in a session: on the session's day, and not later than now.
fn check_visit_time(v: &mut Validator, session: &SessionRow, at: NaiveDateTime) {
    let day = to_local(session.starts_at).date();
    if to_local(at).date() != day {
        v.add(
            "at",
            "outside_session",
            &format!("Lượt tiếp phải trong ngày của buổi tiếp ({}).", day.format("%d/%m/%Y")),
        );
    } else if at > Utc::now().naive_utc() + chrono::Duration::minutes(5) {
        v.add("at", "in_future", "Thời điểm tiếp không được sau lúc này.");
    }
}

fn session_api(r: SessionRow, visits: i64) -> ReceptionSession {
    ReceptionSession {
        id: r.id,
        kind: r.values.kind,
        starts_at: rfc(r.values.starts_at),
        ends_at: r.values.ends_at.map(rfc),
        place: r.values.place,
        leader_name: r.values.leader_name,
        leader_title: r.values.leader_title,
        delegated: r.values.delegated,
        status: r.values.status,
        note: r.values.note,
        visits,
    }
}

pub fn create_session(conn: &mut DbConnection, caller: &Caller, body: CreateSession) -> AppResult<ReceptionSession> {
    let commune_id = caller.commune_id.ok_or(AppError::NotFound)?;
    let now = Utc::now().naive_utc();
    let mut v = Validator::new();
    if !KINDS.contains(&body.kind.as_str()) {
        v.add("kind", "invalid_value", "Loại buổi tiếp: regular hoặc adhoc.");
    }
    let status = body.status.clone().unwrap_or_else(|| "planned".into());
    if !STATUSES.contains(&status.as_str()) {
        v.add("status", "invalid_value", "Trạng thái: planned, held hoặc cancelled.");
    }
    v.text("place", &body.place, 2, 300);
    v.text("leader_name", &body.leader_name, 2, 200);
    v.text("leader_title", &body.leader_title, 2, 200);
    let starts_at = body.starts_at.naive_utc();
    let ends_at = body.ends_at.map(|e| e.naive_utc());
    if ends_at.is_some_and(|e| e <= starts_at) {
        v.add("ends_at", "invalid_value", "Giờ kết thúc phải sau giờ bắt đầu.");
    }
    check_schedule(conn, &mut v, commune_id, &body.kind, &status, starts_at)?;
    v.finish()?;
    let delegated = body.delegated || led_by_deputy(&body.leader_title);
    check_delegation(&body.kind, delegated, starts_at)?;
    write_tx(conn, |c| {
        let row = repo::insert_session(
            c,
            &NewSession {
                commune_id,
                kind: body.kind.clone(),
                starts_at,
                ends_at,
                place: body.place.trim().into(),
                leader_name: body.leader_name.trim().into(),
                leader_title: body.leader_title.trim().into(),
                delegated,
                status: status.clone(),
                note: body.note.clone(),
                created_at: now,
                updated_at: now,
            },
        )?;
        audit::repo::record_entity(
            c,
            &caller.actor(),
            commune_id,
            "create",
            "reception_session",
            row.id,
            json!({ "kind": row.kind, "starts_at": row.starts_at, "status": row.status, "delegated": row.delegated }),
        )?;
        Ok(session_api(row, 0))
    })
}

/// Corrects a session: held or cancelled, who led it, delegation, place, note, and its hours
/// (or its day, while no visit is in its register).
pub fn update_session(
    conn: &mut DbConnection,
    caller: &Caller,
    id: i64,
    body: UpdateSession,
) -> AppResult<ReceptionSession> {
    let commune_id = caller.commune_id.ok_or(AppError::NotFound)?;
    let now = Utc::now().naive_utc();
    write_tx(conn, |c| {
        let before = repo::get_session(c, commune_id, id)?;
        let mut after = before.values.clone();
        let mut v = Validator::new();
        if let Some(kind) = &body.kind {
            if !KINDS.contains(&kind.as_str()) {
                v.add("kind", "invalid_value", "Loại buổi tiếp: regular hoặc adhoc.");
            }
            after.kind = kind.clone();
        }
        if let Some(status) = &body.status {
            if !STATUSES.contains(&status.as_str()) {
                v.add("status", "invalid_value", "Trạng thái: planned, held hoặc cancelled.");
            }
            after.status = status.clone();
        }
        for (field, given, max, to) in [
            ("leader_name", &body.leader_name, 200, &mut after.leader_name),
            ("leader_title", &body.leader_title, 200, &mut after.leader_title),
            ("place", &body.place, 300, &mut after.place),
        ] {
            if let Some(text) = given {
                v.text(field, text, 2, max);
                *to = text.trim().to_string();
            }
        }
        if let Some(note) = &body.note {
            // A blank note clears it.
            after.note = Some(note.trim()).filter(|n| !n.is_empty()).map(String::from);
        }
        if let Some(starts_at) = body.starts_at {
            after.starts_at = starts_at.naive_utc();
        }
        if let Some(ends_at) = body.ends_at {
            after.ends_at = ends_at.map(|e| e.naive_utc());
        }
        if after.ends_at.is_some_and(|e| e <= after.starts_at) {
            v.add("ends_at", "invalid_value", "Giờ kết thúc phải sau giờ bắt đầu.");
        }
        // The day and status rules apply to what this correction changes (an older session is
        // not refused a note for what it already was).
        if after.kind != before.kind || after.status != before.status || after.starts_at != before.starts_at {
            check_schedule(c, &mut v, commune_id, &after.kind, &after.status, after.starts_at)?;
        }
        v.finish()?;
        after.delegated = body.delegated.unwrap_or(before.delegated) || led_by_deputy(&after.leader_title);
        check_delegation(&after.kind, after.delegated, after.starts_at)?;
        let visits = repo::visits_in_session(c, id)?;
        if visits > 0 && to_local(after.starts_at).date() != to_local(before.starts_at).date() {
            return Err(AppError::rule(
                "session_has_visits",
                "Buổi tiếp đã có lượt tiếp công dân trong sổ nên giữ nguyên ngày; chỉ sửa được giờ.",
            ));
        }
        after.updated_at = now;
        let row = repo::update_session(c, id, &after)?;
        audit::repo::record_entity(
            c,
            &caller.actor(),
            commune_id,
            "update",
            "reception_session",
            id,
            audit::changes(&session_audit(&before), &session_audit(&row)),
        )?;
        Ok(session_api(row, visits))
    })
}

/// Removes a session entered by mistake. One with visits in its register stays (the register
/// is a record): `session_has_visits`; a session that did not take place is `cancelled`.
pub fn delete_session(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<()> {
    let commune_id = caller.commune_id.ok_or(AppError::NotFound)?;
    write_tx(conn, |c| {
        let before = repo::get_session(c, commune_id, id)?;
        if repo::visits_in_session(c, id)? > 0 {
            return Err(AppError::rule(
                "session_has_visits",
                "Buổi tiếp đã có lượt tiếp công dân trong sổ nên không xóa được; \
                 buổi tiếp không diễn ra thì đánh dấu “Đã hủy”.",
            ));
        }
        repo::delete_session(c, id)?;
        audit::repo::record_entity(
            c,
            &caller.actor(),
            commune_id,
            "delete",
            "reception_session",
            id,
            json!({ "kind": before.kind, "starts_at": before.starts_at, "status": before.status }),
        )?;
        Ok(())
    })
}

fn bounds(from: NaiveDate, to: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    crate::petitions::service::utc_bounds(from, to)
}

fn period(q: &SessionQuery, default_back: i64, default_ahead: i64) -> AppResult<(NaiveDate, NaiveDate)> {
    let today = crate::time::today_local();
    let from = q.from.unwrap_or(today - Duration::days(default_back));
    let to = q.to.unwrap_or(today + Duration::days(default_ahead));
    if to < from || (to - from).num_days() > 800 {
        return Err(AppError::field("to", "invalid_value", "Khoảng thời gian từ 0 đến 800 ngày."));
    }
    Ok((from, to))
}

pub fn list_sessions(conn: &mut DbConnection, commune_id: i64, q: &SessionQuery) -> AppResult<Vec<ReceptionSession>> {
    let (from, to) = period(q, 30, 60)?;
    let (a, b) = bounds(from, to);
    let rows = repo::sessions(conn, &[commune_id], a, b)?;
    let counts = repo::visit_counts(conn, &rows.iter().map(|r| r.id).collect::<Vec<_>>())?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let n = counts.iter().find(|(s, _)| *s == r.id).map_or(0, |(_, n)| *n);
            session_api(r, n)
        })
        .collect())
}

/// The public schedule: sessions from a week ago to two months ahead, no notes.
pub fn public_schedule(conn: &mut DbConnection, commune_code: &str) -> AppResult<PublicSchedule> {
    let commune_id = repo::commune_by_code(conn, commune_code.trim())?.ok_or(AppError::NotFound)?;
    let today = crate::time::today_local();
    let (a, b) = bounds(today - Duration::days(7), today + Duration::days(62));
    let sessions = repo::sessions(conn, &[commune_id], a, b)?
        .into_iter()
        .filter(|r| r.status != "cancelled")
        .map(|r| PublicSession {
            kind: r.values.kind,
            starts_at: rfc(r.values.starts_at),
            ends_at: r.values.ends_at.map(rfc),
            place: r.values.place,
            leader_name: r.values.leader_name,
            leader_title: r.values.leader_title,
            status: r.values.status,
        })
        .collect();
    Ok(PublicSchedule {
        commune_name: crate::org::repo::commune_name(conn, commune_id)?,
        legal_basis: LEGAL_BASIS.into(),
        sessions,
    })
}

/// Records a visit; with `petition_opened` it opens the petition in the same transaction and
/// links both ways.
pub fn create_visit(
    conn: &mut DbConnection,
    caller: &Caller,
    key: &IdentityKey,
    session_id: i64,
    body: CreateVisit,
) -> AppResult<Visit> {
    let commune_id = caller.commune_id.ok_or(AppError::NotFound)?;
    let now = Utc::now().naive_utc();
    let session = repo::get_session(conn, commune_id, session_id)?;
    // Left blank, the time is now on the session's day, and the session's start on another day
    // (a visit entered afterwards): never a day the session was not held, which would start a
    // petition's legal clocks late.
    let default_at = if to_local(now).date() == to_local(session.starts_at).date() { now } else { session.starts_at };
    let fields = VisitFields {
        at: body.at.map(|t| t.naive_utc()).unwrap_or(default_at),
        receiver_name: body.receiver_name.trim().into(),
        citizen_names: body.citizen_names.trim().into(),
        group_size: body.group_size,
        content: body.content.trim().into(),
        classification: body.classification.clone(),
        handling: body.handling.clone(),
        forwarded_to: body.forwarded_to.clone(),
    };
    let mut v = Validator::new();
    check_fields(&mut v, &fields);
    check_visit_time(&mut v, &session, fields.at);
    if (body.handling == "petition_opened") != body.petition.is_some() {
        v.add("petition", "invalid_value", "Mở đơn khi và chỉ khi chọn cách xử lý petition_opened.");
    }
    v.finish()?;
    let at = fields.at;
    let denunciation = body.classification == "denunciation";
    // A denouncer's name is sealed with the petition; the register keeps no name for it.
    let citizen_names = if denunciation {
        crate::petitions::service::SEALED_NAME.to_string()
    } else {
        body.citizen_names.trim().to_string()
    };
    write_tx(conn, |c| {
        let visit = repo::insert_visit(
            c,
            &NewVisit {
                session_id: session.id,
                commune_id,
                at,
                receiver_name: body.receiver_name.trim().into(),
                citizen_names: citizen_names.clone(),
                group_size: body.group_size,
                content: body.content.trim().into(),
                classification: body.classification.clone(),
                handling: body.handling.clone(),
                forwarded_to: body.forwarded_to.clone(),
                petition_id: None,
                created_at: now,
            },
        )?;
        let mut petition_code = None;
        let mut petition_id = None;
        if let Some(p) = body.petition {
            let row = crate::petitions::service::create_in(
                c,
                &crate::petitions::service::Intake {
                    caller: Some(caller),
                    commune_id,
                    actor_name: caller.full_name.clone(),
                },
                key,
                CreatePetition {
                    kind: body.classification.clone(),
                    channel: "reception".into(),
                    subject: p.subject,
                    content: body.content.clone(),
                    petitioner_name: (!denunciation).then(|| body.citizen_names.trim().to_string()),
                    phone: p.phone,
                    village_unit_id: None,
                    dossier_id: None,
                    received_at: Some(rfc(at)),
                    identity: p.identity,
                    repeat_of: None,
                },
            )?;
            repo::link(c, visit.id, row.id)?;
            petition_code = Some(row.received.code);
            petition_id = Some(row.id);
        }
        audit::repo::record_entity(
            c,
            &caller.actor(),
            commune_id,
            "create",
            "reception_visit",
            visit.id,
            json!({ "session_id": session.id, "classification": visit.classification, "handling": visit.handling, "petition_id": petition_id }),
        )?;
        Ok(visit_api(VisitRow { values: NewVisit { petition_id, ..visit.values }, ..visit }, petition_code))
    })
}

pub fn list_visits(conn: &mut DbConnection, commune_id: i64, session_id: i64) -> AppResult<Vec<Visit>> {
    repo::get_session(conn, commune_id, session_id)?;
    Ok(repo::visits(conn, session_id)?.into_iter().map(|(v, code)| visit_api(v, code)).collect())
}

fn visit_api(v: VisitRow, petition_code: Option<String>) -> Visit {
    Visit {
        id: v.id,
        session_id: v.session_id,
        at: rfc(v.at),
        receiver_name: v.values.receiver_name,
        citizen_names: v.values.citizen_names,
        group_size: v.values.group_size,
        content: v.values.content,
        classification: v.values.classification,
        handling: v.values.handling,
        forwarded_to: v.values.forwarded_to,
        petition_id: v.values.petition_id,
        petition_code,
    }
}

/// The checks a visit's fields pass when recorded and when corrected.
fn check_fields(v: &mut Validator, f: &VisitFields) {
    v.text("receiver_name", &f.receiver_name, 2, 200);
    v.text("citizen_names", &f.citizen_names, 2, 1000);
    v.text("content", &f.content, 3, 10_000);
    if !crate::petitions::model::KINDS.contains(&f.classification.as_str()) {
        v.add(
            "classification",
            "invalid_value",
            "Phân loại: recommendation, feedback, complaint, denunciation, other.",
        );
    }
    if !HANDLINGS.contains(&f.handling.as_str()) {
        v.add("handling", "invalid_value", "Cách xử lý: answered, guided, petition_opened, forwarded.");
    }
    if !(1..=1000).contains(&f.group_size) {
        v.add("group_size", "invalid_value", "Số người từ 1 đến 1000.");
    }
    if f.handling == "forwarded" && f.forwarded_to.as_deref().is_none_or(|s| s.trim().is_empty()) {
        v.add("forwarded_to", "required", "Ghi nơi chuyển đến.");
    }
}

/// What the audit log keeps of a visit: never the citizens' names (a visit may turn out to be a
/// denunciation), only whether they changed.
/// What the audit log says of a session (the leader's name and the note stay out: a correction
/// says that they changed, not what they read).
fn session_audit(s: &NewSession) -> serde_json::Value {
    json!({
        "kind": s.kind,
        "status": s.status,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "place": s.place,
        "leader_title": s.leader_title,
        "delegated": s.delegated,
    })
}

fn visit_audit(v: &VisitRow) -> serde_json::Value {
    json!({
        "session_id": v.session_id,
        "at": v.at,
        "receiver_name": v.receiver_name,
        "group_size": v.group_size,
        "content": v.content,
        "classification": v.classification,
        "handling": v.handling,
        "forwarded_to": v.forwarded_to,
        "petition_id": v.petition_id,
    })
}

fn has_petition(code: Option<String>) -> AppError {
    AppError::rule(
        "visit_has_petition",
        format!(
            "Lượt tiếp này đã mở đơn {}: đơn vẫn gắn với lượt tiếp, nên không xoá lượt tiếp và không đổi phân loại hay cách xử lý của nó.",
            code.unwrap_or_default()
        ),
    )
}

/// Corrects a visit: every field of the register. A visit that opened a petition keeps its
/// classification and handling (409 `visit_has_petition`); `petition_opened` cannot be chosen
/// afterwards (a petition is opened when the visit is recorded). A denouncer's name is never
/// kept in the register.
pub fn update_visit(conn: &mut DbConnection, caller: &Caller, id: i64, body: UpdateVisit) -> AppResult<Visit> {
    let commune_id = caller.commune_id.ok_or(AppError::NotFound)?;
    let fields = VisitFields {
        at: body.at.naive_utc(),
        receiver_name: body.receiver_name.trim().into(),
        citizen_names: if body.classification == "denunciation" {
            crate::petitions::service::SEALED_NAME.into()
        } else {
            body.citizen_names.trim().into()
        },
        group_size: body.group_size,
        content: body.content.trim().into(),
        classification: body.classification,
        handling: body.handling,
        forwarded_to: body.forwarded_to.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
    };
    write_tx(conn, |c| {
        let before = repo::get_visit(c, commune_id, id)?;
        let session = repo::get_session(c, commune_id, before.session_id)?;
        let mut v = Validator::new();
        check_fields(&mut v, &fields);
        check_visit_time(&mut v, &session, fields.at);
        v.finish()?;
        match before.petition_id {
            Some(p) if fields.classification != before.classification || fields.handling != "petition_opened" => {
                return Err(has_petition(repo::petition_code(c, p)?));
            }
            None if fields.handling == "petition_opened" => {
                return Err(AppError::field(
                    "handling",
                    "invalid_value",
                    "Đơn được mở khi ghi lượt tiếp (nút «Mở đơn»), không mở khi sửa lượt tiếp.",
                ));
            }
            _ => {}
        }
        let after = repo::update_visit(c, id, &fields)?;
        audit::repo::record_entity(c, &caller.actor(), commune_id, "update", "reception_visit", id, {
            let mut changed = audit::changes(&visit_audit(&before), &visit_audit(&after));
            if before.citizen_names != after.citizen_names {
                changed["citizen_names_changed"] = json!(true);
            }
            changed
        })?;
        let code = match after.petition_id {
            Some(p) => repo::petition_code(c, p)?,
            None => None,
        };
        Ok(visit_api(after, code))
    })
}

/// Removes a visit recorded by mistake; one that opened a petition stays (409
/// `visit_has_petition`).
pub fn delete_visit(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<()> {
    let commune_id = caller.commune_id.ok_or(AppError::NotFound)?;
    write_tx(conn, |c| {
        let before = repo::get_visit(c, commune_id, id)?;
        if let Some(p) = before.petition_id {
            return Err(has_petition(repo::petition_code(c, p)?));
        }
        repo::delete_visit(c, id)?;
        audit::repo::record_entity(
            c,
            &caller.actor(),
            commune_id,
            "delete",
            "reception_visit",
            id,
            json!({ "before": visit_audit(&before) }),
        )?;
        Ok(())
    })
}

/// The register of visits (sổ tiếp công dân) of a period across sessions (default: the last
/// 90 days), of one classification or all, searched without diacritics.
pub fn visit_register(conn: &mut DbConnection, commune_id: i64, q: &VisitQuery) -> AppResult<VisitRegister> {
    let (from, to) = period(&SessionQuery { from: q.from, to: q.to }, 90, 0)?;
    let classification = q.classification.as_deref().filter(|c| !c.is_empty());
    if classification.is_some_and(|c| !crate::petitions::model::KINDS.contains(&c)) {
        return Err(AppError::field(
            "classification",
            "invalid_value",
            "Phân loại: recommendation, feedback, complaint, denunciation, other.",
        ));
    }
    let needle = crate::db::fold_search(q.q.as_deref().unwrap_or("").trim());
    let (a, b) = bounds(from, to);
    let rows = repo::visits_in_period(conn, commune_id, a, b, classification)?;
    let found = |v: &VisitRow| {
        needle.is_empty()
            || crate::db::fold_search(&format!(
                "{} {} {} {}",
                v.citizen_names,
                v.receiver_name,
                v.content,
                v.forwarded_to.as_deref().unwrap_or("")
            ))
            .contains(&needle)
    };
    Ok(VisitRegister {
        header: crate::petitions::documents::commune_header(conn, commune_id, Utc::now().naive_utc())?,
        from,
        to,
        rows: rows
            .into_iter()
            .filter(|(v, _, _)| found(v))
            .enumerate()
            .map(|(i, (v, s, code))| VisitRegisterRow {
                number: i as i64 + 1,
                session: VisitSession {
                    id: s.id,
                    kind: s.values.kind,
                    starts_at: rfc(s.values.starts_at),
                    place: s.values.place,
                    leader_name: s.values.leader_name,
                },
                visit: visit_api(v, code),
            })
            .collect(),
    })
}

fn monday(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// Per week (Monday to Sunday) of `[from, to]`: whether a regular session was held, by whom,
/// delegated or not, and the ad-hoc sessions and visits.
pub fn compliance(conn: &mut DbConnection, commune_id: i64, q: &SessionQuery) -> AppResult<Compliance> {
    let (from, to) = period(q, 84, 0)?;
    let (first, last) = (monday(from), monday(to) + Duration::days(6));
    let (a, b) = bounds(first, last);
    let rows = repo::sessions(conn, &[commune_id], a, b)?;
    let counts = repo::visit_counts(conn, &rows.iter().map(|r| r.id).collect::<Vec<_>>())?;
    let mut weeks = Vec::new();
    let mut week = first;
    while week <= last {
        let in_week: Vec<&SessionRow> = rows
            .iter()
            .filter(|r| {
                let d = to_local(r.starts_at).date();
                d >= week && d < week + Duration::days(7)
            })
            .collect();
        let held = in_week.iter().find(|r| r.kind == "regular" && r.status == "held");
        weeks.push(ComplianceWeek {
            week_start: week,
            held: held.is_some(),
            leader_name: held.map(|r| r.leader_name.clone()),
            delegated: held.is_some_and(|r| r.delegated),
            unlawful_delegation: held
                .is_some_and(|r| r.delegated && to_local(r.starts_at).date() >= not_delegable_from()),
            adhoc_sessions: in_week.iter().filter(|r| r.kind == "adhoc" && r.status == "held").count() as i64,
            visits: in_week.iter().map(|r| counts.iter().find(|(s, _)| *s == r.id).map_or(0, |(_, n)| *n)).sum(),
        });
        week += Duration::days(7);
    }
    let weeks_held = weeks.iter().filter(|w| w.held).count() as i64;
    // A week still under way or to come is required once its session is held, not before.
    let today = crate::time::today_local();
    let weeks_required = weeks.iter().filter(|w| w.held || w.week_start + Duration::days(6) < today).count() as i64;
    Ok(Compliance { from: first, to: last, weeks_required, weeks_held, weeks })
}

/// Sessions required (one regular session per commune per whole week of `[from, to]` that has
/// passed, and the week under way once its session is held) and held. A week still to come is
/// not a week missed: a year's figure read in December counts the weeks until now.
pub fn sessions_held(
    conn: &mut DbConnection,
    communes: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<(i64, i64)> {
    let each = sessions_held_by_commune(conn, communes, from, to)?;
    Ok(each.into_iter().fold((0, 0), |(r, h), (_, (required, held))| (r + required, h + held)))
}

/// [`sessions_held`] for each of `communes` apart, in their order, from one read.
pub fn sessions_held_by_commune(
    conn: &mut DbConnection,
    communes: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(i64, (i64, i64))>> {
    let end = to.min(crate::time::today_local());
    if end < from {
        return Ok(communes.iter().map(|c| (*c, (0, 0))).collect());
    }
    let (a, b) = bounds(from, to);
    let rows = repo::sessions(conn, communes, a, b)?;
    let whole = ((end - from).num_days() + 1) / 7;
    // The first day after the whole weeks: a session from there on is in the week under way.
    let boundary = from + Duration::days(whole * 7);
    // The weeks (from `from`) in which each commune held a regular session, in one pass.
    let mut weeks: std::collections::HashMap<i64, std::collections::BTreeSet<i64>> =
        communes.iter().map(|c| (*c, Default::default())).collect();
    for r in rows.iter().filter(|r| r.kind == "regular" && r.status == "held") {
        let week = (to_local(r.starts_at).date() - from).num_days().div_euclid(7);
        if let Some(set) = weeks.get_mut(&r.commune_id).filter(|_| week >= 0) {
            set.insert(week);
        }
    }
    Ok(communes
        .iter()
        .map(|c| {
            let counts = weeks.get(c).map_or((whole, 0), |set| {
                let under_way = i64::from(set.last().is_some_and(|w| from + Duration::days(w * 7) >= boundary));
                (whole + under_way, (set.len() as i64).min(whole + under_way))
            });
            (*c, counts)
        })
        .collect())
}
