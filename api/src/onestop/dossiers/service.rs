//! Dossier rules: intake with the legal appointment, lifecycle actions, views, printable forms,
//! the register and the citizen's lookup. Every write runs in one transaction with its audit
//! entry.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use serde_json::json;

use super::forms;
use super::lifecycle::{self, Step};
use super::repo;
use crate::audit::{self};
use crate::auth::Caller;
use crate::calendar::service as cal;
use crate::db::{DbConnection, fold_search, write_tx};
use crate::error::{AppError, AppResult, Validator};
use crate::http::Paging;
use crate::onestop::catalogue::{repo as catalogue_repo, service as catalogue};
use crate::onestop::model::*;
use crate::time::{rfc, to_local, to_utc};

// ---------------------------------------------------------------- dossiers

fn staff_unit(conn: &mut DbConnection, s: &Caller) -> AppResult<(i64, Option<String>, String)> {
    let commune_id = s.commune()?;
    let unit_id = s.unit_id.ok_or(AppError::Forbidden)?;
    let unit = crate::org::repo::get_unit(conn, commune_id, unit_id)?;
    let code = unit.code.clone().unwrap_or_else(|| "HS".into());
    Ok((unit.id, Some(unit.name), code))
}

fn received_local(v: &mut Validator, at: Option<DateTime<FixedOffset>>, now: NaiveDateTime) -> NaiveDateTime {
    match at {
        None => to_local(now),
        Some(t) => {
            let utc = t.naive_utc();
            if utc > now + Duration::minutes(2) {
                v.add("received_at", "invalid_value", "Thời điểm tiếp nhận không được ở tương lai.");
            } else if utc < now - Duration::days(365) {
                v.add("received_at", "invalid_value", "Thời điểm tiếp nhận quá 365 ngày trước.");
            }
            to_local(utc)
        }
    }
}

/// The appointment of a new dossier and the time its apology (form 04) would be due, local.
fn appointment(
    conn: &mut DbConnection,
    commune_id: i64,
    p: &ProcedureRow,
    received: NaiveDateTime,
) -> AppResult<(NaiveDateTime, NaiveDateTime)> {
    legal_due(conn, commune_id, received, p.limit_amount, &p.limit_unit, p.cutoff_minutes)
}

/// The legal due time (local) of a limit from a local receipt time, on the calendar as it
/// stands today, shown as the close of a day rather than the opening of the next; and when
/// form 04 is due ([`lifecycle::apology_by`]).
fn legal_due(
    conn: &mut DbConnection,
    commune_id: i64,
    received: NaiveDateTime,
    amount: i32,
    unit: &str,
    cutoff_minutes: i32,
) -> AppResult<(NaiveDateTime, NaiveDateTime)> {
    let c = cal::load_from(conn, Some(commune_id), received)?;
    let unit = LimitUnit::parse(unit).unwrap_or(LimitUnit::WorkingDays);
    let due =
        lifecycle::as_close(&c, cal::due_local(&c, received, i64::from(amount), cal::unit_of(unit, cutoff_minutes))?);
    Ok((due, lifecycle::apology_by(&c, received, due)))
}

fn active_procedure(conn: &mut DbConnection, commune_id: i64, id: i64) -> AppResult<ProcedureRow> {
    usable(catalogue_repo::get_procedure(conn, commune_id, id))
}

/// A procedure looked up for a new dossier: missing or no longer applied is a field error.
fn usable(found: diesel::QueryResult<ProcedureRow>) -> AppResult<ProcedureRow> {
    match found {
        Ok(p) if p.active => Ok(p),
        Ok(_) => Err(AppError::field("procedure_id", "invalid_value", "Thủ tục đã ngừng áp dụng.")),
        Err(diesel::result::Error::NotFound) => {
            Err(AppError::field("procedure_id", "not_found", "Không có thủ tục này."))
        }
        Err(e) => Err(e.into()),
    }
}

