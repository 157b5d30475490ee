//! Starts the real server on a random loopback port against a fresh database per test:
//! a new SQLite file, or a new PostgreSQL database created from `TEST_DATABASE_URL`.

use std::net::TcpListener;
use std::path::PathBuf;

use diesel::{Connection, RunQueryDsl};
use reqwest::blocking::{Client, Response};
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use thanthien::config::Config;

pub const DEMO_PASSWORD: &str = "thanthien-demo";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A running server with its own database and data directory.
pub struct TestApp {
    pub base: String,
    /// The first app server itself, bypassing the balancer when there is one: for tests about
    /// one process (its pool, its memory).
    pub direct: String,
    pub client: Client,
    pub db_url: String,
    pub data_dir: PathBuf,
    handle: Option<actix_web::dev::ServerHandle>,
    thread: Option<std::thread::JoinHandle<()>>,
    pg_admin: Option<(String, String)>,
    pub state: thanthien::state::AppState,
    /// With `TEST_BALANCER=haproxy` (PostgreSQL only): the balancer and the second server.
    balancer: Option<(Balancer, actix_web::dev::ServerHandle, std::thread::JoinHandle<()>)>,
}

/// `TEST_BALANCER=haproxy`: PostgreSQL tests run against two app servers behind HAProxy.
pub fn balancer_requested() -> bool {
    std::env::var("TEST_BALANCER").is_ok_and(|v| v == "haproxy")
}

/// Starts a server for `state` on a free loopback port.
fn serve(state: thanthien::state::AppState) -> (String, actix_web::dev::ServerHandle, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let sys = actix_web::rt::System::new();
        sys.block_on(async move {
            let server = thanthien::start_server(state, listener).expect("start server");
            let _ = tx.send(server.handle());
            let _ = server.await;
        });
    });
    let handle = rx.recv().expect("server handle");
    (base, handle, thread)
}

/// HAProxy (Debian's package) on a free loopback port, round robin over the given servers,
/// configured like `deploy/haproxy.cfg` (health checks, a failed connection retried elsewhere).
pub struct Balancer {
    pub base: String,
    child: std::process::Child,
}

impl Balancer {
    /// The port is picked free, released, then bound by HAProxy: another test's server may take
    /// it in between. Then HAProxy cannot bind it and exits, while the port still answers
    /// `/healthz` — the other test's server, which would then get this test's requests. So each
    /// balancer stamps its answers with a token of its own, and is ready only once an answer
    /// carries it; if HAProxy exited, it starts again on another port.
    pub fn start(dir: &std::path::Path, servers: &[&str]) -> Balancer {
        let backends: String = servers
            .iter()
            .enumerate()
            .map(|(i, s)| format!("    server app{i} {} check inter 2s\n", s.trim_start_matches("http://")))
            .collect();
        let token = uuid::Uuid::new_v4().simple().to_string();
        let probe = Client::builder().timeout(std::time::Duration::from_secs(5)).build().expect("client");
        for _attempt in 0..20 {
            let port = TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
            let cfg = format!(
                "global\n    maxconn 512\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 300s\n\
                 \x20   timeout server 300s\n    retries 3\n    option redispatch\n    retry-on conn-failure\n\
                 frontend api\n    bind 127.0.0.1:{port}\n    http-response set-header X-Test-Balancer {token}\n\
                 \x20   default_backend apps\n\
                 backend apps\n    balance roundrobin\n    option httpchk GET /healthz\n{backends}"
            );
            let path = dir.join("haproxy.cfg");
            std::fs::write(&path, cfg).expect("write haproxy.cfg");
            let mut child = std::process::Command::new("haproxy")
                .arg("-f")
                .arg(&path)
                .arg("-db")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("TEST_BALANCER=haproxy needs haproxy installed (apt-get install haproxy)");
            let base = format!("http://127.0.0.1:{port}");
            // Ready when it answers through to a server; bounded generously for a busy machine.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
            loop {
                let ours = probe.get(format!("{base}/healthz")).send().is_ok_and(|r| {
                    r.status().is_success()
                        && r.headers().get("x-test-balancer").is_some_and(|v| v.as_bytes() == token.as_bytes())
                });
                if ours {
                    return Balancer { base, child };
                }
                if child.try_wait().is_ok_and(|exited| exited.is_some()) {
                    break; // it could not bind the port: another one
                }
                assert!(std::time::Instant::now() < deadline, "haproxy did not come up on {base}");
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        }
        panic!("haproxy could not bind a free loopback port in 20 tries");
    }
}

impl Drop for Balancer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response, read once.
pub struct Res {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

/// The status, headers and body (as text and as JSON) of an answer.
impl From<Response> for Res {
    fn from(r: Response) -> Res {
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Res { status, headers, body, text }
    }
}

impl Res {
    /// The refresh cookie value set by this response, if any.
    pub fn refresh_cookie(&self) -> Option<String> {
        self.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
            let first = c.split(';').next()?;
            let (name, value) = first.split_once('=')?;
            (name == "tt_refresh" && !value.is_empty()).then(|| value.to_string())
        })
    }

    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    /// The field errors of a refusal as `(field, code)`, in order (none when there are none).
    pub fn field_errors(&self) -> Vec<(String, String)> {
        self.body["errors"].as_array().map_or_else(Vec::new, |a| {
            a.iter()
                .map(|e| (e["field"].as_str().unwrap_or("").to_string(), e["code"].as_str().unwrap_or("").to_string()))
                .collect()
        })
    }
}

