//! Plans and tasks: import, roll-up, scope (village, other commune), progress reports with
//! evidence, uploads, attachments, comments, filters and search, exports, bulk updates.

use chrono::{Duration, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::both_engines;
use crate::harness::TestApp;

const SEED: &str = include_str!("../../src/plans/seed/plan-2023.json");
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR evidence photo";
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1];

/// A raw response (status, JSON body if any, bytes).
pub struct Raw {
    pub status: u16,
    pub body: Value,
    pub bytes: Vec<u8>,
    pub content_type: String,
}

fn raw(r: reqwest::blocking::Response) -> Raw {
    let status = r.status().as_u16();
    let content_type = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let bytes = r.bytes().map(|b| b.to_vec()).unwrap_or_default();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Raw { status, body, bytes, content_type }
}

/// A part of a multipart form: name, optional file name, bytes.
pub type Part<'a> = (&'a str, Option<&'a str>, &'a [u8]);

pub fn multipart(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    let boundary = format!("tt{}", uuid::Uuid::new_v4().simple());
    let mut body = Vec::new();
    for (name, file, data) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn post_raw(app: &TestApp, path: &str, token: &str, content_type: &str, body: Vec<u8>) -> Raw {
    raw(app
        .client
        .post(app.url(path))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .expect("request"))
}

pub fn get_raw(app: &TestApp, path: &str, token: &str) -> Raw {
    raw(app.client.get(app.url(path)).bearer_auth(token).send().expect("request"))
}

/// Posts a progress report with files.
pub fn report(app: &TestApp, token: &str, task: i64, text: &str, progress: &str, files: &[(&str, &[u8])]) -> Raw {
    let mut parts: Vec<Part<'_>> = vec![("text", None, text.as_bytes()), ("progress", None, progress.as_bytes())];
    for (name, data) in files {
        parts.push(("files", Some(name), data));
    }
    let (ct, body) = multipart(&parts);
    post_raw(app, &format!("/api/v1/tasks/{task}/reports"), token, &ct, body)
}

fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(7)).date_naive()
}

/// The seeded 2023 plan's id (the first of that title; tests may import it again).
pub fn demo_plan(app: &TestApp, token: &str) -> i64 {
    let r = app.get("/api/v1/plans?year=2023&per_page=200", Some(token));
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["title"].as_str().unwrap().contains("Chính quyền thân thiện"))
        .filter_map(|p| p["id"].as_i64())
        .min()
        .expect("demo plan")
}

/// Ids the permission matrix works on: a plan with an area, a step and a task led by Thôn 1
/// and supported by UBND and MTTQ (so every reporting role is in scope).
pub struct Fixture {
    pub plan: i64,
    pub area: i64,
    pub step: i64,
    pub task: i64,
}

/// Creates the matrix fixture once (found again by its number on later calls).
pub fn matrix_fixture(app: &TestApp, admin: &str) -> Fixture {
    let found = app.get("/api/v1/plans?q=MATRIX-FIXTURE", Some(admin));
    let plan = match found.body["items"].as_array().and_then(|a| a.first()) {
        Some(p) => p["id"].as_i64().unwrap(),
        None => {
            let r = app.post(
                "/api/v1/plans",
                Some(admin),
                json!({ "number": "MATRIX-FIXTURE/KH-BĐH", "title": "Kế hoạch kiểm thử ma trận quyền", "year": 2026, "status": "active" }),
            );
            assert_eq!(r.status, 201, "{}", r.text);
            r.body["id"].as_i64().unwrap()
        }
    };
    let d = app.get(&format!("/api/v1/plans/{plan}"), Some(admin));
    let area = match d.body["content_areas"].as_array().unwrap().first() {
        Some(a) => a["id"].as_i64().unwrap(),
        None => {
            let r = app.post(&format!("/api/v1/plans/{plan}/areas"), Some(admin), json!({ "title": "Nội dung 1" }));
            assert_eq!(r.status, 201, "{}", r.text);
            r.body["id"].as_i64().unwrap()
        }
    };
    let step = match d.body["steps"].as_array().unwrap().first() {
        Some(s) => s["id"].as_i64().unwrap(),
        None => {
            let r = app.post(&format!("/api/v1/plans/{plan}/steps"), Some(admin), json!({ "title": "Bước 1" }));
            assert_eq!(r.status, 201, "{}", r.text);
            r.body["id"].as_i64().unwrap()
        }
    };
    let tasks = app.get(&format!("/api/v1/plans/{plan}/tasks"), Some(admin));
    let task = match tasks.body["items"].as_array().unwrap().first() {
        Some(t) => t["id"].as_i64().unwrap(),
        None => {
            let (t1, ubnd, mttq) = (app.unit_id(admin, "T1"), app.unit_id(admin, "UBND"), app.unit_id(admin, "MTTQ"));
            let r = app.post(
                &format!("/api/v1/plans/{plan}/tasks"),
                Some(admin),
                json!({ "content_area_id": area, "step_id": step, "title": "Nhiệm vụ kiểm thử", "lead_unit_id": t1,
                        "supporting_unit_ids": [ubnd, mttq], "start_date": "2026-01-01", "due_date": "2026-12-31" }),
            );
            assert_eq!(r.status, 201, "{}", r.text);
            r.body["id"].as_i64().unwrap()
        }
    };
    Fixture { plan, area, step, task }
}

