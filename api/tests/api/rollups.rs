//! Roll-ups (`docs/rollups.md`): after many random intakes, lifecycle actions, flag changes and
//! province imports — backdated ones included — the indicators and the 766 index read from the
//! roll-ups equal those of a scan of the dossier rows, for a commune, another commune and the
//! province, over random periods (past, current and future); `verify` finds the roll-ups equal to
//! their recomputation, and finds a tampered row or histogram; two writers of one histogram lose
//! no count.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Utc, Weekday};
use diesel::prelude::*;
use serde_json::{Value, json};
use thanthien::db::DbConnection;
use thanthien::db::schema::{communes, dossier_rollup_histograms as h, dossier_rollups, units};
use thanthien::onestop::catalogue::repo as catalogue_repo;
use thanthien::onestop::dossiers::{lifecycle, repo, service};
use thanthien::onestop::model::{Action, DossierValues, NewDossier, NewEvent, ProcedureValues};
use thanthien::onestop::rollups::hist::Hist;
use thanthien::onestop::rollups::model::Deltas;
use thanthien::onestop::rollups::repo as rollups_repo;
use thanthien::onestop::rollups::service as rollups;
use thanthien::onestop::stats::index766;
use thanthien::onestop::stats::indicators::{self, CommuneRef, GroupBy, Period, Source};
use thanthien::rng::Rng;
use thanthien::time::{to_local, to_utc};

use crate::both_engines;
use crate::harness::TestApp;

/// A weekday local time between 07:00 and 16:59, `days` calendar days before today.
fn local_days_ago(rng: &mut Rng, days: i64) -> NaiveDateTime {
    let mut d = to_local(Utc::now().naive_utc()).date() - Duration::days(days);
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        d = d.pred_opt().unwrap();
    }
    d.and_hms_opt(7 + rng.below(10) as u32, rng.below(60) as u32, 0).unwrap()
}

fn demo_procedures(app: &TestApp, token: &str) -> Vec<(i64, String)> {
    let r = app.get("/api/v1/procedures?per_page=200", Some(token));
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["active"] != false)
        .map(|p| (p["id"].as_i64().unwrap(), p["code"].as_str().unwrap().to_string()))
        .collect()
}

/// Xuân Bình with three procedures of its own: (commune, unit, procedure ids).
fn second_commune(app: &TestApp) -> (i64, i64, Vec<i64>) {
    app.second_commune();
    let mut c = app.conn();
    let commune: i64 =
        communes::table.filter(communes::name.eq("Xuân Bình")).select(communes::id).first(&mut c).unwrap();
    let unit: i64 = units::table.filter(units::commune_id.eq(commune)).select(units::id).first(&mut c).unwrap();
    let now = Utc::now().naive_utc();
    let mut ids = Vec::new();
    for (code, field, limit, unit_name, fee) in [
        ("R.1", "Hộ tịch", 3, "working_days", None),
        ("R.2", "Chứng thực", 8, "working_hours", Some(10_000)),
        ("R.3", "Đất đai", 10, "working_days", None),
    ] {
        let v = ProcedureValues {
            code: code.into(),
            name: format!("Thủ tục {code}"),
            name_search: format!("thu tuc {code}"),
            field: field.into(),
            limit_amount: limit,
            limit_unit: unit_name.into(),
            cutoff_minutes: 900,
            fee_vnd: fee,
            fee_note: None,
            online_payment: fee.is_some(),
            result_kind: "both".into(),
            posted_on: Some(NaiveDate::from_ymd_opt(2024, 1, 2).unwrap()),
            posting_complete: true,
            active: true,
            updated_at: now,
        };
        let row = catalogue_repo::insert_procedure(&mut c, commune, &v, false, now).unwrap();
        catalogue_repo::set_online_level(&mut c, row.id, "partial", NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), now)
            .unwrap();
        ids.push(row.id);
    }
    (commune, unit, ids)
}

