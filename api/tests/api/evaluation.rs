//! The evaluation: criteria computed on a fixture worked out by hand, publication freezing a
//! snapshot (the JSON and the DOCX byte-identical after the data changed), versions, the
//! report and its annexes, permissions and scope.

use std::io::Read;

use serde_json::{Value, json};

use crate::both_engines;
use crate::harness::TestApp;

fn get_bytes(app: &TestApp, path: &str, token: &str) -> (u16, Vec<u8>) {
    let r = app.client.get(app.url(path)).bearer_auth(token).send().expect("request");
    (r.status().as_u16(), r.bytes().map(|b| b.to_vec()).unwrap_or_default())
}

/// `word/document.xml` (or another part) of a DOCX.
fn part(docx: &[u8], name: &str) -> Option<String> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx.to_vec())).expect("a zip");
    let mut f = z.by_name(name).ok()?;
    let mut s = String::new();
    f.read_to_string(&mut s).expect("utf-8");
    Some(s)
}

/// The demo 2023 evaluation's id.
fn demo_evaluation(app: &TestApp, token: &str) -> i64 {
    let r = app.get("/api/v1/evaluations?year=2023", Some(token));
    assert_eq!(r.status, 200, "{}", r.text);
    r.body.as_array().unwrap().iter().find(|e| e["version"] == 1).expect("the demo evaluation")["id"].as_i64().unwrap()
}

fn criterion<'a>(detail: &'a Value, code: &str) -> &'a Value {
    detail["result"]["criteria"].as_array().unwrap().iter().find(|c| c["code"] == code).expect(code)
}