/// The appointment a dossier received now (or at `received_at`) would get.
pub fn preview_due(conn: &mut DbConnection, commune_id: i64, body: PreviewDue) -> AppResult<DateTime<FixedOffset>> {
    let now = Utc::now().naive_utc();
    let mut v = Validator::new();
    let received = received_local(&mut v, body.received_at, now);
    v.finish()?;
    let p = active_procedure(conn, commune_id, body.procedure_id)?;
    Ok(rfc(to_utc(appointment(conn, commune_id, &p, received)?.0)))
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Receives a dossier: code from the unit's daily counter, appointment from the calendar.
/// Returns the stored row and its procedure.
pub fn intake(conn: &mut DbConnection, staff: &Caller, body: CreateDossier) -> AppResult<(DossierRow, ProcedureRow)> {
    let commune_id = staff.commune()?;
    let now = Utc::now().naive_utc();
    let mut v = Validator::new();
    if !(1..=3).contains(&body.channel) {
        v.add("channel", "invalid_value", "Kênh: 1 trực tiếp, 2 trực tuyến, 3 bưu chính.");
    }
    let a = &body.applicant;
    v.text("applicant.name", &a.name, 1, 120);
    v.text("applicant.address", &a.address, 1, 300);
    // An empty field is missing ("Vui lòng nhập…"), not in a wrong format.
    if a.phone.trim().is_empty() {
        v.add("applicant.phone", "required", "Vui lòng nhập số điện thoại.");
    }
    v.phone("applicant.phone", &a.phone);
    let id_number = a.id_number.trim();
    if id_number.is_empty() {
        v.add("applicant.id_number", "required", "Vui lòng nhập số định danh cá nhân.");
    } else if !(id_number.len() == 9 || id_number.len() == 12) || !id_number.bytes().all(|b| b.is_ascii_digit()) {
        v.add(
            "applicant.id_number",
            "invalid_format",
            "Số định danh cá nhân gồm 12 chữ số (chứng minh nhân dân cũ: 9 chữ số).",
        );
    }
    let received = received_local(&mut v, body.received_at, now);
    v.finish()?;
    // The procedure and the staff member's unit in one statement.
    let (procedure, unit) =
        match catalogue_repo::procedure_and_unit(conn, commune_id, body.procedure_id, staff.unit_id.unwrap_or(-1)) {
            Ok((p, name, code)) => (Ok(p), (name, code)),
            Err(e) => (Err(e), (None, None)),
        };
    let procedure = usable(procedure)?;
    let (unit_name, unit_code) = unit;
    let (appointed, apology_by) = appointment(conn, commune_id, &procedure, received)?;
    let (appointed, apology_by) = (to_utc(appointed), to_utc(apology_by));
    let unit_id = staff.unit_id.ok_or(AppError::Forbidden)?;
    let unit_name = Some(unit_name.ok_or(AppError::NotFound)?);
    let unit_code = unit_code.unwrap_or_else(|| "HS".into());
    let name = a.name.trim().to_string();
    let day = received.date();
    let new = NewDossier {
        commune_id,
        unit_id,
        code: String::new(),
        values: DossierValues {
            applicant_search: fold_search(&name),
            applicant_name: name.clone(),
            applicant_phone: a.phone.trim().to_string(),
            phone_digits: digits(&a.phone),
            applicant_id_number: id_number.to_string(),
            applicant_address: a.address.trim().to_string(),
            paid_online: body.paid_online,
            digitised: body.digitised,
            from_data_store: body.from_data_store,
            apology_by: Some(apology_by),
            ..lifecycle::received_values(procedure.id, body.channel, to_utc(received), appointed)
        },
        created_by: Some(staff.id),
        created_at: now,
        updated_at: now,
        limit_amount: Some(procedure.limit_amount),
        limit_unit: Some(procedure.limit_unit.clone()),
        cutoff_minutes: Some(procedure.cutoff_minutes),
    };
    let event = NewEvent {
        dossier_id: 0,
        action: lifecycle::RECEIVE.into(),
        from_status: None,
        to_status: lifecycle::RECEIVED,
        at: to_utc(received),
        user_id: Some(staff.id),
        user_name: staff.full_name.clone(),
        unit_id: Some(unit_id),
        unit_name: unit_name.clone(),
        note: None,
        new_due_at: None,
    };
    let stored = repo::insert_numbered_dossier(conn, &new, &event, &unit_code, day, |conn, row| {
        // No personal data in the audit summary.
        audit::repo::record_entity(
            conn,
            &staff.actor(),
            commune_id,
            "create",
            "dossier",
            row.id,
            json!({ "code": row.code, "procedure_id": procedure.id, "channel": row.values.channel,
                    "received_at": row.values.received_at, "due_at": row.values.due_at }),
        )?;
        crate::webhooks::service::enqueue(conn, commune_id, "dossier.received", event_data(row, &procedure.code))
            .map(|_| ())
    });
    match stored {
        Ok(row) => Ok((row, procedure)),
        Err(repo::NumberingError::Exhausted) => Err(AppError::rule(
            "daily_sequence_exhausted",
            format!(
                "Bộ phận “{}” đã dùng hết 9.999 số hồ sơ của ngày {} (mã hồ sơ có 4 chữ số cho mỗi ngày): \
                 tiếp nhận tiếp bằng một bộ phận khác có mã riêng, hoặc vào ngày làm việc sau.",
                unit_code,
                day.format("%d/%m/%Y")
            ),
        )),
        Err(repo::NumberingError::Failed(e)) => Err(e.into()),
    }
}

/// What a signed event tells of a dossier: never the applicant.
fn event_data(d: &DossierRow, procedure_code: &str) -> serde_json::Value {
    json!({
        "code": d.code,
        "procedure_code": procedure_code,
        "channel": d.values.channel,
        "status": d.values.status,
        "status_name": lifecycle::status_name(d.values.status),
        "received_at": rfc(d.values.received_at),
        "due_at": rfc(d.values.due_at),
        "finished_at": d.values.finished_at.map(rfc),
        "returned_at": d.values.returned_at.map(rfc),
        "timeliness": d.values.timeliness,
    })
}

fn needs_note(a: Action) -> bool {
    matches!(a, Action::RequestSupplement | Action::Refuse | Action::Stop | Action::ApologizeAndExtend)
}

/// Applies one lifecycle action. Illegal transitions and refused rules are `AppError::Rule`.
pub fn act(conn: &mut DbConnection, staff: &Caller, id: i64, body: ActionBody) -> AppResult<DossierRow> {
    let commune_id = staff.commune()?;
    let now = Utc::now().naive_utc();
    let mut v = Validator::new();
    let note = body.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);
    if let Some(n) = &note {
        v.text("note", n, 0, 2000);
    }
    if needs_note(body.action) && note.is_none() {
        v.add("note", "required", "Cần ghi nội dung (lý do, giấy tờ cần bổ sung…).");
    }
    let new_due = body.new_due_at.map(|d| d.naive_utc());
    if body.action == Action::ApologizeAndExtend {
        match new_due {
            None => v.add("new_due_at", "required", "Cần hẹn ngày trả kết quả mới."),
            Some(d) if d <= now => v.add("new_due_at", "invalid_value", "Ngày hẹn mới phải sau thời điểm hiện tại."),
            Some(d) if d > now + Duration::days(365) => v.add("new_due_at", "invalid_value", "Ngày hẹn mới quá xa."),
            Some(d) => {
                // The citizen is given a time the desk is open: a working day, in its hours.
                let local = to_local(d);
                let c = cal::load_from(conn, Some(commune_id), local)?;
                if !c.is_working_time(local) {
                    let next = c
                        .next_working_moment(local)
                        .map_or(String::new(), |n| format!(" Gần nhất: {}.", n.format("%H:%M ngày %d/%m/%Y")));
                    v.add(
                        "new_due_at",
                        "not_working_time",
                        &format!("Ngày hẹn mới phải trong giờ làm việc của một ngày làm việc.{next}"),
                    );
                }
            }
        }
    } else if new_due.is_some() {
        v.add("new_due_at", "invalid_value", "Chỉ dùng khi xin lỗi và gia hạn.");
    }
    v.finish()?;
    let (unit_id, unit_name, _) = staff_unit(conn, staff)?;
    write_tx(conn, |conn| {
        let (d, _) = repo::get_dossier(conn, commune_id, id)?;
        if d.source == "import" {
            // Its history lives in the province's system; a local event would be replayed
            // without the pauses and supplement requests that system recorded.
            return Err(AppError::rule(
                "imported_dossier",
                "Hồ sơ nhập từ hệ thống một cửa của tỉnh: cập nhật bằng cách nhập lại tệp, không xử lý tại đây.",
            ));
        }
        let Some(to) = lifecycle::transition(d.values.status, body.action) else {
            return Err(AppError::rule(
                "invalid_transition",
                format!(
                    "Không thể “{}” khi hồ sơ đang ở trạng thái “{}”.",
                    body.action.label_vi(),
                    lifecycle::status_name(d.values.status)
                ),
            ));
        };
        // A late dossier is never blocked from being resolved; lateness without a timely
        // apology is recorded as a breach instead (see `lifecycle::replay`).
        if body.action == Action::ApologizeAndExtend && d.apology_timely.is_some() {
            return Err(AppError::rule(
                "extension_used",
                "Hồ sơ đã được xin lỗi và gia hạn một lần; pháp luật chỉ cho hẹn lại một lần.",
            ));
        }
        if body.action == Action::ApologizeAndExtend && new_due.is_some_and(|nd| nd <= d.values.due_at) {
            return Err(AppError::rule("invalid_new_due", "Ngày hẹn mới phải sau ngày hẹn hiện tại."));
        }
        repo::insert_event(
            conn,
            &NewEvent {
                dossier_id: d.id,
                action: body.action.as_str().into(),
                from_status: Some(d.values.status),
                to_status: to,
                at: now,
                user_id: Some(staff.id),
                user_name: staff.full_name.clone(),
                unit_id: Some(unit_id),
                unit_name: unit_name.clone(),
                note: note.clone(),
                new_due_at: new_due,
            },
        )?;
        let row = recompute(conn, &d, now)?;
        audit::repo::record_entity(
            conn,
            &staff.actor(),
            commune_id,
            body.action.as_str(),
            "dossier",
            d.id,
            // The deadline as a change when the action moved it (an apology's new appointment).
            // The note is not copied here: the log is read by roles that see dossiers masked.
            match row.values.due_at != d.values.due_at {
                true => {
                    json!({ "code": d.code, "from": d.values.status, "to": to, "due_at": [d.values.due_at, row.values.due_at] })
                }
                false => json!({ "code": d.code, "from": d.values.status, "to": to, "due_at": row.values.due_at }),
            },
        )?;
        // Signed events (no personal data): a new status, and the first end of processing.
        let changed = to != d.values.status;
        let finished = d.values.finished_at.is_none() && row.values.finished_at.is_some();
        if changed || finished {
            let code = catalogue_repo::get_procedure(conn, commune_id, d.values.procedure_id)?.code;
            let hooks = [
                (changed, "dossier.status_changed"),
                (finished, "dossier.finished"),
                (changed && to == 9, crate::webhooks::model::DOSSIER_RESOLVED),
                (changed && to == 10, crate::webhooks::model::DOSSIER_RETURNED),
            ];
            for (_, event) in hooks.into_iter().filter(|(on, _)| *on) {
                crate::webhooks::service::enqueue(conn, commune_id, event, event_data(&row, &code))?;
            }
        }
        Ok(row)
    })
}

