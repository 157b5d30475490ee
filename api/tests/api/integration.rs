//! API keys for systems: issue, hash at rest, use, rotation with overlap,
//! revocation, expiry, scopes, IP allow-list, rate limit, use counters, creator bounds.

use diesel::prelude::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::both_engines;
use crate::harness::{Res, TestApp};
use crate::webhooks::subscribe;

/// Issues a key; returns (id, secret).
pub fn issue(app: &TestApp, token: &str, body: Value) -> (i64, String) {
    let r = app.post("/api/v1/api-keys", Some(token), body);
    assert_eq!(r.status, 201, "{}", r.text);
    (r.body["key"]["id"].as_i64().unwrap(), r.body["secret"].as_str().unwrap().to_string())
}

/// A live key of the demo commune's admin with the given scopes.
pub fn admin_key(app: &TestApp, token: &str, scopes: &[&str]) -> (i64, String) {
    issue(app, token, json!({ "name": "Hệ thống tỉnh", "owner": "Sở TT&TT", "kind": "live", "scopes": scopes }))
}

fn with_key(app: &TestApp, key: &str, path: &str, ip: Option<&str>) -> Res {
    let mut r = app.client.get(app.url(path)).header("x-api-key", key);
    if let Some(ip) = ip {
        r = r.header("x-forwarded-for", ip);
    }
    let r = r.send().unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Res { status, headers, body, text }
}

const INDICATORS: &str = "/api/v1/onestop/indicators?group_by=procedure";

/// The refusal reasons audited for a key, oldest first.
fn refusals(app: &TestApp, admin: &str, key_id: i64) -> Vec<String> {
    let r = app.get(&format!("/api/v1/audit?action=api_key_refused&entity_id={key_id}&per_page=200"), Some(admin));
    assert_eq!(r.status, 200, "{}", r.text);
    let mut v: Vec<(i64, String)> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["id"].as_i64().unwrap(), e["summary"]["reason"].as_str().unwrap().to_string()))
        .collect();
    v.sort();
    v.into_iter().map(|(_, r)| r).collect()
}

