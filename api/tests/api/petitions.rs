//! Petitions and citizen reception: the lifecycle with its clocks, the village head's filing,
//! search, the denouncer's identity (confidentiality suite), extensions, the citizen's side,
//! reception sessions, visits and compliance, and the figures.

use serde_json::{Value, json};

use crate::both_engines;
use crate::harness::{TestApp, text_outside_generated};

const NAME: &str = "Lê Thị Bảo Mật";
const PHONE: &str = "0987654321";
const ID_NUMBER: &str = "038123456789";
const ADDRESS: &str = "Xóm Khe Bí Ẩn";

fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let r = app.post("/api/v1/petitions", Some(token), body);
    assert_eq!(r.status, 201, "{}", r.text);
    r.body
}

fn act(app: &TestApp, token: &str, id: i64, body: Value) -> crate::harness::Res {
    app.post(&format!("/api/v1/petitions/{id}/actions"), Some(token), body)
}

fn complaint(subject: &str) -> Value {
    json!({
        "kind": "complaint",
        "channel": "desk",
        "subject": subject,
        "content": "Ông khiếu nại quyết định thu hồi đất của UBND xã.",
        "petitioner_name": "Trần Văn Khiếu",
        "phone": "0912 345 678"
    })
}

fn denunciation() -> Value {
    json!({
        "kind": "denunciation",
        "channel": "post",
        "subject": "Tố cáo cán bộ thu tiền sai quy định",
        "content": "Người tố cáo cho biết cán bộ địa chính thu thêm tiền khi làm sổ đỏ.",
        "identity": {
            "name": NAME,
            "address": ADDRESS,
            "phone": PHONE,
            "id_number": ID_NUMBER,
            "attachments": [{ "file_name": "cccd.jpg", "content_base64": "aGVsbG8=" }]
        }
    })
}

fn user_id(app: &TestApp, admin: &str, username: &str) -> i64 {
    app.user_id(admin, username)
}

/// The demo's commune chairman (`chutich`, a board account the demo seed flags). Only admin
/// sets the flag, and only on a board account.
fn chairman(app: &TestApp) -> String {
    let admin = app.login("admin").token;
    let id = user_id(app, &admin, "chutich");
    let r =
        app.send("PUT", &format!("/api/v1/users/{id}/chairman"), Some(&admin), Some(json!({ "is_chairman": true })));
    assert_eq!(r.status, 200, "{}", r.text);
    // Only a board account can be the chairman.
    let ubnd = user_id(app, &admin, "ubnd");
    let r =
        app.send("PUT", &format!("/api/v1/users/{ubnd}/chairman"), Some(&admin), Some(json!({ "is_chairman": true })));
    assert_eq!((r.status, r.code()), (409, "not_board"));
    app.login("chutich").token
}

/// The demo marks its Chủ tịch UBND as the chairman: with nothing set by hand, the chairman
/// reads a denouncer's identity and another board member does not; without the flag, neither.
fn the_demo_chairman_reads_identities_a_board_member_does_not(app: &TestApp) {
    let ubnd = app.login("ubnd").token;
    let id = create(app, &ubnd, denunciation())["id"].as_i64().unwrap();
    let path = format!("/api/v1/petitions/{id}/identity?reason=Ch%E1%BB%A7%20t%E1%BB%8Bch%20xem");
    let chair = app.login("chutich");
    assert_eq!(chair.user["role"], "board");
    let d = app.get(&format!("/api/v1/petitions/{id}"), Some(&chair.token));
    assert_eq!(d.body["may_read_identity"], true, "{}", d.text);
    let r = app.get(&path, Some(&chair.token));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["name"], NAME);
    let bdh = app.login("bdh").token;
    assert_eq!(app.get(&format!("/api/v1/petitions/{id}"), Some(&bdh)).body["may_read_identity"], false);
    let r = app.get(&path, Some(&bdh));
    assert_eq!(r.status, 404);
    assert!(!r.text.contains(NAME));
    // The flag is the demo's, not the role's: cleared by admin, the chairman reads nothing.
    let admin = app.login("admin").token;
    let uid = chair.user["id"].as_i64().unwrap();
    let r =
        app.send("PUT", &format!("/api/v1/users/{uid}/chairman"), Some(&admin), Some(json!({ "is_chairman": false })));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(app.get(&path, Some(&chair.token)).status, 404);
}

fn lifecycle_with_clocks_and_events(app: &TestApp) {
    let ubnd = app.login("ubnd").token;
    let admin = app.login("admin").token;
    let p = create(app, &ubnd, complaint("Khiếu nại thu hồi đất"));
    let id = p["id"].as_i64().unwrap();
    assert!(p["code"].as_str().unwrap().starts_with("DT-"));
    assert_eq!(p["status"], "received");
    assert_eq!(p["due_clock"], "accept");
    let d = app.get(&format!("/api/v1/petitions/{id}"), Some(&ubnd)).body;
    assert_eq!(d["clocks"][0]["name"], "accept");
    assert_eq!(d["clocks"][0]["amount"], 10);
    assert_eq!(d["clocks"][0]["unit"], "calendar_days");
    assert_eq!(d["clocks"][0]["source"], "Luật Khiếu nại 2011, Điều 27");
    assert_eq!(d["clocks"][0]["state"], "running");
    // Illegal transitions are refused.
    let r = act(
        app,
        &ubnd,
        id,
        json!({ "action": "conclude", "outcome": "upheld", "conclusion": "x y z", "document_ref": "01/QĐ" }),
    );
    assert_eq!((r.status, r.code()), (409, "invalid_transition"));
    // A refusal needs its legal reason.
    let r = act(app, &ubnd, id, json!({ "action": "refuse" }));
    assert_eq!(r.status, 422);
    let r = act(app, &ubnd, id, json!({ "action": "accept", "complexity": 1 }));
    assert_eq!(r.status, 200, "{}", r.text);
    let settle = r.body["clocks"].as_array().unwrap().iter().find(|c| c["name"] == "settle").unwrap().clone();
    assert_eq!((settle["amount"].as_i64(), settle["rule"].as_str()), (Some(45), Some("settle_complex")));
    assert_eq!(r.body["clocks"][0]["state"], "met");
    // The remote-area flag lengthens the complaint clock (admin sets it).
    let r = app.send("PUT", "/api/v1/petitions/settings", Some(&admin), Some(json!({ "remote_area": true })));
    assert_eq!(r.status, 200, "{}", r.text);
    let handler = user_id(app, &admin, "ubnd");
    let r = act(app, &ubnd, id, json!({ "action": "assign", "handler_id": handler }));
    assert_eq!(r.status, 200, "{}", r.text);
    // The history keeps the handler's name as data; the audit log says who it went to.
    let ev = r.body["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (ev["action"].as_str(), ev["note"].as_str()),
        (Some("assign"), r.body["petition"]["handler_name"].as_str())
    );
    let log = app.get(&format!("/api/v1/audit?entity=petition&entity_id={id}&action=assign"), Some(&admin));
    assert_eq!(log.body["items"][0]["summary"]["handler_id"], json!([null, handler]), "{}", log.text);
    // An action the state does not allow is refused in words, not by its code.
    let refused = act(app, &ubnd, id, json!({ "action": "publish", "answer": "Trả lời" }));
    assert_eq!(refused.code(), "invalid_transition");
    assert!(refused.body["detail"].as_str().unwrap().contains("«Công khai trả lời»"), "{}", refused.text);
    let settle = r.body["clocks"].as_array().unwrap().iter().find(|c| c["name"] == "settle").unwrap().clone();
    assert_eq!((settle["amount"].as_i64(), settle["rule"].as_str()), (Some(60), Some("settle_remote_complex")));
    // A village head cannot be a handler.
    let thon1 = user_id(app, &admin, "thon1");
    assert_eq!(act(app, &ubnd, id, json!({ "action": "assign", "handler_id": thon1 })).status, 422);
    assert_eq!(act(app, &ubnd, id, json!({ "action": "start_investigation" })).status, 200);
    let codes = |path: &str| -> Vec<i64> {
        let r = app.get(path, Some(&ubnd));
        assert_eq!(r.status, 200, "{}", r.text);
        r.body["items"].as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect()
    };
    assert!(codes("/api/v1/petitions?view=mine&per_page=200").contains(&id), "assigned and open: the handler's work");
    // Asking for information pauses the clock, visibly; nothing moves until the answer.
    let r = act(app, &ubnd, id, json!({ "action": "request_info", "note": "Đề nghị bổ sung giấy tờ đất" }));
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.body["petition"]["paused_since"].is_string());
    let settle = r.body["clocks"].as_array().unwrap().iter().find(|c| c["name"] == "settle").unwrap().clone();
    assert_eq!(settle["state"], "paused");
    let concl = json!({ "action": "conclude", "outcome": "partly", "conclusion": "Khiếu nại đúng một phần.", "document_ref": "12/QĐ-UBND" });
    assert_eq!(act(app, &ubnd, id, concl.clone()).code(), "invalid_transition");
    assert_eq!(act(app, &ubnd, id, json!({ "action": "receive_info" })).status, 200);
    let r = act(app, &ubnd, id, concl);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["petition"]["outcome"], "partly");
    assert_eq!(r.body["petition"]["on_time"], true);
    // The log says the outcome and the decision's number with the change of status, and never
    // the conclusion's text (the petition's content).
    let audit = app
        .get(&format!("/api/v1/audit?entity=petition&entity_id={id}&action=conclude"), Some(&app.login("admin").token));
    let said = &audit.body["items"][0]["summary"];
    assert_eq!(
        (said["outcome"].as_str(), said["document_ref"].as_str()),
        (Some("partly"), Some("12/QĐ-UBND")),
        "{}",
        audit.text
    );
    assert!(said["from"].is_string() && said["to"].is_string(), "{}", audit.text);
    assert!(!audit.text.contains("Khiếu nại đúng một phần"), "{}", audit.text);
    assert_eq!(
        act(app, &ubnd, id, json!({ "action": "notify", "answer": "Đã gửi quyết định giải quyết." })).status,
        200
    );
    let r = act(app, &ubnd, id, json!({ "action": "close" }));
    assert_eq!(r.body["petition"]["status"], "closed");
    let actions: Vec<&str> =
        r.body["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "receive",
            "accept",
            "assign",
            "start_investigation",
            "request_info",
            "receive_info",
            "conclude",
            "notify",
            "close"
        ]
    );
    assert!(r.body["events"].as_array().unwrap().iter().all(|e| e["actor_name"].is_string() && e["at"].is_string()));
    assert_eq!(act(app, &ubnd, id, json!({ "action": "withdraw" })).code(), "invalid_transition");
    // Closed, it leaves the handler's work; asked for by its status, it is still theirs.
    assert!(!codes("/api/v1/petitions?view=mine&per_page=200").contains(&id));
    assert!(codes("/api/v1/petitions?view=mine&status=closed&per_page=200").contains(&id));
    // Printed documents: acceptance (with the commune header), and none for a step not taken.
    let r = app.get(&format!("/api/v1/petitions/{id}/documents/acceptance"), Some(&ubnd));
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.body["header"]["issuer"].as_str().unwrap().contains("BÌNH LƯƠNG"));
    // Its number is the paper's own, to fill in by hand — not the tracking code — and the date
    // is written as Decree 30 writes it.
    assert_eq!(r.body["number"], "…/TB-UBND");
    assert!(regex_lite_date(r.body["header"]["place_date"].as_str().unwrap()), "{}", r.text);
    let r = app.get(&format!("/api/v1/petitions/{id}/documents/refusal"), Some(&ubnd));
    assert_eq!((r.status, r.code()), (409, "document_not_applicable"));
    // Another commune does not see it.
    let admin2 = app.second_commune().token;
    assert_eq!(app.get(&format!("/api/v1/petitions/{id}"), Some(&admin2)).status, 403);
}

