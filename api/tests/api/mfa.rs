//! TOTP sign-in for admin and board accounts: enrolment, the second step, recovery codes,
//! turning it off, and the commune's setting that makes it required.
//!
//! Codes are computed here by a TOTP written out independently of the server's (HMAC-SHA1 over
//! the step, RFC 4226 truncation); the server's own implementation is checked against the RFC
//! 6238 test vectors in `auth::totp`.

use hmac::{Hmac, Mac};
use serde_json::{Value, json};

use crate::both_engines;
use crate::harness::{DEMO_PASSWORD, Res, TestApp};

fn decode_base32(s: &str) -> Vec<u8> {
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut out, mut buf, mut bits) = (Vec::new(), 0u64, 0);
    for c in s.chars() {
        buf = (buf << 5) | alphabet.find(c).expect("base32") as u64;
        bits += 5;
        if bits >= 8 {
            out.push((buf >> (bits - 8)) as u8);
            bits -= 8;
        }
    }
    out
}

/// The code of the step `offset` steps from now.
fn code(secret_b32: &str, offset: i64) -> String {
    let step = (chrono::Utc::now().timestamp() / 30 + offset) as u64;
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&decode_base32(secret_b32)).unwrap();
    mac.update(&step.to_be_bytes());
    let d = mac.finalize().into_bytes();
    let o = (d[19] & 15) as usize;
    let n = u32::from_be_bytes([d[o] & 0x7f, d[o + 1], d[o + 2], d[o + 3]]) % 1_000_000;
    format!("{n:06}")
}

fn login_step(app: &TestApp, username: &str) -> Res {
    app.try_login(username, DEMO_PASSWORD)
}

fn token_of(r: &Res) -> String {
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["access_token"].as_str().unwrap().to_string()
}

fn enable(app: &TestApp, token: &str) -> (String, Vec<String>) {
    let setup = app.send("POST", "/api/v1/auth/mfa/setup", Some(token), None);
    assert_eq!(setup.status, 200, "{}", setup.text);
    let secret = setup.body["secret"].as_str().unwrap().to_string();
    let confirm = app.post("/api/v1/auth/mfa/confirm", Some(token), json!({ "code": code(&secret, 0) }));
    assert_eq!(confirm.status, 200, "{}", confirm.text);
    let codes =
        confirm.body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    (secret, codes)
}

fn audit_actions(app: &TestApp, admin_token: &str) -> Vec<String> {
    let r = app.get("/api/v1/audit?per_page=200", Some(admin_token));
    r.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap_or("").to_string()).collect()
}

