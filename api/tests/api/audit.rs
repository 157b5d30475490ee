//! The audit log records every write in a hash chain that `verify-audit` checks.

use diesel::prelude::*;
use serde_json::json;
use thanthien::db::schema::audit_log;

use crate::both_engines;
use crate::harness::TestApp;

fn writes_are_audited_with_who_and_where(app: &TestApp) {
    let s = app.login("admin");
    let r = app.post("/api/v1/units", Some(&s.token), json!({ "name": "Tổ hòa giải", "kind": "other" }));
    let id = r.body["id"].as_i64().unwrap().to_string();
    app.patch(&format!("/api/v1/units/{id}"), Some(&s.token), json!({ "active": false }));
    let log = app.get(&format!("/api/v1/audit?entity=unit&entity_id={id}"), Some(&s.token));
    assert_eq!(log.status, 200);
    let items = log.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["action"], "update");
    assert_eq!(items[0]["summary"]["active"], json!([true, false]));
    assert_eq!(items[1]["action"], "create");
    assert_eq!(items[1]["username"], "admin");
    assert_eq!(items[1]["role"], "admin");
    assert_eq!(items[1]["ip"], "127.0.0.1");
    assert!(items[1]["request_id"].as_str().is_some_and(|r| !r.is_empty()));
    let logins = app.get("/api/v1/audit?action=login", Some(&s.token));
    assert!(logins.body["total"].as_i64().unwrap() >= 1);
    // Passwords and tokens never reach the log.
    let all = app.get("/api/v1/audit?per_page=200", Some(&s.token));
    assert!(!all.text.contains("thanthien-demo") && !all.text.contains(&s.refresh) && !all.text.contains("argon2"));
    // The board reads it too; other communes' entries are not there.
    let other = app.second_commune();
    let bdh = app.login("bdh");
    let seen = app.get("/api/v1/audit?per_page=200", Some(&bdh.token));
    assert_eq!(seen.status, 200);
    assert!(seen.body["items"].as_array().unwrap().iter().all(|e| e["username"] != "admin2"));
    let theirs = app.get("/api/v1/audit?per_page=200", Some(&other.token));
    assert!(theirs.body["items"].as_array().unwrap().iter().all(|e| e["username"] != "bdh"));
    // The filters' choices: what this commune's log holds, each once, none of another commune's.
    let facets = app.get("/api/v1/audit/facets", Some(&bdh.token));
    assert_eq!(facets.status, 200, "{}", facets.text);
    let strings = |k: &str| -> Vec<String> {
        facets.body[k].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
    };
    let (actions, entities) = (strings("actions"), strings("entities"));
    assert!(actions.contains(&"create".into()) && actions.contains(&"login".into()), "{actions:?}");
    assert!(entities.contains(&"unit".into()), "{entities:?}");
    assert!(actions.windows(2).all(|w| w[0] < w[1]) && entities.windows(2).all(|w| w[0] < w[1]), "sorted, once each");
    let users: Vec<&str> =
        facets.body["users"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
    assert!(users.contains(&"admin") && users.contains(&"bdh") && !users.contains(&"admin2"), "{users:?}");
    let admin_id =
        facets.body["users"].as_array().unwrap().iter().find(|u| u["username"] == "admin").unwrap()["id"].clone();
    let by_admin = app.get(&format!("/api/v1/audit?per_page=200&user_id={admin_id}"), Some(&bdh.token));
    assert!(by_admin.body["items"].as_array().unwrap().iter().all(|e| e["username"] == "admin"), "{}", by_admin.text);
    let theirs = app.get("/api/v1/audit/facets", Some(&other.token));
    assert!(!theirs.text.contains("\"bdh\""), "{}", theirs.text);
    // A range that ends before (or where) it starts is refused under `to`, not answered "none".
    for (from, to) in [("2025-01-02", "2025-01-01"), ("2025-01-02", "2025-01-02")] {
        let q = format!("/api/v1/audit?from={from}T00:00:00%2B07:00&to={to}T00:00:00%2B07:00");
        let r = app.get(&q, Some(&bdh.token));
        assert_eq!(r.status, 422, "{}", r.text);
        assert_eq!(r.body["errors"][0]["field"], "to", "{}", r.text);
        assert_eq!(r.body["errors"][0]["code"], "before_start", "{}", r.text);
    }
    let day =
        app.get("/api/v1/audit?from=2025-01-02T00:00:00%2B07:00&to=2025-01-03T00:00:00%2B07:00", Some(&bdh.token));
    assert_eq!(day.status, 200, "{}", day.text);
}

