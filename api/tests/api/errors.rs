//! Errors are problem+json with stable codes; no input gives a 500; headers on every answer.

use serde_json::{Value, json};

use crate::both_engines;
use crate::harness::TestApp;

fn raw(app: &TestApp, method: &str, path: &str, token: &str, content_type: &str, body: Vec<u8>) -> crate::harness::Res {
    let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let r = app
        .client
        .request(m, app.url(path))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().unwrap();
    crate::harness::Res { status, headers, body: serde_json::from_str(&text).unwrap_or_default(), text }
}

fn problems_have_a_stable_envelope(app: &TestApp) {
    let s = app.login("admin");
    let cases = [
        ("GET", "/api/v1/nothing-here", "application/json", b"".to_vec(), 404, "not_found"),
        ("GET", "/api/v2/units", "application/json", b"".to_vec(), 404, "not_found"),
        ("POST", "/api/v1/units", "application/json", b"{\"name\": ".to_vec(), 400, "malformed_body"),
        ("POST", "/api/v1/units", "application/json", b"".to_vec(), 400, "malformed_body"),
        ("POST", "/api/v1/units", "text/plain", b"{}".to_vec(), 415, "unsupported_media_type"),
        ("POST", "/api/v1/units", "application/json", vec![b' '; 300 * 1024], 413, "payload_too_large"),
        ("POST", "/api/v1/units", "application/json", b"[1,2]".to_vec(), 422, "validation_failed"),
        (
            "POST",
            "/api/v1/units",
            "application/json",
            b"{\"name\":\"\\u0000\",\"kind\":\"other\"}".to_vec(),
            422,
            "validation_failed",
        ),
        ("GET", "/api/v1/units/abc", "application/json", b"".to_vec(), 404, "not_found"),
        ("GET", "/api/v1/units/99999999999999999999", "application/json", b"".to_vec(), 404, "not_found"),
        ("GET", "/api/v1/units?per_page=abc", "application/json", b"".to_vec(), 422, "validation_failed"),
        ("GET", "/api/v1/units?kind=castle", "application/json", b"".to_vec(), 422, "validation_failed"),
        ("GET", "/api/v1/audit?from=yesterday", "application/json", b"".to_vec(), 422, "validation_failed"),
        ("DELETE", "/api/v1/units/1", "application/json", b"".to_vec(), 405, "method_not_allowed"),
        ("PUT", "/api/v1/auth/login", "application/json", b"{}".to_vec(), 405, "method_not_allowed"),
        ("GET", "/api/v1/auth/login", "application/json", b"".to_vec(), 405, "method_not_allowed"),
        ("DELETE", "/api/v1/units/1/extra", "application/json", b"".to_vec(), 404, "not_found"),
    ];
    for (method, path, ct, body, status, code) in cases {
        let r = raw(app, method, path, &s.token, ct, body);
        assert_eq!(r.status, status, "{method} {path}: {}", r.text);
        assert_eq!(r.headers["content-type"], "application/problem+json", "{method} {path}");
        assert_eq!(r.body["code"], code, "{method} {path}");
        assert_eq!(r.body["status"], status);
        assert_eq!(r.body["type"], format!("urn:thanthien:problem:{code}"));
        assert!(r.body["title"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(r.body["detail"].is_string());
        if status == 405 {
            assert!(r.headers.contains_key("allow"), "{method} {path} names the allowed methods");
        }
    }
    // A query value that does not fit is refused on its parameter, whatever its type.
    for (path, field, code) in [
        ("/api/v1/units?per_page=abc", "per_page", "invalid_value"),
        ("/api/v1/units?kind=castle", "kind", "invalid_value"),
        ("/api/v1/audit?from=yesterday", "from", "invalid_value"),
        ("/api/v1/audit?user_id=7x", "user_id", "invalid_value"),
        ("/api/v1/calendar/lunar?date=2026-02-30", "date", "invalid_value"),
    ] {
        let r = app.get(path, Some(&s.token));
        assert_eq!(r.status, 422, "{path}: {}", r.text);
        assert_eq!(
            (r.body["errors"][0]["field"].as_str(), r.body["errors"][0]["code"].as_str()),
            (Some(field), Some(code)),
            "{path}: {}",
            r.text
        );
    }
}

fn every_response_carries_security_headers(app: &TestApp) {
    for path in ["/", "/healthz", "/api/v1/system/info", "/api/v1/nope", "/admin/users"] {
        let r = app.get(path, None);
        let csp = r.headers.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(
            !csp.split(';').any(|d| d.trim().starts_with("script-src") && d.contains("unsafe-inline")),
            "no inline scripts: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(r.headers["x-content-type-options"], "nosniff", "{path}");
        assert!(r.headers.contains_key("referrer-policy"), "{path}");
        assert!(r.headers.get("x-request-id").is_some_and(|v| !v.is_empty()), "{path}");
    }
    // A caller's request id is echoed (when well-formed) so logs can be joined.
    let r = app.client.get(app.url("/healthz")).header("x-request-id", "abc-123").send().unwrap();
    assert_eq!(r.headers()["x-request-id"], "abc-123");
    let r = app.client.get(app.url("/healthz")).header("x-request-id", "bad id\twith spaces").send().unwrap();
    assert_ne!(r.headers()["x-request-id"], "bad id\twith spaces");
}

fn api_paths_never_fall_back_to_the_spa(app: &TestApp) {
    let page = app.get("/admin/users", None);
    assert!(page.headers["content-type"].to_str().unwrap().starts_with("text/html"), "client routes get the SPA");
    let api = app.get("/api/v1/admin/users", None);
    assert_eq!(api.status, 404);
    assert_eq!(api.headers["content-type"], "application/problem+json");
    assert_eq!(app.get("/assets/missing-0000.js", None).status, 404, "a missing asset is not a page");
    assert_eq!(app.send("POST", "/admin/users", None, Some(json!({}))).status, 405);
    // Citizen pages get their own small entry when the web app is built.
    if std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../web/dist/public.html")).exists() {
        let citizen = app.get("/tra-cuu/UBND-261126-0001", None);
        let staff = app.get("/onestop", None);
        assert!(citizen.headers["content-type"].to_str().unwrap().starts_with("text/html"));
        assert_ne!(citizen.text, staff.text, "/tra-cuu/{{code}} serves public.html, not the staff shell");
        assert_eq!(app.get("/thu-tuc", None).text, citizen.text);
    }
}

fn health_and_readiness(app: &TestApp) {
    let h = app.get("/healthz", None);
    assert_eq!(h.status, 200);
    assert_eq!(h.body["status"], "ok");
    let r = app.get("/readyz", None);
    assert_eq!(r.status, 200);
    assert_eq!(r.body["status"], "ready");
    let info = app.get("/api/v1/system/info", None);
    assert_eq!(info.body["demo"], true);
    assert_eq!(info.body["name"], "Thân Thiện");
}

fn swagger_ui_and_spec_are_served_offline(app: &TestApp) {
    let spec = app.get("/api/v1/openapi.json", None);
    assert_eq!(spec.status, 200);
    assert_eq!(spec.body["openapi"].as_str().unwrap().get(..3), Some("3.1"));
    let ui = app.get("/api/docs/", None);
    assert_eq!(ui.status, 200);
    assert!(ui.text.contains("swagger"), "Swagger UI page");
    assert!(!ui.text.contains("https://"), "no CDN: everything is served locally");
    assert_eq!(app.get("/api/docs", None).status, 308);
}

/// A body missing several required fields is refused on each of them at once, in the order the
/// body declares them; one missing alone is named alone.
fn every_missing_field_is_named_at_once(app: &TestApp) {
    let admin = app.login("admin").token;
    let fields = |path: &str, body: Value| -> Vec<(String, String)> {
        let r = app.post(path, Some(&admin), body);
        assert_eq!((r.status, r.code()), (422, "validation_failed"), "{path}: {}", r.text);
        r.field_errors()
    };
    let required = |names: &[&str]| -> Vec<(String, String)> {
        names.iter().map(|n| (n.to_string(), "required".to_string())).collect()
    };
    assert_eq!(fields("/api/v1/api-keys", json!({})), required(&["name", "owner", "kind", "scopes"]));
    assert_eq!(
        fields("/api/v1/api-keys", json!({ "name": "Cổng tỉnh", "kind": "live" })),
        required(&["owner", "scopes"])
    );
    assert_eq!(fields("/api/v1/units", json!({ "code": "X1" })), required(&["name", "kind"]));
    assert_eq!(fields("/api/v1/units", json!({ "name": "Tổ hòa giải" })), required(&["kind"]));
    // Another kind of error first stays what it is.
    assert_eq!(fields("/api/v1/units", json!({ "name": 7 })), vec![("name".to_string(), "invalid_value".to_string())]);
}

both_engines!(
    every_missing_field_is_named_at_once,
    problems_have_a_stable_envelope,
    every_response_carries_security_headers,
    api_paths_never_fall_back_to_the_spa,
    health_and_readiness,
    swagger_ui_and_spec_are_served_offline,
);

/// The pool does not test a connection before lending it; when PostgreSQL drops the server's
/// connections (a restart, an administrator), each dead one costs at most one 503, never a
/// 500, and is then replaced.
#[test]
fn postgres_connections_dropped_under_the_server_are_replaced() {
    use diesel::{Connection, RunQueryDsl};
    let Some(app) = TestApp::start(crate::harness::Engine::Postgres) else { return };
    let s = app.login("bdh");
    for _ in 0..8 {
        assert_eq!(app.get("/api/v1/plans", Some(&s.token)).status, 200);
    }
    let mut admin = diesel::PgConnection::establish(&app.db_url).expect("connect");
    let killed = diesel::sql_query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .execute(&mut admin)
    .expect("terminate the server's connections");
    assert!(killed >= 1, "the server held at least one connection");
    // One server's pool (the suite may run behind a balancer with two servers, each with a pool).
    let direct = |path: &str| {
        let r = app.client.get(format!("{}{path}", app.direct)).bearer_auth(&s.token).send().expect("request");
        r.status().as_u16()
    };
    let statuses: Vec<u16> = (0..12).map(|_| direct("/api/v1/plans")).collect();
    assert!(statuses.iter().all(|&st| st == 200 || st == 503), "{statuses:?}");
    // The test server's pool has 4 connections.
    assert!(statuses.iter().filter(|&&st| st == 503).count() <= 4, "{statuses:?}");
    assert!(statuses[statuses.len() - 4..].iter().all(|&st| st == 200), "{statuses:?}");
}
