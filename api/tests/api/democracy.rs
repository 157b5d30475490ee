//! Grassroots democracy: Art. 11 items (shipped, edited per commune), disclosures and their
//! legal-minimum warnings, village relays (own village only, with a photo), alerts, the public
//! page and its documents, the figures and the oversight counts.

use chrono::{Duration, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::both_engines;
use crate::harness::TestApp;

pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR relay photo";
const PDF: &[u8] = b"%PDF-1.4 du toan ngan sach";

pub type Part<'a> = (&'a str, Option<&'a str>, &'a [u8]);

pub fn multipart(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    let boundary = format!("tt{}", uuid::Uuid::new_v4().simple());
    let mut body = Vec::new();
    for (name, file, data) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
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

/// Posts a multipart form; (status, JSON body).
pub fn post_form(app: &TestApp, path: &str, token: &str, parts: &[Part<'_>]) -> (u16, Value) {
    let (ct, body) = multipart(parts);
    let r = app
        .client
        .post(app.url(path))
        .bearer_auth(token)
        .header("content-type", ct)
        .body(body)
        .send()
        .expect("request");
    let status = r.status().as_u16();
    (status, serde_json::from_slice(&r.bytes().unwrap_or_default()).unwrap_or(Value::Null))
}

pub fn get_bytes(app: &TestApp, path: &str, token: Option<&str>) -> (u16, Vec<u8>) {
    let mut r = app.client.get(app.url(path));
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let r = r.send().expect("request");
    (r.status().as_u16(), r.bytes().map(|b| b.to_vec()).unwrap_or_default())
}

fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(7)).date_naive()
}

pub fn day(offset: i64) -> String {
    (today() + Duration::days(offset)).format("%Y-%m-%d").to_string()
}

fn item_id(app: &TestApp, token: &str, code: &str) -> i64 {
    let r = app.get("/api/v1/disclosure-items", Some(token));
    assert_eq!(r.status, 200, "{}", r.text);
    r.body.as_array().unwrap().iter().find(|i| i["code"] == code).and_then(|i| i["id"].as_i64()).expect("item")
}