/// Recomputes the derived columns of a dossier from its events. The legal due time follows the
/// calendar as it stands (a day off decided after intake moves it); the printed appointment
/// (`appointed_at`) stays as printed. Imported and generated dossiers keep their appointment.
pub fn recompute(conn: &mut DbConnection, d: &DossierRow, now: NaiveDateTime) -> AppResult<DossierRow> {
    let events = repo::events(conn, d.id)?;
    let received = to_local(d.values.received_at);
    let legal = match (d.limit_amount, d.limit_unit.as_deref(), d.cutoff_minutes) {
        (Some(amount), Some(unit), Some(cutoff)) => {
            to_utc(legal_due(conn, d.commune_id, received, amount, unit, cutoff)?.0)
        }
        _ => d.values.appointed_at,
    };
    let c = cal::load_from(conn, Some(d.commune_id), received)?;
    let steps: Vec<Step<'_>> = events
        .iter()
        .filter(|e| e.action != lifecycle::RECEIVE)
        .map(|e| Step { action: &e.action, to_status: e.to_status, at: e.at, new_due_at: e.new_due_at })
        .collect();
    let derived = lifecycle::replay(&c, d.values.received_at, legal, &steps, now);
    Ok(repo::update_derived(conn, d.id, &derived)?)
}

/// How far back a calendar change can reach: the longest legal limit is well under a year.
const RECOMPUTE_REACH_DAYS: i64 = 400;