fn task_ids(r: &Value) -> Vec<i64> {
    r["items"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect()
}

fn import_yields_areas_steps_and_one_task_per_item(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let doc: Value = serde_json::from_str(SEED).unwrap();
    let r = app.post("/api/v1/plans/import", Some(&bdh), doc.clone());
    assert_eq!(r.status, 201, "{}", r.text);
    let plan = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["number"], "…/KH-BĐH");
    assert_eq!(r.body["year"], 2023);
    assert_eq!(r.body["status"], "active");
    assert_eq!(r.body["legal_bases"].as_array().unwrap().len(), 17);
    assert_eq!(r.body["legal_bases"][0]["number"], "93-KH/BDVTU");
    assert_eq!(r.body["purposes"].as_array().unwrap().len(), 3);
    let areas = r.body["content_areas"].as_array().unwrap();
    // Section II's five content areas, then one area for the tasks of sections III–IV.
    assert_eq!(areas.len(), 6);
    assert_eq!(areas[1]["title"], "Tiếp tục thực hiện cải cách hành chính");
    for a in &areas[..5] {
        assert_eq!(a["section"], "content");
    }
    assert_eq!(areas[5]["section"], "implementation");
    let steps = r.body["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 5);
    for (s, d) in steps.iter().zip(doc["steps"].as_array().unwrap()) {
        assert_eq!(s["title"], d["title"]);
        assert_eq!(s["start_date"], d["start"]);
        assert_eq!(s["due_date"], d["due"]);
    }
    let item_text = |i: &Value| i.as_str().or(i["text"].as_str()).unwrap().to_string();
    let items: Vec<String> = doc["content_areas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["items"].as_array().unwrap().iter().map(item_text))
        .collect();
    assert_eq!(items.len(), 27);
    let duties: usize =
        doc["organization"].as_array().unwrap().iter().map(|u| u["duties"].as_array().unwrap().len()).sum();
    assert_eq!(duties, 12);
    // 27 items, 12 section IV duties, and Bước 2's own task (no item or duty falls in it).
    let tasks = app.get(&format!("/api/v1/plans/{plan}/tasks?per_page=200"), Some(&bdh));
    assert_eq!(tasks.body["total"], 40);
    assert_eq!(r.body["rollup"]["total"], 40);
    let all = tasks.body["items"].as_array().unwrap().clone();
    assert!(all.iter().all(|t| t["source"] == "plan"), "everything imported is the plan's own");
    // Section II's items are in the execution step (Bước 3) with its dates.
    let step3 = steps[2]["id"].as_i64().unwrap();
    let impl_area = areas[5]["id"].as_i64().unwrap();
    for t in all.iter().filter(|t| t["content_area_id"] != impl_area) {
        assert!(items.contains(&t["title"].as_str().unwrap().to_string()), "{t}");
        assert_eq!(t["step_id"], step3);
        assert_eq!(t["start_date"], "2023-05-01");
        assert_eq!(t["due_date"], "2023-12-31");
        assert_eq!(t["status"], "not_started");
        assert_eq!(t["weight"], 1.0);
    }
    // Every step of the timeline has a task carrying its deadline.
    for s in steps {
        let due = s["due_date"].as_str().unwrap();
        assert!(
            all.iter().any(|t| t["step_id"] == s["id"] && t["due_date"] == due),
            "no task carries the deadline of {} ({due})",
            s["title"]
        );
    }
    assert_eq!(steps[0]["task_count"], 6, "Bước 1: the board's and UBND's set-up duties");
    assert_eq!(steps[0]["overdue"], true, "Bước 1 was due on 24/04/2023");
    assert_eq!(steps[1]["task_count"], 1);
    assert_eq!(steps[2]["task_count"], 27 + 4);
    assert_eq!(steps[3]["task_count"], 1);
    assert_eq!(steps[4]["task_count"], 1);
    let (board, ubnd, kdv, mttq, hnd) = (
        app.unit_id(&bdh, "BDH"),
        app.unit_id(&bdh, "UBND"),
        app.unit_id(&bdh, "KDV"),
        app.unit_id(&bdh, "MTTQ"),
        app.unit_id(&bdh, "HND"),
    );
    let (ttnd, gsdtcd) = (app.unit_id(&bdh, "TTND"), app.unit_id(&bdh, "GSDTCD"));
    assert_ne!(kdv, mttq, "Khối Dân vận and the Front are two units");
    let sup = |t: &Value| -> Vec<i64> {
        t["supporting_unit_ids"].as_array().unwrap().iter().map(|u| u.as_i64().unwrap()).collect()
    };
    let by_title = |start: &str| -> Value {
        all.iter()
            .find(|t| t["title"].as_str().unwrap().starts_with(start))
            .unwrap_or_else(|| panic!("no task {start}"))
            .clone()
    };
    let in_area =
        |k: usize| -> Vec<Value> { all.iter().filter(|t| t["content_area_id"] == areas[k]["id"]).cloned().collect() };
    // Lead units as the plan assigns them: area 1 by the board; areas 2 (administrative reform)
    // and 4 (citizen reception and complaints, the chairman's duties by law) by UBND.
    assert_eq!(in_area(0).len(), 2);
    assert!(in_area(0).iter().all(|t| t["lead_unit_id"] == board));
    assert_eq!(in_area(1).len(), 8);
    assert!(in_area(1).iter().all(|t| t["lead_unit_id"] == ubnd), "area 2 is led by UBND");
    assert_eq!(in_area(3).len(), 7);
    assert!(in_area(3).iter().all(|t| t["lead_unit_id"] == ubnd), "area 4 is led by UBND");
    let boards = by_title("Nâng cao hiệu quả hoạt động của Ban Thanh tra nhân dân");
    assert!(sup(&boards).contains(&ttnd) && sup(&boards).contains(&gsdtcd), "{boards}");
    // Area 5 ("phối hợp giữa UBND xã với Mặt trận…"): UBND leads with the Front and unions
    // supporting, except item 5, led by the Front with UBND supporting.
    let area5 = in_area(4);
    assert_eq!(area5.len(), 5);
    assert_eq!(area5[0]["lead_unit_id"], ubnd, "{}", area5[0]);
    assert!(sup(&area5[0]).contains(&mttq) && sup(&area5[0]).contains(&hnd), "{:?}", sup(&area5[0]));
    let v5 = by_title("Tạo điều kiện thuận lợi để Mặt trận Tổ quốc");
    assert_eq!(v5["lead_unit_id"], mttq, "{v5}");
    assert_eq!(sup(&v5), vec![ubnd]);
    // Section IV's duties are tasks of their units, each carrying its step's deadline.
    for (start, lead, due) in [
        ("Xây dựng kế hoạch triển khai mô hình", board, "2023-04-24"),
        ("Thực hiện công tác kiểm tra, đánh giá kết quả mô hình", board, "2023-12-31"),
        ("Phân công nhiệm vụ cho các thành viên Ban điều hành", ubnd, "2023-04-24"),
        ("Xây dựng Quy chế hoạt động của Ban chỉ đạo", ubnd, "2023-04-24"),
        ("Bố trí kinh phí và các điều kiện cơ sở vật chất", ubnd, "2023-04-24"),
        ("Cùng với Mặt trận Tổ quốc, các đoàn thể tổ chức khảo sát", kdv, "2023-12-31"),
    ] {
        let t = by_title(start);
        assert_eq!((t["lead_unit_id"].as_i64().unwrap(), t["due_date"].as_str().unwrap()), (lead, due), "{t}");
        assert_eq!(t["content_area_id"], impl_area);
    }
    let survey = by_title("Cùng với Mặt trận Tổ quốc, các đoàn thể tổ chức khảo sát");
    assert_eq!(survey["step_id"], steps[3]["id"], "the December survey is Bước 4");
    assert!(sup(&survey).contains(&mttq), "the Front runs the survey with Khối Dân vận: {survey}");
    let evaluation = by_title("Thực hiện công tác kiểm tra, đánh giá kết quả mô hình");
    assert_eq!(evaluation["step_id"], steps[4]["id"], "the year-end evaluation is Bước 5");
    let launch = all.iter().find(|t| t["step_id"] == steps[1]["id"]).unwrap();
    assert_eq!((launch["start_date"].as_str(), launch["due_date"].as_str()), (Some("2023-04-26"), Some("2023-04-26")));
    assert_eq!(launch["lead_unit_id"], board);
    assert_eq!(sup(launch), {
        let mut v = vec![ubnd, kdv];
        v.sort();
        v
    });
    let units = r.body["units"].as_array().unwrap();
    assert_eq!(units.len(), 3);
    assert_eq!(units[0]["unit_id"], board);
    assert_eq!(units[1]["unit_id"], ubnd);
    assert_eq!(units[2]["unit_id"], kdv);
    assert_eq!(units[2]["duties"].as_array().unwrap().len(), 3);
    assert!(units[2]["duties"][1].as_str().unwrap().starts_with("Cùng với Mặt trận Tổ quốc"));
    // Legal bases replaced since are flagged with what replaced them; the others are not.
    let bases = r.body["legal_bases"].as_array().unwrap();
    let basis = |n: &str| bases.iter().find(|b| b["number"] == n).unwrap().clone();
    let ordinance = basis("34/2007/PL-UBTVQH11");
    assert!(ordinance["replaced_by"].as_str().unwrap().contains("10/2022/QH15"), "{ordinance}");
    assert_eq!(ordinance["replaced_from"], "2023-07-01");
    let decree = basis("149/2018/NĐ-CP");
    assert!(decree["replaced_by"].as_str().unwrap().contains("145/2020/NĐ-CP"), "{decree}");
    assert_eq!(decree["replaced_from"], "2021-02-01");
    assert_eq!(bases.iter().filter(|b| b.get("replaced_by").is_some()).count(), 2);
    // A document naming a unit the commune does not have is refused whole.
    let mut bad = doc.clone();
    bad["organization"][0]["unit"] = json!("Hội Người cao tuổi");
    let r = app.post("/api/v1/plans/import", Some(&bdh), bad);
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.body["errors"][0]["field"], "organization[0].unit");
    let r = app.post("/api/v1/plans/import", Some(&bdh), json!({ "plan": { "title": "x", "year": 2023 } }));
    assert_eq!(r.status, 422);
    // The demo commune has the seeded plan: the document's 40 tasks, and one task per village
    // added for the demo and labelled so.
    let demo = demo_plan(app, &bdh);
    assert_ne!(demo, plan);
    let d = app.get(&format!("/api/v1/plans/{demo}/tasks?per_page=200"), Some(&bdh));
    assert_eq!(d.body["total"], 46);
    let added: Vec<&Value> = d.body["items"].as_array().unwrap().iter().filter(|t| t["source"] == "demo").collect();
    assert_eq!(added.len(), 6);
    for (n, t) in added.iter().enumerate() {
        assert!(t["title"].as_str().unwrap().starts_with(&format!("Thôn {}:", n + 1)), "{t}");
        assert_eq!(t["lead_unit_id"], app.unit_id(&bdh, &format!("T{}", n + 1)));
    }
    let own = d.body["items"].as_array().unwrap().iter().filter(|t| t["source"] == "plan").count();
    assert_eq!(own, 40);
}

fn rollup_is_weighted_and_never_stale(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let board = app.unit_id(&bdh, "BDH");
    let r = app.post(
        "/api/v1/plans",
        Some(&bdh),
        json!({ "number": "07/KH-BĐH", "title": "Kế hoạch cuộn tiến độ", "year": 2026 }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["status"], "draft");
    let plan = r.body["id"].as_i64().unwrap();
    let area = |title: &str, weight: f64| {
        let r =
            app.post(&format!("/api/v1/plans/{plan}/areas"), Some(&bdh), json!({ "title": title, "weight": weight }));
        assert_eq!(r.status, 201, "{}", r.text);
        r.body["id"].as_i64().unwrap()
    };
    let (a1, a2) = (area("Nội dung A", 1.0), area("Nội dung B", 3.0));
    let yesterday = today() - Duration::days(1);
    let soon = today() + Duration::days(3);
    let task = |a: i64, title: &str, weight: f64, due: NaiveDate| {
        let r = app.post(
            &format!("/api/v1/plans/{plan}/tasks"),
            Some(&bdh),
            json!({ "content_area_id": a, "title": title, "lead_unit_id": board, "weight": weight,
                    "start_date": "2026-01-01", "due_date": due.to_string() }),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        assert_eq!(r.body["progress"], 0);
        r.body["id"].as_i64().unwrap()
    };
    let later = today() + Duration::days(60);
    let t1 = task(a1, "Việc 1", 1.0, yesterday);
    let t2 = task(a1, "Việc 2", 3.0, soon);
    let t3 = task(a2, "Việc 3", 1.0, later);
    let t4 = task(a2, "Việc 4", 1.0, later);
    let set = |t: i64, body: Value| {
        let r = app.patch(&format!("/api/v1/tasks/{t}"), Some(&bdh), body);
        assert_eq!(r.status, 200, "{}", r.text);
        r
    };
    set(t1, json!({ "progress": 100 }));
    set(t2, json!({ "progress": 20 }));
    set(t3, json!({ "progress": 60 }));
    let r = set(t4, json!({ "status": "cancelled" }));
    assert_eq!(r.body["status"], "cancelled");
    // A cancelled task takes no report: a rule's refusal, not a bad field.
    let refused = report(app, &bdh, t4, "báo cáo muộn", "50", &[]);
    assert_eq!((refused.status, refused.body["code"].as_str()), (409, Some("task_cancelled")), "{:?}", refused.body);
    let d = app.get(&format!("/api/v1/plans/{plan}"), Some(&bdh));
    // A: (1×100 + 3×20) / 4 = 40; B: cancelled excluded → 60; plan: (1×40 + 3×60) / 4 = 55.
    assert_eq!(d.body["content_areas"][0]["progress"], 40.0, "{}", d.text);
    assert_eq!(d.body["content_areas"][1]["progress"], 60.0);
    assert_eq!(d.body["content_areas"][1]["task_count"], 1);
    assert_eq!(d.body["progress"], 55.0);
    let roll = &d.body["rollup"];
    assert_eq!(roll["by_status"]["done"], 1);
    assert_eq!(roll["by_status"]["in_progress"], 2);
    assert_eq!(roll["by_status"]["cancelled"], 1);
    assert_eq!(roll["overdue_count"], 0, "t1 is done, so not overdue");
    assert_eq!(roll["due_soon_count"], 1);
    assert_eq!(roll["due_soon_tasks"][0]["id"], t2);
    assert_eq!(roll["today"], today().to_string());
    // Reopening t1 makes it overdue; the roll-up follows at once.
    let r = set(t1, json!({ "progress": 50 }));
    assert_eq!(r.body["status"], "in_progress");
    assert_eq!(r.body["overdue"], true);
    let d = app.get(&format!("/api/v1/plans/{plan}"), Some(&bdh));
    assert_eq!(d.body["rollup"]["overdue_count"], 1);
    assert_eq!(d.body["rollup"]["overdue_tasks"][0]["id"], t1);
    assert_eq!(d.body["content_areas"][0]["progress"], 27.5);
    let list = app.get("/api/v1/plans?year=2026", Some(&bdh));
    let p = list.body["items"].as_array().unwrap().iter().find(|p| p["id"] == plan).unwrap().clone();
    assert_eq!(p["progress"], d.body["progress"]);
    let o = app.get(&format!("/api/v1/plans/{plan}/tasks?overdue=true"), Some(&bdh));
    assert_eq!(task_ids(&o.body), vec![t1]);
    let o = app.get(&format!("/api/v1/plans/{plan}/tasks?overdue=false&sort=title"), Some(&bdh));
    assert_eq!(task_ids(&o.body), vec![t2, t3, t4]);
    // Status moves forward only; an invalid jump is a field error.
    let r = app.patch(&format!("/api/v1/plans/{plan}"), Some(&bdh), json!({ "status": "closed" }));
    assert_eq!((r.status, r.code()), (409, "invalid_plan_status"), "{}", r.text);
    let r = app.patch(&format!("/api/v1/plans/{plan}"), Some(&bdh), json!({ "status": "active" }));
    assert_eq!(r.status, 200);
    assert_eq!(r.body["status"], "active");
}

fn reporting_scope_matrix(app: &TestApp) {
    let admin = app.login("admin").token;
    let f = matrix_fixture(app, &admin);
    // (user, may report, may read)
    let cases = [
        ("admin", false, true),
        ("bdh", true, true),
        ("ubnd", true, true),
        ("mttq", true, true),
        ("thon1", true, true),
        ("thon2", false, false),
        ("tinh", false, false),
    ];
    for (user, may_report, may_read) in cases {
        let t = app.login(user).token;
        let r = report(app, &t, f.task, &format!("Báo cáo của {user}"), "30", &[("anh.png", PNG)]);
        let expected = match (may_report, may_read, user) {
            (true, _, _) => 201,
            (_, _, "thon2") => 404,
            _ => 403,
        };
        assert_eq!(r.status, expected, "{user} report: {:?}", r.body);
        let r = app.patch(&format!("/api/v1/tasks/{}", f.task), Some(&t), json!({ "progress": 40 }));
        let expected = match user {
            "admin" | "bdh" | "ubnd" | "mttq" | "thon1" => 200,
            "thon2" => 404,
            _ => 403,
        };
        assert_eq!(r.status, expected, "{user} progress: {}", r.text);
        let r = app.patch(
            &format!("/api/v1/tasks/{}", f.task),
            Some(&t),
            json!({ "title": format!("Nhiệm vụ kiểm thử ({user})") }),
        );
        assert_eq!(r.status, if matches!(user, "admin" | "bdh") { 200 } else { 403 }, "{user} title: {}", r.text);
        let r = app.get(&format!("/api/v1/tasks/{}", f.task), Some(&t));
        let expected = if may_read {
            200
        } else if user == "tinh" {
            403
        } else {
            404
        };
        assert_eq!(r.status, expected, "{user} read");
        if may_read {
            assert_eq!(r.body["can_report"], may_report, "{user}");
        }
    }
    // A unit outside the task (HND) reads it but may not report on it.
    let ubnd = app.login("ubnd").token;
    let demo = demo_plan(app, &ubnd);
    let board = app.unit_id(&ubnd, "BDH");
    let board_task = app.get(&format!("/api/v1/plans/{demo}/tasks?unit_id={board}&per_page=1"), Some(&ubnd));
    let bt = board_task.body["items"][0]["id"].as_i64().unwrap();
    assert_eq!(app.get(&format!("/api/v1/tasks/{bt}"), Some(&ubnd)).status, 200);
    assert_eq!(report(app, &ubnd, bt, "không phải việc của tôi", "10", &[]).status, 403);
    // Another commune's admin sees none of it.
    let admin2 = app.second_commune().token;
    assert_eq!(app.get(&format!("/api/v1/plans/{}", f.plan), Some(&admin2)).status, 404);
    assert_eq!(app.get(&format!("/api/v1/tasks/{}", f.task), Some(&admin2)).status, 404);
    assert_eq!(app.patch(&format!("/api/v1/areas/{}", f.area), Some(&admin2), json!({ "title": "x" })).status, 404);
    assert_eq!(app.patch(&format!("/api/v1/steps/{}", f.step), Some(&admin2), json!({ "title": "x" })).status, 404);
    let r = app.get("/api/v1/plans", Some(&admin2));
    assert_eq!(r.body["total"], 0);
}

fn village_sees_overview_and_only_its_tasks_with_evidence(app: &TestApp) {
    let thon1 = app.login("thon1").token;
    let thon2 = app.login("thon2").token;
    let bdh = app.login("bdh").token;
    let t1 = app.unit_id(&bdh, "T1");
    let plan = demo_plan(app, &thon1);
    let overview = app.get(&format!("/api/v1/plans/{plan}"), Some(&thon1));
    assert_eq!(overview.status, 200);
    assert_eq!(overview.body["content_areas"].as_array().unwrap().len(), 6);
    assert_eq!(overview.body["steps"].as_array().unwrap().len(), 5);
    assert_eq!(overview.body["can_edit"], false);
    // Their list holds only Thôn 1's task; the overdue list too.
    let list = app.get(&format!("/api/v1/plans/{plan}/tasks?per_page=200"), Some(&thon1));
    assert_eq!(list.body["total"], 1, "{}", list.text);
    let task = list.body["items"][0].clone();
    assert_eq!(task["lead_unit_id"], t1);
    assert_eq!(task["reporting_cadence"], "monthly");
    assert!(!task["missing_periods"].as_array().unwrap().is_empty(), "2023 monthly periods were never reported");
    let id = task["id"].as_i64().unwrap();
    for t in overview.body["rollup"]["overdue_tasks"].as_array().unwrap() {
        assert_eq!(t["id"], id);
    }
    let mine = app.get("/api/v1/tasks/mine", Some(&thon1));
    assert_eq!(task_ids(&mine.body), vec![id]);
    // thon1 reports with a photo; the task's and area's progress change for the board.
    let r = report(
        app,
        &thon1,
        id,
        "Đã họp thôn, niêm yết công khai tại nhà văn hóa.",
        "60",
        &[("IMG_0001.jpg", JPEG), ("bien-ban.png", PNG)],
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["progress"], 60);
    assert_eq!(r.body["unit_id"], t1);
    assert_eq!(r.body["author_name"], "Trưởng thôn 1 (demo)");
    let files = r.body["attachments"].as_array().unwrap().clone();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["content_type"], "image/jpeg");
    assert_eq!(files[0]["file_name"], "IMG_0001.jpg");
    let url = files[0]["url"].as_str().unwrap().to_string();
    let seen = app.get(&format!("/api/v1/tasks/{id}"), Some(&bdh));
    assert_eq!(seen.body["progress"], 60);
    assert_eq!(seen.body["status"], "in_progress");
    assert_eq!(seen.body["reports"][0]["attachments"].as_array().unwrap().len(), 2);
    assert!(seen.body["history"].as_array().unwrap().iter().any(|h| h["action"] == "report"));
    let area = seen.body["content_area_id"].as_i64().unwrap();
    let d = app.get(&format!("/api/v1/plans/{plan}"), Some(&bdh));
    let a = d.body["content_areas"].as_array().unwrap().iter().find(|a| a["id"] == area).unwrap().clone();
    // Area 3 has 5 items + 6 village tasks, weight 1 each: 60 / 11.
    assert_eq!(a["progress"], 5.5, "{a}");
    assert!(d.body["progress"].as_f64().unwrap() > 0.0);
    // Evidence is served by content hash to those who may read the task, and to no one else.
    let file = get_raw(app, &url, &thon1);
    assert_eq!(file.status, 200);
    assert_eq!(file.bytes, JPEG);
    assert_eq!(file.content_type, "image/jpeg");
    assert_eq!(get_raw(app, &url, &bdh).status, 200);
    let hash = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(JPEG))
    };
    let again = app
        .client
        .get(app.url(&url))
        .bearer_auth(&thon1)
        .header("if-none-match", format!("\"{hash}\""))
        .send()
        .unwrap();
    assert_eq!(again.status().as_u16(), 304);
    let cache = again.headers()["cache-control"].to_str().unwrap().to_string();
    assert!(cache.contains("private") && cache.contains("no-cache"), "a shared phone must revalidate: {cache}");
    let denied = app
        .client
        .get(app.url(&url))
        .bearer_auth(&thon2)
        .header("if-none-match", format!("\"{hash}\""))
        .send()
        .unwrap();
    assert_eq!(denied.status().as_u16(), 404, "a validator never bypasses scope");
    assert_eq!(get_raw(app, &url, &app.login("ubnd").token).status, 200);
    assert_eq!(get_raw(app, &url, &thon2).status, 404);
    assert_eq!(get_raw(app, &url, &app.login("tinh").token).status, 403);
    assert_eq!(get_raw(app, &url, &app.second_commune().token).status, 404);
    assert_eq!(get_raw(app, "/api/v1/attachments/999999", &thon1).status, 404);
    let stored = app.data_dir.join("files");
    assert!(stored.join(&hash[..2]).join(&hash).exists());
    // thon2 cannot open, list, report on or comment on that task.
    assert_eq!(app.get(&format!("/api/v1/tasks/{id}"), Some(&thon2)).status, 404);
    assert_eq!(app.get(&format!("/api/v1/tasks/{id}/reports"), Some(&thon2)).status, 404);
    assert_eq!(app.get(&format!("/api/v1/tasks/{id}/comments"), Some(&thon2)).status, 404);
    assert_eq!(app.post(&format!("/api/v1/tasks/{id}/comments"), Some(&thon2), json!({ "text": "x" })).status, 404);
    assert_eq!(report(app, &thon2, id, "x", "10", &[("a.png", PNG)]).status, 404);
    let l2 = app.get(&format!("/api/v1/plans/{plan}/tasks?per_page=200"), Some(&thon2));
    assert!(!task_ids(&l2.body).contains(&id));
    // Comments: thon1 and the board talk on the task.
    let c = app.post(&format!("/api/v1/tasks/{id}/comments"), Some(&bdh), json!({ "text": "Đề nghị gửi thêm ảnh." }));
    assert_eq!(c.status, 201, "{}", c.text);
    assert_eq!(app.post(&format!("/api/v1/tasks/{id}/comments"), Some(&thon1), json!({ "text": "  " })).status, 422);
    let cs = app.get(&format!("/api/v1/tasks/{id}/comments"), Some(&thon1));
    assert_eq!(cs.body[0]["text"], "Đề nghị gửi thêm ảnh.");
    let reps = app.get(&format!("/api/v1/tasks/{id}/reports"), Some(&thon1));
    assert_eq!(reps.body.as_array().unwrap().len(), 1);
    // Village users may report progress, not restructure tasks.
    assert_eq!(
        app.patch(&format!("/api/v1/tasks/{id}"), Some(&thon1), json!({ "due_date": "2030-01-01" })).status,
        403
    );
    let r = app.patch(&format!("/api/v1/tasks/{id}"), Some(&thon1), json!({ "status": "done" }));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["progress"], 100);
}

