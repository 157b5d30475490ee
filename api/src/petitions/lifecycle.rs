//! The petition lifecycle as pure functions: received → accepted (thụ lý) / refused / forwarded
//! → assigned → investigating → concluded → published / notified → closed, and withdrawal.
//! Asking the petitioner for information pauses the clock without changing the status.

pub const RECEIVED: &str = "received";
pub const ACCEPTED: &str = "accepted";
pub const REFUSED: &str = "refused";
pub const FORWARDED: &str = "forwarded";
pub const ASSIGNED: &str = "assigned";
pub const INVESTIGATING: &str = "investigating";
pub const CONCLUDED: &str = "concluded";
pub const PUBLISHED: &str = "published";
pub const NOTIFIED: &str = "notified";
pub const CLOSED: &str = "closed";
pub const WITHDRAWN: &str = "withdrawn";

pub const STATUSES: [&str; 11] = [
    RECEIVED,
    ACCEPTED,
    REFUSED,
    FORWARDED,
    ASSIGNED,
    INVESTIGATING,
    CONCLUDED,
    PUBLISHED,
    NOTIFIED,
    CLOSED,
    WITHDRAWN,
];

/// Event action recorded at receipt.
pub const RECEIVE: &str = "receive";

crate::text_enum! {
    /// A lifecycle action (`POST /petitions/{id}/actions` `{action, …}`).
    pub enum PetitionAction {
        Accept = "accept",
        Refuse = "refuse",
        Forward = "forward",
        Assign = "assign",
        StartInvestigation = "start_investigation",
        RequestInfo = "request_info",
        ReceiveInfo = "receive_info",
        Extend = "extend",
        Conclude = "conclude",
        Publish = "publish",
        Notify = "notify",
        Close = "close",
        Withdraw = "withdraw",
        RecordRating = "record_rating",
    }
}

/// Vietnamese name of a status.
pub fn status_name(status: &str) -> &'static str {
    match status {
        RECEIVED => "Đã tiếp nhận",
        ACCEPTED => "Đã thụ lý",
        REFUSED => "Không thụ lý",
        FORWARDED => "Đã chuyển đơn",
        ASSIGNED => "Đã giao xử lý",
        INVESTIGATING => "Đang xác minh",
        CONCLUDED => "Đã có kết luận",
        PUBLISHED => "Đã công khai trả lời",
        NOTIFIED => "Đã thông báo kết quả",
        CLOSED => "Đã kết thúc",
        WITHDRAWN => "Đã rút đơn",
        _ => "Không xác định",
    }
}

/// Vietnamese name of an action, as refusals name it.
pub fn action_name(action: PetitionAction) -> &'static str {
    use PetitionAction::*;
    match action {
        Accept => "Thụ lý",
        Refuse => "Không thụ lý",
        Forward => "Chuyển đơn",
        Assign => "Giao xử lý",
        StartInvestigation => "Bắt đầu xác minh",
        RequestInfo => "Đề nghị bổ sung thông tin",
        ReceiveInfo => "Đã nhận thông tin bổ sung",
        Extend => "Gia hạn",
        Conclude => "Kết luận",
        Publish => "Công khai trả lời",
        Notify => "Thông báo kết quả",
        Close => "Kết thúc",
        Withdraw => "Rút đơn",
        RecordRating => "Ghi nhận đánh giá",
    }
}

/// Whether the petition is still being handled.
pub fn is_open(status: &str) -> bool {
    matches!(status, RECEIVED | ACCEPTED | ASSIGNED | INVESTIGATING | CONCLUDED)
}