/// After the calendar of some communes (`None`: every commune) changed on `day`: recomputes
/// the open dossiers received in the window the change can reach, so their legal due times
/// follow it. Returns how many were recomputed.
pub fn recompute_open_after_calendar_change(
    conn: &mut DbConnection,
    communes: Option<&[i64]>,
    day: NaiveDate,
) -> AppResult<usize> {
    let now = Utc::now().naive_utc();
    let ids = repo::open_local_dossiers_received_between(
        conn,
        communes,
        local_midnight_utc(day - Duration::days(RECOMPUTE_REACH_DAYS)),
        local_midnight_utc(day + Duration::days(1)),
    )?;
    for id in &ids {
        let d = repo::dossier_row(conn, *id)?;
        recompute(conn, &d, now)?;
    }
    Ok(ids.len())
}

/// Sets the flags of a dossier.
pub fn update_flags(conn: &mut DbConnection, staff: &Caller, id: i64, body: UpdateFlags) -> AppResult<()> {
    let commune_id = staff.commune()?;
    write_tx(conn, |conn| {
        let (d, _) = repo::get_dossier(conn, commune_id, id)?;
        let flags = (
            body.paid_online.unwrap_or(d.values.paid_online),
            body.digitised.unwrap_or(d.values.digitised),
            body.electronic_result.unwrap_or(d.values.electronic_result),
            body.from_data_store.unwrap_or(d.values.from_data_store),
        );
        if flags == (d.values.paid_online, d.values.digitised, d.values.electronic_result, d.values.from_data_store) {
            return Ok(());
        }
        repo::update_flags(conn, id, flags, Utc::now().naive_utc())?;
        audit::repo::record_entity(
            conn,
            &staff.actor(),
            commune_id,
            "update",
            "dossier",
            id,
            json!({ "code": d.code, "paid_online": flags.0, "digitised": flags.1,
                    "electronic_result": flags.2, "from_data_store": flags.3 }),
        )?;
        Ok(())
    })
}

