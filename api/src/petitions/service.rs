//! Petition rules: receipt, the lifecycle with its clocks, the sealed identity, lists, the
//! public side and the figures.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Utc};
use serde_json::json;

use super::clocks::{self, ClockState, Extension, Facts, Pause, Rule};
use super::identity::IdentityKey;
use super::lifecycle::{self, PetitionAction};
use super::model::*;
use super::repo;
use crate::audit::{self};
use crate::auth::Caller;
use crate::calendar::engine::{Unit, WorkCalendar};
use crate::db::{DbConnection, fold_search, write_tx};
use crate::error::{AppError, AppResult, Validator};
use crate::http::Paging;
use crate::time::{rfc, to_local, to_utc};

/// A petition is "due soon" within this many days.
pub const DUE_SOON_DAYS: i64 = 3;
/// Shown instead of a denouncer's name wherever a petitioner is printed or listed.
pub const SEALED_NAME: &str = "(được giữ bí mật)";

/// The clock rules from the database, as the clock functions take them. A stored row with an
/// unknown unit is left out, never guessed.
pub fn rules(conn: &mut DbConnection) -> AppResult<Vec<Rule>> {
    Ok(repo::clock_rules(conn)?
        .into_iter()
        .filter_map(|(kind, clock, amount, unit, effective_from, source)| {
            let unit = match unit.as_str() {
                "calendar_days" => Unit::CalendarDays,
                "working_days" => Unit::WorkingDays,
                _ => return None,
            };
            Some(Rule { kind, clock, amount: u32::try_from(amount).ok()?, unit, effective_from, source })
        })
        .collect())
}

fn unit_name(u: Unit) -> &'static str {
    if u == Unit::CalendarDays { "calendar_days" } else { "working_days" }
}

fn clock_label(name: &str) -> &'static str {
    match name {
        "accept" => "Thời hạn thụ lý",
        "settle" => "Thời hạn giải quyết",
        "refuse" => "Thời hạn từ chối tiếp nhận",
        "ask_info" => "Thời hạn đề nghị bổ sung thông tin",
        "handle" => "Thời hạn xử lý",
        "publish" => "Thời hạn công khai trả lời",
        _ => "Thời hạn",
    }
}

pub(super) fn calendar(
    conn: &mut DbConnection,
    commune_id: i64,
    received: NaiveDateTime,
) -> AppResult<std::sync::Arc<WorkCalendar>> {
    crate::calendar::service::load_from(conn, Some(commune_id), to_local(received))
}

/// The facts the clocks need, from the row and its events (local times).
fn facts_of<'a>(
    row: &'a PetitionRow,
    events: &[EventRow],
    remote: bool,
    now: NaiveDateTime,
    pauses: &'a mut Vec<Pause>,
    extensions: &'a mut Vec<Extension>,
) -> Facts<'a> {
    let mut f = Facts {
        kind: &row.kind,
        received: to_local(row.received_at),
        decided: None,
        accepted: None,
        refused: false,
        complexity: u8::try_from(row.complexity.clamp(0, 2)).unwrap_or(0),
        remote,
        extensions: &[],
        pauses: &[],
        info_asked: None,
        concluded: None,
        published: None,
        stopped: None,
        now: to_local(now),
    };
    for e in events {
        let at = to_local(e.at);
        match PetitionAction::parse(&e.action) {
            Some(PetitionAction::Accept) => {
                // Accepted on the day recorded (entered afterwards, it is earlier than the event).
                let on = row.accepted_at.map(to_local).filter(|a| *a <= at).unwrap_or(at);
                f.decided.get_or_insert(on);
                f.accepted.get_or_insert(on);
            }
            Some(PetitionAction::Refuse) => {
                f.decided.get_or_insert(at);
                f.refused = true;
                f.stopped.get_or_insert(at);
            }
            Some(PetitionAction::Forward) => {
                f.decided.get_or_insert(at);
                f.stopped.get_or_insert(at);
            }
            Some(PetitionAction::Withdraw) => {
                f.stopped.get_or_insert(at);
            }
            Some(PetitionAction::RequestInfo) => {
                f.info_asked.get_or_insert(at);
                pauses.push(Pause { from: at, to: None });
            }
            Some(PetitionAction::ReceiveInfo) => {
                if let Some(p) = pauses.iter_mut().rev().find(|p| p.to.is_none()) {
                    p.to = Some(at);
                }
            }
            Some(PetitionAction::Extend) => extensions.push(Extension {
                decision_date: e.decision_date.unwrap_or(at.date()),
                days: u32::try_from(e.days.unwrap_or(0).max(0)).unwrap_or(0),
            }),
            Some(PetitionAction::Conclude) => {
                f.concluded.get_or_insert(at);
            }
            Some(PetitionAction::Publish | PetitionAction::Notify) => {
                f.published.get_or_insert(at);
            }
            _ => {}
        }
    }
    // A withdrawal while paused ends the pause.
    if let Some(s) = f.stopped {
        for p in pauses.iter_mut().filter(|p| p.to.is_none()) {
            p.to = Some(s);
        }
    }
    f.pauses = pauses.as_slice();
    f.extensions = extensions.as_slice();
    f
}