/// A signed-in client.
#[derive(Clone)]
pub struct Session {
    pub token: String,
    pub refresh: String,
    pub user: Value,
}

pub fn pg_base_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|s| !s.is_empty())
}

pub fn with_database(url: &str, db: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = head.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match head[scheme_end..].find('/') {
        Some(i) => &head[..scheme_end + i],
        None => head,
    };
    format!("{base}/{db}{query}")
}

/// The configuration every test starts from, before its own tweak.
fn base_config(engine: Engine, data_dir: &std::path::Path) -> Config {
    let mut config = Config::load_from(None, &[]).expect("default config");
    config.server.data_dir = data_dir.to_path_buf();
    config.database.url = match engine {
        Engine::Sqlite => format!("sqlite://{}", data_dir.join("test.db").display()),
        Engine::Postgres => String::new(),
    };
    config.database.pool_size = 4;
    config.server.workers = 2;
    config.server.trusted_proxies = vec!["127.0.0.1".into()];
    config.demo.enabled = true;
    // The scheduler runs only where a test turns it on (`notifications.rs`).
    config.scheduler.enabled = false;
    config
}

/// What decides the content of a freshly prepared database and data directory.
fn seed_key(config: &Config) -> String {
    serde_json::to_string(&(&config.demo, &config.security, &config.auth)).expect("config as JSON")
}

/// A database and data directory prepared once (migrated, demo seeded) for copies.
struct Template {
    data_dir: PathBuf,
    /// The PostgreSQL template database (empty for SQLite, whose database is in `data_dir`).
    pg_name: String,
}

fn template(engine: Engine) -> &'static Template {
    static SQLITE: std::sync::OnceLock<Template> = std::sync::OnceLock::new();
    static POSTGRES: std::sync::OnceLock<Template> = std::sync::OnceLock::new();
    let cell = match engine {
        Engine::Sqlite => &SQLITE,
        Engine::Postgres => &POSTGRES,
    };
    cell.get_or_init(|| {
        let pid = std::process::id();
        remove_stale_templates();
        let data_dir = std::env::temp_dir().join(format!("thanthien-template-{pid}-{}", engine_name(engine)));
        let _ = std::fs::remove_dir_all(&data_dir);
        let mut config = base_config(engine, &data_dir);
        let mut pg_name = String::new();
        if engine == Engine::Postgres {
            let base = pg_base_url().expect("TEST_DATABASE_URL");
            pg_name = format!("tt_tmpl_{pid}_{}", uuid::Uuid::new_v4().simple());
            let mut admin = diesel::PgConnection::establish(&base).expect("connect to TEST_DATABASE_URL");
            diesel::sql_query(format!("CREATE DATABASE {pg_name}")).execute(&mut admin).expect("create template");
            config.database.url = with_database(&base, &pg_name);
        }
        // Prepared, then closed: no connection may stay open on a PostgreSQL template, and
        // SQLite's log is folded into the file when its last connection closes.
        drop(thanthien::prepare(config).expect("prepare the template"));
        Template { data_dir, pg_name }
    })
}