/// A stored dossier as the API shows it.
pub fn dossier_api(d: DossierRow, p: &ProcedureRow, personal: bool, now: NaiveDateTime) -> Dossier {
    let timeliness = lifecycle::timeliness_of(&d.values, now);
    let applicant = if personal {
        Applicant {
            name: d.values.applicant_name,
            phone: d.values.applicant_phone,
            id_number: d.values.applicant_id_number,
            address: d.values.applicant_address,
        }
    } else {
        Applicant {
            name: lifecycle::mask_name(&d.values.applicant_name),
            phone: lifecycle::mask_tail(&d.values.phone_digits, 3),
            id_number: lifecycle::mask_tail(&d.values.applicant_id_number, 3),
            address: "***".into(),
        }
    };
    Dossier {
        id: d.id,
        code: d.code,
        source: d.source,
        procedure_id: p.id,
        procedure_code: p.code.clone(),
        procedure_name: p.name.clone(),
        channel: d.values.channel,
        status: d.values.status,
        status_name: lifecycle::status_name(d.values.status).into(),
        applicant,
        personal_data_masked: !personal,
        received_at: rfc(d.values.received_at),
        appointed_at: rfc(d.values.appointed_at),
        due_at: rfc(d.values.due_at),
        deadline_at: rfc(d.values.deadline_at),
        paused_since: d.values.paused_since.map(rfc),
        finished_at: d.values.finished_at.map(rfc),
        returned_at: d.values.returned_at.map(rfc),
        timeliness,
        supplement_requests: d.values.supplement_requests,
        flags: DossierFlags {
            paid_online: d.values.paid_online,
            digitised: d.values.digitised,
            electronic_result: d.values.electronic_result,
            from_data_store: d.values.from_data_store,
            needs_apology: lifecycle::apology_due(
                d.values.status,
                d.values.paused_since.is_some(),
                d.apology_timely,
                d.values.apology_by,
                now,
            ),
            late_without_apology: lifecycle::late_without_apology(timeliness, d.apology_timely),
            paused: d.values.paused_since.is_some(),
            extended: d.values.extended,
        },
        apology_by: d.values.apology_by.map(rfc),
        unit_id: d.unit_id,
    }
}