/// The clocks of a petition now.
pub fn clocks_of(
    cal: &WorkCalendar,
    rules: &[Rule],
    row: &PetitionRow,
    events: &[EventRow],
    remote: bool,
    now: NaiveDateTime,
) -> Vec<clocks::Clock> {
    let (mut pauses, mut extensions) = (Vec::new(), Vec::new());
    let f = facts_of(row, events, remote, now, &mut pauses, &mut extensions);
    clocks::clocks(cal, rules, &f)
}

/// What the row keeps of the clocks (for the lists): the running clock's due time, and
/// whether the main clock (settle / handle) ended in time.
fn derived(cs: &[clocks::Clock]) -> (Option<NaiveDateTime>, Option<String>, Option<bool>) {
    let running = clocks::running(cs);
    let main = cs.iter().find(|c| matches!(c.name, "settle" | "handle"));
    let on_time = main.and_then(|c| match c.state {
        ClockState::Met => Some(true),
        ClockState::Missed => Some(false),
        _ => None,
    });
    (running.map(|c| to_utc(c.due)), running.map(|c| c.name.to_string()), on_time)
}

fn digits(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

fn new_code(conn: &mut DbConnection, commune_id: i64, day: NaiveDate) -> AppResult<String> {
    let prefix = format!("DT-{:02}{:02}{:02}-", day.year() % 100, day.month(), day.day());
    let mut n = repo::count_codes(conn, commune_id, &prefix)? + 1;
    loop {
        let code = format!("{prefix}{n:04}");
        if !repo::code_taken(conn, commune_id, &code)? {
            return Ok(code);
        }
        n += 1;
    }
}

fn check_kind_channel(v: &mut Validator, kind: &str, channel: &str) {
    if !KINDS.contains(&kind) {
        v.add("kind", "invalid_value", "Loại đơn: recommendation, feedback, complaint, denunciation hoặc other.");
    }
    if !CHANNELS.contains(&channel) {
        v.add("channel", "invalid_value", "Nguồn đơn không hợp lệ.");
    }
}

fn check_identity(v: &mut Validator, id: &Identity) {
    // Messages never repeat what was typed.
    v.text("identity.name", &id.name, 2, 200);
    for (field, value, max) in [
        ("identity.address", &id.address, 500),
        ("identity.phone", &id.phone, 30),
        ("identity.id_number", &id.id_number, 30),
    ] {
        if let Some(s) = value {
            v.text(field, s, 0, max);
        }
    }
    if id.attachments.len() > 5 {
        v.add("identity.attachments", "too_many", "Tối đa 5 tệp.");
    }
    if let Some(p) = id.phone.as_deref() {
        v.phone("identity.phone", p);
    }
    for a in &id.attachments {
        v.text("identity.attachments.file_name", &a.file_name, 1, 200);
        if base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &a.content_base64).is_err() {
            v.add("identity.attachments.content_base64", "invalid_format", "Tệp không đúng định dạng base64.");
        }
    }
}

/// Who receives a petition, and how (a village head on a villager's behalf).
pub struct Intake<'a> {
    pub caller: Option<&'a Caller>,
    pub commune_id: i64,
    /// The receiver's name for the first event.
    pub actor_name: String,
}

/// Receives a petition: numbered `DT-yymmdd-nnnn`, the first event, the identity sealed apart,
/// audited (never with the identity).
pub fn create(
    conn: &mut DbConnection,
    intake: &Intake<'_>,
    key: &IdentityKey,
    body: CreatePetition,
) -> AppResult<PetitionRow> {
    write_tx(conn, |c| create_in(c, intake, key, body))
}

