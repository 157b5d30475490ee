//! Signed events against receivers this test starts on loopback: the signature
//! verified by the receiver, a receiver that fails twice then succeeds, one that never
//! answers (bounded by the timeout, then the subscription is turned off), "send again", and
//! two delivery workers on one queue never sending a delivery twice.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::harness::{TestApp, text_outside_generated, wait_for};
use crate::integration::issue;

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Hit {
    headers: HashMap<String, String>,
    body: String,
}

/// A receiver on 127.0.0.1: `answer(n)` is the status for the n-th request (0-based), or
/// `None` to never answer it.
struct Receiver {
    url: String,
    hits: Arc<Mutex<Vec<Hit>>>,
}

fn read_request(stream: &mut TcpStream) -> Option<Hit> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let headers: HashMap<String, String> = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    while buf.len() < head_end + len {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(Hit { headers, body: String::from_utf8_lossy(&buf[head_end..]).to_string() })
}

fn receiver(answer: impl Fn(usize) -> Option<u16> + Send + 'static) -> Receiver {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let hits = Arc::new(Mutex::new(Vec::new()));
    let seen = hits.clone();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Some(hit) = read_request(&mut stream) else { continue };
            let n = {
                let mut h = seen.lock().unwrap();
                h.push(hit);
                h.len() - 1
            };
            match answer(n) {
                Some(code) => {
                    let _ = write!(stream, "HTTP/1.1 {code} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                }
                // Never answers: the connection stays open until the sender gives up.
                None => held.push(stream),
            }
        }
    });
    Receiver { url, hits }
}

impl Receiver {
    fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }
}

