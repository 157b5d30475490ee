//! One-stop benchmark (release build; only 127.0.0.1):
//!
//! ```text
//! cargo run --release -p thanthien --example bench_onestop -- [--pg postgres://postgres@127.0.0.1:5432/postgres]
//! ```
//!
//! 1. `due_at` computations per second, in-process, on a calendar with the generated holidays
//!    (a mix of working-day, working-hour and same-day limits from random starts).
//! 2. Intake latency: a server on a fresh SQLite database (and on a fresh PostgreSQL database
//!    created under `--pg`), 16 concurrent clients each receiving dossiers over keep-alive
//!    HTTP for 20 s (each on a past working day of its own, as a unit numbers at most 9,999
//!    dossiers a day); reports p50/p95/p99 and throughput, and checks that no code repeats.
//!    Four runs per engine, each on a fresh database, alternating with and without the
//!    maintenance of the indicator roll-ups (`docs/rollups.md`), to measure what it costs. The server
//!    has its default pool (`database.pool_size`, 8); `BENCH_POOL_SIZE=N` sets another;
//!    `BENCH_SQLITE_SYNCHRONOUS=normal` runs SQLite with `synchronous = NORMAL` instead of the
//!    server's FULL, to measure what durability on power loss costs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/mod.rs"]
mod support;

use std::collections::HashSet;
use std::hint::black_box;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use diesel::connection::SimpleConnection;
use diesel::{Connection, RunQueryDsl};
use serde_json::{Value, json};
use support::{Server, pct};
use thanthien::calendar::engine::{Unit, WorkCalendar};

const CLIENTS: usize = 16;
/// The 16-client intake runs this long (a tail needs ≥ 20 s or 50,000 requests).
const SECONDS: u64 = 20;

fn bench_due() {
    let first = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let cal = WorkCalendar::build(first, NaiveDate::from_ymd_opt(2029, 12, 31).unwrap(), &[], &[], &[]);
    // Deterministic pseudo-random starts over 2026–2027.
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let starts: Vec<_> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            first.and_hms_opt(0, 0, 0).unwrap() + chrono::Duration::minutes((x % (2 * 365 * 24 * 60)) as i64)
        })
        .collect();
    let units = [
        Unit::WorkingDays,
        Unit::WorkingDays,
        Unit::WorkingDays,
        Unit::WorkingDays,
        Unit::WorkingDays,
        Unit::WorkingDays,
        Unit::WorkingDays,
        Unit::SameDay { cutoff: 15 * 3600 },
        Unit::WorkingHours,
        Unit::SameDay { cutoff: 15 * 3600 },
    ];
    let mut n = 0u64;
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_secs(3) {
        for i in 0..100_000usize {
            let start = starts[i & 4095];
            let unit = units[i % units.len()];
            let amount = match unit {
                Unit::WorkingHours => 1 + (i % 16) as u32,
                _ => 1 + (i % 20) as u32,
            };
            black_box(cal.due(black_box(start), amount, unit));
        }
        n += 100_000;
    }
    let secs = t0.elapsed().as_secs_f64();
    println!("due_at computations: {n} in {secs:.2} s = {:.0} per second (target ≥ 1,000,000)", n as f64 / secs);
}

fn start(url: &str, data_dir: &std::path::Path) -> Server {
    let mut config = support::config(url, data_dir);
    // The pool as deployed (`database.pool_size`, default 8) unless BENCH_POOL_SIZE says.
    if let Ok(n) = std::env::var("BENCH_POOL_SIZE") {
        config.database.pool_size = n.parse().expect("BENCH_POOL_SIZE");
    }
    println!("{url}: pool of {} connections", config.database.pool_size);
    let pool_size = config.database.pool_size;
    let state = thanthien::prepare(config).expect("prepare");
    // `BENCH_SQLITE_SYNCHRONOUS=normal` measures what `synchronous = FULL` (the server's
    // setting) costs: every pooled connection is switched before the run.
    if let (Ok(mode), true) = (std::env::var("BENCH_SQLITE_SYNCHRONOUS"), url.starts_with("sqlite:")) {
        let mut held: Vec<_> = (0..pool_size).map(|_| state.pool.get().expect("pooled connection")).collect();
        for conn in &mut held {
            conn.batch_execute(&format!("PRAGMA synchronous = {mode}")).expect("PRAGMA synchronous");
        }
        println!("{url}: PRAGMA synchronous = {mode} on all {pool_size} pooled connections");
    } else if url.starts_with("sqlite:") {
        println!("{url}: PRAGMA synchronous = FULL (the server's setting)");
    }
    Server::start(state)
}

