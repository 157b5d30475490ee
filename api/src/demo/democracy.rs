//! Demo disclosures of xã Bình Lương: a year of them, relative to today — budget execution
//! every quarter, the year's estimate and last year's accounts, monthly notices relayed at the
//! six village meetings (some late, some not yet), a land-use plan taken down before its 30
//! days, and a draft regulation open for comment now.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use serde_json::json;

use crate::audit::{self, Actor, Change};
use crate::db::{DbConnection, fold_search, write_tx};
use crate::democracy::disclosures::model::{DisclosureChannel as Ch, DisclosureValues, NewRelay};
use crate::democracy::disclosures::{repo, rules, service};
use crate::error::AppResult;
use crate::http::Paging;
use crate::org::model::{Role, UserFilter};
use crate::org::repo as org_repo;
use crate::time::today_local;

struct Posting<'a> {
    item: &'a str,
    title: String,
    content: &'a str,
    channels: &'a [Ch],
    period: Option<String>,
    from: NaiveDate,
    days: i64,
    taken_down_after: Option<i64>,
    loudspeaker_days: Option<i32>,
    for_comment: bool,
    villages: bool,
}

/// Monthly notices read at the village meetings (what a commune typically relays).
const NOTICES: [(&str, &str); 12] = [
    ("D11-05", "Thông báo chủ trương đầu tư đường giao thông nông thôn thôn 3 – thôn 4"),
    ("D11-09", "Danh sách hộ nghèo, hộ cận nghèo đề nghị công nhận"),
    ("D11-08", "Công khai các khoản huy động Nhân dân đóng góp xây dựng nhà văn hóa thôn"),
    ("D11-10", "Mức thu phí chợ và lệ phí chứng thực áp dụng tại xã"),
    ("D11-05", "Phương án bồi thường, hỗ trợ giải phóng mặt bằng công trình kênh mương nội đồng"),
    ("D11-12", "Kết quả lấy ý kiến Nhân dân về quy ước các thôn"),
    ("D11-09", "Chính sách hỗ trợ nhà ở cho hộ nghèo năm nay"),
    ("D11-07", "Thủ tục hành chính tiếp nhận tại Bộ phận Một cửa và thời hạn giải quyết"),
    ("D11-11", "Kết quả giải quyết đơn kiến nghị của công dân thôn 2"),
    ("D11-05", "Tiến độ công trình trường mầm non điểm thôn 6"),
    ("D11-08", "Quyết toán quỹ phòng, chống thiên tai"),
    ("D11-13", "Kế hoạch tiêm chủng và vệ sinh phòng dịch mùa mưa"),
];

fn quarter_start(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), (d.month() - 1) / 3 * 3 + 1, 1).unwrap_or(d)
}

