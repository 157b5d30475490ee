//! The dossier lifecycle on the national status codes, as pure functions: which action moves
//! which status where, and what the events imply (due date, pauses, timeliness).

use chrono::{NaiveDateTime, NaiveTime, Timelike};

use crate::calendar::engine::WorkCalendar;
use crate::onestop::model::{Action, DerivedChanges, DossierValues, Timeliness};
use crate::time::{to_local, to_utc};

pub const SUBMITTED: i32 = 1;
pub const RECEIVED: i32 = 2;
pub const REFUSED: i32 = 3;
pub const IN_PROGRESS: i32 = 4;
pub const SUPPLEMENT: i32 = 5;
pub const FINANCIAL: i32 = 6;
pub const WITHDRAWN: i32 = 7;
pub const STOPPED: i32 = 8;
pub const RESOLVED: i32 = 9;
pub const RETURNED: i32 = 10;

/// Event action recorded at intake.
pub const RECEIVE: &str = "receive";

/// A dossier just received by `channel` at `received_at`, due at its appointment: nothing
/// derived yet, no applicant and no flag (callers fill those in).
pub fn received_values(
    procedure_id: i64,
    channel: i32,
    received_at: NaiveDateTime,
    appointed_at: NaiveDateTime,
) -> DossierValues {
    DossierValues {
        procedure_id,
        channel,
        status: RECEIVED,
        applicant_name: String::new(),
        applicant_search: String::new(),
        applicant_phone: String::new(),
        phone_digits: String::new(),
        applicant_id_number: String::new(),
        applicant_address: String::new(),
        received_at,
        appointed_at,
        deadline_at: appointed_at,
        due_at: appointed_at,
        paused_since: None,
        finished_at: None,
        returned_at: None,
        supplement_requests: 0,
        extended: false,
        timeliness: None,
        paid_online: false,
        digitised: false,
        electronic_result: false,
        processing_minutes: None,
        from_data_store: false,
        apology_by: None,
    }
}

/// Vietnamese name of a status code (TrangThaiHoSo).
pub fn status_name(status: i32) -> &'static str {
    match status {
        SUBMITTED => "Mới đăng ký",
        RECEIVED => "Được tiếp nhận",
        REFUSED => "Không được tiếp nhận",
        IN_PROGRESS => "Đang xử lý",
        SUPPLEMENT => "Yêu cầu bổ sung giấy tờ",
        FINANCIAL => "Yêu cầu thực hiện nghĩa vụ tài chính",
        WITHDRAWN => "Công dân yêu cầu rút hồ sơ",
        STOPPED => "Dừng xử lý",
        RESOLVED => "Đã xử lý xong",
        RETURNED => "Đã trả kết quả",
        _ => "Không xác định",
    }
}

/// Whether the dossier is still being handled (the clock may run).
pub fn is_open(status: i32) -> bool {
    matches!(status, SUBMITTED | RECEIVED | IN_PROGRESS | SUPPLEMENT | FINANCIAL)
}

/// The status an action leads to from `from`, or `None` when the transition is illegal.
pub fn transition(from: i32, action: Action) -> Option<i32> {
    use Action::*;
    let to = match (action, from) {
        (StartProcessing, RECEIVED) => IN_PROGRESS,
        // At the counter an incomplete dossier is not received (counter guidance, form 02):
        // a supplement is asked for only while the dossier is being processed. A second
        // request is unlawful but recorded; the dossier then counts late.
        (RequestSupplement, IN_PROGRESS) => SUPPLEMENT,
        (ReceiveSupplement, SUPPLEMENT) => IN_PROGRESS,
        (RequestPayment, RECEIVED | IN_PROGRESS) => FINANCIAL,
        (ConfirmPayment, FINANCIAL) => IN_PROGRESS,
        // Status 3 means never received: only a dossier submitted and not yet received may be
        // refused. A refusal at the counter is a counter record, not a dossier; a received
        // dossier that cannot be settled is stopped (form 05).
        (Refuse, SUBMITTED) => REFUSED,
        (Withdraw, SUBMITTED | RECEIVED | IN_PROGRESS | SUPPLEMENT | FINANCIAL) => WITHDRAWN,
        (Stop, RECEIVED | IN_PROGRESS | SUPPLEMENT | FINANCIAL) => STOPPED,
        (Resolve, RECEIVED | IN_PROGRESS) => RESOLVED,
        (ReturnResult, RESOLVED) => RETURNED,
        (ApologizeAndExtend, RECEIVED | IN_PROGRESS | SUPPLEMENT | FINANCIAL) => from,
        _ => return None,
    };
    Some(to)
}