/// A report queued on a phone says when it was written: it is dated then, and a task marked
/// done after it stays done (the report is kept as written). Sent without that time, a report
/// below 100 % still reopens a done task, as before.
fn a_report_written_offline_keeps_its_time_and_yields_to_a_later_done(app: &TestApp) {
    use chrono::SecondsFormat;
    let (thon1, bdh) = (app.login("thon1").token, app.login("bdh").token);
    let plan = demo_plan(app, &thon1);
    let list = app.get(&format!("/api/v1/plans/{plan}/tasks?per_page=100"), Some(&thon1));
    let open =
        list.body["items"].as_array().unwrap().iter().find(|t| t["status"] != "done" && t["status"] != "cancelled");
    let id = open.expect("an open task of thôn 1")["id"].as_i64().unwrap();
    let post = |progress: &str, written: &str| {
        let (ct, body) = multipart(&[
            ("text", None, "Đã họp dân triển khai".as_bytes()),
            ("progress", None, progress.as_bytes()),
            ("written_at", None, written.as_bytes()),
        ]);
        post_raw(app, &format!("/api/v1/tasks/{id}/reports"), &thon1, &ct, body)
    };
    let ago = |d: Duration| (Utc::now() - d).to_rfc3339_opts(SecondsFormat::Secs, true);
    let at = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap().timestamp();
    // Written two days ago, sent now: dated when written.
    let written = ago(Duration::days(2));
    let r = post("40", &written);
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(at(&r.body["created_at"]), chrono::DateTime::parse_from_rfc3339(&written).unwrap().timestamp());
    // Out of reach or unreadable: a field error, nothing stored.
    for (bad, code) in [
        (ago(Duration::hours(-1)), "invalid_value"),
        (ago(Duration::days(31)), "invalid_value"),
        ("hôm qua".into(), "invalid_format"),
    ] {
        let r = post("50", &bad);
        assert_eq!(
            (r.status, r.body["errors"][0]["field"].as_str(), r.body["errors"][0]["code"].as_str()),
            (422, Some("written_at"), Some(code)),
            "{bad}"
        );
    }
    // Two reports queued in a row by the same village head: the later one written wins, though
    // the first reached the server (and closed the task) after it was written.
    assert_eq!(post("100", &ago(Duration::minutes(20))).status, 201);
    assert_eq!(app.get(&format!("/api/v1/tasks/{id}"), Some(&thon1)).body["status"], "done");
    assert_eq!(post("80", &ago(Duration::minutes(15))).status, 201);
    let task = app.get(&format!("/api/v1/tasks/{id}"), Some(&thon1));
    assert_eq!((task.body["status"].as_str(), task.body["progress"].as_i64()), (Some("in_progress"), Some(80)));
    // Written ten minutes ago; the board marks the task done meanwhile; the report arrives.
    let written = ago(Duration::minutes(10));
    let r = app.patch(&format!("/api/v1/tasks/{id}"), Some(&bdh), json!({ "status": "done" }));
    assert_eq!((r.status, r.body["progress"].as_i64()), (200, Some(100)));
    let r = post("60", &written);
    assert_eq!(r.status, 201, "{:?}", r.body);
    let task = app.get(&format!("/api/v1/tasks/{id}"), Some(&thon1));
    assert_eq!(
        (task.body["status"].as_str(), task.body["progress"].as_i64()),
        (Some("done"), Some(100)),
        "the later done stands"
    );
    let reports = app.get(&format!("/api/v1/tasks/{id}/reports"), Some(&thon1));
    assert!(reports.body.as_array().unwrap().iter().any(|r| r["progress"] == 60), "the report is kept as written");
    // A second report written before the board's decision yields too (the first one left the
    // task done, it did not make it so).
    assert_eq!(post("65", &ago(Duration::minutes(9))).status, 201);
    let task = app.get(&format!("/api/v1/tasks/{id}"), Some(&thon1));
    assert_eq!((task.body["status"].as_str(), task.body["progress"].as_i64()), (Some("done"), Some(100)));
    // Written after the task was done (a phone's clock a little ahead: taken as now): it reopens
    // it, as a report sent at once does.
    let r = post("70", &ago(Duration::seconds(-2)));
    assert_eq!(r.status, 201, "{:?}", r.body);
    let task = app.get(&format!("/api/v1/tasks/{id}"), Some(&thon1));
    assert_eq!((task.body["status"].as_str(), task.body["progress"].as_i64()), (Some("in_progress"), Some(70)));
}

