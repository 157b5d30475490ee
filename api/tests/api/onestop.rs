//! One-stop shop: catalogue, intake, lifecycle, timeliness, views, forms, public lookup.

use std::collections::HashSet;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use serde_json::{Value, json};

use crate::both_engines;
use crate::harness::{TestApp, text_outside_generated};

fn procedure_id(app: &TestApp, token: &str, code: &str) -> i64 {
    let r = app.get(&format!("/api/v1/procedures?q={code}"), Some(token));
    r.body["items"].as_array().unwrap().iter().find(|p| p["code"] == code).and_then(|p| p["id"].as_i64()).expect(code)
}

fn applicant() -> Value {
    json!({ "name": "Nguyễn Văn Hưởng", "phone": "0912 345 678", "id_number": "038090001234", "address": "Thôn 3, xã Bình Lương" })
}

fn intake(app: &TestApp, token: &str, procedure: i64, received_at: Option<&str>) -> Value {
    let mut body = json!({ "procedure_id": procedure, "channel": 1, "applicant": applicant() });
    if let Some(r) = received_at {
        body["received_at"] = json!(r);
    }
    let r = app.post("/api/v1/dossiers", Some(token), body);
    assert_eq!(r.status, 201, "{}", r.text);
    r.body
}

fn act(app: &TestApp, token: &str, id: i64, body: Value) -> crate::harness::Res {
    app.post(&format!("/api/v1/dossiers/{id}/actions"), Some(token), body)
}

fn ok_act(app: &TestApp, token: &str, id: i64, action: &str, note: Option<&str>) -> Value {
    let r = act(app, token, id, json!({ "action": action, "note": note }));
    assert_eq!(r.status, 200, "{action}: {}", r.text);
    r.body
}

/// A local time `days` calendar days ago at 09:00 (+07:00), on a weekday.
fn days_ago_at_nine(days: i64) -> String {
    let tz = FixedOffset::east_opt(7 * 3600).unwrap();
    let mut d = (Utc::now().with_timezone(&tz) - Duration::days(days)).date_naive();
    while matches!(chrono::Datelike::weekday(&d), chrono::Weekday::Sat | chrono::Weekday::Sun) {
        d = d.pred_opt().unwrap();
    }
    format!("{}T09:00:00+07:00", d)
}

fn demo_catalogue_and_public_page(app: &TestApp) {
    let s = app.login("ubnd");
    let r = app.get("/api/v1/procedures?per_page=200", Some(&s.token));
    assert_eq!(r.status, 200, "{}", r.text);
    let total = r.body["total"].as_i64().unwrap();
    assert!((15..=25).contains(&total), "{total} demo procedures");
    let items = r.body["items"].as_array().unwrap();
    assert!(items.iter().all(|p| p["demo"] == true));
    let fields: HashSet<&str> = items.iter().map(|p| p["field"].as_str().unwrap()).collect();
    for f in ["Chứng thực", "Hộ tịch", "Đất đai", "Bảo trợ xã hội"] {
        assert!(fields.contains(f), "{f}");
    }
    let birth = items.iter().find(|p| p["code"] == "1.001193").unwrap();
    assert_eq!(birth["limit_unit"], "same_day");
    assert_eq!(birth["cutoff"], "15:00");
    assert_eq!(birth["online_level"], "full");
    assert_eq!(birth["online_level_history"].as_array().unwrap().len(), 2);
    // Diacritic-insensitive search.
    let r = app.get("/api/v1/procedures?q=khai%20sinh", Some(&s.token));
    assert!(r.body["items"].as_array().unwrap().iter().any(|p| p["name"] == "Đăng ký khai sinh"));
    // The public page needs no sign-in and shows no internal fields.
    let r = app.get("/api/v1/public/procedures", None);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["commune_name"], "Bình Lương");
    assert_eq!(r.body["items"].as_array().unwrap().len() as i64, total);
    assert!(r.body["items"][0].get("id").is_none());
    assert!(r.body["items"][0].get("online_level").is_some());
}

fn procedure_crud_history_and_import(app: &TestApp) {
    let ubnd = app.login("ubnd");
    let body = json!({ "code": "9.000001", "name": "Xác nhận thử nghiệm", "field": "Khác", "limit_amount": 2,
        "limit_unit": "working_days", "online_level": "partial", "online_level_from": "2024-01-01", "fee_vnd": 5000 });
    let r = app.post("/api/v1/procedures", Some(&ubnd.token), body.clone());
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["demo"], false);
    let dup = app.post("/api/v1/procedures", Some(&ubnd.token), body);
    assert_eq!(dup.status, 422);
    assert_eq!(dup.body["errors"][0]["code"], "already_exists");
    let bad = app.post(
        "/api/v1/procedures",
        Some(&ubnd.token),
        json!({ "code": "x y", "name": "", "field": "Khác", "limit_amount": 999, "limit_unit": "working_days", "online_level": "none" }),
    );
    assert_eq!(bad.status, 422);
    let fields: Vec<&str> =
        bad.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["code", "name", "limit_amount"]);
    // A new online level keeps the old one in the history.
    let r = app.patch(
        &format!("/api/v1/procedures/{id}"),
        Some(&ubnd.token),
        json!({ "online_level": "full", "online_level_from": "2025-07-01", "fee_vnd": null }),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["online_level"], "full");
    assert_eq!(r.body["fee_vnd"], Value::Null);
    assert_eq!(
        r.body["online_level_history"],
        json!([{ "level": "partial", "effective_from": "2024-01-01" }, { "level": "full", "effective_from": "2025-07-01" }])
    );
    // Front, village and board cannot change the catalogue.
    let mttq = app.login("mttq");
    assert_eq!(
        app.patch(&format!("/api/v1/procedures/{id}"), Some(&mttq.token), json!({ "active": false })).status,
        403
    );
    // Another commune's procedure is not found.
    let admin2 = app.second_commune();
    assert_eq!(app.get(&format!("/api/v1/procedures/{id}"), Some(&admin2.token)).status, 404);
    assert_eq!(
        app.patch(&format!("/api/v1/procedures/{id}"), Some(&admin2.token), json!({ "active": false })).status,
        404
    );
    // CSV import: one update, one new; all or nothing.
    let csv = "code,name,field,limit_amount,limit_unit,fee_vnd,online_level,online_payment\n\
               9.000001,Xác nhận thử nghiệm (sửa),Khác,3,working_days,,4,có\n\
               \"9.000002\",\"Cấp giấy, xác nhận mới\",Khác,1,same_day,10.000,Một phần,không\n";
    let r = app
        .client
        .post(app.url("/api/v1/procedures/import"))
        .bearer_auth(&ubnd.token)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let v: Value = r.json().unwrap();
    assert_eq!(v, json!({ "created": 1, "updated": 1 }));
    let p = app.get(&format!("/api/v1/procedures/{id}"), Some(&ubnd.token));
    assert_eq!(p.body["name"], "Xác nhận thử nghiệm (sửa)");
    assert_eq!(p.body["limit_amount"], 3);
    let p2 = procedure_id(app, &ubnd.token, "9.000002");
    let p2 = app.get(&format!("/api/v1/procedures/{p2}"), Some(&ubnd.token));
    assert_eq!(p2.body["name"], "Cấp giấy, xác nhận mới");
    assert_eq!(p2.body["fee_vnd"], 10000);
    assert_eq!(p2.body["online_level"], "partial");
    let bad_csv = "code,name,field,limit_amount,limit_unit,online_level\n9.000003,Mới,Khác,1,working_days,none\n\
                   9.000004,Lỗi,Khác,abc,weeks,3\n9.000005,Không rõ mức,Khác,1,working_days,\n";
    let r =
        app.client.post(app.url("/api/v1/procedures/import")).bearer_auth(&ubnd.token).body(bad_csv).send().unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let v: Value = r.json().unwrap();
    assert_eq!(v["errors"][0]["field"], "row 3: limit_amount");
    // A blank online level is an error, not silently "none".
    assert!(v["errors"].as_array().unwrap().iter().any(|e| e["field"] == "row 4: online_level"), "{v}");
    assert_eq!(app.get("/api/v1/procedures?q=9.000003", Some(&ubnd.token)).body["total"], 0, "nothing imported");
    let r =
        app.client.post(app.url("/api/v1/procedures/import")).bearer_auth(&mttq.token).body(bad_csv).send().unwrap();
    assert_eq!(r.status().as_u16(), 403);
}