/// Actions allowed from a status.
pub fn allowed(status: i32) -> Vec<Action> {
    Action::ALL.into_iter().filter(|a| transition(status, *a).is_some()).collect()
}

/// An event as the replay needs it (UTC times).
#[derive(Debug, Clone)]
pub struct Step<'a> {
    pub action: &'a str,
    pub to_status: i32,
    pub at: NaiveDateTime,
    pub new_due_at: Option<NaiveDateTime>,
}

/// The instant a due time is shown as: one at the opening of a working day is the close of the
/// previous working day — the same instant in working time, so the printed form 01, the
/// register and the citizen's lookup all say "17:00 on day D", never "07:00 on day D+1".
/// Local times in and out.
pub fn as_close(cal: &WorkCalendar, t: NaiveDateTime) -> NaiveDateTime {
    let Some(info) = cal.day(t.date()) else { return t };
    if !info.working || t.time().num_seconds_from_midnight() != info.hours.periods[0].start {
        return t;
    }
    let mut day = t.date();
    // A gap of working days is at most a few weeks (Tết); the window bounds the search.
    while let Some(prev) = day.pred_opt() {
        match cal.day(prev) {
            Some(i) if i.working => {
                let close = NaiveTime::from_num_seconds_from_midnight_opt(i.hours.periods[1].end, 0);
                return close.map_or(t, |c| prev.and_time(c));
            }
            Some(_) => day = prev,
            None => return t,
        }
    }
    t
}

/// One working day before `t` (local): the same clock time on the previous working day, or
/// that day's close when it closes earlier. `t` itself when the window does not reach back.
pub fn one_working_day_before(cal: &WorkCalendar, t: NaiveDateTime) -> NaiveDateTime {
    let mut day = t.date();
    while let Some(prev) = day.pred_opt() {
        match cal.day(prev) {
            Some(i) if i.working => {
                let secs = t.time().num_seconds_from_midnight().min(i.hours.periods[1].end);
                let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, 0);
                return time.map_or(t, |c| prev.and_time(c));
            }
            Some(_) => day = prev,
            None => return t,
        }
    }
    t
}

/// When form 04 is due for a dossier received at `received` with `deadline` (both local): one
/// working day before the deadline; for a dossier given less time than that (a same-day or
/// one-day procedure) that point is at or before its receipt, and the letter is due by the
/// deadline itself: it cannot be sent before the dossier exists, and must reach the citizen
/// before the dossier is late.
pub fn apology_by(cal: &WorkCalendar, received: NaiveDateTime, deadline: NaiveDateTime) -> NaiveDateTime {
    let before = one_working_day_before(cal, deadline);
    if before <= received { deadline } else { before }
}