fn postings(today: NaiveDate) -> Vec<Posting<'static>> {
    let mut out = Vec::new();
    // Budget execution of the last four quarters, posted two weeks after each quarter ends.
    let mut q_end = quarter_start(today) - Duration::days(1);
    for _ in 0..4 {
        let label = rules::period_of(crate::democracy::disclosures::model::Periodicity::Quarterly, q_end);
        out.push(Posting {
            item: "D11-03",
            title: format!("Tình hình thực hiện ngân sách xã {}", label.clone().unwrap_or_default()),
            content: "Báo cáo thu, chi ngân sách xã trong quý theo Thông tư 343/2016/TT-BTC.",
            channels: &[Ch::Office, Ch::Loudspeaker, Ch::WebPage],
            period: label,
            from: q_end + Duration::days(14),
            days: 30,
            taken_down_after: None,
            loudspeaker_days: Some(3),
            for_comment: false,
            villages: false,
        });
        q_end = quarter_start(q_end) - Duration::days(1);
    }
    let year = today.year();
    if let Some(jan) = NaiveDate::from_ymd_opt(year, 1, 10).filter(|d| *d <= today) {
        out.push(Posting {
            item: "D11-02",
            title: format!("Dự toán ngân sách xã năm {year}"),
            content: "Dự toán thu, chi ngân sách xã đã được Hội đồng nhân dân xã quyết định.",
            channels: &[Ch::Office, Ch::WebPage, Ch::VillageMeeting],
            period: Some(year.to_string()),
            from: jan,
            days: 30,
            taken_down_after: None,
            loudspeaker_days: None,
            for_comment: false,
            villages: true,
        });
    }
    out.push(Posting {
        item: "D11-04",
        title: format!("Quyết toán ngân sách xã năm {}", year - 1),
        content: "Quyết toán thu, chi ngân sách xã đã được Hội đồng nhân dân xã phê chuẩn.",
        channels: &[Ch::Office, Ch::WebPage],
        period: Some((year - 1).to_string()),
        from: today - Duration::days(200),
        days: 30,
        taken_down_after: None,
        loudspeaker_days: None,
        for_comment: false,
        villages: false,
    });
    // A land-use plan taken down after 12 of its 30 days (the board must see it).
    out.push(Posting {
        item: "D11-06",
        title: "Kế hoạch sử dụng đất năm của xã".into(),
        content: "Bản đồ và danh mục công trình, dự án sử dụng đất trong năm.",
        channels: &[Ch::Office],
        period: None,
        from: today - Duration::days(95),
        days: 30,
        taken_down_after: Some(12),
        loudspeaker_days: None,
        for_comment: false,
        villages: false,
    });
    // A draft open for comment now.
    out.push(Posting {
        item: "D11-13",
        title: "Dự thảo Quy chế thực hiện dân chủ ở cơ sở của xã (lấy ý kiến Nhân dân)".into(),
        content: "Mời Nhân dân góp ý dự thảo quy chế tại Bộ phận Một cửa, qua trưởng thôn hoặc nhóm Zalo của xã.",
        channels: &[Ch::Office, Ch::VillageMeeting, Ch::Zalo, Ch::Loudspeaker],
        period: None,
        from: today - Duration::days(4),
        days: 30,
        taken_down_after: None,
        loudspeaker_days: Some(3),
        for_comment: true,
        villages: true,
    });
    // Monthly notices of the past year, read at the village meetings.
    for (m, (item, title)) in NOTICES.iter().enumerate() {
        out.push(Posting {
            item,
            title: (*title).to_string(),
            content: "Đề nghị trưởng thôn thông báo tại hội nghị thôn gần nhất và xác nhận trên ứng dụng.",
            channels: &[Ch::Office, Ch::VillageMeeting],
            period: None,
            from: today - Duration::days(i64::try_from(m).unwrap_or(0) * 30 + 6),
            days: 30,
            taken_down_after: None,
            loudspeaker_days: None,
            for_comment: false,
            villages: true,
        });
    }
    out
}

