//! The public lookup's guard: wrong tries per dossier code, IPv6 per /64, the link's token.

use serde_json::{Value, json};

use crate::both_engines;
use crate::harness::TestApp;

fn new_dossier(app: &TestApp, token: &str) -> Value {
    let r = app.get("/api/v1/procedures?q=1.004873", Some(token));
    let p = r.body["items"].as_array().unwrap().iter().find(|p| p["code"] == "1.004873").unwrap()["id"].clone();
    let applicant = json!({ "name": "Nguyễn Văn Hưởng", "phone": "0912 345 678", "id_number": "038090001234", "address": "Thôn 3, xã Bình Lương" });
    let r =
        app.post("/api/v1/dossiers", Some(token), json!({ "procedure_id": p, "channel": 1, "applicant": applicant }));
    assert_eq!(r.status, 201, "{}", r.text);
    r.body
}

fn lookup(app: &TestApp, ip: &str, path_and_query: &str) -> (u16, bool) {
    let r = app
        .client
        .get(app.url(&format!("/api/v1/public/dossiers/{path_and_query}")))
        .header("x-forwarded-for", ip)
        .send()
        .unwrap();
    (r.status().as_u16(), r.headers().get("retry-after").is_some())
}

/// 10 wrong tries at one code, each from another address, lock that code's lookup: even the
/// right digits from a fresh address get 429 with Retry-After; other codes are not affected;
/// the desk sees the lock and may lift it (audited).
fn wrong_tries_lock_the_code_whatever_the_address(app: &TestApp) {
    let s = app.login("ubnd");
    let d = new_dossier(app, &s.token);
    let other = new_dossier(app, &s.token);
    let (code, id) = (d["code"].as_str().unwrap(), d["id"].as_i64().unwrap());
    for i in 0..10 {
        let (status, _) = lookup(app, &format!("10.20.{i}.1"), &format!("{code}?phone_last4={:04}", 1000 + i));
        assert_eq!(status, 404, "wrong try {i}");
    }
    let (status, retry) = lookup(app, "10.30.0.1", &format!("{code}?phone_last4=5678"));
    assert_eq!(status, 429, "the code is locked, even for the right digits");
    assert!(retry, "Retry-After");
    let other_code = other["code"].as_str().unwrap();
    assert_eq!(lookup(app, "10.30.0.1", &format!("{other_code}?phone_last4=5678")).0, 200);
    // An unknown code locks the same way: a lock says nothing about whether a code exists.
    for i in 0..10 {
        lookup(app, &format!("10.21.{i}.1"), "UBND-000101-9999?phone_last4=5678");
    }
    assert_eq!(lookup(app, "10.30.0.2", "UBND-000101-9999?phone_last4=5678").0, 429);

    let lock = app.get(&format!("/api/v1/dossiers/{id}/lookup-lock"), Some(&s.token));
    assert_eq!(lock.status, 200, "{}", lock.text);
    assert_eq!(lock.body["locked"], true);
    assert_eq!(lock.body["failures_last_hour"], 10);
    assert!(lock.body["locked_until"].as_str().unwrap().ends_with("+07:00"));
    assert_eq!(app.get(&format!("/api/v1/dossiers/{id}/lookup-lock"), Some(&app.login("thon1").token)).status, 403);
    let r = app.send("DELETE", &format!("/api/v1/dossiers/{id}/lookup-lock"), Some(&s.token), None);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["locked"], false);
    assert_eq!(lookup(app, "10.30.0.3", &format!("{code}?phone_last4=5678")).0, 200);
    let audit = app.get("/api/v1/audit?per_page=50", Some(&app.login("admin").token));
    assert!(audit.text.contains("unlock_lookup"), "the unlock is audited: {}", audit.text);
}

/// An IPv6 client's addresses share the per-address limit of their /64.
fn ipv6_lookups_count_per_64(app: &TestApp) {
    let s = app.login("ubnd");
    let d = new_dossier(app, &s.token);
    let code = d["code"].as_str().unwrap();
    for i in 0..20 {
        let (status, _) = lookup(app, &format!("2001:db8:9:9::{:x}", i + 1), &format!("{code}?phone_last4=5678"));
        assert_eq!(status, 200, "lookup {i}");
    }
    assert_eq!(lookup(app, "2001:db8:9:9:abcd::1", &format!("{code}?phone_last4=5678")).0, 429);
    assert_eq!(lookup(app, "2001:db8:9:a::1", &format!("{code}?phone_last4=5678")).0, 200);
}

/// The receipt's link carries a random token: it finds the dossier without the digits, even
/// when the code is locked; a wrong token is a wrong try.
fn the_receipt_link_carries_a_random_token(app: &TestApp) {
    let s = app.login("ubnd");
    let d = new_dossier(app, &s.token);
    let next = new_dossier(app, &s.token);
    let (code, id) = (d["code"].as_str().unwrap(), d["id"].as_i64().unwrap());
    let form = app.get(&format!("/api/v1/dossiers/{id}/forms/01"), Some(&s.token));
    assert_eq!(form.status, 200, "{}", form.text);
    let path = form.body["lookup_path"].as_str().unwrap().to_string();
    let prefix = format!("/tra-cuu/{code}?t=");
    assert!(path.starts_with(&prefix), "{path}");
    let token = &path[prefix.len()..];
    assert_eq!(token.len(), 32, "128 random bits as hex: {token}");
    let next_form = app.get(&format!("/api/v1/dossiers/{}/forms/01", next["id"]), Some(&s.token));
    let next_token = next_form.body["lookup_path"].as_str().unwrap().split("?t=").nth(1).unwrap().to_string();
    assert_ne!(token, next_token, "consecutive dossiers have unrelated tokens");
    assert_eq!(lookup(app, "10.40.0.1", &format!("{code}?t={token}")).0, 200);
    // Another dossier's token does not open this code.
    assert_eq!(lookup(app, "10.40.0.1", &format!("{code}?t={next_token}")).0, 404);
    for i in 0..10 {
        lookup(app, &format!("10.41.{i}.1"), &format!("{code}?phone_last4={:04}", 2000 + i));
    }
    assert_eq!(lookup(app, "10.40.0.2", &format!("{code}?phone_last4=5678")).0, 429);
    assert_eq!(lookup(app, "10.40.0.2", &format!("{code}?t={token}")).0, 200, "the link still works");
}

both_engines!(
    wrong_tries_lock_the_code_whatever_the_address,
    ipv6_lookups_count_per_64,
    the_receipt_link_carries_a_random_token,
);