/// Replays the events from the legal due time (the appointment computed from the receipt time
/// with today's calendar, or the appointment as given for imported dossiers): pauses move the
/// deadline and the due time by the working time spent paused, counted in whole minutes; the
/// first apology sets a new due time (one extension only); the first end of processing fixes
/// the timeliness. Form 04 is due by [`apology_by`]; a late dossier whose
/// apology is missing or came after that is a recorded breach. Times in and out are UTC.
pub fn replay(
    cal: &WorkCalendar,
    received_at: NaiveDateTime,
    legal_due: NaiveDateTime,
    steps: &[Step<'_>],
    now: NaiveDateTime,
) -> DerivedChanges {
    let mut deadline = to_local(legal_due);
    let mut due = deadline;
    let mut paused: Option<NaiveDateTime> = None;
    // Working seconds spent paused (supplement, financial obligation) before the end.
    let mut paused_secs: u64 = 0;
    let mut finished: Option<NaiveDateTime> = None;
    let mut resolved: Option<NaiveDateTime> = None;
    let mut returned: Option<NaiveDateTime> = None;
    let mut apology: Option<NaiveDateTime> = None;
    let mut supplements = 0;
    let mut extended = false;
    let mut status = RECEIVED;
    // Working time between two instants, in whole minutes (a pause of seconds is no pause).
    let paused_between = |a: NaiveDateTime, b: NaiveDateTime| cal.working_seconds_between(a, b).unwrap_or(0) / 60 * 60;
    for s in steps {
        let at = to_local(s.at);
        status = s.to_status;
        match Action::parse(s.action) {
            Some(Action::RequestSupplement | Action::RequestPayment) => {
                if s.action == Action::RequestSupplement.as_str() {
                    supplements += 1;
                }
                paused.get_or_insert(at);
            }
            Some(Action::ReceiveSupplement | Action::ConfirmPayment) => {
                if let Some(p) = paused.take() {
                    let secs = paused_between(p, at);
                    paused_secs += secs;
                    if secs > 0 {
                        deadline = cal.add_working_seconds(deadline, secs).unwrap_or(deadline);
                        due = cal.add_working_seconds(due, secs).unwrap_or(due);
                    }
                }
            }
            Some(Action::ApologizeAndExtend) => {
                if apology.is_none() {
                    apology = Some(at);
                    if let Some(d) = s.new_due_at {
                        due = to_local(d);
                        extended = true;
                    }
                }
            }
            Some(Action::Resolve) => {
                if resolved.is_none() && finished.is_none() {
                    paused_secs += paused.map_or(0, |p| paused_between(p, at));
                }
                resolved.get_or_insert(at);
                paused = None;
            }
            Some(Action::ReturnResult) => {
                returned.get_or_insert(at);
            }
            Some(Action::Refuse | Action::Withdraw | Action::Stop) => {
                if resolved.is_none() && finished.is_none() {
                    paused_secs += paused.map_or(0, |p| paused_between(p, at));
                }
                finished.get_or_insert(at);
                paused = None;
            }
            Some(Action::StartProcessing) | None => {}
        }
    }
    let deadline = as_close(cal, deadline);
    let due = if extended { due } else { as_close(cal, due) };
    // End of processing: resolved, else returned, else stopped / refused / withdrawn.
    let end = resolved.or(returned).or(finished);
    let timeliness = end.map(|e| {
        if supplements >= 2 || e > deadline {
            Timeliness::Late
        } else if e.date() < deadline.date() {
            Timeliness::Early
        } else {
            Timeliness::OnTime
        }
    });
    // Processing time: working time from receipt to the end, less the paused working time.
    let processing_minutes = end.map(|e| {
        let total = cal.working_seconds_between(to_local(received_at), e).unwrap_or(0);
        i32::try_from(total.saturating_sub(paused_secs) / 60).unwrap_or(i32::MAX)
    });
    let apology_by = apology_by(cal, to_local(received_at), deadline);
    DerivedChanges {
        status,
        deadline_at: to_utc(deadline),
        due_at: to_utc(due),
        paused_since: paused.map(to_utc),
        finished_at: end.map(to_utc),
        returned_at: returned.map(to_utc),
        supplement_requests: supplements,
        extended,
        timeliness: timeliness.map(|t| t.as_str().to_string()),
        processing_minutes,
        apology_by: Some(to_utc(apology_by)),
        apology_timely: apology.map(|a| a <= apology_by),
        updated_at: now,
    }
}

/// Timeliness of a stored dossier at `now` (UTC): the stored verdict once finished; while open,
/// overdue after the deadline (the clock stops while paused) or after a second supplement
/// request (the portal counts that as late).
pub fn timeliness(
    stored: Option<&str>,
    deadline_at: NaiveDateTime,
    paused_since: Option<NaiveDateTime>,
    supplement_requests: i32,
    now: NaiveDateTime,
) -> Timeliness {
    if let Some(t) = stored.and_then(Timeliness::parse) {
        return t;
    }
    let reference = paused_since.unwrap_or(now);
    if supplement_requests >= 2 || reference > deadline_at { Timeliness::OpenOverdue } else { Timeliness::OpenNotDue }
}

/// [`timeliness`] of a stored dossier's values.
pub fn timeliness_of(d: &DossierValues, now: NaiveDateTime) -> Timeliness {
    timeliness(d.timeliness.as_deref(), d.deadline_at, d.paused_since, d.supplement_requests, now)
}

/// Form 04 is due now: the dossier is open, its clock runs, no apology has been made and the
/// time by which it is due ([`apology_by`]) has come.
pub fn apology_due(
    status: i32,
    paused: bool,
    apology_timely: Option<bool>,
    apology_by: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> bool {
    is_open(status) && !paused && apology_timely.is_none() && apology_by.is_some_and(|by| now >= by)
}

/// Late (ended late, or open past the deadline) without an apology sent in time: a breach the
/// dossier, the register and the indicators show.
pub fn late_without_apology(timeliness: Timeliness, apology_timely: Option<bool>) -> bool {
    matches!(timeliness, Timeliness::Late | Timeliness::OpenOverdue) && apology_timely != Some(true)
}

/// Masks a name: the initials only ("Nguyễn Văn An" → "N. V. A.").
pub fn mask_name(name: &str) -> String {
    name.split_whitespace().filter_map(|w| w.chars().next()).map(|c| format!("{c}.")).collect::<Vec<_>>().join(" ")
}

/// Masks all but the last `keep` characters.
pub fn mask_tail(s: &str, keep: usize) -> String {
    let n = s.chars().count();
    s.chars().enumerate().map(|(i, c)| if i + keep < n { '*' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn t(d: u32, h: u32, m: u32) -> NaiveDateTime {
        // November 2026, local → UTC.
        to_utc(NaiveDate::from_ymd_opt(2026, 11, d).unwrap().and_hms_opt(h, m, 0).unwrap())
    }

    fn cal() -> WorkCalendar {
        WorkCalendar::build(
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2027, 12, 31).unwrap(),
            &[],
            &[],
            &[],
        )
    }

    fn step(action: Action, to: i32, at: NaiveDateTime) -> Step<'static> {
        Step { action: action.as_str(), to_status: to, at, new_due_at: None }
    }

    #[test]
    fn every_transition_is_explicit() {
        let legal: Vec<(i32, Action)> = (1..=10)
            .flat_map(|s| Action::ALL.into_iter().map(move |a| (s, a)))
            .filter(|(s, a)| transition(*s, *a).is_some())
            .collect();
        // 25 before: a supplement request and a refusal from "received" are gone (counter
        // guidance and counter refusal are not dossier transitions).
        assert_eq!(legal.len(), 23);
        assert_eq!(transition(RECEIVED, Action::RequestSupplement), None);
        assert_eq!(transition(RECEIVED, Action::Refuse), None);
        assert_eq!(transition(IN_PROGRESS, Action::RequestSupplement), Some(SUPPLEMENT));
        assert_eq!(transition(SUBMITTED, Action::Refuse), Some(REFUSED));
        for s in [REFUSED, WITHDRAWN, STOPPED, RETURNED] {
            assert!(allowed(s).is_empty(), "{s} is final");
        }
        assert_eq!(allowed(RESOLVED), vec![Action::ReturnResult]);
        assert_eq!(transition(SUPPLEMENT, Action::Resolve), None);
    }

    #[test]
    fn a_pause_moves_the_due_time_by_the_paused_working_time() {
        let c = cal();
        // Received Monday 2/11 09:00, 3 working days → Thursday 5/11 09:00.
        let appointed = t(5, 9, 0);
        // Paused Tuesday 10:00 → Wednesday 10:00: 8 working hours.
        let steps = [
            step(Action::RequestSupplement, SUPPLEMENT, t(3, 10, 0)),
            step(Action::ReceiveSupplement, IN_PROGRESS, t(4, 10, 0)),
        ];
        let d = replay(&c, t(2, 9, 0), appointed, &steps, t(4, 10, 0));
        assert_eq!(d.due_at, t(6, 9, 0));
        assert_eq!(d.deadline_at, t(6, 9, 0));
        assert_eq!(d.paused_since, None);
        // While paused the due time waits.
        let d = replay(&c, t(2, 9, 0), appointed, &steps[..1], t(4, 10, 0));
        assert_eq!(d.paused_since, Some(t(3, 10, 0)));
        assert_eq!(d.due_at, appointed);
        assert_eq!(d.processing_minutes, None);
    }

    #[test]
    fn processing_time_leaves_out_paused_working_time() {
        let c = cal();
        let appointed = t(5, 9, 0);
        // Received Mon 2/11 09:00; paused Tue 10:00 → Wed 10:00 (480 working minutes); resolved
        // Wed 11:00. Mon 09:00–11:30 + 13:30–17:00 = 360, Tue 480, Wed 07:00–11:00 = 240:
        // 1080 working minutes in all, 600 of them not paused.
        let steps = [
            step(Action::RequestSupplement, SUPPLEMENT, t(3, 10, 0)),
            step(Action::ReceiveSupplement, IN_PROGRESS, t(4, 10, 0)),
            step(Action::Resolve, RESOLVED, t(4, 11, 0)),
            step(Action::ReturnResult, RETURNED, t(5, 8, 0)),
        ];
        assert_eq!(replay(&c, t(2, 9, 0), appointed, &steps, t(9, 0, 0)).processing_minutes, Some(600));
        // Stopped while paused: the open pause counts as paused up to the stop.
        let steps = [step(Action::RequestPayment, FINANCIAL, t(3, 10, 0)), step(Action::Stop, STOPPED, t(4, 10, 0))];
        // Mon 360 + Tue 07:00–10:00 = 180 → 540 before the pause.
        assert_eq!(replay(&c, t(2, 9, 0), appointed, &steps, t(9, 0, 0)).processing_minutes, Some(540));
    }

    #[test]
    fn timeliness_rules() {
        let c = cal();
        let appointed = t(5, 9, 0);
        for (resolved, expected) in
            [(t(4, 16, 0), "early"), (t(5, 9, 0), "on_time"), (t(5, 8, 0), "on_time"), (t(5, 9, 1), "late")]
        {
            let steps = [step(Action::Resolve, RESOLVED, resolved)];
            let r = replay(&c, t(2, 9, 0), appointed, &steps, t(9, 0, 0));
            assert_eq!(r.timeliness.as_deref(), Some(expected), "resolved at {resolved}");
        }
        // A second supplement request makes the dossier late, however fast it ends.
        let steps = [
            step(Action::RequestSupplement, SUPPLEMENT, t(2, 10, 0)),
            step(Action::ReceiveSupplement, IN_PROGRESS, t(2, 10, 30)),
            step(Action::RequestSupplement, SUPPLEMENT, t(2, 11, 0)),
            step(Action::ReceiveSupplement, IN_PROGRESS, t(2, 11, 10)),
            step(Action::Resolve, RESOLVED, t(2, 14, 0)),
        ];
        assert_eq!(replay(&c, t(2, 9, 0), appointed, &steps, t(9, 0, 0)).timeliness.as_deref(), Some("late"));
        // An extension does not move the legal deadline.
        let steps = [
            Step {
                action: "apologize_and_extend",
                to_status: IN_PROGRESS,
                at: t(6, 8, 0),
                new_due_at: Some(t(10, 17, 0)),
            },
            step(Action::Resolve, RESOLVED, t(9, 10, 0)),
        ];
        let d = replay(&c, t(2, 9, 0), appointed, &steps, t(9, 11, 0));
        assert_eq!(d.due_at, t(10, 17, 0));
        assert!(d.extended);
        assert_eq!(d.timeliness.as_deref(), Some("late"));
        // Open dossiers.
        assert_eq!(timeliness(None, appointed, None, 0, t(4, 9, 0)), Timeliness::OpenNotDue);
        assert_eq!(timeliness(None, appointed, None, 0, t(5, 9, 1)), Timeliness::OpenOverdue);
        assert_eq!(timeliness(None, appointed, Some(t(4, 9, 0)), 1, t(20, 9, 0)), Timeliness::OpenNotDue);
        assert_eq!(timeliness(None, appointed, None, 2, t(3, 9, 0)), Timeliness::OpenOverdue);
        assert_eq!(timeliness(Some("early"), appointed, None, 0, t(30, 9, 0)), Timeliness::Early);
    }

    #[test]
    fn a_pause_of_seconds_keeps_the_appointment_at_the_close_of_the_day() {
        let c = cal();
        // Received Mon 2/11 09:00, 3 working days + 8 hours → Thu 5/11 17:00 as printed.
        let appointed = t(5, 17, 0);
        let steps = [
            step(Action::StartProcessing, IN_PROGRESS, t(3, 9, 0)),
            step(Action::RequestSupplement, SUPPLEMENT, t(3, 10, 0)),
            Step {
                action: "receive_supplement",
                to_status: IN_PROGRESS,
                at: t(3, 10, 0) + chrono::Duration::seconds(5),
                new_due_at: None,
            },
        ];
        let d = replay(&c, t(2, 9, 0), appointed, &steps, t(3, 11, 0));
        assert_eq!(d.due_at, appointed, "a few seconds paused is no pause");
        // A whole hour paused moves 17:00 on by one working hour: 08:00 the next day.
        let steps = [
            step(Action::StartProcessing, IN_PROGRESS, t(3, 9, 0)),
            step(Action::RequestSupplement, SUPPLEMENT, t(3, 10, 0)),
            step(Action::ReceiveSupplement, IN_PROGRESS, t(3, 11, 0)),
        ];
        assert_eq!(replay(&c, t(2, 9, 0), appointed, &steps, t(3, 11, 0)).due_at, t(6, 8, 0));
        // An appointment landing at 07:00 is shown as 17:00 of the previous working day
        // (Monday 07:00 → Friday 17:00).
        let local = |d: u32, h: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap().and_hms_opt(h, 0, 0).unwrap();
        assert_eq!(as_close(&c, local(9, 7)), local(6, 17));
        assert_eq!(as_close(&c, local(9, 8)), local(9, 8));
        assert_eq!(one_working_day_before(&c, local(9, 9)), local(6, 9));
        assert_eq!(one_working_day_before(&c, local(6, 17)), local(5, 17));
    }

    #[test]
    fn a_dossier_given_a_day_or_less_owes_its_apology_by_the_deadline_not_before_its_receipt() {
        let c = cal();
        // Same day: received Mon 2/11 09:00, due 17:00. One working day before the deadline is
        // Fri 30/10, before the dossier existed.
        let same_day = replay(&c, t(2, 9, 0), t(2, 17, 0), &[], t(2, 9, 0));
        assert_eq!(same_day.apology_by, Some(t(2, 17, 0)));
        assert!(!apology_due(IN_PROGRESS, false, None, same_day.apology_by, t(2, 9, 0)), "not at its receipt");
        assert!(!apology_due(IN_PROGRESS, false, None, same_day.apology_by, t(2, 16, 59)));
        assert!(apology_due(IN_PROGRESS, false, None, same_day.apology_by, t(2, 17, 0)));
        // One working day: received Mon 09:00, due Tue 09:00; the point falls on the receipt.
        assert_eq!(replay(&c, t(2, 9, 0), t(3, 9, 0), &[], t(2, 9, 0)).apology_by, Some(t(3, 9, 0)));
        // A day and an hour: the rule as written, Mon 10:00.
        assert_eq!(replay(&c, t(2, 9, 0), t(3, 10, 0), &[], t(2, 9, 0)).apology_by, Some(t(2, 10, 0)));
    }

    #[test]
    fn apology_is_due_one_working_day_before_and_late_without_it_is_a_breach() {
        let c = cal();
        let appointed = t(5, 9, 0);
        let apology =
            |at| Step { action: "apologize_and_extend", to_status: IN_PROGRESS, at, new_due_at: Some(t(10, 17, 0)) };
        // Form 04 is due by Wed 4/11 09:00.
        let d = replay(&c, t(2, 9, 0), appointed, &[], t(3, 9, 0));
        assert_eq!(d.apology_by, Some(t(4, 9, 0)));
        assert!(!apology_due(IN_PROGRESS, false, None, d.apology_by, t(4, 8, 59)));
        assert!(apology_due(IN_PROGRESS, false, None, d.apology_by, t(4, 9, 0)));
        assert!(!apology_due(IN_PROGRESS, true, None, d.apology_by, t(4, 9, 0)), "paused: the clock waits");
        // Timely apology, resolved late after the new date: late, no breach.
        let steps = [apology(t(4, 8, 0)), step(Action::Resolve, RESOLVED, t(9, 10, 0))];
        let d = replay(&c, t(2, 9, 0), appointed, &steps, t(9, 11, 0));
        assert_eq!(d.apology_timely, Some(true));
        assert!(!late_without_apology(Timeliness::Late, d.apology_timely));
        // Apology after the time it was due: a breach although the dossier was extended.
        let steps = [apology(t(5, 8, 0)), step(Action::Resolve, RESOLVED, t(9, 10, 0))];
        let d = replay(&c, t(2, 9, 0), appointed, &steps, t(9, 11, 0));
        assert_eq!((d.apology_timely, d.timeliness.as_deref()), (Some(false), Some("late")));
        assert!(late_without_apology(Timeliness::Late, d.apology_timely));
        // No apology at all, resolved late: resolving is never blocked, and it is a breach.
        let d = replay(&c, t(2, 9, 0), appointed, &[step(Action::Resolve, RESOLVED, t(9, 10, 0))], t(9, 11, 0));
        assert_eq!((d.apology_timely, d.timeliness.as_deref()), (None, Some("late")));
        assert!(late_without_apology(Timeliness::Late, None));
        assert!(!late_without_apology(Timeliness::OnTime, None));
        // One extension only: a second letter does not move the due time again.
        let second = Step {
            action: "apologize_and_extend",
            to_status: IN_PROGRESS,
            at: t(6, 8, 0),
            new_due_at: Some(t(20, 17, 0)),
        };
        let d = replay(&c, t(2, 9, 0), appointed, &[apology(t(4, 8, 0)), second], t(6, 9, 0));
        assert_eq!(d.due_at, t(10, 17, 0));
    }

    #[test]
    fn masking() {
        assert_eq!(mask_name("Nguyễn Văn An"), "N. V. A.");
        assert_eq!(mask_tail("0912345678", 3), "*******678");
    }
}