fn keys_are_shown_once_and_stored_as_a_hash(app: &TestApp) {
    let admin = app.login("admin").token;
    let r = app.post(
        "/api/v1/api-keys",
        Some(&admin),
        json!({ "name": "Cổng dữ liệu tỉnh", "owner": "Sở Thông tin và Truyền thông", "kind": "live",
                "scopes": ["read_aggregates", "read_plans", "read_aggregates"], "ip_allow": ["127.0.0.1", "127.0.0.1/32"] }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.headers["cache-control"], "no-store");
    let secret = r.body["secret"].as_str().unwrap().to_string();
    let prefix = r.body["key"]["prefix"].as_str().unwrap().to_string();
    let id = r.body["key"]["id"].as_i64().unwrap();
    assert!(secret.starts_with("tt_live_") && secret.starts_with(&prefix) && prefix.len() == 16);
    assert_eq!(r.body["key"]["scopes"], json!(["read_aggregates", "read_plans"]));
    // Scopes and networks named twice are kept once.
    assert_eq!(r.body["key"]["ip_allow"], json!(["127.0.0.1/32"]));
    assert_eq!(r.body["key"]["state"], "active");
    // Never shown again: not in the list, not in the detail.
    let list = app.get("/api/v1/api-keys", Some(&admin));
    assert_eq!(list.status, 200);
    assert!(!list.text.contains(&secret[17..]) && list.body[0]["secret"].is_null());
    assert_eq!(list.body[0]["prefix"], prefix.as_str());
    let detail = app.get(&format!("/api/v1/api-keys/{id}"), Some(&admin));
    assert!(!detail.text.contains(&secret[17..]));
    // At rest: only SHA-256 of the key; the secret part is in no table the audit or keys use.
    use thanthien::db::schema::{api_keys, audit_log};
    let mut c = app.conn();
    let (stored_prefix, hash): (String, String) =
        api_keys::table.find(id).select((api_keys::prefix, api_keys::secret_hash)).first(&mut *c).unwrap();
    assert_eq!(stored_prefix, prefix);
    assert_eq!(hash, hex::encode(Sha256::digest(secret.as_bytes())));
    let summaries: Vec<String> = audit_log::table.select(audit_log::summary).load(&mut *c).unwrap();
    assert!(summaries.iter().any(|s| s.contains(&prefix)), "the creation is audited by prefix");
    assert!(summaries.iter().all(|s| !s.contains(&secret[17..]) && !s.contains(&hash)));
    drop(c);
    // SQLite: not a byte of the secret anywhere in the database files.
    if app.db_url.starts_with("sqlite://") {
        for f in std::fs::read_dir(&app.data_dir).unwrap() {
            let bytes = std::fs::read(f.unwrap().path()).unwrap_or_default();
            let needle = &secret.as_bytes()[17..];
            assert!(!bytes.windows(needle.len()).any(|w| w == needle), "secret found at rest");
        }
    }
    // The key works both ways it may be sent.
    assert_eq!(app.get(INDICATORS, Some(&secret)).status, 200);
    assert_eq!(with_key(app, &secret, INDICATORS, None).status, 200);
    // A wrong secret with a real prefix, and an unknown key, are refused and the first audited.
    let wrong = format!("{prefix}_{}", "A".repeat(43));
    let r = app.get(INDICATORS, Some(&wrong));
    assert_eq!((r.status, r.code()), (401, "unauthenticated"));
    assert_eq!(app.get(INDICATORS, Some("tt_live_00000000_nothing")).status, 401);
    assert_eq!(with_key(app, "not-a-key", INDICATORS, None).status, 401);
    assert_eq!(refusals(app, &admin, id), vec!["bad_secret"]);
}

fn scopes_bound_what_a_key_may_read(app: &TestApp) {
    let admin = app.login("admin").token;
    let (id, key) = admin_key(app, &admin, &["read_aggregates"]);
    assert_eq!(app.get(INDICATORS, Some(&key)).status, 200);
    assert_eq!(app.get("/api/v1/communes", Some(&key)).status, 200);
    // Outside its scopes: 403, audited.
    let r = app.get("/api/v1/dossiers", Some(&key));
    assert_eq!((r.status, r.code()), (403, "forbidden"), "{}", r.text);
    assert_eq!(app.get("/api/v1/plans", Some(&key)).status, 403);
    // Endpoints closed to keys whatever the scopes: accounts, writes, the key API itself.
    assert_eq!(app.get("/api/v1/auth/me", Some(&key)).status, 403);
    assert_eq!(app.get("/api/v1/users", Some(&key)).status, 403);
    assert_eq!(app.get("/api/v1/api-keys", Some(&key)).status, 403);
    let r = app.post("/api/v1/units", Some(&key), json!({ "name": "Tổ mới", "kind": "other" }));
    assert_eq!(r.status, 403);
    let reasons = refusals(app, &admin, id);
    assert_eq!(reasons.iter().filter(|r| *r == "scope_denied").count(), 2, "{reasons:?}");
    assert_eq!(reasons.iter().filter(|r| *r == "endpoint_closed_to_keys").count(), 4, "{reasons:?}");
    // Masked dossiers: what the admin reads, never personal data.
    let (_, masked) = admin_key(app, &admin, &["read_dossiers_masked"]);
    let ubnd = app.login("ubnd").token;
    let procs = app.get("/api/v1/procedures?q=1.004873", Some(&ubnd));
    let procedure = procs.body["items"][0]["id"].as_i64().unwrap();
    let d = app.post(
        "/api/v1/dossiers",
        Some(&ubnd),
        json!({ "procedure_id": procedure, "channel": 1,
                "applicant": { "name": "Lê Thị Mai", "phone": "0987654321", "id_number": "038190004321", "address": "Thôn 1" } }),
    );
    assert_eq!(d.status, 201, "{}", d.text);
    let by_key = app.get("/api/v1/dossiers", Some(&masked));
    assert_eq!(by_key.status, 200, "{}", by_key.text);
    assert!(!by_key.text.contains("Lê Thị Mai") && !by_key.text.contains("0987654321"));
    assert_eq!(by_key.body, app.get("/api/v1/dossiers", Some(&admin)).body);
    let one = app.get(&format!("/api/v1/dossiers/{}", d.body["id"]), Some(&masked));
    assert_eq!(one.status, 200);
    assert_eq!(one.body["personal_data_masked"], true);
    // Invalid bodies.
    let r = app.post(
        "/api/v1/api-keys",
        Some(&admin),
        json!({ "name": "", "owner": "x", "kind": "live", "scopes": [], "ip_allow": ["10.0.0.1/8"], "rate_per_minute": 0 }),
    );
    assert_eq!(r.status, 422);
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["name", "scopes", "ip_allow.0", "rate_per_minute"]);
    let r = app.post(
        "/api/v1/api-keys",
        Some(&admin),
        json!({ "name": "x", "owner": "x", "kind": "live", "scopes": ["everything"] }),
    );
    assert_eq!(r.status, 422, "{}", r.text);
}

