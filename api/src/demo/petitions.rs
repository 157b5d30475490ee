//! Demo reception and petitions of Bình Lương: a year of weekly reception sessions (a few weeks
//! missed, some delegated before 01/07/2026, a few ad-hoc), and 60 petitions of every kind,
//! channel and outcome, some of them overdue. Rows are written in one transaction through the
//! modules' repo functions, with their clocks computed by the petitions' own clock functions.

use chrono::{Datelike, Duration, NaiveDateTime, NaiveTime, Utc};

use crate::db::{DbConnection, fold_search, write_tx};
use crate::error::{AppError, AppResult};
use crate::petitions::identity::IdentityKey;
use crate::petitions::model::{EventRow, Identity, NewEvent, NewPetition, PetitionChanges};
use crate::petitions::{lifecycle, repo as prepo, service as pservice};
use crate::reception::model::{NewSession, NewVisit};
use crate::reception::repo as rrepo;
use crate::time::{to_local, to_utc};

// The leaders who receive citizens in the demo: invented names (the session names a person; the
// title says the office), so the schedule does not read "Chủ tịch UBND xã, Chủ tịch UBND xã".
const CHAIRMAN: &str = "Lương Văn Hùng";
const VICE_CHAIRMAN: &str = "Lò Thị Mai";

const SUBJECTS: [(&str, &str, &str); 12] = [
    ("feedback", "Đèn đường thôn Đồng Tâm hỏng", "Đèn chiếu sáng đoạn qua nhà văn hóa thôn hỏng đã hai tuần."),
    ("recommendation", "Đề nghị sửa đường liên thôn", "Đường từ thôn Làng Lúa ra trung tâm xã sạt lở sau mưa."),
    (
        "complaint",
        "Khiếu nại quyết định hỗ trợ giống cây trồng",
        "Gia đình không được đưa vào danh sách hỗ trợ giống keo.",
    ),
    ("denunciation", "Tố cáo khai thác cát trái phép", "Có người khai thác cát ban đêm ở suối Khe Lạnh."),
    ("feedback", "Thời gian trả kết quả chứng thực chậm", "Hồ sơ chứng thực hẹn một ngày nhưng ba ngày chưa có."),
    ("other", "Hỏi về chế độ người có công", "Đề nghị hướng dẫn thủ tục hưởng chế độ người có công."),
    (
        "recommendation",
        "Đề nghị lắp loa truyền thanh thôn Xuân Hưng",
        "Loa truyền thanh thôn bị hỏng, người dân không nghe được thông báo.",
    ),
    ("complaint", "Khiếu nại việc xác định ranh giới đất", "Không đồng ý với biên bản xác định ranh giới thửa đất."),
    ("feedback", "Rác thải ven suối bản Khe", "Rác sinh hoạt đổ ven suối gây ô nhiễm."),
    ("denunciation", "Tố cáo thu tiền sai quy định", "Có việc thu thêm tiền khi làm thủ tục đất đai."),
    ("recommendation", "Đề nghị hỗ trợ nước sạch", "Các hộ thôn Làng Mới thiếu nước sinh hoạt mùa khô."),
    (
        "feedback",
        "Cán bộ tiếp nhận hồ sơ chưa hướng dẫn đầy đủ",
        "Phải đi lại nhiều lần vì không được hướng dẫn một lần.",
    ),
];

const CHANNELS: [&str; 6] = ["reception", "post", "desk", "online", "village", "national_portal"];
const NAMES: [&str; 6] = ["Hà Văn Thành", "Lò Thị Mai", "Vi Văn Hùng", "Lương Thị Hoa", "Cầm Văn Bình", "Ngân Thị Lan"];

fn at(days_ago: i64, hour: u32) -> NaiveDateTime {
    let day = crate::time::today_local() - Duration::days(days_ago);
    to_utc(day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN)))
}

