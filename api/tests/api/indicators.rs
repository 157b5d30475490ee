//! One-stop indicators and the 766 index on hand-built fixtures, every number worked out by hand.
//!
//! The fixture lives in a second commune (Xuân Bình) with three procedures of its own, so the
//! demo data does not touch the numbers. Dossiers and their events are written directly, with
//! times chosen in March 2025 (no holidays; 10/3 lunar = 7 April), and their derived columns are
//! replayed by the server's own `recompute` — exactly what happens after every live transition.
//! Local times below are UTC+7; one working day is 480 minutes (07:00–11:30, 13:30–17:00).

use chrono::{NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde_json::Value;
use thanthien::calendar::model::LimitUnit;
use thanthien::calendar::service as cal;
use thanthien::db::DbConnection;
use thanthien::db::schema::{communes, units};
use thanthien::onestop::catalogue::repo as catalogue_repo;
use thanthien::onestop::dossiers::{lifecycle, repo, service};
use thanthien::onestop::model::{DossierValues, NewDossier, NewEvent, ProcedureValues};
use thanthien::time::to_utc;

use crate::both_engines;
use crate::harness::TestApp;

fn local(d: u32, m: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
}

pub(crate) struct Fixture {
    commune: i64,
    unit: i64,
    p1: i64,
    p2: i64,
    p3: i64,
}

#[allow(clippy::too_many_arguments)]
fn procedure(
    c: &mut DbConnection,
    commune: i64,
    code: &str,
    field: &str,
    limit: (i32, &str),
    fee: Option<i64>,
    online_payment: bool,
    posting_complete: bool,
    levels: &[(&str, NaiveDate)],
) -> i64 {
    let now = Utc::now().naive_utc();
    let v = ProcedureValues {
        code: code.into(),
        name: format!("Thủ tục {code}"),
        name_search: format!("thu tuc {code}"),
        field: field.into(),
        limit_amount: limit.0,
        limit_unit: limit.1.into(),
        cutoff_minutes: 900,
        fee_vnd: fee,
        fee_note: None,
        online_payment,
        result_kind: "both".into(),
        posted_on: Some(NaiveDate::from_ymd_opt(2024, 1, 2).unwrap()),
        posting_complete,
        active: true,
        updated_at: now,
    };
    let row = catalogue_repo::insert_procedure(c, commune, &v, false, now).unwrap();
    for (level, from) in levels {
        catalogue_repo::set_online_level(c, row.id, level, *from, now).unwrap();
    }
    row.id
}

pub(crate) fn fixture(app: &TestApp) -> Fixture {
    app.second_commune();
    let mut c = app.conn();
    let commune: i64 =
        communes::table.filter(communes::name.eq("Xuân Bình")).select(communes::id).first(&mut c).unwrap();
    let unit: i64 = units::table.filter(units::commune_id.eq(commune)).select(units::id).first(&mut c).unwrap();
    let jan24 = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let mid_march = NaiveDate::from_ymd_opt(2025, 3, 15).unwrap();
    // T.1: 3 working days, no fee, none → partial on 15/3/2025, posting complete.
    let p1 = procedure(
        &mut c,
        commune,
        "T.1",
        "Hộ tịch",
        (3, "working_days"),
        None,
        false,
        true,
        &[("none", jan24), ("partial", mid_march)],
    );
    // T.2: 8 working hours, fee 10 000 đ payable online, fully online, posting complete.
    let p2 = procedure(
        &mut c,
        commune,
        "T.2",
        "Chứng thực",
        (8, "working_hours"),
        Some(10_000),
        true,
        true,
        &[("full", jan24)],
    );
    // T.3: 10 working days, no fee, not online, posting incomplete.
    let p3 = procedure(&mut c, commune, "T.3", "Đất đai", (10, "working_days"), None, false, false, &[]);
    Fixture { commune, unit, p1, p2, p3 }
}

/// Writes a dossier received at `received` (local) with its events (action, status, local
/// time), then replays them. Flags: (paid online, digitised, electronic result).
#[allow(clippy::too_many_arguments)]
fn dossier(
    app: &TestApp,
    f: &Fixture,
    code: &str,
    procedure: i64,
    channel: i32,
    received: NaiveDateTime,
    events: &[(&str, i32, NaiveDateTime)],
    flags: (bool, bool, bool),
) -> i64 {
    let mut c = app.conn();
    let p = catalogue_repo::get_procedure(&mut c, f.commune, procedure).unwrap();
    let calendar = cal::load_from(&mut c, Some(f.commune), received).unwrap();
    let unit = cal::unit_of(LimitUnit::parse(&p.limit_unit).unwrap(), p.cutoff_minutes);
    let due = to_utc(cal::due_local(&calendar, received, i64::from(p.limit_amount), unit).unwrap());
    let now = Utc::now().naive_utc();
    let d = repo::insert_dossier(
        &mut c,
        &NewDossier {
            commune_id: f.commune,
            unit_id: f.unit,
            code: code.into(),
            values: DossierValues {
                applicant_name: "Lê Thị Hồng Nhung".into(),
                applicant_search: "le thi hong nhung".into(),
                applicant_phone: "0987654321".into(),
                phone_digits: "0987654321".into(),
                applicant_id_number: "038190000001".into(),
                applicant_address: "Xuân Bình".into(),
                paid_online: flags.0,
                digitised: flags.1,
                electronic_result: flags.2,
                from_data_store: false,
                ..lifecycle::received_values(procedure, channel, to_utc(received), due)
            },
            created_by: None,
            created_at: now,
            updated_at: now,
            limit_amount: Some(p.limit_amount),
            limit_unit: Some(p.limit_unit.clone()),
            cutoff_minutes: Some(p.cutoff_minutes),
        },
    )
    .unwrap();
    let mut from = lifecycle::RECEIVED;
    let all = std::iter::once((lifecycle::RECEIVE, lifecycle::RECEIVED, received)).chain(events.iter().copied());
    for (action, to, at) in all {
        repo::insert_event(
            &mut c,
            &NewEvent {
                dossier_id: d.id,
                action: action.into(),
                from_status: (action != lifecycle::RECEIVE).then_some(from),
                to_status: to,
                at: to_utc(at),
                user_id: None,
                user_name: "Kiểm thử".into(),
                unit_id: Some(f.unit),
                unit_name: None,
                note: None,
                new_due_at: None,
            },
        )
        .unwrap();
        from = to;
    }
    service::recompute(&mut c, &d, now).unwrap();
    d.id
}

/// The March 2025 fixture (see the module comment for the calendar).
pub(crate) fn march(app: &TestApp) -> Fixture {
    let f = fixture(app);
    let (p1, p2, p3) = (f.p1, f.p2, f.p3);
    let none = (false, false, false);
    // D1 T.1 in person, Mon 3/3 09:00, due Thu 6/3 09:00; resolved Wed 5/3 10:00 → early.
    // Processing: Mon 360 + Tue 480 + Wed 07:00–10:00 180 = 1020 min = 2.125 days. Digitised.
    dossier(
        app,
        &f,
        "XB-D1",
        p1,
        1,
        local(3, 3, 9, 0),
        &[
            ("start_processing", 4, local(3, 3, 10, 0)),
            ("resolve", 9, local(5, 3, 10, 0)),
            ("return_result", 10, local(5, 3, 14, 0)),
        ],
        (false, true, false),
    );
    // D2 T.1 online, Mon 3/3 14:00, due Thu 6/3 14:00; paused Tue 4/3 09:00 → Thu 6/3 09:00
    // (960 min), so the deadline is Mon 10/3 14:00; resolved Mon 10/3 10:00 → on time.
    // Processing: 180 + 480 + 480 + 480 + 480 + 180 = 2280 − 960 = 1320 min = 2.75 days. E-result.
    dossier(
        app,
        &f,
        "XB-D2",
        p1,
        2,
        local(3, 3, 14, 0),
        &[
            ("start_processing", 4, local(3, 3, 15, 0)),
            ("request_supplement", 5, local(4, 3, 9, 0)),
            ("receive_supplement", 4, local(6, 3, 9, 0)),
            ("resolve", 9, local(10, 3, 10, 0)),
            ("return_result", 10, local(10, 3, 11, 0)),
        ],
        (false, false, true),
    );
    // D3 T.2 online, paid online, Tue 4/3 09:00, due Wed 5/3 09:00; resolved Wed 15:00 → late.
    // Processing: Tue 360 + Wed 360 = 720 min = 1.5 days. Digitised, e-result.
    dossier(
        app,
        &f,
        "XB-D3",
        p2,
        2,
        local(4, 3, 9, 0),
        &[("resolve", 9, local(5, 3, 15, 0)), ("return_result", 10, local(6, 3, 8, 0))],
        (true, true, true),
    );
    // D4 T.1 in person, Wed 5/3 09:00; two supplement requests (60 min paused each); resolved
    // Thu 6/3 09:00 → late (second supplement). Processing: 360 + 120 − 120 = 360 min = 0.75 days.
    dossier(
        app,
        &f,
        "XB-D4",
        p1,
        1,
        local(5, 3, 9, 0),
        &[
            ("request_supplement", 5, local(5, 3, 10, 0)),
            ("receive_supplement", 4, local(5, 3, 11, 0)),
            ("request_supplement", 5, local(5, 3, 14, 0)),
            ("receive_supplement", 4, local(5, 3, 15, 0)),
            ("resolve", 9, local(6, 3, 9, 0)),
            ("return_result", 10, local(6, 3, 10, 0)),
        ],
        none,
    );
    // D5 T.3 by post, Mon 24/3 09:00, due Tue 8/4 09:00 (7/4 is a holiday); resolved 2/4 →
    // open and not due at the end of March.
    dossier(app, &f, "XB-D5", p3, 3, local(24, 3, 9, 0), &[("resolve", 9, local(2, 4, 10, 0))], none);
    // D6 T.3 in person, Mon 3/3 09:00, due Mon 17/3 09:00, never finished → open overdue.
    dossier(app, &f, "XB-D6", p3, 1, local(3, 3, 9, 0), &[("start_processing", 4, local(3, 3, 9, 30))], none);
    // D7 T.2 in person, Fri 28/2 09:00 (before the period), due Mon 3/3 09:00; resolved Mon 3/3
    // 08:30 → on time (same day). Processing: 360 + 90 = 450 min = 0.9375 days.
    dossier(app, &f, "XB-D7", p2, 1, local(28, 2, 9, 0), &[("resolve", 9, local(3, 3, 8, 30))], none);
    // D8 T.1 in person, Mon 10/3 09:00, status 3 (not received, as a province file may hold
    // it) → left out of every figure: never received, never processed.
    dossier(app, &f, "XB-D8", p1, 1, local(10, 3, 9, 0), &[("refuse", 3, local(10, 3, 9, 30))], none);
    // D9 T.1 received 1/4 06:30 local (still 31/3 in UTC) → not in March.
    dossier(app, &f, "XB-D9", p1, 1, local(1, 4, 6, 30), &[], none);
    // D10 T.2 online, Mon 31/3 16:00, due Tue 1/4 16:00, open → not due at the end of March.
    dossier(app, &f, "XB-D10", p2, 2, local(31, 3, 16, 0), &[], none);
    f
}

fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let r = app.get(path, Some(token));
    assert_eq!(r.status, 200, "{path}: {}", r.text);
    r.body
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("number expected, got {v}"))
}