fn intake_gives_a_code_and_the_calendar_appointment(app: &TestApp) {
    let s = app.login("ubnd");
    let marriage_status = procedure_id(app, &s.token, "1.004873"); // 3 working days
    let received = days_ago_at_nine(1);
    let d = intake(app, &s.token, marriage_status, Some(&received));
    let code = d["code"].as_str().unwrap();
    let day = &received[2..10].replace('-', "");
    assert_eq!(code, format!("UBND-{day}-0001"));
    assert_eq!(d["status"], 2);
    assert_eq!(d["status_name"], "Được tiếp nhận");
    assert_eq!(d["received_at"], received);
    assert!(d["due_at"].as_str().unwrap().ends_with("+07:00"));
    let expected = app.post(
        "/api/v1/calendar/due",
        Some(&s.token),
        json!({ "start": received, "amount": 3, "unit": "working_days" }),
    );
    assert_eq!(d["due_at"], expected.body["due_at"]);
    // The live preview agrees.
    let p = app.post(
        "/api/v1/dossiers/preview-due",
        Some(&s.token),
        json!({ "procedure_id": marriage_status, "received_at": received }),
    );
    assert_eq!(p.status, 200, "{}", p.text);
    assert_eq!(p.body["due_at"], d["due_at"]);
    // The counter goes on; the applicant is readable by ubnd.
    let d2 = intake(app, &s.token, marriage_status, Some(&received));
    assert_eq!(d2["code"], format!("UBND-{day}-0002"));
    assert_eq!(d2["applicant"]["name"], "Nguyễn Văn Hưởng");
    assert_eq!(d2["personal_data_masked"], false);
    // Validation: field paths inside the applicant, channel, future receipt.
    let r = app.post(
        "/api/v1/dossiers",
        Some(&s.token),
        json!({ "procedure_id": marriage_status, "channel": 4,
            "applicant": { "name": "", "phone": "12", "id_number": "abc", "address": "x" },
            "received_at": (Utc::now() + Duration::days(1)).to_rfc3339() }),
    );
    assert_eq!(r.status, 422);
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["channel", "applicant.name", "applicant.phone", "applicant.id_number", "received_at"]);
    let r = app.post(
        "/api/v1/dossiers",
        Some(&s.token),
        json!({ "procedure_id": 999999, "channel": 1, "applicant": applicant() }),
    );
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["field"], "procedure_id");
    let r = app.post(
        "/api/v1/dossiers",
        Some(&s.token),
        json!({ "procedure_id": marriage_status, "channel": 1, "applicant": applicant(), "commune_id": 2 }),
    );
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["code"], "unknown_field");
    // Only the one-stop staff receive dossiers.
    for user in ["admin", "bdh", "mttq", "thon1"] {
        let t = app.login(user);
        let r = app.post(
            "/api/v1/dossiers",
            Some(&t.token),
            json!({ "procedure_id": marriage_status, "channel": 1, "applicant": applicant() }),
        );
        assert_eq!(r.status, 403, "{user}");
    }
}

