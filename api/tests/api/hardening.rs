//! Hardening: hostile workbooks, NUL bytes, HSTS, evidence served as downloads,
//! private files, readiness that heals, a full disk, `Retry-After`, slow clients, durable
//! SQLite commits, the container health check.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use diesel::RunQueryDsl;
use serde_json::{Value, json};

use crate::both_engines;
use crate::harness::{Engine, Res, TestApp};

fn res(r: reqwest::blocking::Response) -> Res {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Res { status, headers, body, text }
}

fn import(app: &TestApp, token: &str, file_name: &str, bytes: &[u8]) -> Res {
    app.post_file("/api/v1/onestop/import", token, "file", file_name, bytes)
}

/// A workbook built here, deflated as Excel writes it.
fn workbook(sheet_data: &str, shared: Option<&str>) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let ns = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#;
    w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    w.write_all(format!("<worksheet {ns}><sheetData>").as_bytes()).unwrap();
    w.write_all(sheet_data.as_bytes()).unwrap();
    w.write_all(b"</sheetData></worksheet>").unwrap();
    if let Some(s) = shared {
        w.start_file("xl/sharedStrings.xml", opts).unwrap();
        w.write_all(format!("<sst {ns}>{s}</sst>").as_bytes()).unwrap();
    }
    w.finish().unwrap();
    out.into_inner()
}

fn file_error(r: &Res) -> (String, String, String) {
    let e = &r.body["errors"][0];
    (
        e["field"].as_str().unwrap_or("").to_string(),
        e["code"].as_str().unwrap_or("").to_string(),
        e["message"].as_str().unwrap_or("").to_string(),
    )
}

// ------------------------------------------------------------------------------ 1. imports