fn close(v: &Value, expected: f64) {
    assert!((f(v) - expected).abs() < 1e-9, "expected {expected}, got {v}");
}

fn march_indicators_by_hand(app: &TestApp) {
    let f = march(app);
    let admin = app.login("admin2");
    let r = get(app, &admin.token, "/api/v1/onestop/indicators?from=2025-03-01&to=2025-03-31");
    let o = &r["overall"];
    // Received in March: D1 D2 D3 D4 D5 D6 D10 (D7 in February, D9 in April, D8 never received).
    assert_eq!(o["received"], 7);
    assert_eq!(o["channels"], serde_json::json!({ "in_person": 3, "online": 3, "postal": 1 }));
    close(&o["online_share"], 3.0 / 7.0);
    // Ended in March: early D1, on time D2 D7, late D3 (after due) and D4 (second supplement);
    // D8's "refusal" is no end of processing.
    assert_eq!((o["early"].as_i64(), o["on_time"].as_i64(), o["late"].as_i64()), (Some(1), Some(2), Some(2)));
    close(&o["on_time_rate"], 3.0 / 5.0);
    // D3 and D4 ended late with no apology at all: two recorded breaches.
    assert_eq!(o["late_without_apology"], 2);
    // Resolved with a result: D1 D2 D3 D4 D7; returned in March: D1 D2 D3 D4.
    assert_eq!(o["resolved"], 5);
    assert_eq!(o["returned"], 4);
    // Open at the end of March: D5 (ends in April), D6 (overdue since 17/3), D10 (due 1/4).
    assert_eq!(o["in_progress"], 3);
    assert_eq!(o["open_overdue"], 1);
    assert_eq!(o["open_not_due"], 2);
    // Processing days of D4 0.75, D7 0.9375, D3 1.5, D1 2.125, D2 2.75.
    let p = &o["processing_days"];
    assert_eq!(p["count"], 5);
    close(&p["mean"], 1.6125);
    close(&p["median"], 1.5);
    close(&p["p90"], 2.75);
    // Shares: e-result D2 D3 of 5 resolved; digitised D1 D3 of 7; paid online D3 of the two
    // fee-bearing (T.2) dossiers received in March (D3, D10).
    close(&o["electronic_result_share"], 0.4);
    close(&o["digitised_share"], 2.0 / 7.0);
    close(&o["paid_online_share"], 0.5);
    assert_eq!(r["day_minutes"], 480);
    assert_eq!(r["communes"][0]["id"], f.commune);

    // By procedure: T.1 has D1 D2 D4 (and D8, left out); its limit is 3 days; processing 0.75,
    // 2.125, 2.75.
    let r = get(app, &admin.token, "/api/v1/onestop/indicators?from=2025-03-01&to=2025-03-31&group_by=procedure");
    let g = r["groups"].as_array().unwrap();
    assert_eq!(g.iter().map(|x| x["key"].as_str().unwrap()).collect::<Vec<_>>(), ["T.1", "T.2", "T.3"]);
    assert_eq!(g[0]["received"], 3);
    assert_eq!(g[0]["procedure_id"], f.p1);
    close(&g[0]["limit_days"], 3.0);
    close(&g[0]["processing_days"]["median"], 2.125);
    close(&g[0]["processing_days"]["mean"], (0.75 + 2.125 + 2.75) / 3.0);
    // T.2: 8 working hours = 1 day; D3 and D10 received, D3 late, D7 on time.
    close(&g[1]["limit_days"], 1.0);
    assert_eq!(
        (g[1]["received"].as_i64(), g[1]["late"].as_i64(), g[1]["on_time"].as_i64()),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!((g[2]["open_overdue"].as_i64(), g[2]["open_not_due"].as_i64()), (Some(1), Some(1)));

    // By field and by month.
    let r = get(app, &admin.token, "/api/v1/onestop/indicators?from=2025-03-01&to=2025-03-31&group_by=field");
    let fields: Vec<&str> = r["groups"].as_array().unwrap().iter().map(|x| x["key"].as_str().unwrap()).collect();
    assert_eq!(fields, ["Chứng thực", "Hộ tịch", "Đất đai"]);
    let r = get(app, &admin.token, "/api/v1/onestop/indicators?from=2025-02-01&to=2025-03-31&group_by=month");
    let m = r["groups"].as_array().unwrap();
    assert_eq!(m.len(), 2);
    assert_eq!(m[0]["key"], "2025-02");
    // February: D7 received, still open at the end of February and not yet due (3/3 09:00).
    assert_eq!((m[0]["received"].as_i64(), m[0]["in_progress"].as_i64()), (Some(1), Some(1)));
    assert_eq!(m[0]["open_not_due"], 1);
    assert_eq!(m[1]["received"], 7);
    assert_eq!(r["overall"]["received"], 8);

    // The numbers lead to the dossiers behind them: ended in March late; open at the end of March.
    let list = |q: &str| {
        let v = get(app, &admin.token, &format!("/api/v1/dossiers?{q}"));
        let mut codes: Vec<String> =
            v["items"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_string()).collect();
        codes.sort();
        codes
    };
    assert_eq!(list("finished_from=2025-03-01&finished_to=2025-03-31&timeliness=late"), ["XB-D3", "XB-D4"]);
    assert_eq!(list("open_at=2025-03-31"), ["XB-D10", "XB-D5", "XB-D6"]);
    // Open overdue / not due judged at the end of March, not now (D10 and D6 are still open
    // today and D10 is long overdue by now; D5 ended in April).
    assert_eq!(list("open_at=2025-03-31&timeliness=open_overdue"), ["XB-D6"]);
    assert_eq!(list("open_at=2025-03-31&timeliness=open_not_due"), ["XB-D10", "XB-D5"]);
    assert_eq!(list("timeliness=open_overdue"), ["XB-D10", "XB-D6", "XB-D9"]);
}

fn index766_by_hand(app: &TestApp) {
    march(app);
    let admin = app.login("admin2");
    let r = get(app, &admin.token, "/api/v1/onestop/index766?from=2025-03-01&to=2025-03-31");
    let by = |code: &str| r["indicators"].as_array().unwrap().iter().find(|i| i["code"] == code).unwrap().clone();
    // 1.3: T.1 and T.2 complete of 3 → 2/3 × 2.
    let i = by("1.3");
    assert_eq!((i["numerator"].as_i64(), i["denominator"].as_i64()), (Some(2), Some(3)));
    close(&i["score"], 1.33);
    // 2.1: (3 ended in time + 2 open not due) / (5 ended + 3 open) × 20. The status-3 D8 was
    // never received: before, it counted as received and ended early, lifting 2.1 to 13.33.
    let i = by("2.1");
    assert_eq!((i["numerator"].as_i64(), i["denominator"].as_i64()), (Some(5), Some(8)));
    close(&i["score"], 12.5);
    // 3.x: on 31/3 T.1 partial and T.2 full (A = 2/3 → 2·0.667/0.8 = 1.67); both had an online
    // dossier (B = 1 → 4); 3 of 7 dossiers online (C = 0.4286 → 5.14).
    let i = by("3.x");
    let parts: Vec<f64> = i["parts"].as_array().unwrap().iter().map(|p| f(&p["score"])).collect();
    assert_eq!(parts, vec![1.67, 4.0, 5.14]);
    close(&i["score"], 10.81);
    // 3.5: T.2 is the only fee-bearing procedure: A = 1/2 → 3, B = 1 → 2, C = 1 → 2.5.
    close(&by("3.5")["score"], 7.5);
    // 4.1: 2 e-results of 5 resolved → 2.4; 4.2: 2 digitised of 7 → 1.14; 4.1b: the commune
    // offers electronic certified copies (T.2, Chứng thực, electronic result) → 2; 4.4: none
    // of the 7 took components from the national data store → 0 of 4.
    close(&by("4.1")["score"], 2.4);
    close(&by("4.2")["score"], 1.14);
    close(&by("4.1b")["score"], 2.0);
    let i = by("4.4");
    assert_eq!(
        (i["applicable"].as_bool(), i["numerator"].as_i64(), i["denominator"].as_i64()),
        (Some(true), Some(0), Some(7))
    );
    // What the commune cannot measure is not applicable, with the reason, and not counted;
    // the population-data rows apply to provinces only.
    assert_eq!(by("4.5a")["reason_code"], "province_only");
    for code in ["1.1", "1.2", "1.4", "4.3", "4.5a", "4.5b", "5.2", "5.3", "5.4"] {
        let i = by(code);
        assert_eq!(i["applicable"], false, "{code}");
        assert!(i["reason"].as_str().is_some_and(|s| !s.is_empty()), "{code}");
        assert_eq!(i["score"], 0.0);
    }
    // The maxima of every row add up to 100 (group 4 is 22 points).
    let maxima: f64 = r["indicators"].as_array().unwrap().iter().map(|i| f(&i["max_score"])).sum();
    assert!((maxima - 100.0).abs() < 1e-9, "{maxima}");
    close(&r["out_of"], 100.0);
    close(&r["total"], 37.68);
    close(&r["max"], 60.0);
    close(&r["percent"], 62.8);
    // 60 measurable points of 100: no band on so thin a base.
    assert_eq!(r["band"], Value::Null);
    assert_eq!(r["summary"], "37,68 / 60 điểm đo được (trên 100)");
    // Level changes mid-period: on 10/3 T.1 was not online yet → A = 1/3 → 0.83; only T.2 online
    // and used (B = 4); online dossiers received 1–10/3: D2, D3 of D1 D2 D3 D4 D6 → C = 0.4 → 4.8.
    let r = get(app, &admin.token, "/api/v1/onestop/index766?from=2025-03-01&to=2025-03-10");
    let i = r["indicators"].as_array().unwrap().iter().find(|i| i["code"] == "3.x").unwrap().clone();
    let parts: Vec<f64> = i["parts"].as_array().unwrap().iter().map(|p| f(&p["score"])).collect();
    assert_eq!(parts, vec![0.83, 4.0, 4.8]);
}

fn online_levels_and_targets(app: &TestApp) {
    march(app);
    let admin = app.login("admin2");
    let r = get(app, &admin.token, "/api/v1/onestop/online-levels?year=2025");
    assert_eq!(r["as_of"], "2025-12-31");
    assert_eq!((r["full"].as_i64(), r["partial"].as_i64(), r["none"].as_i64()), (Some(1), Some(1), Some(1)));
    close(&r["online_share"], 2.0 / 3.0);
    let trend = r["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 12);
    // February: T.1 not yet online; March (from 15/3): partial.
    assert_eq!((trend[1]["partial"].as_i64(), trend[1]["none"].as_i64()), (Some(0), Some(2)));
    assert_eq!((trend[2]["month"].as_str(), trend[2]["partial"].as_i64()), (Some("2025-03"), Some(1)));
    assert_eq!(r["target"], Value::Null);
    // As of any day: on 10/3/2025 T.1 was not online yet; the trend runs to that day.
    let r = get(app, &admin.token, "/api/v1/onestop/online-levels?as_of=2025-03-10");
    assert_eq!((r["year"].as_i64(), r["as_of"].as_str()), (Some(2025), Some("2025-03-10")));
    assert_eq!((r["full"].as_i64(), r["partial"].as_i64(), r["none"].as_i64()), (Some(1), Some(0), Some(2)));
    assert_eq!(r["trend"].as_array().unwrap().len(), 3);
    assert_eq!(r["trend"][2]["as_of"], "2025-03-10");
    let bad = app.get("/api/v1/onestop/online-levels?year=2026&as_of=2025-03-10", Some(&admin.token));
    assert_eq!((bad.status, bad.body["errors"][0]["field"].as_str()), (422, Some("as_of")));
    let csv = app.get("/api/v1/onestop/online-levels.csv?as_of=2025-03-31", Some(&admin.token));
    assert_eq!(csv.status, 200);
    let lines: Vec<&str> = csv.text.lines().collect();
    // Header, January–March, a blank line, the procedure header and the three procedures.
    assert_eq!(lines.len(), 1 + 3 + 1 + 1 + 3, "{}", csv.text);
    assert!(lines[3].starts_with("2025-03,31/03/2025,3,1,1,1,"), "{}", lines[3]);
    assert!(csv.text.contains("T.1,Thủ tục T.1,Hộ tịch,Một phần"));
    // Only the board sets targets; the admin of the commune may not.
    let body = serde_json::json!({ "online_share": 0.8, "full_share": 0.5, "note": "Nghị quyết HĐND xã" });
    assert_eq!(app.send("PUT", "/api/v1/onestop/targets/2025", Some(&admin.token), Some(body.clone())).status, 403);
    let bdh = app.login("bdh");
    let r = app.send("PUT", "/api/v1/onestop/targets/2026", Some(&bdh.token), Some(body));
    assert_eq!(r.status, 200, "{}", r.text);
    let bad = serde_json::json!({ "online_share": 0.5, "full_share": 0.7 });
    let r = app.send("PUT", "/api/v1/onestop/targets/2026", Some(&bdh.token), Some(bad));
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["field"], "full_share");
    let r = app.send(
        "PUT",
        "/api/v1/onestop/targets/2026",
        Some(&bdh.token),
        Some(serde_json::json!({ "online_share": 2 })),
    );
    assert_eq!(r.status, 422);
    let r = get(app, &bdh.token, "/api/v1/onestop/online-levels?year=2026");
    close(&r["target"]["online_share"], 0.8);
    assert_eq!(r["target"]["note"], "Nghị quyết HĐND xã");
    // The demo commune's catalogue is its own (15–25 procedures), the fixture's is not in it.
    assert!(r["total"].as_i64().unwrap() >= 15);
    assert!(r["procedures"].as_array().unwrap().iter().all(|p| p["code"] != "T.1"));
}

fn oversight_sees_every_commune_without_personal_data(app: &TestApp) {
    let f = march(app);
    let o = app.login("tinh");
    let r = get(app, &o.token, "/api/v1/onestop/indicators?from=2025-03-01&to=2025-03-31&group_by=commune");
    assert!(r["communes"].as_array().unwrap().len() >= 2);
    // The demo commune had no dossiers in March 2025: the sum is the fixture's.
    assert_eq!(r["overall"]["received"], 7);
    let xb = r["groups"].as_array().unwrap().iter().find(|g| g["commune_id"] == f.commune).unwrap().clone();
    assert_eq!(xb["received"], 7);
    assert!(!r.to_string().contains("Nhung"), "no applicant data in statistics");
    let one = get(
        app,
        &o.token,
        &format!("/api/v1/onestop/indicators?from=2025-03-01&to=2025-03-31&commune_id={}", f.commune),
    );
    assert_eq!(one["overall"]["received"], 7);
    let idx = get(app, &o.token, "/api/v1/onestop/index766?from=2025-03-01&to=2025-03-31");
    assert!(idx["communes"].as_array().unwrap().iter().any(|c| c["commune_id"] == f.commune && c["total"] == 37.68));
    // Oversight follows a figure to the dossiers of one commune, without personal data.
    let r = get(
        app,
        &o.token,
        &format!(
            "/api/v1/dossiers?commune_id={}&finished_from=2025-03-01&finished_to=2025-03-31&timeliness=late",
            f.commune
        ),
    );
    assert_eq!(r["total"], 2);
    assert!(!r.to_string().contains("Nhung") && !r.to_string().contains("0987654321"), "masked: {r}");
    let r = app.get("/api/v1/dossiers", Some(&o.token));
    assert_eq!((r.status, r.body["errors"][0]["field"].as_str()), (422, Some("commune_id")));
    assert_eq!(app.get("/api/v1/dossiers?commune_id=999999", Some(&o.token)).status, 404);
    // Outside one's scope is 404: another commune for staff, an unknown one for oversight.
    let ubnd = app.login("ubnd");
    let r = app.get(&format!("/api/v1/onestop/indicators?commune_id={}", f.commune), Some(&ubnd.token));
    assert_eq!(r.status, 404);
    assert_eq!(app.get(&format!("/api/v1/dossiers?commune_id={}", f.commune), Some(&ubnd.token)).status, 404);
    assert_eq!(app.get("/api/v1/onestop/index766?commune_id=999999", Some(&o.token)).status, 404);
    // Every staff role reads statistics.
    for user in ["admin", "bdh", "ubnd", "mttq", "thon1"] {
        let t = app.login(user);
        assert_eq!(app.get("/api/v1/onestop/indicators", Some(&t.token)).status, 200, "{user}");
    }
}

fn bad_queries_and_exports(app: &TestApp) {
    march(app);
    let admin = app.login("admin2");
    for q in
        ["from=2025-04-01&to=2025-03-01", "from=2000-01-01&to=2025-01-01", "group_by=week", "from=yesterday", "x=1"]
    {
        let r = app.get(&format!("/api/v1/onestop/indicators?{q}"), Some(&admin.token));
        assert!(r.status == 400 || r.status == 422, "{q}: {}", r.status);
    }
    assert_eq!(app.get("/api/v1/onestop/indicators", None).status, 401);
    let r =
        app.get("/api/v1/onestop/indicators.csv?from=2025-03-01&to=2025-03-31&group_by=procedure", Some(&admin.token));
    assert_eq!(r.status, 200);
    assert!(r.text.starts_with('\u{feff}'));
    let lines: Vec<&str> = r.text.lines().collect();
    assert_eq!(lines.len(), 1 + 1 + 3, "header, overall, three procedures");
    assert!(lines[0].contains("Tiếp nhận"));
    assert!(lines[1].starts_with("Tổng,,,,7,5,4,3,1,2,2,1,2,"), "{}", lines[1]);
    let r = app.get("/api/v1/onestop/index766.csv?from=2025-03-01&to=2025-03-31", Some(&admin.token));
    assert!(r.text.contains("2.1,Giải quyết hồ sơ trước hạn, đúng hạn".split(',').next().unwrap()));
    let lines: Vec<&str> = r.text.lines().collect();
    assert!(lines[lines.len() - 2].contains("37.68"), "{}", r.text);
    // The export says there is no band, and why.
    assert!(lines[lines.len() - 1].contains("37,68 / 60 điểm đo được (trên 100)"), "{}", r.text);
    assert!(lines[lines.len() - 1].contains("Không xếp loại"), "{}", r.text);
    let r = app.get("/api/v1/onestop/index766.xlsx?from=2025-03-01&to=2025-03-31", Some(&admin.token));
    assert_eq!(r.status, 200);
    assert!(r.text.starts_with("PK"));
}

both_engines!(
    march_indicators_by_hand,
    index766_by_hand,
    online_levels_and_targets,
    oversight_sees_every_commune_without_personal_data,
    bad_queries_and_exports,
);