/// A disclosure asking Thôn 1 and Thôn 2 to relay, begun `began` days ago.
pub fn village_disclosure(app: &TestApp, token: &str, title: &str, began: i64) -> i64 {
    let admin = app.login("admin").token;
    let (t1, t2) = (app.unit_id(&admin, "T1"), app.unit_id(&admin, "T2"));
    let r = app.post(
        "/api/v1/disclosures",
        Some(token),
        json!({ "item_id": item_id(app, token, "D11-05"), "title": title, "content": "Dự án đường liên thôn",
                "channels": ["office", "village_meeting"], "posted_from": day(-began), "posted_to": day(-began + 40),
                "village_ids": [t1, t2], "responsible_name": "Văn phòng UBND xã" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["disclosure"]["id"].as_i64().unwrap()
}

fn commune_id(app: &TestApp) -> i64 {
    let mut c = app.conn();
    thanthien::org::repo::commune_id_by_name(&mut c, "Bình Lương").unwrap().unwrap()
}

fn items_ship_with_the_law_and_a_commune_edits_its_copy(app: &TestApp) {
    let admin = app.login("admin").token;
    let items = app.get("/api/v1/disclosure-items", Some(&admin));
    assert_eq!(items.status, 200);
    let list = items.body.as_array().unwrap();
    assert!(list.len() >= 13, "{}", items.text);
    let budget = list.iter().find(|i| i["code"] == "D11-03").unwrap();
    assert_eq!(budget["periodicity"], "quarterly");
    assert_eq!(budget["shipped"], true);
    let shipped_id = budget["id"].as_i64().unwrap();
    // The board reads, but editing the list is the admin's.
    let bdh = app.login("bdh").token;
    assert_eq!(
        app.patch(&format!("/api/v1/disclosure-items/{shipped_id}"), Some(&bdh), json!({ "min_posting_days": 45 }))
            .status,
        403
    );
    let r =
        app.patch(&format!("/api/v1/disclosure-items/{shipped_id}"), Some(&admin), json!({ "min_posting_days": 45 }));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["shipped"], false);
    assert_eq!(r.body["min_posting_days"], 45);
    let copy = r.body["id"].as_i64().unwrap();
    assert_ne!(copy, shipped_id);
    let after = app.get("/api/v1/disclosure-items", Some(&admin));
    let d03: Vec<&Value> = after.body.as_array().unwrap().iter().filter(|i| i["code"] == "D11-03").collect();
    assert_eq!(d03.len(), 1, "the copy replaces the shipped item for this commune");
    assert_eq!(d03[0]["id"], copy);
    // The replaced shipped item is no longer this commune's to edit.
    assert_eq!(
        app.patch(&format!("/api/v1/disclosure-items/{shipped_id}"), Some(&admin), json!({ "active": false })).status,
        404
    );
    // Another commune still uses the law's item, unchanged.
    let other = app.second_commune().token;
    let theirs = app.get("/api/v1/disclosure-items", Some(&other));
    let t = theirs.body.as_array().unwrap().iter().find(|i| i["code"] == "D11-03").unwrap();
    assert_eq!(t["id"], shipped_id);
    assert_eq!(t["min_posting_days"], 30);
    // A new item of the commune's own; a duplicate code is refused.
    let n = app.post(
        "/api/v1/disclosure-items",
        Some(&admin),
        json!({ "code": "XA-01", "name": "Quy ước thôn", "periodicity": "yearly" }),
    );
    assert_eq!(n.status, 201, "{}", n.text);
    let dup = app.post("/api/v1/disclosure-items", Some(&admin), json!({ "code": "D11-01", "name": "Trùng" }));
    assert_eq!(dup.status, 422);
    assert_eq!(dup.body["errors"][0]["code"], "already_exists");
}

fn a_disclosure_is_recorded_with_warnings_when_it_breaks_a_minimum(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let other = item_id(app, &bdh, "D11-13");
    // A draft put to comment for 20 days, read on the loudspeaker for 2: kept, with both warnings.
    let r = app.post(
        "/api/v1/disclosures",
        Some(&bdh),
        json!({ "item_id": other, "title": "Dự thảo quy chế dân chủ", "channels": ["office", "loudspeaker"],
                "for_comment": true, "posted_from": day(0), "posted_to": day(19), "loudspeaker_days": 2 }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let codes: Vec<&str> = r.body["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["posting_shorter_than_minimum", "loudspeaker_too_short"]);
    assert_eq!(r.body["disclosure"]["min_posting_days"], 30);
    assert_eq!(r.body["disclosure"]["status"], "current");
    let id = r.body["disclosure"]["id"].as_i64().unwrap();
    // Extending the posting to 30 days and the loudspeaker to 3 clears them.
    let ok = app.patch(
        &format!("/api/v1/disclosures/{id}"),
        Some(&bdh),
        json!({ "posted_to": day(29), "loudspeaker_days": 3 }),
    );
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert!(ok.body["warnings"].as_array().unwrap().is_empty(), "{}", ok.text);
    // Taken down after 10 days: a warning again.
    let down = app.patch(&format!("/api/v1/disclosures/{id}"), Some(&bdh), json!({ "taken_down_on": day(9) }));
    assert_eq!(down.body["warnings"][0]["code"], "taken_down_before_minimum", "{}", down.text);
    // Its parts, for a page that writes it in another language: the days kept and the minimum.
    let (kept, min) =
        (down.body["warnings"][0]["days"].as_i64().unwrap(), down.body["warnings"][0]["min_days"].as_i64().unwrap());
    assert!(
        kept < min && down.body["warnings"][0]["message"].as_str().unwrap().contains(&format!("sau {kept} ngày")),
        "{}",
        down.text
    );
    // Field rules: village meetings need villages; a periodic item needs its period.
    let r = app.post(
        "/api/v1/disclosures",
        Some(&bdh),
        json!({ "item_id": other, "title": "Thiếu thôn", "channels": ["village_meeting"], "posted_from": day(0), "posted_to": day(30) }),
    );
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["field"], "village_ids");
    let q = item_id(app, &bdh, "D11-03");
    let r = app.post(
        "/api/v1/disclosures",
        Some(&bdh),
        json!({ "item_id": q, "title": "Thực hiện ngân sách", "channels": ["office"], "posted_from": day(0), "posted_to": day(30) }),
    );
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["field"], "period");
    let r = app.post(
        "/api/v1/disclosures",
        Some(&bdh),
        json!({ "item_id": q, "title": "Thực hiện ngân sách", "channels": ["office"], "period": "2026-Q7", "posted_from": day(0), "posted_to": day(30) }),
    );
    assert_eq!(r.body["errors"][0]["code"], "invalid_format", "{}", r.text);
    // A village head reads but does not record; the commune is never taken from the body.
    let thon1 = app.login("thon1").token;
    assert_eq!(app.get(&format!("/api/v1/disclosures/{id}"), Some(&thon1)).status, 200);
    let r = app.post(
        "/api/v1/disclosures",
        Some(&thon1),
        json!({ "item_id": other, "title": "x", "channels": ["office"], "posted_from": day(0), "posted_to": day(30) }),
    );
    assert_eq!(r.status, 403);
    let r = app.post(
        "/api/v1/disclosures",
        Some(&bdh),
        json!({ "item_id": other, "title": "x", "channels": ["office"], "posted_from": day(0), "posted_to": day(30), "commune_id": 2 }),
    );
    assert_eq!(r.status, 422, "{}", r.text);
    // Another commune cannot see it.
    let other_admin = app.second_commune().token;
    assert_eq!(app.get(&format!("/api/v1/disclosures/{id}"), Some(&other_admin)).status, 404);
    // Search is diacritic-insensitive.
    let found = app.get("/api/v1/disclosures?q=du%20thao%20quy%20che", Some(&bdh));
    assert!(found.body["items"].as_array().unwrap().iter().any(|d| d["id"] == id), "{}", found.text);
}

fn a_village_head_relays_for_their_own_village_only(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let id = village_disclosure(app, &bdh, "Thông báo dự án đường thôn", 2);
    let detail = app.get(&format!("/api/v1/disclosures/{id}"), Some(&bdh));
    let villages = detail.body["villages"].as_array().unwrap();
    assert_eq!(villages.len(), 2);
    assert!(villages.iter().all(|v| v["relay"].is_null()), "{}", detail.text);
    let thon1 = app.login("thon1").token;
    // Thôn 1's list of what it still has to relay holds it.
    let todo = app.get("/api/v1/disclosures?unrelayed=true", Some(&thon1));
    assert!(todo.body["items"].as_array().unwrap().iter().any(|d| d["id"] == id), "{}", todo.text);
    let (s, relay) = post_form(
        app,
        &format!("/api/v1/disclosures/{id}/relays"),
        &thon1,
        &[
            ("relayed_on", None, day(0).as_bytes()),
            ("note", None, "Đã thông báo tại họp thôn".as_bytes()),
            ("files", Some("hop-thon.png"), PNG),
        ],
    );
    assert_eq!(s, 201, "{relay}");
    assert_eq!(relay["on_time"], true);
    assert_eq!(relay["photos"].as_array().unwrap().len(), 1);
    let photo = relay["photos"][0]["url"].as_str().unwrap().to_string();
    assert!(photo.starts_with("/api/v1/democracy/files/"));
    // The board sees Thôn 1 relayed, Thôn 2 not yet.
    let detail = app.get(&format!("/api/v1/disclosures/{id}"), Some(&bdh));
    let v = detail.body["villages"].as_array().unwrap();
    let t1 = v.iter().find(|x| x["unit_name"] == "Thôn 1").unwrap();
    let t2 = v.iter().find(|x| x["unit_name"] == "Thôn 2").unwrap();
    assert_eq!(t1["relay"]["note"], "Đã thông báo tại họp thôn");
    assert!(t2["relay"].is_null());
    assert_eq!(detail.body["villages_relayed"], 1);
    let (s, bytes) = get_bytes(app, &photo, Some(&bdh));
    assert_eq!((s, bytes.as_slice()), (200, PNG));
    // The photo is not public.
    assert_eq!(get_bytes(app, &photo, None).0, 401);
    // Once per village; not for a village not asked; never by a role without the permission.
    let (s, e) = post_form(app, &format!("/api/v1/disclosures/{id}/relays"), &thon1, &[("note", None, b"lan 2")]);
    assert_eq!((s, e["code"].as_str()), (409, Some("already_relayed")));
    let thon3 = app.login("thon3").token;
    let (s, e) = post_form(app, &format!("/api/v1/disclosures/{id}/relays"), &thon3, &[("note", None, b"x")]);
    assert_eq!((s, e["code"].as_str()), (409, Some("village_not_asked")));
    let (s, _) = post_form(app, &format!("/api/v1/disclosures/{id}/relays"), &bdh, &[("note", None, b"x")]);
    assert_eq!(s, 403);
    // A date in the future, a file that is not an image or PDF.
    let thon2 = app.login("thon2").token;
    let (s, e) =
        post_form(app, &format!("/api/v1/disclosures/{id}/relays"), &thon2, &[("relayed_on", None, day(3).as_bytes())]);
    assert_eq!(s, 422, "{e}");
    let (s, _) =
        post_form(app, &format!("/api/v1/disclosures/{id}/relays"), &thon2, &[("files", Some("x.exe"), b"MZ\x90\0")]);
    assert_eq!(s, 415);
    // Out of the commune: 404.
    let other = app.second_commune().token;
    assert_eq!(app.get(&photo, Some(&other)).status, 404);
}

fn alerts_name_late_villages_short_postings_and_missing_periods(app: &TestApp) {
    let bdh = app.login("bdh").token;
    // Began 20 days ago (the default allows 7 days to relay); Thôn 1 relays late, Thôn 2 never.
    let id = village_disclosure(app, &bdh, "Phương án bồi thường giải phóng mặt bằng", 20);
    let thon1 = app.login("thon1").token;
    let (s, relay) = post_form(
        app,
        &format!("/api/v1/disclosures/{id}/relays"),
        &thon1,
        &[("relayed_on", None, day(-5).as_bytes())],
    );
    assert_eq!(s, 201);
    assert_eq!(relay["on_time"], false, "relayed 15 days after the posting began");
    let alerts = app.get("/api/v1/disclosures/alerts", Some(&bdh));
    assert_eq!(alerts.status, 200, "{}", alerts.text);
    let list = alerts.body.as_array().unwrap();
    let late: Vec<&Value> = list.iter().filter(|a| a["kind"] == "relay_overdue" && a["disclosure_id"] == id).collect();
    assert_eq!(late.len(), 1, "{}", alerts.text);
    assert_eq!(late[0]["unit_name"], "Thôn 2");
    let title = late[0]["subject"].as_str().unwrap();
    assert!(
        !title.is_empty() && late[0]["message"].as_str().unwrap().contains(&format!("“{title}”")),
        "{}",
        alerts.text
    );
    // Thôn 2 sees its own late relay; Thôn 1 sees nothing of this one.
    let thon2 = app.login("thon2").token;
    let mine = app.get("/api/v1/disclosures/alerts", Some(&thon2));
    assert!(mine.body.as_array().unwrap().iter().any(|a| a["disclosure_id"] == id));
    assert!(mine.body.as_array().unwrap().iter().all(|a| a["kind"] == "relay_overdue"));
    let t1 = app.get("/api/v1/disclosures/alerts", Some(&thon1));
    assert!(!t1.body.as_array().unwrap().iter().any(|a| a["disclosure_id"] == id));
    // The setting: allowing 30 days, nobody is late.
    let admin = app.login("admin").token;
    let s = app.send(
        "PUT",
        "/api/v1/disclosures/settings",
        Some(&admin),
        Some(json!({ "relay_within_days": 30, "periodic_grace_days": 30 })),
    );
    assert_eq!(s.status, 200, "{}", s.text);
    assert_eq!(
        app.send(
            "PUT",
            "/api/v1/disclosures/settings",
            Some(&bdh),
            Some(json!({ "relay_within_days": 30, "periodic_grace_days": 30 }))
        )
        .status,
        403
    );
    let alerts = app.get("/api/v1/disclosures/alerts", Some(&bdh));
    assert!(!alerts.body.as_array().unwrap().iter().any(|a| a["kind"] == "relay_overdue" && a["disclosure_id"] == id));
    // A current posting that ends before its 30 days.
    let short = app.post(
        "/api/v1/disclosures",
        Some(&bdh),
        json!({ "item_id": item_id(app, &bdh, "D11-06"), "title": "Kế hoạch sử dụng đất", "channels": ["office"],
                "posted_from": day(-2), "posted_to": day(10) }),
    );
    let short_id = short.body["disclosure"]["id"].as_i64().unwrap();
    let alerts = app.get("/api/v1/disclosures/alerts", Some(&bdh));
    let list = alerts.body.as_array().unwrap();
    let short_alert =
        list.iter().find(|a| a["kind"] == "expires_before_minimum" && a["disclosure_id"] == short_id).unwrap();
    assert_eq!(
        (short_alert["subject"].as_str(), short_alert["last_day"].as_str(), short_alert["min_days"].as_i64().is_some()),
        (Some("Kế hoạch sử dụng đất"), Some(day(10).as_str()), true),
        "{short_alert}"
    );
    // The year's budget estimate is due as its year begins; the final accounts after the year
    // ends (an estimate "for 2025, due 30/01/2026" was the old, wrong reading).
    let due_year = |code: &str| -> Vec<(i32, i32)> {
        let id = item_id(app, &bdh, code);
        list.iter()
            .filter(|a| a["kind"] == "periodic_missing" && a["item_id"] == id)
            .map(|a| {
                (a["period"].as_str().unwrap().parse().unwrap(), a["due_on"].as_str().unwrap()[..4].parse().unwrap())
            })
            .collect()
    };
    // An estimate missing is due in its own year (the demo discloses this year's after 10
    // January); so is the plan (none in the demo); the yearly review of poor households (D11-09)
    // after its year.
    let estimate = due_year("D11-02");
    assert!(estimate.iter().all(|(p, d)| p == d), "{estimate:?}");
    let (plan, review) = (due_year("D11-01"), due_year("D11-09"));
    assert!(!plan.is_empty() && plan.iter().all(|(p, d)| p == d), "{plan:?}");
    assert!(!review.is_empty() && review.iter().all(|(p, d)| p + 1 == *d), "{review:?}");
    let items = app.get("/api/v1/disclosure-items", Some(&bdh)).body;
    let from = |code: &str| items.as_array().unwrap().iter().find(|i| i["code"] == code).unwrap()["due_from"].clone();
    assert_eq!((from("D11-02"), from("D11-03")), (json!("period_start"), json!("period_end")));
    // The yearly socio-economic plan (the demo discloses none): its year is due; disclosing it
    // clears it.
    let q = item_id(app, &bdh, "D11-01");
    let missing: Vec<String> = list
        .iter()
        .filter(|a| a["kind"] == "periodic_missing" && a["item_id"] == q)
        .map(|a| a["period"].as_str().unwrap().to_string())
        .collect();
    assert!(!missing.is_empty(), "{}", alerts.text);
    let period = missing[0].clone();
    let r = app.post(
        "/api/v1/disclosures",
        Some(&bdh),
        json!({ "item_id": q, "title": format!("Kế hoạch phát triển kinh tế - xã hội {period}"), "channels": ["office"], "period": period,
                "posted_from": day(0), "posted_to": day(30) }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let after = app.get("/api/v1/disclosures/alerts", Some(&bdh));
    assert!(
        !after
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["kind"] == "periodic_missing" && a["period"] == period.as_str() && a["item_id"] == q)
    );
}

fn citizens_read_the_public_page_and_download_documents(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let r = app.post(
        "/api/v1/disclosures",
        Some(&bdh),
        json!({ "item_id": item_id(app, &bdh, "D11-02"), "title": "Dự toán ngân sách xã năm nay", "channels": ["office", "web_page"],
                "period": today().format("%Y").to_string(), "posted_from": day(-1), "posted_to": day(40) }),
    );
    let id = r.body["disclosure"]["id"].as_i64().unwrap();
    let (s, files) = post_form(
        app,
        &format!("/api/v1/disclosures/{id}/files"),
        &bdh,
        &[("kind", None, b"document"), ("files", Some("du-toan.pdf"), PDF)],
    );
    assert_eq!(s, 201, "{files}");
    let (s, ev) = post_form(
        app,
        &format!("/api/v1/disclosures/{id}/files"),
        &bdh,
        &[("kind", None, b"evidence"), ("files", Some("niem-yet.png"), PNG)],
    );
    assert_eq!(s, 201);
    let doc_url = files[0]["url"].as_str().unwrap().to_string();
    let ev_id = ev[0]["id"].as_i64().unwrap();
    assert!(doc_url.starts_with("/api/v1/public/disclosure-files/"));
    let commune = commune_id(app);
    let page = app.get(&format!("/api/v1/public/communes/{commune}/disclosures"), None);
    assert_eq!(page.status, 200, "{}", page.text);
    assert_eq!(page.body["commune_name"], "Bình Lương");
    let d = page.body["current"].as_array().unwrap().iter().find(|d| d["id"] == id).expect("current");
    assert_eq!(d["documents"][0]["url"], doc_url.as_str());
    assert_eq!(get_bytes(app, &doc_url, None), (200, PDF.to_vec()));
    // Evidence photos are staff-only; unknown communes are 404.
    assert_eq!(get_bytes(app, &format!("/api/v1/public/disclosure-files/{ev_id}"), None).0, 404);
    assert_eq!(app.get("/api/v1/public/communes/khong-co/disclosures", None).status, 404);
    // A disclosure taken down today moves to the past list tomorrow; one ended is past.
    let ended = app.post(
        "/api/v1/disclosures",
        Some(&bdh),
        json!({ "item_id": item_id(app, &bdh, "D11-10"), "title": "Mức thu phí chợ", "channels": ["office"],
                "posted_from": day(-60), "posted_to": day(-20) }),
    );
    let ended_id = ended.body["disclosure"]["id"].as_i64().unwrap();
    let page = app.get(&format!("/api/v1/public/communes/{commune}/disclosures"), None);
    assert!(page.body["past"].as_array().unwrap().iter().any(|d| d["id"] == ended_id));
    assert!(!page.body["current"].as_array().unwrap().iter().any(|d| d["id"] == ended_id));
}

fn figures_count_by_item_channel_and_relays_on_time(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let from = day(-1);
    let before = app.get(&format!("/api/v1/democracy/figures?from={from}&to={}", day(0)), Some(&bdh));
    assert_eq!(before.status, 200, "{}", before.text);
    let id = village_disclosure(app, &bdh, "Công khai kết quả bình xét hộ nghèo", 0);
    let thon1 = app.login("thon1").token;
    post_form(app, &format!("/api/v1/disclosures/{id}/relays"), &thon1, &[("note", None, b"ok")]);
    let f = app.get(&format!("/api/v1/democracy/figures?from={from}&to={}", day(0)), Some(&bdh));
    let (a, b) = (&before.body["disclosures"], &f.body["disclosures"]);
    assert_eq!(b["total"].as_i64().unwrap(), a["total"].as_i64().unwrap() + 1);
    assert_eq!(b["relays_asked"].as_i64().unwrap(), a["relays_asked"].as_i64().unwrap() + 2);
    assert_eq!(b["relays_on_time"].as_i64().unwrap(), a["relays_on_time"].as_i64().unwrap() + 1);
    let by = |v: &Value, k: &str| {
        v["by_channel"].as_array().unwrap().iter().find(|c| c["key"] == k).map_or(0, |c| c["count"].as_i64().unwrap())
    };
    assert_eq!(by(b, "village_meeting"), by(a, "village_meeting") + 1);
    // Oversight: one line per commune it oversees; no figures of a single commune.
    let tinh = app.login("tinh").token;
    let o = app.get("/api/v1/democracy/oversight", Some(&tinh));
    assert_eq!(o.status, 200, "{}", o.text);
    assert!(o.body.as_array().unwrap().iter().any(|c| c["commune_name"] == "Bình Lương"));
    assert_eq!(app.get("/api/v1/democracy/figures", Some(&tinh)).status, 403);
    assert_eq!(app.get("/api/v1/democracy/figures?from=2026-05-01&to=2026-04-01", Some(&bdh)).status, 422);
}

fn the_demo_commune_has_a_year_of_disclosures(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let all = app.get("/api/v1/disclosures?per_page=200", Some(&bdh));
    let items = all.body["items"].as_array().unwrap();
    assert!(items.len() >= 18, "{}", all.text);
    let oldest = items.iter().map(|d| d["posted_from"].as_str().unwrap()).min().unwrap();
    assert!(oldest <= day(-300).as_str(), "a year of disclosures, oldest {oldest}");
    // One posting was taken down before its 30 days; budget execution every quarter.
    assert!(
        items.iter().any(|d| d["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "taken_down_before_minimum"))
    );
    assert!(items.iter().filter(|d| d["item_code"] == "D11-03").count() >= 4);
    // Some villages relayed late, some not at all yet.
    let late = items.iter().filter(|d| d["villages_total"].as_i64().unwrap() > 0).any(|d| {
        let detail = app.get(&format!("/api/v1/disclosures/{}", d["id"]), Some(&bdh));
        detail.body["villages"].as_array().unwrap().iter().any(|v| v["relay"]["on_time"] == false)
    });
    assert!(late);
    let alerts = app.get("/api/v1/disclosures/alerts", Some(&bdh));
    assert!(alerts.body.as_array().unwrap().iter().any(|a| a["kind"] == "relay_overdue"), "{}", alerts.text);
    // Two dialogues, with commitments kept on time, kept late, in progress, overdue, dropped, open.
    let d = app.get("/api/v1/dialogues", Some(&bdh));
    assert_eq!(d.body["total"], 2, "{}", d.text);
    let c = app.get("/api/v1/commitments?per_page=50", Some(&bdh));
    let cs = c.body["items"].as_array().unwrap();
    for s in ["done", "in_progress", "open", "dropped"] {
        assert!(cs.iter().any(|x| x["status"] == s), "{s}: {}", c.text);
    }
    assert!(cs.iter().any(|x| x["kept_on_time"] == true) && cs.iter().any(|x| x["kept_on_time"] == false));
    assert!(cs.iter().any(|x| x["overdue"] == true));
    // Every seeded periodic disclosure names its period.
    assert!(
        items
            .iter()
            .filter(|d| ["D11-03", "D11-08", "D11-09"].contains(&d["item_code"].as_str().unwrap()))
            .all(|d| d["period"].is_string())
    );
}

/// The disclosure and activity lists come from the read cache while nothing they show has
/// changed, and never after a change: made through the API or straight in the database (the
/// triggers of migration `001001_democracy_revision`), to a row, its villages, its relays, its
/// item, an activity, its units or its photos.
fn cached_lists_follow_every_change(app: &TestApp) {
    use diesel::prelude::*;
    use thanthien::db::schema::{
        activities, activity_units, democracy_files, disclosure_items, disclosure_villages, disclosures,
    };
    let bdh = app.login("bdh").token;
    let thon1 = app.login("thon1").token;
    let (t1, t2) = (app.unit_id(&bdh, "T1"), app.unit_id(&bdh, "T2"));
    let id = village_disclosure(app, &bdh, "Thông báo bộ nhớ đệm", 1);
    let list = |token: &str, query: &str| {
        let r = app.get(&format!("/api/v1/disclosures?per_page=200{query}"), Some(token));
        assert_eq!(r.status, 200, "{}", r.text);
        r.body
    };
    let row = |l: &Value| l["items"].as_array().unwrap().iter().find(|d| d["id"] == id).cloned();
    let first = list(&bdh, "");
    assert_eq!(first, list(&bdh, ""), "served twice alike");
    let d = row(&first).expect("listed");
    assert_eq!((d["villages_total"].as_i64(), d["villages_relayed"].as_i64()), (Some(2), Some(0)));
    assert!(row(&list(&thon1, "&unrelayed=true")).is_some(), "Thôn 1 still has it to relay");

    // Through the API: Thôn 1 relays; both the board's list and the village head's follow.
    let (s, e) =
        post_form(app, &format!("/api/v1/disclosures/{id}/relays"), &thon1, &[("note", None, b"da thong bao")]);
    assert_eq!(s, 201, "{e}");
    assert_eq!(row(&list(&bdh, "")).unwrap()["villages_relayed"], 1);
    assert!(row(&list(&thon1, "&unrelayed=true")).is_none(), "relayed: no longer to do");

    // Straight in the database: the row, its villages, its item.
    diesel::update(disclosures::table.find(id))
        .set(disclosures::title.eq("Tiêu đề sửa trong cơ sở dữ liệu"))
        .execute(&mut *app.conn())
        .unwrap();
    assert_eq!(row(&list(&bdh, "")).unwrap()["title"], "Tiêu đề sửa trong cơ sở dữ liệu");
    diesel::delete(
        disclosure_villages::table
            .filter(disclosure_villages::disclosure_id.eq(id))
            .filter(disclosure_villages::unit_id.eq(t2)),
    )
    .execute(&mut *app.conn())
    .unwrap();
    assert_eq!(row(&list(&bdh, "")).unwrap()["villages_total"], 1);
    let item = row(&list(&bdh, "")).unwrap()["item_id"].as_i64().unwrap();
    diesel::update(disclosure_items::table.find(item))
        .set(disclosure_items::name.eq("Tên danh mục sửa"))
        .execute(&mut *app.conn())
        .unwrap();
    assert_eq!(row(&list(&bdh, "")).unwrap()["item_name"], "Tên danh mục sửa");

    // Activities: through the API, then the row, its units and its photos in the database.
    let r = app.post(
        "/api/v1/activities",
        Some(&bdh),
        json!({ "kind": "awareness", "title": "Tuyên truyền bộ nhớ đệm", "held_on": day(-1), "place": "Nhà văn hóa",
                "channel": "meeting", "participants": 30, "unit_ids": [t1, t2] }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let aid = r.body["id"].as_i64().unwrap();
    let activity = || {
        let r = app.get("/api/v1/activities?per_page=200", Some(&bdh));
        assert_eq!(r.status, 200, "{}", r.text);
        r.body["items"].as_array().unwrap().iter().find(|a| a["id"] == aid).cloned().expect("listed")
    };
    assert_eq!(activity()["participants"], 30);
    let r = app.send(
        "PUT",
        &format!("/api/v1/activities/{aid}"),
        Some(&bdh),
        Some(
            json!({ "kind": "awareness", "title": "Tuyên truyền bộ nhớ đệm", "held_on": day(-1), "place": "Nhà văn hóa",
                "channel": "meeting", "participants": 45, "unit_ids": [t1, t2] }),
        ),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(activity()["participants"], 45);
    diesel::update(activities::table.find(aid))
        .set(activities::place.eq("Sân vận động xã"))
        .execute(&mut *app.conn())
        .unwrap();
    assert_eq!(activity()["place"], "Sân vận động xã");
    diesel::delete(
        activity_units::table.filter(activity_units::activity_id.eq(aid)).filter(activity_units::unit_id.eq(t2)),
    )
    .execute(&mut *app.conn())
    .unwrap();
    assert_eq!(activity()["village_ids"], json!([t1]));
    assert_eq!(activity()["photos"].as_array().map(Vec::len), Some(0));
    diesel::insert_into(democracy_files::table)
        .values((
            democracy_files::commune_id.eq(commune_id(app)),
            democracy_files::owner_kind.eq("activity"),
            democracy_files::owner_id.eq(aid),
            democracy_files::sha256.eq("0".repeat(64)),
            democracy_files::file_name.eq("anh.jpg"),
            democracy_files::content_type.eq("image/jpeg"),
            democracy_files::size.eq(3_i64),
            democracy_files::created_at.eq(Utc::now().naive_utc()),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    assert_eq!(activity()["photos"].as_array().map(Vec::len), Some(1));
}

both_engines!(
    the_demo_commune_has_a_year_of_disclosures,
    cached_lists_follow_every_change,
    items_ship_with_the_law_and_a_commune_edits_its_copy,
    a_disclosure_is_recorded_with_warnings_when_it_breaks_a_minimum,
    a_village_head_relays_for_their_own_village_only,
    alerts_name_late_villages_short_postings_and_missing_periods,
    citizens_read_the_public_page_and_download_documents,
    figures_count_by_item_channel_and_relays_on_time,
);

mod dialogues {
    use serde_json::json;

    use super::day;
    use crate::both_engines;
    use crate::harness::TestApp;

    fn dialogue(app: &TestApp, token: &str, held: i64, villages: &[i64]) -> i64 {
        let r = app.post(
            "/api/v1/dialogues",
            Some(token),
            json!({ "held_on": day(held), "place": "Hội trường UBND xã", "leaders": "Chủ tịch UBND xã; Chủ tịch UBMTTQ xã",
                    "participants": 120, "village_ids": villages, "topics": "Đường giao thông thôn 3, nước sinh hoạt",
                    "minutes": "Biên bản đối thoại", "issues": "Người dân đề nghị sửa đường thôn 3" }),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        r.body["id"].as_i64().unwrap()
    }

    fn commit(app: &TestApp, token: &str, dialogue: i64, unit: i64, due: i64) -> i64 {
        let r = app.post(
            &format!("/api/v1/dialogues/{dialogue}/commitments"),
            Some(token),
            json!({ "text": "Sửa 500 m đường thôn 3 trước mùa mưa", "owner_unit_id": unit, "due_on": day(due) }),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        r.body["id"].as_i64().unwrap()
    }

    pub fn commitments_are_tracked_reported_and_carried_to_the_next_dialogue(app: &TestApp) {
        let bdh = app.login("bdh").token;
        let admin = app.login("admin").token;
        let (t3, t4, ubnd) = (app.unit_id(&admin, "T3"), app.unit_id(&admin, "T4"), app.unit_id(&admin, "UBND"));
        let first = dialogue(app, &bdh, -60, &[t3]);
        let late = commit(app, &bdh, first, ubnd, -10);
        let village = commit(app, &bdh, first, t3, 20);
        // No owner unit picked (the form sends 0) and a due day before the dialogue: both said at
        // once, the unit as missing; an unknown dialogue is a 404 before any field.
        let bad = json!({ "text": "Cam kết thiếu đơn vị", "owner_unit_id": 0, "due_on": day(-61) });
        let r = app.post(&format!("/api/v1/dialogues/{first}/commitments"), Some(&bdh), bad.clone());
        assert_eq!(r.status, 422, "{}", r.text);
        let said = r.field_errors();
        let said: Vec<(&str, &str)> = said.iter().map(|(f, c)| (f.as_str(), c.as_str())).collect();
        assert_eq!(said, vec![("owner_unit_id", "required"), ("due_on", "invalid_value")], "{}", r.text);
        assert_eq!(app.post("/api/v1/dialogues/999999/commitments", Some(&bdh), bad).status, 404);
        // Overdue list: the one past its due day.
        // A year the database cannot hold is a field error, not a 500 (PostgreSQL's dates end
        // long before chrono's).
        let r = app.get("/api/v1/dialogues?year=-72098", Some(&bdh));
        assert_eq!((r.status, r.code()), (422, "validation_failed"), "{}", r.text);
        assert_eq!(app.get("/api/v1/dialogues?year=2026", Some(&bdh)).status, 200);
        let overdue = app.get("/api/v1/commitments?overdue=true", Some(&bdh));
        let ids: Vec<i64> =
            overdue.body["items"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
        assert!(ids.contains(&late) && !ids.contains(&village), "{}", overdue.text);
        // The owner village reports; another village may not (and does not even see it).
        let thon3 = app.login("thon3").token;
        let r = app.post(
            &format!("/api/v1/commitments/{village}/reports"),
            Some(&thon3),
            json!({ "text": "Đã đổ 200 m", "status": "in_progress" }),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        assert_eq!(r.body["status"], "in_progress");
        let thon4 = app.login("thon4").token;
        assert_eq!(
            app.post(
                &format!("/api/v1/commitments/{village}/reports"),
                Some(&thon4),
                json!({ "text": "x", "status": "done" })
            )
            .status,
            404
        );
        // Thôn 3 took part in the dialogue: it sees it and its commitments; the UBND's too, but
        // may not report on it.
        assert_eq!(app.get(&format!("/api/v1/dialogues/{first}"), Some(&thon3)).status, 200);
        assert_eq!(app.get(&format!("/api/v1/dialogues/{first}"), Some(&thon4)).status, 404);
        let r = app.post(
            &format!("/api/v1/commitments/{late}/reports"),
            Some(&thon3),
            json!({ "text": "x", "status": "done" }),
        );
        assert_eq!((r.status, r.code()), (409, "not_owner"));
        // Done late: kept, but not on time.
        let r = app.post(
            &format!("/api/v1/commitments/{late}/reports"),
            Some(&bdh),
            json!({ "text": "Đã hoàn thành", "status": "done" }),
        );
        assert_eq!(r.body["kept_on_time"], false, "{}", r.text);
        assert_eq!(r.body["reports"].as_array().unwrap().len(), 1);
        // The next dialogue opens with the earlier commitments still open.
        let second = dialogue(app, &bdh, -1, &[t4]);
        let d = app.get(&format!("/api/v1/dialogues/{second}"), Some(&bdh));
        let carried: Vec<i64> =
            d.body["open_from_earlier"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
        assert!(carried.contains(&village) && !carried.contains(&late), "{}", d.text);
        // A village head records no dialogue; a dialogue in the future is refused.
        let body = json!({ "held_on": day(-1), "place": "Nhà văn hóa thôn 3", "leaders": "x", "participants": 1, "topics": "x" });
        assert_eq!(app.post("/api/v1/dialogues", Some(&thon3), body).status, 403);
        let r = app.post(
            "/api/v1/dialogues",
            Some(&bdh),
            json!({ "held_on": day(3), "place": "x", "leaders": "x", "participants": 1, "topics": "x" }),
        );
        assert_eq!(r.status, 422);
        // Another commune sees nothing.
        let other = app.second_commune().token;
        assert_eq!(app.get(&format!("/api/v1/dialogues/{first}"), Some(&other)).status, 404);
        // The figures count dialogues and commitments kept on time.
        let f = app.get(&format!("/api/v1/democracy/figures?from={}&to={}", day(-90), day(30)), Some(&bdh));
        assert!(f.body["dialogues"]["held"].as_i64().unwrap() >= 2, "{}", f.text);
        assert!(f.body["dialogues"]["commitments_due"].as_i64().unwrap() >= 2);
    }

    pub fn a_commitment_becomes_a_task_of_the_current_plan_once(app: &TestApp) {
        let bdh = app.login("bdh").token;
        let admin = app.login("admin").token;
        let t3 = app.unit_id(&admin, "T3");
        let d = dialogue(app, &bdh, -5, &[t3]);
        let c = commit(app, &bdh, d, t3, 60);
        // The current plan is the demo's active plan; its third content area.
        let plans = app.get("/api/v1/plans?status=active", Some(&bdh));
        let plan = plans.body["items"].as_array().unwrap().iter().max_by_key(|p| p["year"].as_i64().unwrap()).unwrap()
            ["id"]
            .as_i64()
            .unwrap();
        let detail = app.get(&format!("/api/v1/plans/{plan}"), Some(&bdh));
        let area = detail.body["content_areas"][2]["id"].as_i64().unwrap();
        // Only those who edit the plan convert.
        let ubnd = app.login("ubnd").token;
        assert_eq!(
            app.post(&format!("/api/v1/commitments/{c}/task"), Some(&ubnd), json!({ "content_area_id": area })).status,
            403
        );
        let r = app.post(&format!("/api/v1/commitments/{c}/task"), Some(&bdh), json!({ "content_area_id": area }));
        assert_eq!(r.status, 200, "{}", r.text);
        let task = r.body["task_id"].as_i64().unwrap();
        // The task: led by the owner village, due on the commitment's day, naming the dialogue.
        let t = app.get(&format!("/api/v1/tasks/{task}"), Some(&bdh));
        assert_eq!(t.status, 200, "{}", t.text);
        assert_eq!(t.body["lead_unit_id"], t3);
        assert_eq!(t.body["due_date"], day(60).as_str());
        assert!(t.body["description"].as_str().unwrap().contains("đối thoại"));
        // And back: the commitment behind the task.
        let back = app.get(&format!("/api/v1/commitments?task_id={task}"), Some(&bdh));
        assert_eq!(back.body["items"][0]["id"], c, "{}", back.text);
        // Once.
        let again = app.post(&format!("/api/v1/commitments/{c}/task"), Some(&bdh), json!({ "content_area_id": area }));
        assert_eq!((again.status, again.code()), (409, "already_a_task"));
    }

    /// Records are corrected after they are made: a dialogue's content (PUT), a commitment's
    /// text, owner and due day (PATCH); a done commitment keeps its due day (409 item_done);
    /// village heads cannot, another commune cannot see it, bad input is a field error, and
    /// every edit is in the audit log with its before and after.
    pub fn a_dialogue_and_its_commitments_are_corrected(app: &TestApp) {
        let bdh = app.login("bdh").token;
        let admin = app.login("admin").token;
        let (t1, t3, ubnd) = (app.unit_id(&admin, "T1"), app.unit_id(&admin, "T3"), app.unit_id(&admin, "UBND"));
        let d = dialogue(app, &bdh, -30, &[t3]);
        let open = commit(app, &bdh, d, ubnd, 20);
        let done = commit(app, &bdh, d, t3, 10);
        commit(app, &bdh, d, ubnd, -25);
        let r = app.post(
            &format!("/api/v1/commitments/{done}/reports"),
            Some(&bdh),
            json!({ "text": "Xong", "status": "done" }),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        let body = json!({ "held_on": day(-29), "place": "Nhà văn hóa thôn 3", "leaders": "Chủ tịch UBND xã",
                           "participants": 95, "village_ids": [t3, t1], "topics": "Đường giao thông thôn 3",
                           "minutes": "Biên bản đã sửa", "issues": "Đề nghị sửa đường" });
        let path = format!("/api/v1/dialogues/{d}");
        // A village head cannot edit; the Front (front role) manages the records and can.
        let thon1 = app.login("thon1").token;
        assert_eq!(app.send("PUT", &path, Some(&thon1), Some(body.clone())).status, 403);
        let mttq = app.login("mttq").token;
        let r = app.send("PUT", &path, Some(&mttq), Some(body.clone()));
        assert_eq!(r.status, 200, "{}", r.text);
        let got = app.get(&path, Some(&bdh));
        assert_eq!(got.body["place"], "Nhà văn hóa thôn 3", "{}", got.text);
        assert_eq!(
            (got.body["participants"].as_i64(), got.body["held_on"].as_str()),
            (Some(95), Some(day(-29).as_str()))
        );
        assert_eq!(got.body["village_ids"].as_array().map(Vec::len), Some(2));
        assert_eq!(got.body["commitments"].as_array().map(Vec::len), Some(3), "commitments stay");
        // Bad input: field errors; the day may not pass a commitment's due day (one is due
        // 25 days ago).
        let mut bad = body.clone();
        bad["place"] = json!("");
        bad["participants"] = json!(-1);
        let r = app.send("PUT", &path, Some(&bdh), Some(bad));
        assert_eq!((r.status, r.code()), (422, "validation_failed"), "{}", r.text);
        let fields: Vec<&str> =
            r.body["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
        assert!(fields.contains(&"place") && fields.contains(&"participants"), "{fields:?}");
        let mut after_due = body.clone();
        after_due["held_on"] = json!(day(-1));
        after_due["participants"] = json!(1);
        let r = app.send("PUT", &path, Some(&bdh), Some(after_due));
        assert_eq!((r.status, r.body["errors"][0]["field"].as_str()), (422, Some("held_on")), "{}", r.text);
        // Another commune: not found, for the dialogue and its commitment.
        let other = app.second_commune().token;
        assert_eq!(app.send("PUT", &path, Some(&other), Some(body.clone())).status, 404);
        let cpath = format!("/api/v1/commitments/{open}");
        assert_eq!(app.patch(&cpath, Some(&other), json!({ "text": "X" })).status, 404);
        assert_eq!(app.patch(&cpath, Some(&thon1), json!({ "text": "X" })).status, 403);
        // A commitment's text, owner and due day.
        let r = app.patch(
            &cpath,
            Some(&bdh),
            json!({ "text": "Sửa 800 m đường thôn 3", "owner_unit_id": t3, "due_on": day(40) }),
        );
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(
            (r.body["text"].as_str(), r.body["owner_unit_id"].as_i64()),
            (Some("Sửa 800 m đường thôn 3"), Some(t3))
        );
        assert_eq!(r.body["due_on"].as_str(), Some(day(40).as_str()));
        let r = app.patch(&cpath, Some(&bdh), json!({ "due_on": day(-40), "owner_unit_id": 999_999 }));
        assert_eq!((r.status, r.code()), (422, "validation_failed"), "{}", r.text);
        assert_eq!(r.body["errors"].as_array().map(Vec::len), Some(2), "{}", r.text);
        let r = app.patch(&cpath, Some(&bdh), json!({ "text": "   " }));
        assert_eq!((r.status, r.body["errors"][0]["field"].as_str()), (422, Some("text")), "{}", r.text);
        // A done commitment keeps its due day and owner; its wording may be corrected.
        let dpath = format!("/api/v1/commitments/{done}");
        let r = app.patch(&dpath, Some(&bdh), json!({ "due_on": day(25) }));
        assert_eq!((r.status, r.code()), (409, "item_done"), "{}", r.text);
        let r = app.patch(&dpath, Some(&bdh), json!({ "owner_unit_id": ubnd }));
        assert_eq!((r.status, r.code()), (409, "item_done"), "{}", r.text);
        let r = app.patch(&dpath, Some(&bdh), json!({ "text": "Đã sửa 500 m đường thôn 3" }));
        assert_eq!((r.status, r.body["due_on"].as_str()), (200, Some(day(10).as_str())), "{}", r.text);
        // The audit log has each edit with its before and after.
        let log = app.get(&format!("/api/v1/audit?entity=dialogue&entity_id={d}&action=update"), Some(&admin));
        assert_eq!(log.status, 200, "{}", log.text);
        let line = &log.body["items"][0];
        assert_eq!(line["summary"]["place"], json!(["Hội trường UBND xã", "Nhà văn hóa thôn 3"]), "{}", log.text);
        let log = app.get(&format!("/api/v1/audit?entity=commitment&entity_id={open}&action=update"), Some(&admin));
        assert_eq!(log.body["items"][0]["summary"]["owner_unit_id"], json!([ubnd, t3]), "{}", log.text);
    }

    /// A meeting's decision and a board's supervision are corrected the same way.
    pub fn a_decision_and_a_supervision_are_corrected(app: &TestApp) {
        let bdh = app.login("bdh").token;
        let admin = app.login("admin").token;
        let (t1, ubnd, ttnd) = (app.unit_id(&admin, "T1"), app.unit_id(&admin, "UBND"), app.unit_id(&admin, "TTND"));
        let m = app.post(
            "/api/v1/meetings",
            Some(&bdh),
            json!({ "held_on": day(-20), "place": "UBND", "chaired_by": "Chủ tịch", "agenda": "Giao ban quý",
                    "units": [{ "unit_id": ubnd }] }),
        );
        assert_eq!(m.status, 201, "{}", m.text);
        let meeting = m.body["id"].as_i64().unwrap();
        let decide = |due: i64| {
            let r = app.post(
                &format!("/api/v1/meetings/{meeting}/decisions"),
                Some(&bdh),
                json!({ "text": "Sửa loa truyền thanh", "owner_unit_id": ubnd, "due_on": day(due) }),
            );
            assert_eq!(r.status, 201, "{}", r.text);
            r.body["id"].as_i64().unwrap()
        };
        let (open, done) = (decide(10), decide(5));
        let r = app.post(
            &format!("/api/v1/decisions/{done}/reports"),
            Some(&bdh),
            json!({ "text": "Xong", "status": "done" }),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        let path = format!("/api/v1/decisions/{open}");
        let thon1 = app.login("thon1").token;
        assert_eq!(app.patch(&path, Some(&thon1), json!({ "due_on": day(30) })).status, 403);
        assert_eq!(app.patch(&path, Some(&app.second_commune().token), json!({ "due_on": day(30) })).status, 404);
        let r = app.patch(&path, Some(&bdh), json!({ "due_on": day(30), "owner_unit_id": t1 }));
        assert_eq!((r.status, r.body["owner_unit_id"].as_i64()), (200, Some(t1)), "{}", r.text);
        let listed = app.get(&format!("/api/v1/decisions?owner_unit_id={t1}"), Some(&bdh));
        assert!(listed.body["items"].as_array().unwrap().iter().any(|d| d["id"] == open && d["due_on"] == day(30)));
        let r = app.patch(&path, Some(&bdh), json!({ "due_on": day(-21) }));
        assert_eq!((r.status, r.body["errors"][0]["field"].as_str()), (422, Some("due_on")), "{}", r.text);
        let r = app.patch(&format!("/api/v1/decisions/{done}"), Some(&bdh), json!({ "due_on": day(30) }));
        assert_eq!((r.status, r.code()), (409, "item_done"), "{}", r.text);
        let log = app.get(&format!("/api/v1/audit?entity=decision&entity_id={open}&action=update"), Some(&admin));
        assert_eq!(log.body["items"][0]["summary"]["due_on"], json!([day(10), day(30)]), "{}", log.text);

        // A supervision: board, day, subject, findings; its recommendations stay.
        let s = app.post(
            "/api/v1/supervisions",
            Some(&bdh),
            json!({ "board_unit_id": ttnd, "held_on": day(-15), "subject": "Giám sát đường thôn 1",
                    "recommendations": [{ "text": "Bổ sung rãnh thoát nước" }] }),
        );
        assert_eq!(s.status, 201, "{}", s.text);
        let sup = s.body["id"].as_i64().unwrap();
        let rec = s.body["recommendations"][0]["id"].as_i64().unwrap();
        let spath = format!("/api/v1/supervisions/{sup}");
        let body = json!({ "board_unit_id": ttnd, "held_on": day(-14), "subject": "Giám sát đường liên thôn 1–2",
                           "findings": "Thi công đúng thiết kế" });
        assert_eq!(app.send("PUT", &spath, Some(&thon1), Some(body.clone())).status, 403);
        assert_eq!(app.send("PUT", &spath, Some(&app.second_commune().token), Some(body.clone())).status, 404);
        let r = app.send("PUT", &spath, Some(&app.login("mttq").token), Some(body.clone()));
        assert_eq!(r.status, 200, "{}", r.text);
        let got = app.get(&spath, Some(&bdh));
        assert_eq!(
            (got.body["subject"].as_str(), got.body["findings"].as_str()),
            (Some("Giám sát đường liên thôn 1–2"), Some("Thi công đúng thiết kế")),
            "{}",
            got.text
        );
        assert_eq!(got.body["recommendations"].as_array().map(Vec::len), Some(1));
        let mut bad = body.clone();
        bad["board_unit_id"] = json!(ubnd);
        let r = app.send("PUT", &spath, Some(&bdh), Some(bad));
        assert_eq!((r.status, r.body["errors"][0]["field"].as_str()), (422, Some("board_unit_id")), "{}", r.text);
        // The day cannot move past a response already given.
        let r = app.send(
            "PUT",
            &format!("/api/v1/recommendations/{rec}/response"),
            Some(&bdh),
            Some(json!({ "status": "accepted", "answer": "Tiếp thu", "answered_on": day(-10) })),
        );
        assert_eq!(r.status, 200, "{}", r.text);
        let mut late = body.clone();
        late["held_on"] = json!(day(-5));
        let r = app.send("PUT", &spath, Some(&bdh), Some(late));
        assert_eq!((r.status, r.body["errors"][0]["field"].as_str()), (422, Some("held_on")), "{}", r.text);
        let log = app.get(&format!("/api/v1/audit?entity=supervision&entity_id={sup}&action=update"), Some(&admin));
        assert_eq!(log.body["items"][0]["summary"]["held_on"], json!([day(-15), day(-14)]), "{}", log.text);
    }

    both_engines!(
        commitments_are_tracked_reported_and_carried_to_the_next_dialogue,
        a_commitment_becomes_a_task_of_the_current_plan_once,
        a_dialogue_and_its_commitments_are_corrected,
        a_decision_and_a_supervision_are_corrected
    );
}
