//! Sign-in, tokens, sessions, throttling.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;

use crate::both_engines;
use crate::harness::TestApp;

fn login_returns_tokens_and_cookie(app: &TestApp) {
    let r = app.try_login("  Admin ", "thanthien-demo");
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["token_type"], "Bearer");
    let expires = r.body["expires_in"].as_i64().unwrap();
    assert!(expires > 0 && expires <= 900, "access token lives at most 15 min");
    assert_eq!(r.body["user"]["username"], "admin");
    assert_eq!(r.body["user"]["role"], "admin");
    assert!(r.body["user"]["commune_id"].as_i64().is_some());
    let cookie = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("tt_refresh="))
        .unwrap();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Path=/api/v1/auth"), "{cookie}");
    // The JWT header pins the algorithm and names the key and type.
    let token = r.body["access_token"].as_str().unwrap();
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(token.split('.').next().unwrap()).unwrap()).unwrap();
    assert_eq!(header["alg"], "HS256");
    assert_eq!(header["typ"], "at+jwt");
    assert!(header["kid"].as_str().is_some_and(|k| !k.is_empty()));
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(token.split('.').nth(1).unwrap()).unwrap()).unwrap();
    for c in ["iss", "aud", "sub", "jti", "exp", "sid"] {
        assert!(!claims[c].is_null(), "claim {c} missing");
    }
}

fn every_demo_account_can_log_in(app: &TestApp) {
    for u in ["admin", "bdh", "ubnd", "mttq", "thon1", "thon2", "thon3", "thon4", "thon5", "thon6", "tinh"] {
        let s = app.login(u);
        let me = app.get("/api/v1/auth/me", Some(&s.token));
        assert_eq!(me.status, 200, "{u}: {}", me.text);
        assert_eq!(me.body["user"]["username"], u);
    }
    let me = app.get("/api/v1/auth/me", Some(&app.login("tinh").token));
    assert_eq!(me.body["user"]["role"], "oversight");
    assert!(me.body["user"]["commune_id"].is_null());
    assert_eq!(me.body["authority"]["name"], "Thanh Hóa");
    let me = app.get("/api/v1/auth/me", Some(&app.login("thon3").token));
    assert_eq!(me.body["unit"]["name"], "Thôn 3");
    assert_eq!(me.body["unit"]["kind"], "village");
    assert_eq!(me.body["commune"]["name"], "Bình Lương");
}

fn wrong_credentials_are_indistinguishable(app: &TestApp) {
    let wrong = app.try_login("admin", "not-the-password");
    let unknown = app.try_login("nobody-here", "not-the-password");
    for r in [&wrong, &unknown] {
        assert_eq!(r.status, 401);
        assert_eq!(r.code(), "invalid_credentials");
        assert_eq!(r.headers["content-type"], "application/problem+json");
    }
    assert_eq!(wrong.body["detail"], unknown.body["detail"]);
    let empty = app.try_login("", "");
    assert_eq!(empty.status, 422);
    let fields: Vec<_> =
        empty.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
    assert_eq!(fields, ["username", "password"]);
}

fn disabled_user_cannot_log_in_and_loses_access_now(app: &TestApp) {
    let admin = app.login("admin");
    let victim = app.login("thon2");
    assert_eq!(app.get("/api/v1/auth/me", Some(&victim.token)).status, 200);
    let id = app.user_id(&admin.token, "thon2");
    let r = app.patch(&format!("/api/v1/users/{id}"), Some(&admin.token), json!({ "active": false }));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["active"], false);
    let me = app.get("/api/v1/auth/me", Some(&victim.token));
    assert_eq!(me.status, 401, "a disabled user's access token must stop working at once");
    assert_eq!(me.code(), "unauthenticated");
    assert_eq!(app.with_cookie("/api/v1/auth/refresh", &victim.refresh).status, 401);
    assert_eq!(app.try_login("thon2", "thanthien-demo").code(), "invalid_credentials");
    // Re-enabled, the account works again with a new login.
    app.patch(&format!("/api/v1/users/{id}"), Some(&admin.token), json!({ "active": true }));
    app.login("thon2");
}