/// An event as the API shows it. The note is free text that may hold personal data: hidden
/// unless the caller may read personal data.
fn event_api(e: EventRow, personal: bool) -> DossierEvent {
    let note_hidden = !personal && e.note.is_some();
    DossierEvent {
        id: e.id,
        action: e.action,
        from_status: e.from_status,
        to_status: e.to_status,
        at: rfc(e.at),
        user_id: e.user_id,
        user_name: e.user_name,
        unit_id: e.unit_id,
        unit_name: e.unit_name,
        note: if personal { e.note } else { None },
        note_hidden,
        new_due_at: e.new_due_at.map(rfc),
    }
}

/// UTC instant of local midnight starting `d`.
fn local_midnight_utc(d: NaiveDate) -> NaiveDateTime {
    to_utc(d.and_time(chrono::NaiveTime::MIN))
}

/// Dossiers of the commune with the filters and views.
pub fn list_dossiers(
    conn: &mut DbConnection,
    commune_id: i64,
    personal: bool,
    f: &DossierFilter,
    paging: Paging,
) -> AppResult<(Vec<Dossier>, i64)> {
    let now = Utc::now().naive_utc();
    let local_now = to_local(now);
    let mut v = Validator::new();
    if let (Some(a), Some(b)) = (f.received_from, f.received_to)
        && b < a
    {
        v.add("received_to", "invalid_value", "Ngày kết thúc trước ngày bắt đầu.");
    }
    if let (Some(a), Some(b)) = (f.finished_from, f.finished_to)
        && b < a
    {
        v.add("finished_to", "invalid_value", "Ngày kết thúc trước ngày bắt đầu.");
    }
    if f.status.is_some_and(|s| !(1..=10).contains(&s)) {
        v.add("status", "invalid_value", "Trạng thái từ 1 đến 10.");
    }
    if f.channel.is_some_and(|c| !(1..=3).contains(&c)) {
        v.add("channel", "invalid_value", "Kênh từ 1 đến 3.");
    }
    v.finish()?;
    let due_soon_until = if f.view == Some(DossierView::DueSoon) {
        // Due by the close of the next working day.
        let c = cal::load_from(conn, Some(commune_id), local_now)?;
        let next = c.next_working_moment(local_now).unwrap_or(local_now);
        let until = c.add_working_days(next.date().and_time(chrono::NaiveTime::MIN), 2);
        to_utc(until.unwrap_or(local_now + Duration::days(2)))
    } else {
        now
    };
    let scope = repo::ListScope {
        commune_id,
        now,
        personal,
        received_from: f.received_from.map(local_midnight_utc),
        received_to: f.received_to.and_then(|d| d.succ_opt()).map(local_midnight_utc),
        finished_from: f.finished_from.map(local_midnight_utc),
        finished_to: f.finished_to.and_then(|d| d.succ_opt()).map(local_midnight_utc),
        open_at: f.open_at.and_then(|d| d.succ_opt()).map(local_midnight_utc).map(|t| t.min(now)),
        due_soon_until,
        today_from: local_midnight_utc(local_now.date()),
    };
    let (rows, total) = repo::list_dossiers(conn, &scope, f, paging)?;
    Ok((rows.into_iter().map(|(d, p)| dossier_api(d, &p, personal, now)).collect(), total))
}

/// One dossier with its events and allowed actions.
pub fn get_dossier(conn: &mut DbConnection, commune_id: i64, id: i64, personal: bool) -> AppResult<DossierDetail> {
    let now = Utc::now().naive_utc();
    let (d, p) = repo::get_dossier(conn, commune_id, id)?;
    let events = repo::events(conn, d.id)?.into_iter().map(|e| event_api(e, personal)).collect();
    // Imported dossiers are updated by re-importing (see `act`).
    let allowed = if d.source == "import" { Vec::new() } else { lifecycle::allowed(d.values.status) };
    let survey = crate::surveys::service::dossier_link(conn, d.id)?;
    Ok(DossierDetail { dossier: dossier_api(d, &p, personal, now), events, allowed_actions: allowed, survey })
}