/// Seeds the demo disclosures once (when Bình Lương has none). Returns whether it seeded.
pub fn seed_demo_disclosures(conn: &mut DbConnection) -> AppResult<bool> {
    let Some(commune_id) = org_repo::commune_id_by_name(conn, "Bình Lương")? else { return Ok(false) };
    let today = today_local();
    if !repo::begun_between(conn, commune_id, today - Duration::days(3660), today + Duration::days(3660))?.is_empty() {
        return Ok(false);
    }
    let all = Paging { page: 1, per_page: Paging::MAX_PER_PAGE };
    let users = |role: Role, conn: &mut DbConnection| {
        let f = UserFilter { q: None, role: Some(role), unit_id: None, active: None, page: None, per_page: None };
        org_repo::list_users(conn, commune_id, &f, all)
    };
    let Some((board, _)) = users(Role::Board, conn)?.0.into_iter().next() else { return Ok(false) };
    let heads = users(Role::Village, conn)?.0;
    let villages = service::villages(conn, commune_id)?;
    let items = service::list_items(conn, commune_id)?;
    let actor = Actor::system("seed-demo");
    write_tx(conn, |conn| {
        let now = Utc::now().naive_utc();
        let mut count = 0;
        for (n, p) in postings(today).into_iter().enumerate() {
            let Some(item) = items.iter().find(|i| i.code == p.item) else { continue };
            let to = p.from + Duration::days(p.days - 1);
            // A periodic item's notice covers the period it was posted in.
            let period = p.period.clone().or_else(|| rules::period_of(item.periodicity, p.from));
            let row = repo::insert_disclosure(
                conn,
                commune_id,
                &DisclosureValues {
                    item_id: item.id,
                    title_search: fold_search(&p.title),
                    title: p.title.clone(),
                    content: p.content.into(),
                    channels: Ch::join(p.channels),
                    other_channel: None,
                    for_comment: p.for_comment,
                    period,
                    posted_from: p.from,
                    posted_to: to,
                    taken_down_on: p.taken_down_after.map(|d| p.from + Duration::days(d - 1)),
                    loudspeaker_days: p.loudspeaker_days,
                    evidence_note: "Ảnh chụp bảng niêm yết tại trụ sở UBND xã".into(),
                    responsible_unit_id: None,
                    responsible_name: "Văn phòng – Thống kê UBND xã".into(),
                    updated_at: now,
                },
                board.id,
                now,
            )?;
            count += 1;
            if !p.villages {
                continue;
            }
            let ids: Vec<i64> = villages.iter().map(|(id, _)| *id).collect();
            repo::set_villages(conn, row.id, &ids)?;
            for (v, (unit, name)) in villages.iter().enumerate() {
                // Delays of 1 to 12 days (beyond 7 is late), and most notices still wait for one
                // village (a different one each time).
                let delay = i64::try_from((v * 5 + n * 3) % 12 + 1).unwrap_or(1);
                let on = p.from + Duration::days(delay);
                if on > today || (v + n) % 7 == 0 {
                    continue;
                }
                let Some((head, _)) = heads.iter().find(|(u, _)| u.unit_id == Some(*unit)) else { continue };
                repo::insert_relay(
                    conn,
                    &NewRelay {
                        disclosure_id: row.id,
                        unit_id: *unit,
                        relayed_on: on,
                        note: format!("Đã thông báo tại hội nghị {name}."),
                        author_id: head.id,
                        author_name: head.full_name.clone(),
                        created_at: now,
                    },
                )?;
            }
        }
        audit::repo::record(
            conn,
            &actor,
            Change {
                commune_id: Some(commune_id),
                action: "seed",
                entity: "disclosure",
                entity_id: None,
                summary: json!({ "disclosures": count }),
            },
        )?;
        Ok(true)
    })
}