/// The receiver's check: `t=…,v1=…` is HMAC-SHA256(secret, "t.body").
fn verify(secret: &str, hit: &Hit) -> bool {
    let Some(sig) = hit.headers.get("x-thanthien-signature") else { return false };
    let mut t = "";
    let mut v1 = "";
    for part in sig.split(',') {
        match part.split_once('=') {
            Some(("t", x)) => t = x,
            Some(("v1", x)) => v1 = x,
            _ => {}
        }
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{}", hit.body).as_bytes());
    let expected = hex::encode(mac.finalize().into_bytes());
    !t.is_empty() && expected == v1
}

fn fast(c: &mut thanthien::config::Config) {
    c.integration.webhook_poll_ms = 100;
    c.integration.webhook_retry_base_secs = 1;
    c.integration.webhook_timeout_secs = 2;
    c.integration.webhook_max_failures = 3;
    c.integration.webhook_allow_private_targets = true;
}

/// Subscribes key `key_id` to `events` at `url` as `admin`: the subscription id and its secret.
pub(crate) fn subscribe(app: &TestApp, admin: &str, key_id: i64, url: &str, events: &[&str]) -> (i64, String) {
    let r =
        app.post(&format!("/api/v1/api-keys/{key_id}/webhooks"), Some(admin), json!({ "url": url, "events": events }));
    assert_eq!(r.status, 201, "{}", r.text);
    (r.body["subscription"]["id"].as_i64().unwrap(), r.body["secret"].as_str().unwrap().to_string())
}

fn feedback(app: &TestApp, commune: i64, n: usize) {
    let r = app.post(
        &format!("/api/v1/public/communes/{commune}/petitions"),
        None,
        json!({ "kind": "feedback", "subject": format!("Đèn đường hỏng số {n}"), "content": "Đèn đường trước nhà văn hóa thôn không sáng.", "name": "Trần Thị Bí Danh", "phone": "0977 000 111" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
}

fn deliveries(app: &TestApp, admin: &str, sub: i64) -> Vec<Value> {
    let r = app.get(&format!("/api/v1/webhooks/{sub}/deliveries"), Some(admin));
    assert_eq!(r.status, 200, "{}", r.text);
    r.body.as_array().unwrap().clone()
}

fn signed_retried_and_sent_again(app: &TestApp) {
    let admin = app.login("admin");
    let commune = admin.user["commune_id"].as_i64().unwrap();
    let (key_id, key) = issue(
        app,
        &admin.token,
        json!({ "name": "Trục tích hợp tỉnh", "owner": "Sở TT&TT", "kind": "live", "scopes": ["receive_webhooks", "submit_feedback"] }),
    );
    let (reader_id, _) = issue(
        app,
        &admin.token,
        json!({ "name": "Chỉ đọc", "owner": "Tỉnh", "kind": "live", "scopes": ["read_aggregates"] }),
    );
    let rx = receiver(|n| {
        Some(match n {
            0 => 500,
            1 => 503,
            _ => 200,
        })
    });
    // Refusals: a key without the scope, https (no TLS built in), a made-up event, not http.
    let r = app.post(
        &format!("/api/v1/api-keys/{reader_id}/webhooks"),
        Some(&admin.token),
        json!({ "url": rx.url, "events": ["petition.received"] }),
    );
    assert_eq!((r.status, r.code()), (409, "scope_missing"), "{}", r.text);
    for (url, events) in [
        ("https://user@hooks.example.org/hook", json!(["petition.received"])),
        (rx.url.as_str(), json!(["petition.exploded"])),
        ("file:///etc/passwd", json!(["petition.received"])),
    ] {
        let r = app.post(
            &format!("/api/v1/api-keys/{key_id}/webhooks"),
            Some(&admin.token),
            json!({ "url": url, "events": events }),
        );
        assert_eq!(r.status, 422, "{url}: {}", r.text);
    }
    // An event tells no more than the key may read: this key (feedback, events) cannot hear of
    // dossiers or tasks; each is named under `events`.
    let r = app.post(
        &format!("/api/v1/api-keys/{key_id}/webhooks"),
        Some(&admin.token),
        json!({ "url": rx.url, "events": ["petition.received", "dossier.received", "task.overdue"] }),
    );
    assert_eq!(r.status, 422, "{}", r.text);
    let said: Vec<(&str, &str)> = r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["code"].as_str().unwrap(), e["message"].as_str().unwrap()))
        .collect();
    assert_eq!(said.len(), 2, "{said:?}");
    assert!(said.iter().all(|(code, _)| *code == "scope_missing"), "{said:?}");
    assert!(said[0].1.contains("Hồ sơ được tiếp nhận") && said[0].1.contains("Đọc hồ sơ"), "{said:?}");
    assert!(said[1].1.contains("task.overdue") && said[1].1.contains("Đọc kế hoạch"), "{said:?}");
    let (sub, secret) = subscribe(app, &admin.token, key_id, &rx.url, &["petition.received"]);
    assert!(secret.starts_with("whsec_"));
    let listed = app.get(&format!("/api/v1/api-keys/{key_id}/webhooks"), Some(&admin.token));
    assert!(!listed.text.contains(&secret), "the secret is shown once");

    feedback(app, commune, 1);
    wait_for(60, "three attempts, the last one delivered", || {
        deliveries(app, &admin.token, sub).first().is_some_and(|d| d["status"] == "delivered")
    });
    let hits = rx.hits();
    assert_eq!(hits.len(), 3, "failed twice, then delivered once");
    for h in &hits {
        assert!(verify(&secret, h), "the receiver verifies the signature: {h:?}");
        assert!(!verify("whsec_wrong", h));
        assert_eq!(h.headers["x-thanthien-event"], "petition.received");
        assert_eq!(h.headers["x-thanthien-key"], key[..16]);
        let shown = text_outside_generated(&serde_json::from_str(&h.body).unwrap());
        assert!(!shown.contains("Bí Danh") && !shown.contains("0977"), "no personal data: {}", h.body);
    }
    let body: Value = serde_json::from_str(&hits[0].body).unwrap();
    assert_eq!(body["event"], "petition.received");
    assert_eq!(body["commune_id"], commune);
    assert_eq!(body["data"]["kind"], "feedback");
    assert_eq!(hits[0].headers["x-thanthien-delivery"], hits[2].headers["x-thanthien-delivery"], "one event, retried");
    let log = deliveries(app, &admin.token, sub);
    let codes: Vec<i64> =
        log[0]["log"].as_array().unwrap().iter().map(|a| a["status_code"].as_i64().unwrap()).collect();
    assert_eq!(codes, [500, 503, 200]);
    // Back-off: the second retry waited longer than the first.
    let at: Vec<chrono::DateTime<chrono::Utc>> =
        log[0]["log"].as_array().unwrap().iter().map(|a| a["at"].as_str().unwrap().parse().unwrap()).collect();
    assert!(at[1] - at[0] >= chrono::Duration::milliseconds(900), "{at:?}");
    assert!(at[2] - at[1] >= chrono::Duration::milliseconds(1900), "{at:?}");

    // Send again.
    let id = log[0]["id"].as_i64().unwrap();
    assert_eq!(app.post(&format!("/api/v1/webhook-deliveries/{id}/resend"), Some(&admin.token), json!({})).status, 204);
    wait_for(30, "the delivery sent again", || rx.hits().len() == 4);
    assert_eq!(rx.hits()[3].headers["x-thanthien-delivery"], hits[0].headers["x-thanthien-delivery"]);

    // Another commune's admin sees nothing of it.
    let other = app.second_commune();
    assert_eq!(app.get(&format!("/api/v1/webhooks/{sub}/deliveries"), Some(&other.token)).status, 404);

    // A second worker on the same queue: every event reaches the receiver exactly once.
    let pool = app.state.pool.clone();
    let config = app.state.config.integration.clone();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stopping = stop.clone();
    let second = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let client = reqwest::Client::builder().timeout(Duration::from_secs(2)).build().unwrap();
            while !stopping.load(std::sync::atomic::Ordering::Relaxed) {
                thanthien::webhooks::deliver::round(&pool, &client, "second-instance", &config).await;
                actix_web::rt::time::sleep(Duration::from_millis(20)).await;
            }
        });
    });
    for n in 2..12 {
        feedback(app, commune, n);
    }
    wait_for(60, "ten more deliveries", || rx.hits().len() >= 14);
    std::thread::sleep(Duration::from_millis(500));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    second.join().unwrap();
    let mut ids: Vec<String> = rx.hits()[4..].iter().map(|h| h.headers["x-thanthien-delivery"].clone()).collect();
    assert_eq!(ids.len(), 10, "each delivery sent once");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 10);
}

