//! Indicator benchmark (release build; only 127.0.0.1). See `docs/indicators-benchmark.md`.
//!
//! ```text
//! cargo build --release -p thanthien
//! cargo run --release -p thanthien --example bench_indicators -- \
//!     [--pg postgres://postgres@127.0.0.1:5432/postgres] [--no-sqlite] \
//!     [--communes 100] [--dossiers 1000000] [--seconds 20] [--max-requests 50000] \
//!     [--bin target/release/thanthien] \
//!     [--pg-log /var/log/postgresql/postgresql-15-main.log] \
//!     [--existing sqlite:///path/bench.db | --existing postgres://…/db]
//! ```
//!
//! `--existing URL` measures a database generated before (by `thanthien gen-demo-dossiers`) instead
//! of generating one: nothing is generated or dropped, only that database is measured (a
//! 10,000,000-dossier database takes an hour to generate).
//!
//! For each engine (a SQLite file in a temporary directory; a fresh PostgreSQL database created
//! under `--pg` and dropped at the end):
//! 1. `thanthien gen-demo-dossiers` generates the dossiers (timed);
//! 2. `thanthien serve` starts on a free loopback port; the bench signs in as the one-stop
//!    officer of the largest generated commune and as the province's oversight user (`tinh`);
//! 3. after a warm-up, p50/p95/p99/max of sequential requests of the indicator and 766
//!    endpoints for the last full year, for the commune and province-wide, each figure for at
//!    least `--seconds` (20) or `--max-requests` (50,000) requests; every request is followed by
//!    a `GET /auth/me` (the floor: authentication, routing, JSON) whose own p50/p95/p99 are
//!    reported beside the figure, measured in the same seconds;
//!    then `thanthien verify-rollups` checks the roll-ups against the dossiers (timed);
//! 4. the query plans of the indicator queries, captured from the library's own code path:
//!    SQLite `EXPLAIN QUERY PLAN` of every statement diesel sends, PostgreSQL
//!    `EXPLAIN (ANALYZE, BUFFERS)` through `auto_explain` (read back from the server log).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, Utc};
use diesel::connection::{Connection, InstrumentationEvent};
use diesel::sql_types::{BigInt, Integer, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde_json::Value;
use support::{login, pct};
use thanthien::db::DbConnection;
use thanthien::onestop::stats::{index766, indicators};

struct Args {
    pg: Option<String>,
    sqlite: bool,
    communes: usize,
    dossiers: usize,
    /// Each figure runs at least this long, or `max_requests` requests.
    seconds: f64,
    max_requests: usize,
    bin: PathBuf,
    pg_log: PathBuf,
    existing: Option<String>,
}

fn args() -> Args {
    let v: Vec<String> = std::env::args().collect();
    let get = |name: &str| v.iter().position(|a| a == name).and_then(|i| v.get(i + 1)).cloned();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    Args {
        pg: get("--pg"),
        sqlite: !v.iter().any(|a| a == "--no-sqlite"),
        communes: get("--communes").map_or(100, |s| s.parse().unwrap()),
        dossiers: get("--dossiers").map_or(1_000_000, |s| s.parse().unwrap()),
        seconds: get("--seconds").map_or(20.0, |s| s.parse().unwrap()),
        max_requests: get("--max-requests").map_or(50_000, |s| s.parse().unwrap()),
        bin: get("--bin").map_or_else(|| root.join("target/release/thanthien"), PathBuf::from),
        pg_log: get("--pg-log")
            .map_or_else(|| PathBuf::from("/var/log/postgresql/postgresql-15-main.log"), PathBuf::from),
        existing: get("--existing"),
    }
}

/// What else runs on the machine: load average and compiler processes.
fn machine_state() -> String {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let mut busy = Vec::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for e in dir.flatten() {
            if let Ok(comm) = std::fs::read_to_string(e.path().join("comm")) {
                let comm = comm.trim();
                if matches!(comm, "cargo" | "rustc" | "cc1" | "ld" | "node") {
                    busy.push(comm.to_string());
                }
            }
        }
    }
    busy.sort();
    busy.dedup();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    format!(
        "load average {}; {}",
        load.join(" "),
        if busy.is_empty() { "no compiler running".to_string() } else { format!("running: {}", busy.join(", ")) }
    )
}

