//! Demo disclosures of xã Bình Lương: a year of them, relative to today — budget execution
//! every quarter, the year's estimate and last year's accounts, monthly notices relayed at the
//! six village meetings (some late, some not yet), a land-use plan taken down before its 30
//! days, and a draft regulation open for comment now.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use serde_json::json;

use crate::audit::{self, Actor, Change};
use crate::db::{DbConnection, fold_search, write_tx};
use crate::democracy::common::model::{NewItem, Report};
use crate::democracy::common::repo::ItemTables;
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
            title: format!(
                "Tình hình thực hiện ngân sách xã {}",
                label.as_deref().map(rules::period_words).unwrap_or_default()
            ),
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
    // Monthly notices of the past year, read at the village meetings. Their text is what citizens
    // read on the public page, so it speaks to them, not to the village heads.
    for (m, (item, title)) in NOTICES.iter().enumerate() {
        out.push(Posting {
            item,
            title: (*title).to_string(),
            content: "Toàn văn thông báo niêm yết tại trụ sở UBND xã và được phổ biến tại hội nghị các thôn.",
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
    use crate::democracy::dialogues::model::{CommitmentStatus as S, DialogueValues, NewDialogue};
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
                    created_by: board.id,
                    created_at: now,
                    values: DialogueValues {
                        held_on,
                        place: "Hội trường UBND xã Bình Lương".into(),
                        leaders: "Chủ tịch UBND xã; Chủ tịch Ủy ban MTTQ xã; Bí thư Đảng ủy xã".into(),
                        participants: 110,
                        topics: topics.into(),
                        topics_search: fold_search(topics),
                        minutes: "Biên bản hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân.".into(),
                        issues: "Người dân phản ánh đường xuống cấp, thiếu nước sạch mùa khô, thủ tục còn phải đi lại nhiều lần.".into(),
                        updated_at: now,
                    },
                },
            )?;
            drepo::set_villages(conn, d.id, &villages)?;
            for (text, owner, due, status, done_after) in promises {
                let c = drepo::CommitmentTables::insert(
                    conn,
                    &NewItem {
                        commune_id,
                        sitting_id: d.id,
                        text,
                        owner_unit_id: owner,
                        due_on: held_on + Duration::days(due),
                        status: S::Open.as_str(),
                        now,
                    },
                )?;
                if status != S::Open {
                    drepo::CommitmentTables::insert_report(
                        conn,
                        &Report {
                            item_id: c.id,
                            author_id: board.id,
                            author_name: &board.full_name,
                            text: match status {
                                S::Done => "Đã hoàn thành, có ảnh nghiệm thu.",
                                S::Dropped => "Thôn đã tự bố trí điểm tập kết; không cần thực hiện.",
                                _ => "Đã hướng dẫn 12 hộ, còn 8 hộ đang hoàn thiện hồ sơ.",
                            },
                            status: status.as_str(),
                            done_on: done_after.map(|n| held_on + Duration::days(n)),
                            now,
                        },
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

/// Demo awareness activities (one a month for a year, across the villages, the first content
/// area's awareness task linked), quarterly coordination meetings with decisions (done on time,
/// done late, open, overdue) and the People's Inspection Board's supervisions with
/// recommendations (answered, accepted, pending). Once.
pub fn seed_demo_coordination(conn: &mut DbConnection) -> AppResult<bool> {
    use crate::democracy::activities::model::{
        ActivityChannel as Chan, ActivityFilter, ActivityKind, ActivityValues, NewActivity,
    };
    use crate::democracy::activities::repo as arepo;
    use crate::democracy::boards::model::{NewRecommendation, NewSupervision, ResponseStatus as R};
    use crate::democracy::boards::repo as brepo;
    use crate::democracy::dialogues::model::CommitmentStatus as S;
    use crate::democracy::meetings::model::{MeetingValues, NewMeeting};
    use crate::democracy::meetings::repo as mrepo;
    let Some(commune_id) = org_repo::commune_id_by_name(conn, "Bình Lương")? else { return Ok(false) };
    let today = today_local();
    let all = Paging { page: 1, per_page: Paging::MAX_PER_PAGE };
    if arepo::list(conn, commune_id, None, &ActivityFilter::default(), all)?.1 > 0 {
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
    let codes = ["UBND", "MTTQ", "HPN", "HND", "CCB", "DTN", "TTND", "T1", "T2", "T3", "T4", "T5", "T6"];
    let ids: Vec<Option<i64>> = codes.iter().map(|c| unit(c)).collect();
    let Some(ids) = ids.into_iter().collect::<Option<Vec<i64>>>() else { return Ok(false) };
    let [ubnd, mttq, hpn, hnd, ccb, dtn, ttnd, t1, t2, t3, t4, t5, t6] = ids[..] else { return Ok(false) };
    let villages = [t1, t2, t3, t4, t5, t6];
    // The demo plan's awareness task (the first content area's "tuyên truyền" task), if any.
    let pf = crate::plans::model::PlanFilter { year: None, status: None, q: None, page: None, per_page: None };
    let plan = crate::plans::repo::list_plans(conn, commune_id, &pf, all)?.0.into_iter().max_by_key(|p| (p.year, p.id));
    let task = match &plan {
        Some(p) => crate::plans::repo::plan_tasks(conn, p.id)?
            .into_iter()
            .filter(|t| fold_search(&t.title).contains("tuyen truyen"))
            .min_by_key(|t| t.id),
        None => None,
    };
    let actor = Actor::system("seed-demo");
    write_tx(conn, |conn| {
        let now = Utc::now().naive_utc();
        // Monthly awareness sessions over the last year.
        let topics = [
            ("Tuyên truyền Luật Thực hiện dân chủ ở cơ sở", Chan::Meeting, hpn, "hội viên phụ nữ"),
            ("Phổ biến thủ tục hành chính trực tuyến mức độ toàn trình", Chan::Zalo, dtn, "đoàn viên thanh niên"),
            ("Tuyên truyền phòng chống lừa đảo qua mạng", Chan::Loudspeaker, ubnd, "toàn dân"),
            ("Phát tờ rơi về dịch vụ công và đường dây nóng của xã", Chan::Leaflets, mttq, "hộ gia đình"),
            ("Đến từng hộ vận động đóng góp xây dựng đường giao thông", Chan::Visits, hnd, "hội viên nông dân"),
            (
                "Tuyên truyền mô hình Chính quyền thân thiện tại họp thôn",
                Chan::Meeting,
                ccb,
                "cựu chiến binh, người cao tuổi",
            ),
        ];
        for m in 0..12i64 {
            let (title, channel, unit_id, groups) = topics[(m % 6) as usize];
            let village = villages[(m % 6) as usize];
            let held_on = today - Duration::days(15 + 30 * m);
            let t = format!("{title} (thôn {})", m % 6 + 1);
            let row = arepo::insert(
                conn,
                &NewActivity {
                    commune_id,
                    created_by: board.id,
                    created_at: now,
                    values: ActivityValues {
                        kind: ActivityKind::Awareness.as_str().into(),
                        content_area_id: task.as_ref().map(|x| x.content_area_id),
                        held_on,
                        place: format!("Nhà văn hóa thôn {}", m % 6 + 1),
                        channel: channel.as_str().into(),
                        participants: 40 + ((m * 17) % 60) as i32,
                        groups_reached: groups.into(),
                        title_search: fold_search(&t),
                        title: t,
                        summary: "Phổ biến nội dung, giải đáp thắc mắc của người dân.".into(),
                        task_id: if m % 2 == 0 { task.as_ref().map(|x| x.id) } else { None },
                        updated_at: now,
                    },
                },
            )?;
            arepo::set_units(conn, row.id, &[unit_id, village])?;
        }
        // Quarterly coordination meetings (giao ban) of the UBND with the Front and the unions.
        let mut all_decisions = 0;
        for q in 0..4i64 {
            let held_on = today - Duration::days(10 + 91 * q);
            let agenda = format!("Giao ban quý: kết quả phối hợp thực hiện mô hình, công tác dân vận (kỳ {})", 4 - q);
            let m = mrepo::insert_meeting(
                conn,
                &NewMeeting {
                    commune_id,
                    created_by: board.id,
                    created_at: now,
                    values: MeetingValues {
                        held_on,
                        place: "Phòng họp UBND xã Bình Lương".into(),
                        chaired_by: "Chủ tịch UBND xã".into(),
                        agenda_search: fold_search(&agenda),
                        agenda,
                        minutes: "Các đơn vị báo cáo kết quả quý; thống nhất nhiệm vụ quý tới.".into(),
                        updated_at: now,
                    },
                },
            )?;
            mrepo::set_units(conn, m.id, &[(ubnd, 3), (mttq, 2), (hpn, 1), (hnd, 1), (ccb, 1), (dtn, 1)])?;
            let decisions: [(&str, i64, i64, S, Option<i64>); 3] = [
                ("Mặt trận chủ trì hội nghị đối thoại với Nhân dân", mttq, 45, S::Done, Some(40)),
                ("Hội Phụ nữ tuyên truyền tại 6 thôn về thủ tục trực tuyến", hpn, 30, S::Done, Some(38)),
                ("UBND rà soát, niêm yết lại thủ tục tại Bộ phận Một cửa", ubnd, 20, S::InProgress, None),
            ];
            for (text, owner, due, status, done_after) in decisions {
                let due_on = held_on + Duration::days(due);
                // The latest meeting's decisions are still running.
                let status = if q == 0 { S::Open } else { status };
                let d = mrepo::DecisionTables::insert(
                    conn,
                    &NewItem {
                        commune_id,
                        sitting_id: m.id,
                        text,
                        owner_unit_id: owner,
                        due_on,
                        status: status.as_str(),
                        now,
                    },
                )?;
                all_decisions += 1;
                if status != S::Open {
                    mrepo::DecisionTables::insert_report(
                        conn,
                        &Report {
                            item_id: d.id,
                            author_id: board.id,
                            author_name: &board.full_name,
                            text: if status == S::Done { "Đã thực hiện xong." } else { "Đang thực hiện." },
                            status: status.as_str(),
                            done_on: done_after.map(|n| held_on + Duration::days(n)),
                            now,
                        },
                    )?;
                }
            }
        }
        // The People's Inspection Board: two supervisions with recommendations.
        let sups = [
            (
                today - Duration::days(75),
                "Việc giải quyết thủ tục hành chính tại Bộ phận Một cửa",
                vec![
                    (
                        "Gửi thư xin lỗi khi trả hồ sơ quá hạn",
                        Some(ubnd),
                        R::Resolved,
                        "Đã gửi thư xin lỗi 3 trường hợp.",
                        Some(20),
                    ),
                    (
                        "Niêm yết số điện thoại đường dây nóng",
                        Some(ubnd),
                        R::Resolved,
                        "Đã niêm yết tại Bộ phận Một cửa.",
                        Some(7),
                    ),
                ],
            ),
            (
                today - Duration::days(20),
                "Việc thu, chi khoản đóng góp xây dựng nhà văn hóa thôn 3",
                vec![
                    (
                        "Công khai chi tiết các khoản chi tại họp thôn",
                        Some(t3),
                        R::Accepted,
                        "Thôn sẽ công khai tại họp thôn tháng tới.",
                        Some(5),
                    ),
                    ("Bổ sung chứng từ khoản chi mua vật liệu", Some(ubnd), R::Pending, "", None),
                ],
            ),
        ];
        for (held_on, subject, recs) in sups {
            let s = brepo::insert_supervision(
                conn,
                &NewSupervision {
                    commune_id,
                    board_unit_id: ttnd,
                    held_on,
                    subject: subject.into(),
                    findings: "Ban đã làm việc với bộ phận liên quan và kiểm tra hồ sơ.".into(),
                    created_by: board.id,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            for (text, to, status, answer, after) in recs {
                let r = brepo::insert_recommendation(
                    conn,
                    &NewRecommendation {
                        commune_id,
                        supervision_id: s.id,
                        text: text.into(),
                        addressed_unit_id: to,
                        status: R::Pending.as_str().into(),
                        answer: String::new(),
                        created_at: now,
                        updated_at: now,
                    },
                )?;
                if status != R::Pending {
                    let on = after.map(|n| held_on + Duration::days(n));
                    brepo::respond(conn, r.id, status.as_str(), answer, on, Some(board.id), now)?;
                }
            }
        }
        audit::repo::record(
            conn,
            &actor,
            Change {
                commune_id: Some(commune_id),
                action: "seed",
                entity: "activity",
                entity_id: None,
                summary: json!({ "activities": 12, "meetings": 4, "decisions": all_decisions, "supervisions": 2 }),
            },
        )?;
        Ok(true)
    })
}