/// [`create`] inside the caller's write transaction (a reception visit opening a petition).
pub fn create_in(
    conn: &mut DbConnection,
    intake: &Intake<'_>,
    key: &IdentityKey,
    body: CreatePetition,
) -> AppResult<PetitionRow> {
    let now = Utc::now().naive_utc();
    let mut v = Validator::new();
    check_kind_channel(&mut v, &body.kind, &body.channel);
    v.text("subject", &body.subject, 3, 300);
    v.text("content", &body.content, 3, 10_000);
    let denunciation = body.kind == "denunciation";
    match (&body.identity, denunciation) {
        (Some(id), true) => check_identity(&mut v, id),
        (None, true) => v.add("identity", "required", "Đơn tố cáo phải có thông tin người tố cáo (được giữ bí mật)."),
        (Some(_), false) => v.add("identity", "not_allowed", "Chỉ đơn tố cáo mới có thông tin được giữ bí mật."),
        (None, false) => {}
    }
    if denunciation && body.petitioner_name.is_some() {
        v.add("petitioner_name", "not_allowed", "Tên người tố cáo ghi trong phần thông tin được giữ bí mật.");
    }
    if let Some(n) = &body.petitioner_name {
        v.text("petitioner_name", n, 2, 200);
    }
    if let Some(p) = body.phone.as_deref() {
        v.phone("phone", p);
    }
    let received_at = body.received_at.map(|t| t.naive_utc()).unwrap_or(now);
    if received_at > now + Duration::minutes(5) {
        v.add("received_at", "invalid_value", "Ngày nhận không được ở tương lai.");
    }
    if received_at < now - Duration::days(400) {
        v.add("received_at", "invalid_value", "Ngày nhận quá xa trong quá khứ.");
    }
    v.finish()?;
    let caller = intake.caller;
    let village = caller.filter(|c| c.role == crate::org::model::Role::Village);
    let (channel, village_unit_id) = match village {
        // A village head files on a villager's behalf, for their own village only.
        Some(c) => ("village".to_string(), c.unit_id),
        None => (body.channel.clone(), body.village_unit_id),
    };
    if let Some(u) = village_unit_id {
        crate::org::repo::get_unit(conn, intake.commune_id, u)
            .map_err(|_| AppError::field("village_unit_id", "not_found", "Không có thôn này trong xã."))?;
    }
    if let Some(d) = body.dossier_id {
        crate::onestop::dossiers::repo::get_dossier(conn, intake.commune_id, d)
            .map_err(|_| AppError::field("dossier_id", "not_found", "Không có hồ sơ này trong xã."))?;
    }
    if let Some(r) = body.repeat_of {
        repo::get(conn, intake.commune_id, r)
            .map_err(|_| AppError::field("repeat_of", "not_found", "Không có đơn này trong xã."))?;
    }
    // A denouncer's phone is part of the sealed identity; the lookup digits stay empty.
    let phone_digits = if denunciation { String::new() } else { body.phone.as_deref().map(digits).unwrap_or_default() };
    let petitioner_name = if denunciation { None } else { body.petitioner_name.map(|s| s.trim().to_string()) };
    let plain_identity = match &body.identity {
        Some(id) => Some(serde_json::to_vec(id).map_err(|e| AppError::Internal(format!("identity encoding: {e}")))?),
        None => None,
    };
    let commune_id = intake.commune_id;
    let c = conn;
    {
        let code = new_code(c, commune_id, to_local(received_at).date())?;
        let search = fold_search(&format!("{code} {} {}", body.subject, body.content));
        let row = repo::insert_petition(
            c,
            &NewPetition {
                commune_id,
                code,
                kind: body.kind.clone(),
                channel: channel.clone(),
                status: lifecycle::RECEIVED.into(),
                subject: body.subject.trim().to_string(),
                content: body.content.trim().to_string(),
                search,
                petitioner_name: petitioner_name.clone(),
                phone_digits: phone_digits.clone(),
                village_unit_id,
                submitted_by: caller.map(|c| c.id),
                dossier_id: body.dossier_id,
                visit_id: None,
                received_at,
                repeat_of: body.repeat_of,
                created_at: now,
                updated_at: now,
            },
        )?;
        repo::insert_event(
            c,
            &NewEvent {
                petition_id: row.id,
                action: lifecycle::RECEIVE.into(),
                from_status: None,
                to_status: lifecycle::RECEIVED.into(),
                at: received_at,
                actor_id: caller.map(|c| c.id),
                actor_name: intake.actor_name.clone(),
                note: None,
                decision_date: None,
                days: None,
            },
        )?;
        if let Some(plain) = &plain_identity {
            let sealed =
                key.seal(row.id, plain).map_err(|_| AppError::Internal("identity could not be sealed".into()))?;
            repo::insert_identity(c, row.id, key.id(), &sealed, now)?;
        }
        let row = refresh(c, row, now)?;
        let actor = match caller {
            Some(c) => c.actor(),
            None => audit::Actor::system("public_petition"),
        };
        audit::repo::record_entity(
            c,
            &actor,
            commune_id,
            "create",
            "petition",
            row.id,
            json!({
                "code": row.code,
                "kind": row.kind,
                "channel": row.channel,
                "identity_sealed": plain_identity.is_some(),
            }),
        )?;
        if row.kind != "denunciation" {
            // Signed event, without the petitioner or the content.
            crate::webhooks::service::enqueue(
                c,
                commune_id,
                "petition.received",
                json!({ "code": row.code, "kind": row.kind, "channel": row.channel, "status": row.status,
                    "received_at": rfc(row.received_at), "due_at": row.due_at.map(rfc) }),
            )?;
        }
        Ok(row)
    }
}

/// Recomputes the clocks and stores what the lists need.
fn refresh(conn: &mut DbConnection, row: PetitionRow, now: NaiveDateTime) -> AppResult<PetitionRow> {
    let cal = calendar(conn, row.commune_id, row.received_at)?;
    let rules = rules(conn)?;
    let remote = repo::remote_area(conn, row.commune_id)?;
    let events = repo::events(conn, row.id)?;
    let cs = clocks_of(&cal, &rules, &row, &events, remote, now);
    let (due_at, due_clock, on_time) = derived(&cs);
    if (due_at, &due_clock, on_time) == (row.due_at, &row.due_clock, row.on_time) {
        return Ok(row);
    }
    Ok(repo::update(
        conn,
        row.id,
        &PetitionChanges {
            due_at: Some(due_at),
            due_clock: Some(due_clock),
            on_time: Some(on_time),
            updated_at: Some(now),
            ..Default::default()
        },
    )?)
}