struct Generated {
    secs: f64,
    summary: String,
    /// (commune id, username, dossiers, name)
    communes: Vec<(i64, String, usize, String)>,
}

fn generate(a: &Args, url: &str, dir: &Path) -> Generated {
    let t0 = Instant::now();
    let mut child = Command::new(&a.bin)
        .args(["gen-demo-dossiers", "--database-url", url, "--seed", "1"])
        .args(["--communes", &a.communes.to_string(), "--dossiers", &a.dossiers.to_string()])
        .env("THANTHIEN__SERVER__DATA_DIR", dir)
        .env("THANTHIEN__LOG__LEVEL", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("run thanthien gen-demo-dossiers (build it with cargo build --release -p thanthien)");
    let mut communes = Vec::new();
    let mut summary = String::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("commune\t") {
            let f: Vec<&str> = rest.splitn(4, '\t').collect();
            communes.push((f[0].parse().unwrap(), f[1].to_string(), f[2].parse().unwrap(), f[3].to_string()));
        } else {
            if line.starts_with("generated ") {
                summary = line.clone();
            }
            println!("    {line}");
        }
    }
    assert!(child.wait().unwrap().success(), "gen-demo-dossiers failed");
    Generated { secs: t0.elapsed().as_secs_f64(), summary, communes }
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(a: &Args, url: &str, dir: &Path) -> Server {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(&a.bin)
        .args(["serve", "--bind", "127.0.0.1", "--port", &port.to_string(), "--database-url", url])
        .env("THANTHIEN__SERVER__DATA_DIR", dir)
        .env("THANTHIEN__LOG__LEVEL", "warn")
        .env("THANTHIEN__AUTH__LOGIN_MAX_FAILURES_PER_IP", "1000")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server { child, base: format!("http://127.0.0.1:{port}") };
    let client = reqwest::blocking::Client::new();
    // Up to 10 minutes: a database from before the roll-ups builds them at start-up.
    for _ in 0..6000 {
        if client.get(format!("{}/readyz", server.base)).send().is_ok_and(|r| r.status().is_success()) {
            return server;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the server did not become ready");
}

struct Measured {
    label: String,
    n: usize,
    secs: f64,
    p50: f64,
    p95: f64,
    p99: f64,
    max: f64,
    /// The floor (`/auth/me`) interleaved with the figure: p50, p95, p99.
    floor: (f64, f64, f64),
    bytes: usize,
    /// CPU time per request of the server and, on PostgreSQL, of its backends: what the
    /// latency would be on an idle machine (the requests are sequential).
    cpu: f64,
    note: String,
}

/// CPU seconds (user + system) used so far by these processes.
fn cpu_secs(pids: &[u32]) -> f64 {
    let ticks: u64 = pids
        .iter()
        .filter_map(|p| std::fs::read_to_string(format!("/proc/{p}/stat")).ok())
        .map(|s| {
            // Fields after the command name (which may hold spaces) end with ')'.
            let rest = s.rsplit_once(')').map_or("", |(_, r)| r);
            let f: Vec<&str> = rest.split_whitespace().collect();
            f.get(11).and_then(|u| u.parse::<u64>().ok()).unwrap_or(0)
                + f.get(12).and_then(|u| u.parse::<u64>().ok()).unwrap_or(0)
        })
        .sum();
    ticks as f64 / 100.0
}

struct Target<'a> {
    client: &'a reqwest::blocking::Client,
    base: &'a str,
    /// The server process and, on PostgreSQL, a way to list its backends.
    pids: &'a dyn Fn() -> Vec<u32>,
}

fn measure(t: &Target<'_>, token: &str, path: &str, label: &str, seconds: f64, max_requests: usize) -> Measured {
    let (client, base) = (t.client, t.base);
    let url = format!("{base}{path}");
    let me = format!("{base}/api/v1/auth/me");
    let timed = |url: &str| {
        let t = Instant::now();
        let r = client.get(url).bearer_auth(token).send().unwrap();
        let status = r.status().as_u16();
        let body = r.bytes().unwrap();
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(status, 200, "{url}: {}", String::from_utf8_lossy(&body));
        (ms, body)
    };
    let (_, body) = timed(&url);
    for _ in 0..3 {
        timed(&url);
        timed(&me);
    }
    let pids = (t.pids)();
    let cpu0 = cpu_secs(&pids);
    let started = Instant::now();
    let (mut times, mut floor) = (Vec::new(), Vec::new());
    let mut spent = 0.0;
    while spent < seconds * 1000.0 && times.len() < max_requests {
        let ms = timed(&url).0;
        spent += ms;
        times.push(ms);
        floor.push(timed(&me).0);
    }
    let n = times.len();
    let secs = started.elapsed().as_secs_f64();
    // CPU per figure request: the floor requests' share is taken out at the floor's wall ratio.
    let floor_share = floor.iter().sum::<f64>() / (spent + floor.iter().sum::<f64>());
    let cpu = (cpu_secs(&pids) - cpu0) * (1.0 - floor_share) * 1000.0 / n as f64;
    floor.sort_by(|a, b| a.total_cmp(b));
    times.sort_by(|a, b| a.total_cmp(b));
    let v: Value = serde_json::from_slice(&body).unwrap();
    let note = if v.get("overall").is_some() {
        format!(
            "received {}, on-time rate {}, groups {}",
            v["overall"]["received"],
            v["overall"]["on_time_rate"],
            v["groups"].as_array().map_or(0, Vec::len)
        )
    } else {
        format!(
            "total {} / {} ({} %, {}), communes {}",
            v["total"],
            v["max"],
            v["percent"],
            v["band"],
            v["communes"].as_array().map_or(0, Vec::len)
        )
    };
    Measured {
        label: label.into(),
        n,
        secs,
        p50: pct(&times, 50.0),
        p95: pct(&times, 95.0),
        p99: pct(&times, 99.0),
        max: times[times.len() - 1],
        floor: (pct(&floor, 50.0), pct(&floor, 95.0), pct(&floor, 99.0)),
        bytes: body.len(),
        cpu,
        note,
    }
}

#[derive(QueryableByName)]
struct PlanRow {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Integer)]
    parent: i32,
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct Pid {
    #[diesel(sql_type = Integer)]
    pid: i32,
}

#[derive(QueryableByName)]
struct Size {
    #[diesel(sql_type = BigInt)]
    size: i64,
}

fn connect(url: &str) -> DbConnection {
    let m = thanthien::db::DbManager::new(url, Duration::from_secs(5)).unwrap();
    r2d2::ManageConnection::connect(&m).unwrap()
}

/// The SQL of every statement the library runs for the commune's and the province's reports.
fn run_reports(conn: &mut DbConnection, commune: i64, all: &[i64], year: i32) {
    let p = indicators::Period::new(
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap(),
        Utc::now().naive_utc(),
    );
    let refs = |ids: &[i64]| ids.iter().map(|&id| indicators::CommuneRef { id, name: String::new() }).collect();
    indicators::report(conn, refs(&[commune]), p, None).unwrap();
    index766::index(conn, refs(&[commune]), p).unwrap();
    indicators::report(conn, refs(all), p, None).unwrap();
}

fn sqlite_plans(url: &str, commune: i64, all: &[i64], year: i32) {
    let mut conn = connect(url);
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = seen.clone();
    conn.set_instrumentation(move |e: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = e {
            let text = query.to_string();
            let sql = text.split(" -- binds:").next().unwrap_or("").trim().to_string();
            let mut seen = sink.lock().unwrap();
            if sql.contains("dossiers") && !seen.contains(&sql) {
                seen.push(sql);
            }
        }
    });
    run_reports(&mut conn, commune, all, year);
    let statements = seen.lock().unwrap().clone();
    let DbConnection::Sqlite(c) = &mut conn else { unreachable!() };
    for (i, sql) in statements.iter().enumerate() {
        println!("  -- statement {}", i + 1);
        println!("  {}", compact(sql));
        let rows: Vec<PlanRow> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}")).load(c).unwrap();
        let mut depth: std::collections::HashMap<i32, usize> = std::collections::HashMap::new();
        for r in rows {
            let d = depth.get(&r.parent).map_or(0, |d| d + 1);
            depth.insert(r.id, d);
            println!("    {}{}", "  ".repeat(d), r.detail);
        }
    }
}