/// One kept-alive HTTP/1.1 connection that posts JSON: std only, so the 16 clients cost the
/// 2 cores little next to the server (reqwest's blocking client runs a runtime thread per
/// client and doubles the thread switches of every request).
struct Client {
    writer: TcpStream,
    reader: BufReader<TcpStream>,
}

impl Client {
    fn connect(base: &str) -> Client {
        let stream = TcpStream::connect(base.trim_start_matches("http://")).expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Client { writer: stream.try_clone().expect("clone"), reader: BufReader::new(stream) }
    }

    /// Status and body of `POST path` with a JSON body.
    fn post(&mut self, path: &str, token: &str, body: &[u8]) -> (u16, Vec<u8>) {
        write!(
            self.writer,
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .expect("write");
        self.writer.write_all(body).expect("write");
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("read");
        let status = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let (mut length, mut chunked) = (0, false);
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("read");
            let header = line.trim_end().to_ascii_lowercase();
            if header.is_empty() {
                break;
            }
            if let Some(v) = header.strip_prefix("content-length:") {
                length = v.trim().parse().expect("length");
            } else if header.starts_with("transfer-encoding:") && header.contains("chunked") {
                chunked = true;
            }
        }
        let mut out = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.reader.read_line(&mut line).expect("read");
                let size = usize::from_str_radix(line.trim(), 16).expect("chunk size");
                let mut chunk = vec![0; size + 2];
                self.reader.read_exact(&mut chunk).expect("read");
                if size == 0 {
                    break;
                }
                out.extend_from_slice(&chunk[..size]);
            }
        } else {
            out.resize(length, 0);
            self.reader.read_exact(&mut out).expect("read");
        }
        (status, out)
    }
}

