//! Import benchmark (release build; only 127.0.0.1):
//!
//! ```text
//! cargo run --release -p thanthien --example bench_import -- [--rows 100000]
//!     [--pg postgres://postgres@127.0.0.1:5432/postgres | --database-url postgres://…/fresh_db]
//! ```
//!
//! Generates a CSV export of `--rows` dossiers (default 100,000) for the demo commune's
//! procedures, starts a server on a fresh SQLite database (and, with `--pg`, on a fresh
//! PostgreSQL database it creates and drops; with `--database-url`, on that database), and
//! times over HTTP: the first import (all created), the same file again (all unchanged), and
//! the file with every tenth row changed (updated).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/mod.rs"]
mod support;

use std::time::{Duration, Instant};
use support::Server;
use thanthien::rng::Rng;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};
use diesel::{Connection, RunQueryDsl};
use serde_json::Value;

fn start(url: &str, data_dir: &std::path::Path) -> Server {
    let mut config = support::config(url, data_dir);
    config.database.pool_size = 4;
    Server::start(thanthien::prepare(config).expect("prepare"))
}

const FAMILY: &[&str] = &["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hà", "Lò", "Cầm"];
const MIDDLE: &[&str] = &["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Quốc", "Thanh"];
const GIVEN: &[&str] = &["An", "Bình", "Hưởng", "Ánh", "Tuyết", "Sơn", "Hoa", "Lực", "Mai", "Tú", "Việt", "Hằng"];

fn working_day(rng: &mut Rng) -> NaiveDate {
    loop {
        let d = NaiveDate::from_ymd_opt(2025, 1, 2).unwrap() + chrono::Duration::days(rng.below(330) as i64);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            return d;
        }
    }
}

fn fmt(t: NaiveDateTime, i: usize) -> String {
    // Mostly the portal's compact form, some rows as dd/MM/yyyy HH:mm.
    if i.is_multiple_of(7) { t.format("%d/%m/%Y %H:%M").to_string() } else { t.format("%Y%m%d%H%M%S").to_string() }
}

/// The CSV of `n` dossiers; `variant` changes every tenth row's applicant name.
fn generate(n: usize, procedures: &[(String, String)], variant: bool) -> String {
    let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15);
    let mut out = String::with_capacity(n * 220);
    let mut numbers = std::collections::HashMap::new();
    out.push_str(
        "MaHoSo,MaTTHC,TenTTHC,KenhThucHien,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,NgayTra,TrangThaiHoSo,\
         DuocThanhToanTrucTuyen,HoSoCoThanhPhanSoHoa,ChuHoSo,SoDienThoai,SoDinhDanh,DiaChi,KetQuaDienTu,SoLanYeuCauBoSung\r\n",
    );
    for i in 0..n {
        let (code, name) = &procedures[rng.below(procedures.len() as u64) as usize];
        let day = working_day(&mut rng);
        let received = day.and_hms_opt(7 + rng.below(9) as u32, rng.below(60) as u32, 0).unwrap();
        let due = received + chrono::Duration::days(rng.below(6) as i64) + chrono::Duration::hours(2);
        let status = match rng.below(100) {
            0..70 => 10,
            70..80 => 9,
            80..85 => 4,
            85..90 => 2,
            90..93 => 3,
            93..96 => 7,
            96..98 => 8,
            _ => 5,
        };
        let finished = received + chrono::Duration::minutes(30 + rng.below(8 * 24 * 60) as i64);
        let returned = finished + chrono::Duration::minutes(rng.below(3 * 24 * 60) as i64);
        let (due, finished, returned) = match status {
            10 => (Some(due), Some(finished), Some(returned)),
            7..=9 => (Some(due), Some(finished), None),
            3 => (None, None, None),
            _ => (Some(due), None, None),
        };
        // Codes in the national numbering format, of the commune's one-stop unit (`UBND`): the
        // import takes no other agency's numbers.
        let number = {
            let n = numbers.entry(received.date()).or_insert(0u32);
            *n += 1;
            *n
        };
        let mut applicant = format!("{} {} {}", rng.pick(FAMILY), rng.pick(MIDDLE), rng.pick(GIVEN));
        if variant && i % 10 == 0 {
            applicant.push_str(" (sửa)");
        }
        let line = format!(
            "UBND-{}-{:04},{code},\"{name}\",{},{},{},{},{},{status},{},{},{applicant},09{:08},0380{:08},\"Thôn {}, xã Bình Lương\",{},{}\r\n",
            received.format("%y%m%d"),
            number,
            1 + rng.below(3),
            fmt(received, i),
            due.map(|t| fmt(t, i)).unwrap_or_default(),
            finished.map(|t| fmt(t, i)).unwrap_or_default(),
            returned.map(|t| fmt(t, i)).unwrap_or_default(),
            rng.below(2),
            rng.below(2),
            rng.below(100_000_000),
            rng.below(100_000_000),
            1 + rng.below(6),
            rng.below(2),
            if rng.below(20) == 0 { 2 } else { rng.below(2) },
        );
        out.push_str(&line);
    }
    out
}