/// Seeds the demo reception and petitions once (nothing when the commune already has one).
/// Returns how many petitions were added.
pub fn seed_demo(conn: &mut DbConnection, key: &IdentityKey) -> AppResult<usize> {
    let Some(commune_id) = crate::org::repo::commune_id_by_name(conn, "Bình Lương")? else { return Ok(0) };
    if prepo::count_codes(conn, commune_id, "DT-")? > 0 {
        return Ok(0);
    }
    let user = |c: &mut DbConnection, name: &str| -> AppResult<Option<(i64, String)>> {
        Ok(crate::auth::repo::find_user_by_username(c, name)?.map(|u| (u.id, u.full_name)))
    };
    let (Some(board), Some(desk)) = (user(conn, "bdh")?, user(conn, "ubnd")?) else { return Ok(0) };
    let village = user(conn, "thon1")?;
    let chairman = user(conn, "chutich")?;
    let rules = pservice::rules(conn)?;
    let cal = crate::calendar::service::load_from(conn, Some(commune_id), to_local(at(380, 8)))?;
    let now = Utc::now().naive_utc();
    write_tx(conn, |c| {
        // The commune chairman reads denouncers' identities, as the law lets them.
        if let Some((id, _)) = &chairman {
            prepo::set_chairman(c, *id, commune_id, true, now)?;
            crate::audit::repo::record(
                c,
                &crate::audit::Actor::system("seed-demo"),
                crate::audit::Change {
                    commune_id: Some(commune_id),
                    action: "update",
                    entity: "user",
                    entity_id: Some(id.to_string()),
                    summary: serde_json::json!({ "is_chairman": true }),
                },
            )?;
        }
        // Reception: one regular session a week (Thursday morning) for a year and four weeks
        // ahead; weeks 7, 23 and 40 missed; delegated in some weeks before 01/07/2026.
        let mut sessions = Vec::new();
        let today = crate::time::today_local();
        for w in -4i64..52 {
            if [7, 23, 40].contains(&w) {
                continue;
            }
            let day = today - Duration::days(7 * w);
            // A Thursday that is a day off (Tết, 30/4, a swap) moves to the next working day.
            let thursday = crate::plans::rollover::service::on_or_after(
                &cal,
                day - Duration::days(i64::from(day.weekday().num_days_from_monday())) + Duration::days(3),
            );
            let starts = to_utc(thursday.and_time(NaiveTime::from_hms_opt(7, 30, 0).unwrap_or(NaiveTime::MIN)));
            let delegated = w % 9 == 4 && thursday < crate::reception::service::not_delegable_from();
            let s = rrepo::insert_session(
                c,
                &NewSession {
                    commune_id,
                    kind: "regular".into(),
                    starts_at: starts,
                    ends_at: Some(starts + Duration::hours(4)),
                    place: "Phòng tiếp công dân, trụ sở UBND xã Bình Lương".into(),
                    leader_name: if delegated { VICE_CHAIRMAN.into() } else { CHAIRMAN.into() },
                    leader_title: if delegated {
                        "Phó Chủ tịch UBND xã".into()
                    } else {
                        "Chủ tịch UBND xã".into()
                    },
                    delegated,
                    status: if starts < now { "held".into() } else { "planned".into() },
                    note: None,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            if starts < now {
                sessions.push(s);
            }
        }
        for w in [5i64, 18, 31] {
            let starts = at(7 * w + 1, 14);
            rrepo::insert_session(
                c,
                &NewSession {
                    commune_id,
                    kind: "adhoc".into(),
                    starts_at: starts,
                    ends_at: Some(starts + Duration::hours(2)),
                    place: "Nhà văn hóa thôn Đồng Tâm".into(),
                    leader_name: CHAIRMAN.into(),
                    leader_title: "Chủ tịch UBND xã".into(),
                    delegated: false,
                    status: "held".into(),
                    note: Some("Đối thoại về giải phóng mặt bằng".into()),
                    created_at: now,
                    updated_at: now,
                },
            )?;
        }
        // 60 petitions over the year: the i-th received (i · 6 + 2) days ago.
        let mut added = 0;
        for i in 0..60usize {
            let (kind, subject, content) = SUBJECTS[i % SUBJECTS.len()];
            let days_ago = (i as i64) * 6 + 2;
            let denunciation = kind == "denunciation";
            let channel = CHANNELS[i % CHANNELS.len()];
            // One from reception was received at a visit of the last session held before that day
            // (its clocks start then), never on another day.
            let session = (channel == "reception")
                .then(|| sessions.iter().filter(|s| s.starts_at <= at(days_ago, 9)).max_by_key(|s| s.starts_at))
                .flatten();
            let received_at = session.map_or_else(|| at(days_ago, 9), |s| s.starts_at + Duration::minutes(15));
            let name = NAMES[i % NAMES.len()];
            let code = format!("DT-{}-{:04}", to_local(received_at).format("%y%m%d"), i + 1);
            let mut row = prepo::insert_petition(
                c,
                &NewPetition {
                    commune_id,
                    code: code.clone(),
                    kind: kind.into(),
                    channel: channel.into(),
                    status: lifecycle::RECEIVED.into(),
                    subject: subject.into(),
                    content: content.into(),
                    search: fold_search(&format!("{code} {subject} {content}")),
                    petitioner_name: (!denunciation).then(|| format!("{name} (demo)")),
                    phone_digits: if denunciation { String::new() } else { format!("09{:08}", 12_345_000 + i) },
                    village_unit_id: None,
                    submitted_by: if channel == "village" { village.as_ref().map(|v| v.0) } else { Some(desk.0) },
                    dossier_id: None,
                    visit_id: None,
                    received_at,
                    repeat_of: None,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            if denunciation {
                let id = Identity {
                    name: format!("{name} (demo)"),
                    phone: Some("0900000000".into()),
                    ..Identity::default()
                };
                let plain = serde_json::to_vec(&id).map_err(|e| AppError::Internal(e.to_string()))?;
                let sealed = key.seal(row.id, &plain).map_err(|_| AppError::Internal("demo identity".into()))?;
                prepo::insert_identity(c, row.id, key.id(), &sealed, now)?;
            }
            // The path: how far it went, and how fast (slow ones miss their clocks).
            let stage = if days_ago < 20 {
                i % 4
            } else if i % 11 == 5 {
                1
            } else {
                6
            };
            let slow = i % 5 == 3;
            let mut events: Vec<(&str, &str, i64, Option<String>)> = vec![(lifecycle::RECEIVE, "received", 0, None)];
            let mut changes = PetitionChanges::default();
            if i % 13 == 7 {
                events.push((
                    "refuse",
                    "refused",
                    1,
                    Some("Đơn nặc danh, không rõ nội dung (Điều 11 Luật Khiếu nại 2011)".into()),
                ));
                changes.refusal_reason = Some(events.last().and_then(|e| e.3.clone()));
            } else if i % 17 == 9 {
                events.push(("forward", "forwarded", 2, Some("Thanh tra huyện".into())));
                changes.forwarded_to = Some(Some("Thanh tra huyện".into()));
            } else {
                let (handler, handler_name) = if i % 2 == 0 { desk.clone() } else { board.clone() };
                let conclude_after = if slow { 50 } else { 12 };
                let steps: [(&str, &str, i64); 5] = [
                    ("accept", "accepted", 2),
                    ("assign", "assigned", 3),
                    ("start_investigation", "investigating", 4),
                    ("conclude", "concluded", conclude_after),
                    (
                        if matches!(kind, "recommendation" | "feedback") { "publish" } else { "notify" },
                        if matches!(kind, "recommendation" | "feedback") { "published" } else { "notified" },
                        conclude_after + 2,
                    ),
                ];
                for (n, (a, to, d)) in steps.iter().enumerate() {
                    if n + 1 > stage || *d >= days_ago {
                        break;
                    }
                    events.push((a, to, *d, (*a == "assign").then(|| handler_name.clone())));
                }
                if events.len() > 2 {
                    changes.handler_id = Some(Some(handler));
                    changes.handler_name = Some(Some(handler_name));
                }
                if events.iter().any(|e| e.0 == "conclude") {
                    changes.outcome = Some(Some(["upheld", "partly", "rejected"][i % 3].into()));
                    changes.conclusion = Some(Some("Đã xác minh, trả lời người có đơn (demo).".into()));
                    changes.document_ref = Some(Some(format!("{}/TB-UBND", 10 + i)));
                    changes.concluded_at = Some(Some(received_at + Duration::days(conclude_after)));
                    changes.rating = Some(Some(["like", "like", "neutral", "dislike"][i % 4].into()));
                }
                if let Some(e) = events.iter().find(|e| e.0 == "publish" || e.0 == "notify") {
                    changes.published_answer = Some(Some("UBND xã đã tiếp thu và xử lý theo quy định (demo).".into()));
                    changes.answer_public = Some(e.0 == "publish");
                    changes.published_at = Some(Some(received_at + Duration::days(e.2)));
                }
                if events.iter().any(|e| e.0 == "accept") {
                    changes.accepted_at = Some(Some(received_at + Duration::days(2)));
                    changes.complexity = Some(i32::from(i % 7 == 2));
                }
            }
            let mut event_rows = Vec::new();
            for (n, (action, to, d, note)) in events.iter().enumerate() {
                let e = NewEvent {
                    petition_id: row.id,
                    action: (*action).into(),
                    from_status: (n > 0).then(|| events[n - 1].1.to_string()),
                    to_status: (*to).into(),
                    at: received_at + Duration::days(*d),
                    actor_id: Some(desk.0),
                    actor_name: desk.1.clone(),
                    note: note.clone(),
                    decision_date: None,
                    days: None,
                };
                prepo::insert_event(c, &e)?;
                event_rows.push(EventRow {
                    id: n as i64,
                    petition_id: e.petition_id,
                    action: e.action,
                    from_status: e.from_status,
                    to_status: e.to_status,
                    at: e.at,
                    actor_id: e.actor_id,
                    actor_name: e.actor_name,
                    note: e.note,
                    decision_date: None,
                    days: None,
                });
            }
            changes.status = events.last().map(|e| e.1.to_string());
            if let Some(cx) = changes.complexity {
                row.complexity = cx;
            }
            let mut preview = row.clone();
            preview.received.status = changes.status.clone().unwrap_or_default();
            let cs = pservice::clocks_of(&cal, &rules, &preview, &event_rows, false, now);
            let running = crate::petitions::clocks::running(&cs);
            changes.due_at = Some(running.map(|r| to_utc(r.due)));
            changes.due_clock = Some(running.map(|r| r.name.to_string()));
            changes.on_time =
                Some(cs.iter().find(|c| matches!(c.name, "settle" | "handle")).and_then(|c| match c.state {
                    crate::petitions::clocks::ClockState::Met => Some(true),
                    crate::petitions::clocks::ClockState::Missed => Some(false),
                    _ => None,
                }));
            changes.updated_at = Some(now);
            prepo::update(c, row.id, &changes)?;
            // Petitions from reception were opened at a session's visit.
            if let Some(s) = session {
                let v = rrepo::insert_visit(
                    c,
                    &NewVisit {
                        session_id: s.id,
                        commune_id,
                        at: received_at,
                        receiver_name: s.leader_name.clone(),
                        citizen_names: if denunciation {
                            pservice::SEALED_NAME.into()
                        } else {
                            format!("{name} (demo)")
                        },
                        group_size: if i % 6 == 0 { 4 } else { 1 },
                        content: content.into(),
                        classification: kind.into(),
                        handling: "petition_opened".into(),
                        forwarded_to: None,
                        petition_id: None,
                        created_at: now,
                    },
                )?;
                rrepo::link(c, v.id, row.id)?;
            }
            added += 1;
        }
        // Visits answered on the spot at some sessions.
        for (n, s) in sessions.iter().enumerate().filter(|(n, _)| n % 3 == 0) {
            rrepo::insert_visit(
                c,
                &NewVisit {
                    session_id: s.id,
                    commune_id,
                    at: s.starts_at + Duration::minutes(30),
                    receiver_name: s.leader_name.clone(),
                    citizen_names: format!("{} (demo)", NAMES[n % NAMES.len()]),
                    group_size: 1,
                    content: "Hỏi về thủ tục cấp giấy chứng nhận quyền sử dụng đất.".into(),
                    classification: "other".into(),
                    handling: if n % 2 == 0 { "answered".into() } else { "guided".into() },
                    forwarded_to: None,
                    petition_id: None,
                    created_at: now,
                },
            )?;
        }
        Ok(added)
    })
}