fn rotation_keeps_the_old_key_until_the_chosen_time(app: &TestApp) {
    let admin = app.login("admin").token;
    let (old_id, old) = admin_key(app, &admin, &["read_aggregates"]);
    let until = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let r = app.post(&format!("/api/v1/api-keys/{old_id}/rotate"), Some(&admin), json!({ "old_valid_until": until }));
    assert_eq!(r.status, 201, "{}", r.text);
    let (new_id, new) = (r.body["key"]["id"].as_i64().unwrap(), r.body["secret"].as_str().unwrap().to_string());
    assert_ne!(new, old);
    assert_eq!(r.body["key"]["scopes"], json!(["read_aggregates"]));
    // Both work during the overlap.
    assert_eq!(app.get(INDICATORS, Some(&old)).status, 200);
    assert_eq!(app.get(INDICATORS, Some(&new)).status, 200);
    let old_view = app.get(&format!("/api/v1/api-keys/{old_id}"), Some(&admin));
    assert_eq!(old_view.body["key"]["state"], "rotating");
    assert_eq!(old_view.body["key"]["replaced_by"], new_id);
    // A rotated key is not rotated again; overlaps are bounded.
    let again =
        app.post(&format!("/api/v1/api-keys/{old_id}/rotate"), Some(&admin), json!({ "old_valid_until": until }));
    assert_eq!((again.status, again.code()), (409, "key_not_active"));
    let far = (chrono::Utc::now() + chrono::Duration::days(31)).to_rfc3339();
    let r = app.post(&format!("/api/v1/api-keys/{new_id}/rotate"), Some(&admin), json!({ "old_valid_until": far }));
    assert_eq!(r.status, 422);
    // Rotating with no overlap ends the previous key at once.
    let now = chrono::Utc::now().to_rfc3339();
    let r = app.post(&format!("/api/v1/api-keys/{new_id}/rotate"), Some(&admin), json!({ "old_valid_until": now }));
    assert_eq!(r.status, 201);
    let newest = r.body["secret"].as_str().unwrap().to_string();
    assert_eq!(app.get(INDICATORS, Some(&new)).status, 401);
    assert_eq!(app.get(INDICATORS, Some(&newest)).status, 200);
    assert_eq!(app.get(INDICATORS, Some(&old)).status, 200, "the first overlap still runs");
    assert_eq!(refusals(app, &admin, new_id), vec!["expired"]);
}