fn verify_audit_catches_tampering(app: &TestApp) {
    let s = app.login("admin");
    for i in 0..3 {
        app.post("/api/v1/units", Some(&s.token), json!({ "name": format!("Tổ {i}"), "kind": "other" }));
    }
    let bin = env!("CARGO_BIN_EXE_thanthien");
    let run = || {
        std::process::Command::new(bin)
            .args(["verify-audit", "--database-url", &app.db_url])
            .env("THANTHIEN__SERVER__DATA_DIR", &app.data_dir)
            .output()
            .expect("run verify-audit")
    };
    let ok = run();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stdout));
    // Edit one entry's summary directly in the database.
    let target: (i64, i64) = {
        let mut c = app.conn();
        audit_log::table
            .filter(audit_log::entity.eq("unit"))
            .filter(audit_log::action.eq("create"))
            .order(audit_log::id.desc())
            .select((audit_log::id, audit_log::seq))
            .first(&mut *c)
            .unwrap()
    };
    {
        let mut c = app.conn();
        diesel::update(audit_log::table.find(target.0))
            .set(audit_log::summary.eq("{\"name\":\"Tổ khác\"}"))
            .execute(&mut *c)
            .unwrap();
    }
    let bad = run();
    assert_eq!(bad.status.code(), Some(1));
    let out = String::from_utf8_lossy(&bad.stdout);
    assert!(
        out.contains(&format!("seq {}", target.1)) && out.contains(&format!("id {}", target.0)),
        "names the entry: {out}"
    );
    // Deleting an entry is caught as well.
    {
        let mut c = app.conn();
        diesel::update(audit_log::table.find(target.0))
            .set(audit_log::summary.eq("restored?"))
            .execute(&mut *c)
            .unwrap();
        let mut c = app.conn();
        let victim: i64 = audit_log::table
            .filter(audit_log::seq.eq(2))
            .filter(audit_log::chain_id.ne(0))
            .select(audit_log::id)
            .first(&mut *c)
            .unwrap();
        diesel::delete(audit_log::table.find(victim)).execute(&mut *c).unwrap();
    }
    assert_eq!(run().status.code(), Some(1));
}

fn chain_stays_intact_under_concurrent_writes(app: &TestApp) {
    let s = app.login("admin");
    std::thread::scope(|scope| {
        for t in 0..4 {
            let token = s.token.clone();
            scope.spawn(move || {
                for i in 0..5 {
                    let r = app.post(
                        "/api/v1/units",
                        Some(&token),
                        json!({ "name": format!("Tổ {t}-{i}"), "kind": "other" }),
                    );
                    assert_eq!(r.status, 201, "{}", r.text);
                }
            });
        }
    });
    let mut c = app.conn();
    let n = thanthien::audit::repo::verify_all(&mut c).unwrap().expect("intact chain");
    assert!(n >= 20);
}