fn bad_uploads_store_nothing(app: &TestApp) {
    let thon1 = app.login("thon1").token;
    let plan = demo_plan(app, &thon1);
    let list = app.get(&format!("/api/v1/plans/{plan}/tasks"), Some(&thon1));
    let id = list.body["items"][0]["id"].as_i64().unwrap();
    let big = {
        let mut b = PNG.to_vec();
        b.resize(10 * 1024 * 1024 + 1, 0);
        b
    };
    let exe: &[u8] = b"MZ\x90\0\x03\0\0\0 not a photo";
    let svg: &[u8] = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>";
    type Case<'a> = (&'a str, Vec<(&'a str, &'a [u8])>, u16);
    let cases: Vec<Case<'_>> = vec![
        ("wrong type named .jpg", vec![("anh.jpg", exe)], 415),
        ("svg", vec![("anh.svg", svg)], 415),
        ("too big", vec![("anh.png", big.as_slice())], 413),
        ("empty", vec![("anh.png", b"".as_slice())], 422),
        ("one good one bad", vec![("ok.png", PNG), ("x.pdf", exe)], 415),
    ];
    for (name, files, status) in cases {
        let r = report(app, &thon1, id, "ảnh minh chứng", "50", &files);
        assert_eq!(r.status, status, "{name}: {:?}", r.body);
        assert_eq!(r.content_type, "application/problem+json", "{name}");
    }
    // Form errors are field errors.
    let r = report(app, &thon1, id, "", "", &[]);
    assert_eq!(r.status, 422);
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["text", "progress"]);
    assert_eq!(report(app, &thon1, id, "x", "101", &[]).status, 422);
    assert_eq!(report(app, &thon1, id, "x", "năm mươi", &[]).status, 422);
    let (ct, body) = multipart(&[("text", None, b"x"), ("progress", None, b"5"), ("author_id", None, b"1")]);
    let r = post_raw(app, &format!("/api/v1/tasks/{id}/reports"), &thon1, &ct, body);
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["code"], "unknown_field");
    let r = post_raw(app, &format!("/api/v1/tasks/{id}/reports"), &thon1, "application/json", b"{}".to_vec());
    assert!((400..500).contains(&r.status), "{}", r.status);
    // Nothing was stored: no files, no report, progress unchanged.
    let files = app.data_dir.join("files");
    let count = std::fs::read_dir(&files).map(|d| d.count()).unwrap_or(0);
    assert_eq!(count, 0, "no blob may be written for a refused upload");
    let t = app.get(&format!("/api/v1/tasks/{id}"), Some(&thon1));
    assert_eq!(t.body["progress"], 0);
    assert!(t.body["reports"].as_array().unwrap().is_empty());
    // A PDF is fine, and a text-only report too.
    assert_eq!(report(app, &thon1, id, "biên bản", "10", &[("bb.pdf", b"%PDF-1.4 minimal")]).status, 201);
    assert_eq!(report(app, &thon1, id, "chỉ có lời", "20", &[]).status, 201);
}

