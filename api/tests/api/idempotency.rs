//! Idempotent field writes (docs/offline.md): a progress report sent again with the same
//! `Idempotency-Key` (or multipart `client_id`) returns the first answer and creates nothing,
//! also when both copies arrive together.

use serde_json::Value;

use crate::both_engines;
use crate::harness::TestApp;
use crate::plans::{PNG, Part, matrix_fixture, multipart};

struct Answer {
    status: u16,
    replayed: bool,
    body: Value,
}

fn send(app: &TestApp, token: &str, task: i64, key: Option<&str>, parts: &[Part<'_>]) -> Answer {
    let (ct, body) = multipart(parts);
    let mut req = app
        .client
        .post(app.url(&format!("/api/v1/tasks/{task}/reports")))
        .bearer_auth(token)
        .header("content-type", ct)
        .body(body);
    if let Some(k) = key {
        req = req.header("idempotency-key", k);
    }
    let r = req.send().expect("request");
    let status = r.status().as_u16();
    let replayed = r.headers().get("idempotent-replayed").is_some_and(|v| v == "true");
    let body = serde_json::from_slice(&r.bytes().unwrap()).unwrap_or(Value::Null);
    Answer { status, replayed, body }
}

fn report_count(app: &TestApp, token: &str, task: i64) -> usize {
    let r = app.get(&format!("/api/v1/tasks/{task}/reports"), Some(token));
    assert_eq!(r.status, 200, "{}", r.text);
    r.body.as_array().unwrap().len()
}

fn the_same_key_twice_returns_the_first_report(app: &TestApp) {
    let admin = app.login("admin").token;
    let task = matrix_fixture(app, &admin).task;
    let thon1 = app.login("thon1").token;
    let before = report_count(app, &thon1, task);
    let parts: &[Part<'_>] =
        &[("text", None, b"Da hop thon"), ("progress", None, b"40"), ("files", Some("anh.png"), PNG)];
    let first = send(app, &thon1, task, Some("outbox-7f1c0b2e"), parts);
    assert_eq!(first.status, 201, "{}", first.body);
    assert!(!first.replayed);
    // The outbox retries (the answer was lost): same key, same request.
    let again = send(app, &thon1, task, Some("outbox-7f1c0b2e"), parts);
    assert_eq!(again.status, 201, "{}", again.body);
    assert!(again.replayed, "a replay says so");
    assert_eq!(again.body, first.body, "the first answer, byte for byte in JSON");
    assert_eq!(report_count(app, &thon1, task), before + 1);

    // The key in the form (`client_id`) works the same way.
    let form: &[Part<'_>] = &[("text", None, b"Lan 2"), ("progress", None, b"50"), ("client_id", None, b"form-key-1")];
    let a = send(app, &thon1, task, None, form);
    let b = send(app, &thon1, task, None, form);
    assert_eq!((a.status, b.status), (201, 201));
    assert_eq!(a.body["id"], b.body["id"]);
    assert!(b.replayed);
    assert_eq!(report_count(app, &thon1, task), before + 2);

    // Without a key every request is a new report.
    let plain: &[Part<'_>] = &[("text", None, b"Khong khoa"), ("progress", None, b"50")];
    assert_eq!(send(app, &thon1, task, None, plain).status, 201);
    assert_eq!(send(app, &thon1, task, None, plain).status, 201);
    assert_eq!(report_count(app, &thon1, task), before + 4);

    // Keys belong to a user: another user's same key is a new write of their own.
    let ubnd = app.login("ubnd").token;
    let other = send(app, &ubnd, task, Some("outbox-7f1c0b2e"), parts);
    assert_eq!(other.status, 201, "{}", other.body);
    assert!(!other.replayed);
    assert_ne!(other.body["id"], first.body["id"]);

    // The same key on another request (another task) is refused, not replayed.
    let wrong = send(app, &thon1, task + 1_000_000, Some("outbox-7f1c0b2e"), parts);
    assert_eq!(wrong.status, 409, "{}", wrong.body);
    assert_eq!(wrong.body["code"], "idempotency_key_reused");

    // A malformed key is a field error.
    let bad = send(app, &thon1, task, Some("có dấu cách"), parts);
    assert_eq!(bad.status, 422, "{}", bad.body);
}

fn a_failed_write_lets_its_key_go(app: &TestApp) {
    let admin = app.login("admin").token;
    let task = matrix_fixture(app, &admin).task;
    let thon1 = app.login("thon1").token;
    let before = report_count(app, &thon1, task);
    // Progress out of range: refused, and the key is not spent on the refusal.
    let bad = send(app, &thon1, task, Some("retry-me"), &[("text", None, b"x"), ("progress", None, b"140")]);
    assert_eq!(bad.status, 422, "{}", bad.body);
    let good = send(app, &thon1, task, Some("retry-me"), &[("text", None, b"x"), ("progress", None, b"40")]);
    assert_eq!(good.status, 201, "{}", good.body);
    assert!(!good.replayed);
    assert_eq!(report_count(app, &thon1, task), before + 1);
}

fn a_concurrent_double_submit_creates_one_report(app: &TestApp) {
    let admin = app.login("admin").token;
    let task = matrix_fixture(app, &admin).task;
    let thon1 = app.login("thon1").token;
    let before = report_count(app, &thon1, task);
    for round in 0..5 {
        let key = format!("double-{round}");
        let barrier = std::sync::Barrier::new(2);
        let answers: Vec<Answer> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..2)
                .map(|_| {
                    s.spawn(|| {
                        barrier.wait();
                        send(
                            app,
                            &thon1,
                            task,
                            Some(&key),
                            &[("text", None, b"Gui hai lan"), ("progress", None, b"30"), ("files", Some("a.png"), PNG)],
                        )
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!((answers[0].status, answers[1].status), (201, 201), "{} / {}", answers[0].body, answers[1].body);
        assert_eq!(answers[0].body, answers[1].body, "both get the one report");
        assert_eq!(answers.iter().filter(|a| a.replayed).count(), 1, "exactly one of the two did the write");
        assert_eq!(report_count(app, &thon1, task), before + round + 1);
    }
}

/// A comment queued on a phone and sent twice (the first answer lost) is stored once.
fn a_comment_sent_twice_with_its_key_is_stored_once(app: &TestApp) {
    let admin = app.login("admin").token;
    let task = matrix_fixture(app, &admin).task;
    let post = |key: &str| {
        let r = app
            .client
            .post(app.url(&format!("/api/v1/tasks/{task}/comments")))
            .bearer_auth(&admin)
            .header("idempotency-key", key)
            .json(&serde_json::json!({ "text": "Đã gửi ảnh bổ sung." }))
            .send()
            .expect("request");
        let replayed = r.headers().get("idempotent-replayed").is_some_and(|v| v == "true");
        (r.status().as_u16(), replayed, serde_json::from_slice::<Value>(&r.bytes().unwrap()).unwrap_or(Value::Null))
    };
    let (s1, replayed1, first) = post("comment-1");
    let (s2, replayed2, again) = post("comment-1");
    assert_eq!((s1, replayed1, s2, replayed2), (201, false, 201, true));
    assert_eq!(first["id"], again["id"]);
    let (s3, _, other) = post("comment-2");
    assert_eq!(s3, 201);
    assert_ne!(other["id"], first["id"]);
    let listed = app.get(&format!("/api/v1/tasks/{task}/comments"), Some(&admin));
    let same: Vec<&Value> =
        listed.body.as_array().unwrap().iter().filter(|c| c["text"] == "Đã gửi ảnh bổ sung.").collect();
    assert_eq!(same.len(), 2, "one per key: {}", listed.text);
}

both_engines!(
    a_comment_sent_twice_with_its_key_is_stored_once,
    the_same_key_twice_returns_the_first_report,
    a_failed_write_lets_its_key_go,
    a_concurrent_double_submit_creates_one_report,
);
