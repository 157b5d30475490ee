//! The dossier lifecycle on the national status codes, as pure functions: which action moves
//! which status where, and what the events imply (due date, pauses, timeliness).

use chrono::NaiveDateTime;

use crate::calendar::engine::WorkCalendar;
use crate::onestop::model::{Action, DerivedChanges, Timeliness};
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
        (RequestSupplement, RECEIVED | IN_PROGRESS) => SUPPLEMENT,
        (ReceiveSupplement, SUPPLEMENT) => IN_PROGRESS,
        (RequestPayment, RECEIVED | IN_PROGRESS) => FINANCIAL,
        (ConfirmPayment, FINANCIAL) => IN_PROGRESS,
        (Refuse, SUBMITTED | RECEIVED) => REFUSED,
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

/// Replays the events from the appointment given at intake: pauses move the deadline and the
/// due time by the working time spent paused; an apology sets a new due time; the first end
/// of processing fixes the timeliness. Times in and out are UTC.
pub fn replay(
    cal: &WorkCalendar,
    received_at: NaiveDateTime,
    appointed_at: NaiveDateTime,
    steps: &[Step<'_>],
    now: NaiveDateTime,
) -> DerivedChanges {
    let mut deadline = to_local(appointed_at);
    let mut due = deadline;
    let mut paused: Option<NaiveDateTime> = None;
    // Working seconds spent paused (supplement, financial obligation) before the end.
    let mut paused_secs: u64 = 0;
    let mut finished: Option<NaiveDateTime> = None;
    let mut resolved: Option<NaiveDateTime> = None;
    let mut returned: Option<NaiveDateTime> = None;
    let mut supplements = 0;
    let mut extended = false;
    let mut status = RECEIVED;
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
                    let secs = cal.working_seconds_between(p, at).unwrap_or(0);
                    paused_secs += secs;
                    if secs > 0 {
                        deadline = cal.add_working_seconds(deadline, secs).unwrap_or(deadline);
                        due = cal.add_working_seconds(due, secs).unwrap_or(due);
                    }
                }
            }
            Some(Action::ApologizeAndExtend) => {
                if let Some(d) = s.new_due_at {
                    due = to_local(d);
                    extended = true;
                }
            }
            Some(Action::Resolve) => {
                if resolved.is_none() && finished.is_none() {
                    paused_secs += paused.map_or(0, |p| cal.working_seconds_between(p, at).unwrap_or(0));
                }
                resolved.get_or_insert(at);
                paused = None;
            }
            Some(Action::ReturnResult) => {
                returned.get_or_insert(at);
            }
            Some(Action::Refuse | Action::Withdraw | Action::Stop) => {
                if resolved.is_none() && finished.is_none() {
                    paused_secs += paused.map_or(0, |p| cal.working_seconds_between(p, at).unwrap_or(0));
                }
                finished.get_or_insert(at);
                paused = None;
            }
            Some(Action::StartProcessing) | None => {}
        }
    }
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
        assert_eq!(legal.len(), 25);
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
    fn masking() {
        assert_eq!(mask_name("Nguyễn Văn An"), "N. V. A.");
        assert_eq!(mask_tail("0912345678", 3), "*******678");
    }
}