fn bulk_update_is_all_or_nothing(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let r = app.post("/api/v1/plans/import", Some(&bdh), serde_json::from_str(SEED).unwrap());
    let plan = r.body["id"].as_i64().unwrap();
    let list = app.get(&format!("/api/v1/plans/{plan}/tasks?per_page=3"), Some(&bdh));
    let ids = task_ids(&list.body);
    let other = demo_plan(app, &bdh);
    let foreign = task_ids(&app.get(&format!("/api/v1/plans/{other}/tasks?per_page=1"), Some(&bdh)).body)[0];
    let path = format!("/api/v1/plans/{plan}/bulk-progress");
    // Row 3 is bad (progress 150): nothing is applied.
    let csv = format!(
        "Mã nhiệm vụ,Trạng thái,Tiến độ,Ghi chú\n{},in_progress,30,Đã triển khai\n{},Hoàn thành,,\n{},in_progress,150,\n",
        ids[0], ids[1], ids[2]
    );
    let r = post_raw(app, &path, &bdh, "text/csv", csv.into_bytes());
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(r.body["errors"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["errors"][0]["field"], "rows[4].progress");
    // A task of another plan and a duplicate are row errors too.
    let csv = format!("{},done,,\n{},done,,\n{},done,,\n", ids[0], ids[0], foreign);
    let r = post_raw(app, &path, &bdh, "text/csv", csv.into_bytes());
    assert_eq!(r.status, 422);
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["rows[2].task_id", "rows[3].task_id"]);
    let after = app.get(&format!("/api/v1/plans/{plan}/tasks?per_page=3"), Some(&bdh));
    for t in after.body["items"].as_array().unwrap() {
        assert_eq!(t["progress"], 0);
        assert_eq!(t["status"], "not_started");
    }
    // All good: applied, as multipart too; a note becomes a report.
    let csv = format!("{},in_progress,30,Đã triển khai\n{},Hoàn thành,,\n", ids[0], ids[1]);
    let (ct, body) = multipart(&[("file", Some("tien-do.csv"), csv.as_bytes())]);
    let r = post_raw(app, &path, &bdh, &ct, body);
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["applied"], 2);
    let t0 = app.get(&format!("/api/v1/tasks/{}", ids[0]), Some(&bdh));
    assert_eq!(t0.body["progress"], 30);
    assert_eq!(t0.body["reports"][0]["text"], "Đã triển khai");
    let t1 = app.get(&format!("/api/v1/tasks/{}", ids[1]), Some(&bdh));
    assert_eq!((t1.body["status"].as_str(), t1.body["progress"].as_i64()), (Some("done"), Some(100)));
    // Only editors may bulk-update; the wrong media type is 415.
    let ubnd = app.login("ubnd").token;
    assert_eq!(post_raw(app, &path, &ubnd, "text/csv", b"1,done,,".to_vec()).status, 403);
    assert_eq!(post_raw(app, &path, &bdh, "application/json", b"{}".to_vec()).status, 415);
}

fn exports_csv_and_xlsx(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let plan = demo_plan(app, &bdh);
    let csv = get_raw(app, &format!("/api/v1/plans/{plan}/export.csv"), &bdh);
    assert_eq!(csv.status, 200);
    assert!(csv.content_type.starts_with("text/csv"));
    let text = String::from_utf8(csv.bytes).unwrap();
    assert!(text.starts_with("\u{feff}Mã nhiệm vụ,Nội dung,Bước,Nhiệm vụ"));
    assert_eq!(text.lines().count(), 47, "header + 46 tasks");
    // The six village tasks are not the plan's: the export says they were added for the demo.
    assert_eq!(text.lines().filter(|l| l.ends_with(",Bổ sung cho bản demo")).count(), 6);
    assert_eq!(text.lines().filter(|l| l.ends_with(",Kế hoạch")).count(), 40);
    assert!(text.contains("Ban Điều hành mô hình"));
    assert!(text.contains("Chưa bắt đầu"));
    let xlsx = get_raw(app, &format!("/api/v1/plans/{plan}/export.xlsx"), &bdh);
    assert_eq!(xlsx.status, 200);
    assert_eq!(xlsx.content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert_eq!(&xlsx.bytes[..4], b"PK\x03\x04");
    let body = String::from_utf8_lossy(&xlsx.bytes);
    assert!(body.contains("xl/worksheets/sheet1.xml"));
    assert!(body.contains("Tuyên truyền"));
    // In English: headers and labels; titles and unit names as written.
    let en = get_raw(app, &format!("/api/v1/plans/{plan}/export.csv?lang=en"), &bdh);
    assert_eq!(en.status, 200);
    let text = String::from_utf8(en.bytes).unwrap();
    assert!(text.starts_with("\u{feff}Task id,Content area,Step,Task,Lead unit,Supporting units,"), "{text}");
    assert_eq!(text.lines().count(), 47);
    assert!(text.contains("Not started") && !text.contains("Chưa bắt đầu"));
    assert!(text.contains(",Step ") && text.contains(",Monthly"));
    assert!(text.contains("Ban Điều hành mô hình"));
    let xlsx = get_raw(app, &format!("/api/v1/plans/{plan}/export.xlsx?lang=en"), &bdh);
    assert_eq!(xlsx.status, 200);
    assert!(String::from_utf8_lossy(&xlsx.bytes).contains("Tasks"));
    let bad = app.get(&format!("/api/v1/plans/{plan}/export.csv?lang=fr"), Some(&bdh));
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(bad.body["errors"][0]["field"], "lang", "{}", bad.text);
    // A village exports only its own rows.
    let thon1 = app.login("thon1").token;
    let v = get_raw(app, &format!("/api/v1/plans/{plan}/export.csv"), &thon1);
    assert_eq!(v.status, 200);
    assert_eq!(String::from_utf8(v.bytes).unwrap().lines().count(), 2);
    assert_eq!(get_raw(app, &format!("/api/v1/plans/{plan}/export.csv"), &app.login("tinh").token).status, 403);
}

fn filters_search_sort_and_paging(app: &TestApp) {
    let mttq = app.login("mttq").token;
    let plan = demo_plan(app, &mttq);
    let base = format!("/api/v1/plans/{plan}/tasks");
    let r = app.get(&format!("{base}?q=tuyen%20truyen"), Some(&mttq));
    assert_eq!(r.status, 200);
    let n = r.body["total"].as_i64().unwrap();
    assert!(n >= 2, "{}", r.text);
    for t in r.body["items"].as_array().unwrap() {
        assert!(t["title"].as_str().unwrap().to_lowercase().contains("tuyên truyền"), "{t}");
    }
    assert_eq!(app.get(&format!("{base}?q=TUYÊN%20TRUYỀN"), Some(&mttq)).body["total"], n);
    assert_eq!(app.get(&format!("{base}?q=100%25_"), Some(&mttq)).body["total"], 0);
    let t3 = app.unit_id(&mttq, "T3");
    let r = app.get(&format!("{base}?unit_id={t3}"), Some(&mttq));
    assert_eq!(r.body["total"], 1);
    assert_eq!(r.body["items"][0]["lead_unit_id"], t3);
    let front = app.unit_id(&mttq, "MTTQ");
    let r = app.get(&format!("{base}?unit_id={front}&per_page=200"), Some(&mttq));
    assert!(r.body["items"].as_array().unwrap().iter().all(|t| t["lead_unit_id"] == front
        || t["supporting_unit_ids"].as_array().unwrap().contains(&json!(front))));
    let r = app.get(&format!("{base}?per_page=5&page=2"), Some(&mttq));
    assert_eq!(r.body["total"], 46);
    assert_eq!(r.body["page"], 2);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 5);
    assert_eq!(app.get(&format!("{base}?status=done"), Some(&mttq)).body["total"], 0);
    // The 2023 plan's tasks are all past due and open.
    assert_eq!(app.get(&format!("{base}?overdue=true&per_page=1"), Some(&mttq)).body["total"], 46);
    let d = app.get(&format!("/api/v1/plans/{plan}"), Some(&mttq));
    let step3 = d.body["steps"][2]["id"].as_i64().unwrap();
    let area2 = d.body["content_areas"][1]["id"].as_i64().unwrap();
    assert_eq!(app.get(&format!("{base}?step_id={step3}&per_page=1"), Some(&mttq)).body["total"], 27 + 4 + 6);
    assert_eq!(app.get(&format!("{base}?content_area_id={area2}"), Some(&mttq)).body["total"], 8);
    let sorted = app.get(&format!("{base}?sort=-due_date&per_page=200"), Some(&mttq));
    assert_eq!(sorted.status, 200);
    // Each refusal names the parameter that carries the wrong value.
    for q in ["status=finished", "sort=random", "overdue=maybe", "per_page=500", "nope=1", "unit_id=x", "page=-"] {
        let r = app.get(&format!("{base}?{q}"), Some(&mttq));
        assert_eq!(r.status, 422, "{q}: {}", r.text);
        assert_eq!(r.code(), "validation_failed", "{q}");
        let name = q.split('=').next().unwrap_or_default();
        assert_eq!(r.body["errors"][0]["field"], name, "{q}: {}", r.text);
    }
    assert_eq!(app.get(&format!("{base}?per_page=500"), Some(&mttq)).body["errors"][0]["field"], "per_page");
    assert_eq!(app.get("/api/v1/plans/999999/tasks", Some(&mttq)).status, 404);
    assert_eq!(app.get("/api/v1/tasks/999999", Some(&mttq)).status, 404);
}