fn revocation_and_expiry_take_effect_at_once(app: &TestApp) {
    let admin = app.login("admin").token;
    let (id, key) = admin_key(app, &admin, &["read_aggregates"]);
    // Warm whatever could cache it.
    for _ in 0..3 {
        assert_eq!(app.get(INDICATORS, Some(&key)).status, 200);
    }
    let r = app.post(&format!("/api/v1/api-keys/{id}/revoke"), Some(&admin), json!({}));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["state"], "revoked");
    assert_eq!(app.get(INDICATORS, Some(&key)).status, 401);
    let r = app.post(
        &format!("/api/v1/api-keys/{id}/rotate"),
        Some(&admin),
        json!({ "old_valid_until": chrono::Utc::now().to_rfc3339() }),
    );
    assert_eq!(r.status, 409);
    // Expiry: a key whose time has come (set in the database, so no test waits) is refused.
    let (eid, ekey) = issue(
        app,
        &admin,
        json!({ "name": "Tạm", "owner": "x", "kind": "live", "scopes": ["read_aggregates"],
                "expires_at": (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339() }),
    );
    assert_eq!(app.get(INDICATORS, Some(&ekey)).status, 200);
    {
        use thanthien::db::schema::api_keys;
        let past = chrono::Utc::now().naive_utc() - chrono::Duration::seconds(1);
        diesel::update(api_keys::table.find(eid))
            .set(api_keys::expires_at.eq(Some(past)))
            .execute(&mut *app.conn())
            .unwrap();
    }
    assert_eq!(app.get(INDICATORS, Some(&ekey)).status, 401);
    let r = app.post(
        "/api/v1/api-keys",
        Some(&admin),
        json!({ "name": "x", "owner": "x", "kind": "live", "scopes": ["read_plans"], "expires_at": "2020-01-01T00:00:00Z" }),
    );
    assert_eq!(r.status, 422);
    assert_eq!(refusals(app, &admin, id), vec!["revoked"]);
    assert_eq!(refusals(app, &admin, eid), vec!["expired"]);
}

fn ip_allow_list_and_rate_limit(app: &TestApp) {
    let admin = app.login("admin").token;
    let (id, key) = issue(
        app,
        &admin,
        json!({ "name": "Tỉnh", "owner": "Sở", "kind": "live", "scopes": ["read_aggregates"],
                "ip_allow": ["203.0.113.0/24", "2001:db8::/32"], "rate_per_minute": 3 }),
    );
    assert_eq!(with_key(app, &key, INDICATORS, Some("203.0.113.9")).status, 200);
    assert_eq!(with_key(app, &key, INDICATORS, Some("2001:db8::5")).status, 200);
    let r = with_key(app, &key, INDICATORS, Some("198.51.100.1"));
    assert_eq!((r.status, r.code()), (403, "forbidden"));
    assert_eq!(refusals(app, &admin, id), vec!["ip_refused"]);
    // Third request of the minute passes, the fourth waits.
    assert_eq!(with_key(app, &key, INDICATORS, Some("203.0.113.9")).status, 200);
    let r = with_key(app, &key, INDICATORS, Some("203.0.113.9"));
    assert_eq!((r.status, r.code()), (429, "rate_limited"), "{}", r.text);
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    // Another key has its own budget.
    let (_, other) = admin_key(app, &admin, &["read_aggregates"]);
    assert_eq!(app.get(INDICATORS, Some(&other)).status, 200);
}

fn every_use_is_counted_per_day_and_endpoint(app: &TestApp) {
    let admin = app.login("admin").token;
    let (id, key) = admin_key(app, &admin, &["read_aggregates", "read_plans"]);
    for _ in 0..3 {
        assert_eq!(app.get(INDICATORS, Some(&key)).status, 200);
    }
    assert_eq!(app.get("/api/v1/plans", Some(&key)).status, 200);
    assert_eq!(app.get("/api/v1/onestop/indicators?group_by=month", Some(&key)).status, 200);
    // Refused requests are not uses.
    assert_eq!(app.get("/api/v1/dossiers", Some(&key)).status, 403);
    let d = app.get(&format!("/api/v1/api-keys/{id}"), Some(&admin));
    assert_eq!(d.status, 200, "{}", d.text);
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let usage = d.body["usage"].as_array().unwrap();
    let calls = |ep: &str| usage.iter().find(|u| u["endpoint"] == ep).map(|u| u["calls"].as_i64().unwrap());
    assert_eq!(calls("GET /api/v1/onestop/indicators"), Some(4));
    assert_eq!(calls("GET /api/v1/plans"), Some(1));
    assert_eq!(usage.len(), 2, "{usage:?}");
    assert!(usage.iter().all(|u| u["day"] == today.as_str()));
    assert_eq!(d.body["key"]["calls_today"], 5);
    assert_eq!(d.body["key"]["calls_30_days"], 5);
    assert!(d.body["key"]["last_used_at"].is_string());
    let list = app.get("/api/v1/api-keys", Some(&admin));
    let mine = list.body.as_array().unwrap().iter().find(|k| k["id"] == id).unwrap();
    assert_eq!(mine["calls_today"], 5);
    // Rows are counters, not one per request.
    use thanthien::db::schema::api_key_usage;
    let rows: i64 =
        api_key_usage::table.filter(api_key_usage::key_id.eq(id)).count().get_result(&mut *app.conn()).unwrap();
    assert_eq!(rows, 2);
}