fn logout_ends_access_at_once(app: &TestApp) {
    let s = app.login("bdh");
    let r = app.send("POST", "/api/v1/auth/logout", Some(&s.token), None);
    assert_eq!(r.status, 204);
    assert_eq!(app.get("/api/v1/auth/me", Some(&s.token)).status, 401);
    assert_eq!(app.with_cookie("/api/v1/auth/refresh", &s.refresh).status, 401);
    // Logging out with only the cookie ends that session too.
    let s2 = app.login("bdh");
    assert_eq!(app.with_cookie("/api/v1/auth/logout", &s2.refresh).status, 204);
    assert_eq!(app.get("/api/v1/auth/me", Some(&s2.token)).status, 401);
}

fn refresh_rotates_and_reuse_revokes_the_family(app: &TestApp) {
    let s = app.login("ubnd");
    let r1 = app.with_cookie("/api/v1/auth/refresh", &s.refresh);
    assert_eq!(r1.status, 200, "{}", r1.text);
    let c1 = r1.refresh_cookie().unwrap();
    assert_ne!(c1, s.refresh, "refresh must rotate the token");
    let t1 = r1.body["access_token"].as_str().unwrap().to_string();
    assert_eq!(app.get("/api/v1/auth/me", Some(&t1)).status, 200);
    // The old token again: theft assumed, the whole session ends.
    let reuse = app.with_cookie("/api/v1/auth/refresh", &s.refresh);
    assert_eq!(reuse.status, 401);
    assert_eq!(app.with_cookie("/api/v1/auth/refresh", &c1).status, 401, "the newest token dies with its family");
    assert_eq!(app.get("/api/v1/auth/me", Some(&t1)).status, 401);
    assert_eq!(app.get("/api/v1/auth/me", Some(&s.token)).status, 401);
    // Other sessions of the same user are untouched.
    let other = app.login("ubnd");
    assert_eq!(app.get("/api/v1/auth/me", Some(&other.token)).status, 200);
    assert_eq!(app.send("POST", "/api/v1/auth/refresh", None, None).status, 401);
    assert_eq!(app.with_cookie("/api/v1/auth/refresh", "garbage").status, 401);
}

fn forge(header: serde_json::Value, claims: serde_json::Value, secret: Option<&[u8]>) -> String {
    use hmac_sign::sign;
    let h = URL_SAFE_NO_PAD.encode(header.to_string());
    let c = URL_SAFE_NO_PAD.encode(claims.to_string());
    let input = format!("{h}.{c}");
    let sig = secret.map(|s| URL_SAFE_NO_PAD.encode(sign(s, input.as_bytes()))).unwrap_or_default();
    format!("{input}.{sig}")
}

/// HMAC-SHA256 written out with sha2, so forged tokens do not depend on the code under test.
mod hmac_sign {
    use sha2::{Digest, Sha256};
    pub fn sign(key: &[u8], msg: &[u8]) -> Vec<u8> {
        let mut k = [0u8; 64];
        if key.len() > 64 {
            k[..32].copy_from_slice(&Sha256::digest(key));
        } else {
            k[..key.len()].copy_from_slice(key);
        }
        let ipad: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
        let opad: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
        let inner = Sha256::new().chain_update(&ipad).chain_update(msg).finalize();
        Sha256::new().chain_update(&opad).chain_update(inner).finalize().to_vec()
    }
}