fn required<'a>(v: &mut Validator, field: &str, value: &'a Option<String>, min: usize, max: usize) -> &'a str {
    match value {
        Some(s) => {
            v.text(field, s, min, max);
            s.trim()
        }
        None => {
            v.add(field, "required", "Trường này là bắt buộc.");
            ""
        }
    }
}

/// Applies a lifecycle action. Illegal transitions answer 409 `invalid_transition`.
pub fn act(conn: &mut DbConnection, caller: &Caller, id: i64, body: PetitionActionBody) -> AppResult<PetitionRow> {
    let commune_id = caller.commune_id.ok_or(AppError::NotFound)?;
    let now = Utc::now().naive_utc();
    write_tx(conn, |c| {
        let row = repo::get(c, commune_id, id)?;
        let paused = row.paused_since.is_some();
        let Some(to) = lifecycle::transition(&row.status, paused, &row.kind, body.action) else {
            return Err(AppError::rule(
                "invalid_transition",
                format!(
                    "Không thể «{}» khi đơn đang ở trạng thái «{}»{}.",
                    lifecycle::action_name(body.action),
                    lifecycle::status_name(&row.status),
                    if paused { " và đang chờ bổ sung thông tin" } else { "" }
                ),
            ));
        };
        let mut ch = PetitionChanges { status: Some(to.to_string()), updated_at: Some(now), ..Default::default() };
        let mut v = Validator::new();
        let mut note = body.note.clone();
        let (mut decision_date, mut days) = (None, None);
        // What the audit entry says beyond the move itself (the new handler, the extension…).
        let mut facts = serde_json::Map::new();
        match body.action {
            PetitionAction::Accept => {
                let cx = body.complexity.unwrap_or(0);
                if !(0..=2).contains(&cx) {
                    v.add("complexity", "invalid_value", "Mức độ phức tạp: 0, 1 hoặc 2.");
                }
                ch.complexity = Some(cx);
                // Accepted on paper before it is entered here: the day it was (its clocks count
                // from it), between the receipt and today; left out, now.
                let received_day = to_local(row.received_at).date();
                ch.accepted_at = Some(Some(match body.decision_date {
                    Some(date) if date < received_day => {
                        v.add("decision_date", "before_start", "Ngày thụ lý không được trước ngày nhận đơn.");
                        now
                    }
                    Some(date) if date > to_local(now).date() => {
                        v.add("decision_date", "in_future", "Ngày thụ lý không được sau hôm nay.");
                        now
                    }
                    Some(date) if date < to_local(now).date() => row
                        .received_at
                        .max(crate::time::to_utc(date.and_time(chrono::NaiveTime::MIN) + Duration::hours(8))),
                    _ => now,
                }));
                decision_date = body.decision_date;
                facts.insert("accepted_on".into(), json!(body.decision_date));
                facts.insert("complexity".into(), json!(cx));
            }
            PetitionAction::Refuse => {
                let reason = required(&mut v, "reason", &body.reason, 5, 2000);
                ch.refusal_reason = Some(Some(reason.to_string()));
                ch.paused_since = Some(None);
                note = Some(reason.to_string());
            }
            PetitionAction::Forward => {
                let to = required(&mut v, "to", &body.to, 3, 300);
                ch.forwarded_to = Some(Some(to.to_string()));
                note = Some(to.to_string());
                // An authority's name: said in the log (a refusal's reason and the answers are
                // the petition's content, read only by those who handle petitions).
                facts.insert("forwarded_to".into(), json!(to));
            }
            PetitionAction::Assign => {
                let handler = body
                    .handler_id
                    .ok_or_else(|| AppError::field("handler_id", "required", "Chọn người được giao xử lý."))?;
                let (name, role) = repo::commune_user(c, commune_id, handler)
                    .map_err(|_| AppError::field("handler_id", "not_found", "Không có cán bộ này trong xã."))?;
                if !matches!(role.as_str(), "board" | "ubnd") {
                    v.add("handler_id", "invalid_value", "Chỉ giao cho lãnh đạo hoặc cán bộ UBND xã.");
                }
                ch.handler_id = Some(Some(handler));
                ch.handler_name = Some(Some(name.clone()));
                // The handler may read a denouncer's identity: who it was, and who it is now.
                facts.insert("handler_id".into(), json!([row.handler_id, handler]));
                note = Some(name);
            }
            PetitionAction::RequestInfo => {
                required(&mut v, "note", &body.note, 3, 2000);
                ch.paused_since = Some(Some(now));
            }
            PetitionAction::ReceiveInfo => ch.paused_since = Some(None),
            PetitionAction::Extend => {
                let date = body.decision_date;
                let d = body.days.unwrap_or(0);
                let doc = required(&mut v, "document_ref", &body.document_ref, 2, 200);
                let day = to_local(row.accepted_at.unwrap_or(row.received_at)).date();
                match date {
                    None => v.add("decision_date", "required", "Ngày của quyết định gia hạn là bắt buộc."),
                    // The decision is taken on a case already accepted, and not in the future.
                    Some(date) if date < day => v.add(
                        "decision_date",
                        "before_start",
                        &format!("Ngày quyết định không được trước ngày thụ lý ({}).", day.format("%d/%m/%Y")),
                    ),
                    Some(date) if date > to_local(now).date() => {
                        v.add("decision_date", "in_future", "Ngày quyết định không được sau hôm nay.")
                    }
                    Some(_) => {}
                }
                if d < 1 {
                    v.add("days", "invalid_value", "Số ngày gia hạn từ 1 đến 30.");
                }
                v.finish()?;
                v = Validator::new();
                let all = rules(c)?;
                let get = |clock: &str| clocks::in_force(&all, "denunciation", clock, day).map(|r| r.amount);
                let (Some(base), Some(per), Some(max)) = (get("settle"), get("extension"), get("max_total")) else {
                    return Err(AppError::rule("no_rule", "Chưa có quy định về gia hạn giải quyết tố cáo."));
                };
                let existing: Vec<Extension> = repo::events(c, row.id)?
                    .iter()
                    .filter(|e| e.action == "extend")
                    .map(|e| Extension {
                        decision_date: e.decision_date.unwrap_or(day),
                        days: u32::try_from(e.days.unwrap_or(0)).unwrap_or(0),
                    })
                    .collect();
                let cx = u8::try_from(row.complexity.clamp(0, 2)).unwrap_or(0);
                let asked = u32::try_from(d).unwrap_or(0);
                if let Err(r) = clocks::check_extension(cx, &existing, asked, base, per, max) {
                    let (code, text) = match r {
                        clocks::ExtensionRefusal::NotComplex => {
                            ("extension_not_allowed", "Chỉ vụ việc phức tạp hoặc đặc biệt phức tạp mới được gia hạn.")
                        }
                        clocks::ExtensionRefusal::TooMany => (
                            "extension_limit",
                            "Vụ việc phức tạp gia hạn một lần, đặc biệt phức tạp hai lần (Luật Tố cáo 2018, Điều 30).",
                        ),
                        clocks::ExtensionRefusal::TooLong => {
                            ("extension_too_long", "Mỗi lần gia hạn không quá 30 ngày (Luật Tố cáo 2018, Điều 30).")
                        }
                        clocks::ExtensionRefusal::OverTotal => (
                            "extension_over_total",
                            "Tổng thời hạn giải quyết không quá 90 ngày (Luật Tố cáo 2018, Điều 30).",
                        ),
                    };
                    return Err(AppError::rule(code, text));
                }
                decision_date = date;
                days = Some(d);
                facts.insert("decision_date".into(), json!(date));
                facts.insert("days".into(), json!(d));
                facts.insert("document_ref".into(), json!(doc));
                note = Some(doc.to_string());
            }
            PetitionAction::Conclude => {
                let outcome = required(&mut v, "outcome", &body.outcome, 1, 20);
                if !OUTCOMES.contains(&outcome) {
                    v.add("outcome", "invalid_value", "Kết quả: upheld, partly hoặc rejected.");
                }
                let text = required(&mut v, "conclusion", &body.conclusion, 3, 10_000);
                let doc = required(&mut v, "document_ref", &body.document_ref, 2, 200);
                ch.outcome = Some(Some(outcome.to_string()));
                ch.conclusion = Some(Some(text.to_string()));
                ch.document_ref = Some(Some(doc.to_string()));
                ch.concluded_at = Some(Some(now));
                facts.insert("outcome".into(), json!(outcome));
                facts.insert("document_ref".into(), json!(doc));
            }
            PetitionAction::Publish | PetitionAction::Notify => {
                let answer = required(&mut v, "answer", &body.answer, 3, 10_000);
                let public = body.action == PetitionAction::Publish
                    && body.public.unwrap_or(true)
                    && matches!(row.kind.as_str(), "recommendation" | "feedback");
                ch.published_answer = Some(Some(answer.to_string()));
                ch.answer_public = Some(public);
                ch.published_at = Some(Some(now));
                facts.insert("public".into(), json!(public));
            }
            PetitionAction::Close => ch.closed_at = Some(Some(now)),
            PetitionAction::Withdraw => ch.paused_since = Some(None),
            PetitionAction::RecordRating => {
                let rating = required(&mut v, "rating", &body.rating, 1, 20);
                if !RATINGS.contains(&rating) {
                    v.add("rating", "invalid_value", "Đánh giá: like, neutral hoặc dislike.");
                }
                // The petitioner's word counts for the 766 index: once the petition is closed it
                // stands; before that a correction is recorded with what it replaced.
                if row.status == lifecycle::CLOSED && row.rating.is_some() {
                    return Err(AppError::rule(
                        "rating_locked",
                        "Đơn đã kết thúc: đánh giá của người gửi đơn đã ghi không sửa được nữa.",
                    ));
                }
                facts.insert("rating".into(), json!([row.rating, rating]));
                // The history shows the rating (a correction as `before → after`), in codes the
                // page names in its language.
                note = Some(match &row.rating {
                    Some(before) if before != rating => format!("{before} → {rating}"),
                    _ => rating.to_string(),
                });
                ch.rating = Some(Some(rating.to_string()));
            }
            PetitionAction::StartInvestigation => {}
        }
        v.finish()?;
        let updated = repo::update(c, row.id, &ch)?;
        repo::insert_event(
            c,
            &NewEvent {
                petition_id: row.id,
                action: body.action.as_str().into(),
                from_status: Some(row.status.clone()),
                to_status: to.into(),
                at: now,
                actor_id: Some(caller.id),
                actor_name: caller.full_name.clone(),
                note: note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
                decision_date,
                days,
            },
        )?;
        let updated = refresh(c, updated, now)?;
        audit::repo::record_entity(c, &caller.actor(), commune_id, body.action.as_str(), "petition", row.id, {
            let mut summary = serde_json::Map::from_iter([
                ("code".to_string(), json!(row.code)),
                ("from".to_string(), json!(row.status)),
                ("to".to_string(), json!(to)),
            ]);
            summary.extend(facts);
            serde_json::Value::Object(summary)
        })?;
        crate::webhooks::events::petition_acted(c, &row.status, &updated)?;
        if body.action == PetitionAction::Publish && updated.kind != "denunciation" {
            // Signed event: the answer itself only when the commune made it public.
            let answer = if updated.answer_public { updated.published_answer.clone() } else { None };
            crate::webhooks::service::enqueue(
                c,
                commune_id,
                "petition.answered",
                json!({ "code": updated.code, "kind": updated.kind, "status": updated.status,
                    "published_at": updated.published_at.map(rfc), "answer": answer }),
            )?;
        }
        Ok(updated)
    })
}

