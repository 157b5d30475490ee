//! Open311 GeoReport v2: discovery, services, definition, posting with a key,
//! lists with filters, one request, tokens, XML, errors as the spec writes them, and no
//! personal data in any answer. (The Python client library drives the same endpoints in
//! `tests/integration/run.sh`.)

use serde_json::json;

use crate::both_engines;
use crate::democracy::Part;
use crate::harness::{Res, TestApp};
use crate::integration::admin_key;

const NAME_FIRST: &str = "Phạm Văn";
const NAME_LAST: &str = "Riêng Tư";
const PHONE: &str = "0912 345 678";
const EMAIL: &str = "rieng.tu@example.org";
const SECRET_TEXT: &str = "Ông Hàng xóm Kín Đáo đổ rác";

fn post_form(app: &TestApp, path: &str, form: &[(&str, &str)]) -> Res {
    Res::from(app.client.post(app.url(path)).form(form).send().unwrap())
}

fn assert_no_personal_data(r: &Res) {
    // The phone in the forms it could be stored in; not its first four digits alone, which a
    // random request id or timestamp can contain (a flake seen under four test threads).
    for s in [NAME_FIRST, NAME_LAST, PHONE, "0912345678", "345 678", EMAIL, SECRET_TEXT] {
        assert!(!r.text.contains(s), "no personal data ({s}) in {}", r.text);
    }
}

