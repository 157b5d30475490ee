//! The home page of each role (`GET /home`): which cards, figures equal to the totals of the
//! lists the cards link to, figures that move with a fixture, and the village head's scope.

use chrono::{Duration, FixedOffset, Utc};
use serde_json::{Value, json};

use crate::both_engines;
use crate::harness::TestApp;

fn home(app: &TestApp, token: &str) -> Value {
    let r = app.get("/api/v1/home", Some(token));
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

fn keys(h: &Value) -> Vec<String> {
    h["cards"].as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap().to_string()).collect()
}

fn card<'a>(h: &'a Value, key: &str) -> &'a Value {
    h["cards"].as_array().unwrap().iter().find(|c| c["key"] == key).unwrap_or_else(|| panic!("no card {key}: {h}"))
}

fn figure(h: &Value, key: &str, fig: &str) -> i64 {
    let c = card(h, key);
    c["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == fig)
        .and_then(|f| f["value"].as_f64())
        .unwrap_or_else(|| panic!("no {fig} in {c}")) as i64
}

fn total(app: &TestApp, token: &str, path: &str) -> i64 {
    let r = app.get(path, Some(token));
    assert_eq!(r.status, 200, "{path}: {}", r.text);
    r.body["total"].as_i64().unwrap()
}

fn local_day(days: i64) -> String {
    let tz = FixedOffset::east_opt(7 * 3600).unwrap();
    (Utc::now().with_timezone(&tz) + Duration::days(days)).date_naive().to_string()
}

fn each_role_gets_its_cards(app: &TestApp) {
    let expect: [(&str, &str, &[&str]); 6] = [
        (
            "bdh",
            "board",
            &["plan_progress", "tasks_overdue", "onestop", "satisfaction", "petitions_due", "disclosures_unrelayed"],
        ),
        ("ubnd", "ubnd", &["desk", "petitions_assigned", "petitions_due"]),
        ("mttq", "front", &["surveys_running", "activities"]),
        ("thon1", "village", &["tasks_due", "relays_to_confirm", "surveys_to_capture"]),
        ("tinh", "oversight", &["commune"]),
        ("admin", "admin", &[]),
    ];
    for (user, role, cards) in expect {
        let h = home(app, &app.login(user).token);
        assert_eq!(h["role"], role);
        assert_eq!(keys(&h), cards.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{user}");
        for c in h["cards"].as_array().unwrap() {
            assert_eq!(c["title"], format!("home.card.{}", c["key"].as_str().unwrap()));
            assert!(c["href"].as_str().unwrap().starts_with('/'), "{c}");
            assert!(["ok", "warn", "bad", "neutral"].contains(&c["tone"].as_str().unwrap()));
        }
    }
    assert_eq!(app.get("/api/v1/home", None).status, 401);
}

fn village_figures_follow_their_lists_and_their_village_only(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let thon1 = app.login("thon1").token;
    let thon2 = app.login("thon2").token;
    let before1 = home(app, &thon1);
    let before2 = home(app, &thon2);
    // The figures are the totals of the lists the card links to.
    assert_eq!(figure(&before1, "tasks_due", "overdue"), total(app, &thon1, "/api/v1/tasks/mine?overdue=true"));
    assert_eq!(figure(&before1, "tasks_due", "due_soon"), total(app, &thon1, "/api/v1/tasks/mine?due_soon=true"));
    assert_eq!(card(&before1, "tasks_due")["href"], "/my-tasks?due_soon=true");
    // An active plan with one task of Thôn 1 due in 2 days and one overdue since yesterday.
    let r = app.post(
        "/api/v1/plans",
        Some(&bdh),
        json!({ "number": "HOME-1/KH", "title": "Kế hoạch kiểm thử trang chủ", "year": 2026, "status": "active" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let plan = r.body["id"].as_i64().unwrap();
    let area = app.post(&format!("/api/v1/plans/{plan}/areas"), Some(&bdh), json!({ "title": "Nội dung 1" }));
    assert_eq!(area.status, 201, "{}", area.text);
    let area = area.body["id"].as_i64().unwrap();
    let t1 = app.unit_id(&bdh, "T1");
    for (title, due) in [("Họp thôn tuyên truyền", local_day(2)), ("Niêm yết danh sách", local_day(-1))] {
        let r = app.post(
            &format!("/api/v1/plans/{plan}/tasks"),
            Some(&bdh),
            json!({ "content_area_id": area, "title": title, "lead_unit_id": t1, "start_date": local_day(-30), "due_date": due }),
        );
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let after1 = home(app, &thon1);
    assert_eq!(figure(&after1, "tasks_due", "due_soon"), figure(&before1, "tasks_due", "due_soon") + 1);
    assert_eq!(figure(&after1, "tasks_due", "overdue"), figure(&before1, "tasks_due", "overdue") + 1);
    assert_eq!(card(&after1, "tasks_due")["tone"], "bad");
    assert_eq!(figure(&after1, "tasks_due", "overdue"), total(app, &thon1, "/api/v1/tasks/mine?overdue=true"));
    // Thôn 2 sees nothing of Thôn 1's tasks.
    let after2 = home(app, &thon2);
    assert_eq!(figure(&after2, "tasks_due", "due_soon"), figure(&before2, "tasks_due", "due_soon"));
    assert_eq!(figure(&after2, "tasks_due", "overdue"), figure(&before2, "tasks_due", "overdue"));
    // The board counts them among the commune's late tasks. With this plan and the demo plan
    // both active, the figures lead to the list across the active plans, whose totals they are.
    let b = home(app, &bdh);
    assert!(figure(&b, "tasks_overdue", "overdue") >= 1);
    assert_eq!(card(&b, "tasks_overdue")["href"], "/tasks?overdue=true");
    assert_eq!(figure(&b, "tasks_overdue", "overdue"), total(app, &bdh, "/api/v1/tasks?overdue=true"));
    assert_eq!(figure(&b, "tasks_overdue", "due_soon"), total(app, &bdh, "/api/v1/tasks?due_soon=true"));
    let links: Vec<&str> =
        card(&b, "tasks_overdue")["figures"].as_array().unwrap().iter().map(|f| f["href"].as_str().unwrap()).collect();
    assert_eq!(links, ["/tasks?overdue=true", "/tasks?due_soon=true"]);
    // It holds every task of every active plan, and only theirs.
    let active = app.get("/api/v1/plans?status=active&per_page=200", Some(&bdh));
    let ids: Vec<i64> = active.body["items"].as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
    assert!(ids.len() >= 2 && ids.contains(&plan), "{}", active.text);
    let per_plan: i64 = ids.iter().map(|id| total(app, &bdh, &format!("/api/v1/plans/{id}/tasks"))).sum();
    assert_eq!(total(app, &bdh, "/api/v1/tasks"), per_plan);
    // The village head's cross-plan list is their village's, as their own list is.
    assert_eq!(total(app, &thon1, "/api/v1/tasks?overdue=true"), total(app, &thon1, "/api/v1/tasks/mine?overdue=true"));
    assert_eq!(total(app, &thon2, "/api/v1/tasks"), total(app, &thon2, "/api/v1/tasks/mine"));
    // Relays to confirm: the village's list, filtered the same way.
    assert_eq!(
        figure(&after1, "relays_to_confirm", "relays"),
        total(app, &thon1, "/api/v1/disclosures?status=current&unrelayed=true")
    );
}

fn desk_figures_follow_the_dossier_lists(app: &TestApp) {
    let s = app.login("ubnd").token;
    let before = home(app, &s);
    for (fig, path) in [
        ("due_today", "/api/v1/dossiers?view=due_today"),
        ("apology_due", "/api/v1/dossiers?view=apology_due"),
        ("supplement", "/api/v1/dossiers?status=5"),
        ("dossiers_overdue", "/api/v1/dossiers?view=overdue"),
    ] {
        assert_eq!(figure(&before, "desk", fig), total(app, &s, path), "{fig}");
    }
    // A dossier waiting for a supplement, and one overdue (received 10 working days ago, 3 working
    // days).
    let procs = app.get("/api/v1/procedures?q=1.004873", Some(&s));
    let quick = procs.body["items"][0]["id"].as_i64().unwrap();
    let applicant = json!({ "name": "Nguyễn Văn Hưởng", "phone": "0912 345 678", "id_number": "038090001234", "address": "Thôn 3" });
    let d =
        app.post("/api/v1/dossiers", Some(&s), json!({ "procedure_id": quick, "channel": 1, "applicant": applicant }));
    assert_eq!(d.status, 201, "{}", d.text);
    let id = d.body["id"].as_i64().unwrap();
    for body in
        [json!({ "action": "start_processing" }), json!({ "action": "request_supplement", "note": "Thiếu ảnh" })]
    {
        let r = app.post(&format!("/api/v1/dossiers/{id}/actions"), Some(&s), body);
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let late = app.post(
        "/api/v1/dossiers",
        Some(&s),
        json!({ "procedure_id": quick, "channel": 1, "applicant": applicant, "received_at": app.working_days_ago_at_nine(10) }),
    );
    assert_eq!(late.status, 201, "{}", late.text);
    let after = home(app, &s);
    assert_eq!(figure(&after, "desk", "supplement"), figure(&before, "desk", "supplement") + 1);
    assert_eq!(figure(&after, "desk", "dossiers_overdue"), figure(&before, "desk", "dossiers_overdue") + 1);
    assert_eq!(figure(&after, "desk", "apology_due"), figure(&before, "desk", "apology_due") + 1);
    assert_eq!(card(&after, "desk")["tone"], "bad");
    let listed = app.get("/api/v1/dossiers?view=apology_due&per_page=200", Some(&s));
    assert!(listed.body["items"].as_array().unwrap().iter().any(|x| x["id"] == late.body["id"]));
    assert!(
        listed.body["items"].as_array().unwrap().iter().all(|x| x["flags"]["needs_apology"] == true),
        "{}",
        listed.text
    );
    // Petitions assigned to me and still being handled: the list `view=mine`, none answered.
    assert_eq!(figure(&after, "petitions_assigned", "assigned"), total(app, &s, "/api/v1/petitions?view=mine"));
    let mine = app.get("/api/v1/petitions?view=mine&per_page=200", Some(&s));
    let open = ["received", "accepted", "assigned", "investigating", "concluded"];
    assert!(
        mine.body["items"].as_array().unwrap().iter().all(|p| open.contains(&p["status"].as_str().unwrap())),
        "{}",
        mine.text
    );
}

fn board_and_oversight_read_the_statistics(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let h = home(app, &bdh);
    let year = Utc::now().with_timezone(&FixedOffset::east_opt(7 * 3600).unwrap()).date_naive();
    let from = format!("{}-01-01", chrono::Datelike::year(&year));
    let ind = app.get(&format!("/api/v1/onestop/indicators?from={from}&to={year}"), Some(&bdh));
    assert_eq!(ind.status, 200, "{}", ind.text);
    let rate = card(&h, "onestop")["figures"][0]["value"].as_f64();
    let expected = ind.body["overall"]["on_time_rate"].as_f64().map(|x| (x * 1000.0).round() / 10.0);
    assert_eq!(rate, expected);
    assert_eq!(
        figure(&h, "petitions_due", "overdue"),
        total(app, &bdh, "/api/v1/petitions?view=overdue"),
        "the petitions behind the card"
    );
    // Oversight: one card per commune it oversees, side by side.
    let tinh = app.login("tinh").token;
    let o = home(app, &tinh);
    let communes = app.get("/api/v1/communes", Some(&tinh));
    let n =
        communes.body.as_array().map(|a| a.len()).unwrap_or_else(|| communes.body["items"].as_array().unwrap().len());
    assert_eq!(o["cards"].as_array().unwrap().len(), n);
    for c in o["cards"].as_array().unwrap() {
        assert!(c["label"].is_string());
        assert!(c["href"].as_str().unwrap().starts_with("/onestop/dashboard?commune="));
    }
}

fn citizens_read_a_commune_and_a_procedure(app: &TestApp) {
    let communes = app.get("/api/v1/public/communes", None);
    assert_eq!(communes.status, 200, "{}", communes.text);
    let items = communes.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let demo = items[0].clone();
    assert_eq!(demo["people_committee"], "UBND xã Bình Lương", "{demo}");
    assert!(demo["onestop_name"].as_str().unwrap().contains("Một cửa"), "{demo}");
    // A full-online procedure: its papers, steps, the desk and the national portal's page.
    let p = app.get("/api/v1/public/procedures/1.001193", None);
    assert_eq!(p.status, 200, "{}", p.text);
    assert_eq!(p.body["name"], "Đăng ký khai sinh");
    assert!(!p.body["documents"].as_array().unwrap().is_empty());
    assert!(!p.body["steps"].as_array().unwrap().is_empty());
    assert!(p.body["where_to_submit"].as_str().unwrap().contains(demo["people_committee"].as_str().unwrap()));
    assert!(p.body["portal_url"].as_str().unwrap().ends_with("ma_thu_tuc=1.001193"));
    // Not online: no portal link; nothing entered: empty lists, still the desk.
    let p = app.get("/api/v1/public/procedures/2.000884", None);
    assert_eq!(p.status, 200, "{}", p.text);
    assert!(p.body["portal_url"].is_null());
    assert_eq!(p.body["documents"], json!([]));
    assert_eq!(app.get("/api/v1/public/procedures/9.999999", None).status, 404);
    // The desk writes the details; blank lines are dropped; the board may not.
    let ubnd = app.login("ubnd").token;
    let list = app.get("/api/v1/procedures?q=2.000884", Some(&ubnd));
    let id = list.body["items"][0]["id"].as_i64().unwrap();
    let details = format!("/api/v1/procedures/{id}/details");
    // Before anything is written the editor starts empty; the board may not read it either.
    let r = app.get(&details, Some(&ubnd));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body, json!({ "documents": [], "steps": [], "place": null }));
    assert_eq!(app.get(&details, Some(&app.login("bdh").token)).status, 403);
    assert_eq!(app.get("/api/v1/procedures/999999/details", Some(&ubnd)).status, 404);
    let body =
        json!({ "documents": ["Giấy tờ cần ký", "  "], "steps": ["Ký trước mặt người tiếp nhận"], "place": "Quầy 2" });
    assert_eq!(
        app.send("PUT", &format!("/api/v1/procedures/{id}/details"), Some(&app.login("bdh").token), Some(body.clone()))
            .status,
        403
    );
    let r = app.send("PUT", &format!("/api/v1/procedures/{id}/details"), Some(&ubnd), Some(body));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["documents"], json!(["Giấy tờ cần ký"]));
    let p = app.get("/api/v1/public/procedures/2.000884", None);
    assert_eq!(p.body["documents"], json!(["Giấy tờ cần ký"]));
    assert!(p.body["where_to_submit"].as_str().unwrap().ends_with("Quầy 2"));
    // The editor reads back what was stored: the place alone, not the page's sentence.
    let r = app.get(&details, Some(&ubnd));
    assert_eq!(
        r.body,
        json!({ "documents": ["Giấy tờ cần ký"], "steps": ["Ký trước mặt người tiếp nhận"], "place": "Quầy 2" })
    );
    let too_many = json!({ "documents": vec!["x"; 51], "steps": [], "place": null });
    assert_eq!(app.send("PUT", &format!("/api/v1/procedures/{id}/details"), Some(&ubnd), Some(too_many)).status, 422);
    // Several communes: the commune must be named, and another commune's procedure is not found.
    let admin2 = app.second_commune();
    let _ = admin2;
    assert_eq!(app.get("/api/v1/public/communes", None).body["items"].as_array().unwrap().len(), 2);
    assert_eq!(app.get("/api/v1/public/procedures/1.001193", None).status, 422);
    let demo_id = demo["id"].as_i64().unwrap();
    assert_eq!(app.get(&format!("/api/v1/public/procedures/1.001193?commune_id={demo_id}"), None).status, 200);
    let other = app.get("/api/v1/public/communes", None).body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] != demo_id)
        .and_then(|c| c["id"].as_i64())
        .unwrap();
    assert_eq!(app.get(&format!("/api/v1/public/procedures/1.001193?commune_id={other}"), None).status, 404);
}

fn a_paused_dossier_says_what_is_missing_and_who_to_reach(app: &TestApp) {
    let s = app.login("ubnd").token;
    let procs = app.get("/api/v1/procedures?q=1.004873", Some(&s));
    let quick = procs.body["items"][0]["id"].as_i64().unwrap();
    let applicant =
        json!({ "name": "Lê Thị Hoa", "phone": "0912 345 678", "id_number": "038090001235", "address": "Thôn 2" });
    let d =
        app.post("/api/v1/dossiers", Some(&s), json!({ "procedure_id": quick, "channel": 1, "applicant": applicant }));
    assert_eq!(d.status, 201, "{}", d.text);
    let (id, code) = (d.body["id"].as_i64().unwrap(), d.body["code"].as_str().unwrap().to_string());
    let look = |app: &TestApp| app.get(&format!("/api/v1/public/dossiers/{code}?phone_last4=5678"), None);
    let before = look(app);
    assert_eq!(before.status, 200, "{}", before.text);
    assert_eq!((before.body["paused"].as_bool(), before.body["supplement_note"].is_null()), (Some(false), true));
    for body in [
        json!({ "action": "start_processing" }),
        json!({ "action": "request_supplement", "note": "Thiếu bản sao sổ hộ khẩu" }),
    ] {
        let r = app.post(&format!("/api/v1/dossiers/{id}/actions"), Some(&s), body);
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let paused = look(app);
    assert_eq!(paused.body["paused"], true);
    assert_eq!(paused.body["supplement_note"], "Thiếu bản sao sổ hộ khẩu");
    // The desk as the forms of a dossier received now name it (Thông tư 03/2025).
    assert_eq!(
        paused.body["desk"].as_str(),
        Some("Trung tâm phục vụ hành chính công – Ủy ban nhân dân xã Bình Lương"),
        "{}",
        paused.text
    );
}

fn intake_says_missing_for_empty_and_wrong_format_for_wrong(app: &TestApp) {
    let s = app.login("ubnd").token;
    let procs = app.get("/api/v1/procedures?q=1.004873", Some(&s));
    let quick = procs.body["items"][0]["id"].as_i64().unwrap();
    let code_of = |r: &crate::harness::Res, field: &str| {
        r.body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["field"] == field)
            .map(|e| e["code"].as_str().unwrap().to_string())
    };
    let empty = json!({ "name": "", "phone": " ", "id_number": "", "address": "" });
    let r = app.post("/api/v1/dossiers", Some(&s), json!({ "procedure_id": quick, "channel": 1, "applicant": empty }));
    assert_eq!(r.status, 422, "{}", r.text);
    for f in ["applicant.name", "applicant.phone", "applicant.id_number", "applicant.address"] {
        assert_eq!(code_of(&r, f).as_deref(), Some("required"), "{f}: {}", r.text);
    }
    let wrong = json!({ "name": "Lê Văn Tám", "phone": "12ab", "id_number": "123", "address": "Thôn 1" });
    let r = app.post("/api/v1/dossiers", Some(&s), json!({ "procedure_id": quick, "channel": 1, "applicant": wrong }));
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(code_of(&r, "applicant.phone").as_deref(), Some("invalid_format"));
    assert_eq!(code_of(&r, "applicant.id_number").as_deref(), Some("invalid_format"));
    assert_eq!(code_of(&r, "applicant.name"), None);
}

both_engines!(
    intake_says_missing_for_empty_and_wrong_format_for_wrong,
    citizens_read_a_commune_and_a_procedure,
    a_paused_dossier_says_what_is_missing_and_who_to_reach,
    each_role_gets_its_cards,
    village_figures_follow_their_lists_and_their_village_only,
    desk_figures_follow_the_dossier_lists,
    board_and_oversight_read_the_statistics,
);