/// The API view of a row. A denunciation never carries a name.
pub fn petition_api(row: PetitionRow, sealed: bool, now: NaiveDateTime) -> Petition {
    let overdue = lifecycle::is_open(&row.status) && row.paused_since.is_none() && row.due_at.is_some_and(|d| d < now);
    Petition {
        id: row.id,
        kind_name: kind_name(&row.kind).into(),
        status_name: lifecycle::status_name(&row.status).into(),
        code: row.received.code,
        kind: row.received.kind,
        channel: row.received.channel,
        status: row.received.status,
        subject: row.received.subject,
        content: row.received.content,
        petitioner_name: row.received.petitioner_name,
        identity_sealed: sealed,
        village_unit_id: row.received.village_unit_id,
        dossier_id: row.received.dossier_id,
        visit_id: row.received.visit_id,
        complexity: row.complexity,
        received_at: rfc(row.received.received_at),
        accepted_at: row.accepted_at.map(rfc),
        refusal_reason: row.refusal_reason,
        forwarded_to: row.forwarded_to,
        handler_id: row.handler_id,
        handler_name: row.handler_name,
        outcome: row.outcome,
        conclusion: row.conclusion,
        document_ref: row.document_ref,
        concluded_at: row.concluded_at.map(rfc),
        published_answer: row.published_answer,
        answer_public: row.answer_public,
        published_at: row.published_at.map(rfc),
        closed_at: row.closed_at.map(rfc),
        paused_since: row.paused_since.map(rfc),
        due_at: row.due_at.map(rfc),
        due_clock: row.due_clock,
        overdue,
        on_time: row.on_time,
        rating: row.rating,
        repeat_of: row.received.repeat_of,
    }
}