fn hostile_workbooks_are_refused_with_422(app: &TestApp) {
    let ubnd = app.login("ubnd");
    // A cell in column XFD on each of 2,000 rows: 32 million padded cells before the fix.
    let xfd: String = (1..=2000)
        .map(|r| format!(r#"<row r="{r}"><c r="XFD{r}" t="inlineStr"><is><t>x</t></is></c></row>"#))
        .collect();
    // 16 MiB of empty elements: a 17 KB deflate bomb.
    let bomb = "<x/>".repeat(4 << 20);
    // One 48 KB shared string referenced by 4,000 cells (190 MB of copies before the fix).
    let amplify: String = (1..=4000).map(|r| format!(r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#)).collect();
    let big_string = format!("<si><t>{}</t></si>", "Đ".repeat(24 * 1024));
    let cases = [
        ("xfd.xlsx", workbook(&xfd, None), "cột"),
        ("bomb.xlsx", workbook(&bomb, None), "nén bất thường"),
        ("amplify.xlsx", workbook(&amplify, Some(&big_string)), "MB"),
        ("wide.csv", format!("MaHoSo{}\r\n", ",".repeat(5000)).into_bytes(), "cột"),
    ];
    for (name, bytes, says) in cases {
        let started = Instant::now();
        let r = import(app, &ubnd.token, name, &bytes);
        let ms = started.elapsed().as_millis();
        eprintln!("{name}: {} bytes uploaded, refused in {ms} ms", bytes.len());
        assert_eq!(r.status, 422, "{name}: {}", r.text);
        assert_eq!(r.code(), "validation_failed");
        let (field, code, message) = file_error(&r);
        assert_eq!((field.as_str(), code.as_str()), ("file", "limit_exceeded"), "{name}");
        assert!(message.contains(says), "{name}: {message}");
    }
    // Nothing was imported and the server still answers.
    assert_eq!(app.get("/readyz", None).status, 200);
}

// ------------------------------------------------------------------------------ 7. NUL bytes

fn nul_bytes_are_field_errors_at_the_edge(app: &TestApp) {
    let bdh = app.login("bdh");
    let plan = crate::plans::demo_plan(app, &bdh.token);
    let field_of = |r: &Res| r.body["errors"][0]["field"].as_str().unwrap_or("").to_string();
    // The schemathesis finding: a NUL in a task filter gave 500 on PostgreSQL.
    for q in ["q=%00", "q=a%00b", "status=%00", "unit_id=%00"] {
        let r = app.get(&format!("/api/v1/plans/{plan}/tasks?{q}"), Some(&bdh.token));
        assert_eq!(r.status, 422, "{q}: {}", r.text);
        assert_eq!(r.code(), "validation_failed");
        assert_eq!(field_of(&r), q.split('=').next().unwrap(), "{q}");
    }
    let r = app.get("/api/v1/dossiers?q=%00", Some(&app.login("ubnd").token));
    assert_eq!((r.status, field_of(&r).as_str()), (422, "q"), "{}", r.text);
    let r = app.get("/api/v1/units/1%00", Some(&bdh.token));
    assert_eq!((r.status, field_of(&r).as_str()), (422, "path"), "{}", r.text);
    let r = app.get("/api/v1/public/dossiers/A%00B", None);
    assert_eq!(r.status, 422, "{}", r.text);
    // Login, JSON bodies, multipart text.
    let r = app.post("/api/v1/auth/login", None, json!({ "username": "ad\u{0}min", "password": "x" }));
    assert_eq!((r.status, field_of(&r).as_str()), (422, "username"), "{}", r.text);
    let r = app.post("/api/v1/auth/login", None, json!({ "username": "admin", "password": "\u{0}" }));
    assert_eq!((r.status, field_of(&r).as_str()), (422, "password"), "{}", r.text);
    let r = app.patch("/api/v1/tasks/1", Some(&bdh.token), json!({ "title": "a\u{0}" }));
    assert_eq!((r.status, field_of(&r).as_str()), (422, "title"), "{}", r.text);
    let fx = crate::plans::matrix_fixture(app, &app.login("admin").token);
    let thon1 = app.login("thon1");
    let boundary = "ttnul";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nbáo\0cáo\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"progress\"\r\n\r\n10\r\n--{boundary}--\r\n"
    );
    let r = res(app
        .client
        .post(app.url(&format!("/api/v1/tasks/{}/reports", fx.task)))
        .bearer_auth(&thon1.token)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .unwrap());
    assert_eq!((r.status, field_of(&r).as_str()), (422, "text"), "{}", r.text);
    // A backslash followed by "u0000" is text, not a NUL.
    let r = app.post("/api/v1/auth/login", None, json!({ "username": "\\u0000", "password": "x" }));
    assert_ne!(r.status, 500);
    assert_ne!(field_of(&r), "username", "{}", r.text);
}

// ------------------------------------------------------------------------------ 9. file modes

fn mode(p: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn evidence_is_private_and_served_by_kind(app: &TestApp) {
    let fx = crate::plans::matrix_fixture(app, &app.login("admin").token);
    let thon1 = app.login("thon1");
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR hardening photo";
    let pdf: &[u8] = b"%PDF-1.7\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n";
    let r = crate::plans::report(
        app,
        &thon1.token,
        fx.task,
        "Ảnh và biên bản.",
        "20",
        &[("anh.png", png), ("bb.pdf", pdf)],
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    let files = r.body["attachments"].as_array().unwrap().clone();
    // 11: a photo opens in the page, a PDF is only ever a download.
    for f in &files {
        let got = app.client.get(app.url(f["url"].as_str().unwrap())).bearer_auth(&thon1.token).send().unwrap();
        assert_eq!(got.status().as_u16(), 200);
        let disposition = got.headers()["content-disposition"].to_str().unwrap().to_string();
        let kind = f["content_type"].as_str().unwrap();
        if kind == "image/png" {
            assert!(disposition.starts_with("inline;"), "{disposition}");
        } else {
            assert_eq!(kind, "application/pdf");
            assert!(disposition.starts_with("attachment;"), "{disposition}");
        }
    }
    // 9: evidence and its folders belong to the server's user alone.
    let root = app.data_dir.join("files");
    assert_eq!(mode(&root), 0o700);
    for f in [png, pdf] {
        let hash = {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(f))
        };
        assert_eq!(mode(&root.join(&hash[..2])), 0o700);
        assert_eq!(mode(&root.join(&hash[..2]).join(&hash)), 0o600);
    }
    assert_eq!(mode(&app.data_dir), 0o700, "the data directory is private");
    if app.db_url.starts_with("sqlite://") {
        let db = std::path::PathBuf::from(app.db_url.trim_start_matches("sqlite://"));
        for suffix in ["", "-wal", "-shm"] {
            let p = std::path::PathBuf::from(format!("{}{suffix}", db.display()));
            if p.exists() {
                assert_eq!(mode(&p), 0o600, "{}", p.display());
            }
        }
    }
}

/// The binary sets umask 077 before it creates anything: a fresh data directory, the SQLite
/// database, its WAL and the key ring are private.
#[test]
fn the_server_creates_private_files() {
    let dir = std::env::temp_dir().join(format!("tt-umask-{}", uuid::Uuid::new_v4().simple()));
    let data = dir.join("data");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_thanthien"))
        .args(["migrate", "--database-url", &format!("sqlite://{}/thanthien.db", data.display())])
        .env("THANTHIEN__SERVER__DATA_DIR", &data)
        .env("THANTHIEN__LOG__LEVEL", "warn")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(mode(&data), 0o700);
    let mut seen = 0;
    for entry in std::fs::read_dir(&data).unwrap() {
        let p = entry.unwrap().path();
        assert_eq!(mode(&p) & 0o077, 0, "{} is {:o}", p.display(), mode(&p));
        seen += 1;
    }
    assert!(seen >= 2, "database and key ring");
    std::fs::remove_dir_all(dir).unwrap();
}

// ------------------------------------------------------------------------------ 10. HSTS

fn hsts_only_over_https_through_a_trusted_proxy(app: &TestApp) {
    let https = app.client.get(app.url("/api/v1/system/info")).header("x-forwarded-proto", "https").send().unwrap();
    let hsts = https.headers().get("strict-transport-security").map(|v| v.to_str().unwrap().to_string());
    assert_eq!(hsts.as_deref(), Some("max-age=31536000; includeSubDomains"));
    let plain = app.client.get(app.url("/api/v1/system/info")).send().unwrap();
    assert!(plain.headers().get("strict-transport-security").is_none());
}

#[test]
fn hsts_not_from_an_untrusted_peer() {
    let app = TestApp::start_with(Engine::Sqlite, |c| c.server.trusted_proxies.clear()).unwrap();
    let r = app.client.get(app.url("/healthz")).header("x-forwarded-proto", "https").send().unwrap();
    assert!(r.headers().get("strict-transport-security").is_none(), "anyone can send X-Forwarded-Proto");
}

// ------------------------------------------------------------------------------ 12. readiness

/// After PostgreSQL ended every connection of the pool (as a restart does), `/readyz` replaces
/// the dead ones by itself and says ready again, without real traffic.
fn readiness_heals_after_connections_are_killed(app: &TestApp) {
    assert_eq!(app.get("/readyz", None).status, 200);
    let Some(base) = std::env::var("TEST_DATABASE_URL").ok().filter(|_| app.db_url.starts_with("postgres")) else {
        return;
    };
    let db = app.db_url.rsplit('/').next().unwrap().split('?').next().unwrap().to_string();
    // Every idle connection of the pool is checked out and returned, so all are killed below.
    let held: Vec<_> = (0..4).map(|_| app.conn()).collect();
    drop(held);
    let mut admin = <diesel::PgConnection as diesel::Connection>::establish(&base).unwrap();
    let killed = diesel::sql_query(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}' AND pid <> pg_backend_pid()"
    ))
    .execute(&mut admin)
    .unwrap();
    assert!(killed >= 1, "the pool had connections to kill");
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut tries = 0;
    loop {
        tries += 1;
        // This server's pool is what is tested (with a balancer, the other one heals its own).
        let r = res(app.client.get(format!("{}/readyz", app.direct)).send().unwrap());
        if r.status == 200 {
            break;
        }
        assert_eq!(r.status, 503);
        assert!(r.headers.contains_key("retry-after"));
        assert!(Instant::now() < deadline, "still not ready after {tries} checks: {}", r.text);
        std::thread::sleep(Duration::from_millis(200));
    }
    eprintln!("ready again after {tries} check(s)");
    assert_eq!(tries, 1, "one check replaces every dead connection");
    // Real requests work at once too (on this server, and through a balancer).
    let login = app
        .client
        .post(format!("{}/api/v1/auth/login", app.direct))
        .json(&serde_json::json!({ "username": "admin", "password": crate::harness::DEMO_PASSWORD }))
        .send()
        .unwrap();
    assert_eq!(login.status().as_u16(), 200);
}

// ------------------------------------------------------------------------------ 13, 14. full disk, Retry-After

fn readiness_fails_with_retry_after_when_the_data_dir_is_gone(app: &TestApp) {
    assert_eq!(app.get("/readyz", None).status, 200);
    // Make the data directory unusable: replace it by a file (root ignores permissions).
    let moved = app.data_dir.with_extension("moved");
    std::fs::rename(&app.data_dir, &moved).unwrap();
    std::fs::write(&app.data_dir, b"not a folder").unwrap();
    let r = app.get("/readyz", None);
    std::fs::remove_file(&app.data_dir).unwrap();
    std::fs::rename(&moved, &app.data_dir).unwrap();
    assert_eq!(r.status, 503, "{}", r.text);
    assert_eq!(r.headers["retry-after"], "5");
    assert_eq!(app.get("/readyz", None).status, 200);
}

/// A tmpfs of a few MiB holds the data directory; filled up, the server answers 507
/// `storage_full` for writes, is not ready, and recovers once space is freed. Needs root (to
/// mount); skipped with the reason otherwise.
#[test]
fn full_disk_is_507_and_not_ready() {
    let Some(mount) = Tmpfs::mount(24) else { return };
    let app = TestApp::start_with(Engine::Sqlite, |c| {
        c.server.data_dir = mount.path.clone();
        c.database.url = format!("sqlite://{}/test.db", mount.path.display());
    })
    .unwrap();
    let fx = crate::plans::matrix_fixture(&app, &app.login("admin").token);
    let thon1 = app.login("thon1");
    assert_eq!(app.get("/readyz", None).status, 200);
    let filler = mount.path.join("filler");
    fill(&filler);
    let r = app.get("/readyz", None);
    assert_eq!(r.status, 503, "{}", r.text);
    assert_eq!(r.body["status"], "storage_full");
    assert!(r.headers.contains_key("retry-after"));
    let photo: Vec<u8> = b"\x89PNG\r\n\x1a\n".iter().copied().chain((0..64 * 1024).map(|i| (i % 251) as u8)).collect();
    let r = crate::plans::report(&app, &thon1.token, fx.task, "Ảnh khi ổ đầy.", "30", &[("anh.png", &photo)]);
    assert_eq!(r.status, 507, "{:?}", r.body);
    assert_eq!(r.body["code"], "storage_full");
    assert_eq!(spooled(&app), Vec::<String>::new(), "no partial upload is left on a full disk");
    // Signing in writes a session: it may still fit in SQLite's reused WAL pages, but it is
    // never a 500.
    let login = app.try_login("bdh", crate::harness::DEMO_PASSWORD);
    assert!(matches!(login.status, 200 | 507), "{}", login.text);
    std::fs::remove_file(&filler).unwrap();
    assert_eq!(app.get("/readyz", None).status, 200, "ready again once space is freed");
    let r = crate::plans::report(&app, &thon1.token, fx.task, "Ảnh sau khi dọn ổ.", "30", &[("anh.png", &photo)]);
    assert_eq!(r.status, 201, "{:?}", r.body);
    drop(app);
}

/// Start-up on a full disk stops with a sentence that says so.
#[test]
fn start_up_on_a_full_disk_says_so() {
    let Some(mount) = Tmpfs::mount(1) else { return };
    fill(&mount.path.join("filler"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_thanthien"))
        .args(["migrate", "--database-url", &format!("sqlite://{}/x.db", mount.path.display())])
        .env("THANTHIEN__SERVER__DATA_DIR", &mount.path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is full") && err.contains("no space left on device"), "{err}");
}

fn fill(path: &std::path::Path) {
    let mut f = std::fs::File::create(path).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    loop {
        match f.write_all(&chunk) {
            Ok(()) => {}
            Err(e) if e.raw_os_error() == Some(28) => break,
            Err(e) => panic!("filling the disk: {e}"),
        }
    }
    let _ = f.write_all(&[0]);
    let _ = f.sync_all();
}

/// A small tmpfs mounted for one test, unmounted when dropped.
struct Tmpfs {
    path: std::path::PathBuf,
}

impl Tmpfs {
    fn mount(mib: u32) -> Option<Tmpfs> {
        let path = std::env::temp_dir().join(format!("tt-full-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path).unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mib}m,mode=0700"), "tmpfs"])
            .arg(&path)
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            eprintln!("SKIPPED: cannot mount a tmpfs here (needs root); the ENOSPC mapping is unit-tested");
            let _ = std::fs::remove_dir(&path);
            return None;
        }
        Some(Tmpfs { path })
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.path).output();
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

// ------------------------------------------------------------------------------ 15. slow clients

fn slow_app() -> TestApp {
    TestApp::start_with(Engine::Sqlite, |c| {
        c.server.request_head_timeout_secs = 1;
        c.server.body_idle_timeout_secs = 1;
        c.server.body_timeout_secs = 30;
        c.server.body_min_bytes_per_sec = 256;
    })
    .unwrap()
}

fn status_line(stream: &mut TcpStream) -> String {
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut buf = [0u8; 512];
    let n = stream.read(&mut buf).unwrap_or(0);
    String::from_utf8_lossy(&buf[..n]).lines().next().unwrap_or("").to_string()
}

/// A client trickling its body a byte at a time is answered 408 and cut off.
#[test]
fn a_trickled_body_is_cut_off_with_408() {
    let app = slow_app();
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut stream = TcpStream::connect(&addr).unwrap();
    let body = br#"{"username":"admin","password":"thanthien-demo-and-some-more-bytes-to-trickle"}"#;
    write!(
        stream,
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let trickle = std::thread::spawn(move || {
        for b in body {
            if writer.write_all(&[*b]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(400));
        }
    });
    let started = Instant::now();
    let line = status_line(&mut stream);
    eprintln!("answered {line:?} after {:.1} s", started.elapsed().as_secs_f64());
    assert!(line.starts_with("HTTP/1.1 408"), "{line:?}");
    drop(stream);
    let _ = trickle.join();
}

/// A body that stops arriving is answered 408 after the idle timeout.
#[test]
fn a_stalled_body_is_cut_off_with_408() {
    let app = slow_app();
    let mut stream = TcpStream::connect(app.base.trim_start_matches("http://")).unwrap();
    stream
        .write_all(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"user")
        .unwrap();
    assert!(status_line(&mut stream).starts_with("HTTP/1.1 408"));
}

/// Headers that never finish are answered 408 too (the head timeout).
#[test]
fn a_slow_head_is_cut_off_with_408() {
    let app = slow_app();
    let mut stream = TcpStream::connect(app.base.trim_start_matches("http://")).unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").unwrap();
    assert!(status_line(&mut stream).starts_with("HTTP/1.1 408"));
}

/// A slow but steady upload is not a trickle: it goes through.
#[test]
fn a_steady_body_is_not_cut_off() {
    let app = slow_app();
    let body = format!(r#"{{"username":"admin","password":"wrong-password"}}{}"#, " ".repeat(2000));
    let mut stream = TcpStream::connect(app.base.trim_start_matches("http://")).unwrap();
    write!(
        stream,
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    for chunk in body.as_bytes().chunks(500) {
        stream.write_all(chunk).unwrap();
        std::thread::sleep(Duration::from_millis(300));
    }
    let line = status_line(&mut stream);
    assert!(line.starts_with("HTTP/1.1 401"), "wrong password, not a timeout: {line:?}");
}

// ------------------------------------------------------------------------------ 18. durability

fn sqlite_commits_are_fsynced(app: &TestApp) {
    if !app.db_url.starts_with("sqlite") {
        return;
    }
    #[derive(diesel::QueryableByName)]
    struct Sync {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        synchronous: i32,
    }
    let mut c = app.conn();
    let rows: Vec<Sync> = diesel::sql_query("PRAGMA synchronous").load(&mut *c).unwrap();
    assert_eq!(rows[0].synchronous, 2, "FULL: an acknowledged commit survives a power cut");
}

// ------------------------------------------------------------------------------ 19. compose

fn container_health_check_asks_readyz(app: &TestApp) {
    let port = app.base.rsplit(':').next().unwrap().to_string();
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_thanthien"))
        .args(["healthcheck", "--port", &port])
        .output()
        .unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stdout));
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let down = std::process::Command::new(env!("CARGO_BIN_EXE_thanthien"))
        .args(["healthcheck", "--port", &closed.to_string(), "--timeout", "2"])
        .output()
        .unwrap();
    assert_eq!(down.status.code(), Some(1));
    let compose = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docker-compose.yml")).unwrap();
    let app_service = compose.split("\n  app:").nth(1).expect("an app service");
    let app_service = app_service.split("\nvolumes:").next().unwrap();
    assert!(app_service.contains("healthcheck:"), "the app has a health check");
    assert!(app_service.contains(r#""thanthien", "healthcheck""#));
}

// ------------------------------------------------------------------------------ 16. uploads

/// Files in the upload spool (temporary files of uploads in flight).
fn spooled(app: &TestApp) -> Vec<String> {
    match std::fs::read_dir(app.state.spool.dir()) {
        Ok(d) => d.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => Vec::new(),
    }
}

/// A photo of `len` bytes (PNG signature, then a pattern that depends on `seed`).
fn photo(len: usize, seed: u8) -> Vec<u8> {
    let mut p = b"\x89PNG\r\n\x1a\n".to_vec();
    p.extend((0..len - 8).map(|i| (i % 251) as u8 ^ seed));
    p
}

/// A report form with `files`, posted; the answer with its headers.
fn post_report(app: &TestApp, token: &str, task: i64, files: &[&[u8]]) -> Res {
    let boundary = format!("tt{}", uuid::Uuid::new_v4().simple());
    let mut body = Vec::new();
    for (name, value) in [("text", "Báo cáo có ảnh."), ("progress", "40")] {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
        );
    }
    for (i, f) in files.iter().enumerate() {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"anh{i}.png\"\r\nContent-Type: image/png\r\n\r\n")
                .bytes(),
        );
        body.extend_from_slice(f);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").bytes());
    res(app
        .client
        .post(app.url(&format!("/api/v1/tasks/{task}/reports")))
        .bearer_auth(token)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .unwrap())
}

/// Item 16: evidence is streamed to a temporary file, hashed on the way, moved into storage;
/// every refusal leaves no temporary file behind.
fn uploads_are_streamed_and_leave_nothing_behind(app: &TestApp) {
    let fx = crate::plans::matrix_fixture(app, &app.login("admin").token);
    let thon1 = app.login("thon1");
    let (a, b) = (photo(700 * 1024, 1), photo(300 * 1024 + 7, 2));
    let r = post_report(app, &thon1.token, fx.task, &[&a, &b]);
    assert_eq!(r.status, 201, "{}", r.text);
    let atts = r.body["attachments"].as_array().expect("attachments");
    assert_eq!(atts.len(), 2);
    for (att, bytes) in atts.iter().zip([&a, &b]) {
        assert_eq!(att["size"].as_i64(), Some(bytes.len() as i64));
        let got = app
            .client
            .get(app.url(&format!("/api/v1/attachments/{}", att["id"])))
            .bearer_auth(&thon1.token)
            .send()
            .unwrap();
        let etag = got.headers()["etag"].to_str().unwrap().to_string();
        assert_eq!(got.bytes().unwrap().as_ref(), bytes.as_slice(), "stored byte for byte");
        assert_eq!(etag, format!("\"{}\"", thanthien::plans::storage::content_hash(bytes)), "hashed while streaming");
    }
    assert_eq!(spooled(app), Vec::<String>::new(), "taken into storage");
    assert_eq!(app.state.spool.in_flight(), 0, "the budget is given back");
    // Too large (the limit is checked while streaming), wrong type, not a form field.
    let big = photo(app.state.config.server.max_upload_bytes + 1, 3);
    assert_eq!(post_report(app, &thon1.token, fx.task, &[&a, &big]).status, 413);
    let mut exe = b"MZ\x90\0".to_vec();
    exe.extend(vec![7u8; 100 * 1024]);
    assert_eq!(post_report(app, &thon1.token, fx.task, &[&a, &exe]).status, 415);
    // Out of scope: the report is refused after the files arrived.
    let other = app.login("thon2");
    assert!(matches!(post_report(app, &other.token, fx.task, &[&a]).status, 403 | 404));
    assert_eq!(spooled(app), Vec::<String>::new(), "refused uploads leave no temporary file");
    assert_eq!(app.state.spool.in_flight(), 0);
}

/// Item 16: the bytes all requests have in flight share one budget; past it an upload is
/// 503 `uploads_busy` with `Retry-After`, and the budget comes back when a client goes away.
#[test]
fn uploads_past_the_shared_budget_are_503_uploads_busy() {
    let app = TestApp::start_with(Engine::Sqlite, |c| c.server.upload_budget_mb = 1).unwrap();
    let fx = crate::plans::matrix_fixture(&app, &app.login("admin").token);
    let thon1 = app.login("thon1");
    // One request alone beyond the budget.
    let r = post_report(&app, &thon1.token, fx.task, &[&photo(1200 * 1024, 4)]);
    assert_eq!(r.status, 503, "{}", r.text);
    assert_eq!(r.code(), "uploads_busy");
    assert_eq!(r.headers.get("retry-after").and_then(|v| v.to_str().ok()), Some("5"));
    assert_eq!(spooled(&app), Vec::<String>::new());
    assert_eq!(app.state.spool.in_flight(), 0);
    // A client that sent 900 KiB of a photo and stalls holds that much of the budget …
    let boundary = "ttstall";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n"
    );
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut stalled = TcpStream::connect(&addr).unwrap();
    let first = photo(900 * 1024, 5);
    write!(
        stalled,
        "POST /api/v1/tasks/{}/reports HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n{head}",
        fx.task,
        thon1.token,
        head.len() + first.len() + 2_000_000
    )
    .unwrap();
    stalled.write_all(&first).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.state.spool.in_flight() < 800 * 1024 {
        assert!(Instant::now() < deadline, "the stalled upload never reached the spool");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(spooled(&app).len(), 1, "its bytes are in a temporary file, not in memory");
    // … so another user's 300 KiB photo does not fit now.
    let r = post_report(&app, &thon1.token, fx.task, &[&photo(300 * 1024, 6)]);
    assert_eq!(r.status, 503, "{}", r.text);
    assert_eq!(r.code(), "uploads_busy");
    // The stalled client goes away: its temporary file is deleted and its share given back.
    drop(stalled);
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.state.spool.in_flight() > 0 || !spooled(&app).is_empty() {
        assert!(Instant::now() < deadline, "an abandoned upload kept its budget or its file");
        std::thread::sleep(Duration::from_millis(20));
    }
    let r = post_report(&app, &thon1.token, fx.task, &[&photo(300 * 1024, 6)]);
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(spooled(&app), Vec::<String>::new());
}

both_engines!(
    hostile_workbooks_are_refused_with_422,
    nul_bytes_are_field_errors_at_the_edge,
    evidence_is_private_and_served_by_kind,
    hsts_only_over_https_through_a_trusted_proxy,
    readiness_heals_after_connections_are_killed,
    readiness_fails_with_retry_after_when_the_data_dir_is_gone,
    sqlite_commits_are_fsynced,
    container_health_check_asks_readyz,
    uploads_are_streamed_and_leave_nothing_behind,
);