fn bad_tokens_are_401(app: &TestApp) {
    let s = app.login("admin");
    let keyfile: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(app.data_dir.join("signing-keys.json")).unwrap()).unwrap();
    let key = &keyfile["keys"][0];
    let kid = key["kid"].as_str().unwrap();
    let secret = URL_SAFE_NO_PAD.decode(key["secret"].as_str().unwrap()).unwrap();
    let good_claims = |now: i64| {
        let sub = s.user["id"].as_i64().unwrap().to_string();
        let real: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(s.token.split('.').nth(1).unwrap()).unwrap()).unwrap();
        json!({ "iss": "thanthien", "aud": "thanthien-api", "sub": sub, "sid": real["sid"], "jti": "x", "iat": now, "nbf": now, "exp": now + 300 })
    };
    let now = chrono::Utc::now().timestamp();
    let hdr = |alg: &str, typ: &str| json!({ "alg": alg, "typ": typ, "kid": kid });
    // Sanity: our forger makes tokens the server accepts when everything is right.
    let valid = forge(hdr("HS256", "at+jwt"), good_claims(now), Some(&secret));
    assert_eq!(app.get("/api/v1/auth/me", Some(&valid)).status, 200, "forger must be faithful");

    let mut cases: Vec<(&str, String)> = vec![
        ("alg none", forge(hdr("none", "at+jwt"), good_claims(now), None)),
        ("wrong signature", forge(hdr("HS256", "at+jwt"), good_claims(now), Some(b"another-secret-another-secret-xx"))),
        ("expired", {
            let mut c = good_claims(now - 3600);
            c["exp"] = json!(now - 1800);
            forge(hdr("HS256", "at+jwt"), c, Some(&secret))
        }),
        ("wrong typ", forge(hdr("HS256", "JWT"), good_claims(now), Some(&secret))),
        ("HS512", forge(hdr("HS512", "at+jwt"), good_claims(now), Some(&secret))),
        (
            "unknown kid",
            forge(json!({ "alg": "HS256", "typ": "at+jwt", "kid": "nope" }), good_claims(now), Some(&secret)),
        ),
        ("refresh token as access token", s.refresh.clone()),
        ("empty", String::new()),
    ];
    for (field, value) in [("aud", "someone-else"), ("iss", "evil")] {
        let mut c = good_claims(now);
        c[field] = json!(value);
        cases.push((
            if field == "aud" { "wrong aud" } else { "wrong iss" },
            forge(hdr("HS256", "at+jwt"), c, Some(&secret)),
        ));
    }
    for (name, token) in &cases {
        let r = app.get("/api/v1/auth/me", Some(token));
        assert_eq!(r.status, 401, "{name} must be rejected");
        assert_eq!(r.code(), "unauthenticated", "{name}");
    }
    // A revoked session: valid signature, but the session is over.
    app.send("POST", "/api/v1/auth/logout", Some(&s.token), None);
    assert_eq!(app.get("/api/v1/auth/me", Some(&valid)).status, 401, "revoked session");
    assert_eq!(app.get("/api/v1/auth/me", None).status, 401, "no token");
}

fn throttles_by_address_without_locking_out_the_victim(app: &TestApp) {
    for i in 0..10 {
        let r = app.login_from("10.1.1.1", "bdh", "wrong-password-x");
        assert_eq!(r.status, 401, "attempt {i}");
    }
    let blocked = app.login_from("10.1.1.1", "bdh", "wrong-password-x");
    assert_eq!(blocked.status, 429);
    assert_eq!(blocked.code(), "rate_limited");
    let retry: u64 = blocked.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 15 * 60, "Retry-After {retry}");
    // Even the right password is refused from the attacking address…
    assert_eq!(app.login_from("10.1.1.1", "bdh", "thanthien-demo").status, 429);
    // …but the real user elsewhere is not locked out.
    assert_eq!(app.login_from("10.2.2.2", "bdh", "thanthien-demo").status, 200);
    // Per-address limit across usernames.
    for i in 0..30 {
        let r = app.login_from("10.3.3.3", &format!("guess{i}"), "wrong-password-x");
        assert_eq!(r.status, 401, "spray attempt {i}");
    }
    assert_eq!(app.login_from("10.3.3.3", "mttq", "thanthien-demo").status, 429);
    assert_eq!(app.login_from("10.4.4.4", "mttq", "thanthien-demo").status, 200);
}