fn enrol_sign_in_with_a_code_or_a_recovery_code_and_disable(app: &TestApp) {
    let s = app.login("bdh");
    let status = app.get("/api/v1/auth/mfa", Some(&s.token));
    assert_eq!(
        status.body,
        json!({ "available": true, "enabled": false, "required": false, "recovery_codes_left": 0 })
    );
    let setup = app.send("POST", "/api/v1/auth/mfa/setup", Some(&s.token), None);
    assert_eq!(setup.status, 200, "{}", setup.text);
    let secret = setup.body["secret"].as_str().unwrap().to_string();
    assert_eq!(decode_base32(&secret).len(), 20, "160-bit secret");
    let uri = setup.body["otpauth_uri"].as_str().unwrap();
    assert!(
        uri.starts_with("otpauth://totp/") && uri.contains(&format!("secret={secret}")) && uri.contains(":bdh?"),
        "{uri}"
    );
    // A wrong code does not enable it.
    let wrong = if code(&secret, 0) == "000000" { "111111" } else { "000000" };
    let r = app.post("/api/v1/auth/mfa/confirm", Some(&s.token), json!({ "code": wrong }));
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.body["errors"][0]["code"], "wrong_code");
    let used = code(&secret, 0);
    let r = app.post("/api/v1/auth/mfa/confirm", Some(&s.token), json!({ "code": used }));
    assert_eq!(r.status, 200, "{}", r.text);
    let recovery: Vec<String> =
        r.body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    assert_eq!(recovery.len(), 10);
    assert_eq!(app.get("/api/v1/auth/mfa", Some(&s.token)).body["recovery_codes_left"], 10);
    assert_eq!(app.send("POST", "/api/v1/auth/mfa/setup", Some(&s.token), None).code(), "mfa_already_enabled");
    // Recovery codes are stored hashed.
    {
        use diesel::prelude::*;
        use thanthien::db::schema::mfa_recovery_codes;
        let stored: Vec<String> =
            mfa_recovery_codes::table.select(mfa_recovery_codes::code_hash).load(&mut *app.conn()).unwrap();
        for c in &recovery {
            assert!(!stored.iter().any(|h| h.contains(&c.replace('-', ""))), "recovery codes stored in clear");
        }
    }

    // The password alone no longer signs in: a challenge, then a code.
    let first = login_step(app, "bdh");
    assert_eq!(first.status, 202, "{}", first.text);
    assert_eq!(first.body["mfa"], "verify");
    assert!(first.body.get("access_token").is_none());
    assert!(first.refresh_cookie().is_none());
    let challenge = first.body["challenge_token"].as_str().unwrap().to_string();
    // The code used to confirm cannot be used again.
    let replay = app.post("/api/v1/auth/mfa/verify", None, json!({ "challenge_token": challenge, "code": used }));
    assert_eq!(replay.status, 422, "a code works once: {}", replay.text);
    let ok =
        app.post("/api/v1/auth/mfa/verify", None, json!({ "challenge_token": challenge, "code": code(&secret, 1) }));
    let t = token_of(&ok);
    assert!(ok.refresh_cookie().is_some());
    assert_eq!(app.get("/api/v1/auth/me", Some(&t)).status, 200);
    let again =
        app.post("/api/v1/auth/mfa/verify", None, json!({ "challenge_token": challenge, "code": code(&secret, 1) }));
    assert_eq!(again.status, 401, "a challenge is used once");

    // A recovery code instead, typed in capitals without the dash: works once.
    let ch = login_step(app, "bdh").body["challenge_token"].as_str().unwrap().to_string();
    let typed = recovery[0].replace('-', "").to_uppercase();
    let r = app.post("/api/v1/auth/mfa/verify", None, json!({ "challenge_token": ch, "code": typed }));
    token_of(&r);
    let ch = login_step(app, "bdh").body["challenge_token"].as_str().unwrap().to_string();
    let r = app.post("/api/v1/auth/mfa/verify", None, json!({ "challenge_token": ch, "code": recovery[0] }));
    assert_eq!(r.status, 422, "a recovery code works once");
    assert_eq!(app.get("/api/v1/auth/mfa", Some(&t)).body["recovery_codes_left"], 9);

    // Turning it off needs the password and a code.
    let r =
        app.post("/api/v1/auth/mfa/disable", Some(&t), json!({ "password": "wrong-password-x", "code": recovery[1] }));
    assert_eq!(r.body["errors"][0]["code"], "wrong_password", "{}", r.text);
    let r = app.post("/api/v1/auth/mfa/disable", Some(&t), json!({ "password": DEMO_PASSWORD, "code": "123-not-it" }));
    assert_eq!(r.body["errors"][0]["code"], "wrong_code", "{}", r.text);
    let r = app.post("/api/v1/auth/mfa/disable", Some(&t), json!({ "password": DEMO_PASSWORD, "code": recovery[1] }));
    assert_eq!(r.status, 204, "{}", r.text);
    assert_eq!(login_step(app, "bdh").status, 200, "the password alone signs in again");

    let actions = audit_actions(app, &app.login("admin").token);
    for a in ["mfa_enable", "mfa_recovery_used", "mfa_disable"] {
        assert!(actions.iter().any(|x| x == a), "{a} audited: {actions:?}");
    }
}

fn only_admin_and_board_accounts_use_mfa(app: &TestApp) {
    for u in ["ubnd", "mttq", "thon1"] {
        let s = app.login(u);
        assert_eq!(app.send("POST", "/api/v1/auth/mfa/setup", Some(&s.token), None).status, 403, "{u}");
        assert_eq!(app.get("/api/v1/auth/mfa", Some(&s.token)).body["available"], false);
    }
    let admin = app.login("admin");
    enable(app, &admin.token);
    assert_eq!(login_step(app, "admin").status, 202);
}