fn editor_creates_reorders_assigns_and_dates(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let (board, ubnd, hpn) = (app.unit_id(&bdh, "BDH"), app.unit_id(&bdh, "UBND"), app.unit_id(&bdh, "HPN"));
    let r = app.post(
        "/api/v1/plans",
        Some(&bdh),
        json!({ "number": "12/KH-BĐH", "title": "Kế hoạch năm 2026", "model_name": "Chính quyền thân thiện, vì Nhân dân phục vụ",
                "year": 2026, "issuing_unit_id": board, "issued_on": "2026-03-01",
                "legal_bases": [{ "kind": "Kế hoạch", "number": "93-KH/BDVTU", "date": "2023-02-10", "issuer": "Ban Dân vận Tỉnh ủy", "subject": "Về việc xây dựng mô hình" }],
                "purposes": ["Nâng cao chất lượng phục vụ"] }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let plan = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["legal_bases"][0]["date"], "2023-02-10");
    let area = |t: &str, pos: Option<i32>| {
        let mut b = json!({ "title": t });
        if let Some(p) = pos {
            b["position"] = json!(p);
        }
        let r = app.post(&format!("/api/v1/plans/{plan}/areas"), Some(&bdh), b);
        assert_eq!(r.status, 201, "{}", r.text);
        r.body["id"].as_i64().unwrap()
    };
    let a = area("A", None);
    let b = area("B", None);
    let c = area("C", Some(1));
    let order = |app: &TestApp| -> Vec<i64> {
        app.get(&format!("/api/v1/plans/{plan}"), Some(&bdh)).body["content_areas"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(order(app), vec![c, a, b]);
    let r = app.patch(&format!("/api/v1/areas/{c}"), Some(&bdh), json!({ "position": 3, "weight": 2 }));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["position"], 3);
    assert_eq!(order(app), vec![a, b, c]);
    assert_eq!(app.patch(&format!("/api/v1/areas/{c}"), Some(&bdh), json!({ "weight": 0 })).status, 422);
    let s = app.post(
        &format!("/api/v1/plans/{plan}/steps"),
        Some(&bdh),
        json!({ "title": "Bước 1", "start_date": "2026-04-01", "due_date": "2026-04-30" }),
    );
    assert_eq!(s.status, 201, "{}", s.text);
    let step = s.body["id"].as_i64().unwrap();
    let r = app.patch(&format!("/api/v1/steps/{step}"), Some(&bdh), json!({ "due_date": "2026-03-01" }));
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["field"], "due_date");
    let r = app.patch(
        &format!("/api/v1/steps/{step}"),
        Some(&bdh),
        json!({ "due_date": "2026-05-15", "status": "in_progress" }),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["due_date"], "2026-05-15");
    let t = app.post(
        &format!("/api/v1/plans/{plan}/tasks"),
        Some(&bdh),
        json!({ "content_area_id": a, "step_id": step, "title": "Tuyên truyền mô hình", "lead_unit_id": board,
                "supporting_unit_ids": [ubnd, board], "start_date": "2026-04-01", "due_date": "2026-04-20", "reporting_cadence": "weekly" }),
    );
    assert_eq!(t.status, 201, "{}", t.text);
    assert_eq!(t.body["supporting_unit_ids"], json!([ubnd]), "the lead is not its own supporter");
    let id = t.body["id"].as_i64().unwrap();
    let r = app.patch(
        &format!("/api/v1/tasks/{id}"),
        Some(&bdh),
        json!({ "content_area_id": b, "lead_unit_id": hpn, "supporting_unit_ids": [ubnd, board], "due_date": "2026-04-25", "reporting_cadence": null, "step_id": null }),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["content_area_id"], b);
    assert_eq!(r.body["lead_unit_id"], hpn);
    assert_eq!(r.body["step_id"], Value::Null);
    assert_eq!(r.body["reporting_cadence"], Value::Null);
    assert!(r.body["history"].as_array().unwrap().iter().any(|h| h["action"] == "update"));
    // Supporting units ride on the task row (kept from task_units by a trigger): the detail and
    // every list show the new set, ascending, and an emptied set.
    let mut both = vec![ubnd, board];
    both.sort_unstable();
    assert_eq!(r.body["supporting_unit_ids"], json!(both));
    let listed = || {
        let l = app.get(&format!("/api/v1/plans/{plan}/tasks?unit_id={board}&per_page=200"), Some(&bdh));
        assert_eq!(l.status, 200, "{}", l.text);
        l.body["items"].as_array().unwrap().iter().find(|t| t["id"] == id).map(|t| t["supporting_unit_ids"].clone())
    };
    assert_eq!(listed(), Some(json!(both)), "found through its supporting unit, with both units");
    let r = app.patch(&format!("/api/v1/tasks/{id}"), Some(&bdh), json!({ "supporting_unit_ids": [] }));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["supporting_unit_ids"], json!([]));
    assert_eq!(listed(), None, "no longer supported by the board, nor led by it");
    let all = app.get(&format!("/api/v1/plans/{plan}/tasks?per_page=200"), Some(&bdh));
    let row = all.body["items"].as_array().unwrap().iter().find(|t| t["id"] == id).cloned().unwrap();
    assert_eq!(row["supporting_unit_ids"], json!([]));
    // The total comes with the page; past the last page it is still the total.
    let n = all.body["total"].as_i64().unwrap();
    assert_eq!(n, all.body["items"].as_array().unwrap().len() as i64);
    let first = app.get(&format!("/api/v1/plans/{plan}/tasks?per_page=1"), Some(&bdh));
    assert_eq!((first.body["total"].as_i64(), first.body["items"].as_array().unwrap().len()), (Some(n), 1));
    let past = app.get(&format!("/api/v1/plans/{plan}/tasks?per_page=1&page={}", n + 5), Some(&bdh));
    assert_eq!(past.status, 200, "{}", past.text);
    assert_eq!((past.body["total"].as_i64(), past.body["items"].as_array().unwrap().len()), (Some(n), 0));
    // Bad input is a field error, never a 500.
    let bad = [
        (json!({ "content_area_id": 999999 }), "content_area_id"),
        (json!({ "lead_unit_id": 999999 }), "lead_unit_id"),
        (json!({ "start_date": "2026-05-01" }), "due_date"),
        (json!({ "progress": -1 }), "progress"),
        (json!({ "weight": -2 }), "weight"),
        (json!({ "status": "paused" }), "status"),
        (json!({ "commune_id": 2 }), "commune_id"),
    ];
    for (body, field) in bad {
        let r = app.patch(&format!("/api/v1/tasks/{id}"), Some(&bdh), body.clone());
        assert_eq!(r.status, 422, "{body}: {}", r.text);
        assert_eq!(r.body["errors"][0]["field"], field, "{body}");
    }
    let r = app.post(&format!("/api/v1/plans/{plan}/tasks"), Some(&bdh), json!({ "content_area_id": a, "title": "", "lead_unit_id": board, "start_date": "2026-04-01", "due_date": "2026-03-01" }));
    assert_eq!(r.status, 422);
    assert_eq!(app.post("/api/v1/plans", Some(&bdh), json!({ "number": "1", "title": "x", "year": 1999 })).status, 422);
    // The UBND reads plans but does not edit them.
    let ubnd_t = app.login("ubnd").token;
    assert_eq!(app.post(&format!("/api/v1/plans/{plan}/areas"), Some(&ubnd_t), json!({ "title": "x" })).status, 403);
    let audit = app.get("/api/v1/audit?entity=content_area", Some(&bdh));
    assert!(audit.body["total"].as_i64().unwrap() >= 4);
}