fn engine_name(engine: Engine) -> &'static str {
    match engine {
        Engine::Sqlite => "sqlite",
        Engine::Postgres => "postgres",
    }
}

/// Templates left by test processes that have ended (a test binary has no exit hook).
fn remove_stale_templates() {
    let alive = |pid: &str| std::path::Path::new("/proc").join(pid).exists();
    if let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if let Some(pid) = name.strip_prefix("thanthien-template-").and_then(|r| r.split('-').next())
                && !alive(pid)
            {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    let Some(base) = pg_base_url() else { return };
    let Ok(mut admin) = diesel::PgConnection::establish(&base) else { return };
    #[derive(diesel::QueryableByName)]
    struct Db {
        #[diesel(sql_type = diesel::sql_types::Text)]
        datname: String,
    }
    let names: Vec<Db> =
        diesel::sql_query("SELECT datname::text AS datname FROM pg_database WHERE datname LIKE 'tt_tmpl_%'")
            .load(&mut admin)
            .unwrap_or_default();
    for db in names {
        if let Some(pid) = db.datname.strip_prefix("tt_tmpl_").and_then(|r| r.split('_').next())
            && !alive(pid)
        {
            let _ =
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", db.datname)).execute(&mut admin);
        }
    }
}

/// Copies the files of a directory tree (the template's keys, database file, folders).
fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for e in std::fs::read_dir(from).expect("read template dir").flatten() {
        let target = to.join(e.file_name());
        if e.file_type().expect("file type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy template file");
        }
    }
}

impl TestApp {
    /// Starts a server on `engine`, or `None` (with a note) when PostgreSQL is not configured.
    pub fn start(engine: Engine) -> Option<TestApp> {
        Self::start_with(engine, |_| {})
    }