fn import(client: &reqwest::blocking::Client, base: &str, token: &str, csv: &str) -> (f64, Value) {
    let boundary = "benchboundary7MA4YWxkTrZu0gW";
    let mut body = Vec::with_capacity(csv.len() + 256);
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.csv\"\r\nContent-Type: text/csv\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(csv.as_bytes());
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let t = Instant::now();
    let r = client
        .post(format!("{base}/api/v1/onestop/import"))
        .bearer_auth(token)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .unwrap();
    let status = r.status().as_u16();
    let v: Value = r.json().unwrap();
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(status, 200, "{v}");
    (secs, v)
}

fn bench(label: &str, url: &str, data_dir: &std::path::Path, rows: usize) {
    let server = start(url, data_dir);
    let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(900)).build().unwrap();
    let token = support::login(&client, &server.base, "ubnd");
    let procs: Value = client
        .get(format!("{}/api/v1/procedures?per_page=200", server.base))
        .bearer_auth(&token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let procedures: Vec<(String, String)> = procs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["code"].as_str().unwrap().to_string(), p["name"].as_str().unwrap().replace('"', "")))
        .collect();
    let csv = generate(rows, &procedures, false);
    println!("[{label}] file: {rows} rows, {:.1} MB", csv.len() as f64 / 1e6);
    let (secs, v) = import(&client, &server.base, &token, &csv);
    println!("[{label}] first import:   {secs:6.2} s  {v}");
    let (secs, v) = import(&client, &server.base, &token, &csv);
    println!("[{label}] same file again: {secs:6.2} s  {v}");
    let changed = generate(rows, &procedures, true);
    let (secs, v) = import(&client, &server.base, &token, &changed);
    println!("[{label}] 10 % changed:    {secs:6.2} s  {v}");
    server.stop();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    if let Ok(filter) = std::env::var("BENCH_LOG") {
        tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::new(filter)).init();
    }
    let rows = arg("--rows").map(|r| r.parse().expect("--rows N")).unwrap_or(100_000);
    println!("cores: {}", std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
    let id = uuid::Uuid::new_v4().simple().to_string();
    let dir = std::env::temp_dir().join(format!("thanthien-bench-import-{id}"));
    std::fs::create_dir_all(&dir).unwrap();
    if !args.iter().any(|a| a == "--no-sqlite") {
        bench("sqlite", &format!("sqlite://{}", dir.join("bench.db").display()), &dir, rows);
    }
    if let Some(url) = arg("--database-url") {
        bench("postgresql", &url, &dir, rows);
    }
    if let Some(base) = arg("--pg") {
        let name = format!("tt_bench_{id}");
        let mut admin = diesel::PgConnection::establish(&base).expect("connect --pg");
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).unwrap();
        let (head, _) = base.rsplit_once('/').unwrap();
        bench("postgresql", &format!("{head}/{name}"), &dir, rows);
        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).unwrap();
    }
    let _ = std::fs::remove_dir_all(&dir);
}
