//! Survey results benchmark: a survey with `--responses` generated answers (default 100 000) of
//! the one-stop form, spread over the demo commune's procedures and twelve months, then the
//! results grouped by procedure and by month, timed through the library's own code path.
//!
//! ```text
//! cargo run --release -p thanthien --example bench_surveys -- [--responses 100000] [--runs 10] \
//!     [--pg postgres://postgres@127.0.0.1:5432/postgres] [--no-sqlite]
//! ```
//! Target: ≤ 300 ms per results call on both engines.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use diesel::{Connection, RunQueryDsl};
use thanthien::db::{DbConnection, write_tx};
use thanthien::surveys::model::*;
use thanthien::surveys::{repo, results, service};

fn args() -> (usize, usize, Option<String>, bool) {
    let v: Vec<String> = std::env::args().collect();
    let get = |name: &str| v.iter().position(|a| a == name).and_then(|i| v.get(i + 1)).cloned();
    (
        get("--responses").map_or(100_000, |s| s.parse().unwrap()),
        get("--runs").map_or(10, |s| s.parse().unwrap()),
        get("--pg"),
        !v.iter().any(|a| a == "--no-sqlite"),
    )
}

fn generate(conn: &mut DbConnection, n: usize) -> (i64, i64) {
    thanthien::db::run_migrations(conn).unwrap();
    let hash = thanthien::auth::password::hash_password("bench-password-x").unwrap();
    thanthien::demo::seed(conn, &hash).unwrap();
    let commune = thanthien::org::repo::commune_id_by_name(conn, "Bình Lương").unwrap().unwrap();
    let procs: Vec<i64> =
        thanthien::onestop::catalogue::repo::active_procedures(conn, commune).unwrap().iter().map(|p| p.id).collect();
    let start = Instant::now();
    let survey = write_tx(conn, |c| {
        service::open_survey(
            c,
            commune,
            "onestop",
            &CreateSurvey {
                form_id: 0,
                title: "Bench".into(),
                starts_on: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
                ends_on: None,
                target: SurveyTarget::Dossiers,
                target_ref: None,
                channels: vec![Channel::Link],
                per_dossier: false,
                board_target: None,
            },
        )
    })
    .unwrap();
    let version = repo::version(conn, survey.form_id, 1).unwrap();
    let mut seed = 42u64;
    let mut rnd = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        seed >> 33
    };
    let qs = ["polite", "prompt", "guidance", "on_time", "correct", "overall"];
    for chunk in 0..n.div_ceil(5000) {
        write_tx(conn, |c| {
            for _ in 0..5000.min(n - chunk * 5000) {
                let day = (rnd() % 365) as i64;
                let at = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap().and_hms_opt(3, 0, 0).unwrap()
                    + chrono::Duration::days(day);
                let vals: Vec<i32> = qs.iter().map(|_| [1, 2, 3, 4, 4, 4, 5, 5, 5, 5][(rnd() % 10) as usize]).collect();
                let now = Utc::now().naive_utc();
                let row = repo::insert_response(
                    c,
                    &NewResponse {
                        survey_id: survey.id,
                        commune_id: commune,
                        form_version_id: version.id,
                        channel: "link".into(),
                        dossier_id: None,
                        client_id: None,
                        procedure_id: Some(procs[(rnd() as usize) % procs.len()]),
                        field: None,
                        unit_id: None,
                        timeliness: None,
                        officer_id: None,
                        village_id: None,
                        answered_at: at,
                        month: thanthien::time::to_local(at).format("%Y-%m").to_string(),
                        overall: Some(vals[5]),
                        likert_n: 6,
                        likert_sum: vals.iter().sum(),
                        likert_satisfied: vals.iter().filter(|v| **v >= 4).count() as i32,
                        duplicate: false,
                        client_key: None,
                        device: None,
                        entered_by: None,
                        created_at: now,
                        updated_at: now,
                    },
                )?;
                let answers: Vec<AnswerRow> = qs
                    .iter()
                    .zip(&vals)
                    .map(|(q, v)| AnswerRow {
                        id: 0,
                        response_id: row.id,
                        survey_id: survey.id,
                        answered_at: at,
                        question_id: (*q).into(),
                        value_int: Some(*v),
                        option_id: None,
                        free_text: None,
                    })
                    .collect();
                repo::insert_answers(c, &answers)?;
                // The counts the results read, kept as every answer keeps them.
                repo::count_response(c, &row, &answers, 1)?;
            }
            Ok::<_, diesel::result::Error>(())
        })
        .unwrap();
    }
    println!("  generated {n} responses in {:.1} s", start.elapsed().as_secs_f64());
    (commune, survey.id)
}

fn time(conn: &mut DbConnection, commune: i64, survey: i64, by: GroupBy, runs: usize) {
    let mut t: Vec<Duration> = Vec::new();
    for _ in 0..runs + 1 {
        let q = ResultsQuery { group_by: Some(by), from: None, to: None, lang: None };
        let s = Instant::now();
        let r = results::results(conn, commune, survey, &q).unwrap();
        t.push(s.elapsed());
        assert!(r.responses > 0);
    }
    t.remove(0); // warm-up
    t.sort();
    println!(
        "  results group_by={by:?}: p50 {:.0} ms, max {:.0} ms",
        t[t.len() / 2].as_secs_f64() * 1e3,
        t[t.len() - 1].as_secs_f64() * 1e3
    );
}

fn main() {
    let (n, runs, pg, sqlite) = args();
    if sqlite {
        let dir = std::env::temp_dir().join(format!("tt-bench-surveys-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}", dir.join("bench.db").display());
        let pool = thanthien::db::connect(&url, 1, Duration::from_secs(5)).unwrap();
        let mut c = pool.get().unwrap();
        println!("SQLite:");
        let (commune, survey) = generate(&mut c, n);
        time(&mut c, commune, survey, GroupBy::Procedure, runs);
        time(&mut c, commune, survey, GroupBy::Month, runs);
        drop(c);
        let _ = std::fs::remove_dir_all(dir);
    }
    if let Some(base) = pg {
        let name = format!("tt_bench_surveys_{}", std::process::id());
        let mut admin = diesel::PgConnection::establish(&base).unwrap();
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).unwrap();
        let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
        {
            let pool = thanthien::db::connect(&url, 1, Duration::from_secs(5)).unwrap();
            let mut c = pool.get().unwrap();
            println!("PostgreSQL:");
            let (commune, survey) = generate(&mut c, n);
            diesel::sql_query("ANALYZE").execute(&mut *c).ok();
            time(&mut c, commune, survey, GroupBy::Procedure, runs);
            time(&mut c, commune, survey, GroupBy::Month, runs);
        }
        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).unwrap();
    }
}