/// Whether `caller` may read the sealed identity of `row`: its assigned handler, or the
/// commune's chairman.
pub fn may_read_identity(conn: &mut DbConnection, caller: &Caller, row: &PetitionRow) -> AppResult<bool> {
    if caller.commune_id != Some(row.commune_id) {
        return Ok(false);
    }
    if row.handler_id == Some(caller.id) {
        return Ok(true);
    }
    Ok(caller.role == crate::org::model::Role::Board && repo::is_chairman(conn, caller.id)?)
}

/// One petition with its clocks (each with its legal source), events and allowed actions.
pub fn detail(conn: &mut DbConnection, caller: &Caller, id: i64) -> AppResult<PetitionDetail> {
    let commune_id = caller.commune_id.ok_or(AppError::NotFound)?;
    let now = Utc::now().naive_utc();
    let row = repo::get(conn, commune_id, id)?;
    let events = repo::events(conn, id)?;
    let cal = calendar(conn, commune_id, row.received_at)?;
    let rules = rules(conn)?;
    let remote = repo::remote_area(conn, commune_id)?;
    let cs = clocks_of(&cal, &rules, &row, &events, remote, now);
    let sealed = repo::identity(conn, id)?.is_some();
    let may = sealed && may_read_identity(conn, caller, &row)?;
    let allowed = lifecycle::allowed(&row.status, row.paused_since.is_some(), &row.kind);
    Ok(PetitionDetail {
        clocks: cs
            .into_iter()
            .map(|c| ClockView {
                name: c.name.into(),
                label: clock_label(c.name).into(),
                rule: c.rule,
                start: rfc(to_utc(c.start)),
                due_at: rfc(to_utc(c.due)),
                amount: c.amount,
                unit: unit_name(c.unit).into(),
                source: c.source,
                extended_days: c.extended_days,
                paused_days: c.paused_days,
                paused_minutes: c.paused_minutes,
                ended_at: c.end.map(|e| rfc(to_utc(e))),
                state: c.state.as_str().into(),
            })
            .collect(),
        events: events
            .into_iter()
            .map(|e| PetitionEvent {
                action: e.action,
                from_status: e.from_status,
                to_status: e.to_status,
                at: rfc(e.at),
                actor_name: e.actor_name,
                note: e.note,
                decision_date: e.decision_date,
                days: e.days,
            })
            .collect(),
        petition: petition_api(row, sealed, now),
        allowed_actions: allowed,
        may_read_identity: may,
        photos: repo::photos(conn, id)?
            .into_iter()
            .map(|p| PetitionPhoto {
                url: format!("/api/v1/petitions/{id}/photos/{}", p.id),
                id: p.id,
                file_name: p.file_name,
                content_type: p.content_type,
                size: p.size,
            })
            .collect(),
    })
}