fn password_change_and_admin_reset(app: &TestApp) {
    let s = app.login("mttq");
    let other = app.login("mttq");
    let wrong = app.post(
        "/api/v1/auth/password",
        Some(&s.token),
        json!({ "current_password": "nope-nope-nope", "new_password": "mật-khẩu-mới-2026" }),
    );
    assert_eq!(wrong.status, 422);
    assert_eq!(wrong.body["errors"][0]["code"], "wrong_password");
    let short = app.post(
        "/api/v1/auth/password",
        Some(&s.token),
        json!({ "current_password": "thanthien-demo", "new_password": "short" }),
    );
    assert_eq!(short.body["errors"][0]["code"], "too_short");
    // The same password again is no change: refused, and the other session lives on.
    let same = app.post(
        "/api/v1/auth/password",
        Some(&s.token),
        json!({ "current_password": "thanthien-demo", "new_password": "thanthien-demo" }),
    );
    assert_eq!(same.status, 422, "{}", same.text);
    assert_eq!(
        (same.body["errors"][0]["field"].as_str(), same.body["errors"][0]["code"].as_str()),
        (Some("new_password"), Some("same_as_current"))
    );
    assert_eq!(app.get("/api/v1/auth/me", Some(&other.token)).status, 200);
    let ok = app.post(
        "/api/v1/auth/password",
        Some(&s.token),
        json!({ "current_password": "thanthien-demo", "new_password": "mật-khẩu-mới-2026" }),
    );
    assert_eq!(ok.status, 204, "{}", ok.text);
    assert_eq!(app.get("/api/v1/auth/me", Some(&s.token)).status, 200, "the current session stays");
    assert_eq!(app.get("/api/v1/auth/me", Some(&other.token)).status, 401, "other sessions end");
    assert_eq!(app.try_login("mttq", "thanthien-demo").status, 401);
    app.login_with("mttq", "mật-khẩu-mới-2026");
    // An admin resets it; every session of that user ends.
    let admin = app.login("admin");
    let id = app.user_id(&admin.token, "mttq");
    let r = app.post(
        &format!("/api/v1/users/{id}/password"),
        Some(&admin.token),
        json!({ "new_password": "reset-by-admin-1" }),
    );
    assert_eq!(r.status, 204, "{}", r.text);
    assert_eq!(app.get("/api/v1/auth/me", Some(&s.token)).status, 401);
    app.login_with("mttq", "reset-by-admin-1");
}

fn passwords_are_argon2id(app: &TestApp) {
    use diesel::prelude::*;
    use thanthien::db::schema::users;
    let mut c = app.conn();
    let hashes: Vec<String> = users::table.select(users::password_hash).load(&mut *c).unwrap();
    assert!(!hashes.is_empty());
    for h in hashes {
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
    }
}

fn housekeeping_prunes_only_expired_records(app: &TestApp) {
    use thanthien::auth::repo;
    let s = app.login("admin");
    let now = chrono::Utc::now().naive_utc();
    {
        let mut c = app.conn();
        repo::record_attempt(&mut c, "10.9.9.9", "old", false, now - chrono::Duration::days(2)).unwrap();
        repo::record_attempt(&mut c, "10.9.9.9", "recent", false, now).unwrap();
        assert_eq!(repo::prune(&mut c, now).unwrap(), 1, "only the two-day-old attempt goes");
    }
    assert_eq!(app.get("/api/v1/auth/me", Some(&s.token)).status, 200, "live sessions are kept");
    {
        let mut c = app.conn();
        // Two months on, the session and its refresh tokens are long expired.
        assert!(repo::prune(&mut c, now + chrono::Duration::days(61)).unwrap() >= 3);
    }
    assert_eq!(app.get("/api/v1/auth/me", Some(&s.token)).status, 401);
    assert_eq!(app.with_cookie("/api/v1/auth/refresh", &s.refresh).status, 401);
}

/// 40 wrong passwords for one user at the same moment: the throttle reserves each try before
/// the hash, so at most the limit (10) are checked and the rest are 429 with `Retry-After`.
fn concurrent_wrong_passwords_are_checked_at_most_the_limit(app: &TestApp) {
    use std::sync::{Arc, Barrier};
    let n = 40;
    let barrier = Arc::new(Barrier::new(n));
    let threads: Vec<_> = (0..n)
        .map(|_| {
            let (client, url, barrier) = (app.client.clone(), app.url("/api/v1/auth/login"), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let r = client
                    .post(url)
                    .header("x-forwarded-for", "10.7.7.7")
                    .json(&json!({ "username": "bdh", "password": "wrong-password-x" }))
                    .send()
                    .expect("request");
                (r.status().as_u16(), r.headers().get("retry-after").is_some())
            })
        })
        .collect();
    let results: Vec<(u16, bool)> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let checked = results.iter().filter(|(s, _)| *s == 401).count();
    let refused = results.iter().filter(|(s, retry)| *s == 429 && *retry).count();
    assert!(checked <= 10, "{checked} passwords were checked, the limit is 10: {results:?}");
    assert!(checked >= 1, "some tries must be checked: {results:?}");
    assert_eq!(checked + refused, n, "every other try is 429 with Retry-After: {results:?}");
    // The database agrees: no more failures recorded than the limit.
    use diesel::prelude::*;
    use thanthien::db::schema::login_attempts;
    let rows: i64 =
        login_attempts::table.filter(login_attempts::ip.eq("10.7.7.7")).count().get_result(&mut *app.conn()).unwrap();
    assert_eq!(rows as usize, checked);
    // The real user elsewhere still signs in.
    assert_eq!(app.login_from("10.8.8.8", "bdh", "thanthien-demo").status, 200);
}

