//! Notifications: the scan (dedup per day), the inbox and read marks, preferences, the daily
//! digest over SMTP to a sink on loopback (once across two instances sharing one database),
//! and the scheduler's catch-up after downtime.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;
use serde_json::json;
use thanthien::notifications::service as notifications;
use thanthien::scheduler::model::{JobName, NewRun};
use thanthien::scheduler::{repo as scheduler_repo, service as scheduler};

use crate::both_engines;
use crate::harness::TestApp;

/// A message the sink accepted: the recipient and the DATA text.
#[derive(Debug, Clone)]
struct Received {
    to: String,
    data: String,
}

/// A tiny SMTP server on loopback that accepts everything and keeps the messages.
struct SmtpSink {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl SmtpSink {
    fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind sink");
        let port = listener.local_addr().expect("addr").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let store = store.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, &store);
                });
            }
        });
        SmtpSink { port, received }
    }

    fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, store: &Mutex<Vec<Received>>) -> std::io::Result<()> {
    let mut w = stream.try_clone()?;
    let mut r = BufReader::new(stream);
    w.write_all(b"220 sink ESMTP\r\n")?;
    let mut to = String::new();
    loop {
        let mut line = String::new();
        if r.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_ascii_uppercase();
        if cmd.starts_with("EHLO") {
            w.write_all(b"250-sink\r\n250 8BITMIME\r\n")?;
        } else if cmd.starts_with("MAIL FROM") {
            w.write_all(b"250 ok\r\n")?;
        } else if cmd.starts_with("RCPT TO") {
            to = line.trim_end()[8..].trim().trim_start_matches('<').trim_end_matches('>').to_string();
            w.write_all(b"250 ok\r\n")?;
        } else if cmd == "DATA" {
            w.write_all(b"354 go on\r\n")?;
            let mut data = String::new();
            loop {
                let mut l = String::new();
                if r.read_line(&mut l)? == 0 {
                    return Ok(());
                }
                if l == ".\r\n" {
                    break;
                }
                data.push_str(&l);
            }
            store.lock().unwrap().push(Received { to: to.clone(), data });
            w.write_all(b"250 queued\r\n")?;
        } else if cmd == "QUIT" {
            w.write_all(b"221 bye\r\n")?;
            return Ok(());
        } else {
            w.write_all(b"500 what\r\n")?;
        }
    }
}

/// The subject and the body of a message, decoded.
fn decode(data: &str) -> (String, String) {
    let (head, body) = data.split_once("\r\n\r\n").expect("head and body");
    let subject = head
        .lines()
        .find_map(|l| l.strip_prefix("Subject: "))
        .and_then(|s| s.strip_prefix("=?UTF-8?B?"))
        .and_then(|s| s.strip_suffix("?="))
        .map(|b| String::from_utf8(STANDARD.decode(b).unwrap()).unwrap())
        .expect("subject");
    let body = String::from_utf8(STANDARD.decode(body.replace("\r\n", "")).unwrap()).unwrap();
    (subject, body)
}

fn now() -> chrono::NaiveDateTime {
    Utc::now().naive_utc()
}

fn scan_inbox_and_read_marks(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let r = app.get("/api/v1/notifications", Some(&bdh));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["total"], 0);
    assert_eq!(app.get("/api/v1/notifications", None).status, 401);

    // The demo 2023 plan is active and long past due: overdue tasks for the board.
    let s = notifications::scan(&mut app.conn(), now(), None).expect("scan");
    assert!(s.created > 0, "{s:?}");
    let again = notifications::scan(&mut app.conn(), now(), None).expect("scan again");
    assert_eq!(again.created, 0, "one notification per user, subject and day");
    assert_eq!(again.found, s.found);

    let r = app.get("/api/v1/notifications?per_page=100", Some(&bdh));
    let total = r.body["total"].as_i64().unwrap();
    assert!(total > 0);
    assert_eq!(r.body["unread"], total);
    let items = r.body["items"].as_array().unwrap();
    let first = items.iter().find(|n| n["kind"] == "task_overdue").expect("an overdue task");
    assert!(first["link"].as_str().unwrap().starts_with("/tasks/"));
    assert!(first["title_vi"].as_str().unwrap().starts_with("Nhiệm vụ quá hạn"));
    assert!(first["title_en"].as_str().unwrap().starts_with("Task overdue"));
    let first_id = first["id"].as_i64().unwrap();

    // A village head hears about their village's tasks only, and cannot mark the board's.
    let thon = app.login("thon1").token;
    let t = app.get("/api/v1/notifications?per_page=100", Some(&thon));
    let thon_total = t.body["total"].as_i64().unwrap();
    assert!(thon_total >= 1 && thon_total < total, "{thon_total} of {total}");
    let r = app.post("/api/v1/notifications/read", Some(&thon), json!({ "ids": [first_id] }));
    assert_eq!(r.body["marked"], 0);
    assert_eq!(app.get("/api/v1/notifications/unread", Some(&bdh)).body["unread"], total);

    let r = app.post("/api/v1/notifications/read", Some(&bdh), json!({ "ids": [first_id] }));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["marked"], 1);
    assert_eq!(r.body["unread"], total - 1);
    let unread = app.get("/api/v1/notifications?unread=true&per_page=100", Some(&bdh));
    assert_eq!(unread.body["total"], total - 1);
    assert_eq!(app.post("/api/v1/notifications/read", Some(&bdh), json!({})).status, 422);
    assert_eq!(app.post("/api/v1/notifications/read", Some(&bdh), json!({ "all": true })).body["unread"], 0);
    assert_eq!(app.get("/api/v1/notifications/unread", Some(&thon)).body["unread"], thon_total);
}