fn lifecycle_with_events_and_illegal_transitions(app: &TestApp) {
    let s = app.login("ubnd");
    let p = procedure_id(app, &s.token, "1.004859");
    let d = intake(app, &s.token, p, None);
    let id = d["id"].as_i64().unwrap();
    let r = act(app, &s.token, id, json!({ "action": "return_result" }));
    assert_eq!(r.status, 409);
    assert_eq!(r.code(), "invalid_transition");
    let r = act(app, &s.token, id, json!({ "action": "request_supplement" }));
    assert_eq!(r.status, 422, "a supplement request names what is missing");
    assert_eq!(r.body["errors"][0]["field"], "note");
    let r = act(app, &s.token, id, json!({ "action": "fly" }));
    assert_eq!(r.status, 422);
    // A received dossier is complete: a supplement is asked for only during processing (at the
    // counter an incomplete dossier is not received — counter guidance, form 02).
    let r = act(app, &s.token, id, json!({ "action": "request_supplement", "note": "Thiếu giấy tờ" }));
    assert_eq!((r.status, r.code()), (409, "invalid_transition"));
    ok_act(app, &s.token, id, "start_processing", None);
    let v = ok_act(app, &s.token, id, "request_supplement", Some("Bổ sung bản sao giấy khai sinh"));
    assert_eq!(v["status"], 5);
    assert_eq!(v["flags"]["paused"], true);
    assert!(v["paused_since"].is_string());
    assert_eq!(v["allowed_actions"], json!(["receive_supplement", "withdraw", "stop", "apologize_and_extend"]));
    let r = act(app, &s.token, id, json!({ "action": "resolve" }));
    assert_eq!(r.code(), "invalid_transition");
    let v = ok_act(app, &s.token, id, "receive_supplement", None);
    assert_eq!(v["status"], 4);
    assert_eq!(v["flags"]["paused"], false);
    let v = ok_act(app, &s.token, id, "request_payment", None);
    assert_eq!(v["status"], 6);
    ok_act(app, &s.token, id, "confirm_payment", None);
    let v = ok_act(app, &s.token, id, "resolve", Some("Đã ký"));
    assert_eq!(v["status"], 9);
    assert!(v["finished_at"].is_string());
    assert!(matches!(v["timeliness"].as_str().unwrap(), "early" | "on_time"));
    let v = ok_act(app, &s.token, id, "return_result", None);
    assert_eq!(v["status"], 10);
    assert!(v["returned_at"].is_string());
    assert_eq!(v["allowed_actions"], json!([]));
    let actions: Vec<&str> = v["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "receive",
            "start_processing",
            "request_supplement",
            "receive_supplement",
            "request_payment",
            "confirm_payment",
            "resolve",
            "return_result"
        ]
    );
    let ev = &v["events"][2];
    assert_eq!(ev["user_name"], "Cán bộ Một cửa (demo)");
    assert_eq!(ev["unit_name"], "UBND xã Bình Lương");
    assert_eq!(ev["note"], "Bổ sung bản sao giấy khai sinh");
    assert_eq!(ev["from_status"], 4);
    assert_eq!(ev["to_status"], 5);
    // Final states accept nothing; a received dossier is never refused (status 3 means never
    // received: a refusal at the counter is a counter record); withdraw and stop end it.
    assert_eq!(act(app, &s.token, id, json!({ "action": "withdraw" })).status, 409);
    let d = intake(app, &s.token, p, None);
    let id2 = d["id"].as_i64().unwrap();
    assert_eq!(act(app, &s.token, id2, json!({ "action": "refuse", "note": "x" })).code(), "invalid_transition");
    ok_act(app, &s.token, id2, "start_processing", None);
    assert_eq!(act(app, &s.token, id2, json!({ "action": "refuse", "note": "x" })).code(), "invalid_transition");
    let v = ok_act(app, &s.token, id2, "stop", Some("Người dân chết, dừng giải quyết"));
    assert_eq!(v["status"], 8);
    let d = intake(app, &s.token, p, None);
    let v = ok_act(app, &s.token, d["id"].as_i64().unwrap(), "withdraw", Some("Công dân xin rút"));
    assert_eq!(v["status"], 7);
    // Each transition is audited.
    let admin = app.login("admin");
    let audit = app.get(&format!("/api/v1/audit?entity=dossier&entity_id={id}&per_page=50"), Some(&admin.token));
    assert_eq!(audit.body["total"], 8, "{}", audit.text);
    // Other communes and roles.
    let admin2 = app.second_commune();
    assert_eq!(app.get(&format!("/api/v1/dossiers/{id}"), Some(&admin2.token)).status, 404);
    assert_eq!(act(app, &app.login("bdh").token, id2, json!({ "action": "withdraw" })).status, 403);
}