fn open311_requests_end_to_end(app: &TestApp) {
    let admin = app.login("admin");
    let ubnd = app.login("ubnd");
    let commune = admin.user["commune_id"].as_i64().unwrap().to_string();
    let j = format!("jurisdiction_id={commune}");
    let (_, key) = admin_key(app, &admin.token, &["submit_feedback"]);
    let (_, reader) = admin_key(app, &admin.token, &["read_aggregates"]);

    // Discovery names this endpoint, both formats.
    let d = app.get("/open311/v2/discovery.json", None);
    assert_eq!(d.status, 200, "{}", d.text);
    assert_eq!(d.body["endpoints"][0]["specification"], "http://wiki.open311.org/GeoReport_v2");
    assert!(d.body["endpoints"][0]["url"].as_str().unwrap().ends_with("/open311/v2"));
    let x = app.get("/open311/v2/discovery.xml", None);
    assert!(x.headers["content-type"].to_str().unwrap().starts_with("text/xml"));
    assert!(x.text.contains("<discovery>") && x.text.contains("<format>application/json</format>"), "{}", x.text);

    // Services: the commune's feedback categories; jurisdiction_id is required.
    let s = app.get(&format!("/open311/v2/services.json?{j}"), None);
    assert_eq!(s.status, 200, "{}", s.text);
    let codes: Vec<&str> = s.body.as_array().unwrap().iter().map(|x| x["service_code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"moi-truong") && codes.contains(&"kien-nghi"), "{codes:?}");
    assert_eq!(s.body[0]["metadata"], true);
    let sx = app.get(&format!("/open311/v2/services.xml?{j}"), None);
    assert!(sx.text.contains("<services><service>") && sx.text.contains("<service_code>moi-truong</service_code>"));
    let none = app.get("/open311/v2/services.json", None);
    assert_eq!(none.status, 400, "{}", none.text);
    assert_eq!(none.body[0]["code"], 400);
    assert_eq!(app.get("/open311/v2/services.json?jurisdiction_id=999999", None).status, 404);
    assert_eq!(app.get(&format!("/open311/v2/services.yaml?{j}"), None).status, 404);

    // The definition lists the villages as a single-value list.
    let def = app.get(&format!("/open311/v2/services/moi-truong.json?{j}"), None);
    assert_eq!(def.status, 200, "{}", def.text);
    let attr = &def.body["attributes"][0];
    assert_eq!((attr["code"].as_str(), attr["datatype"].as_str()), (Some("village"), Some("singlevaluelist")));
    let village = attr["values"][0]["key"].as_str().unwrap().to_string();
    assert_eq!(app.get(&format!("/open311/v2/services/nope.json?{j}"), None).status, 404);

    // Posting needs a key with submit_feedback.
    let form = |k: &str| {
        vec![
            ("api_key".to_string(), k.to_string()),
            ("jurisdiction_id".into(), commune.clone()),
            ("service_code".into(), "moi-truong".into()),
            ("lat".into(), "19.2345".into()),
            ("long".into(), "105.4321".into()),
            ("address_string".into(), "Ngã ba cầu Khe Rồng".into()),
            ("first_name".into(), NAME_FIRST.into()),
            ("last_name".into(), NAME_LAST.into()),
            ("phone".into(), PHONE.into()),
            ("email".into(), EMAIL.into()),
            ("description".into(), format!("{SECRET_TEXT} xuống suối cạnh cầu.")),
            ("attribute[village]".into(), village.clone()),
        ]
    };
    let send = |f: Vec<(String, String)>| {
        let pairs: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        post_form(app, "/open311/v2/requests.json", &pairs)
    };
    let r = send(form(""));
    assert_eq!(r.status, 403, "{}", r.text);
    let r = send(form("tt_live_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    assert_eq!(r.status, 403, "{}", r.text);
    let r = send(form(&reader));
    assert_eq!(r.status, 403, "a key without submit_feedback: {}", r.text);
    let mut bad = form(&key);
    bad.retain(|(k, _)| !matches!(k.as_str(), "lat" | "long" | "address_string"));
    let r = send(bad);
    assert_eq!((r.status, r.body[0]["code"].as_i64()), (400, Some(400)), "a location is required: {}", r.text);
    let mut bad = form(&key);
    bad[2].1 = "khong-co".into();
    assert_eq!(send(bad).status, 400);

    let r = send(form(&key));
    assert_eq!(r.status, 201, "{}", r.text);
    assert_no_personal_data(&r);
    let id = r.body[0]["service_request_id"].as_str().unwrap().to_string();
    let token = r.body[0]["token"].as_str().unwrap().to_string();
    assert!(id.starts_with("DT-") && token.len() == 32, "{}", r.text);

    // It is a feedback petition with its legal clock, petitioner kept for the commune.
    let p = app.get(&format!("/api/v1/petitions?q={id}"), Some(&ubnd.token));
    let pid = p.body["items"][0]["id"].as_i64().unwrap();
    let detail = app.get(&format!("/api/v1/petitions/{pid}"), Some(&ubnd.token));
    assert_eq!(detail.body["petition"]["kind"], "feedback");
    assert_eq!(detail.body["petition"]["channel"], "online");
    assert_eq!(detail.body["petition"]["petitioner_name"], format!("{NAME_FIRST} {NAME_LAST}"));
    let due = detail.body["petition"]["due_at"].as_str().unwrap().to_string();

    // Token → id; the request by id; the list with filters.
    let t = app.get(&format!("/open311/v2/tokens/{token}.json?{j}"), None);
    assert_eq!((t.status, t.body[0]["service_request_id"].as_str()), (200, Some(id.as_str())), "{}", t.text);
    assert_eq!(app.get(&format!("/open311/v2/tokens/ffff.json?{j}"), None).status, 404);
    let one = app.get(&format!("/open311/v2/requests/{id}.json?{j}"), None);
    assert_eq!(one.status, 200, "{}", one.text);
    assert_no_personal_data(&one);
    let req = &one.body[0];
    assert_eq!(req["status"], "open");
    assert_eq!(req["service_code"], "moi-truong");
    assert_eq!(req["expected_datetime"].as_str(), Some(due.as_str()), "expected = the legal due time");
    assert_eq!(req["lat"], json!(19.2345));
    assert!(req["status_notes"].is_null());
    let xml = app.get(&format!("/open311/v2/requests/{id}.xml?{j}"), None);
    assert!(xml.text.contains("<service_requests><request>"), "{}", xml.text);
    assert!(xml.text.contains(&format!("<service_request_id>{id}</service_request_id>")));
    assert_no_personal_data(&xml);

    let list = |q: &str| app.get(&format!("/open311/v2/requests.json?{j}{q}"), None);
    let ids = |r: &Res| -> Vec<String> {
        r.body.as_array().unwrap().iter().map(|x| x["service_request_id"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(ids(&list("")), vec![id.clone()]);
    assert_eq!(ids(&list("&status=open")), vec![id.clone()]);
    assert!(ids(&list("&status=closed")).is_empty());
    assert!(ids(&list("&service_code=ha-tang")).is_empty());
    assert_eq!(ids(&list("&service_code=ha-tang,moi-truong")), vec![id.clone()]);
    assert!(ids(&list("&start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z")).is_empty());
    assert_eq!(list("&start_date=2020-01-01T00:00:00Z&end_date=2020-12-01T00:00:00Z").status, 400, "over 90 days");
    assert_eq!(list("&status=lost").status, 400);
    assert_eq!(list("&start_date=yesterday").status, 400);
    assert_eq!(ids(&list(&format!("&service_request_id={id}&status=closed"))), vec![id.clone()], "ids override");

    // The commune answers publicly: closed, with the answer as status_notes.
    let handler = ubnd.user["id"].as_i64().unwrap();
    for b in [
        json!({ "action": "accept" }),
        json!({ "action": "assign", "handler_id": handler }),
        json!({ "action": "conclude", "outcome": "upheld", "conclusion": "Đã thu gom.", "document_ref": "CV 11/UBND" }),
        json!({ "action": "publish", "answer": "UBND xã đã thu gom rác cạnh cầu.", "public": true }),
    ] {
        let r = app.post(&format!("/api/v1/petitions/{pid}/actions"), Some(&ubnd.token), b);
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let one = app.get(&format!("/open311/v2/requests/{id}.json?{j}"), None);
    assert_eq!(one.body[0]["status"], "closed");
    assert_eq!(one.body[0]["status_notes"], "UBND xã đã thu gom rác cạnh cầu.");
    assert_eq!(ids(&list("&status=closed")), vec![id.clone()]);

    // Refused keys are audited; accepted posts are counted as the key's use.
    let audit = app.get("/api/v1/audit?action=open311_request&per_page=10", Some(&admin.token));
    assert_eq!(audit.body["items"].as_array().unwrap().len(), 1, "{}", audit.text);
    let refused = app.get("/api/v1/audit?action=api_key_refused&per_page=50", Some(&admin.token));
    let reasons: Vec<&str> =
        refused.body["items"].as_array().unwrap().iter().filter_map(|e| e["summary"]["reason"].as_str()).collect();
    assert!(reasons.contains(&"scope_denied"), "{reasons:?}");
}

fn post_multipart(app: &TestApp, path: &str, parts: &[Part<'_>]) -> Res {
    let (ct, body) = crate::democracy::multipart(parts);
    Res::from(app.client.post(app.url(path)).header("content-type", ct).body(body).send().unwrap())
}

/// FixMyStreet's extension: a multipart post with a `media` file. The photo is kept with the
/// petition for the commune's staff, checked by content, and never served through Open311.
fn a_multipart_post_keeps_its_photo_for_the_staff(app: &TestApp) {
    use crate::democracy::PNG;
    let admin = app.login("admin");
    let ubnd = app.login("ubnd");
    let commune = admin.user["commune_id"].as_i64().unwrap().to_string();
    let (_, key) = admin_key(app, &admin.token, &["submit_feedback"]);
    let fields = |description: &'static str| -> Vec<Part<'_>> {
        vec![
            ("jurisdiction_id", None, commune.as_bytes()),
            ("api_key", None, key.as_bytes()),
            ("service_code", None, b"moi-truong"),
            ("address_string", None, "Bãi rác đầu thôn 3".as_bytes()),
            ("first_name", None, NAME_FIRST.as_bytes()),
            ("description", None, description.as_bytes()),
            ("extra_field", None, b"left aside"),
        ]
    };
    fn with<'a>(app: &TestApp, mut parts: Vec<Part<'a>>, media: Part<'a>) -> Res {
        parts.push(media);
        post_multipart(app, "/open311/v2/requests.json", &parts)
    }
    // Not a photo: 415 in the spec's error list, and nothing received.
    let r =
        with(app, fields("Rác thải chưa được thu gom ở bãi đầu thôn."), ("media", Some("ghi-chu.txt"), b"plain text"));
    assert_eq!((r.status, r.body[0]["code"].as_i64()), (415, Some(415)), "{}", r.text);
    // A field error still reads as the spec's 400 (the description is too short).
    let r = with(app, fields("x"), ("media", Some("rac.png"), PNG));
    assert_eq!(r.status, 400, "{}", r.text);
    let r = with(app, fields("Rác thải chưa được thu gom ở bãi đầu thôn."), ("media", Some("rac.png"), PNG));
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body[0]["service_request_id"].as_str().unwrap().to_string();
    // The staff find the petition with the photo; Open311 never serves it.
    let p = app.get(&format!("/api/v1/petitions?q={id}"), Some(&ubnd.token));
    let pid = p.body["items"][0]["id"].as_i64().unwrap();
    let detail = app.get(&format!("/api/v1/petitions/{pid}"), Some(&ubnd.token));
    let photos = detail.body["photos"].as_array().unwrap().clone();
    assert_eq!(photos.len(), 1, "{}", detail.text);
    assert_eq!(
        (photos[0]["content_type"].as_str(), photos[0]["file_name"].as_str()),
        (Some("image/png"), Some("rac.png"))
    );
    let url = photos[0]["url"].as_str().unwrap().to_string();
    assert_eq!(crate::democracy::get_bytes(app, &url, Some(&ubnd.token)), (200, PNG.to_vec()));
    let one = app.get(&format!("/open311/v2/requests/{id}.json?jurisdiction_id={commune}"), None);
    assert_eq!(one.status, 200, "{}", one.text);
    assert!(one.body[0]["media_url"].is_null() && !one.text.contains("/photos/"), "{}", one.text);
    // The refused posts left no petition behind.
    let all = app.get("/api/v1/petitions?q=thu%20gom%20o%20bai%20dau%20thon", Some(&ubnd.token));
    assert_eq!(all.body["total"].as_i64(), Some(1), "{}", all.text);
    // Without a key the file is never kept.
    let mut parts = fields("Rác thải chưa được thu gom ở bãi đầu thôn.");
    parts.retain(|(n, _, _)| *n != "api_key");
    let r = with(app, parts, ("media", Some("rac.png"), PNG));
    assert_eq!(r.status, 403, "{}", r.text);
}

fn service_codes(app: &TestApp, j: &str) -> Vec<String> {
    let s = app.get(&format!("/open311/v2/services.json?{j}"), None);
    assert_eq!(s.status, 200, "{}", s.text);
    s.body.as_array().unwrap().iter().map(|x| x["service_code"].as_str().unwrap().to_string()).collect()
}

fn the_commune_manages_its_categories(app: &TestApp) {
    let admin = app.login("admin");
    let commune = admin.user["commune_id"].as_i64().unwrap().to_string();
    let j = format!("jurisdiction_id={commune}");
    // The defaults until the first change; only the admin (manage_settings) manages them.
    let l = app.get("/api/v1/feedback-categories", Some(&admin.token));
    assert_eq!(l.status, 200, "{}", l.text);
    assert_eq!(l.body.as_array().unwrap().len(), 6);
    assert!(l.body.as_array().unwrap().iter().all(|c| c["inherited"] == true));
    let ubnd = app.login("ubnd").token;
    assert_eq!(app.get("/api/v1/feedback-categories", Some(&ubnd)).status, 403);
    let new = json!({ "code": "den-duong", "name": "Đèn chiếu sáng công cộng", "kind": "feedback",
        "description": "Đèn đường hỏng, tắt", "grouping": "Hạ tầng", "keywords": "đèn,chiếu sáng" });
    assert_eq!(app.post("/api/v1/feedback-categories", Some(&ubnd), new.clone()).status, 403);

    // Field errors: a bad code, an empty name, an unknown kind.
    let r = app.post(
        "/api/v1/feedback-categories",
        Some(&admin.token),
        json!({ "code": "Đèn Đường", "name": " ", "kind": "complaint" }),
    );
    assert_eq!(r.status, 422, "{}", r.text);
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"code") && fields.contains(&"name") && fields.contains(&"kind"), "{fields:?}");

    // Created: the defaults become the commune's own rows, plus the new one; Open311 shows it.
    let r = app.post("/api/v1/feedback-categories", Some(&admin.token), new.clone());
    assert_eq!(r.status, 201, "{}", r.text);
    let den = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["inherited"], false);
    let l = app.get("/api/v1/feedback-categories", Some(&admin.token));
    assert_eq!(l.body.as_array().unwrap().len(), 7, "{}", l.text);
    assert!(l.body.as_array().unwrap().iter().all(|c| c["inherited"] == false));
    let codes = service_codes(app, &j);
    assert!(codes.contains(&"den-duong".to_string()) && codes.contains(&"moi-truong".to_string()), "{codes:?}");
    let def = app.get(&format!("/open311/v2/services/den-duong.json?{j}"), None);
    assert_eq!(def.status, 200, "{}", def.text);
    // The code is unique in the commune.
    let r = app.post("/api/v1/feedback-categories", Some(&admin.token), new);
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(
        (r.body["errors"][0]["field"].as_str(), r.body["errors"][0]["code"].as_str()),
        (Some("code"), Some("duplicate"))
    );

    // Renamed, then a request uses the code: the code stays from then on.
    let r =
        app.patch(&format!("/api/v1/feedback-categories/{den}"), Some(&admin.token), json!({ "name": "Đèn đường" }));
    assert_eq!((r.status, r.body["name"].as_str()), (200, Some("Đèn đường")), "{}", r.text);
    let (_, key) = admin_key(app, &admin.token, &["submit_feedback"]);
    let p = post_form(
        app,
        "/open311/v2/requests.json",
        &[
            ("api_key", key.as_str()),
            ("jurisdiction_id", commune.as_str()),
            ("service_code", "den-duong"),
            ("lat", "19.80"),
            ("long", "105.77"),
            ("description", "Đèn đường đầu thôn không sáng"),
            ("media_url", "https://photos.example.org/den.jpg"),
        ],
    );
    assert_eq!(p.status, 201, "{}", p.text);
    let r = app.patch(&format!("/api/v1/feedback-categories/{den}"), Some(&admin.token), json!({ "code": "den" }));
    assert_eq!((r.status, r.code()), (409, "code_in_use"), "{}", r.text);
    let l = app.get("/api/v1/feedback-categories", Some(&admin.token));
    let row = l.body.as_array().unwrap().iter().find(|c| c["id"] == den).unwrap().clone();
    assert_eq!(row["used"], true);

    // Deactivated: gone from services.json, its request still named.
    let r = app.patch(&format!("/api/v1/feedback-categories/{den}"), Some(&admin.token), json!({ "active": false }));
    assert_eq!((r.status, r.body["active"].as_bool()), (200, Some(false)), "{}", r.text);
    assert!(!service_codes(app, &j).contains(&"den-duong".to_string()));
    assert_eq!(app.get(&format!("/open311/v2/services/den-duong.json?{j}"), None).status, 404);
    let req = app.get(&format!("/open311/v2/requests.json?{j}&service_code=den-duong"), None);
    assert_eq!(req.body[0]["service_name"], "Đèn đường", "{}", req.text);
    assert!(req.body[0]["media_url"].is_null(), "no photo address before a public answer: {}", req.text);

    // Audited; another commune's admin cannot touch it.
    let audit = app.get("/api/v1/audit?entity=feedback_category&per_page=20", Some(&admin.token));
    let actions: Vec<&str> =
        audit.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(
        actions.contains(&"create") && actions.contains(&"update") && actions.contains(&"deactivate"),
        "{actions:?}"
    );
    let other = app.second_commune();
    let r = app.patch(&format!("/api/v1/feedback-categories/{den}"), Some(&other.token), json!({ "name": "x" }));
    assert_eq!(r.status, 404, "{}", r.text);
}

both_engines!(
    open311_requests_end_to_end,
    a_multipart_post_keeps_its_photo_for_the_staff,
    the_commune_manages_its_categories
);