/// The header of a printed form: the issuing body and its one-stop unit from the commune's
/// data, in the words of the form set `set`; place and date of `at`.
pub fn header(commune: &crate::org::repo::CommuneIdentity, set: &forms::FormSet, at: NaiveDateTime) -> FormHeader {
    let local = to_local(at);
    FormHeader {
        issuer: forms::issuer(&commune.name, &commune.kind),
        issuer_unit: forms::issuer_unit(commune.onestop_unit_name.as_deref(), set),
        motto_line1: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(),
        motto_line2: "Độc lập - Tự do - Hạnh phúc".into(),
        place_date: format!("{}, {}", commune.name, crate::time::date_words(local.date())),
    }
}

/// Data of a printable form of one dossier, `form` by its Thông tư 03/2025 number, printed
/// with the form set in force on the dossier's receipt date.
pub fn form(conn: &mut DbConnection, commune_id: i64, id: i64, form: &str) -> AppResult<FormData> {
    let now = Utc::now().naive_utc();
    let kind = match forms::FormKind::from_current_number(form) {
        Some(k) if k != forms::FormKind::Register => k,
        _ => return Err(AppError::NotFound),
    };
    let (d, p) = repo::get_dossier(conn, commune_id, id)?;
    let set = forms::set_on(to_local(d.values.received_at).date());
    let Some((number, title)) = set.form(kind) else {
        return Err(AppError::rule(
            "form_not_applicable",
            format!("Hồ sơ tiếp nhận trước 01/07/2025 in theo {}, bộ mẫu này không có mẫu phiếu đó.", set.basis),
        ));
    };
    let events = repo::events(conn, d.id)?;
    let event = match kind.event() {
        Some(a) => match events.iter().rev().find(|e| e.action == a) {
            Some(e) => Some(e.clone()),
            None => {
                return Err(AppError::rule(
                    "form_not_applicable",
                    "Hồ sơ chưa có sự kiện tương ứng với mẫu phiếu này.",
                ));
            }
        },
        None => None,
    };
    let commune = crate::org::repo::commune_identity(conn, commune_id)?;
    let procedure = catalogue::procedures_api(conn, vec![p.clone()])?.pop().ok_or(AppError::NotFound)?;
    let lookup_path = format!("/tra-cuu/{}", d.code);
    // Form 01 carries the QR "Quét để đánh giá" of the dossier's survey.
    let survey_path = match kind {
        forms::FormKind::Receipt => {
            Some(crate::surveys::service::dossier_link(conn, d.id)?.url).filter(|u| !u.is_empty())
        }
        _ => None,
    };
    let staff_name = event.as_ref().map(|e| e.user_name.clone()).unwrap_or_default();
    Ok(FormData {
        form: form.into(),
        form_number: number.into(),
        form_set: set.basis.into(),
        title: title.into(),
        header: header(&commune, &set, event.as_ref().map_or(now, |e| e.at)),
        commune_name: commune.name,
        dossier: dossier_api(d, &p, true, now),
        procedure,
        staff_name,
        note: event.as_ref().and_then(|e| e.note.clone()),
        new_due_at: event.as_ref().and_then(|e| e.new_due_at).map(rfc),
        lookup_path,
        survey_path,
        events: if kind == forms::FormKind::Control {
            events.into_iter().map(|e| event_api(e, true)).collect()
        } else {
            Vec::new()
        },
    })
}

/// Form 07: the register of dossiers received in `[from, to]` (local dates).
pub fn register(conn: &mut DbConnection, commune_id: i64, from: NaiveDate, to: NaiveDate) -> AppResult<RegisterData> {
    let mut v = Validator::new();
    if to < from {
        v.add("to", "invalid_value", "Ngày kết thúc trước ngày bắt đầu.");
    } else if (to - from).num_days() > 366 {
        v.add("to", "invalid_value", "Tối đa một năm mỗi sổ.");
    }
    v.finish()?;
    let now = Utc::now().naive_utc();
    let end = to.succ_opt().ok_or_else(|| AppError::field("to", "invalid_value", "Ngày không hợp lệ."))?;
    let rows = repo::received_between(conn, commune_id, local_midnight_utc(from), local_midnight_utc(end), 5000)?;
    let commune = crate::org::repo::commune_identity(conn, commune_id)?;
    let set = forms::set_on(to);
    let (number, title) = set.form(forms::FormKind::Register).unwrap_or(("07", "SỔ THEO DÕI HỒ SƠ"));
    Ok(RegisterData {
        form: number.into(),
        form_set: set.basis.into(),
        title: title.into(),
        header: header(&commune, &set, now),
        from,
        to,
        rows: rows
            .into_iter()
            .enumerate()
            .map(|(i, (d, p))| {
                let api = dossier_api(d, &p, true, now);
                RegisterRow {
                    no: i + 1,
                    code: api.code,
                    procedure_name: api.procedure_name,
                    applicant_name: api.applicant.name,
                    applicant_address: api.applicant.address,
                    channel: api.channel,
                    received_at: api.received_at,
                    due_at: api.due_at,
                    finished_at: api.finished_at,
                    returned_at: api.returned_at,
                    status: api.status,
                    status_name: api.status_name,
                    timeliness: api.timeliness,
                }
            })
            .collect(),
    })
}

