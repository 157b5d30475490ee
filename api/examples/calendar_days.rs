//! Prints the national working calendar the server ships, one day a line, for an independent
//! check (`bench/calendar_check.py`):
//!
//! ```text
//! cargo run -p thanthien --example calendar_days -- 2020 2026 [--sql what-if.sql]
//! ```
//!
//! `--sql FILE` runs the statements of FILE on the migrated database first (a what-if: e.g.
//! `bench/calendar_before.sql` puts back the generator this replaced, for comparison).
//!
//! It migrates a fresh SQLite database in a temporary directory (so the holiday rules, the Tết
//! decisions and the national overrides are exactly what the migrations seed) and prints
//! `date,working,name` from the same service function `GET /calendar/days` calls.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use thanthien::calendar::service::{self, Scope};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let sql = match args.iter().position(|a| a == "--sql") {
        Some(i) => {
            let file = args.get(i + 1).expect("--sql FILE").clone();
            args.drain(i..i + 2);
            Some(std::fs::read_to_string(file).expect("the SQL file"))
        }
        None => None,
    };
    let args: Vec<i32> = args.iter().map(|a| a.parse().expect("a year")).collect();
    let (first, last) = match args.as_slice() {
        [a, b] => (*a, *b),
        [a] => (*a, *a),
        _ => (2020, 2026),
    };
    let dir = std::env::temp_dir().join(format!("tt-calendar-days-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("cal.db").display());
    let manager = thanthien::db::DbManager::new(&url, std::time::Duration::from_secs(5)).unwrap();
    let mut conn = r2d2::ManageConnection::connect(&manager).unwrap();
    thanthien::db::run_migrations(&mut conn).unwrap();
    if let Some(sql) = sql {
        use diesel::connection::SimpleConnection;
        conn.batch_execute(&sql).unwrap();
    }
    println!("date,working,name");
    for year in first..=last {
        let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
        for d in service::days(&mut conn, Scope::NATIONAL, from, to).unwrap() {
            println!("{},{},{}", d.date, u8::from(d.working), d.name.unwrap_or_default().replace(',', ";"));
        }
    }
    drop(conn);
    let _ = std::fs::remove_dir_all(dir);
}