fn a_receiver_that_never_answers_is_turned_off(app: &TestApp) {
    let admin = app.login("admin");
    let commune = admin.user["commune_id"].as_i64().unwrap();
    let (key_id, _) = issue(
        app,
        &admin.token,
        json!({ "name": "Hệ thống im lặng", "owner": "Huyện", "kind": "live", "scopes": ["receive_webhooks", "submit_feedback"] }),
    );
    let rx = receiver(|_| None);
    let (sub, _) = subscribe(app, &admin.token, key_id, &rx.url, &["petition.received"]);
    feedback(app, commune, 1);
    // Three attempts of at most the 2 s timeout, with 1 s and 2 s between them: turned off within
    // seconds (the bound of the wait is for a loaded machine).
    wait_for(60, "the subscription turned off", || {
        let r = app.get(&format!("/api/v1/api-keys/{key_id}/webhooks"), Some(&admin.token));
        r.body[0]["active"] == false
    });
    let log = deliveries(app, &admin.token, sub);
    let attempts = log[0]["log"].as_array().unwrap();
    assert_eq!(attempts.len(), 3);
    let at: Vec<chrono::DateTime<chrono::Utc>> =
        attempts.iter().map(|a| a["at"].as_str().unwrap().parse().unwrap()).collect();
    assert!(at[1] - at[0] >= chrono::Duration::milliseconds(900), "{at:?}");
    assert!(at[2] - at[1] >= chrono::Duration::milliseconds(1900), "{at:?}");
    for a in attempts {
        assert!(a["status_code"].is_null());
        assert!(a["error"].as_str().unwrap().starts_with("timeout"), "{a}");
        assert!(a["duration_ms"].as_i64().unwrap() < 4000, "bounded by the timeout: {a}");
    }
    assert_eq!(log[0]["status"], "pending", "kept for when the subscription is on again");
    let r = app.get(&format!("/api/v1/api-keys/{key_id}/webhooks"), Some(&admin.token));
    // Why, as data: the last failure in the delivery log's words, after how many in a row.
    assert_eq!(
        (r.body[0]["disabled_reason"].as_str(), r.body[0]["consecutive_failures"].as_i64()),
        (Some("timeout"), Some(3)),
        "{}",
        r.text
    );
    // The admin's notice is in the audit log.
    let audit = app.get("/api/v1/audit?action=webhook_disabled&per_page=5", Some(&admin.token));
    assert_eq!(audit.body["items"].as_array().unwrap().len(), 1, "{}", audit.text);
    // Nothing more is sent while it is off; on again clears the count.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(rx.hits().len(), 3);
    let r = app.patch(&format!("/api/v1/webhooks/{sub}"), Some(&admin.token), json!({ "active": true }));
    assert_eq!((r.status, r.body["consecutive_failures"].as_i64()), (200, Some(0)), "{}", r.text);
}