/// Five wrong codes end a challenge; wrong codes also count in the sign-in throttle.
fn wrong_codes_are_limited(app: &TestApp) {
    let admin = app.login("admin");
    let (secret, _) = enable(app, &admin.token);
    let ch = login_step(app, "admin").body["challenge_token"].as_str().unwrap().to_string();
    let wrong = |c: &str| if c == "000000" { "111111".to_string() } else { "000000".to_string() };
    for i in 0..5 {
        let r = app.post(
            "/api/v1/auth/mfa/verify",
            None,
            json!({ "challenge_token": ch, "code": wrong(&code(&secret, 1)) }),
        );
        assert_eq!(r.status, 422, "wrong code {i}: {}", r.text);
    }
    let r = app.post("/api/v1/auth/mfa/verify", None, json!({ "challenge_token": ch, "code": code(&secret, 1) }));
    assert_eq!(r.status, 401, "the challenge is spent: {}", r.text);
    // Another challenge: five more wrong codes reach the per-client limit (10) → 429.
    let ch = login_step(app, "admin").body["challenge_token"].as_str().unwrap().to_string();
    for _ in 0..5 {
        app.post("/api/v1/auth/mfa/verify", None, json!({ "challenge_token": ch, "code": wrong(&code(&secret, 1)) }));
    }
    let ch = login_step(app, "admin").body["challenge_token"].as_str().unwrap().to_string();
    let r = app.post("/api/v1/auth/mfa/verify", None, json!({ "challenge_token": ch, "code": code(&secret, 1) }));
    assert_eq!(r.status, 429, "{}", r.text);
    assert!(r.headers.get("retry-after").is_some());
    assert_eq!(
        app.post("/api/v1/auth/mfa/verify", None, json!({ "challenge_token": "nope", "code": "123456" })).status,
        401
    );
}

/// The commune makes MFA required: a board member without it enrols at the next sign-in and
/// cannot turn it off; other roles are not asked.
fn the_commune_can_require_mfa(app: &TestApp) {
    let admin = app.login("admin");
    assert_eq!(app.get("/api/v1/auth/mfa/policy", Some(&admin.token)).body["mfa_required"], false);
    assert_eq!(app.get("/api/v1/auth/mfa/policy", Some(&app.login("ubnd").token)).status, 403);
    let r = app.send("PUT", "/api/v1/auth/mfa/policy", Some(&admin.token), Some(json!({ "mfa_required": true })));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["mfa_required"], true);
    // Audited as a change; setting it again changes and writes nothing.
    let log = || app.get("/api/v1/audit?entity=commune_security", Some(&admin.token)).body;
    assert_eq!(log()["items"][0]["summary"], json!({ "mfa_required": [false, true] }));
    let again = app.send("PUT", "/api/v1/auth/mfa/policy", Some(&admin.token), Some(json!({ "mfa_required": true })));
    assert_eq!((again.status, log()["total"].as_i64()), (200, Some(1)));
    assert_eq!(login_step(app, "ubnd").status, 200, "the desk is not asked");

    let first = login_step(app, "bdh");
    assert_eq!(first.status, 202, "{}", first.text);
    assert_eq!(first.body["mfa"], "enrol");
    let ch = first.body["challenge_token"].as_str().unwrap().to_string();
    // An enrol challenge is not a verify challenge.
    assert_eq!(
        app.post("/api/v1/auth/mfa/verify", None, json!({ "challenge_token": ch, "code": "123456" })).status,
        401
    );
    let setup = app.post("/api/v1/auth/mfa/enrol/setup", None, json!({ "challenge_token": ch }));
    assert_eq!(setup.status, 200, "{}", setup.text);
    let secret = setup.body["secret"].as_str().unwrap().to_string();
    let done =
        app.post("/api/v1/auth/mfa/enrol/confirm", None, json!({ "challenge_token": ch, "code": code(&secret, 0) }));
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["recovery_codes"].as_array().unwrap().len(), 10);
    assert!(done.refresh_cookie().is_some());
    let t = done.body["session"]["access_token"].as_str().unwrap();
    let status = app.get("/api/v1/auth/mfa", Some(t));
    assert_eq!(
        (status.body["enabled"].clone(), status.body["required"].clone()),
        (Value::Bool(true), Value::Bool(true))
    );
    let codes = done.body["recovery_codes"].clone();
    let r = app.post("/api/v1/auth/mfa/disable", Some(t), json!({ "password": DEMO_PASSWORD, "code": codes[0] }));
    assert_eq!(r.code(), "mfa_required_by_commune", "{}", r.text);
    // Next sign-in asks for a code.
    assert_eq!(login_step(app, "bdh").body["mfa"], "verify");
    let actions = audit_actions(app, &admin.token);
    assert!(actions.iter().any(|a| a == "mfa_enable"));
    assert!(actions.iter().filter(|a| *a == "update").count() >= 1, "the policy change is audited");
}

both_engines!(
    enrol_sign_in_with_a_code_or_a_recovery_code_and_disable,
    only_admin_and_board_accounts_use_mfa,
    wrong_codes_are_limited,
    the_commune_can_require_mfa,
);