/// One photo of a petition of the caller's commune (its row; the bytes are in storage).
pub fn photo(conn: &mut DbConnection, caller: &Caller, petition_id: i64, photo_id: i64) -> AppResult<PhotoRow> {
    let commune_id = caller.commune_id.ok_or(AppError::NotFound)?;
    Ok(repo::photo(conn, commune_id, petition_id, photo_id)?)
}

/// The list: filters, diacritic-insensitive search (never over identities), and the open,
/// due-soon, overdue and mine views.
pub fn list(
    conn: &mut DbConnection,
    caller: &Caller,
    f: &PetitionFilter,
    paging: Paging,
) -> AppResult<(Vec<Petition>, i64)> {
    let commune_id = caller.commune_id.ok_or(AppError::NotFound)?;
    let now = Utc::now().naive_utc();
    let scope = repo::ListScope {
        commune_id,
        handler: (f.view.as_deref() == Some("mine")).then_some(caller.id),
        now,
        soon: now + Duration::days(DUE_SOON_DAYS),
    };
    let folded = f.q.as_deref().map(fold_search).filter(|s| !s.is_empty());
    let (rows, total) = repo::list(conn, &scope, f, folded.as_deref(), paging)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let sealed = repo::has_identity(conn, &ids)?;
    Ok((
        rows.into_iter()
            .map(|r| {
                let s = sealed.contains(&r.id);
                petition_api(r, s, now)
            })
            .collect(),
        total,
    ))
}

/// Opens a denouncer's identity for its handler or the chairman, audited with the reason.
/// Anyone else gets 404 (the identity's existence is not disclosed either).
pub fn read_identity(
    conn: &mut DbConnection,
    caller: &Caller,
    key: &IdentityKey,
    id: i64,
    reason: Option<&str>,
) -> AppResult<Identity> {
    let commune_id = caller.commune_id.ok_or(AppError::NotFound)?;
    // Who before why: someone who may not read it learns nothing, not even that it exists.
    let row = repo::get(conn, commune_id, id)?;
    if !may_read_identity(conn, caller, &row)? {
        return Err(AppError::NotFound);
    }
    let reason = reason.map(str::trim).unwrap_or("");
    let mut v = Validator::new();
    v.text("reason", reason, 5, 500);
    v.finish()?;
    let (_, sealed) = repo::identity(conn, id)?.ok_or(AppError::NotFound)?;
    let plain =
        key.open(id, &sealed).map_err(|_| AppError::Internal(format!("identity of petition {id} does not open")))?;
    let identity: Identity = serde_json::from_slice(&plain)
        .map_err(|_| AppError::Internal(format!("identity of petition {id} is not readable")))?;
    write_tx(conn, |c| {
        audit::repo::record_entity(
            c,
            &caller.actor(),
            commune_id,
            "read_identity",
            "petition",
            id,
            json!({ "code": row.code, "reason": reason }),
        )
    })?;
    Ok(identity)
}

/// Sets the commune's remote-area flag (longer complaint clocks), audited; open petitions'
/// clocks follow.
pub fn set_settings(conn: &mut DbConnection, caller: &Caller, body: &PetitionSettings) -> AppResult<PetitionSettings> {
    let commune_id = caller.commune_id.ok_or(AppError::NotFound)?;
    let now = Utc::now().naive_utc();
    write_tx(conn, |c| {
        repo::set_remote_area(c, commune_id, body.remote_area, now)?;
        audit::repo::record_entity(
            c,
            &caller.actor(),
            commune_id,
            "update",
            "petition_settings",
            commune_id,
            json!({ "remote_area": body.remote_area }),
        )?;
        Ok::<_, AppError>(())
    })?;
    Ok(PetitionSettings { remote_area: body.remote_area })
}

/// Who a petition of the commune may be assigned to.
pub fn handlers(conn: &mut DbConnection, commune_id: i64) -> AppResult<Vec<PetitionHandler>> {
    Ok(repo::handlers(conn, commune_id)?
        .into_iter()
        .map(|(id, full_name, role)| PetitionHandler { id, full_name, role })
        .collect())
}

pub fn settings(conn: &mut DbConnection, commune_id: i64) -> AppResult<PetitionSettings> {
    Ok(PetitionSettings { remote_area: repo::remote_area(conn, commune_id)? })
}