fn a_key_never_outlives_its_creators_rights(app: &TestApp) {
    let admin = app.login("admin").token;
    let hq = app.unit_id(&admin, "UBND");
    let r = app.post(
        "/api/v1/users",
        Some(&admin),
        json!({ "username": "admin-b", "full_name": "Quản trị B", "role": "admin", "unit_id": hq, "password": "long-enough-pw-b" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let b_id = r.body["id"].as_i64().unwrap();
    let b = app.login_with("admin-b", "long-enough-pw-b").token;
    let (kid, key) = admin_key(app, &b, &["read_aggregates"]);
    assert_eq!(app.get(INDICATORS, Some(&key)).status, 200);
    // A key of B's that hears new petitions.
    let (hook_key, _) = admin_key(app, &b, &["receive_webhooks", "submit_feedback"]);
    let (sub, _) = subscribe(app, &b, hook_key, "https://hooks.example.org/tt", &["petition.received"]);
    // Beside it, a key of the first admin's that hears the same events throughout: the keys
    // of one event are judged together, each by its own creator.
    let (steady_key, _) = admin_key(app, &admin, &["receive_webhooks", "submit_feedback"]);
    let (steady, _) = subscribe(app, &admin, steady_key, "https://hooks.example.org/steady", &["petition.received"]);
    let queued = |sub: i64| {
        let d = app.get(&format!("/api/v1/webhooks/{sub}/deliveries"), Some(&admin));
        assert_eq!(d.status, 200, "{}", d.text);
        d.body.as_array().map_or(0, Vec::len)
    };
    let state = |id: i64| {
        let list = app.get("/api/v1/api-keys", Some(&admin));
        list.body.as_array().unwrap().iter().find(|k| k["id"] == id).unwrap()["state"].clone()
    };
    let commune = app.login("admin").user["commune_id"].as_i64().unwrap();
    let queued_after_a_petition = |n: usize| {
        let r = app.post(
            &format!("/api/v1/public/communes/{commune}/petitions"),
            None,
            json!({ "kind": "feedback", "subject": format!("Ổ gà đường liên thôn số {n}"), "content": "Đường liên thôn có ổ gà lớn.", "name": "Lò Văn Ba", "phone": "0977 000 222" }),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        assert_eq!(queued(steady), n, "the steady key hears petition {n}");
        queued(sub)
    };
    assert_eq!(queued_after_a_petition(1), 1, "an active creator's key hears the event");
    // Demoted: the key stops at once, is listed as suspended, and hears nothing.
    let r = app.patch(&format!("/api/v1/users/{b_id}"), Some(&admin), json!({ "role": "front" }));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(app.get(INDICATORS, Some(&key)).status, 401);
    assert_eq!(state(kid), "suspended");
    assert_eq!(queued_after_a_petition(2), 1, "a demoted creator's key hears nothing");
    assert_eq!(app.patch(&format!("/api/v1/users/{b_id}"), Some(&admin), json!({ "role": "admin" })).status, 200);
    assert_eq!(app.get(INDICATORS, Some(&key)).status, 200);
    assert_eq!(state(kid), "active");
    assert_eq!(queued_after_a_petition(3), 2, "restored, the key hears again");
    // Disabled: the same; and no new subscription is taken for it.
    assert_eq!(app.patch(&format!("/api/v1/users/{b_id}"), Some(&admin), json!({ "active": false })).status, 200);
    assert_eq!(app.get(INDICATORS, Some(&key)).status, 401);
    assert_eq!(refusals(app, &admin, kid), vec!["creator_not_permitted", "creator_not_permitted"]);
    assert_eq!((state(kid), state(hook_key)), (json!("suspended"), json!("suspended")));
    assert_eq!(queued_after_a_petition(4), 2, "a disabled creator's key hears nothing");
    let r = app.post(
        &format!("/api/v1/api-keys/{hook_key}/webhooks"),
        Some(&admin),
        json!({ "url": "https://hooks.example.org/other", "events": ["petition.received"] }),
    );
    assert_eq!((r.status, r.code()), (409, "key_not_active"), "{}", r.text);
    // Another commune's admin neither sees nor touches the key.
    let other = app.second_commune().token;
    assert_eq!(app.get(&format!("/api/v1/api-keys/{kid}"), Some(&other)).status, 404);
    assert_eq!(app.post(&format!("/api/v1/api-keys/{kid}/revoke"), Some(&other), json!({})).status, 404);
    assert_eq!(app.get("/api/v1/api-keys", Some(&other)).body, json!([]));
    // Only managers manage keys.
    assert_eq!(app.get("/api/v1/api-keys", Some(&app.login("bdh").token)).status, 403);
}

/// With the default configuration, no spelling of a loopback or private address is taken as a
/// webhook target (`webhooks::target`); a public one is.
fn webhook_targets_are_public_whatever_their_spelling(app: &TestApp) {
    let admin = app.login("admin").token;
    let (kid, _) = admin_key(app, &admin, &["receive_webhooks", "submit_feedback"]);
    let subscribe = |url: &str| {
        app.post(
            &format!("/api/v1/api-keys/{kid}/webhooks"),
            Some(&admin),
            json!({ "url": url, "events": ["petition.received"] }),
        )
    };
    for url in [
        "http://127.0.0.1:8383/x",
        "http://2130706433:8383/x",
        "http://127.1:8383/x",
        "http://0x7f.1:8383/x",
        "http://[::ffff:127.0.0.1]:8383/x",
        "http://[::ffff:169.254.169.254]/latest",
        "http://localhost./x",
        "http://10.0.0.1/x",
    ] {
        let r = subscribe(url);
        assert_eq!((r.status, r.code()), (422, "validation_failed"), "{url}: {}", r.text);
        assert_eq!(r.body["errors"][0]["field"], "url", "{url}: {}", r.text);
        assert_eq!(r.body["errors"][0]["code"], "private_target", "{url}: {}", r.text);
    }
    let r = subscribe("http://hooks.example.org:99999/h");
    assert_eq!((r.status, r.body["errors"][0]["code"].as_str()), (422, Some("invalid_format")), "{}", r.text);
    assert_eq!(subscribe("https://hooks.example.org/tt").status, 201);
}

fn test_keys_see_only_the_demo_commune(app: &TestApp) {
    let admin = app.login("admin").token;
    let (_, key) = issue(
        app,
        &admin,
        json!({ "name": "Thử", "owner": "Nhà phát triển", "kind": "test", "scopes": ["read_aggregates"] }),
    );
    assert!(key.starts_with("tt_test_"));
    let communes = app.get("/api/v1/communes", Some(&key));
    assert_eq!(communes.status, 200);
    let names: Vec<&str> = communes.body.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Bình Lương"]);
    // Another commune is no sandbox: its admin gets live keys only.
    let other = app.second_commune().token;
    let r = app.post(
        "/api/v1/api-keys",
        Some(&other),
        json!({ "name": "Thử", "owner": "x", "kind": "test", "scopes": ["read_aggregates"] }),
    );
    assert_eq!((r.status, r.code()), (409, "test_key_needs_sandbox"));
    // Oversight: a test key names the demo commune; a province-wide one must be live.
    let tinh = app.login("tinh").token;
    let r = app.post(
        "/api/v1/api-keys",
        Some(&tinh),
        json!({ "name": "Thử", "owner": "x", "kind": "test", "scopes": ["read_aggregates"] }),
    );
    assert_eq!(r.status, 409);
    let demo = names_to_ids(app, &tinh)["Bình Lương"];
    let xuan_binh = names_to_ids(app, &tinh)["Xuân Bình"];
    let (_, tkey) = issue(
        app,
        &tinh,
        json!({ "name": "Thử", "owner": "x", "kind": "test", "scopes": ["read_aggregates"], "commune_id": demo }),
    );
    let r = app.get("/api/v1/communes", Some(&tkey));
    assert_eq!(r.body.as_array().unwrap().len(), 1);
    let r = app.post(
        "/api/v1/api-keys",
        Some(&tinh),
        json!({ "name": "Thử", "owner": "x", "kind": "test", "scopes": ["read_aggregates"], "commune_id": xuan_binh }),
    );
    assert_eq!(r.status, 409);
    // The province-wide live key reads every commune of the province.
    let (_, pkey) =
        issue(app, &tinh, json!({ "name": "Cổng tỉnh", "owner": "Sở", "kind": "live", "scopes": ["read_aggregates"] }));
    let r = app.get("/api/v1/communes", Some(&pkey));
    assert_eq!(r.body.as_array().unwrap().len(), 2, "{}", r.text);
    assert_eq!(app.get("/api/v1/onestop/indicators", Some(&pkey)).status, 200);
    // The province's keys are the province's: the commune admin does not see them.
    let mine: Vec<i64> = app
        .get("/api/v1/api-keys", Some(&admin))
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["id"].as_i64().unwrap())
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(app.get("/api/v1/api-keys", Some(&tinh)).body.as_array().unwrap().len(), 2);
}

fn names_to_ids(app: &TestApp, token: &str) -> std::collections::HashMap<String, i64> {
    let r = app.get("/api/v1/communes", Some(token));
    r.body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_string(), c["id"].as_i64().unwrap()))
        .collect()
}

both_engines!(
    keys_are_shown_once_and_stored_as_a_hash,
    webhook_targets_are_public_whatever_their_spelling,
    scopes_bound_what_a_key_may_read,
    rotation_keeps_the_old_key_until_the_chosen_time,
    revocation_and_expiry_take_effect_at_once,
    ip_allow_list_and_rate_limit,
    every_use_is_counted_per_day_and_endpoint,
    a_key_never_outlives_its_creators_rights,
    test_keys_see_only_the_demo_commune,
);

/// The spec as generators read it: both security schemes, `api_key` listed on exactly the
/// endpoints that accept keys, and every file (CSV, XLSX, bytes) declared as binary content.
#[test]
fn the_spec_declares_both_schemes_and_files_as_binary() {
    let spec = serde_json::to_value(thanthien::openapi_spec()).unwrap();
    let schemes = &spec["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(
        (schemes["api_key"]["type"].as_str(), schemes["api_key"]["in"].as_str()),
        (Some("apiKey"), Some("header"))
    );
    assert_eq!(schemes["api_key"]["name"], "X-API-Key");
    let mut with_key = Vec::new();
    let mut files = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let security = op["security"].as_array().cloned().unwrap_or_default();
            if security.iter().any(|s| s.get("api_key").is_some()) {
                assert!(security.iter().any(|s| s.get("bearer").is_some()), "{path}: keys and people both");
                assert!(op["responses"]["429"].is_object(), "{path}: the key's rate limit");
                with_key.push((method.to_uppercase(), path.clone()));
            }
            let mut contents: Vec<(&String, &Value)> = Vec::new();
            for r in op["responses"].as_object().unwrap().values() {
                contents.extend(r["content"].as_object().into_iter().flatten());
            }
            contents.extend(op["requestBody"]["content"].as_object().into_iter().flatten());
            for (media, c) in contents {
                // Open311's XML documents and its form-encoded post are documents, not files.
                if media.contains("json")
                    || media.starts_with("multipart/")
                    || media == "text/xml"
                    || media == "application/x-www-form-urlencoded"
                {
                    continue;
                }
                files += 1;
                let s = &c["schema"];
                assert_eq!(
                    (s["type"].as_str(), s["format"].as_str()),
                    (Some("string"), Some("binary")),
                    "{path} {media}"
                );
                assert_eq!(s["contentMediaType"], media.as_str(), "{path}");
            }
        }
    }
    assert!(files >= 12, "{files}");
    let mut expected: Vec<(String, String)> =
        thanthien::integration::gate::KEY_ROUTES.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    expected.sort();
    with_key.sort();
    assert_eq!(with_key, expected, "every route open to keys is documented so, and only those");
}