/// The preferences offer a user every kind the scan sends them: each notification the demo's
/// scan records is of a kind its recipient's preferences list.
fn preferences_offer_every_kind_the_scan_sends(app: &TestApp) {
    notifications::scan(&mut app.conn(), now(), None).expect("scan");
    let mut told = 0;
    for user in ["admin", "bdh", "chutich", "ubnd", "mttq", "thon1", "thon2", "thon3", "tinh"] {
        let token = app.login(user).token;
        let kinds = app.get("/api/v1/notifications/preferences", Some(&token)).body["kinds"].clone();
        let kinds = kinds.as_array().expect("kinds");
        let list = app.get("/api/v1/notifications?per_page=100", Some(&token));
        assert_eq!(list.status, 200, "{}", list.text);
        for n in list.body["items"].as_array().unwrap() {
            assert!(kinds.contains(&n["kind"]), "{user} was sent {} but is offered {kinds:?}", n["kind"]);
            told += 1;
        }
    }
    assert!(told > 0, "the demo's scan sends something");
    let tinh = app.login("tinh").token;
    assert_eq!(app.get("/api/v1/notifications/preferences", Some(&tinh)).body["kinds"], json!([]));
}

fn preferences_choose_the_delivery(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let p = app.get("/api/v1/notifications/preferences", Some(&bdh));
    assert_eq!(p.status, 200);
    assert_eq!(p.body["modes"]["task_overdue"], "digest");
    assert_eq!(p.body["modes"].as_object().unwrap().len(), 10);
    assert_eq!(
        p.body["kinds"],
        json!(["task_due", "task_overdue", "petition_due", "petition_overdue", "commitment_due", "survey_ending"]),
        "a board member is told of tasks, petitions, commitments and surveys, not of dossiers or relays"
    );
    assert_eq!(p.body["email_enabled"], false);
    // This server has no mail relay: the page is told, so it can say nothing would be sent.
    assert_eq!(p.body["email_available"], false);
    let put = |body| app.send("PUT", "/api/v1/notifications/preferences", Some(&bdh), Some(body));
    assert_eq!(put(json!({ "email_enabled": true })).status, 422, "e-mail needs an address");
    assert_eq!(put(json!({ "email": "khong phai dia chi" })).status, 422);
    assert_eq!(put(json!({ "modes": { "nope": "off" } })).status, 422);
    assert_eq!(put(json!({ "modes": { "task_overdue": "loud" } })).status, 422);
    let r = put(
        json!({ "modes": { "task_overdue": "off", "survey_ending": "immediate" }, "email": "bdh@binhluong.gov.vn", "email_enabled": true }),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["modes"]["task_overdue"], "off");
    assert_eq!(r.body["modes"]["survey_ending"], "immediate");
    assert_eq!(r.body["modes"]["task_due"], "digest");
    assert_eq!(r.body["email"], "bdh@binhluong.gov.vn");
    // The audit keeps what changed, each `[before, after]`, not the ten modes every time; saving
    // the same choice again writes no entry.
    let admin = app.login("admin").token;
    let log = || app.get("/api/v1/audit?entity=notification_preferences&per_page=50", Some(&admin)).body;
    let entry = log()["items"][0]["summary"].clone();
    assert_eq!(
        entry,
        json!({ "modes": { "task_overdue": ["digest", "off"], "survey_ending": ["digest", "immediate"] },
                "email_enabled": [false, true], "email": [null, "bdh@binhluong.gov.vn"] })
    );
    let entries = log()["total"].clone();
    assert_eq!(put(json!({ "modes": { "task_overdue": "off" } })).status, 200);
    assert_eq!(log()["total"], entries, "nothing changed, nothing written");
    // Off: the scan records nothing of that kind for the board member.
    notifications::scan(&mut app.conn(), now(), None).expect("scan");
    let list = app.get("/api/v1/notifications?per_page=100", Some(&bdh));
    assert!(list.body["items"].as_array().unwrap().iter().all(|n| n["kind"] != "task_overdue"), "{}", list.text);
    // The village head's own choice is untouched.
    let thon = app.login("thon1").token;
    assert_eq!(
        app.get("/api/v1/notifications/preferences", Some(&thon)).body["kinds"],
        json!(["task_due", "task_overdue", "relay_missing", "commitment_due"])
    );
    assert!(app.get("/api/v1/notifications", Some(&thon)).body["total"].as_i64().unwrap() > 0);
    let r = put(json!({ "email": null, "email_enabled": false }));
    assert_eq!(r.status, 200);
    assert_eq!(r.body["email"], serde_json::Value::Null);
}