/// One IPv6 subscriber holds a whole /64: its addresses share one per-address budget.
fn ipv6_clients_are_throttled_per_64(app: &TestApp) {
    for i in 0..30 {
        let r = app.login_from(&format!("2001:db8:5:6::{:x}", i + 1), &format!("guess{i}"), "wrong-password-x");
        assert_eq!(r.status, 401, "spray attempt {i}");
    }
    let r = app.login_from("2001:db8:5:6:ffff::1", "mttq", "thanthien-demo");
    assert_eq!(r.status, 429, "another address of the same /64 shares the budget");
    assert_eq!(
        app.login_from("2001:db8:5:7::1", "mttq", "thanthien-demo").status,
        200,
        "the next /64 is another client"
    );
}

fn field_code(r: &crate::harness::Res) -> String {
    assert_eq!(r.status, 422, "{}", r.text);
    r.body["errors"][0]["code"].as_str().unwrap().to_string()
}

/// Common passwords, the username, the commune's name and repetitions are refused with a
/// stable field code, on a change, an admin's reset and a new account.
fn weak_passwords_are_refused(app: &TestApp) {
    let s = app.login("mttq");
    let change = |new: &str| {
        app.post(
            "/api/v1/auth/password",
            Some(&s.token),
            json!({ "current_password": "thanthien-demo", "new_password": new }),
        )
    };
    for p in ["1234567890", "password12", "qwertyuiop", "matkhau123", "123456789a", "Anhyeuem2024", "P@ssw0rd2026"] {
        let r = change(p);
        assert_eq!(field_code(&r), "common_password", "{p}");
        assert_eq!(r.body["errors"][0]["field"], "new_password");
    }
    assert_eq!(field_code(&change("Bình Lương 2026")), "contains_commune_name");
    assert_eq!(field_code(&change("binhluong!!!!")), "contains_commune_name");
    assert_eq!(field_code(&change("mttq-mttq-2026")), "contains_username");
    assert_eq!(field_code(&change("zzzzzzzzzzzz")), "repeated_characters");
    // None of these used up the throttle, and the current password still works.
    assert_eq!(change("Lúa chín vàng đồng quê").status, 204);
    let admin = app.login("admin");
    let id = app.user_id(&admin.token, "thon1");
    let reset =
        |p: &str| app.post(&format!("/api/v1/users/{id}/password"), Some(&admin.token), json!({ "new_password": p }));
    assert_eq!(field_code(&reset("binhluong2026")), "contains_commune_name");
    assert_eq!(field_code(&reset("iloveyou12345")), "common_password");
    let unit = app.unit_id(&admin.token, "T1");
    let r = app.post(
        "/api/v1/users",
        Some(&admin.token),
        json!({ "username": "newhead", "full_name": "Trưởng thôn mới", "role": "village", "unit_id": unit, "password": "matkhau@123" }),
    );
    assert_eq!(field_code(&r), "common_password");
}

both_engines!(
    concurrent_wrong_passwords_are_checked_at_most_the_limit,
    ipv6_clients_are_throttled_per_64,
    weak_passwords_are_refused,
    housekeeping_prunes_only_expired_records,
    login_returns_tokens_and_cookie,
    every_demo_account_can_log_in,
    wrong_credentials_are_indistinguishable,
    disabled_user_cannot_log_in_and_loses_access_now,
    logout_ends_access_at_once,
    refresh_rotates_and_reuse_revokes_the_family,
    bad_tokens_are_401,
    throttles_by_address_without_locking_out_the_victim,
    password_change_and_admin_reset,
    passwords_are_argon2id,
);