/// A plan of `year` with two areas (weights 2 and 1) and three tasks due 30/06 of that year:
/// A: 100 % done (weight 1) and 50 % (weight 1); B: 0 %. Returns the plan id.
fn hand_plan(app: &TestApp, bdh: &str, year: i32) -> i64 {
    let unit = app.unit_id(bdh, "BDH");
    let r = app.post(
        "/api/v1/plans",
        Some(bdh),
        json!({ "number": format!("{year}/KH-BĐH"), "title": format!("Kế hoạch thử {year}"), "year": year, "status": "active" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let plan = r.body["id"].as_i64().unwrap();
    let area = |title: &str, weight: f64| {
        let r =
            app.post(&format!("/api/v1/plans/{plan}/areas"), Some(bdh), json!({ "title": title, "weight": weight }));
        assert_eq!(r.status, 201, "{}", r.text);
        r.body["id"].as_i64().unwrap()
    };
    let (a, b) = (area("Nội dung A", 2.0), area("Nội dung B", 1.0));
    let due = format!("{year}-06-30");
    let task = |area: i64, title: &str, progress: i32, status: &str| {
        let r = app.post(
            &format!("/api/v1/plans/{plan}/tasks"),
            Some(bdh),
            json!({ "content_area_id": area, "title": title, "lead_unit_id": unit, "start_date": format!("{year}-01-10"), "due_date": due, "weight": 1.0 }),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        let id = r.body["id"].as_i64().unwrap();
        if progress > 0 {
            let r =
                app.patch(&format!("/api/v1/tasks/{id}"), Some(bdh), json!({ "progress": progress, "status": status }));
            assert_eq!(r.status, 200, "{}", r.text);
        }
        id
    };
    task(a, "Việc một", 100, "done");
    task(a, "Việc hai", 50, "in_progress");
    task(b, "Việc ba", 0, "not_started");
    plan
}

/// The shipped criteria with "activities held" (c11) judged by the board, as the set's first
/// edition had it: the judged path of the scoring.
fn set_with_judged_c11(app: &TestApp, bdh: &str, year: i32) -> i64 {
    let mut criteria = serde_json::to_value(thanthien::evaluation::criteria::default_criteria()).unwrap();
    let c11 = criteria.as_array_mut().unwrap().iter_mut().find(|c| c["code"] == "c11").unwrap();
    *c11 = json!({ "code": "c11", "name": "Hoạt động tuyên truyền, sinh hoạt, hội nghị được tổ chức",
                   "how_measured": "Ban điều hành chấm theo biên bản", "points": 5.0, "kind": "judged" });
    let thresholds = serde_json::to_value(thanthien::evaluation::criteria::default_thresholds()).unwrap();
    let r = app.post(
        "/api/v1/criteria-sets",
        Some(bdh),
        json!({ "year": year, "name": "Bộ tiêu chí (c11 chấm tay)", "criteria": criteria, "thresholds": thresholds }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["id"].as_i64().unwrap()
}

fn criteria_computed_by_hand(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let plan = hand_plan(app, &bdh, 2021);
    let set = set_with_judged_c11(app, &bdh, 2021);
    let r = app.post("/api/v1/evaluations", Some(&bdh), json!({ "plan_id": plan, "criteria_set_id": set }));
    assert_eq!(r.status, 201, "{}", r.text);
    let d = r.body;
    // The set given is used; no other is stored for the year.
    let sets = app.get("/api/v1/criteria-sets?year=2021", Some(&bdh));
    assert_eq!(sets.body.as_array().unwrap().len(), 1, "{}", sets.text);
    assert_eq!(d["result"]["criteria_set_id"], set);
    assert_eq!(d["result"]["out_of"].as_f64(), Some(100.0));
    assert_eq!(d["result"]["period"]["from"], "2021-01-01");
    assert_eq!(d["result"]["period"]["to"], "2021-12-31");
    // c1: areas A = (100 + 50) / 2 = 75, B = 0; plan = (2 × 75 + 1 × 0) / 3 = 50 % → 20 × 0.5 = 10.
    let c1 = criterion(&d, "c1");
    assert_eq!(c1["figure"]["value"].as_f64(), Some(0.5), "{c1}");
    assert_eq!(c1["score"].as_f64(), Some(10.0));
    assert_eq!(c1["figure"]["read_from"], "plans::service::plans_with_progress");
    // c2: 3 tasks due in 2021, 1 done (marked done, no later report) → 10 × 1/3 = 3.33.
    let c2 = criterion(&d, "c2");
    assert_eq!((c2["figure"]["numerator"].as_f64(), c2["figure"]["denominator"].as_f64()), (Some(1.0), Some(3.0)));
    assert_eq!(c2["score"].as_f64(), Some(3.33));
    // c7: 52 whole weeks in 2021, no regular session held → 0 of 5 points, applicable.
    let c7 = criterion(&d, "c7");
    assert_eq!((c7["figure"]["numerator"].as_f64(), c7["figure"]["denominator"].as_f64()), (Some(0.0), Some(52.0)));
    assert_eq!((c7["applicable"].as_bool(), c7["score"].as_f64()), (Some(true), Some(0.0)));
    // Nothing to measure in 2021: dossiers, surveys, petitions, disclosures, dialogues — left out.
    for code in ["c3", "c4", "c6", "c8", "c9", "c10"] {
        let c = criterion(&d, code);
        assert_eq!(c["applicable"], false, "{code}: {c}");
        assert!(c["score"].is_null(), "{code}");
    }
    // c5 follows the 766 index of the same period: points = 10 × min(percent / 100 / 0.9, 1).
    let idx = app.get("/api/v1/onestop/index766?from=2021-01-01&to=2021-12-31", Some(&bdh)).body;
    let c5 = criterion(&d, "c5");
    let c5_points = match idx["percent"].as_f64() {
        Some(p) => {
            let want = ((10.0 * (p / 100.0 / 0.9).min(1.0)) * 100.0).round() / 100.0;
            assert_eq!(c5["score"].as_f64(), Some(want), "{c5} {idx}");
            Some(want)
        }
        None => {
            assert_eq!(c5["applicable"], false);
            None
        }
    };
    // c11 is judged: not scored yet → no rating, publishing refused.
    assert_eq!(d["result"]["unjudged"], json!(["c11"]));
    assert!(d["result"]["rating"].is_null());
    let id = d["id"].as_i64().unwrap();
    let r = app.post(&format!("/api/v1/evaluations/{id}/publish"), Some(&bdh), json!({}));
    assert_eq!((r.status, r.code()), (409, "unjudged_criteria"), "{}", r.text);
    // Scores are checked against the set.
    for bad in [json!({ "c11": { "score": 6 } }), json!({ "c1": { "score": 1 } }), json!({ "zz": { "comment": "x" } })]
    {
        let r = app.patch(&format!("/api/v1/evaluations/{id}"), Some(&bdh), json!({ "judged": bad }));
        assert_eq!(r.status, 422, "{bad}: {}", r.text);
    }
    let r = app.patch(
        &format!("/api/v1/evaluations/{id}"),
        Some(&bdh),
        json!({ "judged": { "c11": { "score": 4, "comment": "Đủ hồ sơ", "evidence": "Biên bản số 3" } } }),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    // Total = 10 + 3.33 + 0 + 4 (+ c5) over 20 + 10 + 5 + 5 (+ 10).
    let (total, max) = match c5_points {
        Some(p) => (10.0 + 3.33 + 4.0 + p, 50.0),
        None => (17.33, 40.0),
    };
    let res = &r.body["result"];
    assert_eq!(res["total"].as_f64(), Some((total * 100.0_f64).round() / 100.0), "{res}");
    assert_eq!(res["max"].as_f64(), Some(max));
    let pct = ((total / max * 100.0) * 100.0_f64).round() / 100.0;
    assert_eq!(res["percent"].as_f64(), Some(pct));
    let want = if pct >= 90.0 {
        "excellent"
    } else if pct >= 75.0 {
        "good"
    } else if pct >= 50.0 {
        "done"
    } else {
        "not_done"
    };
    assert_eq!(res["rating"]["code"], want);
    assert_eq!(criterion(&r.body, "c11")["evidence"], "Biên bản số 3");
    // A second draft for the same plan is refused: re-evaluate instead.
    let r = app.post("/api/v1/evaluations", Some(&bdh), json!({ "plan_id": plan }));
    assert_eq!((r.status, r.code()), (409, "evaluation_exists"));
}

fn publishing_freezes_the_snapshot_and_the_report(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let id = demo_evaluation(app, &bdh);
    let draft = app.get(&format!("/api/v1/evaluations/{id}"), Some(&bdh));
    assert_eq!(draft.status, 200, "{}", draft.text);
    assert_eq!(draft.body["status"], "draft");
    // A draft has no snapshot; its report is watermarked.
    let r = app.get(&format!("/api/v1/evaluations/{id}/snapshot.json"), Some(&bdh));
    assert_eq!((r.status, r.code()), (409, "not_published"));
    let (s, docx) = get_bytes(app, &format!("/api/v1/evaluations/{id}/report.docx"), &bdh);
    assert_eq!(s, 200);
    assert!(part(&docx, "word/header1.xml").unwrap().contains("DỰ THẢO"));

    let r = app.post(&format!("/api/v1/evaluations/{id}/publish"), Some(&bdh), json!({}));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "published");
    assert!(r.body["result"]["published_by_name"].is_string());
    let (s1, snap1) = get_bytes(app, &format!("/api/v1/evaluations/{id}/snapshot.json"), &bdh);
    let (s2, docx1) = get_bytes(app, &format!("/api/v1/evaluations/{id}/report.docx"), &bdh);
    let (s3, xlsx1) = get_bytes(app, &format!("/api/v1/evaluations/{id}/annexes.xlsx"), &bdh);
    assert_eq!((s1, s2, s3), (200, 200, 200));
    let snapshot: Value = serde_json::from_slice(&snap1).unwrap();
    let doc = part(&docx1, "word/document.xml").unwrap();
    assert!(!part(&docx1, "word/header1.xml").unwrap().contains("DỰ THẢO"), "a published report has no watermark");
    assert!(doc.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert!(doc.contains("Kết quả thực hiện mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ” năm 2023"));
    assert!(doc.contains("Số: 125/BC-UBND"));
    assert!(
        doc.contains(&format!("Tổng điểm đạt {}", snapshot["total"].as_f64().unwrap().to_string().replace('.', ",")))
    );
    assert!(tabular_sheets(&xlsx1) >= 3);
    // Phụ lục 1: the title above the header; a task still open after its due day reads as late,
    // in the snapshot and in the annex.
    let annex = thanthien::tabular::read_xlsx(&xlsx1).unwrap();
    assert!(annex[0][0].starts_with("Phụ lục 1.") && annex[0].len() == 1, "{:?}", annex[0]);
    assert_eq!(annex[1][7], "Đúng hạn", "{:?}", annex[1]);
    let today = thanthien::time::today_local();
    let mut open_and_late = 0;
    for (task, row) in snapshot["figures"]["plan"]["tasks"].as_array().unwrap().iter().zip(&annex[2..]) {
        assert_eq!(task["title"].as_str(), Some(row[2].as_str()));
        let due: chrono::NaiveDate = serde_json::from_value(task["due_date"].clone()).unwrap();
        if task["status"] != "done" && task["status"] != "cancelled" && due < today {
            open_and_late += 1;
            assert_eq!(task["on_time"], false, "{task}");
            assert_eq!(row[7], "Quá hạn, chưa hoàn thành", "{row:?}");
        }
    }
    assert!(open_and_late > 0, "the demo plan of 2023 has tasks left open");

    // The data changes afterwards: a task of the plan is done, the criterion's source moves.
    let plan = snapshot["figures"]["plan"]["plan_id"].as_i64().unwrap();
    let before = snapshot["figures"]["plan"]["progress"].as_f64().unwrap();
    let tasks = app.get(&format!("/api/v1/plans/{plan}/tasks?per_page=5"), Some(&bdh));
    let task = tasks.body["items"][0]["id"].as_i64().unwrap();
    let r = app.patch(&format!("/api/v1/tasks/{task}"), Some(&bdh), json!({ "progress": 100, "status": "done" }));
    assert_eq!(r.status, 200, "{}", r.text);
    // Editing a published version is refused.
    let r = app.patch(&format!("/api/v1/evaluations/{id}"), Some(&bdh), json!({ "number": "1/BC-UBND" }));
    assert_eq!((r.status, r.code()), (409, "published_is_frozen"));
    let r = app.post(&format!("/api/v1/evaluations/{id}/publish"), Some(&bdh), json!({}));
    assert_eq!((r.status, r.code()), (409, "published_is_frozen"));

    // Published: byte-identical snapshot, report and annexes.
    let (_, snap2) = get_bytes(app, &format!("/api/v1/evaluations/{id}/snapshot.json"), &bdh);
    let (_, docx2) = get_bytes(app, &format!("/api/v1/evaluations/{id}/report.docx"), &bdh);
    let (_, xlsx2) = get_bytes(app, &format!("/api/v1/evaluations/{id}/annexes.xlsx"), &bdh);
    assert_eq!(snap1, snap2);
    assert_eq!(docx1, docx2);
    assert_eq!(xlsx1, xlsx2);
    let again = app.get(&format!("/api/v1/evaluations/{id}"), Some(&bdh));
    assert_eq!(again.body["result"], snapshot);

    // A re-evaluation (live) sees the change, so the data did move.
    let r =
        app.post(&format!("/api/v1/evaluations/{id}/re-evaluate"), Some(&bdh), json!({ "reason": "Bổ sung kết quả" }));
    assert_eq!(r.status, 201, "{}", r.text);
    let after = r.body["result"]["figures"]["plan"]["progress"].as_f64().unwrap();
    assert!(after > before, "{before} → {after}");
    // The progress-report variant of a quarter is computed from the same template.
    let (s, q2) = get_bytes(app, &format!("/api/v1/evaluations/{id}/report.docx?period=q2"), &bdh);
    assert_eq!(s, 200);
    let q2 = part(&q2, "word/document.xml").unwrap();
    assert!(q2.contains("Tiến độ thực hiện mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ” quý II năm 2023"));
    assert!(q2.contains("01/04/2023"));
    let view = app.get(&format!("/api/v1/evaluations/{id}/report?period=h1"), Some(&bdh));
    assert_eq!(view.status, 200, "{}", view.text);
    assert_eq!(view.body["result"]["period"]["to"], "2023-06-30");
}

fn tabular_sheets(xlsx: &[u8]) -> usize {
    (1..10).take_while(|n| part(xlsx, &format!("xl/worksheets/sheet{n}.xml")).is_some()).count()
}

fn versions_stay_readable(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let id = demo_evaluation(app, &bdh);
    // Re-evaluating a draft is refused: edit it.
    let r = app.post(&format!("/api/v1/evaluations/{id}/re-evaluate"), Some(&bdh), json!({ "reason": "x" }));
    assert_eq!((r.status, r.code()), (409, "draft_open"));
    assert_eq!(app.post(&format!("/api/v1/evaluations/{id}/publish"), Some(&bdh), json!({})).status, 200);
    let v1_snapshot = get_bytes(app, &format!("/api/v1/evaluations/{id}/snapshot.json"), &bdh).1;
    let r = app.post(&format!("/api/v1/evaluations/{id}/re-evaluate"), Some(&bdh), json!({ "reason": "  " }));
    assert_eq!(r.status, 422, "{}", r.text);
    let r = app.post(
        &format!("/api/v1/evaluations/{id}/re-evaluate"),
        Some(&bdh),
        json!({ "reason": "Sai số liệu tiếp công dân" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let v2 = r.body["id"].as_i64().unwrap();
    assert_eq!((r.body["version"].as_i64(), r.body["previous_id"].as_i64()), (Some(2), Some(id)));
    assert_eq!(r.body["reason"], "Sai số liệu tiếp công dân");
    // The judgements and texts carry over.
    assert_eq!(r.body["judged"]["c11"]["score"].as_f64(), Some(4.5));
    assert_eq!(r.body["versions"].as_array().unwrap().len(), 2);
    // Only from the newest version.
    let r = app.post(&format!("/api/v1/evaluations/{id}/re-evaluate"), Some(&bdh), json!({ "reason": "lần nữa" }));
    assert_eq!((r.status, r.code()), (409, "not_newest_version"));
    let r = app.patch(&format!("/api/v1/evaluations/{v2}"), Some(&bdh), json!({ "number": "130/BC-UBND" }));
    assert_eq!(r.status, 200, "{}", r.text);
    let r = app.post(&format!("/api/v1/evaluations/{v2}/publish"), Some(&bdh), json!({}));
    assert_eq!(r.status, 200, "{}", r.text);
    // Both readable; v1 superseded and unchanged.
    let list = app.get("/api/v1/evaluations?year=2023", Some(&bdh)).body;
    let v1 = list.as_array().unwrap().iter().find(|e| e["id"] == id).unwrap();
    assert_eq!((v1["status"].as_str(), v1["superseded"].as_bool()), (Some("published"), Some(true)));
    assert_eq!(get_bytes(app, &format!("/api/v1/evaluations/{id}/snapshot.json"), &bdh).1, v1_snapshot);
    let (_, d2) = get_bytes(app, &format!("/api/v1/evaluations/{v2}/report.docx"), &bdh);
    let d2 = part(&d2, "word/document.xml").unwrap();
    assert!(d2.contains("Số: 130/BC-UBND"));
    assert!(d2.contains("phiên bản 2"), "the reason is printed");
}

fn criteria_sets_are_versioned(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let base = app.get("/api/v1/criteria-sets?year=2023", Some(&bdh));
    assert_eq!(base.status, 200);
    let set = base.body[0].clone();
    assert_eq!(set["version"], 1);
    let mut criteria = set["criteria"].clone();
    criteria[0]["points"] = json!(25);
    let body = json!({ "year": 2023, "name": "Bộ tiêu chí 2023 (sửa)", "criteria": criteria, "thresholds": set["thresholds"] });
    let r = app.post("/api/v1/criteria-sets", Some(&bdh), body.clone());
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["version"], 2);
    let got = app.get(&format!("/api/v1/criteria-sets/{}", r.body["id"]), Some(&bdh));
    assert_eq!(got.body["criteria"][0]["points"].as_f64(), Some(25.0));
    // Invalid sets: a computed criterion without a source, duplicate codes, no 0 % band.
    let mut no_source = body.clone();
    no_source["criteria"][0]["source"] = Value::Null;
    let mut dup = body.clone();
    dup["criteria"][1]["code"] = json!("c1");
    let mut no_floor = body.clone();
    no_floor["thresholds"] = json!([{ "code": "a", "label": "A", "min_percent": 50 }]);
    for b in [no_source, dup, no_floor] {
        assert_eq!(app.post("/api/v1/criteria-sets", Some(&bdh), b).status, 422);
    }
    // The demo draft keeps the set it was made with.
    let id = demo_evaluation(app, &bdh);
    let d = app.get(&format!("/api/v1/evaluations/{id}"), Some(&bdh));
    assert_eq!(d.body["result"]["criteria_set_version"], 1);
}

fn who_reads_and_who_evaluates(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let id = demo_evaluation(app, &bdh);
    for user in ["ubnd", "mttq"] {
        let t = app.login(user).token;
        assert_eq!(app.get(&format!("/api/v1/evaluations/{id}"), Some(&t)).status, 200, "{user}");
        assert_eq!(get_bytes(app, &format!("/api/v1/evaluations/{id}/report.docx"), &t).0, 200, "{user}");
        let r = app.patch(&format!("/api/v1/evaluations/{id}"), Some(&t), json!({ "number": "1/BC-UBND" }));
        assert_eq!(r.status, 403, "{user}");
        assert_eq!(app.post(&format!("/api/v1/evaluations/{id}/publish"), Some(&t), json!({})).status, 403);
        let d = app.get(&format!("/api/v1/evaluations/{id}"), Some(&t));
        assert_eq!(d.body["can_evaluate"], false);
    }
    let thon = app.login("thon1").token;
    assert_eq!(app.get(&format!("/api/v1/evaluations/{id}"), Some(&thon)).status, 403);
    assert_eq!(app.get("/api/v1/evaluations", Some(&thon)).status, 403);
    // Oversight: published versions of the communes it oversees only.
    let tinh = app.login("tinh").token;
    assert_eq!(app.get(&format!("/api/v1/evaluations/{id}"), Some(&tinh)).status, 404);
    assert!(app.get("/api/v1/evaluations", Some(&tinh)).body.as_array().unwrap().is_empty());
    assert_eq!(app.post(&format!("/api/v1/evaluations/{id}/publish"), Some(&tinh), json!({})).status, 403);
    assert_eq!(app.post(&format!("/api/v1/evaluations/{id}/publish"), Some(&bdh), json!({})).status, 200);
    assert_eq!(app.get(&format!("/api/v1/evaluations/{id}"), Some(&tinh)).status, 200);
    assert_eq!(app.get("/api/v1/evaluations", Some(&tinh)).body.as_array().unwrap().len(), 1);
    // Another commune's board does not see it (404, not 403).
    let other = app.second_commune_board().token;
    assert_eq!(app.get(&format!("/api/v1/evaluations/{id}"), Some(&other)).status, 404);
    assert_eq!(app.get(&format!("/api/v1/evaluations/{id}/report.docx"), Some(&other)).status, 404);
    assert!(app.get("/api/v1/evaluations", Some(&other)).body.as_array().unwrap().is_empty());
    // No body field can set the commune or the author.
    let r = app.post("/api/v1/evaluations", Some(&bdh), json!({ "plan_id": 1, "commune_id": 2 }));
    assert_eq!(r.status, 422, "{}", r.text);
}

/// Records an activity of the commune held on `day` (through the API, as the Front would).
fn activity_on(app: &TestApp, token: &str, unit: i64, day: &str) {
    let r = app.post(
        "/api/v1/activities",
        Some(token),
        json!({ "kind": "awareness", "title": format!("Tuyên truyền ngày {day}"), "held_on": day,
                "place": "Nhà văn hóa thôn 1", "channel": "meeting", "participants": 40, "unit_ids": [unit] }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
}

/// c11 "activities held" of the shipped set, by hand: months of the period with at least one
/// activity, of the months the period spans. Frozen with its source and period on publication.
fn activities_held_computed_by_hand(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let unit = app.unit_id(&bdh, "MTTQ");
    let plan = hand_plan(app, &bdh, 2022);
    // 2022: two in January (one month), March, July, the last day of December → 4 months.
    // The days around the year count for nothing.
    for day in ["2021-12-31", "2022-01-03", "2022-01-28", "2022-03-15", "2022-07-01", "2022-12-31", "2023-01-01"] {
        activity_on(app, &bdh, unit, day);
    }
    let r = app.post("/api/v1/evaluations", Some(&bdh), json!({ "plan_id": plan }));
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["id"].as_i64().unwrap();
    // The shipped set is stored for the commune and the plan's year on first use: c11 computed.
    let sets = app.get("/api/v1/criteria-sets?year=2022", Some(&bdh));
    assert_eq!(sets.body.as_array().unwrap().len(), 1, "{}", sets.text);
    assert_eq!(r.body["result"]["unjudged"], json!([]));
    let c11 = criterion(&r.body, "c11");
    assert_eq!((c11["kind"].as_str(), c11["source"].as_str()), (Some("computed"), Some("activities_held")), "{c11}");
    let f = &c11["figure"];
    assert_eq!((f["numerator"].as_f64(), f["denominator"].as_f64()), (Some(4.0), Some(12.0)), "{c11}");
    assert_eq!((f["from"].as_str(), f["to"].as_str()), (Some("2022-01-01"), Some("2022-12-31")));
    assert_eq!(f["read_from"], "democracy::figures::figures");
    assert_eq!(f["text"], "4/12 tháng có hoạt động (33,3%)");
    // 5 points × 4/12 = 1.67.
    assert_eq!((c11["applicable"].as_bool(), c11["score"].as_f64()), (Some(true), Some(1.67)));
    // The first quarter: January and March of three months → 5 × 2/3 = 3.33.
    let q1 = app.get(&format!("/api/v1/evaluations/{id}/report?period=q1"), Some(&bdh));
    assert_eq!(q1.status, 200, "{}", q1.text);
    let c = q1.body["result"]["criteria"].as_array().unwrap().iter().find(|c| c["code"] == "c11").unwrap().clone();
    assert_eq!((c["figure"]["numerator"].as_f64(), c["figure"]["denominator"].as_f64()), (Some(2.0), Some(3.0)), "{c}");
    assert_eq!(c["score"].as_f64(), Some(3.33));
    // Published: frozen. A May activity recorded afterwards changes the next draft only.
    let r = app.post(&format!("/api/v1/evaluations/{id}/publish"), Some(&bdh), json!({}));
    assert_eq!(r.status, 200, "{}", r.text);
    let frozen = get_bytes(app, &format!("/api/v1/evaluations/{id}/snapshot.json"), &bdh);
    activity_on(app, &bdh, unit, "2022-05-20");
    assert_eq!(get_bytes(app, &format!("/api/v1/evaluations/{id}/snapshot.json"), &bdh), frozen);
    let d = app.get(&format!("/api/v1/evaluations/{id}"), Some(&bdh));
    assert_eq!(criterion(&d.body, "c11")["score"].as_f64(), Some(1.67));
    let r = app.post(
        &format!("/api/v1/evaluations/{id}/re-evaluate"),
        Some(&bdh),
        json!({ "reason": "Bổ sung hoạt động tháng 5" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let c11 = criterion(&r.body, "c11");
    assert_eq!((c11["figure"]["numerator"].as_f64(), c11["score"].as_f64()), (Some(5.0), Some(2.08)), "{c11}");
}

/// Dated progress reports written straight through the plans repo (the API dates a report now).
fn dated_report(app: &TestApp, author: i64, task: i64, at: &str, progress: i32) {
    let mut c = app.conn();
    let at = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").unwrap();
    thanthien::plans::repo::insert_report(
        &mut c,
        &thanthien::plans::model::NewReport {
            task_id: task,
            author_id: author,
            author_name: "Kiểm thử".into(),
            unit_id: None,
            created_at: at,
            text: format!("Tiến độ {progress}%"),
            progress,
        },
    )
    .unwrap();
}

/// A quarter's or a half's report reads the plan's progress as of its last day from the dated
/// reports (UTC+7), the year's report the progress now; by hand on the plan of `hand_plan`.
fn plan_progress_of_a_past_quarter(app: &TestApp) {
    let bdh = &app.login("bdh").token;
    let me = app.get("/api/v1/auth/me", Some(bdh)).body["user"]["id"].as_i64().expect("user id");
    let plan = hand_plan(app, bdh, 2020);
    let tasks = app.get(&format!("/api/v1/plans/{plan}/tasks?sort=title"), Some(bdh)).body["items"].clone();
    let id =
        |title: &str| tasks.as_array().unwrap().iter().find(|t| t["title"] == title).unwrap()["id"].as_i64().unwrap();
    let (one, two) = (id("Việc một"), id("Việc hai"));
    // Việc một: 40 % at 23:00 on 31/03 (UTC+7), 100 % at 00:30 on 01/04; Việc hai: 30 % in
    // February, 50 % in May; Việc ba: no report.
    dated_report(app, me, one, "2020-03-31 16:00", 40);
    dated_report(app, me, one, "2020-03-31 17:30", 100);
    dated_report(app, me, two, "2020-02-10 03:00", 30);
    dated_report(app, me, two, "2020-05-05 03:00", 50);
    let r = app.post("/api/v1/evaluations", Some(bdh), json!({ "plan_id": plan }));
    assert_eq!(r.status, 201, "{}", r.text);
    let ev = r.body["id"].as_i64().unwrap();
    let at = |period: &str| {
        let r = app.get(&format!("/api/v1/evaluations/{ev}/report?period={period}"), Some(bdh));
        assert_eq!(r.status, 200, "{}", r.text);
        r.body["result"].clone()
    };
    // Q1: A = (40 + 30) / 2 = 35, B = 0 → (2 × 35 + 0) / 3 = 23.3 % → 20 × 0.233 = 4.66.
    let q1 = at("q1");
    assert_eq!(q1["figures"]["plan"]["progress"].as_f64(), Some(23.3), "{}", q1["figures"]["plan"]);
    assert_eq!(q1["figures"]["plan"]["areas"][0]["progress"].as_f64(), Some(35.0));
    let c1 = q1["criteria"].as_array().unwrap().iter().find(|c| c["code"] == "c1").unwrap().clone();
    assert_eq!(
        (c1["figure"]["read_from"].as_str(), c1["score"].as_f64()),
        (Some("plans::repo::reports"), Some(4.66)),
        "{c1}"
    );
    assert_eq!(c1["figure"]["to"], "2020-03-31");
    // H1: 100 and 50 → A = 75 → 50 %; Q2 the same.
    assert_eq!(at("h1")["figures"]["plan"]["progress"].as_f64(), Some(50.0));
    assert_eq!(at("q2")["figures"]["plan"]["progress"].as_f64(), Some(50.0));
    // The year: the plan's progress now (50 %), as before.
    let y = at("year");
    assert_eq!(y["figures"]["plan"]["progress"].as_f64(), Some(50.0));
    let c1 = y["criteria"].as_array().unwrap().iter().find(|c| c["code"] == "c1").unwrap().clone();
    assert_eq!(c1["figure"]["read_from"], "plans::service::plans_with_progress");
}

/// What has not fallen due is not late: a task or a commitment still open before its due day is
/// left out of "done on time"; one done already counts. The plan is next year's, so every due
/// day is ahead of today whenever the test runs.
fn not_yet_due_is_not_missed(app: &TestApp) {
    use chrono::Datelike;
    let bdh = app.login("bdh").token;
    let year = thanthien::time::today_local().year() + 1;
    let plan = hand_plan(app, &bdh, year);
    let r = app.post("/api/v1/evaluations", Some(&bdh), json!({ "plan_id": plan }));
    assert_eq!(r.status, 201, "{}", r.text);
    // Three tasks due 30/06 next year: one done (on time), two still open and not late yet.
    let c2 = criterion(&r.body, "c2");
    assert_eq!(
        (c2["figure"]["numerator"].as_f64(), c2["figure"]["denominator"].as_f64()),
        (Some(1.0), Some(1.0)),
        "{c2}"
    );
    assert_eq!(c2["score"].as_f64(), Some(10.0), "{c2}");
    let on_time: Vec<&Value> =
        r.body["result"]["figures"]["plan"]["tasks"].as_array().unwrap().iter().map(|t| &t["on_time"]).collect();
    assert_eq!(on_time.iter().filter(|v| ***v == json!(true)).count(), 1, "{on_time:?}");
    assert!(on_time.iter().all(|v| *v != &json!(false)), "nothing is late before its due day: {on_time:?}");
    // A commitment made today and due next year: open, it is not due; done, it is kept on time.
    let admin = app.login("admin").token;
    let t3 = app.unit_id(&admin, "T3");
    let today = thanthien::time::today_local();
    let d = app.post(
        "/api/v1/dialogues",
        Some(&bdh),
        json!({ "held_on": today, "place": "Hội trường", "leaders": "Chủ tịch UBND xã", "participants": 30, "topics": "Nước sinh hoạt" }),
    );
    assert_eq!(d.status, 201, "{}", d.text);
    let figures = || {
        let f = app.get(&format!("/api/v1/democracy/figures?from={year}-01-01&to={year}-12-31"), Some(&bdh));
        assert_eq!(f.status, 200, "{}", f.text);
        (
            f.body["dialogues"]["commitments_due"].as_i64().unwrap(),
            f.body["dialogues"]["commitments_kept_on_time"].as_i64().unwrap(),
        )
    };
    let before = figures();
    let c = app.post(
        &format!("/api/v1/dialogues/{}/commitments", d.body["id"]),
        Some(&bdh),
        json!({ "text": "Lắp đường ống nước thôn 3", "owner_unit_id": t3, "due_on": format!("{year}-03-31") }),
    );
    assert_eq!(c.status, 201, "{}", c.text);
    assert_eq!(figures(), before, "an open commitment not due yet is not missed");
    let thon3 = app.login("thon3").token;
    let r = app.post(
        &format!("/api/v1/commitments/{}/reports", c.body["id"]),
        Some(&thon3),
        json!({ "text": "Đã lắp xong", "status": "done" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(figures(), (before.0 + 1, before.1 + 1), "done early, it counts on time");
}

both_engines!(
    plan_progress_of_a_past_quarter,
    not_yet_due_is_not_missed,
    activities_held_computed_by_hand,
    criteria_computed_by_hand,
    publishing_freezes_the_snapshot_and_the_report,
    versions_stay_readable,
    criteria_sets_are_versioned,
    who_reads_and_who_evaluates,
);