/// A second instance of the server's state on the same database (its own pool and data
/// directory), as a second process would have.
fn second_instance(app: &TestApp) -> thanthien::state::AppState {
    let mut config = (*app.state.config).clone();
    config.server.data_dir = app.data_dir.join("second");
    config.demo.enabled = false;
    thanthien::prepare(config).expect("second instance")
}

fn digest_is_sent_once_across_two_instances(app: &TestApp) {
    let sink = SmtpSink::start();
    let bdh = app.login("bdh").token;
    let r = app.send(
        "PUT",
        "/api/v1/notifications/preferences",
        Some(&bdh),
        Some(json!({ "email": "bdh@binhluong.gov.vn", "email_enabled": true })),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let other = second_instance(app);
    let states = [app.state.clone(), other];
    let barrier = Arc::new(Barrier::new(2));
    let at = now();
    let handles: Vec<_> = states
        .iter()
        .enumerate()
        .map(|(i, st)| {
            let (st, barrier, port) = (st.clone(), barrier.clone(), sink.port);
            std::thread::spawn(move || {
                let mut config = (*st.config).clone();
                config.smtp.host = Some("127.0.0.1".into());
                config.smtp.port = port;
                config.smtp.from = "nhacviec@binhluong.gov.vn".into();
                let mailer = scheduler::mailer(&config);
                let mut conn = st.pool.get().expect("conn");
                barrier.wait();
                scheduler::tick(&mut conn, &config.scheduler, &format!("instance-{i}"), at, mailer.as_ref())
                    .expect("tick")
            })
        })
        .collect();
    let ran: Vec<_> = handles.into_iter().flat_map(|h| h.join().expect("thread")).collect();
    let digests = ran.iter().filter(|r| r.job == JobName::Digest).count();
    assert_eq!(digests, 1, "one instance ran the digest: {ran:?}");
    assert!(ran.iter().all(|r| r.ok), "{ran:?}");

    let to_bdh: Vec<Received> = sink.messages().into_iter().filter(|m| m.to == "bdh@binhluong.gov.vn").collect();
    assert_eq!(to_bdh.len(), 1, "one digest e-mail, not one per event nor per instance");
    let (subject, body) = decode(&to_bdh[0].data);
    assert!(subject.starts_with("Bản tin nhắc việc ngày"), "{subject}");
    assert!(body.contains("Kính gửi"), "{body}");
    assert!(body.contains("Nhiệm vụ quá hạn"), "{body}");
    assert!(body.contains("/tasks/"), "{body}");

    // Later ticks the same day send nothing more, from either instance.
    for (i, st) in states.iter().enumerate() {
        let mut config = (*st.config).clone();
        config.smtp.host = Some("127.0.0.1".into());
        config.smtp.port = sink.port;
        let mailer = scheduler::mailer(&config);
        let mut conn = st.pool.get().expect("conn");
        let again = scheduler::tick(&mut conn, &config.scheduler, &format!("instance-{i}"), now(), mailer.as_ref())
            .expect("tick");
        assert!(again.iter().all(|r| r.job != JobName::Digest), "{again:?}");
    }
    assert_eq!(sink.messages().iter().filter(|m| m.to == "bdh@binhluong.gov.vn").count(), 1);
    assert!(notifications::digests_of_day(&mut app.conn(), thanthien::time::today_local()).unwrap() >= 1);

    // The admin page shows the run.
    let admin = app.login("admin").token;
    let s = app.get("/api/v1/system/scheduler", Some(&admin));
    assert_eq!(s.status, 200, "{}", s.text);
    let digest = s.body["jobs"].as_array().unwrap().iter().find(|j| j["job"] == "digest").unwrap().clone();
    assert_eq!(digest["last_run"]["ok"], true);
    assert_eq!(digest["failures_7d"], 0);
    assert!(digest["next_run_at"].as_str().unwrap() > digest["last_run"]["slot"].as_str().unwrap());
    assert_eq!(app.get("/api/v1/system/scheduler", Some(&bdh)).status, 403);
}

/// Starts a server on the app's database with the scheduler on (a restart).
fn restart(app: &TestApp) -> actix_web::dev::ServerHandle {
    let mut config = (*app.state.config).clone();
    config.server.data_dir = app.data_dir.join("restarted");
    config.demo.enabled = false;
    config.scheduler.enabled = true;
    config.scheduler.tick_secs = 3600;
    let state = thanthien::prepare(config).expect("restart");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let sys = actix_web::rt::System::new();
        sys.block_on(async move {
            let server = thanthien::start_server(state, listener).expect("start");
            let _ = tx.send(server.handle());
            let _ = server.await;
        });
    });
    rx.recv().expect("handle")
}