fn village_head_files_and_roles_see_what_they_may(app: &TestApp) {
    let thon1 = app.login("thon1");
    // A phone that is not one is refused, under its field; a denouncer's too.
    let board = app.login("bdh").token;
    for (who, field, body) in [
        (
            &thon1.token,
            "phone",
            json!({ "kind": "feedback", "channel": "desk", "subject": "Đèn đường hỏng", "content": "Đèn đường xóm 3 hỏng.", "petitioner_name": "Hà Văn Dân", "phone": "12ab" }),
        ),
        (
            &thon1.token,
            "phone",
            json!({ "kind": "feedback", "channel": "desk", "subject": "Đèn đường hỏng", "content": "Đèn đường xóm 3 hỏng.", "petitioner_name": "Hà Văn Dân", "phone": "123" }),
        ),
        (
            &board,
            "identity.phone",
            json!({ "kind": "denunciation", "channel": "desk", "subject": "Tố cáo", "content": "Nội dung tố cáo.", "identity": { "name": "Người tố cáo", "phone": "gọi sau" } }),
        ),
    ] {
        let r = app.post("/api/v1/petitions", Some(who), body);
        assert_eq!(r.status, 422, "{field}: {}", r.text);
        assert_eq!(r.body["errors"][0]["field"], field, "{}", r.text);
        assert_eq!(r.body["errors"][0]["code"], "invalid_format");
    }
    let r = app.post(
        "/api/v1/petitions",
        Some(&thon1.token),
        json!({ "kind": "feedback", "channel": "desk", "subject": "Đèn đường hỏng", "content": "Đèn đường xóm 3 hỏng đã hai tuần.", "petitioner_name": "Hà Văn Dân", "phone": "0911222333" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["channel"], "village", "a village head files on a villager's behalf");
    assert_eq!(r.body["village_unit_id"], thon1.user["unit_id"]);
    assert_eq!(app.get("/api/v1/petitions", Some(&thon1.token)).status, 403);
    let mttq = app.login("mttq").token;
    assert_eq!(app.get("/api/v1/petitions/summary", Some(&mttq)).status, 200);
    assert_eq!(app.get("/api/v1/petitions", Some(&mttq)).status, 403);
    assert_eq!(app.post("/api/v1/petitions", Some(&mttq), complaint("x y z")).status, 403);
    let bdh = app.login("bdh").token;
    let list = app.get("/api/v1/petitions?view=open", Some(&bdh));
    assert_eq!(list.status, 200);
    assert!(list.body["items"].as_array().unwrap().iter().any(|p| p["id"] == r.body["id"]));
}

fn search_is_diacritic_insensitive_with_views(app: &TestApp) {
    let ubnd = app.login("ubnd").token;
    create(
        app,
        &ubnd,
        json!({ "kind": "recommendation", "channel": "online", "subject": "Cống thoát nước bản Pù Quăn tắc", "content": "Mùa mưa cống tắc, nước tràn vào nhà.", "petitioner_name": "Vi Văn Đường", "phone": "0911000111" }),
    );
    let r = app.get("/api/v1/petitions?q=cong%20thoat%20nuoc%20ban%20pu%20quan", Some(&ubnd));
    assert_eq!(r.body["total"], 1, "{}", r.text);
    assert_eq!(app.get("/api/v1/petitions?q=pu%20quan&kind=complaint", Some(&ubnd)).body["total"], 0);
    // A complaint received 12 working days ago is overdue for acceptance (10 days, the last one
    // moved to the next working day when it is off); one received now is not.
    let overdue = || app.get("/api/v1/petitions?view=overdue&per_page=200", Some(&ubnd)).body;
    let before = overdue()["total"].as_i64().unwrap();
    let fresh = create(app, &ubnd, complaint("Khiếu nại mới"));
    let mut old = complaint("Khiếu nại cũ");
    old["received_at"] = json!(app.working_days_ago_at_nine(12));
    let p = create(app, &ubnd, old);
    let r = overdue();
    assert_eq!(r["total"].as_i64().unwrap(), before + 1, "{r}");
    let row = r["items"].as_array().unwrap().iter().find(|x| x["id"] == p["id"]).expect("listed overdue").clone();
    assert_eq!(row["overdue"], true);
    assert!(r["items"].as_array().unwrap().iter().all(|x| x["id"] != fresh["id"]));
}

/// The denouncer's identity reaches only its handler and the chairman, with a reason, audited;
/// nothing else ever contains it.
fn denouncer_identity_is_confidential(app: &TestApp) {
    let ubnd = app.login("ubnd").token;
    let admin = app.login("admin").token;
    let secrets = [NAME, PHONE, ID_NUMBER, ADDRESS, "Bảo Mật", "0987654321", "cccd.jpg"];
    let clean = |what: &str, text: &str| {
        for s in secrets {
            assert!(!text.contains(s), "{what} contains {s}: {text}");
        }
    };
    let r = app.post("/api/v1/petitions", Some(&ubnd), denunciation());
    assert_eq!(r.status, 201, "{}", r.text);
    clean("the creation answer", &r.text);
    assert_eq!(r.body["identity_sealed"], true);
    assert!(r.body["petitioner_name"].is_null());
    let id = r.body["id"].as_i64().unwrap();
    // A denunciation without an identity, or with a name in the open field, is refused —
    // without repeating what was typed.
    let mut bad = denunciation();
    bad["petitioner_name"] = json!(NAME);
    let r = app.post("/api/v1/petitions", Some(&ubnd), bad);
    assert_eq!(r.status, 422);
    clean("a validation error", &r.text);
    let mut bad = denunciation();
    bad["identity"]["name"] = json!(NAME.repeat(30));
    let r = app.post("/api/v1/petitions", Some(&ubnd), bad);
    assert_eq!(r.status, 422);
    clean("a validation error", &r.text);

    // Search by the denouncer's name, phone, id number finds nothing.
    for q in ["le thi bao mat", "Bảo Mật", "0987654321", "038123456789"] {
        let r = app.get(&format!("/api/v1/petitions?q={}", urlencode(q)), Some(&ubnd));
        assert_eq!(r.body["total"], 0, "search {q}: {}", r.text);
    }
    // The board, lists, the detail, the register, the documents: no identity.
    let bdh = app.login("bdh").token;
    for (who, token) in [("ubnd", &ubnd), ("bdh", &bdh)] {
        let d = app.get(&format!("/api/v1/petitions/{id}"), Some(token));
        assert_eq!(d.status, 200);
        clean(who, &d.text);
        assert_eq!(d.body["may_read_identity"], false, "{who} is neither handler nor chairman");
        clean("list", &app.get("/api/v1/petitions", Some(token)).text);
        clean("register", &app.get("/api/v1/petitions/register", Some(token)).text);
    }
    let handler = user_id(app, &admin, "ubnd");
    assert_eq!(act(app, &bdh, id, json!({ "action": "accept", "complexity": 1 })).status, 200);
    let doc = app.get(&format!("/api/v1/petitions/{id}/documents/acceptance"), Some(&ubnd));
    assert_eq!(doc.status, 200);
    clean("the acceptance notice", &doc.text);
    assert_eq!(doc.body["petitioner"], "(được giữ bí mật)");

    // Not the handler yet, not the chairman: 404 for the identity, whatever the role — with or
    // without a reason (a missing reason is not a way to learn the petition exists).
    let path = format!("/api/v1/petitions/{id}/identity?reason=Xac%20minh%20noi%20dung");
    assert_eq!(app.get(&path, Some(&ubnd)).status, 404);
    assert_eq!(app.get(&path, Some(&bdh)).status, 404);
    assert_eq!(app.get(&format!("/api/v1/petitions/{id}/identity"), Some(&bdh)).status, 404);
    for user in ["admin", "mttq", "thon1", "tinh"] {
        let t = app.login(user).token;
        let r = app.get(&path, Some(&t));
        assert_eq!(r.status, 403, "{user}");
        clean(user, &r.text);
    }
    // The chairman reads it, with a reason.
    let chair = chairman(app);
    assert_eq!(app.get(&format!("/api/v1/petitions/{id}/identity"), Some(&chair)).status, 422, "a reason is required");
    let r = app.get(&path, Some(&chair));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["name"], NAME);
    assert_eq!(r.body["id_number"], ID_NUMBER);
    assert_eq!(r.body["attachments"][0]["file_name"], "cccd.jpg");
    assert_eq!(r.headers.get("cache-control").unwrap(), "no-store");
    let d = app.get(&format!("/api/v1/petitions/{id}"), Some(&chair));
    assert_eq!(d.body["may_read_identity"], true);
    clean("the chairman's detail view", &d.text);
    // Once assigned, the handler reads it too.
    assert_eq!(act(app, &bdh, id, json!({ "action": "assign", "handler_id": handler })).status, 200);
    assert_eq!(app.get(&path, Some(&ubnd)).status, 200);
    assert_eq!(app.get(&path, Some(&bdh)).status, 404);

    // The audit log: every read recorded with its reason, no identity anywhere.
    let audit = app.get("/api/v1/audit?per_page=200", Some(&admin));
    assert_eq!(audit.status, 200);
    clean("the audit log", &audit.text);
    let reads: Vec<&Value> =
        audit.body["items"].as_array().unwrap().iter().filter(|e| e["action"] == "read_identity").collect();
    assert_eq!(reads.len(), 2, "{}", audit.text);
    assert!(reads.iter().all(|e| e.to_string().contains("Xac minh noi dung")));

    // At rest: the sealed text holds none of it, and the key is not in the database.
    use diesel::prelude::*;
    use thanthien::db::schema::{petition_identities, petitions};
    let mut c = app.conn();
    let sealed: String =
        petition_identities::table.find(id).select(petition_identities::sealed).first(&mut *c).unwrap();
    clean("the sealed text", &sealed);
    let rows: Vec<(String, String, Option<String>, String)> = petitions::table
        .select((petitions::content, petitions::search, petitions::petitioner_name, petitions::phone_digits))
        .load(&mut *c)
        .unwrap();
    clean("the petitions table", &format!("{rows:?}"));
    let key = std::fs::read_to_string(app.data_dir.join("identity-key")).unwrap();
    assert!(!sealed.contains(key.trim()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(app.data_dir.join("identity-key")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Oversight's figures: counts only.
    let tinh = app.login("tinh").token;
    let f = app.get("/api/v1/petitions/figures", Some(&tinh));
    assert_eq!(f.status, 200, "{}", f.text);
    clean("oversight's figures", &f.text);
    assert!(!f.text.contains("Tố cáo cán bộ"), "no content for oversight");
    let den = f.body["by_kind"].as_array().unwrap().iter().find(|k| k["kind"] == "denunciation").unwrap().clone();
    assert!(den["received"].as_i64().unwrap() >= 1);
    // The same figures commune by commune, in one request, in the order the province lists its
    // communes; they add up to the whole.
    let each = app.get("/api/v1/petitions/figures/by-commune", Some(&tinh));
    assert_eq!(each.status, 200, "{}", each.text);
    clean("oversight's figures by commune", &each.text);
    let lines = each.body.as_array().unwrap();
    let communes = app.get("/api/v1/communes", Some(&tinh));
    let ids: Vec<&Value> = communes.body.as_array().unwrap().iter().map(|c| &c["id"]).collect();
    assert_eq!(lines.iter().map(|l| &l["commune_id"]).collect::<Vec<_>>(), ids, "{}", each.text);
    assert!(lines.iter().all(|l| l["figures"]["communes"] == 1 && l["figures"]["from"] == f.body["from"]));
    let sum = |field: &str| -> i64 { lines.iter().map(|l| l["figures"][field].as_i64().unwrap()).sum() };
    assert_eq!(sum("sessions_required"), f.body["sessions_required"].as_i64().unwrap());
    assert_eq!(sum("sessions_held"), f.body["sessions_held"].as_i64().unwrap());
    for (i, total) in f.body["by_kind"].as_array().unwrap().iter().enumerate() {
        for field in ["received", "accepted", "settled", "settled_on_time", "overdue_open"] {
            let parts: i64 = lines.iter().map(|l| l["figures"]["by_kind"][i][field].as_i64().unwrap()).sum();
            assert_eq!(parts, total[field].as_i64().unwrap(), "{} {field}", total["kind"]);
        }
    }
    let one = app.get(&format!("/api/v1/petitions/figures/by-commune?commune_id={}", ids[0]), Some(&tinh));
    assert_eq!(one.body.as_array().map(Vec::len), Some(1), "{}", one.text);
    assert_eq!(app.get("/api/v1/petitions/figures/by-commune?from=2026-05-01&to=2026-04-01", Some(&tinh)).status, 422);
    // On time is counted among the settled petitions that have a legal time limit.
    for k in f.body["by_kind"].as_array().unwrap() {
        let n = |f: &str| k[f].as_i64().unwrap();
        assert!(
            n("settled_on_time") <= n("settled_with_time_limit") && n("settled_with_time_limit") <= n("settled"),
            "{k}"
        );
    }
}

/// "Bình Lương, ngày 07 tháng 12 năm 2026": two digits for a day below 10, and for January and
/// February (Nghị định 30/2020/NĐ-CP).
fn regex_lite_date(text: &str) -> bool {
    let Some(rest) = text.split(", ngày ").nth(1) else { return false };
    let parts: Vec<&str> = rest.split(' ').collect();
    let (day, month) = (parts.first().copied().unwrap_or(""), parts.get(2).copied().unwrap_or(""));
    let m: u32 = month.parse().unwrap_or(0);
    day.len() == 2 && parts.get(1) == Some(&"tháng") && (if m < 3 { month.len() == 2 } else { !month.starts_with('0') })
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

fn denunciation_extensions_follow_the_law(app: &TestApp) {
    let ubnd = app.login("ubnd").token;
    let admin = app.login("admin").token;
    let handler = user_id(app, &admin, "ubnd");
    let start = |complexity: i64| {
        let id = create(app, &ubnd, denunciation())["id"].as_i64().unwrap();
        assert_eq!(act(app, &ubnd, id, json!({ "action": "accept", "complexity": complexity })).status, 200);
        assert_eq!(act(app, &ubnd, id, json!({ "action": "assign", "handler_id": handler })).status, 200);
        id
    };
    let today = thanthien::time::today_local();
    let ext =
        |days: i64| json!({ "action": "extend", "decision_date": today, "days": days, "document_ref": "05/QĐ-UBND" });
    // Not complex: no extension.
    let id = start(0);
    assert_eq!(act(app, &ubnd, id, ext(30)).code(), "extension_not_allowed");
    // Complex: once, at most 30 days.
    let id = start(1);
    assert_eq!(act(app, &ubnd, id, ext(31)).code(), "extension_too_long");
    let r = act(app, &ubnd, id, ext(30));
    assert_eq!(r.status, 200, "{}", r.text);
    let settle = r.body["clocks"].as_array().unwrap().iter().find(|c| c["name"] == "settle").unwrap().clone();
    assert_eq!((settle["amount"].as_i64(), settle["extended_days"].as_i64()), (Some(60), Some(30)));
    let e = r.body["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((e["decision_date"].as_str(), e["days"].as_i64()), (Some(today.to_string().as_str()), Some(30)));
    // The audit entry says what was decided.
    let log = app.get(&format!("/api/v1/audit?entity=petition&entity_id={id}&action=extend"), Some(&admin));
    let summary = &log.body["items"][0]["summary"];
    assert_eq!(
        (summary["days"].as_i64(), summary["decision_date"].as_str()),
        (Some(30), Some(today.to_string().as_str()))
    );
    assert_eq!(act(app, &ubnd, id, ext(30)).code(), "extension_limit");
    // Very complex: twice, 90 days in all.
    let id = start(2);
    assert_eq!(act(app, &ubnd, id, ext(30)).status, 200);
    assert_eq!(act(app, &ubnd, id, ext(30)).status, 200);
    assert_eq!(act(app, &ubnd, id, ext(10)).code(), "extension_limit");
    let r = app.get(&format!("/api/v1/petitions/{id}/documents/extension"), Some(&ubnd));
    assert_eq!(r.status, 200, "{}", r.text);
    // The decision carries its own number and says the new time limit: 30 + 30 + 30 days.
    assert_eq!(r.body["number"], "05/QĐ-UBND");
    let detail = app.get(&format!("/api/v1/petitions/{id}"), Some(&ubnd));
    let settle = detail.body["clocks"].as_array().unwrap().iter().find(|c| c["name"] == "settle").unwrap().clone();
    let due = chrono::DateTime::parse_from_rfc3339(settle["due_at"].as_str().unwrap()).unwrap().date_naive();
    let last = r.body["body"].as_array().unwrap().last().unwrap().as_str().unwrap().to_string();
    assert_eq!(last, format!("Thời hạn giải quyết tố cáo sau khi gia hạn: đến ngày {}.", due.format("%d/%m/%Y")));
    // A decision date is required, on or after the acceptance and not in the future; an extension
    // is at least a day; every missing or wrong field is said at once.
    let id = start(1);
    assert_eq!(act(app, &ubnd, id, json!({ "action": "extend", "days": 10, "document_ref": "x1" })).status, 422);
    let fields = |r: crate::harness::Res| -> Vec<(String, String)> {
        assert_eq!(r.status, 422, "{}", r.text);
        r.field_errors()
    };
    let dated = |date: chrono::NaiveDate, days: i64, doc: &str| json!({ "action": "extend", "decision_date": date, "days": days, "document_ref": doc });
    let day = chrono::Days::new(1);
    assert_eq!(
        fields(act(app, &ubnd, id, dated(today - day, 10, "05/QĐ"))),
        [("decision_date".into(), "before_start".into())]
    );
    assert_eq!(
        fields(act(app, &ubnd, id, dated(today + day, 10, "05/QĐ"))),
        [("decision_date".into(), "in_future".into())]
    );
    assert_eq!(
        fields(act(app, &ubnd, id, dated(today, 0, ""))),
        [("document_ref".into(), "required".into()), ("days".into(), "invalid_value".into())]
    );
    assert_eq!(act(app, &ubnd, id, dated(today, 10, "05/QĐ")).status, 200);
    // Accepted on paper before it is entered: the day it was, between the receipt and today;
    // the settling clock counts from it.
    let mut late = complaint("Khiếu nại nhập muộn");
    late["received_at"] = json!((chrono::Utc::now() - chrono::Duration::days(5)).to_rfc3339());
    let id = create(app, &ubnd, late)["id"].as_i64().unwrap();
    let on = |date: chrono::NaiveDate| json!({ "action": "accept", "decision_date": date });
    assert_eq!(
        fields(act(app, &ubnd, id, on(today - chrono::Days::new(6)))),
        [("decision_date".into(), "before_start".into())]
    );
    assert_eq!(
        fields(act(app, &ubnd, id, on(today + chrono::Days::new(1)))),
        [("decision_date".into(), "in_future".into())]
    );
    let r = act(app, &ubnd, id, on(today - chrono::Days::new(3)));
    assert_eq!(r.status, 200, "{}", r.text);
    let accepted = r.body["petition"]["accepted_at"].as_str().unwrap();
    assert_eq!(&accepted[..10], (today - chrono::Days::new(3)).to_string());
    let settle = r.body["clocks"].as_array().unwrap().iter().find(|c| c["name"] == "settle").unwrap().clone();
    assert_eq!(&settle["start"].as_str().unwrap()[..10], (today - chrono::Days::new(3)).to_string());
    assert_eq!(r.body["clocks"][0]["state"], "met", "accepted within its ten days");
    // Complaints are not extended this way.
    let c = create(app, &ubnd, complaint("Khiếu nại"))["id"].as_i64().unwrap();
    act(app, &ubnd, c, json!({ "action": "accept" }));
    assert_eq!(act(app, &ubnd, c, ext(10)).code(), "invalid_transition");
}

fn citizens_submit_and_look_up(app: &TestApp) {
    let ubnd = app.login("ubnd");
    let commune = ubnd.user["commune_id"].as_i64().unwrap();
    let body = json!({ "kind": "feedback", "subject": "Rác thải ven suối", "content": "Rác đổ ven suối Khe Rồng.", "name": "Lương Thị Dân", "phone": "0977 111 222" });
    let r = app.post(&format!("/api/v1/public/communes/{commune}/petitions"), None, body.clone());
    assert_eq!(r.status, 201, "{}", r.text);
    let code = r.body["code"].as_str().unwrap().to_string();
    // Only recommendations and feedback come this way.
    let mut bad = body.clone();
    bad["kind"] = json!("denunciation");
    assert_eq!(app.post(&format!("/api/v1/public/communes/{commune}/petitions"), None, bad).status, 422);
    assert_eq!(app.post("/api/v1/public/communes/999999/petitions", None, body).status, 404);
    let r = app.get(&format!("/api/v1/public/petitions/{code}?phone_last4=1222"), None);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "received");
    let shown = text_outside_generated(&r.body);
    for s in ["Lương Thị Dân", "0977", "111 222"] {
        assert!(!shown.contains(s), "the lookup shows no personal data: {}", r.text);
    }
    assert_eq!(app.get(&format!("/api/v1/public/petitions/{code}?phone_last4=0000"), None).status, 404);
    assert_eq!(app.get("/api/v1/public/petitions/DT-000000-0000?phone_last4=1222", None).status, 404);
    // The staff handle it and publish the answer: the lookup and the public list show it.
    let id =
        app.get(&format!("/api/v1/petitions?q={code}"), Some(&ubnd.token)).body["items"][0]["id"].as_i64().unwrap();
    let handler = ubnd.user["id"].as_i64().unwrap();
    for b in [
        json!({ "action": "accept" }),
        json!({ "action": "assign", "handler_id": handler }),
        json!({ "action": "conclude", "outcome": "upheld", "conclusion": "Đã thu gom rác.", "document_ref": "CV 10/UBND" }),
        json!({ "action": "publish", "answer": "UBND xã đã thu gom rác ven suối." }),
    ] {
        let r = act(app, &ubnd.token, id, b);
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let r = app.get(&format!("/api/v1/public/petitions/{code}?phone_last4=1222"), None);
    assert_eq!(r.body["answer"], "UBND xã đã thu gom rác ven suối.");
    let list = app.get(&format!("/api/v1/public/communes/{commune}/petitions/answered"), None);
    assert_eq!(list.status, 200);
    assert!(list.body["items"].as_array().unwrap().iter().any(|a| a["code"] == code.as_str()));
    assert!(!list.text.contains("Lương Thị Dân"));
    // 766 rows 5.2 and 5.3 now have data: handled on time, and not disliked, overdue or repeated.
    let today = thanthien::time::today_local();
    let idx = app.get(&format!("/api/v1/onestop/index766?from={today}&to={today}"), Some(&ubnd.token));
    assert_eq!(idx.status, 200, "{}", idx.text);
    for code in ["5.2", "5.3"] {
        let row = idx.body["indicators"].as_array().unwrap().iter().find(|i| i["code"] == code).unwrap().clone();
        assert_eq!(row["applicable"], true, "{code}: {row}");
        assert_eq!((row["numerator"].as_i64(), row["denominator"].as_i64()), (Some(1), Some(1)), "{code}");
    }
    // The petitioner disliked the handling: 5.3 drops, 5.2 stays. (A rating typed wrong first
    // is corrected, and the history and the audit log say what it replaced.)
    assert_eq!(act(app, &ubnd.token, id, json!({ "action": "record_rating", "rating": "like" })).status, 200);
    let r = act(app, &ubnd.token, id, json!({ "action": "record_rating", "rating": "dislike" }));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["events"].as_array().unwrap().last().unwrap()["note"], "like → dislike");
    let admin = app.login("admin").token;
    let log = app.get(&format!("/api/v1/audit?entity=petition&entity_id={id}&action=record_rating"), Some(&admin));
    assert_eq!(log.body["items"][0]["summary"]["rating"], json!(["like", "dislike"]), "{}", log.text);
    let idx = app.get(&format!("/api/v1/onestop/index766?from={today}&to={today}"), Some(&ubnd.token));
    let row =
        |code: &str| idx.body["indicators"].as_array().unwrap().iter().find(|i| i["code"] == code).unwrap().clone();
    assert_eq!(row("5.2")["numerator"], 1);
    assert_eq!(row("5.3")["numerator"], 0);
    // Once the petition is closed, the recorded word stands.
    assert_eq!(act(app, &ubnd.token, id, json!({ "action": "close" })).status, 200);
    let r = act(app, &ubnd.token, id, json!({ "action": "record_rating", "rating": "like" }));
    assert_eq!((r.status, r.code()), (409, "rating_locked"), "{}", r.text);
    // Wrong digits lock the code's lookup, like a dossier's (10 in an hour).
    for _ in 0..10 {
        app.get(&format!("/api/v1/public/petitions/{code}?phone_last4=9999"), None);
    }
    let r = app.get(&format!("/api/v1/public/petitions/{code}?phone_last4=1222"), None);
    assert_eq!((r.status, r.code()), (429, "rate_limited"));
}

fn reception_sessions_visits_and_compliance(app: &TestApp) {
    let bdh = app.login("bdh");
    let commune = bdh.user["commune_id"].as_i64().unwrap();
    let with = |starts: &str, kind: &str, title: &str, delegated: bool, status: &str| json!({ "kind": kind, "starts_at": starts, "place": "Trụ sở UBND xã Bình Lương", "leader_name": "Lò Văn Hùng", "leader_title": title, "delegated": delegated, "status": status });
    let deputy = |starts: &str, delegated: bool| with(starts, "regular", "Phó Chủ tịch UBND xã", delegated, "held");
    let chairman = |starts: &str| with(starts, "regular", "Chủ tịch UBND xã", false, "held");
    let post = |body: Value| app.post("/api/v1/reception/sessions", Some(&bdh.token), body);
    // Delegated before 01/07/2026: recorded; after: refused — also when the box is left unticked
    // but a deputy chairman led it (that is what delegation is).
    let r = post(deputy("2026-06-15T08:00:00+07:00", true));
    assert_eq!(r.status, 201, "{}", r.text);
    let r = post(deputy("2026-06-22T08:00:00+07:00", false));
    assert_eq!((r.status, r.body["delegated"].as_bool()), (201, Some(true)), "{}", r.text);
    let r = post(deputy("2026-07-06T08:00:00+07:00", true));
    assert_eq!((r.status, r.code()), (409, "not_delegable"));
    let r = post(deputy("2026-07-06T08:00:00+07:00", false));
    assert_eq!((r.status, r.code()), (409, "not_delegable"));
    // A regular session is on a working day of the commune's calendar (02/09 is Quốc khánh);
    // reception on a day off is an ad-hoc session.
    let r = post(chairman("2026-09-02T08:00:00+07:00"));
    assert_eq!(r.field_errors(), [("starts_at".to_string(), "day_off".to_string())], "{}", r.text);
    let r = post(with("2026-09-02T08:00:00+07:00", "adhoc", "Chủ tịch UBND xã", false, "held"));
    assert_eq!(r.status, 201, "{}", r.text);
    // A session that has not begun cannot have been held.
    let later = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    let r = post(chairman(&later));
    assert_eq!(r.field_errors(), [("status".to_string(), "in_future".to_string())], "{}", r.text);
    assert_eq!(post(with(&later, "regular", "Chủ tịch UBND xã", false, "planned")).status, 201);
    // Two sessions three weeks apart, before the demo's year: the first Monday of the window
    // that is a working day (moving a week on, should a holiday fall on it).
    use chrono::Datelike;
    let first = days_before_the_demo_year(398);
    let mut monday = first + chrono::Days::new(u64::from((7 - first.weekday().num_days_from_monday()) % 7));
    let at = |d: chrono::NaiveDate, hm: &str| format!("{d}T{hm}:00+07:00");
    let (sid, last) = loop {
        let (a, b) =
            (post(chairman(&at(monday, "08:00"))), post(chairman(&at(monday + chrono::Days::new(21), "08:00"))));
        if a.status == 201 && b.status == 201 {
            break (a.body["id"].as_i64().unwrap(), monday + chrono::Days::new(21));
        }
        assert!(monday < first + chrono::Days::new(2), "{} {}", a.text, b.text);
        monday = monday + chrono::Days::new(7);
    };
    // A visit is recorded on its session's day, not another, and not later than now.
    let visit = |at: &str| json!({ "at": at, "receiver_name": "Chủ tịch UBND xã", "citizen_names": "Lò Thị B", "group_size": 1, "content": "Hỏi về trợ cấp.", "classification": "other", "handling": "answered" });
    let r = app.post(
        &format!("/api/v1/reception/sessions/{sid}/visits"),
        Some(&bdh.token),
        visit(&at(monday + chrono::Days::new(1), "08:30")),
    );
    assert_eq!(r.field_errors(), [("at".to_string(), "outside_session".to_string())], "{}", r.text);
    let r =
        app.post(&format!("/api/v1/reception/sessions/{sid}/visits"), Some(&bdh.token), visit(&at(monday, "08:30")));
    assert_eq!(r.status, 201, "{}", r.text);
    let answered = r.body["id"].as_i64().unwrap();
    let mut moved = visit(&at(monday + chrono::Days::new(2), "08:30"));
    moved["group_size"] = json!(2);
    let r = app.send("PUT", &format!("/api/v1/reception/visits/{answered}"), Some(&bdh.token), Some(moved));
    assert_eq!(r.field_errors(), [("at".to_string(), "outside_session".to_string())], "{}", r.text);
    assert_eq!(app.send("DELETE", &format!("/api/v1/reception/visits/{answered}"), Some(&bdh.token), None).status, 204);
    // A visit that opens a petition, linked both ways.
    let r = app.post(
        &format!("/api/v1/reception/sessions/{sid}/visits"),
        Some(&bdh.token),
        json!({ "receiver_name": "Chủ tịch UBND xã", "citizen_names": "Hộ ông Lò Văn A và 4 hộ", "group_size": 5, "content": "Đề nghị làm lại cầu treo bản Khe.", "classification": "recommendation", "handling": "petition_opened", "petition": { "subject": "Làm lại cầu treo", "phone": "0966555444" } }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let pid = r.body["petition_id"].as_i64().unwrap();
    let p = app.get(&format!("/api/v1/petitions/{pid}"), Some(&bdh.token));
    assert_eq!(p.body["petition"]["visit_id"], r.body["id"]);
    assert_eq!(p.body["petition"]["channel"], "reception");
    let visits = app.get(&format!("/api/v1/reception/sessions/{sid}/visits"), Some(&bdh.token));
    assert_eq!(visits.body[0]["petition_code"], p.body["petition"]["code"]);
    assert_eq!(visits.body[0]["group_size"], 5);
    // Left blank, the visit's time is its session's start (the session was another day), so the
    // petition's clocks start the day it was received.
    assert_eq!(&p.body["petition"]["received_at"].as_str().unwrap()[..16], &at(monday, "08:00")[..16]);
    // Compliance strip: the first and the fourth week held, the two between are gaps.
    let c = app.get(
        &format!("/api/v1/reception/compliance?from={monday}&to={}", last + chrono::Days::new(6)),
        Some(&bdh.token),
    );
    assert_eq!(c.status, 200, "{}", c.text);
    let weeks: Vec<bool> = c.body["weeks"].as_array().unwrap().iter().map(|w| w["held"].as_bool().unwrap()).collect();
    assert_eq!(weeks, [true, false, false, true]);
    assert_eq!((c.body["weeks_required"].as_i64(), c.body["weeks_held"].as_i64()), (Some(4), Some(2)));
    assert_eq!(c.body["weeks"][0]["visits"], 1);
    // Weeks still to come are not weeks missed: a period that runs past today counts the weeks
    // until now (a year's figure read in December), here and in the compliance strip.
    let today = thanthien::time::today_local();
    let since = today - chrono::Days::new(84);
    let held = |to| thanthien::reception::service::sessions_held(&mut app.conn(), &[commune], since, to).unwrap();
    let (now, ahead) = (held(today), held(today + chrono::Days::new(60)));
    assert_eq!(ahead, now);
    assert!(now.0 >= 12 && now.1 <= now.0, "{now:?}");
    let c = app.get(
        &format!("/api/v1/reception/compliance?from={since}&to={}", today + chrono::Days::new(60)),
        Some(&bdh.token),
    );
    let weeks = c.body["weeks"].as_array().unwrap();
    let over = weeks
        .iter()
        .filter(|w| {
            w["held"] == true || w["week_start"].as_str().unwrap() < (today - chrono::Days::new(6)).to_string().as_str()
        })
        .count();
    assert_eq!(c.body["weeks_required"].as_u64(), Some(over as u64), "{}", c.text);
    assert!(weeks.len() > over);
    // The public schedule needs no account.
    let s = app.get(&format!("/api/v1/public/communes/{commune}/reception-schedule"), None);
    assert_eq!(s.status, 200, "{}", s.text);
    assert!(s.body["legal_basis"].as_str().unwrap().contains("Điều 15"));
    // The Front reads sessions; a village head does not record them.
    let mttq = app.login("mttq").token;
    assert_eq!(app.get("/api/v1/reception/sessions", Some(&mttq)).status, 200);
    let thon1 = app.login("thon1").token;
    assert_eq!(app.post("/api/v1/reception/sessions", Some(&thon1), chairman("2026-07-13T08:00:00+07:00")).status, 403);
}

/// A session entered wrongly is corrected (its hours; its day while its register is empty,
/// its end cleared with `null`) or removed while it has no visits; the register keeps a session
/// with visits on its day; both audited.
fn reception_sessions_are_corrected_and_removed(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let d = days_before_the_demo_year(390);
    let at = |day: chrono::NaiveDate, hm: &str| format!("{day}T{hm}:00+07:00");
    let new = |day: chrono::NaiveDate| json!({ "kind": "adhoc", "starts_at": at(day, "08:00"), "ends_at": at(day, "10:00"), "place": "Nhà văn hóa thôn 2", "leader_name": "Phó Chủ tịch", "leader_title": "Phó Chủ tịch UBND xã" });
    let r = app.post("/api/v1/reception/sessions", Some(&bdh), new(d));
    assert_eq!(r.status, 201, "{}", r.text);
    let sid = r.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/reception/sessions/{sid}");
    // An empty register: the day moves, the end is cleared, the place corrected.
    let next = d + chrono::Duration::days(1);
    let r = app.patch(
        &path,
        Some(&bdh),
        json!({ "starts_at": at(next, "13:30"), "ends_at": null, "place": "  Trụ sở UBND xã  " }),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["starts_at"], at(next, "13:30"));
    assert_eq!(r.body["ends_at"], Value::Null);
    assert_eq!(r.body["place"], "Trụ sở UBND xã");
    assert_eq!(r.body["leader_name"], "Phó Chủ tịch", "fields left out stay");
    // The audit: the place and the times as before → after, nothing that stayed.
    let audit = app.get(
        &format!("/api/v1/audit?entity=reception_session&entity_id={sid}&action=update"),
        Some(&app.login("admin").token),
    );
    let said = audit.body["items"][0]["summary"].as_object().unwrap().clone();
    let mut fields: Vec<&str> = said.keys().map(String::as_str).collect();
    fields.sort();
    assert_eq!(fields, vec!["ends_at", "place", "starts_at"], "{}", audit.text);
    assert_eq!(said["place"], json!(["Nhà văn hóa thôn 2", "Trụ sở UBND xã"]));
    // Entered as ad hoc, it was the regular session: the kind is corrected; a made-up kind is a
    // field error.
    let r = app.patch(&path, Some(&bdh), json!({ "kind": "regular" }));
    assert_eq!((r.status, r.body["kind"].as_str()), (200, Some("regular")), "{}", r.text);
    let r = app.patch(&path, Some(&bdh), json!({ "kind": "weekly" }));
    assert_eq!((r.status, r.code()), (422, "validation_failed"), "{}", r.text);
    assert!(r.text.contains("\"kind\""), "{}", r.text);
    // An end before the start is a field error; nothing changes.
    let r = app.patch(&path, Some(&bdh), json!({ "ends_at": at(next, "12:00") }));
    assert_eq!((r.status, r.code()), (422, "validation_failed"), "{}", r.text);
    assert!(r.text.contains("ends_at"), "{}", r.text);
    // With a visit in its register the session keeps its day: only the hours move.
    let r = app.post(
        &format!("{path}/visits"),
        Some(&bdh),
        json!({ "at": at(next, "14:00"), "receiver_name": "Phó Chủ tịch", "citizen_names": "Bà Vi Thị C", "content": "Hỏi về đất.", "classification": "other", "handling": "answered" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let r = app.patch(&path, Some(&bdh), json!({ "starts_at": at(d, "13:30") }));
    assert_eq!((r.status, r.code()), (409, "session_has_visits"), "{}", r.text);
    let r = app.patch(&path, Some(&bdh), json!({ "starts_at": at(next, "13:00"), "ends_at": at(next, "16:00") }));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!((r.body["starts_at"].as_str(), r.body["visits"].as_i64()), (Some(at(next, "13:00").as_str()), Some(1)));
    // A session with visits is not removed; one without is, and is gone.
    assert_eq!(app.send("DELETE", &path, Some(&bdh), None).code(), "session_has_visits");
    let r = app.post("/api/v1/reception/sessions", Some(&bdh), new(d));
    let empty = format!("/api/v1/reception/sessions/{}", r.body["id"].as_i64().unwrap());
    let r = app.send("DELETE", &empty, Some(&bdh), None);
    assert_eq!(r.status, 204, "{}", r.text);
    assert_eq!(app.send("DELETE", &empty, Some(&bdh), None).status, 404);
    assert_eq!(app.patch(&empty, Some(&bdh), json!({ "place": "Trụ sở" })).status, 404);
    // Those without the permission are refused.
    let mttq = app.login("mttq").token;
    assert_eq!(app.send("DELETE", &path, Some(&mttq), None).status, 403);
    // Audited: the correction with the day before and after, the removal.
    let log = app.get("/api/v1/audit?entity=reception_session", Some(&app.login("admin").token));
    assert_eq!(log.status, 200, "{}", log.text);
    let actions: Vec<&str> =
        log.body["items"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(actions.contains(&"delete") && actions.contains(&"update"), "{actions:?}");
}

/// A local day `n` (375–399) days ago: before the demo's year of reception sessions and visits,
/// and within the 400 days a petition may be received late.
fn days_before_the_demo_year(n: i64) -> chrono::NaiveDate {
    assert!((375..400).contains(&n));
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive() - chrono::Duration::days(n)
}

/// A visit of the register is corrected (every field) or removed by those who record visits,
/// in their commune, audited before and after; a visit that opened a petition stays, linked.
fn reception_visits_are_corrected_and_removed(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let d = days_before_the_demo_year(380);
    let r = app.post(
        "/api/v1/reception/sessions",
        Some(&bdh),
        json!({ "kind": "adhoc", "starts_at": format!("{d}T08:00:00+07:00"), "place": "Nhà văn hóa thôn 2", "leader_name": "Phó Chủ tịch", "leader_title": "Phó Chủ tịch UBND xã", "status": "held" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let sid = r.body["id"].as_i64().unwrap();
    let visit = |body: Value| {
        let r = app.post(&format!("/api/v1/reception/sessions/{sid}/visits"), Some(&bdh), body);
        assert_eq!(r.status, 201, "{}", r.text);
        r.body
    };
    let plain = visit(
        json!({ "at": format!("{d}T08:30:00+07:00"), "receiver_name": "Phó Chủ tịch", "citizen_names": "Ông Hà Văn Sửa", "content": "Hỏi về hỗ trợ làm nhà.", "classification": "other", "handling": "answered" }),
    );
    let vid = plain["id"].as_i64().unwrap();
    let opened = visit(
        json!({ "at": format!("{d}T09:00:00+07:00"), "receiver_name": "Phó Chủ tịch", "citizen_names": "Bà Lò Thị Đơn", "content": "Đề nghị sửa cống bản Khe.", "classification": "recommendation", "handling": "petition_opened", "petition": { "subject": "Sửa cống bản Khe" } }),
    );
    let oid = opened["id"].as_i64().unwrap();
    let pid = opened["petition_id"].as_i64().unwrap();

    // Every field corrected.
    let fixed = json!({ "at": format!("{d}T10:15:00+07:00"), "receiver_name": "Chủ tịch UBND xã", "citizen_names": "Ông Hà Văn Sửa và 2 người", "group_size": 3, "content": "Đề nghị hỗ trợ làm nhà sau lũ.", "classification": "recommendation", "handling": "forwarded", "forwarded_to": "Phòng Kinh tế" });
    let r = app.send("PUT", &format!("/api/v1/reception/visits/{vid}"), Some(&bdh), Some(fixed.clone()));
    assert_eq!(r.status, 200, "{}", r.text);
    for f in ["receiver_name", "citizen_names", "group_size", "content", "classification", "handling", "forwarded_to"] {
        assert_eq!(r.body[f], fixed[f], "{f}");
    }
    let listed = app.get(&format!("/api/v1/reception/sessions/{sid}/visits"), Some(&bdh));
    let row = listed.body.as_array().unwrap().iter().find(|v| v["id"] == vid).unwrap().clone();
    assert_eq!(row["content"], "Đề nghị hỗ trợ làm nhà sau lũ.");
    assert!(row["at"].as_str().unwrap().starts_with(&format!("{d}T10:15:00")), "{row}");
    // The audit says what changed, each before → after, and that the names changed (not them).
    let audit = app.get(
        &format!("/api/v1/audit?entity=reception_visit&entity_id={vid}&action=update"),
        Some(&app.login("admin").token),
    );
    let said = &audit.body["items"][0]["summary"];
    assert_eq!(said["group_size"], json!([1, 3]), "{}", audit.text);
    assert_eq!(said["handling"], json!(["answered", "forwarded"]), "{}", audit.text);
    assert_eq!(said["citizen_names_changed"], true);
    assert!(said.get("session_id").is_none() && said.get("before").is_none(), "only what changed: {said}");
    assert!(!audit.text.contains("Hà Văn Sửa"), "{}", audit.text);
    // Bad input: 422 with the field; forwarded needs where to.
    let mut bad = fixed.clone();
    bad["forwarded_to"] = Value::Null;
    let r = app.send("PUT", &format!("/api/v1/reception/visits/{vid}"), Some(&bdh), Some(bad));
    assert_eq!(r.status, 422, "{}", r.text);
    assert!(r.text.contains("forwarded_to"));
    // A petition is opened when a visit is recorded, not by a correction.
    let mut open = fixed.clone();
    open["handling"] = json!("petition_opened");
    let r = app.send("PUT", &format!("/api/v1/reception/visits/{vid}"), Some(&bdh), Some(open));
    assert_eq!(r.status, 422, "{}", r.text);

    // The visit that opened a petition: its text can be corrected, not its classification or
    // handling, and it cannot be removed; the petition stays linked.
    let keep = json!({ "at": format!("{d}T09:05:00+07:00"), "receiver_name": "Phó Chủ tịch", "citizen_names": "Bà Lò Thị Đơn", "content": "Đề nghị sửa cống thoát nước bản Khe.", "classification": "recommendation", "handling": "petition_opened" });
    let r = app.send("PUT", &format!("/api/v1/reception/visits/{oid}"), Some(&bdh), Some(keep.clone()));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["petition_id"], pid);
    let mut reclass = keep.clone();
    reclass["classification"] = json!("feedback");
    let r = app.send("PUT", &format!("/api/v1/reception/visits/{oid}"), Some(&bdh), Some(reclass));
    assert_eq!((r.status, r.code()), (409, "visit_has_petition"), "{}", r.text);
    let r = app.send("DELETE", &format!("/api/v1/reception/visits/{oid}"), Some(&bdh), None);
    assert_eq!((r.status, r.code()), (409, "visit_has_petition"), "{}", r.text);
    let p = app.get(&format!("/api/v1/petitions/{pid}"), Some(&bdh));
    assert_eq!(p.body["petition"]["visit_id"], oid);

    // Who may: the Front and a village head neither correct nor remove; another commune's
    // visit is not found.
    for who in ["mttq", "thon1", "admin"] {
        let t = app.login(who).token;
        assert_eq!(
            app.send("PUT", &format!("/api/v1/reception/visits/{vid}"), Some(&t), Some(fixed.clone())).status,
            403,
            "{who}"
        );
        assert_eq!(app.send("DELETE", &format!("/api/v1/reception/visits/{vid}"), Some(&t), None).status, 403, "{who}");
    }
    assert_eq!(app.send("DELETE", "/api/v1/reception/visits/999999", Some(&bdh), None).status, 404);

    // Removed, then gone; the audit log has the before and after of the correction and the
    // removal, never the citizens' names.
    let r = app.send("DELETE", &format!("/api/v1/reception/visits/{vid}"), Some(&bdh), None);
    assert_eq!(r.status, 204, "{}", r.text);
    let listed = app.get(&format!("/api/v1/reception/sessions/{sid}/visits"), Some(&bdh));
    assert!(listed.body.as_array().unwrap().iter().all(|v| v["id"] != vid));
    assert_eq!(app.send("DELETE", &format!("/api/v1/reception/visits/{vid}"), Some(&bdh), None).status, 404);
    let admin = app.login("admin").token;
    let audit = app.get("/api/v1/audit?per_page=200&entity=reception_visit", Some(&admin));
    assert_eq!(audit.status, 200);
    let vid_text = vid.to_string();
    let of = |action: &str| -> Vec<Value> {
        audit.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == action && e["entity_id"] == vid_text.as_str())
            .cloned()
            .collect()
    };
    let update = of("update");
    assert_eq!(update.len(), 1, "{}", audit.text);
    let text = update[0].to_string();
    assert!(text.contains("Hỏi về hỗ trợ làm nhà.") && text.contains("Đề nghị hỗ trợ làm nhà sau lũ."), "{text}");
    assert!(text.contains("Phòng Kinh tế"), "{text}");
    assert_eq!(of("delete").len(), 1, "{}", audit.text);
    assert!(!audit.text.contains("Hà Văn Sửa") && !audit.text.contains("Lò Thị Đơn"), "{}", audit.text);
}

/// The register of visits (sổ tiếp công dân) across sessions: a period, a classification, a
/// search without diacritics; each row names its session and the petition it opened.
fn the_register_of_visits_spans_sessions(app: &TestApp) {
    let ubnd = app.login("ubnd").token;
    let base = days_before_the_demo_year(390);
    let mut sids = Vec::new();
    for day in [base, base + chrono::Duration::days(7)] {
        let r = app.post(
            "/api/v1/reception/sessions",
            Some(&ubnd),
            json!({ "kind": "regular", "starts_at": format!("{day}T07:30:00+07:00"), "place": "Trụ sở UBND xã", "leader_name": "Chủ tịch UBND xã", "leader_title": "Chủ tịch UBND xã", "status": "held" }),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        sids.push((day, r.body["id"].as_i64().unwrap()));
    }
    let add = |sid: i64, day: chrono::NaiveDate, body: Value| {
        let mut body = body;
        body["at"] = json!(format!("{day}T08:00:00+07:00"));
        body["receiver_name"] = json!("Chủ tịch UBND xã");
        let r = app.post(&format!("/api/v1/reception/sessions/{sid}/visits"), Some(&ubnd), body);
        assert_eq!(r.status, 201, "{}", r.text);
        r.body
    };
    add(
        sids[0].1,
        sids[0].0,
        json!({ "citizen_names": "Ông Vi Văn Đường", "content": "Đường vào bản Pù Quăn sạt lở.", "classification": "feedback", "handling": "answered" }),
    );
    let opened = add(
        sids[1].1,
        sids[1].0,
        json!({ "citizen_names": "Bà Ngân Thị Nước", "content": "Thiếu nước sinh hoạt mùa khô.", "classification": "recommendation", "handling": "petition_opened", "petition": { "subject": "Nước sạch bản Khe" } }),
    );
    add(
        sids[1].1,
        sids[1].0,
        json!({ "citizen_names": "Ông Cầm Văn Hỏi", "content": "Hỏi thủ tục chuyển nhượng đất.", "classification": "other", "handling": "guided" }),
    );

    let reg = |q: &str| {
        let r = app.get(
            &format!(
                "/api/v1/reception/visits?from={}&to={}{q}",
                base - chrono::Duration::days(3),
                base + chrono::Duration::days(10)
            ),
            Some(&ubnd),
        );
        assert_eq!(r.status, 200, "{}", r.text);
        r.body
    };
    let all = reg("");
    let rows = all["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "both sessions' visits: {all}");
    assert_eq!(rows.iter().map(|r| r["number"].as_i64().unwrap()).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(rows[0]["session"]["id"], sids[0].1);
    assert_eq!(rows[1]["session"]["id"], sids[1].1);
    assert_eq!(rows[1]["visit"]["petition_id"], opened["petition_id"]);
    assert!(rows[1]["visit"]["petition_code"].as_str().unwrap().starts_with("DT-"));
    assert!(all["header"]["issuer"].as_str().unwrap().contains("BÌNH LƯƠNG"), "{}", all["header"]);
    // Filters: a classification; a search without diacritics or case.
    let only = reg("&classification=recommendation");
    assert_eq!(only["rows"].as_array().unwrap().len(), 1);
    assert_eq!(only["rows"][0]["visit"]["citizen_names"], "Bà Ngân Thị Nước");
    let found = reg("&q=PU%20QUAN");
    assert_eq!(found["rows"].as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found["rows"][0]["visit"]["citizen_names"], "Ông Vi Văn Đường");
    assert_eq!(reg("&q=vi%20van%20duong")["rows"].as_array().unwrap().len(), 1);
    assert_eq!(reg("&q=khong%20co%20ai")["rows"].as_array().unwrap().len(), 0);
    // The period bounds it: the second session only.
    let r = app.get(
        &format!(
            "/api/v1/reception/visits?from={}&to={}",
            base + chrono::Duration::days(4),
            base + chrono::Duration::days(10)
        ),
        Some(&ubnd),
    );
    assert_eq!(r.body["rows"].as_array().unwrap().len(), 2);
    // Bad input, and who may read it.
    let r = app.get("/api/v1/reception/visits?classification=gossip", Some(&ubnd));
    assert_eq!(r.status, 422);
    for who in ["mttq", "thon1", "tinh"] {
        let t = app.login(who).token;
        assert_eq!(app.get("/api/v1/reception/visits", Some(&t)).status, 403, "{who}");
    }
}

fn figures_for_the_evaluation_and_766(app: &TestApp) {
    let ubnd = app.login("ubnd");
    let commune = ubnd.user["commune_id"].as_i64().unwrap();
    let mut c = complaint("Khiếu nại về hồ sơ đất");
    // A complaint linked to a dossier counts for 766 row 5.4.
    let dossier = {
        use diesel::prelude::*;
        use thanthien::db::schema::dossiers;
        let mut conn = app.conn();
        dossiers::table.filter(dossiers::commune_id.eq(commune)).select(dossiers::id).first::<i64>(&mut *conn).ok()
    };
    if let Some(d) = dossier {
        c["dossier_id"] = json!(d);
    }
    create(app, &ubnd.token, c);
    let today = thanthien::time::today_local();
    let ids = thanthien::petitions::dossiers_with_complaint(
        &mut app.conn(),
        &[commune],
        today - chrono::Duration::days(1),
        today,
    )
    .unwrap();
    assert_eq!(ids, dossier.into_iter().collect());
    let r = app.get("/api/v1/petitions/summary", Some(&ubnd.token));
    let k = r.body["by_kind"].as_array().unwrap().iter().find(|k| k["kind"] == "complaint").unwrap().clone();
    assert!(k["received"].as_i64().unwrap() >= 1);
}

/// The village head's outbox sends `POST /petitions` with an `Idempotency-Key`; a retry with
/// the same key (the answer was lost on a weak line) files nothing more and returns the first
/// answer; another key is another petition.
fn a_petition_sent_twice_with_one_key_is_filed_once(app: &TestApp) {
    let thon1 = app.login("thon1").token;
    let bdh = app.login("bdh").token;
    let body = json!({ "kind": "feedback", "channel": "village", "subject": "Mương nội đồng thôn 1 vỡ", "content": "Mương nội đồng vỡ một đoạn, ruộng thiếu nước.", "petitioner_name": "Lò Văn Mương", "phone": "0912345670" });
    let send = |key: &str| {
        let r = app
            .client
            .post(app.url("/api/v1/petitions"))
            .bearer_auth(&thon1)
            .header("idempotency-key", key)
            .json(&body)
            .send()
            .expect("request");
        let status = r.status().as_u16();
        let replayed = r.headers().get("idempotent-replayed").is_some_and(|v| v == "true");
        (status, replayed, serde_json::from_slice::<Value>(&r.bytes().unwrap()).unwrap_or(Value::Null))
    };
    let count =
        || app.get("/api/v1/petitions?q=muong%20noi%20dong%20thon%201", Some(&bdh)).body["total"].as_i64().unwrap();
    assert_eq!(count(), 0);
    let (s1, r1, first) = send("outbox-petition-1");
    assert_eq!(s1, 201, "{first}");
    assert!(!r1);
    let (s2, r2, again) = send("outbox-petition-1");
    assert_eq!(s2, 201, "{again}");
    assert!(r2, "a replay says so");
    assert_eq!(again, first, "the first answer again");
    assert_eq!(count(), 1, "one petition for one key");
    let (s3, _, other) = send("outbox-petition-2");
    assert_eq!(s3, 201, "{other}");
    assert_ne!(other["id"], first["id"]);
    assert_eq!(count(), 2);
    // A malformed key is a field error, and files nothing.
    assert_eq!(send("có dấu cách").0, 422);
    assert_eq!(count(), 2);
}

/// `/phan-anh` with a photo: a multipart form, the photo checked by content, stored with the
/// petition, shown to the commune's staff only.
fn a_citizen_sends_feedback_with_a_photo(app: &TestApp) {
    use crate::plans::{PNG, Part, multipart};
    let send = |parts: &[Part<'_>]| {
        let (ct, body) = multipart(parts);
        let r = app
            .client
            .post(app.url("/api/v1/public/communes/default/petitions/with-photo"))
            .header("content-type", ct)
            .body(body)
            .send()
            .expect("request");
        let status = r.status().as_u16();
        (status, serde_json::from_slice::<Value>(&r.bytes().unwrap()).unwrap_or(Value::Null))
    };
    let fields: Vec<Part<'_>> = vec![
        ("kind", None, b"feedback"),
        ("subject", None, "Ổ gà trên đường liên thôn".as_bytes()),
        ("content", None, "Ổ gà lớn giữa đường, xe máy dễ ngã.".as_bytes()),
        ("name", None, "Lường Văn Ảnh".as_bytes()),
        ("phone", None, b"0912555666"),
    ];
    let mut with_photo = fields.clone();
    with_photo.push(("photo", Some("o-ga.png"), PNG));
    let (status, receipt) = send(&with_photo);
    assert_eq!(status, 201, "{receipt}");
    let code = receipt["code"].as_str().unwrap().to_string();
    // Without a photo the form works too.
    let (status, plain) = send(&fields);
    assert_eq!(status, 201, "{plain}");
    // Not a photo: a PDF or a text file is refused by its content, whatever its name says.
    let mut pdf = fields.clone();
    pdf.push(("photo", Some("anh.png"), b"%PDF-1.4 not a photo"));
    assert_eq!(send(&pdf).0, 415);
    let mut txt = fields.clone();
    txt.push(("photo", Some("anh.jpg"), b"hello"));
    assert_eq!(send(&txt).0, 415);
    // A missing field is a field error; an unknown part too.
    let (status, body) = send(&fields[..4]);
    assert_eq!(status, 422, "{body}");
    let mut unknown = fields.clone();
    unknown.push(("identity", None, b"x"));
    assert_eq!(send(&unknown).0, 422);

    let bdh = app.login("bdh").token;
    let list = app.get(&format!("/api/v1/petitions?q={code}"), Some(&bdh));
    assert_eq!(list.body["total"], 1, "{}", list.text);
    let id = list.body["items"][0]["id"].as_i64().unwrap();
    assert_eq!(list.body["items"][0]["channel"], "online");
    let detail = app.get(&format!("/api/v1/petitions/{id}"), Some(&bdh));
    let photos = detail.body["photos"].as_array().unwrap().clone();
    assert_eq!(photos.len(), 1, "{}", detail.text);
    assert_eq!(photos[0]["content_type"], "image/png");
    let url = photos[0]["url"].as_str().unwrap().to_string();
    let r = app.client.get(app.url(&url)).bearer_auth(&bdh).send().unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().unwrap().as_ref(), PNG);
    // Not public, not for the Front, not for another commune.
    assert_eq!(app.client.get(app.url(&url)).send().unwrap().status().as_u16(), 401);
    let mttq = app.login("mttq").token;
    assert_eq!(app.client.get(app.url(&url)).bearer_auth(&mttq).send().unwrap().status().as_u16(), 403);
    let other = app.second_commune().token;
    assert!(matches!(app.client.get(app.url(&url)).bearer_auth(&other).send().unwrap().status().as_u16(), 403 | 404));
    // A photo id of another petition is not found under this one.
    let plain_id =
        app.get(&format!("/api/v1/petitions?q={}", plain["code"].as_str().unwrap()), Some(&bdh)).body["items"][0]["id"]
            .as_i64()
            .unwrap();
    let photo_id = photos[0]["id"].as_i64().unwrap();
    assert_eq!(app.get(&format!("/api/v1/petitions/{plain_id}/photos/{photo_id}"), Some(&bdh)).status, 404);
    // The citizen's lookup never carries the photo or the name.
    let look = app.get(&format!("/api/v1/public/petitions/{code}?phone_last4=5666"), None);
    assert_eq!(look.status, 200, "{}", look.text);
    assert!(!look.text.contains("photo") && !look.text.contains("Lường Văn Ảnh"));
}

/// A citizen's send: every wrong field said at once, before anything counts; sends have a budget
/// of their own per address, apart from the lookups (an office or a kiosk shares one address).
fn citizen_sends_have_their_own_budget(app: &TestApp) {
    let url = "/api/v1/public/communes/default/petitions";
    let bad = json!({ "kind": "feedback", "subject": "  ", "content": " ", "name": "A", "phone": "abc" });
    let r = app.post(url, None, bad);
    assert_eq!(r.status, 422, "{}", r.text);
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["subject", "content", "name", "phone"]);
    // The lookups use up their budget …
    let limit = thanthien::onestop::dossiers::service::LOOKUP_LIMIT;
    for _ in 0..limit {
        app.get("/api/v1/public/petitions/DT-000000-0000?phone_last4=1234", None);
    }
    let looked = app.get("/api/v1/public/petitions/DT-000000-0000?phone_last4=1234", None);
    assert_eq!(looked.code(), "rate_limited");
    // … and a send still goes, until the sends' own budget is spent.
    let good = json!({ "kind": "feedback", "subject": "Đường trơn", "content": "Đường trơn trượt.", "name": "Lê Dân", "phone": "0912345678" });
    for i in 0..limit {
        let r = app.post(url, None, good.clone());
        assert_eq!(r.status, 201, "send {i}: {}", r.text);
    }
    let r = app.post(url, None, good);
    assert_eq!((r.status, r.code()), (429, "rate_limited"), "{}", r.text);
}

both_engines!(
    citizen_sends_have_their_own_budget,
    a_citizen_sends_feedback_with_a_photo,
    a_petition_sent_twice_with_one_key_is_filed_once,
    lifecycle_with_clocks_and_events,
    village_head_files_and_roles_see_what_they_may,
    search_is_diacritic_insensitive_with_views,
    denouncer_identity_is_confidential,
    denunciation_extensions_follow_the_law,
    citizens_submit_and_look_up,
    reception_sessions_visits_and_compliance,
    reception_visits_are_corrected_and_removed,
    reception_sessions_are_corrected_and_removed,
    the_register_of_visits_spans_sessions,
    the_demo_chairman_reads_identities_a_board_member_does_not,
    figures_for_the_evaluation_and_766,
);