    pub fn start_with(engine: Engine, tweak: impl FnOnce(&mut Config)) -> Option<TestApp> {
        if engine == Engine::Postgres && pg_base_url().is_none() {
            eprintln!("TEST_DATABASE_URL not set: PostgreSQL variant skipped");
            return None;
        }
        let id = uuid::Uuid::new_v4().simple().to_string();
        let data_dir = std::env::temp_dir().join(format!("thanthien-test-{id}"));
        let default = base_config(engine, &data_dir);
        let mut config = default.clone();
        tweak(&mut config);
        // Where the test keeps its own database (a small full disk, say), it keeps it.
        let own_place =
            config.server.data_dir != default.server.data_dir || config.database.url != default.database.url;
        // A test whose configuration seeds the same as the default starts from a copy of a
        // database prepared once per test process (migrations and demo seed take ~2 s on
        // PostgreSQL); `prepare` below then finds nothing left to apply or seed.
        let template = (!own_place && seed_key(&config) == seed_key(&default)).then(|| template(engine));
        std::fs::create_dir_all(&data_dir).expect("temp dir");
        let (db_url, pg_admin) = match engine {
            Engine::Sqlite => {
                if let Some(t) = &template {
                    copy_dir(&t.data_dir, &data_dir);
                }
                (format!("sqlite://{}", data_dir.join("test.db").display()), None)
            }
            Engine::Postgres => {
                let base = pg_base_url().expect("checked above");
                let name = format!("tt_test_{id}");
                let mut admin = diesel::PgConnection::establish(&base).expect("connect to TEST_DATABASE_URL");
                let create = match &template {
                    Some(t) => {
                        copy_dir(&t.data_dir, &data_dir);
                        format!("CREATE DATABASE {name} TEMPLATE {}", t.pg_name)
                    }
                    None => format!("CREATE DATABASE {name}"),
                };
                diesel::sql_query(create).execute(&mut admin).expect("create test database");
                (with_database(&base, &name), Some((base, name)))
            }
        };
        if !own_place {
            config.database.url = db_url.clone();
        }
        let balanced = engine == Engine::Postgres && balancer_requested();
        let second_config = balanced.then(|| config.clone());
        let state = thanthien::prepare(config).expect("prepare app");
        let (mut base, handle, thread) = serve(state.clone());
        let direct = base.clone();
        let mut balancer = None;
        if let Some(config) = second_config {
            // A second app server on the same database and data directory, and HAProxy in front
            // of both: every request of the test goes through the balancer, round robin.
            let second = thanthien::prepare(config).expect("prepare second app");
            let (second_base, second_handle, second_thread) = serve(second);
            let lb = Balancer::start(&data_dir, &[base.as_str(), second_base.as_str()]);
            base = lb.base.clone();
            balancer = Some((lb, second_handle, second_thread));
        }
        let client = Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        Some(TestApp {
            base,
            direct,
            client,
            db_url,
            data_dir,
            handle: Some(handle),
            thread: Some(thread),
            pg_admin,
            state,
            balancer,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> Res {
        let mut r = self.client.get(self.url(path));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        Res::from(r.send().expect("request"))
    }

    pub fn send(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> Res {
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut r = self.client.request(m, self.url(path));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        if let Some(b) = body {
            r = r.json(&b);
        }
        Res::from(r.send().expect("request"))
    }

    pub fn post(&self, path: &str, token: Option<&str>, body: Value) -> Res {
        self.send("POST", path, token, Some(body))
    }

    pub fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Res {
        self.send("PATCH", path, token, Some(body))
    }

    /// Posts one file as the multipart field `field`.
    pub fn post_file(&self, path: &str, token: &str, field: &str, file_name: &str, bytes: &[u8]) -> Res {
        let (content_type, body) = multipart_file(field, file_name, bytes);
        Res::from(
            self.client
                .post(self.url(path))
                .bearer_auth(token)
                .header("content-type", content_type)
                .body(body)
                .send()
                .expect("request"),
        )
    }

    /// Logs in from a given client address (via the trusted-proxy header).
    pub fn login_from(&self, ip: &str, username: &str, password: &str) -> Res {
        Res::from(
            self.client
                .post(self.url("/api/v1/auth/login"))
                .header("x-forwarded-for", ip)
                .json(&serde_json::json!({ "username": username, "password": password }))
                .send()
                .expect("request"),
        )
    }

    pub fn try_login(&self, username: &str, password: &str) -> Res {
        self.post("/api/v1/auth/login", None, serde_json::json!({ "username": username, "password": password }))
    }

    /// Logs a demo user in; panics unless it works.
    pub fn login(&self, username: &str) -> Session {
        self.login_with(username, DEMO_PASSWORD)
    }

    /// Signs in, and if every password-hashing slot stays busy past the server's wait (a loaded
    /// machine: tests run in parallel in one process and share its slots) tries again after the
    /// `Retry-After` the answer gives, as a client would, for up to two minutes.
    pub fn login_with(&self, username: &str, password: &str) -> Session {
        let started = std::time::Instant::now();
        let r = loop {
            let r = self.try_login(username, password);
            if r.status != 429 || started.elapsed() > std::time::Duration::from_secs(120) {
                break r;
            }
            let wait = r.headers.get("retry-after").and_then(|v| v.to_str().ok()?.parse().ok()).unwrap_or(1);
            std::thread::sleep(std::time::Duration::from_secs(wait));
        };
        assert_eq!(r.status, 200, "login {username}: {}", r.text);
        Session {
            token: r.body["access_token"].as_str().expect("token").to_string(),
            refresh: r.refresh_cookie().expect("refresh cookie"),
            user: r.body["user"].clone(),
        }
    }

    /// Calls an auth endpoint with a refresh cookie.
    pub fn with_cookie(&self, path: &str, cookie: &str) -> Res {
        Res::from(
            self.client.post(self.url(path)).header("cookie", format!("tt_refresh={cookie}")).send().expect("request"),
        )
    }

    /// A direct database connection (for fixtures and tampering).
    pub fn conn(&self) -> thanthien::db::PooledConn {
        self.state.pool.get().expect("db connection")
    }

    /// 09:00, Vietnam time, of the day `n` working days before today in the demo commune's
    /// calendar (weekends, public holidays and Tết skipped), as RFC 3339: a receipt whose legal
    /// deadline of fewer than `n` working days has passed on whatever day the test runs.
    pub fn working_days_ago_at_nine(&self, n: u32) -> String {
        self.working_day_at_nine(-i64::from(n))
    }

    /// 09:00 of the demo commune's `n`-th working day after today (`n` ≥ 1): a time an
    /// appointment may be given for.
    pub fn working_days_ahead_at_nine(&self, n: u32) -> String {
        self.working_day_at_nine(i64::from(n))
    }

    /// 09:00 of the working day `steps` working days from today (before it when negative).
    fn working_day_at_nine(&self, steps: i64) -> String {
        use diesel::{ExpressionMethods, QueryDsl};
        use thanthien::db::schema::communes;
        let mut c = self.conn();
        let commune: i64 = communes::table
            .filter(communes::name.eq("Bình Lương"))
            .select(communes::id)
            .first(&mut c)
            .expect("the demo commune");
        let today = thanthien::time::today_local();
        // The calendar from far enough back to hold the earliest day walked to.
        let from = today - chrono::Duration::days((-steps).max(0) * 3 + 30);
        let cal = thanthien::calendar::service::load_from(&mut c, Some(commune), from.and_time(chrono::NaiveTime::MIN))
            .expect("the calendar");
        let step = if steps < 0 { -1 } else { 1 };
        let mut day = today;
        for _ in 0..steps.abs() {
            day += chrono::Duration::days(step);
            while !cal.day(day).expect("a day in the calendar").working {
                day += chrono::Duration::days(step);
            }
        }
        format!("{day}T09:00:00+07:00")
    }

    /// The id of a demo unit by code.
    pub fn unit_id(&self, token: &str, code: &str) -> i64 {
        let r = self.get("/api/v1/units?per_page=200", Some(token));
        r.body["items"]
            .as_array()
            .expect("units")
            .iter()
            .find(|u| u["code"] == code)
            .and_then(|u| u["id"].as_i64())
            .expect("unit")
    }

    /// The id of a user by username (via the admin API).
    pub fn user_id(&self, admin_token: &str, username: &str) -> i64 {
        let r = self.get(&format!("/api/v1/users?q={username}&per_page=200"), Some(admin_token));
        r.body["items"]
            .as_array()
            .expect("users")
            .iter()
            .find(|u| u["username"] == username)
            .and_then(|u| u["id"].as_i64())
            .expect("user")
    }

    /// Adds a second commune with its own admin (`admin2`), for cross-tenant tests.
    pub fn second_commune(&self) -> Session {
        let hash = thanthien::auth::password::hash_password(DEMO_PASSWORD).expect("hash");
        let mut c = self.conn();
        thanthien::org::service::create_admin(
            &mut c,
            "Thanh Hóa",
            "Xuân Bình",
            "admin2",
            "Quản trị xã Xuân Bình",
            &hash,
        )
        .expect("second commune");
        self.login("admin2")
    }

    /// A member of the steering board of a second commune (Xuân Bình), made by its admin
    /// through the API: what another commune's board may and may not see.
    pub fn second_commune_board(&self) -> Session {
        let admin2 = self.second_commune().token;
        let unit =
            self.post("/api/v1/units", Some(&admin2), json!({ "name": "Ban điều hành Xuân Bình", "kind": "board" }));
        assert_eq!(unit.status, 201, "{}", unit.text);
        let user = json!({ "username": "bdh-xb", "full_name": "Trưởng ban Xuân Bình", "role": "board",
                           "unit_id": unit.body["id"], "password": "long-enough-pw" });
        let r = self.post("/api/v1/users", Some(&admin2), user);
        assert_eq!(r.status, 201, "{}", r.text);
        self.login_with("bdh-xb", "long-enough-pw")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((lb, handle, thread)) = self.balancer.take() {
            drop(lb);
            actix_web::rt::System::new().block_on(handle.stop(false));
            let _ = thread.join();
        }
        if let Some(h) = self.handle.take() {
            actix_web::rt::System::new().block_on(h.stop(false));
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        if let Some((base, name)) = self.pg_admin.take() {
            // The pool holds connections to the test database; FORCE ends them.
            if let Ok(mut admin) = diesel::PgConnection::establish(&base) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin);
            }
        }
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// Declares each listed test function once per engine: `sqlite::name` and `postgres::name`.
/// `both_engines!(with tweak: a, b)` starts their servers with `TestApp::start_with(engine,
/// tweak)`, `tweak` a function of the calling module that adjusts the configuration.
#[macro_export]
macro_rules! both_engines {
    (with $tweak:ident: $($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() {
                if let Some(app) = $crate::harness::TestApp::start_with($crate::harness::Engine::Sqlite, super::$tweak) {
                    super::$name(&app)
                }
            } )*
        }
        mod postgres {
            $( #[test] fn $name() {
                if let Some(app) = $crate::harness::TestApp::start_with($crate::harness::Engine::Postgres, super::$tweak) {
                    super::$name(&app)
                }
            } )*
        }
    };
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() {
                if let Some(app) = $crate::harness::TestApp::start($crate::harness::Engine::Sqlite) { super::$name(&app) }
            } )*
        }
        mod postgres {
            $( #[test] fn $name() {
                if let Some(app) = $crate::harness::TestApp::start($crate::harness::Engine::Postgres) { super::$name(&app) }
            } )*
        }
    };
}