/// Two demo dialogues of Bình Lương (four months ago and last month), with commitments in every
/// state: kept on time, kept late, in progress, overdue, dropped, and open. Once.
pub fn seed_demo_dialogues(conn: &mut DbConnection) -> AppResult<bool> {
    use crate::democracy::dialogues::model::{CommitmentStatus as S, NewCommitment, NewCommitmentReport, NewDialogue};
    use crate::democracy::dialogues::repo as drepo;
    let Some(commune_id) = org_repo::commune_id_by_name(conn, "Bình Lương")? else { return Ok(false) };
    let today = today_local();
    let all = Paging { page: 1, per_page: Paging::MAX_PER_PAGE };
    let f = crate::democracy::dialogues::model::DialogueFilter::default();
    if drepo::list_dialogues(conn, commune_id, None, &f, all)?.1 > 0 {
        return Ok(false);
    }
    let uf = UserFilter { q: None, role: Some(Role::Board), unit_id: None, active: None, page: None, per_page: None };
    let Some((board, _)) = org_repo::list_users(conn, commune_id, &uf, all)?.0.into_iter().next() else {
        return Ok(false);
    };
    let units = {
        let f = crate::org::model::UnitFilter { q: None, kind: None, active: None, page: None, per_page: None };
        org_repo::list_units(conn, commune_id, &f, all)?.0
    };
    let unit = |code: &str| units.iter().find(|u| u.code.as_deref() == Some(code)).map(|u| u.id);
    let (Some(ubnd), Some(t3), Some(t5), Some(hnd), Some(mttq)) =
        (unit("UBND"), unit("T3"), unit("T5"), unit("HND"), unit("MTTQ"))
    else {
        return Ok(false);
    };
    let actor = Actor::system("seed-demo");
    write_tx(conn, |conn| {
        let now = Utc::now().naive_utc();
        let sessions = [
            (
                today - Duration::days(120),
                "Đường giao thông thôn 3, nước sinh hoạt, thu gom rác thải",
                vec![t3, t5],
                vec![
                    ("Sửa 500 m đường bê tông thôn 3 trước mùa mưa", ubnd, 60, S::Done, Some(50)),
                    ("Lắp thêm 2 bể lọc nước sinh hoạt cho thôn 5", ubnd, 45, S::Done, Some(70)),
                    ("Bố trí điểm tập kết rác thải tại thôn 3", t3, 30, S::Dropped, None),
                    ("Hướng dẫn hộ nghèo vay vốn chăn nuôi", hnd, 90, S::InProgress, None),
                ],
            ),
            (
                today - Duration::days(30),
                "Thủ tục hành chính tại Bộ phận Một cửa, an ninh trật tự",
                vec![t5],
                vec![
                    ("Niêm yết đầy đủ thủ tục và lệ phí tại Bộ phận Một cửa", ubnd, 10, S::Open, None),
                    ("Tổ chức tuyên truyền phòng chống lừa đảo qua mạng tại thôn 5", mttq, 60, S::Open, None),
                ],
            ),
        ];
        for (held_on, topics, villages, promises) in sessions {
            let d = drepo::insert_dialogue(
                conn,
                &NewDialogue {
                    commune_id,
                    held_on,
                    place: "Hội trường UBND xã Bình Lương".into(),
                    leaders: "Chủ tịch UBND xã; Chủ tịch Ủy ban MTTQ xã; Bí thư Đảng ủy xã".into(),
                    participants: 110,
                    topics: topics.into(),
                    topics_search: fold_search(topics),
                    minutes: "Biên bản hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân.".into(),
                    issues: "Người dân phản ánh đường xuống cấp, thiếu nước sạch mùa khô, thủ tục còn phải đi lại nhiều lần.".into(),
                    created_by: board.id,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            drepo::set_villages(conn, d.id, &villages)?;
            for (text, owner, due, status, done_after) in promises {
                let c = drepo::insert_commitment(
                    conn,
                    &NewCommitment {
                        commune_id,
                        dialogue_id: d.id,
                        text: text.into(),
                        owner_unit_id: owner,
                        due_on: held_on + Duration::days(due),
                        status: S::Open.as_str().into(),
                        created_at: now,
                        updated_at: now,
                    },
                )?;
                if status != S::Open {
                    drepo::insert_report(
                        conn,
                        &NewCommitmentReport {
                            commitment_id: c.id,
                            author_id: board.id,
                            author_name: board.full_name.clone(),
                            text: match status {
                                S::Done => "Đã hoàn thành, có ảnh nghiệm thu.".into(),
                                S::Dropped => "Thôn đã tự bố trí điểm tập kết; không cần thực hiện.".into(),
                                _ => "Đã hướng dẫn 12 hộ, còn 8 hộ đang hoàn thiện hồ sơ.".into(),
                            },
                            status: status.as_str().into(),
                            created_at: now,
                        },
                    )?;
                    drepo::set_status(
                        conn,
                        c.id,
                        status.as_str(),
                        done_after.map(|n| held_on + Duration::days(n)),
                        now,
                    )?;
                }
            }
        }
        audit::repo::record(
            conn,
            &actor,
            Change {
                commune_id: Some(commune_id),
                action: "seed",
                entity: "dialogue",
                entity_id: None,
                summary: json!({ "dialogues": 2 }),
            },
        )?;
        Ok(true)
    })
}
