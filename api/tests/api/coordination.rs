//! Awareness activities (and the task they fulfil), coordination meetings and their decisions,
//! the community boards' recommendations and the commune's responses, evidence on commitment
//! reports, the idempotent village relay, and the figures over all of them.

use serde_json::{Value, json};

use crate::both_engines;
use crate::democracy::{PNG, day, get_bytes, multipart, post_form, village_disclosure};
use crate::harness::TestApp;

fn activity(app: &TestApp, token: &str, units: &[i64], task: Option<i64>, participants: i32) -> (u16, Value) {
    let r = app.post(
        "/api/v1/activities",
        Some(token),
        json!({ "kind": "awareness", "title": "Tuyên truyền Luật Thực hiện dân chủ ở cơ sở", "held_on": day(-3),
                "place": "Nhà văn hóa thôn 1", "channel": "meeting", "participants": participants,
                "groups_reached": "hội viên phụ nữ, đoàn viên", "summary": "Phổ biến quyền được biết, được bàn",
                "unit_ids": units, "task_id": task }),
    );
    (r.status, r.body)
}

fn activities_are_recorded_listed_and_shown_on_their_task(app: &TestApp) {
    let admin = app.login("admin").token;
    let bdh = app.login("bdh").token;
    let (t1, hpn) = (app.unit_id(&admin, "T1"), app.unit_id(&admin, "HPN"));
    let f = crate::plans::matrix_fixture(app, &admin);
    let (status, a) = activity(app, &bdh, &[hpn, t1, t1], Some(f.task), 85);
    assert_eq!(status, 201, "{a}");
    let id = a["id"].as_i64().unwrap();
    // The task's content area is taken; the villages are told apart from the other units.
    assert_eq!(a["content_area_id"], f.area, "{a}");
    assert_eq!(a["village_ids"], json!([t1]));
    assert_eq!(a["unit_ids"].as_array().unwrap().len(), 2);
    // The list names the task and its content area, and follows a rename of either at once
    // (the list is served from the read cache).
    let listed = |app: &TestApp| {
        let r = app.get("/api/v1/activities", Some(&bdh));
        assert_eq!(r.status, 200, "{}", r.text);
        let a = r.body["items"].as_array().unwrap().iter().find(|x| x["id"] == id).cloned().unwrap();
        (a["task_title"].as_str().unwrap().to_string(), a["content_area_title"].as_str().unwrap().to_string())
    };
    let (task_title, area_title) = listed(app);
    assert_eq!(task_title, a["task_title"].as_str().unwrap());
    let r = app.patch(&format!("/api/v1/tasks/{}", f.task), Some(&bdh), json!({ "title": "Tuyên truyền pháp luật" }));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(listed(app), ("Tuyên truyền pháp luật".to_string(), area_title));
    let r = app.patch(&format!("/api/v1/areas/{}", f.area), Some(&bdh), json!({ "title": "Dân chủ ở cơ sở" }));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(listed(app), ("Tuyên truyền pháp luật".to_string(), "Dân chủ ở cơ sở".to_string()));
    let shown = app.get(&format!("/api/v1/activities/{id}"), Some(&bdh));
    assert_eq!(shown.body["task_title"], "Tuyên truyền pháp luật", "{}", shown.text);
    // Field rules: not in the future, units of the commune, a task of the commune.
    let r = app.post(
        "/api/v1/activities",
        Some(&bdh),
        json!({ "kind": "awareness", "title": "x", "held_on": day(2), "place": "x", "channel": "zalo",
                "participants": 1, "unit_ids": [999_999], "task_id": 999_999 }),
    );
    assert_eq!(r.status, 422);
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert!(
        fields.contains(&"held_on") && fields.contains(&"unit_ids[0]") && fields.contains(&"task_id"),
        "{}",
        r.text
    );
    // A village head reads but does not record.
    let thon1 = app.login("thon1").token;
    assert_eq!(activity(app, &thon1, &[t1], None, 3).0, 403);
    // The task's page lists the activities behind it.
    let on_task = app.get(&format!("/api/v1/tasks/{}/activities", f.task), Some(&bdh));
    assert_eq!(on_task.status, 200, "{}", on_task.text);
    assert!(on_task.body.as_array().unwrap().iter().any(|x| x["id"] == id));
    // Evidence photos, stored and downloadable by staff.
    let (st, with_photo) =
        post_form(app, &format!("/api/v1/activities/{id}/photos"), &bdh, &[("files", Some("buoi-hop.png"), PNG)]);
    assert_eq!(st, 201, "{with_photo}");
    let url = with_photo["photos"][0]["url"].as_str().unwrap().to_string();
    assert_eq!(get_bytes(app, &url, Some(&bdh)), (200, PNG.to_vec()));
    let (st, _) =
        post_form(app, &format!("/api/v1/activities/{id}/photos"), &bdh, &[("files", Some("x.txt"), b"hello")]);
    assert_eq!(st, 415);
    // A form with no file at all is refused under `files`, and nothing is recorded.
    let (st, none) = post_form(app, &format!("/api/v1/activities/{id}/photos"), &bdh, &[]);
    assert_eq!(
        (st, none["errors"][0]["field"].as_str(), none["errors"][0]["code"].as_str()),
        (422, Some("files"), Some("required")),
        "{none}"
    );
    // Search ignores diacritics; filters by village.
    let found = app.get(&format!("/api/v1/activities?q=tuyen%20truyen%20luat&unit_id={t1}"), Some(&bdh));
    assert!(found.body["items"].as_array().unwrap().iter().any(|x| x["id"] == id), "{}", found.text);
    // Village scope: Thôn 1 sees it, Thôn 2 does not; another commune does not.
    assert_eq!(app.get(&format!("/api/v1/activities/{id}"), Some(&thon1)).status, 200);
    let thon2 = app.login("thon2").token;
    assert_eq!(app.get(&format!("/api/v1/activities/{id}"), Some(&thon2)).status, 404);
    let other = app.second_commune().token;
    assert_eq!(app.get(&format!("/api/v1/activities/{id}"), Some(&other)).status, 404);
    assert_eq!(app.get(&format!("/api/v1/tasks/{}/activities", f.task), Some(&other)).status, 404);
    // Edit: the whole content is replaced, the photos stay.
    let r = app.send(
        "PUT",
        &format!("/api/v1/activities/{id}"),
        Some(&bdh),
        Some(json!({ "kind": "awareness", "title": "Tuyên truyền Luật Thực hiện dân chủ ở cơ sở", "held_on": day(-3),
                     "place": "Nhà văn hóa thôn 1", "channel": "loudspeaker", "participants": 120, "unit_ids": [t1] })),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!((r.body["participants"].as_i64(), r.body["task_id"].is_null()), (Some(120), true));
    assert_eq!(r.body["photos"].as_array().unwrap().len(), 1);
    // The audit says what the edit changed, each before → after, and nothing that stayed.
    let audit = app.get(&format!("/api/v1/audit?entity=activity&entity_id={id}&action=update"), Some(&admin));
    let said = audit.body["items"][0]["summary"].as_object().unwrap().clone();
    assert_eq!(said["channel"], json!(["meeting", "loudspeaker"]), "{}", audit.text);
    assert_eq!(said["groups_reached"], json!(["hội viên phụ nữ, đoàn viên", ""]), "{}", audit.text);
    assert_eq!(said["summary_changed"], true, "{}", audit.text);
    assert_eq!(said["unit_ids"].as_array().map(|p| p[1].clone()), Some(json!([t1])), "{}", audit.text);
    for same in ["kind", "title", "held_on", "place"] {
        assert!(!said.contains_key(same), "{same} did not change: {}", audit.text);
    }
    // The figures: activities and people reached, by village.
    let fig = app.get(&format!("/api/v1/democracy/figures?from={}&to={}", day(-5), day(0)), Some(&bdh));
    assert_eq!(fig.status, 200, "{}", fig.text);
    assert!(fig.body["activities"]["held"].as_i64().unwrap() >= 1, "{}", fig.text);
    let v1 = fig.body["activities"]["by_village"].as_array().unwrap().iter().find(|v| v["id"] == t1).cloned().unwrap();
    assert!(v1["people"].as_i64().unwrap() >= 120, "{v1}");
    assert_eq!(v1["label"], "Thôn 1");
}

pub fn current_area(app: &TestApp, token: &str) -> i64 {
    // The server picks the latest active plan among up to 200: read as many.
    let plans = app.get("/api/v1/plans?status=active&per_page=200", Some(token));
    let plan = plans.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .max_by_key(|p| (p["year"].as_i64().unwrap(), p["id"].as_i64().unwrap()))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let detail = app.get(&format!("/api/v1/plans/{plan}"), Some(token));
    detail.body["content_areas"][0]["id"].as_i64().unwrap()
}

fn meetings_decide_and_decisions_are_tracked_and_become_tasks(app: &TestApp) {
    let admin = app.login("admin").token;
    let ubnd_token = app.login("ubnd").token;
    let (ubnd, mttq, t1) = (app.unit_id(&admin, "UBND"), app.unit_id(&admin, "MTTQ"), app.unit_id(&admin, "T1"));
    let r = app.post(
        "/api/v1/meetings",
        Some(&ubnd_token),
        json!({ "held_on": day(-10), "place": "Phòng họp UBND", "chaired_by": "Chủ tịch UBND xã",
                "agenda": "Giao ban quý: công tác dân vận", "minutes": "Các đơn vị báo cáo…",
                "units": [{ "unit_id": ubnd, "attendees": 3 }, { "unit_id": mttq, "attendees": 2 }, { "unit_id": t1 }] }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let meeting = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["units"].as_array().unwrap().len(), 3);
    // A unit twice is a field error.
    let dup = app.post(
        "/api/v1/meetings",
        Some(&ubnd_token),
        json!({ "held_on": day(-1), "place": "x", "chaired_by": "x", "agenda": "x",
                "units": [{ "unit_id": ubnd }, { "unit_id": ubnd }] }),
    );
    assert_eq!((dup.status, dup.body["errors"][0]["field"].as_str()), (422, Some("units[1].unit_id")));
    let decide = |text: &str, owner: i64, due: i64| {
        let r = app.post(
            &format!("/api/v1/meetings/{meeting}/decisions"),
            Some(&ubnd_token),
            json!({ "text": text, "owner_unit_id": owner, "due_on": day(due) }),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        r.body["id"].as_i64().unwrap()
    };
    let late = decide("Thôn 1 họp dân phổ biến quy ước", t1, -2);
    let to_convert = decide("Mặt trận tổ chức hội nghị đối thoại", mttq, 40);
    let before = app.post(
        &format!("/api/v1/meetings/{meeting}/decisions"),
        Some(&ubnd_token),
        json!({ "text": "x", "owner_unit_id": t1, "due_on": day(-11) }),
    );
    assert_eq!(before.status, 422);
    // The overdue list.
    let overdue = app.get("/api/v1/decisions?overdue=true&per_page=200", Some(&ubnd_token));
    assert!(overdue.body["items"].as_array().unwrap().iter().any(|d| d["id"] == late), "{}", overdue.text);
    // Thôn 1 reports on its own decision (done, after its due day), with a photo as evidence.
    let thon1 = app.login("thon1").token;
    let r = app.post(
        &format!("/api/v1/decisions/{late}/reports"),
        Some(&thon1),
        json!({ "text": "Đã họp dân ngày hôm qua", "status": "done" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!((r.body["status"].as_str(), r.body["kept_on_time"].as_bool()), (Some("done"), Some(false)));
    let report = r.body["reports"][0]["id"].as_i64().unwrap();
    let (st, d) =
        post_form(app, &format!("/api/v1/decision-reports/{report}/files"), &thon1, &[("files", Some("hop.png"), PNG)]);
    assert_eq!(st, 201, "{d}");
    assert_eq!(d["reports"][0]["files"].as_array().unwrap().len(), 1);
    let (st, none) = post_form(app, &format!("/api/v1/decision-reports/{report}/files"), &thon1, &[]);
    assert_eq!((st, none["errors"][0]["field"].as_str()), (422, Some("files")), "{none}");
    let again = app.get(&format!("/api/v1/meetings/{meeting}"), Some(&ubnd_token));
    let kept = again.body["decisions"].as_array().unwrap().iter().find(|x| x["id"] == late).unwrap();
    assert_eq!(kept["reports"][0]["files"].as_array().map(Vec::len), Some(1), "{}", again.text);
    // Thôn 1 does not report on the Front's decision; Thôn 2 does not even see the meeting.
    let r = app.post(
        &format!("/api/v1/decisions/{to_convert}/reports"),
        Some(&thon1),
        json!({ "text": "x", "status": "done" }),
    );
    assert_eq!((r.status, r.code()), (409, "not_owner"));
    let thon2 = app.login("thon2").token;
    assert_eq!(app.get(&format!("/api/v1/meetings/{meeting}"), Some(&thon2)).status, 404);
    assert_eq!(app.get(&format!("/api/v1/meetings/{meeting}"), Some(&thon1)).status, 200);
    // A decision becomes a task of the current plan in one action, once, linked both ways.
    let area = current_area(app, &admin);
    let body = json!({ "content_area_id": area });
    assert_eq!(app.post(&format!("/api/v1/decisions/{to_convert}/task"), Some(&ubnd_token), body.clone()).status, 403);
    let bdh = app.login("bdh").token;
    let r = app.post(&format!("/api/v1/decisions/{to_convert}/task"), Some(&bdh), body.clone());
    assert_eq!(r.status, 200, "{}", r.text);
    let task = r.body["task_id"].as_i64().unwrap();
    let t = app.get(&format!("/api/v1/tasks/{task}"), Some(&bdh));
    assert_eq!((t.body["lead_unit_id"].as_i64(), t.body["due_date"].as_str()), (Some(mttq), Some(day(40).as_str())));
    assert!(t.body["description"].as_str().unwrap().contains("giao ban"), "{}", t.text);
    let back = app.get(&format!("/api/v1/decisions?task_id={task}"), Some(&bdh));
    assert_eq!(back.body["items"][0]["id"], to_convert, "{}", back.text);
    let again = app.post(&format!("/api/v1/decisions/{to_convert}/task"), Some(&bdh), body);
    assert_eq!((again.status, again.code()), (409, "already_a_task"));
    // The next meeting opens with the earlier decisions still open.
    let next = app.post(
        "/api/v1/meetings",
        Some(&ubnd_token),
        json!({ "held_on": day(0), "place": "Phòng họp UBND", "chaired_by": "Chủ tịch UBND xã", "agenda": "Giao ban tháng",
                "units": [{ "unit_id": ubnd }] }),
    );
    assert_eq!(next.status, 201, "{}", next.text);
    let open: Vec<&Value> = next.body["open_from_earlier"].as_array().unwrap().iter().collect();
    assert!(open.iter().any(|d| d["id"] == to_convert) && !open.iter().any(|d| d["id"] == late), "{}", next.text);
    // Search by agenda, diacritics ignored; another commune sees nothing.
    let found = app.get("/api/v1/meetings?q=cong%20tac%20dan%20van", Some(&bdh));
    assert!(found.body["items"].as_array().unwrap().iter().any(|m| m["id"] == meeting), "{}", found.text);
    let other = app.second_commune().token;
    assert_eq!(app.get(&format!("/api/v1/meetings/{meeting}"), Some(&other)).status, 404);
    // The figures: decisions due in the period and done on time.
    let fig = app.get(&format!("/api/v1/democracy/figures?from={}&to={}", day(-11), day(0)), Some(&bdh));
    assert!(fig.body["meetings"]["held"].as_i64().unwrap() >= 2, "{}", fig.text);
    assert!(fig.body["meetings"]["decisions_due"].as_i64().unwrap() >= 1);
}

fn boards_recommend_and_the_commune_responds(app: &TestApp) {
    let admin = app.login("admin").token;
    let mttq = app.login("mttq").token;
    let (ttnd, hnd, ubnd) = (app.unit_id(&admin, "TTND"), app.unit_id(&admin, "HND"), app.unit_id(&admin, "UBND"));
    let boards = app.get("/api/v1/community-boards", Some(&mttq));
    assert_eq!(boards.status, 200, "{}", boards.text);
    let kinds: Vec<&str> = boards.body.as_array().unwrap().iter().map(|b| b["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"inspection_board") && kinds.contains(&"investment_supervision_board"), "{kinds:?}");
    // Only a board records a supervision.
    let not_board = app.post(
        "/api/v1/supervisions",
        Some(&mttq),
        json!({ "board_unit_id": hnd, "held_on": day(-5), "subject": "x" }),
    );
    assert_eq!((not_board.status, not_board.body["errors"][0]["field"].as_str()), (422, Some("board_unit_id")));
    let r = app.post(
        "/api/v1/supervisions",
        Some(&mttq),
        json!({ "board_unit_id": ttnd, "held_on": day(-5), "subject": "Việc giải quyết thủ tục tại bộ phận một cửa",
                "findings": "Hai hồ sơ trả chậm không có thư xin lỗi",
                "recommendations": [{ "text": "Gửi thư xin lỗi khi trả hồ sơ chậm", "addressed_unit_id": ubnd },
                                    { "text": "Niêm yết số điện thoại đường dây nóng" }] }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let sup = r.body["id"].as_i64().unwrap();
    let recs = r.body["recommendations"].as_array().unwrap();
    assert_eq!(recs.len(), 2);
    assert_eq!(
        (recs[0]["status"].as_str(), recs[0]["addressed_unit_name"].as_str()),
        (Some("pending"), Some("UBND xã Bình Lương"))
    );
    let (first, second) = (recs[0]["id"].as_i64().unwrap(), recs[1]["id"].as_i64().unwrap());
    // A response needs an answer, on a day between the supervision and today.
    let ubnd_token = app.login("ubnd").token;
    let path = format!("/api/v1/recommendations/{first}/response");
    let r = app.send("PUT", &path, Some(&ubnd_token), Some(json!({ "status": "resolved" })));
    assert_eq!((r.status, r.body["errors"][0]["field"].as_str()), (422, Some("answer")));
    let r = app.send(
        "PUT",
        &path,
        Some(&ubnd_token),
        Some(json!({ "status": "resolved", "answer": "Đã gửi thư xin lỗi", "answered_on": day(-6) })),
    );
    assert_eq!((r.status, r.body["errors"][0]["field"].as_str()), (422, Some("answered_on")));
    let r = app.send(
        "PUT",
        &path,
        Some(&ubnd_token),
        Some(json!({ "status": "resolved", "answer": "Đã gửi thư xin lỗi" })),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!((r.body["status"].as_str(), r.body["answered_on"].as_str()), (Some("resolved"), Some(day(0).as_str())));
    // A village head reads, does not answer.
    let thon1 = app.login("thon1").token;
    assert_eq!(app.get(&format!("/api/v1/supervisions/{sup}"), Some(&thon1)).status, 200);
    assert_eq!(
        app.send(
            "PUT",
            &format!("/api/v1/recommendations/{second}/response"),
            Some(&thon1),
            Some(json!({ "status": "accepted", "answer": "x" }))
        )
        .status,
        403
    );
    let pending = app.get(&format!("/api/v1/recommendations?status=pending&board_unit_id={ttnd}"), Some(&thon1));
    let ids: Vec<i64> = pending.body["items"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert!(ids.contains(&second) && !ids.contains(&first), "{}", pending.text);
    // The board's counts and the figures.
    let b = app.get("/api/v1/community-boards", Some(&thon1));
    let board = b.body.as_array().unwrap().iter().find(|x| x["unit_id"] == ttnd).unwrap();
    assert!(board["pending"].as_i64().unwrap() >= 1 && board["supervisions"].as_i64().unwrap() >= 1, "{board}");
    let fig = app.get(&format!("/api/v1/democracy/figures?from={}&to={}", day(-6), day(0)), Some(&thon1));
    assert!(fig.body["boards"]["answered"].as_i64().unwrap() >= 1, "{}", fig.text);
    assert!(fig.body["boards"]["recommendations"].as_i64().unwrap() >= 2);
    let other = app.second_commune().token;
    assert_eq!(app.get(&format!("/api/v1/supervisions/{sup}"), Some(&other)).status, 404);
    assert_eq!(app.send("PUT", &path, Some(&other), Some(json!({ "status": "pending" }))).status, 404);
}

/// Posts a relay form with an optional `Idempotency-Key`; (status, replayed, body).
fn relay(
    app: &TestApp,
    token: &str,
    id: i64,
    key: Option<&str>,
    extra: &[(&str, Option<&str>, &[u8])],
) -> (u16, bool, Value) {
    let mut parts: Vec<(&str, Option<&str>, &[u8])> = vec![("note", None, "Đã đọc tại họp thôn".as_bytes())];
    parts.extend_from_slice(extra);
    let (ct, body) = multipart(&parts);
    let mut req = app
        .client
        .post(app.url(&format!("/api/v1/disclosures/{id}/relays")))
        .bearer_auth(token)
        .header("content-type", ct);
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    let r = req.body(body).send().expect("request");
    let replayed = r.headers().get("idempotent-replayed").is_some_and(|v| v == "true");
    let status = r.status().as_u16();
    (status, replayed, serde_json::from_slice(&r.bytes().unwrap_or_default()).unwrap_or(Value::Null))
}

fn a_village_relay_sent_twice_by_the_outbox_is_recorded_once(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let thon1 = app.login("thon1").token;
    // The shipped budget-execution item names the three periods the law discloses it for.
    let items = app.get("/api/v1/disclosure-items", Some(&bdh));
    let d03 = items.body.as_array().unwrap().iter().find(|i| i["code"] == "D11-03").cloned().unwrap();
    assert_eq!(d03["name"], "Tình hình thực hiện ngân sách xã (hằng quý, 6 tháng và cả năm)");
    let d = village_disclosure(app, &bdh, "Thông báo gửi lại", 2);
    let photo: (&str, Option<&str>, &[u8]) = ("files", Some("hop-thon.png"), PNG);
    let (st, replayed, first) = relay(app, &thon1, d, Some("relay-outbox-1"), &[photo]);
    assert_eq!((st, replayed), (201, false), "{first}");
    let (st, replayed, again) = relay(app, &thon1, d, Some("relay-outbox-1"), &[photo]);
    assert_eq!((st, replayed), (201, true), "{again}");
    assert_eq!(again["id"], first["id"]);
    // Without the key the second confirmation is refused, as before.
    let (st, _, no_key) = relay(app, &thon1, d, None, &[]);
    assert_eq!((st, no_key["code"].as_str()), (409, Some("already_relayed")));
    // The detail has one relay for Thôn 1, with one photo.
    let detail = app.get(&format!("/api/v1/disclosures/{d}"), Some(&bdh));
    let relays: Vec<&Value> =
        detail.body["villages"].as_array().unwrap().iter().filter(|v| !v["relay"].is_null()).collect();
    assert_eq!(relays.len(), 1, "{}", detail.text);
    assert_eq!(relays[0]["relay"]["photos"].as_array().unwrap().len(), 1);
    // The key may also come as a `client_id` part; a malformed key is a field error.
    let d2 = village_disclosure(app, &bdh, "Thông báo thứ hai", 1);
    let cid: (&str, Option<&str>, &[u8]) = ("client_id", None, b"phone-42:relay");
    let (a, _, x) = relay(app, &thon1, d2, None, &[cid]);
    let (b, replayed, y) = relay(app, &thon1, d2, None, &[cid]);
    assert_eq!((a, b, replayed, x["id"].clone()), (201, 201, true, y["id"].clone()));
    let (st, _, bad) = relay(app, &thon1, d2, Some("bad key!"), &[]);
    assert_eq!((st, bad["errors"][0]["field"].as_str()), (422, Some("Idempotency-Key")));
}

fn commitment_reports_carry_evidence_and_the_next_dialogue_shows_the_previous_ones(app: &TestApp) {
    let admin = app.login("admin").token;
    let bdh = app.login("bdh").token;
    let t3 = app.unit_id(&admin, "T3");
    let dialogue = |held: i64| {
        let r = app.post(
            "/api/v1/dialogues",
            Some(&bdh),
            json!({ "held_on": day(held), "place": "Nhà văn hóa thôn 3", "leaders": "Chủ tịch UBND xã",
                    "participants": 60, "village_ids": [t3], "topics": "Đường giao thông nông thôn" }),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        r.body["id"].as_i64().unwrap()
    };
    let first = dialogue(-30);
    let c = app.post(
        &format!("/api/v1/dialogues/{first}/commitments"),
        Some(&bdh),
        json!({ "text": "Sửa cầu tràn thôn 3", "owner_unit_id": t3, "due_on": day(-5) }),
    );
    let c = c.body["id"].as_i64().unwrap();
    let thon3 = app.login("thon3").token;
    let r = app.post(
        &format!("/api/v1/commitments/{c}/reports"),
        Some(&thon3),
        json!({ "text": "Đã sửa xong", "status": "done" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let report = r.body["reports"][0]["id"].as_i64().unwrap();
    // Evidence by the author; another village head may not add to it.
    let thon1 = app.login("thon1").token;
    let (st, _) =
        post_form(app, &format!("/api/v1/commitment-reports/{report}/files"), &thon1, &[("files", Some("a.png"), PNG)]);
    assert_eq!(st, 404);
    let (st, body) = post_form(
        app,
        &format!("/api/v1/commitment-reports/{report}/files"),
        &thon3,
        &[("files", Some("cau.png"), PNG)],
    );
    assert_eq!(st, 201, "{body}");
    let file = &body["reports"][0]["files"][0];
    assert_eq!(file["file_name"], "cau.png");
    assert_eq!(get_bytes(app, file["url"].as_str().unwrap(), Some(&bdh)), (200, PNG.to_vec()));
    // The next dialogue opens with every commitment of the previous one and its status.
    let second = dialogue(-1);
    let d = app.get(&format!("/api/v1/dialogues/{second}"), Some(&bdh));
    let prev = d.body["from_previous"].as_array().unwrap();
    let kept = prev.iter().find(|x| x["id"] == c).unwrap_or_else(|| panic!("{}", d.text));
    assert_eq!(kept["status"], "done");
    assert!(!d.body["open_from_earlier"].as_array().unwrap().iter().any(|x| x["id"] == c));
}

both_engines!(
    activities_are_recorded_listed_and_shown_on_their_task,
    meetings_decide_and_decisions_are_tracked_and_become_tasks,
    boards_recommend_and_the_commune_responds,
    a_village_relay_sent_twice_by_the_outbox_is_recorded_once,
    commitment_reports_carry_evidence_and_the_next_dialogue_shows_the_previous_ones,
);