/// Sets or clears a board member's chairman flag (admin), audited.
pub fn set_chairman(conn: &mut DbConnection, caller: &Caller, user_id: i64, flag: bool) -> AppResult<ChairmanFlag> {
    let commune_id = caller.commune_id.ok_or(AppError::NotFound)?;
    let now = Utc::now().naive_utc();
    let (_, role) = repo::commune_user(conn, commune_id, user_id)?;
    if flag && role != "board" {
        return Err(AppError::rule("not_board", "Chỉ tài khoản lãnh đạo (board) mới là Chủ tịch UBND xã."));
    }
    write_tx(conn, |c| {
        repo::set_chairman(c, user_id, commune_id, flag, now)?;
        audit::repo::record_entity(
            c,
            &caller.actor(),
            commune_id,
            "update",
            "user",
            user_id,
            json!({ "is_chairman": flag }),
        )?;
        Ok::<_, AppError>(())
    })?;
    Ok(ChairmanFlag { is_chairman: flag })
}

/// Complaints linked to a one-stop dossier in `[from, to]` (local dates): the number of
/// dossiers with a complaint, which the 766 row 5.4 reads.
pub fn dossiers_with_complaint(
    conn: &mut DbConnection,
    communes: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<std::collections::HashSet<i64>> {
    let (a, b) = utc_bounds(from, to);
    Ok(repo::dossiers_with_complaint(conn, communes, a, b)?.into_iter().collect())
}

/// `[from 00:00, to + 1 day 00:00)` local, in UTC.
pub fn utc_bounds(from: NaiveDate, to: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    (to_utc(from.and_time(chrono::NaiveTime::MIN)), to_utc((to + Duration::days(1)).and_time(chrono::NaiveTime::MIN)))
}

/// 766 rows 5.2 and 5.3 from the feedback and recommendations received in a period:
/// (handled on time, satisfactory, all). Handled on time: ended by its handling clock (or
/// open and not yet due). Satisfactory: not rated "dislike", not overdue (ended late or open
/// past due) and not a repeat.
pub fn feedback_figures(
    conn: &mut DbConnection,
    commune_id: i64,
    from: NaiveDate,
    to: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<(i64, i64, i64)> {
    let (a, b) = utc_bounds(from, to);
    let rows = repo::feedback_in(conn, commune_id, a, b)?;
    let total = rows.len() as i64;
    let mut on_time = 0;
    let mut satisfied = 0;
    for (status, ot, rating, repeat, due) in rows {
        let overdue = match ot {
            Some(v) => !v,
            None => lifecycle::is_open(&status) && due.is_some_and(|d| d < now),
        };
        if !overdue {
            on_time += 1;
        }
        if !overdue && rating.as_deref() != Some("dislike") && repeat.is_none() {
            satisfied += 1;
        }
    }
    Ok((on_time, satisfied, total))
}

/// Counts by kind for the evaluation, over `communes` (counts only).
pub fn figures(
    conn: &mut DbConnection,
    communes: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<KindFigures>> {
    let (a, b) = utc_bounds(from, to);
    let rows = repo::in_period(conn, communes, a, b)?;
    Ok(tally(rows.iter(), Utc::now().naive_utc()))
}

/// [`figures`] for each of `communes` apart, in their order, from one read.
pub fn figures_by_commune(
    conn: &mut DbConnection,
    communes: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(i64, Vec<KindFigures>)>> {
    let (a, b) = utc_bounds(from, to);
    let rows = repo::in_period(conn, communes, a, b)?;
    let now = Utc::now().naive_utc();
    let mut by: std::collections::HashMap<i64, Vec<&PetitionRow>> = std::collections::HashMap::new();
    for r in &rows {
        by.entry(r.commune_id).or_default().push(r);
    }
    Ok(communes.iter().map(|c| (*c, tally(by.get(c).into_iter().flatten().copied(), now))).collect())
}

/// Counts by kind of `rows`; open past its due time at `now` is overdue.
fn tally<'a>(rows: impl Iterator<Item = &'a PetitionRow>, now: NaiveDateTime) -> Vec<KindFigures> {
    let mut out: Vec<KindFigures> =
        KINDS.iter().map(|k| KindFigures { kind: (*k).into(), ..Default::default() }).collect();
    let mut days_sum = vec![0i64; KINDS.len()];
    for r in rows {
        let Some(i) = KINDS.iter().position(|k| *k == r.kind) else { continue };
        let f = &mut out[i];
        f.received += 1;
        if r.accepted_at.is_some() {
            f.accepted += 1;
        }
        if let Some(c) = r.concluded_at {
            f.settled += 1;
            days_sum[i] += (c - r.received_at).num_days();
            if r.on_time.is_some() {
                f.settled_with_time_limit += 1;
            }
            if r.on_time == Some(true) {
                f.settled_on_time += 1;
            }
        }
        if lifecycle::is_open(&r.status) && r.paused_since.is_none() && r.due_at.is_some_and(|d| d < now) {
            f.overdue_open += 1;
        }
    }
    for (f, s) in out.iter_mut().zip(days_sum) {
        if f.settled > 0 {
            f.average_days = Some((s as f64 / f.settled as f64 * 10.0).round() / 10.0);
        }
    }
    out
}