/// The overview's lists hold 50 tasks at most each, in due-date order, whether both come from
/// one query (50 overdue or fewer) or from two (more than 50 overdue).
fn overview_lists_are_capped_and_ordered(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let board = app.unit_id(&bdh, "BDH");
    let r = app.post(
        "/api/v1/plans",
        Some(&bdh),
        json!({ "number": "09/KH-BĐH", "title": "Nhiều việc quá hạn", "year": 2026 }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let plan = r.body["id"].as_i64().unwrap();
    let r = app.post(&format!("/api/v1/plans/{plan}/areas"), Some(&bdh), json!({ "title": "Nội dung A" }));
    let area = r.body["id"].as_i64().unwrap();
    let task = |n: i64, due: NaiveDate| {
        let r = app.post(
            &format!("/api/v1/plans/{plan}/tasks"),
            Some(&bdh),
            json!({ "content_area_id": area, "title": format!("Việc {n}"), "lead_unit_id": board,
                    "start_date": "2020-01-01", "due_date": due.to_string() }),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        r.body["id"].as_i64().unwrap()
    };
    // 48 overdue (older first after sorting), 3 due soon, 1 later.
    let mut overdue: Vec<(NaiveDate, i64)> = (0..48)
        .map(|n| {
            let due = today() - Duration::days(1 + (n * 7) % 40);
            (due, task(n, due))
        })
        .collect();
    let soon: Vec<i64> = (0..3).map(|n| task(100 + n, today() + Duration::days(2 - n))).collect();
    task(200, today() + Duration::days(30));
    overdue.sort();
    let ids = |v: &Value| v.as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect::<Vec<_>>();
    let d = app.get(&format!("/api/v1/plans/{plan}"), Some(&bdh));
    assert_eq!(d.status, 200, "{}", d.text);
    assert_eq!(d.body["rollup"]["overdue_count"], 48);
    assert_eq!(d.body["rollup"]["due_soon_count"], 3);
    assert_eq!(ids(&d.body["rollup"]["overdue_tasks"]), overdue.iter().map(|(_, id)| *id).collect::<Vec<_>>());
    assert_eq!(ids(&d.body["rollup"]["due_soon_tasks"]), vec![soon[2], soon[1], soon[0]]);
    // Past 50 overdue: each list is capped at 50 and the soon list is still complete.
    for n in 0..5 {
        let due = today() - Duration::days(100 + n);
        overdue.push((due, task(300 + n, due)));
    }
    overdue.sort();
    let d = app.get(&format!("/api/v1/plans/{plan}"), Some(&bdh));
    assert_eq!(d.body["rollup"]["overdue_count"], 53);
    assert_eq!(ids(&d.body["rollup"]["overdue_tasks"]), overdue.iter().take(50).map(|(_, id)| *id).collect::<Vec<_>>());
    assert_eq!(ids(&d.body["rollup"]["due_soon_tasks"]), vec![soon[2], soon[1], soon[0]]);
}

/// Overviews and task lists come from the read cache while a plan is unchanged: every kind of
/// change shows at once, whether made through the API or straight in the database (as another
/// server or the CLI would), and a village's view never comes from the board's or back.
fn cached_views_follow_every_change(app: &TestApp) {
    use diesel::prelude::*;
    use thanthien::db::schema::{progress_reports, task_units, tasks};
    let bdh = app.login("bdh").token;
    let thon1 = app.login("thon1").token;
    let admin = app.login("admin").token;
    let (board, t1, t2) = (app.unit_id(&bdh, "BDH"), app.unit_id(&bdh, "T1"), app.unit_id(&bdh, "T2"));
    let r = app.post(
        "/api/v1/plans",
        Some(&bdh),
        json!({ "number": "CACHE/KH-BĐH", "title": "Kế hoạch kiểm thử bộ nhớ đệm", "year": 2026, "status": "active" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let plan = r.body["id"].as_i64().unwrap();
    let r = app.post(&format!("/api/v1/plans/{plan}/areas"), Some(&bdh), json!({ "title": "Nội dung A" }));
    let area = r.body["id"].as_i64().unwrap();
    let r = app.post(&format!("/api/v1/plans/{plan}/steps"), Some(&bdh), json!({ "title": "Bước 1" }));
    let step = r.body["id"].as_i64().unwrap();
    let (start, yesterday) = (today() - Duration::days(100), today() - Duration::days(1));
    let task = |lead: i64, title: &str, cadence: Value| {
        let r = app.post(
            &format!("/api/v1/plans/{plan}/tasks"),
            Some(&bdh),
            json!({ "content_area_id": area, "step_id": step, "title": title, "lead_unit_id": lead,
                    "start_date": start.to_string(), "due_date": yesterday.to_string(), "reporting_cadence": cadence }),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        r.body["id"].as_i64().unwrap()
    };
    let x = task(board, "Việc của Ban", json!("monthly"));
    let y = task(t1, "Việc của Thôn 1", Value::Null);
    let overview = |token: &str| {
        let r = app.get(&format!("/api/v1/plans/{plan}"), Some(token));
        assert_eq!(r.status, 200, "{}", r.text);
        r.body
    };
    let list = |query: &str| {
        let r = app.get(&format!("/api/v1/plans/{plan}/tasks?{query}"), Some(&bdh));
        assert_eq!(r.status, 200, "{}", r.text);
        r.body
    };
    let overdue = |d: &Value| task_ids(&json!({ "items": d["rollup"]["overdue_tasks"] }));
    let missing = |l: &Value| {
        let t = l["items"].as_array().unwrap().iter().find(|t| t["id"] == x).unwrap();
        t["missing_periods"].as_array().unwrap().len()
    };

    // Served twice alike; the village's overview is its own, before and after the board's.
    let d = overview(&bdh);
    assert_eq!(d, overview(&bdh));
    assert_eq!(overdue(&d), vec![x, y]);
    assert_eq!(d["can_edit"], true);
    let v = overview(&thon1);
    assert_eq!(overdue(&v), vec![y], "{v}");
    assert_eq!(v["can_edit"], false);
    assert_eq!(overdue(&overview(&bdh)), vec![x, y]);
    let before = missing(&list(""));
    assert!(before >= 3, "100 days of monthly periods without a report");
    assert_eq!(list(&format!("unit_id={t2}"))["total"], 0);

    // A change through the API.
    let r = app.patch(&format!("/api/v1/tasks/{x}"), Some(&bdh), json!({ "progress": 40 }));
    assert_eq!(r.status, 200, "{}", r.text);
    let d = overview(&bdh);
    assert_eq!(d["content_areas"][0]["progress"], 20.0, "{d}");
    assert_eq!(d["progress"], 20.0);
    assert_eq!(d["steps"][0]["progress"], 20.0);
    assert_eq!(list("sort=-progress")["items"][0]["progress"], 40);
    let r = app.patch(&format!("/api/v1/areas/{area}"), Some(&bdh), json!({ "title": "Nội dung A (sửa)" }));
    assert_eq!(r.status, 200, "{}", r.text);
    let r = app.patch(&format!("/api/v1/steps/{step}"), Some(&bdh), json!({ "title": "Bước 1 (sửa)" }));
    assert_eq!(r.status, 200, "{}", r.text);
    let d = overview(&bdh);
    assert_eq!(d["content_areas"][0]["title"], "Nội dung A (sửa)");
    assert_eq!(d["steps"][0]["title"], "Bước 1 (sửa)");

    // Changes straight in the database: a task, a supporting unit, a report dated last month.
    diesel::update(tasks::table.find(y))
        .set((tasks::status.eq("done"), tasks::progress.eq(100)))
        .execute(&mut *app.conn())
        .unwrap();
    let d = overview(&bdh);
    assert_eq!(overdue(&d), vec![x]);
    assert_eq!(d["content_areas"][0]["progress"], 70.0);
    assert_eq!(overdue(&overview(&thon1)), Vec::<i64>::new());
    diesel::insert_into(task_units::table)
        .values((task_units::task_id.eq(x), task_units::unit_id.eq(t2)))
        .execute(&mut *app.conn())
        .unwrap();
    let l = list(&format!("unit_id={t2}"));
    assert_eq!(task_ids(&l), vec![x]);
    assert_eq!(l["items"][0]["supporting_unit_ids"], json!([t2]));
    let bdh_id = app.user_id(&admin, "bdh");
    diesel::insert_into(progress_reports::table)
        .values((
            progress_reports::task_id.eq(x),
            progress_reports::author_id.eq(bdh_id),
            progress_reports::author_name.eq("Ban Điều hành"),
            progress_reports::created_at.eq((yesterday - Duration::days(31)).and_hms_opt(3, 0, 0).unwrap()),
            progress_reports::text.eq("Báo cáo tháng trước"),
            progress_reports::progress.eq(40),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    assert_eq!(missing(&list("")), before - 1, "last month's period is reported now");
}

/// Cancelling drops a task out of every roll-up: the board decides it, not the unit reporting.
fn only_the_board_cancels_a_task(app: &TestApp) {
    let thon1 = app.login("thon1").token;
    let mttq = app.login("mttq").token;
    let bdh = app.login("bdh").token;
    let plan = demo_plan(app, &thon1);
    let mine = app.get(&format!("/api/v1/plans/{plan}/tasks?per_page=200"), Some(&thon1));
    let id = mine.body["items"][0]["id"].as_i64().unwrap();
    let before = app.get(&format!("/api/v1/plans/{plan}"), Some(&bdh)).body["rollup"]["by_status"]["cancelled"].clone();
    let r = app.patch(&format!("/api/v1/tasks/{id}"), Some(&thon1), json!({ "status": "cancelled" }));
    assert_eq!((r.status, r.code()), (409, "task_cancel_board_only"), "{}", r.text);
    let t = app.get(&format!("/api/v1/tasks/{id}"), Some(&thon1));
    assert_eq!(t.body["status"], "not_started", "nothing changed");
    let after = app.get(&format!("/api/v1/plans/{plan}"), Some(&bdh)).body["rollup"]["by_status"]["cancelled"].clone();
    assert_eq!(before, after);
    // The village head still moves the task between the other states.
    let r = app.patch(&format!("/api/v1/tasks/{id}"), Some(&thon1), json!({ "status": "in_progress" }));
    assert_eq!(r.status, 200, "{}", r.text);
    // The Front, reporting on a task it supports, may not cancel either.
    let front = app.unit_id(&bdh, "MTTQ");
    let ft = app.get(&format!("/api/v1/plans/{plan}/tasks?unit_id={front}&per_page=1"), Some(&mttq));
    let fid = ft.body["items"][0]["id"].as_i64().unwrap();
    let r = app.patch(&format!("/api/v1/tasks/{fid}"), Some(&mttq), json!({ "status": "cancelled" }));
    assert_eq!((r.status, r.code()), (409, "task_cancel_board_only"), "{}", r.text);
    // The board cancels; the village head cannot reopen it, the board can.
    let r = app.patch(&format!("/api/v1/tasks/{id}"), Some(&bdh), json!({ "status": "cancelled" }));
    assert_eq!((r.status, r.body["status"].as_str()), (200, Some("cancelled")), "{}", r.text);
    let r = app.patch(&format!("/api/v1/tasks/{id}"), Some(&thon1), json!({ "status": "in_progress" }));
    assert_eq!((r.status, r.code()), (409, "task_cancel_board_only"), "{}", r.text);
    let r = app.patch(&format!("/api/v1/tasks/{id}"), Some(&bdh), json!({ "status": "in_progress" }));
    assert_eq!((r.status, r.body["status"].as_str()), (200, Some("in_progress")), "{}", r.text);
}

/// A closed plan is read-only: every write on its structure, tasks, reports and comments is the
/// rule's 409 `plan_closed` and changes nothing; reading goes on; reopening makes it writable.
fn a_closed_plan_is_read_only(app: &TestApp) {
    let admin = app.login("admin").token;
    let f = matrix_fixture(app, &admin);
    let (bdh, thon1) = (app.login("bdh").token, app.login("thon1").token);
    let ubnd_unit = app.unit_id(&bdh, "UBND");
    let r = app.patch(&format!("/api/v1/plans/{}", f.plan), Some(&bdh), json!({ "status": "closed" }));
    assert_eq!((r.status, r.body["status"].as_str()), (200, Some("closed")), "{}", r.text);
    let before = app.get(&format!("/api/v1/tasks/{}", f.task), Some(&bdh));
    assert_eq!(before.status, 200, "{}", before.text);
    assert_eq!(before.body["plan_closed"], true);
    assert_eq!((before.body["can_report"].as_bool(), before.body["can_edit"].as_bool()), (Some(false), Some(false)));
    let refused = |r: crate::harness::Res, what: &str| {
        assert_eq!((r.status, r.code()), (409, "plan_closed"), "{what}: {}", r.text);
        assert!(r.body["detail"].as_str().unwrap().contains("Kế hoạch đã kết thúc"), "{what}: {}", r.text);
    };
    let plan = f.plan;
    refused(app.patch(&format!("/api/v1/plans/{plan}"), Some(&bdh), json!({ "title": "Đổi tên" })), "plan header");
    refused(
        app.patch(&format!("/api/v1/plans/{plan}"), Some(&bdh), json!({ "title": "Đổi tên", "status": "closed" })),
        "plan header, staying closed",
    );
    refused(
        app.post(&format!("/api/v1/plans/{plan}/areas"), Some(&bdh), json!({ "title": "Nội dung mới" })),
        "new area",
    );
    refused(app.patch(&format!("/api/v1/areas/{}", f.area), Some(&bdh), json!({ "weight": 3.0 })), "area");
    refused(app.post(&format!("/api/v1/plans/{plan}/steps"), Some(&bdh), json!({ "title": "Bước mới" })), "new step");
    refused(app.patch(&format!("/api/v1/steps/{}", f.step), Some(&bdh), json!({ "title": "Bước đổi" })), "step");
    refused(
        app.post(
            &format!("/api/v1/plans/{plan}/tasks"),
            Some(&bdh),
            json!({ "content_area_id": f.area, "title": "Nhiệm vụ mới", "lead_unit_id": ubnd_unit,
                    "start_date": "2026-02-01", "due_date": "2026-03-01" }),
        ),
        "new task",
    );
    let task = format!("/api/v1/tasks/{}", f.task);
    refused(app.patch(&task, Some(&bdh), json!({ "title": "Đổi tên nhiệm vụ" })), "task title");
    refused(app.patch(&task, Some(&bdh), json!({ "lead_unit_id": ubnd_unit })), "assignment");
    refused(app.patch(&task, Some(&bdh), json!({ "supporting_unit_ids": [] })), "supporting units");
    refused(app.patch(&task, Some(&bdh), json!({ "status": "cancelled" })), "cancel");
    refused(app.patch(&task, Some(&thon1), json!({ "progress": 60 })), "progress by the village head");
    let r = report(app, &thon1, f.task, "Báo cáo sau khi kết thúc", "70", &[("anh.png", PNG)]);
    assert_eq!((r.status, r.body["code"].as_str()), (409, Some("plan_closed")), "report with evidence: {:?}", r.body);
    let r = report(app, &bdh, f.task, "Báo cáo của Ban", "70", &[]);
    assert_eq!((r.status, r.body["code"].as_str()), (409, Some("plan_closed")), "report: {:?}", r.body);
    refused(app.post(&format!("{task}/comments"), Some(&thon1), json!({ "text": "Góp ý" })), "comment");
    let csv = format!("{},done,,Xong\n", f.task);
    let r = post_raw(app, &format!("/api/v1/plans/{plan}/bulk-progress"), &bdh, "text/csv", csv.into_bytes());
    assert_eq!((r.status, r.body["code"].as_str()), (409, Some("plan_closed")), "bulk: {:?}", r.body);
    // Nothing changed, and everything still reads.
    let after = app.get(&task, Some(&bdh));
    for field in ["title", "progress", "status", "lead_unit_id", "supporting_unit_ids", "reports", "comments"] {
        assert_eq!(after.body[field], before.body[field], "{field}");
    }
    let d = app.get(&format!("/api/v1/plans/{plan}"), Some(&thon1));
    assert_eq!((d.status, d.body["title"].as_str()), (200, Some("Kế hoạch kiểm thử ma trận quyền")));
    assert_eq!(app.get(&format!("/api/v1/plans/{plan}/tasks"), Some(&thon1)).status, 200);
    // Reopened, it takes writes again.
    let r = app.patch(&format!("/api/v1/plans/{plan}"), Some(&bdh), json!({ "status": "active" }));
    assert_eq!((r.status, r.body["status"].as_str()), (200, Some("active")), "{}", r.text);
    let r = report(app, &thon1, f.task, "Báo cáo sau khi mở lại", "70", &[("anh.png", PNG)]);
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(app.post(&format!("{task}/comments"), Some(&thon1), json!({ "text": "Góp ý" })).status, 201);
    let r = app.patch(&task, Some(&bdh), json!({ "lead_unit_id": ubnd_unit }));
    assert_eq!(r.status, 200, "{}", r.text);
    let d = app.get(&task, Some(&bdh));
    assert_eq!((d.body["plan_closed"].as_bool(), d.body["can_report"].as_bool()), (Some(false), Some(true)));
    assert_eq!(d.body["progress"], 70);
}

both_engines!(
    a_report_written_offline_keeps_its_time_and_yields_to_a_later_done,
    a_closed_plan_is_read_only,
    only_the_board_cancels_a_task,
    cached_views_follow_every_change,
    overview_lists_are_capped_and_ordered,
    import_yields_areas_steps_and_one_task_per_item,
    rollup_is_weighted_and_never_stale,
    reporting_scope_matrix,
    village_sees_overview_and_only_its_tasks_with_evidence,
    bad_uploads_store_nothing,
    bulk_update_is_all_or_nothing,
    exports_csv_and_xlsx,
    filters_search_sort_and_paging,
    editor_creates_reorders_assigns_and_dates,
);