fn a_deleted_subscription_is_gone_with_its_log(app: &TestApp) {
    let admin = app.login("admin");
    let commune = admin.user["commune_id"].as_i64().unwrap();
    let (key_id, _) = issue(
        app,
        &admin.token,
        json!({ "name": "Hệ thống cũ", "owner": "Huyện", "kind": "live", "scopes": ["receive_webhooks", "submit_feedback"] }),
    );
    let rx = receiver(|_| Some(200));
    let (sub, _) = subscribe(app, &admin.token, key_id, &rx.url, &["petition.received"]);
    feedback(app, commune, 1);
    wait_for(60, "the first event delivered", || {
        deliveries(app, &admin.token, sub).first().is_some_and(|d| d["status"] == "delivered")
    });

    let r = app.send("DELETE", &format!("/api/v1/webhooks/{sub}"), Some(&admin.token), None);
    assert_eq!(r.status, 204, "{}", r.text);
    let listed = app.get(&format!("/api/v1/api-keys/{key_id}/webhooks"), Some(&admin.token));
    assert_eq!(listed.body.as_array().map(Vec::len), Some(0), "{}", listed.text);
    assert_eq!(app.get(&format!("/api/v1/webhooks/{sub}/deliveries"), Some(&admin.token)).status, 404);
    assert_eq!(app.send("DELETE", &format!("/api/v1/webhooks/{sub}"), Some(&admin.token), None).status, 404);
    let audit = app.get("/api/v1/audit?action=delete&entity=webhook_subscription&per_page=5", Some(&admin.token));
    let entries = audit.body["items"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{}", audit.text);
    assert_eq!(entries[0]["summary"]["deliveries"], 1, "{}", audit.text);

    // A new event reaches the key's new subscription and not the deleted one.
    let (again, _) = subscribe(app, &admin.token, key_id, &rx.url, &["petition.received"]);
    feedback(app, commune, 2);
    wait_for(60, "the second event delivered to the new subscription", || {
        deliveries(app, &admin.token, again).first().is_some_and(|d| d["status"] == "delivered")
    });
    let subjects: Vec<String> = rx.hits().iter().map(|h| subject(&serde_json::from_str(&h.body).unwrap())).collect();
    assert_eq!(subjects.len(), 2, "one delivery each: {subjects:?}");
}

/// Moves a column of one row to `value` (SQL text valid on both engines): a due time passed.
fn set_column(app: &TestApp, table: &str, column: &str, value: &str, id: i64) {
    use diesel::RunQueryDsl;
    let mut c = app.conn();
    let n =
        diesel::sql_query(format!("UPDATE {table} SET {column} = '{value}' WHERE id = {id}")).execute(&mut *c).unwrap();
    assert_eq!(n, 1, "{table} {id}");
}

fn db_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.naive_utc().format("%Y-%m-%d %H:%M:%S").to_string()
}