/// Lookups allowed per address per window.
pub const LOOKUP_LIMIT: i64 = 20;
pub const LOOKUP_WINDOW_MINUTES: i64 = 10;

/// Counts one public request of a client (a lookup or a citizen's submission) against the
/// per-address limit: `LOOKUP_LIMIT` in `LOOKUP_WINDOW_MINUTES`, else 429.
pub fn count_public_request(conn: &mut DbConnection, ip: &str) -> AppResult<()> {
    let now = Utc::now().naive_utc();
    write_tx(conn, |conn| {
        let since = now - Duration::minutes(LOOKUP_WINDOW_MINUTES);
        if repo::count_lookups(conn, ip, since)? >= LOOKUP_LIMIT {
            return Err(AppError::RateLimited { retry_after_secs: (LOOKUP_WINDOW_MINUTES * 60) as u64 });
        }
        repo::record_lookup(conn, ip, now, now - Duration::days(1))?;
        Ok(())
    })
}

/// The public lookup: code and the last four digits of the applicant's phone. Unknown codes
/// and wrong digits are the same `NotFound`. Throttled per address in the database.
pub fn public_lookup(conn: &mut DbConnection, ip: &str, code: &str, last4: Option<&str>) -> AppResult<PublicDossier> {
    count_public_request(conn, ip)?;
    let last4 = last4.map(str::trim).filter(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()));
    let code = code.trim().to_uppercase();
    let (Some(last4), true) = (last4, code.len() <= 40) else {
        return Err(AppError::NotFound);
    };
    let found = repo::find_by_code(conn, &code)?.into_iter().find(|(d, _)| d.values.phone_digits.ends_with(last4));
    match found {
        Some((d, procedure_name)) => {
            let supplement_note = if d.values.status == lifecycle::SUPPLEMENT {
                repo::events(conn, d.id)?
                    .into_iter()
                    .rev()
                    .find(|e| e.action == Action::RequestSupplement.as_str())
                    .and_then(|e| e.note)
            } else {
                None
            };
            // A dossier refused, withdrawn or stopped has no appointment left: when it ended.
            let ended_at = if matches!(d.values.status, lifecycle::REFUSED | lifecycle::WITHDRAWN | lifecycle::STOPPED)
            {
                repo::events(conn, d.id)?.last().map(|e| rfc(e.at))
            } else {
                None
            };
            let commune = crate::org::repo::commune_with_authority(conn, d.commune_id)?;
            // Named as the dossier's printed forms name it: the commune's own name for its desk,
            // else the one the form set of the receipt gives it, then the commune's committee.
            let set = forms::set_on(to_local(d.values.received_at).date());
            let desk = format!(
                "{} – Ủy ban nhân dân {} {}",
                forms::desk_words(commune.onestop_unit_name.as_deref(), &set),
                forms::kind_word(commune.kind.as_str()).to_lowercase(),
                commune.name
            );
            Ok(PublicDossier {
                code: d.code,
                procedure_name,
                status: d.values.status,
                status_name: lifecycle::status_name(d.values.status).into(),
                received_at: rfc(d.values.received_at),
                due_at: rfc(d.values.due_at),
                returned_at: d.values.returned_at.map(rfc),
                ended_at,
                paused: d.values.paused_since.is_some(),
                supplement_note,
                desk,
            })
        }
        _ => Err(AppError::NotFound),
    }
}