fn scheduler_catches_up_once_after_downtime(app: &TestApp) {
    let cfg = app.state.config.scheduler.clone();
    let at = now();
    let today_slot = scheduler::slot_of(JobName::Digest, &cfg, at);
    // The digest last ran the day before; then the server was down over today's slot.
    {
        let mut c = app.conn();
        let run = scheduler_repo::insert_run(
            &mut c,
            &NewRun {
                job: "digest".into(),
                slot: today_slot - chrono::Duration::days(1),
                holder: "before-the-outage".into(),
                started_at: today_slot - chrono::Duration::days(1),
                summary: String::new(),
            },
        )
        .expect("run");
        scheduler_repo::finish_run(&mut c, run.id, run.started_at, true, None, "{}").expect("finish");
    }
    assert_eq!(scheduler::count_runs(&mut app.conn(), JobName::Digest).unwrap(), 1);
    let handle = restart(app);
    // The start's first tick runs the missed slot: wait for it (bounded, by condition).
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let runs = scheduler_repo::runs_of_slot(&mut app.conn(), "digest", today_slot).unwrap();
        if runs.iter().any(|r| r.ok.is_some()) {
            assert_eq!(runs.len(), 1);
            assert_eq!(runs[0].ok, Some(true), "{:?}", runs[0].error);
            break;
        }
        assert!(Instant::now() < deadline, "the missed digest did not run at start");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Once: ticking again (this instance, or the restarted one) runs nothing for the slot.
    let again = scheduler::tick(&mut app.conn(), &cfg, "another", now(), None).unwrap();
    assert!(again.iter().all(|r| r.job != JobName::Digest), "{again:?}");
    assert_eq!(scheduler::count_runs(&mut app.conn(), JobName::Digest).unwrap(), 2);
    assert_eq!(scheduler_repo::runs_of_slot(&mut app.conn(), "digest", today_slot).unwrap().len(), 1);
    actix_web::rt::System::new().block_on(handle.stop(false));
}

both_engines!(
    scan_inbox_and_read_marks,
    preferences_choose_the_delivery,
    preferences_offer_every_kind_the_scan_sends,
    digest_is_sent_once_across_two_instances,
    scheduler_catches_up_once_after_downtime,
);

/// With a mail relay configured, the preferences say e-mail can be sent.
mod with_relay {
    use crate::both_engines;
    use crate::harness::TestApp;
    use thanthien::config::Config;

    fn relay(config: &mut Config) {
        config.smtp.host = Some("127.0.0.1".into());
    }

    fn email_is_available(app: &TestApp) {
        let bdh = app.login("bdh").token;
        let p = app.get("/api/v1/notifications/preferences", Some(&bdh));
        assert_eq!((p.status, p.body["email_available"].as_bool()), (200, Some(true)), "{}", p.text);
        let r =
            app.send("PUT", "/api/v1/notifications/preferences", Some(&bdh), Some(serde_json::json!({ "modes": {} })));
        assert_eq!((r.status, r.body["email_available"].as_bool()), (200, Some(true)), "{}", r.text);
    }

    both_engines!(with relay: email_is_available);
}