/// The subject an event announces (a code, or the id of a task or an evaluation).
fn subject(body: &Value) -> String {
    let d = &body["data"];
    d["code"].as_str().map(str::to_string).unwrap_or_else(|| format!("{}{}", d["task_id"], d["evaluation_id"]))
}

fn new_events_each_delivered_once_and_signed(app: &TestApp) {
    let admin = app.login("admin");
    let commune = admin.user["commune_id"].as_i64().unwrap();
    let (key_id, _) = issue(
        app,
        &admin.token,
        json!({ "name": "Trục sự kiện tỉnh", "owner": "Sở TT&TT", "kind": "live",
                "scopes": ["receive_webhooks", "read_dossiers_masked", "submit_feedback", "read_plans"] }),
    );
    let rx = receiver(|_| Some(200));
    let events = [
        "dossier.resolved",
        "dossier.returned",
        "dossier.late",
        "petition.accepted",
        "petition.concluded",
        "petition.overdue",
        "task.overdue",
        "evaluation.published",
    ];
    let (sub, secret) = subscribe(app, &admin.token, key_id, &rx.url, &events);

    // A dossier resolved (9) then returned (10).
    let ubnd = app.login("ubnd").token;
    let procs = app.get("/api/v1/procedures?q=1.004859", Some(&ubnd));
    let proc_id = procs.body["items"][0]["id"].as_i64().unwrap();
    let applicant = json!({ "name": "Nguyễn Văn Hưởng", "phone": "0912 345 678", "id_number": "038090001234", "address": "Thôn 3" });
    let intake = || {
        let r = app.post(
            "/api/v1/dossiers",
            Some(&ubnd),
            json!({ "procedure_id": proc_id, "channel": 1, "applicant": applicant }),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        (r.body["id"].as_i64().unwrap(), r.body["code"].as_str().unwrap().to_string())
    };
    let act = |path: &str, body: Value| {
        let r = app.post(path, Some(&ubnd), body);
        assert_eq!(r.status, 200, "{path}: {}", r.text);
    };
    let (done, done_code) = intake();
    for a in ["start_processing", "resolve", "return_result"] {
        act(&format!("/api/v1/dossiers/{done}/actions"), json!({ "action": a }));
    }
    // A dossier in processing whose due time passed an hour ago.
    let (late, late_code) = intake();
    act(&format!("/api/v1/dossiers/{late}/actions"), json!({ "action": "start_processing" }));
    set_column(app, "dossiers", "due_at", &db_time(chrono::Utc::now() - chrono::Duration::hours(1)), late);

    // A feedback accepted, assigned, concluded; another one left overdue; a denunciation
    // accepted (never an event).
    let petition = |body: Value| {
        let r = app.post("/api/v1/petitions", Some(&ubnd), body);
        assert_eq!(r.status, 201, "{}", r.text);
        (r.body["id"].as_i64().unwrap(), r.body["code"].as_str().unwrap().to_string())
    };
    let feedback_body = json!({ "kind": "feedback", "channel": "desk", "subject": "Cống thoát nước tắc",
        "content": "Cống trước nhà ông Bí Mật bị tắc.", "petitioner_name": "Lê Văn Bí Mật", "phone": "0988 111 222" });
    let (fb, fb_code) = petition(feedback_body.clone());
    let handler = app.user_id(&admin.token, "ubnd");
    let pa = format!("/api/v1/petitions/{fb}/actions");
    act(&pa, json!({ "action": "accept" }));
    act(&pa, json!({ "action": "assign", "handler_id": handler }));
    act(
        &pa,
        json!({ "action": "conclude", "outcome": "upheld", "conclusion": "Đã thông cống.", "document_ref": "01/TB" }),
    );
    let (overdue, overdue_code) = petition(feedback_body);
    set_column(app, "petitions", "due_at", &db_time(chrono::Utc::now() - chrono::Duration::hours(2)), overdue);
    let (den, _) = petition(json!({ "kind": "denunciation", "channel": "post", "subject": "Tố cáo cán bộ",
        "content": "Cán bộ thu tiền sai quy định.", "identity": { "name": "Người Tố Cáo", "address": "Thôn 1", "phone": "0911 000 999", "id_number": "038000000001" } }));
    act(&format!("/api/v1/petitions/{den}/actions"), json!({ "action": "accept" }));

    // A plan task still in progress whose due date was two days ago.
    let today = thanthien::time::today_local();
    let task: i64 = {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Id {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            id: i64,
        }
        let mut c = app.conn();
        let rows: Vec<Id> =
            diesel::sql_query(format!("SELECT id FROM tasks WHERE commune_id = {commune} ORDER BY id LIMIT 1"))
                .load(&mut *c)
                .unwrap();
        rows[0].id
    };
    set_column(app, "tasks", "status", "in_progress", task);
    set_column(app, "tasks", "due_date", &(today - chrono::Duration::days(2)).to_string(), task);

    // The board publishes its evaluation.
    let bdh = app.login("bdh").token;
    let evals = app.get("/api/v1/evaluations?year=2023", Some(&bdh));
    let eval = evals.body.as_array().unwrap().iter().find(|e| e["version"] == 1).unwrap()["id"].as_i64().unwrap();
    assert_eq!(app.post(&format!("/api/v1/evaluations/{eval}/publish"), Some(&bdh), json!({})).status, 200);

    // Two instances tick together, then a third scan (a restart): each late or overdue
    // subject is queued once.
    let barrier = Arc::new(std::sync::Barrier::new(2));
    let ticks: Vec<_> = (0..2)
        .map(|i| {
            let (st, barrier) = (app.state.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut conn = st.pool.get().expect("conn");
                barrier.wait();
                let now = chrono::Utc::now().naive_utc();
                thanthien::scheduler::service::tick(&mut conn, &st.config.scheduler, &format!("node-{i}"), now, None)
                    .expect("tick")
            })
        })
        .collect();
    let ran: Vec<_> = ticks.into_iter().flat_map(|h| h.join().unwrap()).collect();
    let scans = ran.iter().filter(|r| r.job == thanthien::scheduler::model::JobName::Events).count();
    assert_eq!(scans, 1, "one instance ran the scan: {ran:?}");
    assert!(ran.iter().all(|r| r.ok), "{ran:?}");
    let again = thanthien::webhooks::events::scan_overdue(&mut app.conn(), chrono::Utc::now().naive_utc()).unwrap();
    assert_eq!(again.deliveries, 0, "nothing announced twice: {again:?}");

    let wanted: Vec<(&str, String)> = vec![
        ("dossier.resolved", done_code.clone()),
        ("dossier.returned", done_code),
        ("dossier.late", late_code),
        ("petition.accepted", fb_code.clone()),
        ("petition.concluded", fb_code),
        ("petition.overdue", overdue_code),
        ("task.overdue", format!("{task}null")),
        ("evaluation.published", format!("null{eval}")),
    ];
    let seen = || -> Vec<(String, String)> {
        rx.hits()
            .iter()
            .map(|h| {
                let b: Value = serde_json::from_str(&h.body).unwrap();
                (b["event"].as_str().unwrap().to_string(), subject(&b))
            })
            .collect()
    };
    wait_for(60, "every new event delivered", || {
        let s = seen();
        wanted.iter().all(|(e, c)| s.iter().any(|(e2, c2)| e2 == e && c2 == c))
    });
    wait_for(30, "the queue drained", || deliveries(app, &admin.token, sub).iter().all(|d| d["status"] == "delivered"));
    let hits = rx.hits();
    let mut pairs = seen();
    let total = pairs.len();
    pairs.sort();
    pairs.dedup();
    assert_eq!(pairs.len(), total, "each event of each subject delivered once: {pairs:?}");
    for h in &hits {
        assert!(verify(&secret, h), "signed: {h:?}");
        let b: Value = serde_json::from_str(&h.body).unwrap();
        assert_eq!(h.headers["x-thanthien-event"], b["event"].as_str().unwrap());
        assert!(events.contains(&b["event"].as_str().unwrap()), "only what was asked for: {}", h.body);
        assert_ne!(b["data"]["kind"], "denunciation", "{}", h.body);
        let shown = text_outside_generated(&b);
        for personal in ["Hưởng", "0912", "038090001234", "Bí Mật", "0988", "Tố Cáo", "thông cống"] {
            assert!(!shown.contains(personal), "no personal data or content ({personal}): {}", h.body);
        }
    }
    let task_hit = hits.iter().find(|h| h.headers["x-thanthien-event"] == "task.overdue").unwrap();
    let b: Value = serde_json::from_str(&task_hit.body).unwrap();
    assert_eq!(b["commune_id"], commune);
    let ev: Value = serde_json::from_str(
        &hits.iter().find(|h| h.headers["x-thanthien-event"] == "evaluation.published").unwrap().body,
    )
    .unwrap();
    assert_eq!(ev["data"]["year"], 2023);
}