/// A dossier written directly (as a fixture or an older system would), received at `received`
/// (UTC), walked through random legal actions at random later times (never after now), its
/// derived columns replayed by the server's `recompute` after some steps and at the end.
fn direct_dossier(
    c: &mut DbConnection,
    rng: &mut Rng,
    (commune, unit, procedure): (i64, i64, i64),
    code: &str,
    received: NaiveDateTime,
) {
    let now = Utc::now().naive_utc();
    let due = received + Duration::hours(rng.range(2, 24 * 15) as i64);
    let channel = rng.range(1, 3) as i32;
    let d = repo::insert_dossier(
        c,
        &NewDossier {
            commune_id: commune,
            unit_id: unit,
            code: code.into(),
            values: DossierValues {
                applicant_name: "Hà Thị Thu".into(),
                applicant_search: "ha thi thu".into(),
                applicant_phone: "0912000111".into(),
                phone_digits: "0912000111".into(),
                applicant_id_number: "038190000002".into(),
                applicant_address: "Thôn 2".into(),
                paid_online: rng.chance(0.3),
                digitised: rng.chance(0.5),
                electronic_result: rng.chance(0.3),
                from_data_store: rng.chance(0.2),
                ..lifecycle::received_values(procedure, channel, received, due)
            },
            created_by: None,
            created_at: now,
            updated_at: now,
            limit_amount: None,
            limit_unit: None,
            cutoff_minutes: None,
        },
    )
    .unwrap();
    let event =
        |action: &str, from: Option<i32>, to: i32, at: NaiveDateTime, new_due: Option<NaiveDateTime>| NewEvent {
            dossier_id: d.id,
            action: action.into(),
            from_status: from,
            to_status: to,
            at,
            user_id: None,
            user_name: "Kiểm thử".into(),
            unit_id: Some(unit),
            unit_name: None,
            note: Some("Ghi chú".into()),
            new_due_at: new_due,
        };
    repo::insert_event(c, &event(lifecycle::RECEIVE, None, lifecycle::RECEIVED, received, None)).unwrap();
    let (mut status, mut at) = (lifecycle::RECEIVED, received);
    for _ in 0..rng.below(7) {
        let allowed = lifecycle::allowed(status);
        if allowed.is_empty() {
            break;
        }
        let a = *rng.pick(&allowed);
        at += Duration::minutes(rng.range(5, 60 * 24 * 8) as i64);
        if at > now {
            break;
        }
        let to = lifecycle::transition(status, a).unwrap();
        let new_due = (a == Action::ApologizeAndExtend).then(|| at + Duration::hours(rng.range(4, 24 * 10) as i64));
        repo::insert_event(c, &event(a.as_str(), Some(status), to, at, new_due)).unwrap();
        status = to;
        if rng.chance(0.5) {
            service::recompute(c, &d, now).unwrap();
        }
    }
    service::recompute(c, &d, now).unwrap();
}

/// A random row of the province export for a dossier received `days` ago.
fn import_row(rng: &mut Rng, code: &str, procedure_code: &str, days: i64) -> String {
    let fmt = |t: NaiveDateTime| t.format("%Y%m%d%H%M%S").to_string();
    let received = local_days_ago(rng, days);
    let latest = to_local(Utc::now().naive_utc()) - Duration::minutes(5);
    let clamp = |t: NaiveDateTime| t.min(latest).max(received);
    let appointed = received + Duration::hours(rng.range(1, 24 * 12) as i64);
    let status = *rng.pick(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 10, 10, 10, 10]);
    let finished = clamp(received + Duration::minutes(rng.range(10, 60 * 24 * 14) as i64));
    let returned = clamp(finished + Duration::minutes(rng.range(0, 60 * 24 * 3) as i64));
    let (appointed, finished, returned) = match status {
        3 => (String::new(), String::new(), String::new()),
        1 | 2 | 4 | 5 | 6 => (fmt(appointed), String::new(), String::new()),
        7..=9 => (fmt(appointed), fmt(finished), String::new()),
        _ => (fmt(appointed), fmt(finished), fmt(returned)),
    };
    let flag = |rng: &mut Rng| if rng.chance(0.4) { "1" } else { "0" };
    format!(
        "{code},{procedure_code},,{},{},{appointed},{finished},{returned},{status},{},{},Vũ Văn Nam,0912000222,,Thôn 4,{},{},",
        rng.range(1, 3) as i64,
        fmt(received),
        flag(rng),
        flag(rng),
        flag(rng),
        *rng.pick(&[0, 0, 0, 1, 2]),
    )
}

