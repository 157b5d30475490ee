//! `thanthien backup` / `restore`: a backup taken under write load holds every write
//! acknowledged before it began, the restored database passes the audit check, evidence files
//! come back byte for byte, and a damaged archive is refused.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use serde_json::json;
use sha2::{Digest, Sha256};
use thanthien::config::Config;

use crate::both_engines;
use crate::harness::{TestApp, pg_base_url, wait_for, with_database};

fn backup_under_write_load_restores_every_acknowledged_write(app: &TestApp) {
    // Evidence: a report with a photo.
    let admin = app.login("admin").token;
    let fx = crate::plans::matrix_fixture(app, &admin);
    let thon1 = app.login("thon1").token;
    let r = crate::plans::report(
        app,
        &thon1,
        fx.task,
        "Ảnh niêm yết tại nhà văn hóa",
        "10",
        &[("anh.png", crate::plans::PNG)],
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    let evidence_sha = hex::encode(Sha256::digest(crate::plans::PNG));
    // Intakes run while the backup is taken.
    let ubnd = app.login("ubnd").token;
    let procs = app.get("/api/v1/procedures?q=1.004873", Some(&ubnd));
    let procedure = procs.body["items"][0]["id"].as_i64().unwrap();
    let acked: Mutex<Vec<(Instant, String)>> = Mutex::new(Vec::new());
    let stop = AtomicBool::new(false);
    let archive = app.data_dir.join("backup.zip");
    let mut config = Config::load_from(None, &[]).unwrap();
    config.server.data_dir = app.data_dir.clone();
    config.database.url = app.db_url.clone();
    let started = std::thread::scope(|s| {
        s.spawn(|| {
            while !stop.load(Ordering::SeqCst) {
                let r = app.post(
                    "/api/v1/dossiers",
                    Some(&ubnd),
                    json!({ "procedure_id": procedure, "channel": 1, "applicant": { "name": "Lê Văn Tám",
                        "phone": "0912000111", "id_number": "038090001111", "address": "Thôn 1" } }),
                );
                if r.status == 201 {
                    acked.lock().unwrap().push((Instant::now(), r.body["code"].as_str().unwrap().to_string()));
                }
            }
        });
        wait_for(120, "writes before the backup", || acked.lock().unwrap().len() >= 5);
        let started = Instant::now();
        let m = thanthien::backup::create(&config, &archive).expect("backup");
        assert!(m.entries.iter().any(|e| e.path.starts_with("files/") && e.sha256 == evidence_sha), "{m:?}");
        let after = acked.lock().unwrap().len();
        wait_for(120, "writes after the backup", || acked.lock().unwrap().len() > after + 2);
        stop.store(true, Ordering::SeqCst);
        started
    });
    let before: Vec<String> =
        acked.lock().unwrap().iter().filter(|(t, _)| *t < started).map(|(_, c)| c.clone()).collect();
    assert!(before.len() >= 5);
    // The archive checks out; a damaged copy does not.
    thanthien::backup::verify(&archive).expect("intact");
    let mut bytes = std::fs::read(&archive).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xFF;
    let damaged = app.data_dir.join("damaged.zip");
    std::fs::write(&damaged, bytes).unwrap();
    assert!(thanthien::backup::verify(&damaged).is_err(), "a flipped byte is noticed");
    // Restore into a new data directory (and, for PostgreSQL, a new database).
    let restored = app.data_dir.join("restored");
    let (url, pg) = if app.db_url.starts_with("postgres") {
        let base = pg_base_url().unwrap();
        let name = format!("tt_restore_{}", uuid::Uuid::new_v4().simple());
        let mut admin_conn = diesel::PgConnection::establish(&base).unwrap();
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin_conn).unwrap();
        (with_database(&base, &name), Some((base, name)))
    } else {
        (format!("sqlite://{}", restored.join("thanthien.db").display()), None)
    };
    let pg_target = pg.as_ref().map(|_| url.as_str());
    thanthien::backup::restore(&archive, &restored, pg_target).expect("restore");
    assert!(thanthien::backup::restore(&archive, &restored, pg_target).is_err(), "never over existing data");
    {
        let pool = thanthien::db::connect(&url, 1, Duration::from_secs(10)).unwrap();
        let mut conn = pool.get().unwrap();
        use thanthien::db::schema::dossiers;
        let codes: Vec<String> = dossiers::table.select(dossiers::code).load(&mut *conn).unwrap();
        for c in &before {
            assert!(codes.contains(c), "{c} was acknowledged before the backup and is missing");
        }
        let verified = thanthien::audit::repo::verify_all(&mut conn).unwrap();
        assert!(verified.is_ok(), "the restored audit chain verifies: {verified:?}");
    }
    // Evidence comes back byte for byte, under the same key.
    let found = walk(&restored.join("files"));
    assert!(
        found.iter().any(|p| hex::encode(Sha256::digest(std::fs::read(p).unwrap())) == evidence_sha),
        "evidence restored: {found:?}"
    );
    // The keys come back too, readable by the server's user only: the signing keys and the key
    // that seals denouncers' identities.
    for key in ["signing-keys.json", thanthien::petitions::identity::KEY_FILE] {
        let original = app.data_dir.join(key);
        assert!(original.is_file(), "{key} exists before the backup");
        let back = restored.join(key);
        assert_eq!(std::fs::read(&back).unwrap(), std::fs::read(&original).unwrap(), "{key} restored");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&back).unwrap().permissions().mode() & 0o777, 0o600, "{key} mode");
        }
    }
    if let Some((base, name)) = pg {
        let mut admin_conn = diesel::PgConnection::establish(&base).unwrap();
        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin_conn).unwrap();
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
        }
    }
    out
}

both_engines!(backup_under_write_load_restores_every_acknowledged_write);