/// A multipart body with one file part: (its content type with the boundary, the body).
pub fn multipart_file(field: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = format!("tt{}", uuid::Uuid::new_v4().simple());
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A JSON answer as text with every value the server generates blanked: timestamps, numbers,
/// UUIDs, dossier and petition codes (`UBND-260912-0001`) and random tokens. Tests that look for a
/// secret's digits ("0912", "345") search this: a timestamp's fraction of a second, a code's date
/// or a token can hold the same digits by chance.
pub fn text_outside_generated(v: &Value) -> String {
    fn generated(s: &str) -> bool {
        let token = s.rsplit('/').next().unwrap_or(s);
        chrono::DateTime::parse_from_rfc3339(s).is_ok()
            || uuid::Uuid::parse_str(s).is_ok()
            || (token.len() >= 16 && token.bytes().all(|b| b.is_ascii_hexdigit()))
            || is_code(s)
    }
    // Letters, a six-digit day and a four-digit number: UBND-260912-0001, DT-260912-0003.
    fn is_code(s: &str) -> bool {
        let parts: Vec<&str> = s.split('-').collect();
        parts.len() == 3
            && !parts[0].is_empty()
            && parts[0].bytes().all(|b| b.is_ascii_alphabetic())
            && parts[1].len() == 6
            && parts[2].len() == 4
            && parts[1].bytes().chain(parts[2].bytes()).all(|b| b.is_ascii_digit())
    }
    fn blank(v: &Value) -> Value {
        match v {
            Value::String(s) if generated(s) => Value::String(String::new()),
            Value::Number(_) => Value::Null,
            Value::Array(items) => Value::Array(items.iter().map(blank).collect()),
            Value::Object(fields) => Value::Object(fields.iter().map(|(k, v)| (k.clone(), blank(v))).collect()),
            other => other.clone(),
        }
    }
    blank(v).to_string()
}

/// Waits until `ok` holds, polling, and fails the test after `secs` seconds: a bound generous
/// enough for a loaded machine, never a fixed wait.
pub fn wait_for(secs: u64, what: &str, mut ok: impl FnMut() -> bool) {
    let end = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while !ok() {
        assert!(std::time::Instant::now() < end, "timed out after {secs} s waiting for {what}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn generated_values_are_blanked_and_personal_data_kept() {
    let v = serde_json::json!({
        "code": "DT-260912-0001",
        "at": "2026-09-12T09:12:00.091234+07:00",
        "id": "3f0912aa-0000-4000-8000-000000000000",
        "link": "/khao-sat/0912aaaabbbbccccddddeeeeffff0000",
        "count": 912,
        "phone": "0912 345 678",
        "id_number": "038090001234",
        "name": ["Nguyễn Văn Hưởng"],
    });
    let shown = text_outside_generated(&v);
    assert_eq!(shown.matches("0912").count(), 1, "only the phone's: {shown}");
    assert!(shown.contains("038090001234") && shown.contains("Hưởng"), "{shown}");
}