/// Someone with the database alone cuts a chain's tail and resets its head row: the chain still
/// verifies by itself, but not against the last signed checkpoint. A checkpoint edited to
/// match is not authentic.
fn a_cut_tail_is_caught_by_the_signed_checkpoint(app: &TestApp) {
    use thanthien::audit::checkpoint::{self, Verdict};
    use thanthien::db::schema::audit_heads;
    let admin = app.login("admin");
    for name in ["Tổ hòa giải thôn 7", "Tổ hòa giải thôn 8"] {
        let r = app.post("/api/v1/units", Some(&admin.token), json!({ "name": name, "kind": "other" }));
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let cp = thanthien::write_audit_checkpoint(&app.state).expect("checkpoint");
    let dir = &app.state.config.server.data_dir;
    let key_of = |kid: &str| app.state.keys.checkpoint_key_of(kid).copied();
    let verify = || checkpoint::verify(&mut app.conn(), dir, key_of);
    assert!(matches!(verify(), Ok(Verdict::Intact { checkpoint: Some(_), .. })), "{:?}", verify());
    // Cut the last entry of the longest chain and reset its head to the one before.
    let longest = cp.heads.iter().max_by_key(|h| h.seq).unwrap().clone();
    assert!(longest.seq >= 2);
    {
        let mut c = app.conn();
        let prev: String = audit_log::table
            .filter(audit_log::chain_id.eq(longest.chain_id))
            .filter(audit_log::seq.eq(longest.seq - 1))
            .select(audit_log::hash)
            .first(&mut *c)
            .unwrap();
        diesel::delete(
            audit_log::table.filter(audit_log::chain_id.eq(longest.chain_id)).filter(audit_log::seq.eq(longest.seq)),
        )
        .execute(&mut *c)
        .unwrap();
        diesel::update(audit_heads::table.find(longest.chain_id))
            .set((audit_heads::seq.eq(longest.seq - 1), audit_heads::hash.eq(prev)))
            .execute(&mut *c)
            .unwrap();
    }
    // The chain alone cannot tell: that was the hole.
    assert!(thanthien::audit::repo::verify_all(&mut app.conn()).unwrap().is_ok());
    match verify() {
        Ok(Verdict::Broken(b)) => {
            assert_eq!((b.chain_id, b.seq), (longest.chain_id, longest.seq));
            assert!(b.reason.contains("tail was cut"), "{}", b.reason);
        }
        other => panic!("the cut tail went unnoticed: {other:?}"),
    }
    // Lowering the count in the checkpoint file to match is not authentic.
    let path = checkpoint::path(dir);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut last: checkpoint::Checkpoint = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    for h in &mut last.heads {
        if h.chain_id == longest.chain_id {
            h.seq -= 1;
        }
    }
    std::fs::write(&path, format!("{text}{}\n", serde_json::to_string(&last).unwrap())).unwrap();
    let e = verify().unwrap_err();
    assert!(e.contains("not authentic"), "{e}");
}

both_engines!(
    a_cut_tail_is_caught_by_the_signed_checkpoint,
    writes_are_audited_with_who_and_where,
    verify_audit_catches_tampering,
    chain_stays_intact_under_concurrent_writes
);

/// PostgreSQL: the statements every write runs (the audit lane, the entry with its head, the
/// dossier counter, the roll-up rows) are prepared once per connection and reused, not parsed again each time
/// (`db::stmt`). The entries they write still verify.
#[test]
fn hot_write_statements_stay_prepared_on_postgres() {
    use thanthien::audit::{Actor, Change, repo};
    use thanthien::db::DbConnection;
    let Some(app) = TestApp::start(crate::harness::Engine::Postgres) else { return };
    let mut c = app.conn();
    let unit: i64 =
        thanthien::db::schema::units::table.select(thanthien::db::schema::units::id).first(&mut *c).unwrap();
    let today = chrono::Utc::now().date_naive();
    let commune = thanthien::db::schema::communes::table
        .select(thanthien::db::schema::communes::id)
        .first::<i64>(&mut *c)
        .unwrap();
    let mut numbers = Vec::new();
    for i in 0..3 {
        let change = Change {
            commune_id: Some(commune),
            action: "update",
            entity: "unit",
            entity_id: Some(unit.to_string()),
            summary: json!({ "n": i }),
        };
        repo::record(&mut c, &Actor::system("test"), change).unwrap();
        let DbConnection::Postgresql(pg) = &mut *c else { panic!("a PostgreSQL connection") };
        numbers.push(thanthien::onestop::dossiers::repo::allocate_counter_pg(pg, unit, today).unwrap());
    }
    assert_eq!(numbers, vec![numbers[0], numbers[0] + 1, numbers[0] + 2]);
    // The roll-up rows of a dossier change, one row or several: one statement text.
    for rows in [1, 3, 2] {
        let mut d = thanthien::onestop::rollups::model::Deltas::default();
        for r in 0..rows {
            let key = (999_998, 0, today + chrono::Duration::days(r), 1, 2);
            d.rows.insert(key, [1; thanthien::onestop::rollups::model::MEASURES]);
        }
        thanthien::onestop::rollups::repo::add(&mut c, &d).unwrap();
    }
    let received: Vec<i64> = thanthien::db::schema::dossier_rollups::table
        .filter(thanthien::db::schema::dossier_rollups::commune_id.eq(999_998))
        .order(thanthien::db::schema::dossier_rollups::day)
        .select(thanthien::db::schema::dossier_rollups::received)
        .load(&mut *c)
        .unwrap();
    assert_eq!(received, vec![3, 2, 1]);
    #[derive(QueryableByName)]
    struct Prepared {
        #[diesel(sql_type = diesel::sql_types::Text)]
        statement: String,
    }
    let prepared: Vec<Prepared> =
        diesel::sql_query("SELECT statement FROM pg_prepared_statements").load(&mut *c).unwrap();
    for needle in [
        "UPDATE audit_heads SET seq",
        "INSERT INTO audit_log",
        "INSERT INTO dossier_counters",
        "INSERT INTO dossier_rollups",
    ] {
        let n = prepared.iter().filter(|p| p.statement.contains(needle)).count();
        assert_eq!(n, 1, "{needle} prepared once and reused, found {n}");
    }
    assert!(repo::verify_all(&mut c).unwrap().is_ok());
}