const HEADER: &str = "MaHoSo,MaTTHC,TenTTHC,KenhThucHien,ngaytiepnhan,NgayHenTra,NgayKetThucXuLy,NgayTra,TrangThaiHoSo,\
DuocThanhToanTrucTuyen,HoSoCoThanhPhanSoHoa,ChuHoSo,SoDienThoai,SoDinhDanh,DiaChi,KetQuaDienTu,SoLanYeuCauBoSung,GhiChu";

fn import(app: &TestApp, token: &str, rows: &[String]) {
    let mut file = String::from(HEADER);
    for r in rows {
        file.push_str("\r\n");
        file.push_str(r);
    }
    file.push_str("\r\n");
    let r = app.post_file("/api/v1/onestop/import", token, "file", "tinh.csv", file.as_bytes());
    assert_eq!(r.status, 200, "{}", r.text);
}

/// Random intakes through the API (some backdated), then random actions and flag changes on
/// them through the API (at the time of the request).
fn live_work(app: &TestApp, rng: &mut Rng, token: &str, procs: &[(i64, String)], n: usize) {
    let mut ids = Vec::new();
    for _ in 0..n {
        let mut body = json!({
            "procedure_id": rng.pick(procs).0,
            "channel": rng.range(1, 3) as i64,
            "applicant": { "name": "Nguyễn Văn Hưởng", "phone": "0912 345 678", "id_number": "038090001234", "address": "Thôn 3" },
            "paid_online": rng.chance(0.3),
            "digitised": rng.chance(0.5),
        });
        if rng.chance(0.6) {
            let days = rng.range(0, 300) as i64;
            let t = local_days_ago(rng, days);
            body["received_at"] = json!(format!("{}+07:00", t.format("%Y-%m-%dT%H:%M:%S")));
        }
        let r = app.post("/api/v1/dossiers", Some(token), body);
        if r.status == 201 {
            ids.push(r.body["id"].as_i64().unwrap());
        } else {
            // A backdated time outside working hours or on a holiday is refused: a field error.
            assert_eq!(r.status, 422, "{}", r.text);
        }
    }
    assert!(ids.len() >= n / 2, "most intakes are accepted");
    for id in ids {
        for _ in 0..rng.below(5) {
            let d = app.get(&format!("/api/v1/dossiers/{id}"), Some(token));
            let status = d.body["status"].as_i64().unwrap() as i32;
            let allowed = lifecycle::allowed(status);
            if allowed.is_empty() {
                break;
            }
            let a = *rng.pick(&allowed);
            let due = app.working_days_ahead_at_nine(rng.range(1, 14) as u32);
            let body = if a == Action::ApologizeAndExtend {
                json!({ "action": a.as_str(), "note": "Xin lỗi", "new_due_at": due })
            } else {
                json!({ "action": a.as_str(), "note": "Ghi chú" })
            };
            let r = app.post(&format!("/api/v1/dossiers/{id}/actions"), Some(token), body);
            // A rule may refuse an action (e.g. a late resolution without an apology).
            assert!(r.status == 200 || r.status == 409, "{}: {}", a.as_str(), r.text);
        }
        if rng.chance(0.3) {
            let r = app.patch(
                &format!("/api/v1/dossiers/{id}"),
                Some(token),
                json!({ "electronic_result": rng.chance(0.5), "from_data_store": rng.chance(0.5) }),
            );
            assert!(r.status == 200 || r.status == 409 || r.status == 422, "{}", r.text);
        }
    }
}