/// One line, with long `IN (?, ?, …)` lists shortened to `IN (?×N)`.
fn compact(sql: &str) -> String {
    short_arrays(&sql.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Long `IN (?, ?, …)` lists as `IN (?×N)`, PostgreSQL arrays `'{2,3,…}'` as `'{2,3,…(N ids)}'`.
fn short_arrays(sql: &str) -> String {
    let mut out = String::new();
    let mut rest = sql;
    while let Some(i) = rest.find("IN (?") {
        out.push_str(&rest[..i + 4]);
        let list = &rest[i + 4..];
        let end = list.find(')').unwrap_or(list.len());
        let n = list[..end].matches('?').count();
        out.push_str(&if n > 3 { format!("?×{n}") } else { list[..end].to_string() });
        rest = &list[end..];
    }
    out.push_str(rest);
    // PostgreSQL arrays: '{2,3,…}' → '{2,3,…(100 ids)}'.
    let mut res = String::new();
    let mut rest = out.as_str();
    while let Some(i) = rest.find("'{") {
        res.push_str(&rest[..i + 2]);
        let list = &rest[i + 2..];
        let end = list.find("}'").unwrap_or(list.len());
        let items: Vec<&str> = list[..end].split(',').collect();
        if items.len() > 4 {
            res.push_str(&format!("{},{},…({} ids)", items[0], items[1], items.len()));
        } else {
            res.push_str(&list[..end]);
        }
        rest = &list[end..];
    }
    res.push_str(rest);
    res
}

fn pg_plans(url: &str, log: &Path, commune: i64, all: &[i64], year: i32) {
    let mut conn = connect(url);
    let DbConnection::Postgresql(c) = &mut conn else { unreachable!() };
    let setup = "LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_analyze = on; \
                 SET auto_explain.log_buffers = on; SET auto_explain.log_timing = on; \
                 SET auto_explain.log_format = 'text'";
    for s in setup.split(';') {
        diesel::sql_query(s.trim()).execute(c).unwrap();
    }
    let pid = diesel::sql_query("SELECT pg_backend_pid() AS pid").get_result::<Pid>(c).unwrap().pid;
    let Ok(mut f) = std::fs::File::open(log) else {
        println!("  (cannot read {}: pass --pg-log with the server log to see the plans)", log.display());
        return;
    };
    let start = f.seek(SeekFrom::End(0)).unwrap();
    run_reports(&mut conn, commune, all, year);
    std::thread::sleep(Duration::from_millis(500));
    f.seek(SeekFrom::Start(start)).unwrap();
    let mut text = String::new();
    f.read_to_string(&mut text).unwrap();
    let tag = format!("[{pid}]");
    // Entries of this backend: a `duration: … plan:` line and its tab-indented continuation.
    let mut entries: Vec<Vec<String>> = Vec::new();
    let mut keep = false;
    for line in text.lines() {
        if line.contains(&tag) {
            keep = line.contains("plan:");
            if keep {
                entries.push(vec![line.split_once("LOG:").map_or(line, |(_, r)| r).trim().to_string()]);
            }
        } else if keep && line.starts_with('\t') {
            if let Some(e) = entries.last_mut() {
                e.push(line.trim_start_matches('\t').to_string());
            }
        } else if !line.starts_with('\t') {
            keep = false;
        }
    }
    for e in
        entries.iter().filter(|e| e.iter().any(|l| l.starts_with("Query Text:") && l.contains("FROM \"dossiers\"")))
    {
        println!("  {}", e[0]);
        for l in &e[1..] {
            println!("    {}", if l.starts_with("Query Text:") { compact(l) } else { short_arrays(l) });
        }
    }
}

#[derive(QueryableByName)]
struct CommuneSize {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    username: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = Text)]
    name: String,
}