fn bench_intake(label: &str, url: &str, data_dir: &std::path::Path, rollups: bool) {
    // Roll-ups maintained (as deployed) or not: the same binary measures what they cost.
    thanthien::onestop::rollups::repo::skip_maintenance_for_benchmark(!rollups);
    let label = format!("{label} {}", if rollups { "with roll-ups" } else { "without roll-ups" });
    let server = start(url, data_dir);
    let client = reqwest::blocking::Client::new();
    let token = support::login(&client, &server.base, "ubnd");
    let procs: Value = client
        .get(format!("{}/api/v1/procedures?q=1.004873", server.base))
        .bearer_auth(&token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let procedure = procs["items"][0]["id"].as_i64().unwrap();
    let body = json!({ "procedure_id": procedure, "channel": 1,
        "applicant": { "name": "Nguyễn Văn Thử", "phone": "0912345678", "id_number": "038090001234", "address": "Thôn 2" } })
    .to_string()
    .into_bytes();
    // A unit numbers at most 9,999 dossiers a day: for a run of 20 s each of the 16 clients
    // receives its dossiers on a day of its own (backdated to a past working day at 09:00).
    let mut day_bodies: Vec<Vec<u8>> = Vec::new();
    let today = thanthien::time::today_local();
    let mut back = 1;
    while day_bodies.len() < CLIENTS {
        let d = today - chrono::Duration::days(back);
        back += 1;
        let b = json!({ "procedure_id": procedure, "channel": 1, "received_at": format!("{d}T09:00:00+07:00"),
            "applicant": { "name": "Nguyễn Văn Thử", "phone": "0912345678", "id_number": "038090001234", "address": "Thôn 2" } })
        .to_string()
        .into_bytes();
        let r = client
            .post(format!("{}/api/v1/dossiers", server.base))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(b.clone())
            .send()
            .unwrap();
        if r.status().as_u16() == 201 {
            day_bodies.push(b);
        }
    }
    // Warm-up at full concurrency, so every pooled connection has prepared its statements
    // (the steady state of a running server) before anything is measured.
    std::thread::scope(|s| {
        for _ in 0..CLIENTS {
            s.spawn(|| {
                let mut c = Client::connect(&server.base);
                for _ in 0..10 {
                    assert_eq!(c.post("/api/v1/dossiers", &token, &body).0, 201);
                }
            });
        }
    });
    let mut one = Client::connect(&server.base);
    // One client, one request at a time: the cost of an intake without queueing.
    let mut single: Vec<f64> = (0..200)
        .map(|_| {
            let t = Instant::now();
            assert_eq!(one.post("/api/v1/dossiers", &token, &body).0, 201);
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    single.sort_by(|a, b| a.total_cmp(b));
    println!(
        "intake {label:10}  1 client  × 200: p50 {:.2} ms  p95 {:.2} ms  p99 {:.2} ms",
        pct(&single, 50.0),
        pct(&single, 95.0),
        pct(&single, 99.0)
    );
    let t0 = Instant::now();
    let results: Vec<(Vec<f64>, Vec<String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|i| {
                let (token, body, base) = (token.clone(), day_bodies[i].clone(), server.base.clone());
                s.spawn(move || {
                    let mut client = Client::connect(&base);
                    let mut times = Vec::new();
                    let mut codes = Vec::new();
                    let started = Instant::now();
                    while started.elapsed() < Duration::from_secs(SECONDS) {
                        let t = Instant::now();
                        let (status, reply) = client.post("/api/v1/dossiers", &token, &body);
                        times.push(t.elapsed().as_secs_f64() * 1000.0);
                        let v: Value = serde_json::from_slice(&reply).unwrap();
                        assert_eq!(status, 201, "{v}");
                        codes.push(v["code"].as_str().unwrap().to_string());
                    }
                    (times, codes)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let wall = t0.elapsed().as_secs_f64();
    let mut times: Vec<f64> = results.iter().flat_map(|r| r.0.iter().copied()).collect();
    let codes: HashSet<&String> = results.iter().flat_map(|r| r.1.iter()).collect();
    times.sort_by(|a, b| a.total_cmp(b));
    assert_eq!(codes.len(), times.len(), "duplicate dossier codes");
    println!(
        "intake {label:10} {CLIENTS} clients × {SECONDS} s ({} requests): p50 {:.2} ms  p95 {:.2} ms  p99 {:.2} ms  max {:.2} ms  {:.0} dossiers/s  (target p99 ≤ 20 ms; {} unique codes)",
        times.len(),
        pct(&times, 50.0),
        pct(&times, 95.0),
        pct(&times, 99.0),
        times[times.len() - 1],
        times.len() as f64 / wall,
        codes.len()
    );
    server.stop();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let pg = args.iter().position(|a| a == "--pg").and_then(|i| args.get(i + 1)).cloned();
    println!("cores: {}", std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
    bench_due();
    let id = uuid::Uuid::new_v4().simple().to_string();
    let dir = std::env::temp_dir().join(format!("thanthien-bench-{id}"));
    std::fs::create_dir_all(&dir).unwrap();
    // Interleaved with and without roll-up maintenance, each on a fresh database.
    for (run, rollups) in [true, false, true, false].into_iter().enumerate() {
        let d = dir.join(format!("sqlite-{run}"));
        std::fs::create_dir_all(&d).unwrap();
        bench_intake("sqlite", &format!("sqlite://{}", d.join("bench.db").display()), &d, rollups);
    }
    if let Some(base) = pg {
        let mut admin = diesel::PgConnection::establish(&base).expect("connect --pg");
        for (run, rollups) in [true, false, true, false].into_iter().enumerate() {
            let name = format!("tt_bench_{id}_{run}");
            diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).unwrap();
            // Keep the URL's parameters (e.g. `?sslmode=disable` for a server on loopback).
            let (path, query) =
                base.split_once('?').map_or((base.as_str(), String::new()), |(p, q)| (p, format!("?{q}")));
            let (head, _) = path.rsplit_once('/').unwrap();
            let d = dir.join(format!("pg-{run}"));
            std::fs::create_dir_all(&d).unwrap();
            bench_intake("postgresql", &format!("{head}/{name}{query}"), &d, rollups);
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).unwrap();
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