/// The status an action leads to from `from` (`paused`: information was asked for and has not
/// come), or `None` when the transition is illegal.
pub fn transition(from: &str, paused: bool, kind: &str, action: PetitionAction) -> Option<&'static str> {
    use PetitionAction::*;
    let same = STATUSES.into_iter().find(|s| *s == from)?;
    let to = match (action, from) {
        // Asking for information pauses; nothing else moves a paused petition but the answer,
        // a withdrawal, or a refusal (the petitioner did not supply what the law requires).
        (ReceiveInfo, _) if paused => same,
        (Withdraw, RECEIVED | ACCEPTED | ASSIGNED | INVESTIGATING) => WITHDRAWN,
        (Refuse, RECEIVED) => REFUSED,
        (_, _) if paused => return None,
        (RequestInfo, RECEIVED | ACCEPTED | ASSIGNED | INVESTIGATING) => same,
        (Accept, RECEIVED) => ACCEPTED,
        (Forward, RECEIVED) => FORWARDED,
        (Assign, ACCEPTED | ASSIGNED) => ASSIGNED,
        (StartInvestigation, ASSIGNED) => INVESTIGATING,
        (Extend, ACCEPTED | ASSIGNED | INVESTIGATING) if kind == "denunciation" => same,
        (Conclude, ASSIGNED | INVESTIGATING) => CONCLUDED,
        (Publish, CONCLUDED) => PUBLISHED,
        (Notify, CONCLUDED) => NOTIFIED,
        (Close, PUBLISHED | NOTIFIED | REFUSED | FORWARDED) => CLOSED,
        (RecordRating, CONCLUDED | PUBLISHED | NOTIFIED | CLOSED) => same,
        _ => return None,
    };
    Some(to)
}

/// Actions allowed now.
pub fn allowed(status: &str, paused: bool, kind: &str) -> Vec<PetitionAction> {
    PetitionAction::ALL.into_iter().filter(|a| transition(status, paused, kind, *a).is_some()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use PetitionAction::*;

    #[test]
    fn the_main_path_and_its_branches() {
        let k = "complaint";
        assert_eq!(transition(RECEIVED, false, k, Accept), Some(ACCEPTED));
        assert_eq!(transition(ACCEPTED, false, k, Assign), Some(ASSIGNED));
        assert_eq!(transition(ASSIGNED, false, k, StartInvestigation), Some(INVESTIGATING));
        assert_eq!(transition(INVESTIGATING, false, k, Conclude), Some(CONCLUDED));
        assert_eq!(transition(CONCLUDED, false, k, Notify), Some(NOTIFIED));
        assert_eq!(transition(NOTIFIED, false, k, Close), Some(CLOSED));
        assert_eq!(transition(RECEIVED, false, k, Refuse), Some(REFUSED));
        assert_eq!(transition(RECEIVED, false, k, Forward), Some(FORWARDED));
        // Illegal.
        assert_eq!(transition(RECEIVED, false, k, Conclude), None);
        assert_eq!(transition(ACCEPTED, false, k, Refuse), None);
        assert_eq!(transition(CLOSED, false, k, Withdraw), None);
        assert_eq!(transition(RECEIVED, false, k, Extend), None);
        assert_eq!(transition(INVESTIGATING, false, k, Extend), None, "only denunciations are extended");
        assert_eq!(transition(INVESTIGATING, false, "denunciation", Extend), Some(INVESTIGATING));
        assert_eq!(transition("nonsense", false, k, Accept), None);
        assert!(allowed(WITHDRAWN, false, k).is_empty(), "withdrawn is final");
        // A closed petition only takes the petitioner's rating of its handling.
        assert_eq!(allowed(CLOSED, false, k), vec![RecordRating]);
    }

    #[test]
    fn a_paused_petition_waits_for_the_answer() {
        let k = "feedback";
        assert_eq!(transition(INVESTIGATING, false, k, RequestInfo), Some(INVESTIGATING));
        assert_eq!(transition(INVESTIGATING, true, k, RequestInfo), None);
        assert_eq!(transition(INVESTIGATING, true, k, Conclude), None);
        assert_eq!(transition(INVESTIGATING, true, k, ReceiveInfo), Some(INVESTIGATING));
        assert_eq!(transition(INVESTIGATING, false, k, ReceiveInfo), None);
        assert_eq!(transition(RECEIVED, true, k, Refuse), Some(REFUSED));
        assert_eq!(allowed(INVESTIGATING, true, k), vec![ReceiveInfo, Withdraw]);
    }
}