/// A routine rotation keeps the events coming: the subscription moves to the new key (same URL
/// and secret) and the next event reaches the receiver, with one event id across two
/// subscriptions of the key.
fn rotation_keeps_the_subscriptions(app: &TestApp) {
    let admin = app.login("admin");
    let commune = admin.user["commune_id"].as_i64().unwrap();
    let (key_id, _) = issue(
        app,
        &admin.token,
        json!({ "name": "Trục phản ánh", "owner": "Sở TT&TT", "kind": "live", "scopes": ["receive_webhooks", "submit_feedback"] }),
    );
    let rx = receiver(|_| Some(200));
    let (first, secret) = subscribe(app, &admin.token, key_id, &rx.url, &["petition.received"]);
    let (second, _) = subscribe(app, &admin.token, key_id, &format!("{}/again", rx.url), &["petition.received"]);
    let r = app.post(
        &format!("/api/v1/api-keys/{key_id}/rotate"),
        Some(&admin.token),
        json!({ "old_valid_until": chrono::Utc::now().to_rfc3339() }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let new_id = r.body["key"]["id"].as_i64().unwrap();
    let old_list = app.get(&format!("/api/v1/api-keys/{key_id}/webhooks"), Some(&admin.token)).body;
    assert_eq!(old_list, json!([]));
    let new_list = app.get(&format!("/api/v1/api-keys/{new_id}/webhooks"), Some(&admin.token)).body;
    let ids: Vec<i64> = new_list.as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 2, "{new_list}");
    assert!(ids.contains(&first) && ids.contains(&second));
    feedback(app, commune, 7);
    wait_for(60, "both subscriptions delivered after the rotation", || rx.hits().len() == 2);
    let hits = rx.hits();
    assert!(hits.iter().any(|h| verify(&secret, h)), "the first subscription's secret is unchanged");
    assert_eq!(
        hits[0].headers["x-thanthien-delivery"], hits[1].headers["x-thanthien-delivery"],
        "one event id per change"
    );
    assert_eq!(hits[0].headers["x-thanthien-key"], r.body["key"]["prefix"].as_str().unwrap());
}

crate::both_engines!(
    with fast:
    signed_retried_and_sent_again,
    a_receiver_that_never_answers_is_turned_off,
    new_events_each_delivered_once_and_signed,
    a_deleted_subscription_is_gone_with_its_log,
    rotation_keeps_the_subscriptions,
);