fn refs(v: &Value) -> Vec<CommuneRef> {
    v["communes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| CommuneRef { id: c["id"].as_i64().unwrap(), name: c["name"].as_str().unwrap().to_string() })
        .collect()
}

/// A value as the client reads it: serialised and parsed again, as the HTTP body was (serde_json
/// parses floats to within one unit in the last place, so a direct `to_value` may differ).
fn as_parsed<T: serde::Serialize>(v: &T) -> Value {
    serde_json::from_str(&serde_json::to_string(v).unwrap()).unwrap()
}

/// Every report of every scope over random periods: roll-ups == row scan.
fn compare_all(app: &TestApp, rng: &mut Rng, scopes: &[(&str, String)]) -> usize {
    let today = to_local(Utc::now().naive_utc()).date();
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let mut periods = vec![
        (day(today.year() - 1, 1, 1), day(today.year() - 1, 12, 31)),
        (day(today.year(), 1, 1), day(today.year(), 12, 31)),
        (day(today.year() - 2, 12, 15), today),
        (today, today),
        (today + Duration::days(1), today + Duration::days(40)),
    ];
    for _ in 0..12 {
        let a = today - Duration::days(rng.range(0, 720) as i64 - 20);
        let b = a + Duration::days(rng.range(0, 400) as i64);
        periods.push((a, b));
    }
    let groups = [None, Some(GroupBy::Procedure), Some(GroupBy::Field), Some(GroupBy::Commune), Some(GroupBy::Month)];
    let mut compared = 0;
    for (token, query) in scopes {
        let scope = app.get(&format!("/api/v1/onestop/indicators?from={today}&to={today}{query}"), Some(token));
        assert_eq!(scope.status, 200, "{}", scope.text);
        let communes = refs(&scope.body);
        let mut c = app.conn();
        for (from, to) in &periods {
            let now = Utc::now().naive_utc();
            let p = Period::new(*from, *to, now);
            let g = *rng.pick(&groups);
            let g = if g == Some(GroupBy::Month) && (*to - *from).num_days() > 100 { None } else { g };
            let a = indicators::report_from(&mut c, communes.clone(), p, g, Source::Rollups).unwrap();
            let b = indicators::report_from(&mut c, communes.clone(), p, g, Source::Rows).unwrap();
            assert_eq!(
                serde_json::to_value(&a).unwrap(),
                serde_json::to_value(&b).unwrap(),
                "indicators {from}..{to} {g:?} {query}: roll-ups (left) differ from the row scan (right)"
            );
            let a = index766::index_from(&mut c, communes.clone(), p, Source::Rollups).unwrap();
            let b = index766::index_from(&mut c, communes.clone(), p, Source::Rows).unwrap();
            assert_eq!(
                serde_json::to_value(&a).unwrap(),
                serde_json::to_value(&b).unwrap(),
                "index766 {from}..{to} {query}: roll-ups (left) differ from the row scan (right)"
            );
            compared += 2;
        }
        // The endpoints answer from the roll-ups: a past period over HTTP equals the row scan.
        let (from, to) = periods[0];
        let http =
            app.get(&format!("/api/v1/onestop/indicators?from={from}&to={to}&group_by=procedure{query}"), Some(token));
        let rows = indicators::report_from(
            &mut c,
            communes.clone(),
            Period::new(from, to, Utc::now().naive_utc()),
            Some(GroupBy::Procedure),
            Source::Rows,
        )
        .unwrap();
        assert_eq!(http.body, as_parsed(&rows), "HTTP indicators {query}");
        let http = app.get(&format!("/api/v1/onestop/index766?from={from}&to={to}{query}"), Some(token));
        let rows = index766::index_from(&mut c, communes, Period::new(from, to, Utc::now().naive_utc()), Source::Rows)
            .unwrap();
        assert_eq!(http.body, as_parsed(&rows), "HTTP index766 {query}");
    }
    compared
}

fn rollups_equal_row_scans_on_random_data(app: &TestApp) {
    let mut rng = Rng::new(20_261_203);
    let ubnd = app.login("ubnd");
    let tinh = app.login("tinh");
    let procs = demo_procedures(app, &ubnd.token);
    let (xb, xb_unit, xb_procs) = second_commune(app);
    let admin2 = app.login("admin2");
    let own = app.get("/api/v1/onestop/indicators", Some(&ubnd.token));
    let demo = refs(&own.body)[0].id;
    let demo_unit: i64 =
        units::table.filter(units::commune_id.eq(demo)).select(units::id).first(&mut app.conn()).unwrap();
    let scopes = vec![
        (ubnd.token.as_str(), String::new()),
        (admin2.token.as_str(), String::new()),
        (tinh.token.as_str(), String::new()),
        (tinh.token.as_str(), format!("&commune_id={xb}")),
    ];
    let mut compared = 0;
    for round in 0..2 {
        {
            let mut c = app.conn();
            for i in 0..70 {
                let target = if rng.chance(0.5) {
                    (demo, demo_unit, rng.pick(&procs).0)
                } else {
                    (xb, xb_unit, *rng.pick(&xb_procs))
                };
                let days = rng.range(0, 760) as i64;
                let received = to_utc(local_days_ago(&mut rng, days));
                direct_dossier(&mut c, &mut rng, target, &format!("R{round}-{i}"), received);
            }
        }
        live_work(app, &mut rng, &ubnd.token, &procs, 15);
        // The province's export: new dossiers in the first round, the same codes with other
        // values (another status, dates, flags) in the second.
        let mut rows = Vec::new();
        for i in 0..40 {
            let code = rng.pick(&procs).1.clone();
            let days = rng.range(1, 600) as i64;
            rows.push(import_row(&mut rng, &format!("IMP-{i}"), &code, days));
        }
        import(app, &ubnd.token, &rows);
        let check = rollups::verify(&mut app.conn()).unwrap();
        assert_eq!(check.differences, 0, "{:#?}", check.examples);
        assert!(check.rows > 100 && check.minutes > 10, "{check:?}");
        compared += compare_all(app, &mut rng, &scopes);
    }
    assert!(compared >= 100, "{compared}");
    // A tampered roll-up is found, and a rebuild repairs it.
    let mut c = app.conn();
    let (commune, grain, day, procedure, status): (i64, i32, NaiveDate, i64, i32) = dossier_rollups::table
        .filter(dossier_rollups::received.gt(0))
        .select((
            dossier_rollups::commune_id,
            dossier_rollups::grain,
            dossier_rollups::day,
            dossier_rollups::procedure_id,
            dossier_rollups::status,
        ))
        .first(&mut c)
        .unwrap();
    diesel::update(
        dossier_rollups::table
            .filter(dossier_rollups::commune_id.eq(commune))
            .filter(dossier_rollups::grain.eq(grain))
            .filter(dossier_rollups::day.eq(day))
            .filter(dossier_rollups::procedure_id.eq(procedure))
            .filter(dossier_rollups::status.eq(status)),
    )
    .set(dossier_rollups::received.eq(dossier_rollups::received + 1))
    .execute(&mut c)
    .unwrap();
    let check = rollups::verify(&mut c).unwrap();
    assert_eq!(check.differences, 1, "{:#?}", check.examples);
    assert!(check.examples[0].contains("received stored"), "{:?}", check.examples);
    let (rows, _) = rollups::rebuild(&mut c).unwrap();
    assert_eq!(rows, check.rows);
    assert_eq!(rollups::verify(&mut c).unwrap().differences, 0);
    // A histogram with one count more, and one cut short, are found too.
    let stored: Vec<(i64, i32, NaiveDate, i64, Vec<u8>)> = h::table
        .select((h::commune_id, h::grain, h::day, h::procedure_id, h::hist))
        .order((h::commune_id, h::grain, h::day, h::procedure_id))
        .limit(2)
        .load(&mut c)
        .unwrap();
    let [one, two] = stored.as_slice() else { panic!("{stored:?}") };
    let mut more = Hist::decode(&one.4).unwrap();
    let first = more.entries()[0];
    more.merge(&[(first.0, 1)]);
    for (x, bytes) in [(one, more.encode()), (two, two.4[..two.4.len() - 1].to_vec())] {
        diesel::update(
            h::table
                .filter(h::commune_id.eq(x.0))
                .filter(h::grain.eq(x.1))
                .filter(h::day.eq(x.2))
                .filter(h::procedure_id.eq(x.3)),
        )
        .set(h::hist.eq(bytes))
        .execute(&mut c)
        .unwrap();
    }
    let check = rollups::verify(&mut c).unwrap();
    assert_eq!(check.differences, 2, "{:#?}", check.examples);
    let text = check.examples.join("\n");
    assert!(text.contains(&format!("minutes {}: stored {} recomputed {}", first.0, first.1 + 1, first.1)), "{text}");
    assert!(text.contains("does not decode"), "{text}");
    rollups::rebuild(&mut c).unwrap();
    assert_eq!(rollups::verify(&mut c).unwrap().differences, 0);
}

/// `gen-demo-dossiers` (benchmarks, e2e with demo dossiers) writes one commune's dossiers in
/// multi-row inserts as large as an engine takes: 2,000 in one commune fill more than one whole
/// statement on both engines (PostgreSQL 1,771 rows, SQLite 885), so a column added to
/// `dossiers` without growing `DOSSIER_COLUMNS` fails here ("too many SQL variables"). Then the
/// roll-ups it wrote equal their recomputation.
fn gen_demo_dossiers_fill_whole_statements(app: &TestApp) {
    let bin = env!("CARGO_BIN_EXE_thanthien");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(bin)
            .args(args)
            .args(["--database-url", &app.db_url])
            .env("THANTHIEN__SERVER__DATA_DIR", &app.data_dir)
            .output()
            .expect("run the binary");
        (
            out.status.success(),
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
        )
    };
    let (ok, text) = run(&["gen-demo-dossiers", "--communes", "1", "--dossiers", "2000"]);
    assert!(ok, "gen-demo-dossiers: {text}");
    assert!(text.contains("generated 2000 dossiers"), "{text}");
    let (ok, text) = run(&["verify-rollups"]);
    assert!(ok, "verify-rollups: {text}");
}