/// The generated communes of a database made before: id, officer, dossiers, name.
fn existing(url: &str) -> Generated {
    let mut conn = connect(url);
    let rows: Vec<CommuneSize> = diesel::sql_query(
        "SELECT c.id, u.username, (SELECT COUNT(*) FROM dossiers d WHERE d.commune_id = c.id) AS n, c.name \
         FROM communes c JOIN users u ON u.commune_id = c.id AND u.username LIKE 'ubnd-%' ORDER BY c.id",
    )
    .load(&mut conn)
    .unwrap();
    let total: i64 = rows.iter().map(|r| r.n).sum();
    Generated {
        secs: 0.0,
        summary: format!("existing database: {total} dossiers in {} generated communes", rows.len()),
        communes: rows.into_iter().map(|r| (r.id, r.username, r.n as usize, r.name)).collect(),
    }
}

fn bench(a: &Args, engine: &str, url: &str, dir: &Path) {
    match &a.existing {
        Some(_) => println!("\n=== {engine}: an existing database ==="),
        None => println!("\n=== {engine}: {} dossiers in {} communes ===", a.dossiers, a.communes),
    }
    println!("  before generation: {}", machine_state());
    let g = if a.existing.is_some() { existing(url) } else { generate(a, url, dir) };
    println!("  generation: {:.1} s wall ({})", g.secs, g.summary);
    let size = match engine {
        "sqlite" => std::fs::metadata(url.trim_start_matches("sqlite://")).map(|m| m.len() as i64).unwrap_or(0),
        _ => {
            let mut conn = connect(url);
            let DbConnection::Postgresql(c) = &mut conn else { unreachable!() };
            diesel::sql_query("SELECT pg_database_size(current_database()) AS size").get_result::<Size>(c).unwrap().size
        }
    };
    println!("  database size: {:.0} MB", size as f64 / 1e6);
    let (commune, user, n, name) = g.communes.iter().max_by_key(|c| c.2).cloned().unwrap();
    let median = {
        let mut sizes: Vec<usize> = g.communes.iter().map(|c| c.2).collect();
        sizes.sort();
        sizes[sizes.len() / 2]
    };
    println!("  largest commune: {name} (id {commune}, {user}) with {n} dossiers; median commune {median}");
    let server = serve(a, url, dir);
    let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(120)).build().unwrap();
    let staff = login(&client, &server.base, &user);
    let province = login(&client, &server.base, "tinh");
    let year = thanthien::time::to_local(Utc::now().naive_utc()).year() - 1;
    let q = format!("from={year}-01-01&to={year}-12-31");
    println!(
        "  measuring (each figure ≥ {} s or {} requests, after a warm-up, /auth/me interleaved): {}",
        a.seconds,
        a.max_requests,
        machine_state()
    );
    let runs = [
        (staff.as_str(), format!("/api/v1/onestop/indicators?{q}"), "commune indicators (year)"),
        (
            staff.as_str(),
            format!("/api/v1/onestop/indicators?{q}&group_by=procedure"),
            "commune indicators by procedure",
        ),
        (staff.as_str(), format!("/api/v1/onestop/index766?{q}"), "commune 766 index"),
        (province.as_str(), format!("/api/v1/onestop/indicators?{q}"), "province indicators (all communes)"),
        (province.as_str(), format!("/api/v1/onestop/index766?{q}"), "province 766 index"),
        (province.as_str(), format!("/api/v1/onestop/indicators?{q}&group_by=commune"), "province by commune"),
        (province.as_str(), format!("/api/v1/onestop/indicators?{q}&commune_id={commune}"), "oversight, one commune"),
        (staff.as_str(), format!("/api/v1/onestop/indicators?{q}&group_by=month"), "commune by month"),
    ];
    let server_pid = server.child.id();
    let pg_url = (engine != "sqlite").then(|| url.to_string());
    let pids = move || {
        let mut pids = vec![server_pid];
        if let Some(u) = &pg_url {
            let mut conn = connect(u);
            let DbConnection::Postgresql(c) = &mut conn else { unreachable!() };
            let rows: Vec<Pid> = diesel::sql_query(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )
            .load(c)
            .unwrap();
            pids.extend(rows.into_iter().map(|r| r.pid as u32));
        }
        pids
    };
    let target = Target { client: &client, base: &server.base, pids: &pids };
    let mut results = Vec::new();
    for (token, path, label) in runs {
        let m = measure(&target, token, &path, label, a.seconds, a.max_requests);
        println!(
            "  {:36} n {:6} in {:5.1} s  p50 {:7.1}  p95 {:7.1}  p99 {:7.1}  max {:7.1} ms  cpu {:6.1} ms  floor p50/p95/p99 {:.1}/{:.1}/{:.1} ms  {:6} B  {}",
            m.label, m.n, m.secs, m.p50, m.p95, m.p99, m.max, m.cpu, m.floor.0, m.floor.1, m.floor.2, m.bytes, m.note
        );
        results.push(m);
    }
    println!("  after measuring: {}", machine_state());
    drop(server);
    let t0 = Instant::now();
    let out = Command::new(&a.bin).args(["verify-rollups", "--database-url", url]).output().expect("verify-rollups");
    println!(
        "  verify-rollups: exit {:?} in {:.1} s: {}",
        out.status.code(),
        t0.elapsed().as_secs_f64(),
        String::from_utf8_lossy(&out.stdout).trim()
    );
    let all: Vec<i64> = g.communes.iter().map(|c| c.0).collect();
    println!("\n  query plans ({engine}; commune {commune}, then all {} communes):", all.len());
    if engine == "sqlite" {
        sqlite_plans(url, commune, &all, year);
    } else {
        pg_plans(url, &a.pg_log, commune, &all, year);
    }
    println!("\n  summary {engine}: generation {:.1} s", g.secs);
    for m in &results {
        println!(
            "    {:36} n {:6}  p50 {:7.1}  p95 {:7.1}  p99 {:7.1}  max {:7.1}  cpu/request {:6.1} ms  | floor /auth/me p50 {:.1}  p95 {:.1}  p99 {:.1} ms",
            m.label, m.n, m.p50, m.p95, m.p99, m.max, m.cpu, m.floor.0, m.floor.1, m.floor.2
        );
    }
}

fn main() {
    let a = args();
    println!("cores: {}", std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
    let id = uuid::Uuid::new_v4().simple().to_string();
    let dir = std::env::temp_dir().join(format!("thanthien-bench-ind-{id}"));
    if let Some(url) = &a.existing {
        let d = dir.join("existing");
        std::fs::create_dir_all(&d).unwrap();
        bench(&a, if url.starts_with("sqlite") { "sqlite" } else { "postgresql" }, url, &d);
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    if a.sqlite {
        let d = dir.join("sqlite");
        std::fs::create_dir_all(&d).unwrap();
        bench(&a, "sqlite", &format!("sqlite://{}", d.join("bench.db").display()), &d);
    }
    if let Some(base) = &a.pg {
        let name = format!("tt_bench_ind_{id}");
        let mut admin = diesel::PgConnection::establish(base).expect("connect --pg");
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).unwrap();
        let (head, _) = base.split('?').next().unwrap().rsplit_once('/').unwrap();
        let d = dir.join("pg");
        std::fs::create_dir_all(&d).unwrap();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            bench(&a, "postgresql", &format!("{head}/{name}"), &d);
        }));
        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).unwrap();
        if let Err(e) = result {
            std::panic::resume_unwind(e);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