fn a_pause_moves_the_due_time_by_the_paused_working_time(app: &TestApp) {
    use diesel::prelude::*;
    use thanthien::db::schema::dossier_events;
    let s = app.login("ubnd");
    let p = procedure_id(app, &s.token, "1.003003"); // 30 working days
    let d = intake(app, &s.token, p, Some(&app.working_days_ago_at_nine(8)));
    let id = d["id"].as_i64().unwrap();
    let appointed: DateTime<FixedOffset> = d["due_at"].as_str().unwrap().parse().unwrap();
    ok_act(app, &s.token, id, "start_processing", None);
    ok_act(app, &s.token, id, "request_supplement", Some("Bổ sung sơ đồ thửa đất"));
    // Move the pause back to 09:00 four working days ago, as if the applicant took that long:
    // 6 working hours that day and three whole working days after it.
    let paused_at = app.working_days_ago_at_nine(4);
    let paused_utc = DateTime::parse_from_rfc3339(&paused_at).unwrap().naive_utc();
    {
        let mut c = app.conn();
        diesel::update(
            dossier_events::table
                .filter(dossier_events::dossier_id.eq(id))
                .filter(dossier_events::action.eq("request_supplement")),
        )
        .set(dossier_events::at.eq(paused_utc))
        .execute(&mut c)
        .unwrap();
    }
    let v = ok_act(app, &s.token, id, "receive_supplement", None);
    let resumed: DateTime<FixedOffset> = v["events"][3]["at"].as_str().unwrap().parse().unwrap();
    // Expected from the calendar itself.
    let commune = {
        use thanthien::db::schema::communes;
        let mut c = app.conn();
        communes::table.filter(communes::name.eq("Bình Lương")).select(communes::id).first::<i64>(&mut c).unwrap()
    };
    let local = |t: DateTime<FixedOffset>| t.naive_utc() + Duration::hours(7);
    let mut c = app.conn();
    let cal =
        thanthien::calendar::service::load_from(&mut c, Some(commune), local(appointed) - Duration::days(60)).unwrap();
    // Paused time counts in whole minutes.
    let paused =
        cal.working_seconds_between(local(DateTime::parse_from_rfc3339(&paused_at).unwrap()), local(resumed)).unwrap()
            / 60
            * 60;
    assert!(paused >= 3 * 8 * 3600, "at least three working days paused: {paused}");
    let expected = thanthien::onestop::dossiers::lifecycle::as_close(
        &cal,
        cal.add_working_seconds(local(appointed), paused).unwrap(),
    );
    let due: DateTime<FixedOffset> = v["due_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(local(due), expected);
    assert_eq!(v["deadline_at"], v["due_at"]);
    assert_eq!(v["appointed_at"], d["due_at"], "the intake appointment is kept");
}

fn timeliness_second_supplement_overdue_and_apology(app: &TestApp) {
    let s = app.login("ubnd");
    // A second supplement request makes the dossier late even when finished quickly.
    let quick = procedure_id(app, &s.token, "1.004873");
    let d = intake(app, &s.token, quick, None);
    let id = d["id"].as_i64().unwrap();
    ok_act(app, &s.token, id, "start_processing", None);
    let v = ok_act(app, &s.token, id, "request_supplement", Some("Thiếu ảnh"));
    assert_eq!(v["timeliness"], "open_not_due", "one lawful request during processing is not late");
    ok_act(app, &s.token, id, "receive_supplement", None);
    // The second request is unlawful but recorded, and the dossier counts late.
    let v = ok_act(app, &s.token, id, "request_supplement", Some("Thiếu bản sao CCCD"));
    assert_eq!(v["supplement_requests"], 2);
    assert_eq!(v["timeliness"], "open_overdue");
    ok_act(app, &s.token, id, "receive_supplement", None);
    let v = ok_act(app, &s.token, id, "resolve", None);
    assert_eq!(v["timeliness"], "late");
    // An overdue dossier: received 10 working days ago, 3 working days.
    let d = intake(app, &s.token, quick, Some(&app.working_days_ago_at_nine(10)));
    let late = d["id"].as_i64().unwrap();
    assert_eq!(d["timeliness"], "open_overdue");
    assert_eq!(d["flags"]["needs_apology"], true);
    let r = app.get("/api/v1/dossiers?view=overdue", Some(&s.token));
    assert!(r.body["items"].as_array().unwrap().iter().any(|x| x["id"] == late));
    let r = app.get("/api/v1/dossiers?timeliness=open_overdue", Some(&s.token));
    assert!(r.body["items"].as_array().unwrap().iter().all(|x| x["timeliness"] == "open_overdue"));
    assert!(r.body["items"].as_array().unwrap().iter().any(|x| x["id"] == late));
    assert_eq!(d["flags"]["late_without_apology"], true, "overdue with no apology in time: a breach");
    assert!(d["apology_by"].is_string());
    assert_eq!(app.get(&format!("/api/v1/dossiers/{late}/forms/04"), Some(&s.token)).code(), "form_not_applicable");
    // Resolving a late dossier is never blocked: the breach is recorded instead.
    let unapologised = intake(app, &s.token, quick, Some(&app.working_days_ago_at_nine(10)));
    let v = ok_act(app, &s.token, unapologised["id"].as_i64().unwrap(), "resolve", None);
    assert_eq!((v["timeliness"].as_str(), v["flags"]["late_without_apology"].as_bool()), (Some("late"), Some(true)));
    let past = (Utc::now() - Duration::hours(1)).to_rfc3339();
    let r =
        act(app, &s.token, late, json!({ "action": "apologize_and_extend", "note": "Xin lỗi", "new_due_at": past }));
    assert_eq!(r.status, 422);
    let r = act(
        app,
        &s.token,
        late,
        json!({ "action": "apologize_and_extend", "new_due_at": (Utc::now() + Duration::days(2)).to_rfc3339() }),
    );
    assert_eq!(r.status, 422, "the apology has a text");
    // The new appointment is a time the desk is open: not 22:00, and the close of a working day
    // is fine (the calendar's own answer, so no weekend or holiday ever falls on it).
    let tomorrow = (Utc::now() + Duration::days(1)).with_timezone(&FixedOffset::east_opt(7 * 3600).unwrap());
    let night = tomorrow.format("%Y-%m-%dT22:00:00+07:00").to_string();
    let r =
        act(app, &s.token, late, json!({ "action": "apologize_and_extend", "note": "Xin lỗi", "new_due_at": night }));
    assert_eq!((r.status, r.body["errors"][0]["code"].as_str()), (422, Some("not_working_time")), "{}", r.text);
    assert!(r.body["errors"][0]["message"].as_str().unwrap().contains("Gần nhất"), "{}", r.text);
    let opening = tomorrow.format("%Y-%m-%dT07:00:00+07:00").to_string();
    let r = app.post(
        "/api/v1/calendar/due",
        Some(&s.token),
        json!({ "start": opening, "amount": 2, "unit": "working_days" }),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let new_due = r.body["due_at"].as_str().unwrap().to_string();
    assert!(new_due.ends_with("T17:00:00+07:00"), "{new_due}");
    let v = ok_act_body(
        app,
        &s.token,
        late,
        json!({ "action": "apologize_and_extend", "note": "UBND xã xin lỗi ông vì sự chậm trễ.", "new_due_at": new_due }),
    );
    assert_eq!(v["due_at"], new_due);
    assert_eq!(v["flags"]["extended"], true);
    assert_eq!(v["flags"]["needs_apology"], false);
    assert_eq!(v["flags"]["late_without_apology"], true, "the letter came after the time it was due");
    assert_eq!(v["deadline_at"], d["deadline_at"], "the legal deadline does not move");
    // The audit says the appointment moved, from what to what, and never copies the letter.
    let admin = app.login("admin");
    let audit = app
        .get(&format!("/api/v1/audit?entity=dossier&entity_id={late}&action=apologize_and_extend"), Some(&admin.token));
    let entry = &audit.body["items"][0]["summary"];
    let moved: Vec<DateTime<FixedOffset>> = entry["due_at"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| format!("{}Z", x.as_str().unwrap().trim_end_matches('Z')).parse().unwrap())
        .collect();
    let (old_due, new_due_at): (DateTime<FixedOffset>, DateTime<FixedOffset>) =
        (d["due_at"].as_str().unwrap().parse().unwrap(), new_due.parse().unwrap());
    assert_eq!(moved, vec![old_due, new_due_at], "{}", audit.text);
    assert!(!audit.text.contains("xin lỗi ông"), "{}", audit.text);
    assert!(entry.get("new_due_at").is_none(), "{}", audit.text);
    // Still late, as the dashboard counts it: the desk's "Quá hạn" list keeps it, and lists
    // exactly the dossiers counted open and overdue.
    let view = app.get("/api/v1/dossiers?view=overdue&per_page=100", Some(&s.token));
    assert!(view.body["items"].as_array().unwrap().iter().any(|x| x["id"] == late), "{}", view.text);
    let counted = app.get("/api/v1/dossiers?timeliness=open_overdue&per_page=100", Some(&s.token));
    assert_eq!(view.body["total"], counted.body["total"]);
    // A new date may be given once.
    let r = app.post(
        "/api/v1/calendar/due",
        Some(&s.token),
        json!({ "start": opening, "amount": 6, "unit": "working_days" }),
    );
    let later = r.body["due_at"].as_str().unwrap().to_string();
    let r =
        act(app, &s.token, late, json!({ "action": "apologize_and_extend", "note": "Lần hai", "new_due_at": later }));
    assert_eq!((r.status, r.code()), (409, "extension_used"));
    let f = app.get(&format!("/api/v1/dossiers/{late}/forms/04"), Some(&s.token));
    assert_eq!(f.status, 200, "{}", f.text);
    assert_eq!(f.body["new_due_at"], new_due);
    assert_eq!(f.body["note"], "UBND xã xin lỗi ông vì sự chậm trễ.");
    let v = ok_act(app, &s.token, late, "resolve", None);
    assert_eq!(v["timeliness"], "late");
    let r = app.get("/api/v1/dossiers?timeliness=late", Some(&s.token));
    assert_eq!(r.body["total"], 3);
    // A same-day dossier resolved at once is on time or early.
    let birth = procedure_id(app, &s.token, "1.001193");
    let d = intake(app, &s.token, birth, None);
    let v = ok_act(app, &s.token, d["id"].as_i64().unwrap(), "resolve", None);
    assert!(matches!(v["timeliness"].as_str().unwrap(), "on_time" | "early"), "{}", v["timeliness"]);
    // A same-day dossier owes no apology at its receipt: one working day before its deadline
    // came before it existed, so form 04 is due by the deadline itself.
    let fresh = intake(app, &s.token, birth, None);
    assert_eq!(fresh["flags"]["needs_apology"], false, "{fresh}");
    let past = intake(app, &s.token, birth, Some(&app.working_days_ago_at_nine(1)));
    assert_eq!(past["apology_by"], past["deadline_at"], "{past}");
    let r = app.get("/api/v1/dossiers?view=apology_due&per_page=100", Some(&s.token));
    assert!(r.body["items"].as_array().unwrap().iter().all(|x| x["id"] != fresh["id"]), "{}", r.text);
}

fn ok_act_body(app: &TestApp, token: &str, id: i64, body: Value) -> Value {
    let r = act(app, token, id, body);
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

fn concurrent_intake_never_duplicates_a_code(app: &TestApp) {
    let s = app.login("ubnd");
    let p = procedure_id(app, &s.token, "2.000815");
    let codes: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..16)
            .map(|_| {
                let token = s.token.clone();
                scope.spawn(move || {
                    (0..5)
                        .map(|_| {
                            let r = app.post(
                                "/api/v1/dossiers",
                                Some(&token),
                                json!({ "procedure_id": p, "channel": 2, "applicant": applicant() }),
                            );
                            assert_eq!(r.status, 201, "{}", r.text);
                            r.body["code"].as_str().unwrap().to_string()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(codes.len(), 80);
    let unique: HashSet<&String> = codes.iter().collect();
    assert_eq!(unique.len(), 80, "duplicate codes: {codes:?}");
    let mut numbers: Vec<u32> = codes.iter().map(|c| c.rsplit('-').next().unwrap().parse().unwrap()).collect();
    numbers.sort();
    assert_eq!(numbers, (1..=80).collect::<Vec<u32>>());
}

fn personal_data_search_and_views(app: &TestApp) {
    let s = app.login("ubnd");
    let p = procedure_id(app, &s.token, "1.004873");
    let d = intake(app, &s.token, p, None);
    let id = d["id"].as_i64().unwrap();
    let code = d["code"].as_str().unwrap().to_string();
    // Board reads personal data; the Front and the admin see rows masked; a village head sees
    // one-stop aggregates only (initials, procedure and date identify a person in a village).
    let bdh = app.login("bdh");
    let r = app.get(&format!("/api/v1/dossiers/{id}"), Some(&bdh.token));
    assert_eq!(r.body["applicant"]["phone"], "0912 345 678");
    let village = app.login("thon2");
    assert_eq!(app.get(&format!("/api/v1/dossiers/{id}"), Some(&village.token)).status, 403);
    assert_eq!(app.get("/api/v1/dossiers", Some(&village.token)).status, 403);
    assert_eq!(app.get("/api/v1/onestop/counter-records", Some(&village.token)).status, 403);
    assert_eq!(app.get("/api/v1/onestop/indicators", Some(&village.token)).status, 200, "aggregates stay open");
    for user in ["mttq", "admin"] {
        let t = app.login(user);
        let r = app.get(&format!("/api/v1/dossiers/{id}"), Some(&t.token));
        assert_eq!(r.status, 200, "{user}: {}", r.text);
        assert_eq!(r.body["personal_data_masked"], true);
        assert_eq!(r.body["applicant"]["name"], "N. V. H.");
        assert_eq!(r.body["applicant"]["phone"], "*******678");
        let shown = text_outside_generated(&r.body);
        for secret in ["Hưởng", "0912", "038090001234", "Thôn 3"] {
            assert!(!shown.contains(secret), "{user} sees {secret}: {}", r.text);
        }
        // Searching by name or phone finds nothing for them; by code it does.
        assert_eq!(app.get("/api/v1/dossiers?q=huong", Some(&t.token)).body["total"], 0);
        assert_eq!(app.get(&format!("/api/v1/dossiers?q={code}"), Some(&t.token)).body["total"], 1);
        assert_eq!(app.get(&format!("/api/v1/dossiers/{id}/forms/01"), Some(&t.token)).status, 403);
    }
    // Staff search: name without diacritics, phone digits, code fragment.
    assert_eq!(app.get("/api/v1/dossiers?q=nguyen%20van%20HUONG", Some(&s.token)).body["total"], 1);
    assert_eq!(app.get("/api/v1/dossiers?q=0912345678", Some(&s.token)).body["total"], 1);
    assert_eq!(app.get(&format!("/api/v1/dossiers?q={}", &code[..11].to_lowercase()), Some(&s.token)).body["total"], 1);
    assert_eq!(app.get("/api/v1/dossiers?q=tran", Some(&s.token)).body["total"], 0);
    // Filters and paging.
    let r = app.get(&format!("/api/v1/dossiers?status=2&procedure_id={p}&channel=1&per_page=10"), Some(&s.token));
    assert_eq!(r.body["total"], 1);
    assert_eq!(r.body["page"], 1);
    assert_eq!(r.body["per_page"], 10);
    assert_eq!(app.get("/api/v1/dossiers?channel=2", Some(&s.token)).body["total"], 0);
    assert_eq!(app.get("/api/v1/dossiers?status=11", Some(&s.token)).status, 422);
    assert_eq!(app.get("/api/v1/dossiers?timeliness=open_not_due", Some(&s.token)).body["total"], 1);
    assert_eq!(app.get("/api/v1/dossiers?view=today", Some(&s.token)).body["total"], 1);
    let today = d["received_at"].as_str().unwrap()[..10].to_string();
    assert_eq!(
        app.get(&format!("/api/v1/dossiers?received_from={today}&received_to={today}"), Some(&s.token)).body["total"],
        1
    );
    assert_eq!(app.get("/api/v1/dossiers?received_to=2020-01-01", Some(&s.token)).body["total"], 0);
    // Due soon: a same-day dossier is due by the end of the next working day at the latest.
    let birth = procedure_id(app, &s.token, "1.001193");
    let b = intake(app, &s.token, birth, None);
    let soon = app.get("/api/v1/dossiers?view=due_soon", Some(&s.token));
    assert!(soon.body["items"].as_array().unwrap().iter().any(|x| x["id"] == b["id"]), "{}", soon.text);
    assert!(!soon.body["items"].as_array().unwrap().iter().any(|x| x["id"] == id), "3 working days is not due soon");
    // Flags.
    let r = app.patch(
        &format!("/api/v1/dossiers/{id}"),
        Some(&s.token),
        json!({ "digitised": true, "electronic_result": true }),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["flags"]["digitised"], true);
    assert_eq!(r.body["flags"]["electronic_result"], true);
    assert_eq!(r.body["flags"]["paid_online"], false);
    assert_eq!(
        app.patch(&format!("/api/v1/dossiers/{id}"), Some(&bdh.token), json!({ "digitised": false })).status,
        403
    );
}

fn forms_and_register(app: &TestApp) {
    let s = app.login("ubnd");
    let p = procedure_id(app, &s.token, "1.004859");
    let d = intake(app, &s.token, p, None);
    let id = d["id"].as_i64().unwrap();
    let f = app.get(&format!("/api/v1/dossiers/{id}/forms/01"), Some(&s.token));
    assert_eq!(f.status, 200, "{}", f.text);
    assert_eq!(f.body["title"], "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ");
    assert_eq!(f.body["header"]["motto_line1"], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    assert_eq!(f.body["header"]["motto_line2"], "Độc lập - Tự do - Hạnh phúc");
    assert_eq!(f.body["header"]["issuer"], "UBND XÃ BÌNH LƯƠNG");
    // Since 01/07/2025 the commune's desk is its Trung tâm Phục vụ hành chính công.
    assert_eq!(f.body["header"]["issuer_unit"], "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG");
    assert_eq!(f.body["form_set"], "Thông tư 03/2025/TT-VPCP");
    assert_eq!(f.body["form_number"], "01");
    assert!(f.body["header"]["place_date"].as_str().unwrap().starts_with("Bình Lương, ngày "));
    assert_eq!(f.body["dossier"]["due_at"], d["due_at"]);
    // The receipt's link carries the dossier's random token (see `lookup_guard`).
    assert!(
        f.body["lookup_path"].as_str().unwrap().starts_with(&format!("/tra-cuu/{}?t=", d["code"].as_str().unwrap()))
    );
    assert_eq!(f.body["staff_name"], "Cán bộ Một cửa (demo)");
    assert_eq!(app.get(&format!("/api/v1/dossiers/{id}/forms/02"), Some(&s.token)).code(), "form_not_applicable");
    assert_eq!(app.get(&format!("/api/v1/dossiers/{id}/forms/05"), Some(&s.token)).code(), "form_not_applicable");
    assert_eq!(app.get(&format!("/api/v1/dossiers/{id}/forms/07"), Some(&s.token)).status, 404);
    assert_eq!(app.get(&format!("/api/v1/dossiers/{id}/forms/08"), Some(&s.token)).status, 404);
    ok_act(app, &s.token, id, "start_processing", None);
    ok_act(app, &s.token, id, "request_supplement", Some("Bản sao sổ hộ khẩu của ông Hưởng"));
    let f = app.get(&format!("/api/v1/dossiers/{id}/forms/02"), Some(&s.token));
    assert_eq!(f.body["note"], "Bản sao sổ hộ khẩu của ông Hưởng");
    // Event notes are free text: hidden from roles without personal data.
    let front = app.get(&format!("/api/v1/dossiers/{id}"), Some(&app.login("mttq").token));
    assert_eq!(front.body["events"][2]["note"], Value::Null);
    assert_eq!(front.body["events"][2]["note_hidden"], true);
    assert!(!front.text.contains("Hưởng"), "{}", front.text);
    let f = app.get(&format!("/api/v1/dossiers/{id}/forms/06"), Some(&s.token));
    assert_eq!(f.body["events"].as_array().unwrap().len(), 3);
    assert_eq!(f.body["form_number"], "06");
    // Form 04 has the Thông tư 03/2025 title; form 05 is printed when a dossier is stopped.
    ok_act(app, &s.token, id, "receive_supplement", None);
    let new_due = app.working_days_ahead_at_nine(14);
    ok_act_body(
        app,
        &s.token,
        id,
        json!({ "action": "apologize_and_extend", "note": "Xin lỗi", "new_due_at": new_due }),
    );
    let f = app.get(&format!("/api/v1/dossiers/{id}/forms/04"), Some(&s.token));
    assert_eq!(f.body["title"], "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT");
    ok_act(app, &s.token, id, "stop", Some("Công dân không bổ sung được giấy tờ"));
    let f = app.get(&format!("/api/v1/dossiers/{id}/forms/05"), Some(&s.token));
    assert_eq!(f.status, 200, "{}", f.text);
    assert_eq!(f.body["title"], "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ");
    assert_eq!(f.body["note"], "Công dân không bổ sung được giấy tờ");
    // A dossier received before 01/07/2025 prints with the Thông tư 01/2018 set.
    let old = intake(app, &s.token, p, None);
    let old_id = old["id"].as_i64().unwrap();
    {
        use diesel::prelude::*;
        use thanthien::db::schema::dossiers;
        let at = chrono::NaiveDate::from_ymd_opt(2025, 6, 20).unwrap().and_hms_opt(2, 0, 0).unwrap();
        diesel::update(dossiers::table.find(old_id))
            .set(dossiers::received_at.eq(at))
            .execute(&mut app.conn())
            .unwrap();
    }
    let f = app.get(&format!("/api/v1/dossiers/{old_id}/forms/06"), Some(&s.token));
    assert_eq!(
        (f.body["form_number"].as_str(), f.body["form_set"].as_str()),
        (Some("05"), Some("Thông tư 01/2018/TT-VPCP"))
    );
    assert_eq!(f.body["header"]["issuer_unit"], "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ");
    assert_eq!(app.get(&format!("/api/v1/dossiers/{old_id}/forms/05"), Some(&s.token)).code(), "form_not_applicable");
    // A counter refusal: form 03, not a dossier.
    let r = app.post(
        "/api/v1/onestop/counter-records",
        Some(&s.token),
        json!({ "kind": "refusal", "procedure_id": p, "channel": 1,
            "applicant": { "name": "Trần Văn Bình", "phone": "0911000111", "address": "Thôn 2" },
            "reason": "Hồ sơ không thuộc thẩm quyền của xã" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let f = app.get(&format!("/api/v1/onestop/counter-records/{}/form", r.body["id"]), Some(&s.token));
    assert_eq!(f.status, 200, "{}", f.text);
    assert_eq!(f.body["title"], "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ");
    assert_eq!(f.body["form"], "03");
    assert_eq!(f.body["record"]["reason"], "Hồ sơ không thuộc thẩm quyền của xã");
    // Register 07 for today: the dossiers received, in order of receipt; the counter refusal
    // is not among them.
    let today = d["received_at"].as_str().unwrap()[..10].to_string();
    let r = app.get(&format!("/api/v1/dossiers/register?from={today}&to={today}"), Some(&s.token));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["form"], "07");
    let rows = r.body["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["no"], 1);
    assert_eq!(rows[0]["code"], d["code"]);
    assert_eq!(app.get(&format!("/api/v1/dossiers/register?from={today}&to=2020-01-01"), Some(&s.token)).status, 422);
    assert_eq!(
        app.get(&format!("/api/v1/dossiers/register?from={today}&to={today}"), Some(&app.login("mttq").token)).status,
        403
    );
}

fn lookup(app: &TestApp, ip: &str, code: &str, last4: &str) -> (u16, String) {
    let r = app
        .client
        .get(app.url(&format!("/api/v1/public/dossiers/{code}?phone_last4={last4}")))
        .header("x-forwarded-for", ip)
        .send()
        .unwrap();
    (r.status().as_u16(), r.text().unwrap())
}

fn public_lookup_leaks_nothing_and_is_throttled(app: &TestApp) {
    let s = app.login("ubnd");
    let p = procedure_id(app, &s.token, "1.004873");
    let d = intake(app, &s.token, p, None);
    let code = d["code"].as_str().unwrap();
    let (status, text) = lookup(app, "10.0.0.1", code, "5678");
    assert_eq!(status, 200, "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["code"], code);
    assert_eq!(v["status"], 2);
    assert_eq!(v["procedure_name"], "Cấp Giấy xác nhận tình trạng hôn nhân");
    assert_eq!(v["due_at"], d["due_at"]);
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys.join(" "),
        "code desk due_at ended_at paused procedure_name received_at returned_at status status_name supplement_note"
    );
    assert!(v["ended_at"].is_null(), "a dossier in progress has its appointment");
    let shown = text_outside_generated(&v);
    for secret in ["Hưởng", "Nguy", "0912", "345", "038090001234", "Thôn 3", "applicant"] {
        assert!(!shown.contains(secret), "public lookup leaks {secret}: {text}");
    }
    // Lower-case codes work; wrong digits and unknown codes look the same.
    assert_eq!(lookup(app, "10.0.0.1", &code.to_lowercase(), "5678").0, 200);
    let wrong = lookup(app, "10.0.0.1", code, "0000");
    let unknown = lookup(app, "10.0.0.1", "UBND-000101-9999", "5678");
    let missing = lookup(app, "10.0.0.1", code, "");
    assert_eq!(wrong.0, 404);
    assert_eq!(wrong, unknown);
    assert_eq!(wrong, missing);
    // 20 lookups per address per 10 minutes; another address is not affected.
    let mut last = 0;
    for _ in 0..20 {
        last = lookup(app, "10.0.0.2", code, "5678").0;
        if last == 429 {
            break;
        }
    }
    assert_eq!(last, 200);
    let r = app
        .client
        .get(app.url(&format!("/api/v1/public/dossiers/{code}?phone_last4=5678")))
        .header("x-forwarded-for", "10.0.0.2")
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.headers().get("retry-after").is_some());
    assert_eq!(lookup(app, "10.0.0.3", code, "5678").0, 200);
    // Withdrawn, it has no appointment left: when it ended.
    let id = d["id"].as_i64().unwrap();
    let v = ok_act(app, &s.token, id, "withdraw", Some("Công dân xin rút"));
    let (status, text) = lookup(app, "10.0.0.4", code, "5678");
    assert_eq!(status, 200, "{text}");
    let looked: Value = serde_json::from_str(&text).unwrap();
    let last = v["events"].as_array().unwrap().last().unwrap()["at"].clone();
    assert_eq!(looked["ended_at"], last, "{text}");
}

/// Unit codes are unique within a commune only, and so are dossier codes: two communes whose
/// one-stop units share a code number their days independently, and the citizen's lookup tells
/// them apart by the phone digits.
fn same_unit_code_in_two_communes_never_collides(app: &TestApp) {
    let admin2 = app.second_commune();
    let units = app.get("/api/v1/units?per_page=200", Some(&admin2.token));
    let unit = units.body["items"][0]["id"].as_i64().unwrap();
    let r = app.patch(&format!("/api/v1/units/{unit}"), Some(&admin2.token), json!({ "code": "UBND" }));
    assert_eq!(r.status, 200, "{}", r.text);
    let r = app.post(
        "/api/v1/users",
        Some(&admin2.token),
        json!({ "username": "motcua2", "full_name": "Phạm Văn Tâm", "role": "ubnd", "unit_id": unit,
            "password": "mật khẩu rất dài" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let r = app.post(
        "/api/v1/procedures",
        Some(&admin2.token),
        json!({ "code": "1.001612", "name": "Chứng thực bản sao từ bản chính", "field": "Chứng thực",
            "limit_amount": 1, "limit_unit": "same_day", "online_level": "none" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let p2 = r.body["id"].as_i64().unwrap();
    let s1 = app.login("ubnd");
    let s2 = app.login_with("motcua2", "mật khẩu rất dài");
    let p1 = procedure_id(app, &s1.token, "1.004873");
    let when = days_ago_at_nine(1);
    let a = intake(app, &s1.token, p1, Some(&when));
    let r = app.post(
        "/api/v1/dossiers",
        Some(&s2.token),
        json!({ "procedure_id": p2, "channel": 1, "received_at": when,
            "applicant": { "name": "Lò Thị Dung", "phone": "0977 000 111", "id_number": "038090009999", "address": "Xuân Bình" } }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let b = r.body;
    let c = intake(app, &s1.token, p1, Some(&when));
    let code = |d: &Value| d["code"].as_str().unwrap().to_string();
    assert_ne!(code(&a), code(&c));
    assert!([&a, &b, &c].iter().all(|d| code(d).starts_with("UBND-")));
    // The second commune's first dossier of the day is its number 1, whatever the first took.
    assert!(code(&b).ends_with("-0001"), "{}", code(&b));
    // Both codes that may coincide are found by their own phone digits.
    let (status, text) = lookup(app, "10.1.0.1", &code(&b), "0111");
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("Chứng thực bản sao"), "{text}");
    let (status, text) = lookup(app, "10.1.0.1", &code(&a), "5678");
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("tình trạng hôn nhân"), "{text}");
}

/// The day's sequence has 4 digits: at its end intake says so clearly, naming the limit.
fn the_daily_sequence_limit_is_a_clear_refusal(app: &TestApp) {
    use diesel::prelude::*;
    use thanthien::db::schema::dossier_counters;
    let s = app.login("ubnd");
    let p = procedure_id(app, &s.token, "1.004873");
    let first = intake(app, &s.token, p, None);
    let unit = first["unit_id"].as_i64().unwrap();
    let day = chrono::NaiveDate::parse_from_str(&first["received_at"].as_str().unwrap()[..10], "%Y-%m-%d").unwrap();
    diesel::update(
        dossier_counters::table.filter(dossier_counters::unit_id.eq(unit)).filter(dossier_counters::day.eq(day)),
    )
    .set(dossier_counters::last_value.eq(9999))
    .execute(&mut app.conn())
    .unwrap();
    let r = app.post(
        "/api/v1/dossiers",
        Some(&s.token),
        json!({ "procedure_id": p, "channel": 1, "applicant": applicant() }),
    );
    assert_eq!(r.status, 409, "{}", r.text);
    assert_eq!(r.code(), "daily_sequence_exhausted");
    assert!(r.body["detail"].as_str().unwrap().contains("9.999"), "{}", r.text);
}

/// At the counter: guidance (form 02) and refusal (form 03) are recorded, never numbered, never
/// counted as received or in the 766 index; they have their own lines.
fn counter_guidance_and_refusal_do_not_change_the_indicators(app: &TestApp) {
    let s = app.login("ubnd");
    let p = procedure_id(app, &s.token, "1.004873");
    // The commune's day (UTC+7), not UTC's: after 17:00 UTC they differ.
    let today = thanthien::time::today_local().to_string();
    let indicators = |t: &str| app.get(&format!("/api/v1/onestop/indicators?from={today}&to={today}"), Some(t)).body;
    let index = |t: &str| app.get(&format!("/api/v1/onestop/index766?from={today}&to={today}"), Some(t)).body;
    let before = indicators(&s.token);
    let index_before = index(&s.token);
    for (kind, reason) in [("guidance", "Thiếu bản sao giấy khai sinh"), ("refusal", "Không thuộc thẩm quyền của xã")]
    {
        let r = app.post(
            "/api/v1/onestop/counter-records",
            Some(&s.token),
            json!({ "kind": kind, "procedure_id": p, "channel": 1,
                "applicant": { "name": "Hà Văn Sơn", "phone": "0988 111 222", "address": "Thôn 4" }, "reason": reason }),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        assert_eq!(r.body["kind"], kind);
    }
    let after = indicators(&s.token);
    for k in ["received", "resolved", "in_progress", "early", "on_time", "late", "open_not_due", "open_overdue"] {
        assert_eq!(after["overall"][k], before["overall"][k], "{k}");
    }
    assert_eq!(after["overall"]["channels"], before["overall"]["channels"]);
    assert_eq!(after["overall"]["counter_guidance"], before["overall"]["counter_guidance"].as_i64().unwrap() + 1);
    assert_eq!(after["overall"]["counter_refusals"], before["overall"]["counter_refusals"].as_i64().unwrap() + 1);
    let index_after = index(&s.token);
    assert_eq!(index_after["total"], index_before["total"]);
    assert_eq!(index_after["indicators"], index_before["indicators"]);
    // Listed for the desk, masked for the Front, refused to a village head.
    let list = app.get("/api/v1/onestop/counter-records?kind=refusal", Some(&s.token));
    assert_eq!(list.status, 200, "{}", list.text);
    assert!(list.body["items"].as_array().unwrap().iter().any(|x| x["applicant"]["name"] == "Hà Văn Sơn"));
    let front = app.get("/api/v1/onestop/counter-records", Some(&app.login("mttq").token));
    assert_eq!(front.status, 200);
    assert!(!front.text.contains("Hà Văn Sơn") && !front.text.contains("thẩm quyền"), "{}", front.text);
    // Bad input is a field error; another role cannot record.
    let r = app.post(
        "/api/v1/onestop/counter-records",
        Some(&s.token),
        json!({ "kind": "refusal", "procedure_id": p, "channel": 9, "applicant": { "name": "" }, "reason": " " }),
    );
    assert_eq!(r.status, 422);
    let fields: HashSet<&str> =
        r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, HashSet::from(["channel", "applicant.name", "reason"]));
    let r = app.post(
        "/api/v1/onestop/counter-records",
        Some(&app.login("bdh").token),
        json!({ "kind": "guidance", "procedure_id": p, "channel": 1, "applicant": { "name": "A" }, "reason": "x" }),
    );
    assert_eq!(r.status, 403);
}

/// A day off decided after intake moves the legal due time of an open dossier; the printed
/// appointment stays as printed, and both are shown.
fn the_due_time_follows_a_day_off_decided_after_intake(app: &TestApp) {
    let s = app.login("ubnd");
    let p = procedure_id(app, &s.token, "1.003003"); // 30 working days
    let d = intake(app, &s.token, p, None);
    let id = d["id"].as_i64().unwrap();
    assert_eq!(d["appointed_at"], d["due_at"]);
    // A working day between intake and the appointment becomes a day off.
    let tz = FixedOffset::east_opt(7 * 3600).unwrap();
    let mut day = (Utc::now().with_timezone(&tz) + Duration::days(10)).date_naive();
    while matches!(chrono::Datelike::weekday(&day), chrono::Weekday::Sat | chrono::Weekday::Sun) {
        day = day.succ_opt().unwrap();
    }
    let admin = app.login("admin");
    let r = app.send(
        "PUT",
        &format!("/api/v1/calendar/overrides/{day}"),
        Some(&admin.token),
        Some(json!({ "kind": "day_off", "name": "Nghỉ đột xuất do bão" })),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let after = app.get(&format!("/api/v1/dossiers/{id}"), Some(&s.token)).body;
    assert_eq!(after["appointed_at"], d["appointed_at"], "the printed appointment stays");
    let before: DateTime<FixedOffset> = d["due_at"].as_str().unwrap().parse().unwrap();
    let moved: DateTime<FixedOffset> = after["due_at"].as_str().unwrap().parse().unwrap();
    assert!(moved > before, "the legal due time moves by the day off: {before} → {moved}");
    assert_eq!(after["deadline_at"], after["due_at"]);
    // Removing the day off moves it back.
    let r = app.send("DELETE", &format!("/api/v1/calendar/overrides/{day}"), Some(&admin.token), None);
    assert_eq!(r.status, 204, "{}", r.text);
    let back = app.get(&format!("/api/v1/dossiers/{id}"), Some(&s.token)).body;
    assert_eq!(back["due_at"], d["due_at"]);
}

both_engines!(
    the_due_time_follows_a_day_off_decided_after_intake,
    same_unit_code_in_two_communes_never_collides,
    the_daily_sequence_limit_is_a_clear_refusal,
    counter_guidance_and_refusal_do_not_change_the_indicators,
    demo_catalogue_and_public_page,
    procedure_crud_history_and_import,
    intake_gives_a_code_and_the_calendar_appointment,
    lifecycle_with_events_and_illegal_transitions,
    a_pause_moves_the_due_time_by_the_paused_working_time,
    timeliness_second_supplement_overdue_and_apology,
    concurrent_intake_never_duplicates_a_code,
    personal_data_search_and_views,
    forms_and_register,
    public_lookup_leaks_nothing_and_is_throttled,
);