/// Two writers of one stored histogram at once, each adding a count: the second waits for the
/// first (PostgreSQL: the row lock, also when the histogram did not exist yet; SQLite: one
/// writer at a time) and neither count is lost. The first holds its transaction open until the
/// second is seen waiting (in `pg_stat_activity`), so the two always overlap; no timing.
fn histogram_writers_queue_and_lose_no_count(app: &TestApp) {
    if !app.db_url.starts_with("postgres") {
        return;
    }
    let day = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let key = (999_999_i64, 0, day, 1_i64);
    let delta = |minutes: i32| {
        let mut d = Deltas::default();
        d.minutes.insert((key.0, key.1, key.2, key.3, minutes), 1);
        d
    };
    let stored = |c: &mut DbConnection| -> Vec<(i32, i64)> {
        let bytes: Vec<u8> =
            h::table.filter(h::commune_id.eq(key.0)).filter(h::day.eq(day)).select(h::hist).first(c).unwrap();
        Hist::decode(&bytes).unwrap().entries().to_vec()
    };
    // First when the histogram does not exist yet, then when it does.
    for (first, second, want) in [(5, 7, vec![(5, 1), (7, 1)]), (5, 9, vec![(5, 2), (7, 1), (9, 1)])] {
        let mut a = app.conn();
        diesel::sql_query("BEGIN").execute(&mut a).unwrap();
        rollups_repo::add(&mut a, &delta(first)).unwrap();
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::channel();
            let other = scope.spawn(move || {
                let mut b = app.conn();
                let pid: Pid = diesel::sql_query("SELECT pg_backend_pid() AS pid").get_result(&mut b).unwrap();
                tx.send(pid.pid).unwrap();
                thanthien::db::write_tx(&mut b, |c| rollups_repo::add(c, &delta(second))).unwrap();
            });
            let pid = rx.recv().unwrap();
            let mut watch = app.conn();
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
            loop {
                let waiting: Vec<Pid> = diesel::sql_query(format!(
                    "SELECT pid FROM pg_stat_activity WHERE pid = {pid} AND wait_event_type = 'Lock'"
                ))
                .load(&mut watch)
                .unwrap();
                if !waiting.is_empty() {
                    break;
                }
                assert!(!other.is_finished(), "the second writer did not wait for the first");
                assert!(std::time::Instant::now() < deadline, "the second writer never started waiting");
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            diesel::sql_query("COMMIT").execute(&mut a).unwrap();
            other.join().unwrap();
        });
        assert_eq!(stored(&mut a), want);
    }
    diesel::delete(h::table.filter(h::commune_id.eq(key.0))).execute(&mut app.conn()).unwrap();
}

#[derive(QueryableByName)]
struct Pid {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pid: i32,
}

both_engines!(
    rollups_equal_row_scans_on_random_data,
    gen_demo_dossiers_fill_whole_statements,
    histogram_writers_queue_and_lose_no_count
);
